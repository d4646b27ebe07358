"""The criteria list for (cross-theme) cooperation topics (Bijlage 3) and assessments against it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trechter.actors.models import KEY_HELP
from trechter.agenda.models import CrossThemeTopic, Theme


class Criterion(models.Model):
    key = models.SlugField(_("key"), max_length=80, unique=True, help_text=KEY_HELP)
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text_nl = models.TextField(_("text (Dutch)"))
    text_en = models.TextField(_("text (English)"))
    source = models.CharField(_("source"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["parent_id", "order"]

    def __str__(self) -> str:
        return self.text_nl[:80]


class CriteriaAssessment(models.Model):
    """An assessment of a theme or a cross-theme topic against the criteria list."""

    key = models.SlugField(_("key"), max_length=80, unique=True, help_text=KEY_HELP)
    subject_theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    subject_topic = models.ForeignKey(
        CrossThemeTopic, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title_nl = models.CharField(_("title (Dutch)"), max_length=300)
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    assessed_by = models.CharField(_("assessed by"), max_length=300)
    source = models.CharField(_("source"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criteria assessment")
        verbose_name_plural = _("criteria assessments")
        constraints = [
            models.CheckConstraint(
                name="assessment_has_subject",
                condition=Q(subject_theme__isnull=False) | Q(subject_topic__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.title_nl


class CriterionFinding(models.Model):
    assessment = models.ForeignKey(CriteriaAssessment, on_delete=models.CASCADE, related_name="findings")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="findings")
    present = models.BooleanField(_("present"), null=True, blank=True)
    note_nl = models.TextField(_("note (Dutch)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="finding_unique")]

    def __str__(self) -> str:
        return f"{self.criterion.key}: {self.present}"


SCORE_CHOICES = [
    (0, _("0 — absent")),
    (1, _("1 — weak")),
    (2, _("2 — partly")),
    (3, _("3 — largely")),
    (4, _("4 — fully")),
]
ASSESSOR_GROUPS = [("NL", _("Dutch stakeholders")), ("VL", _("Flemish stakeholders")), ("BOTH", _("Both sides"))]


class AssessmentRound(models.Model):
    """Candidate topics assessed against the criteria list by several assessors (Bijlage 3)."""

    OPEN, CLOSED = "open", "closed"
    STATUSES = [(OPEN, _("open for scoring")), (CLOSED, _("closed"))]

    key = models.SlugField(_("key"), max_length=80, unique=True, help_text=KEY_HELP)
    title_nl = models.CharField(_("title (Dutch)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=STATUSES, default=OPEN)
    is_recorded = models.BooleanField(
        _("recorded"), default=False, help_text=_("copied from a document (e.g. the seed), not scored in Trechter")
    )
    weights = models.JSONField(_("weights per criterion"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        ordering = ["-created_at", "key"]

    def __str__(self) -> str:
        return self.title_nl

    @property
    def is_open(self) -> bool:
        return self.status == self.OPEN


class Candidate(models.Model):
    """A topic assessed in a round: a discovered topic (by its stable id), a cross-theme topic
    of the agenda, a theme, or one entered by hand."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="candidates")
    key = models.SlugField(_("key"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_nl = models.CharField(_("title (Dutch)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    topic_key = models.CharField(_("discovered topic"), max_length=24, blank=True)
    cross_theme_topic = models.ForeignKey(
        CrossThemeTopic, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("candidate topic")
        verbose_name_plural = _("candidate topics")
        ordering = ["round", "order", "key"]
        constraints = [models.UniqueConstraint(fields=["round", "key"], name="candidate_key_unique_per_round")]

    def __str__(self) -> str:
        return self.title_nl


class Assessor(models.Model):
    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="assessors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="assessor_roles"
    )
    name = models.CharField(_("name"), max_length=200)
    group = models.CharField(_("stakeholder group"), max_length=5, choices=ASSESSOR_GROUPS)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessor")
        verbose_name_plural = _("assessors")
        ordering = ["round", "group", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "user"], condition=Q(user__isnull=False), name="assessor_user_once_per_round"
            ),
            models.UniqueConstraint(fields=["round", "name"], name="assessor_name_once_per_round"),
        ]

    def __str__(self) -> str:
        return self.name


class Score(models.Model):
    """One assessor's score of one candidate on one criterion or sub-criterion, with evidence."""

    assessor = models.ForeignKey(Assessor, on_delete=models.CASCADE, related_name="scores")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField(
        _("score"), null=True, blank=True, choices=SCORE_CHOICES, help_text=_("empty: cannot judge")
    )
    note = models.TextField(_("evidence note"), blank=True, max_length=4000)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["assessor", "candidate", "criterion"], name="score_once"),
            models.CheckConstraint(name="score_on_scale", condition=Q(value__isnull=True) | Q(value__lte=4)),
        ]

    def __str__(self) -> str:
        return f"{self.assessor} · {self.candidate.key} · {self.criterion.key}: {self.value}"
