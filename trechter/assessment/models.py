"""The criteria list for (cross-theme) cooperation topics (Bijlage 3) and assessments against it."""

from __future__ import annotations

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
