"""Award rounds, their jury, applications, scores, the consensus and the decision.

A round holds its own method (aspects, scale, award level, label validity) so that changing
the method for next year leaves earlier rounds as they were judged (analytics/award.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trechter.actors.models import KEY_HELP, Organisation
from trechter.analytics import award

FOF_SIDES = [("NL", _("Netherlands")), ("VL", _("Flanders"))]
ROUND_STATES = [
    ("draft", _("in preparation")),
    ("open", _("open for applications")),
    ("assessing", _("assessing")),
    ("decided", _("decided")),
    ("published", _("published")),
]


def default_aspects() -> list[dict[str, str]]:
    return [{"key": a.key, "name_nl": a.name_nl, "name_en": a.name_en} for a in award.MADE_DIFFERENT]


class AwardRound(models.Model):
    """One year's FoF / Smart Industry round for both sides, with its method."""

    key = models.SlugField(_("key"), max_length=80, unique=True, help_text=KEY_HELP)
    year = models.PositiveSmallIntegerField(_("year"))
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    opens_on = models.DateField(_("applications open on"))
    closes_on = models.DateField(_("applications close on"))
    announce_on = models.DateField(
        _("awards announced on"), help_text=_("The same day in Flanders and the Netherlands.")
    )
    aspects = models.JSONField(_("aspects"), default=default_aspects)
    scale_min = models.PositiveSmallIntegerField(_("lowest level"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest level"), default=5)
    award_level = models.PositiveSmallIntegerField(
        _("award level"), default=4, help_text=_("Every aspect at this level or higher wins.")
    )
    label_years = models.PositiveSmallIntegerField(_("label valid for (years)"), default=3)
    reminder_days = models.PositiveSmallIntegerField(_("reminder before the label lapses (days)"), default=90)
    assessors_per_application = models.PositiveSmallIntegerField(_("assessors per application (at least)"), default=2)
    max_spread = models.PositiveSmallIntegerField(_("largest spread agreed without discussion"), default=1)
    state = models.CharField(_("state"), max_length=12, choices=ROUND_STATES, default="draft")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("award round")
        verbose_name_plural = _("award rounds")
        ordering = ["-year", "key"]
        constraints = [
            models.CheckConstraint(name="fof_round_window", condition=Q(opens_on__lte=models.F("closes_on"))),
            models.CheckConstraint(
                name="fof_round_announce_after_close", condition=Q(announce_on__gte=models.F("closes_on"))
            ),
        ]

    def __str__(self) -> str:
        return self.title_nl

    @property
    def method(self) -> award.Method:
        return _method_of(self)

    def clean(self) -> None:
        """Refuse a method that cannot work, naming the setting; and a window that runs backwards."""
        super().clean()
        errors: dict[str, Any] = {}
        if self.opens_on and self.closes_on and self.opens_on > self.closes_on:
            errors["closes_on"] = _("The call closes before it opens.")
        if self.closes_on and self.announce_on and self.announce_on < self.closes_on:
            errors["announce_on"] = _("The awards are announced after the call closes.")
        try:
            award.check_method(_method_of(self))
        except award.MethodError as error:
            name = {"assessors": "assessors_per_application"}.get(error.field, error.field)
            errors[name] = error.message
        except (KeyError, TypeError, AttributeError):
            errors["aspects"] = _("A list of aspects, each with a key, a Dutch and an English name.")
        if errors:
            raise ValidationError(errors)


def _method_of(round_: AwardRound) -> award.Method:
    """The round's method; TypeError or KeyError for aspects that are not a list of named aspects."""
    if not isinstance(round_.aspects, list):
        raise TypeError
    return award.Method(
        aspects=tuple(
            award.Aspect(str(a["key"]), str(a["name_nl"]), str(a.get("name_en", ""))) for a in round_.aspects
        ),
        scale_min=round_.scale_min,
        scale_max=round_.scale_max,
        award_level=round_.award_level,
        label_years=round_.label_years,
        reminder_days=round_.reminder_days,
        assessors=round_.assessors_per_application,
        max_spread=round_.max_spread,
    )


class JuryMember(models.Model):
    """A juror of a round, for one side; the chair agrees the consensus levels."""

    round = models.ForeignKey(AwardRound, on_delete=models.CASCADE, related_name="jury")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="fof_juries")
    side = models.CharField(_("side"), max_length=2, choices=FOF_SIDES)
    is_chair = models.BooleanField(_("chair"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("juror")
        verbose_name_plural = _("jury")
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="fof_juror_once")]

    def __str__(self) -> str:
        return f"{self.user} ({self.side})"


class Application(models.Model):
    """A company's application to a round; the decision and the label once decided."""

    round = models.ForeignKey(AwardRound, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="fof_applications")
    side = models.CharField(_("side"), max_length=2, choices=FOF_SIDES)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="fof_applications"
    )
    motivation = models.TextField(_("motivation"), blank=True, max_length=5000)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    awarded = models.BooleanField(_("awarded"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    label_valid_until = models.DateField(_("label valid until"), null=True, blank=True)
    reminded_on = models.DateField(_("re-assessment reminder sent on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["round", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "organisation"], name="fof_application_once"),
            models.CheckConstraint(
                name="fof_label_only_for_winners", condition=Q(label_valid_until__isnull=True) | Q(awarded=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.round}"


class Assignment(models.Model):
    """An assessor asked to score an application; `submitted_at` once their scores are in."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="fof_assignments")
    submitted_at = models.DateTimeField(_("scores submitted at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [models.UniqueConstraint(fields=["application", "assessor"], name="fof_assignment_once")]

    def __str__(self) -> str:
        return f"{self.assessor} → {self.application}"


class AspectScore(models.Model):
    """One assessor's level of one aspect, with their comment."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    aspect = models.SlugField(_("aspect"), max_length=60)
    level = models.PositiveSmallIntegerField(_("level"))
    comment = models.TextField(_("comment"), blank=True, max_length=3000)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aspect score")
        verbose_name_plural = _("aspect scores")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "aspect"], name="fof_score_once"),
            models.CheckConstraint(name="fof_score_level", condition=Q(level__lte=10)),
        ]

    def __str__(self) -> str:
        return f"{self.aspect}: {self.level}"


class Consensus(models.Model):
    """The level the jury agrees on for one aspect of an application, with its reason."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="consensus")
    aspect = models.SlugField(_("aspect"), max_length=60)
    level = models.PositiveSmallIntegerField(_("agreed level"))
    was_flagged = models.BooleanField(_("assessors were more than one level apart"), default=False)
    reason = models.TextField(_("reason"), blank=True, max_length=3000)
    comment = models.TextField(_("the jury's comment to the company"), blank=True, max_length=3000)
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    agreed_at = models.DateTimeField(_("agreed at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agreed level")
        verbose_name_plural = _("agreed levels")
        constraints = [
            models.UniqueConstraint(fields=["application", "aspect"], name="fof_consensus_once"),
            models.CheckConstraint(name="fof_consensus_level", condition=Q(level__lte=10)),
        ]

    def __str__(self) -> str:
        return f"{self.aspect}: {self.level}"


class Affiliation(models.Model):
    """A user works for an organisation: they may apply for it and see its reports, and may not
    assess its application (conflict of interest)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="affiliations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="affiliations")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="fof_affiliation_once")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"
