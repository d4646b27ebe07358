"""The cooperation agenda: themes, sub-priorities, cross-theme topics, proposals and the
funnel (activities, actors, template answers, TRL levels)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trechter import vocabulary
from trechter.actors.models import KEY_HELP, Organisation, Person

TRL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(9)]


def trl_constraints(prefix: str) -> list[models.BaseConstraint]:
    """TRLs are 1–9, both or neither given, from ≤ to — enforced by the database too."""
    return [
        models.CheckConstraint(
            name=f"{prefix}_trl_both_or_neither",
            condition=Q(trl_from__isnull=True, trl_to__isnull=True) | Q(trl_from__isnull=False, trl_to__isnull=False),
            violation_error_message=_("Give both TRL from and TRL to, or neither."),
        ),
        models.CheckConstraint(
            name=f"{prefix}_trl_bounds",
            condition=Q(trl_from__isnull=True) | Q(trl_from__gte=1, trl_from__lte=9, trl_to__gte=1, trl_to__lte=9),
            violation_error_message=_("TRLs run from 1 to 9."),
        ),
        models.CheckConstraint(
            name=f"{prefix}_trl_ordered",
            condition=Q(trl_from__isnull=True) | Q(trl_from__lte=F("trl_to")),
            violation_error_message=_("TRL to must not be lower than TRL from."),
        ),
    ]


class TrlRangeFields(models.Model):
    trl_from = models.PositiveSmallIntegerField(_("TRL from"), null=True, blank=True, validators=TRL_VALIDATORS)
    trl_to = models.PositiveSmallIntegerField(_("TRL to"), null=True, blank=True, validators=TRL_VALIDATORS)
    trl_basis = models.CharField(_("TRL basis"), max_length=10, choices=vocabulary.TRL_BASES, default="stated")
    trl_note = models.CharField(_("TRL note"), max_length=500, blank=True)

    class Meta:
        abstract = True

    @property
    def trl_label(self) -> str:
        if self.trl_from is None:
            return ""
        if self.trl_from == self.trl_to:
            return f"TRL {self.trl_from}"
        return f"TRL {self.trl_from}–{self.trl_to}"


class Agenda(models.Model):
    key = models.SlugField(_("key"), max_length=80, unique=True, help_text=KEY_HELP)
    title_nl = models.CharField(_("title (Dutch)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    presented_on = models.DateField(_("presented on"))
    introduction_nl = models.TextField(_("introduction (Dutch)"))
    introduction_en = models.TextField(_("introduction (English)"), blank=True)
    conclusions_nl = models.JSONField(_("conclusions (Dutch)"), default=list, blank=True)
    conclusions_en = models.JSONField(_("conclusions (English)"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agenda")
        verbose_name_plural = _("agendas")

    def __str__(self) -> str:
        return self.title_nl


class Theme(models.Model):
    agenda = models.ForeignKey(Agenda, on_delete=models.PROTECT, related_name="themes")
    key = models.SlugField(_("key"), max_length=80, unique=True, help_text=KEY_HELP)
    order = models.PositiveSmallIntegerField(_("order"))
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    aim_nl = models.TextField(_("aim (Dutch)"))
    aim_en = models.TextField(_("aim (English)"), blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["agenda", "order"], name="theme_order_unique")]

    def __str__(self) -> str:
        return self.name_nl


class ThemeLead(models.Model):
    """A Dutch or Flemish lead ("trekker") or penholder of a theme: an organisation, a person or both."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="leads")
    side = models.CharField(_("side"), max_length=10, choices=vocabulary.ACTIVITY_SIDES)
    role = models.CharField(_("role"), max_length=10, choices=vocabulary.LEAD_ROLES)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="theme_leads")
    source = models.CharField(_("source"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("theme lead")
        verbose_name_plural = _("theme leads")
        constraints = [
            models.CheckConstraint(
                name="theme_lead_names_someone", condition=Q(organisation__isnull=False) | Q(person__isnull=False)
            )
        ]

    def __str__(self) -> str:
        return f"{self.theme}: {self.person or self.organisation} ({self.side})"


class SubPriority(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="sub_priorities")
    key = models.SlugField(_("key"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"))
    title_nl = models.CharField(_("title (Dutch)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sub-priority")
        verbose_name_plural = _("sub-priorities")
        ordering = ["theme__order", "order"]
        constraints = [models.UniqueConstraint(fields=["theme", "key"], name="sub_priority_key_unique")]

    def __str__(self) -> str:
        return self.title_nl


class CrossThemeTopic(models.Model):
    key = models.SlugField(_("key"), max_length=80, unique=True, help_text=KEY_HELP)
    title_nl = models.CharField(_("title (Dutch)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    themes = models.ManyToManyField(Theme, related_name="cross_theme_topics")
    source = models.CharField(_("source"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cross-theme topic")
        verbose_name_plural = _("cross-theme topics")
        ordering = ["title_nl"]

    def __str__(self) -> str:
        return self.title_nl


class Proposal(TrlRangeFields):
    key = models.SlugField(_("key"), max_length=80, unique=True, help_text=KEY_HELP)
    kind = models.CharField(_("kind"), max_length=20, choices=vocabulary.PROPOSAL_KINDS)
    theme = models.ForeignKey(Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="proposals")
    other_themes = models.ManyToManyField(Theme, blank=True, related_name="shared_proposals")
    sub_priority = models.ForeignKey(
        SubPriority, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    overview_label_nl = models.CharField(_("label in the overview table"), max_length=300, blank=True)
    overview_order = models.PositiveSmallIntegerField(_("position in the overview table"), null=True, blank=True)
    title_nl = models.CharField(_("title (Dutch)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    summary_nl = models.TextField(_("summary (Dutch)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    value_chain = models.JSONField(_("value-chain stages"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=vocabulary.PROPOSAL_STATUSES, default="proposed")
    budget_per_year_min_eur = models.PositiveBigIntegerField(_("budget per year, from (€)"), null=True, blank=True)
    budget_per_year_max_eur = models.PositiveBigIntegerField(_("budget per year, to (€)"), null=True, blank=True)
    budget_years = models.PositiveSmallIntegerField(_("budget years"), null=True, blank=True)
    budget_total_min_eur = models.PositiveBigIntegerField(_("total budget, from (€)"), null=True, blank=True)
    budget_total_max_eur = models.PositiveBigIntegerField(_("total budget, to (€)"), null=True, blank=True)
    budget_text_nl = models.CharField(_("budget as written"), max_length=500, blank=True)
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"), null=True, blank=True)
    planned_start = models.CharField(
        _("planned start"), max_length=10, blank=True, help_text=_("YYYY, YYYY-MM or YYYY-MM-DD")
    )
    source = models.CharField(_("source"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["theme__order", "kind", "overview_order", "key"]
        constraints = [
            *trl_constraints("proposal"),
            models.CheckConstraint(
                name="proposal_budget_per_year_ordered",
                condition=Q(budget_per_year_min_eur__isnull=True)
                | Q(budget_per_year_max_eur__isnull=True)
                | Q(budget_per_year_min_eur__lte=F("budget_per_year_max_eur")),
                violation_error_message=_("The budget per year 'to' must not be lower than 'from'."),
            ),
            models.CheckConstraint(
                name="proposal_budget_total_ordered",
                condition=Q(budget_total_min_eur__isnull=True)
                | Q(budget_total_max_eur__isnull=True)
                | Q(budget_total_min_eur__lte=F("budget_total_max_eur")),
                violation_error_message=_("The total budget 'to' must not be lower than 'from'."),
            ),
            models.CheckConstraint(
                name="proposal_budget_per_year_has_years",
                condition=Q(budget_per_year_min_eur__isnull=True) | Q(budget_years__isnull=False, budget_years__gte=1),
                violation_error_message=_("A budget per year needs the number of budget years."),
            ),
            models.CheckConstraint(
                name="proposal_planned_start_format",
                condition=Q(planned_start="") | Q(planned_start__regex=r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"),
                violation_error_message=_("Planned start: write YYYY, YYYY-MM or YYYY-MM-DD."),
            ),
            models.UniqueConstraint(
                fields=["theme", "kind", "overview_order"],
                condition=Q(overview_order__isnull=False),
                name="proposal_overview_slot_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title_nl

    @property
    def budget_total_range(self) -> tuple[int, int] | None:
        """Total budget in euros as (low, high): the stated total, else per year × years."""
        if self.budget_total_min_eur is not None and self.budget_total_max_eur is not None:
            return self.budget_total_min_eur, self.budget_total_max_eur
        if self.budget_per_year_min_eur is not None and self.budget_per_year_max_eur is not None and self.budget_years:
            return self.budget_per_year_min_eur * self.budget_years, self.budget_per_year_max_eur * self.budget_years
        return None


class Party(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="parties")
    role = models.CharField(_("role"), max_length=20, choices=vocabulary.PARTY_ROLES)
    note = models.CharField(_("note"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [models.UniqueConstraint(fields=["proposal", "organisation"], name="party_unique")]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.role})"


class ProposalInstrument(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="instruments")
    instrument = models.ForeignKey("funding.Instrument", on_delete=models.PROTECT, related_name="proposals")
    state = models.CharField(_("state"), max_length=20, choices=vocabulary.INSTRUMENT_STATES)
    note = models.CharField(_("note"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposal funding instrument")
        verbose_name_plural = _("proposal funding instruments")
        constraints = [models.UniqueConstraint(fields=["proposal", "instrument"], name="proposal_instrument_unique")]

    def __str__(self) -> str:
        return f"{self.instrument} ({self.state})"


class Activity(TrlRangeFields):
    """A current activity or strength a theme maps on its funnel, for NL, VL or both."""

    key = models.SlugField(_("key"), max_length=80, unique=True, help_text=KEY_HELP)
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="activities")
    side = models.CharField(_("side"), max_length=10, choices=vocabulary.ACTIVITY_SIDES)
    value_chain = models.JSONField(_("value-chain stages"), default=list, blank=True)
    text_nl = models.TextField(_("text (Dutch)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="activities")
    source = models.CharField(_("source"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["theme__order", "key"]
        constraints = trl_constraints("activity")

    def __str__(self) -> str:
        return self.text_nl[:80]


class ThemeActor(TrlRangeFields):
    """An organisation a theme's chapter names, with what the seed says it does there."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="actors")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="theme_roles")
    note_nl = models.TextField(_("note (Dutch)"), blank=True)
    value_chain = models.JSONField(_("value-chain stages"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("theme actor")
        verbose_name_plural = _("theme actors")
        constraints = [
            *trl_constraints("theme_actor"),
            models.UniqueConstraint(fields=["theme", "organisation"], name="theme_actor_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.theme}"


class FunnelQuestion(models.Model):
    key = models.SlugField(_("key"), max_length=80, unique=True, help_text=KEY_HELP)
    order = models.PositiveSmallIntegerField(_("order"), unique=True)
    text_nl = models.TextField(_("question (Dutch)"))
    text_en = models.TextField(_("question (English)"))
    source = models.CharField(_("source"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("funnel question")
        verbose_name_plural = _("funnel questions")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.text_nl


class FunnelAnswer(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="funnel_answers")
    question = models.ForeignKey(FunnelQuestion, on_delete=models.PROTECT, related_name="answers")
    band = models.CharField(_("TRL band"), max_length=5, choices=vocabulary.BANDS)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    text_nl = models.TextField(_("answer (Dutch)"))
    text_en = models.TextField(_("answer (English)"), blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("funnel answer")
        verbose_name_plural = _("funnel answers")
        ordering = ["theme__order", "question__order", "band", "order"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "question", "band", "order"], name="funnel_answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.theme} – {self.question.key} ({self.band})"


class TrlLevel(models.Model):
    level = models.PositiveSmallIntegerField(_("level"), unique=True, validators=TRL_VALIDATORS)
    text_nl = models.TextField(_("description (Dutch)"))
    text_en = models.TextField(_("description (English)"))
    source = models.CharField(_("source"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("TRL level")
        verbose_name_plural = _("TRL levels")
        ordering = ["level"]
        constraints = [models.CheckConstraint(name="trl_level_bounds", condition=Q(level__gte=1, level__lte=9))]

    def __str__(self) -> str:
        return f"TRL {self.level}"
