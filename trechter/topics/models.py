"""Topics discovered in the agenda's and the EU projects' texts (analytics.topics), one set per run.

A run keeps its topics, their documents and organisations as they were found; the latest
finished run is the one the pages show. Topic keys are stable across runs (analytics.topics
matches a run's topics to the previous run's), so a link to /topics/<key>/ survives a re-run
where the topic does.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from trechter.actors.models import Organisation
from trechter.agenda.models import Proposal
from trechter.evidence.models import CordisOrganisation, Project


class TopicRunQuerySet(models.QuerySet["TopicRun"]):
    def finished(self) -> TopicRunQuerySet:
        return self.filter(status=TopicRun.FINISHED)


class TopicRun(models.Model):
    RUNNING, FINISHED, FAILED = "running", "finished", "failed"
    STATUSES = [(RUNNING, _("running")), (FINISHED, _("finished")), (FAILED, _("failed"))]

    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=STATUSES, default=RUNNING)
    started_by = models.CharField(_("started by"), max_length=150, blank=True)
    document_count = models.PositiveIntegerField(_("documents"), default=0)
    topic_count = models.PositiveIntegerField(_("topics"), default=0)
    cross_theme_count = models.PositiveIntegerField(_("cross-theme topics"), default=0)
    kept_count = models.PositiveIntegerField(_("topics keeping an earlier id"), default=0)
    summary = models.JSONField(_("summary"), default=dict)

    objects = TopicRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("topic run")
        verbose_name_plural = _("topic runs")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"


class Topic(models.Model):
    run = models.ForeignKey(TopicRun, on_delete=models.CASCADE, related_name="topics")
    key = models.CharField(_("id"), max_length=24, help_text=_("stable across runs where the topic survives"))
    label_en = models.CharField(_("label (English)"), max_length=300)
    label_nl = models.CharField(_("label (Dutch)"), max_length=300)
    keywords = models.JSONField(_("keywords per language"), default=dict)
    theme_shares = models.JSONField(_("theme shares"), default=dict)
    theme_documents = models.JSONField(_("documents per theme"), default=dict)
    diversity = models.FloatField(_("Rao–Stirling diversity"))
    cross_theme_score = models.FloatField(_("cross-theme score"))
    is_cross_theme = models.BooleanField(_("cross-theme"))
    size_rank = models.PositiveIntegerField(_("rank by size"))
    cross_theme_rank = models.PositiveIntegerField(_("rank among cross-theme topics"), null=True, blank=True)
    document_count = models.PositiveIntegerField(_("documents"))
    proposal_count = models.PositiveIntegerField(_("agenda texts"))
    project_count = models.PositiveIntegerField(_("EU projects"))
    x = models.FloatField(default=0.0)
    y = models.FloatField(default=0.0)
    centre = models.BinaryField()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["run", "size_rank"]
        constraints = [models.UniqueConstraint(fields=["run", "key"], name="topic_key_unique_per_run")]

    def __str__(self) -> str:
        return f"{self.key}: {self.label_en}"


class TopicDocument(models.Model):
    """A document of a topic: an agenda text or an EU project, nearest the topic's centre first."""

    PROPOSAL, ACTIVITY, SUB_PRIORITY, PROJECT = "proposal", "activity", "sub_priority", "project"
    KINDS = [
        (PROPOSAL, _("proposal")),
        (ACTIVITY, _("activity")),
        (SUB_PRIORITY, _("sub-priority")),
        (PROJECT, _("EU project")),
    ]

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="documents")
    key = models.CharField(_("key"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=KINDS)
    title = models.CharField(_("title"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=5)
    themes = models.JSONField(_("themes"), default=list)
    position = models.PositiveIntegerField(_("position"))
    similarity = models.FloatField(_("similarity to the topic"))
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("topic document")
        verbose_name_plural = _("topic documents")
        ordering = ["topic", "position"]
        indexes = [models.Index(fields=["key"])]

    def __str__(self) -> str:
        return self.key


class TopicOrganisation(models.Model):
    """A Dutch or Flemish organisation of a topic's documents: an agenda organisation (party,
    activity) or an EU participant on either side; organisations elsewhere are not kept."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="organisations")
    side = models.CharField(_("side"), max_length=5)
    name = models.CharField(_("name"), max_length=500)
    kind = models.CharField(_("kind"), max_length=30, blank=True, help_text=_("activity type or organisation type"))
    document_count = models.PositiveIntegerField(_("documents"))
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    cordis = models.ForeignKey(CordisOrganisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("topic organisation")
        verbose_name_plural = _("topic organisations")
        ordering = ["topic", "-document_count", "name"]

    def __str__(self) -> str:
        return self.name
