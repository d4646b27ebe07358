"""Versions of the agenda and the drafts that go into them.

The content tables (proposals, themes, …) always hold the latest *published* agenda, so
every public page reads them directly. Edits are kept as drafts of the one open version;
publishing applies them in one transaction and stores a snapshot of the result, which is
what the diff between two published versions compares.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

VERSION_STATUSES = [("draft", _("Draft")), ("review", _("In review")), ("published", _("Published"))]
DRAFT_OPERATIONS = [("add", _("Add")), ("change", _("Change")), ("remove", _("Remove"))]
OPEN_STATUSES = ("draft", "review")


class VersionQuerySet(models.QuerySet["Version"]):
    def published(self) -> VersionQuerySet:
        return self.filter(status="published")

    def open(self) -> VersionQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class Version(models.Model):
    agenda = models.ForeignKey("agenda.Agenda", on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(_("status"), max_length=10, choices=VERSION_STATUSES, default="draft")
    note = models.TextField(_("release note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("sent for review at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    snapshot = models.JSONField(_("snapshot"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["agenda", "number"], name="version_number_unique"),
            # One open version per agenda: every draft goes into it.
            models.UniqueConstraint(
                fields=["agenda"], condition=Q(status__in=OPEN_STATUSES), name="version_one_open_per_agenda"
            ),
            models.CheckConstraint(
                name="version_published_has_snapshot",
                condition=~Q(status="published") | Q(snapshot__isnull=False, published_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Version')} {self.number}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Draft(models.Model):
    """A proposed addition, change or removal of one proposal, waiting for publication."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="drafts")
    operation = models.CharField(_("operation"), max_length=10, choices=DRAFT_OPERATIONS)
    # The key stays when the proposal goes (removal) or does not exist yet (addition).
    proposal_key = models.SlugField(_("proposal key"), max_length=80)
    proposal = models.ForeignKey(
        "agenda.Proposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="drafts"
    )
    theme = models.ForeignKey("agenda.Theme", verbose_name=_("theme"), on_delete=models.PROTECT, related_name="+")
    data = models.JSONField(_("proposed values"), default=dict)
    base = models.JSONField(_("published values when the draft started"), default=dict)
    # Optimistic concurrency: a save must name the revision it started from.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="drafts_created"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="drafts_updated"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        ordering = ["theme__order", "proposal_key"]
        constraints = [
            models.UniqueConstraint(fields=["version", "proposal_key"], name="draft_one_per_proposal_and_version")
        ]

    def __str__(self) -> str:
        return f"{self.get_operation_display()} {self.proposal_key} ({self.version})"

    @property
    def token(self) -> str:
        """What an edit form carries to prove it started from this revision."""
        return f"{self.pk}:{self.revision}"


class ThemeDraft(models.Model):
    """Proposed new texts of a theme (name, aim), waiting for publication."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="theme_drafts")
    theme = models.ForeignKey("agenda.Theme", verbose_name=_("theme"), on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(_("proposed values"), default=dict)
    base = models.JSONField(_("published values when the draft started"), default=dict)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("theme draft")
        verbose_name_plural = _("theme drafts")
        ordering = ["theme__order"]
        constraints = [models.UniqueConstraint(fields=["version", "theme"], name="theme_draft_one_per_version")]

    def __str__(self) -> str:
        return f"{self.theme} ({self.version})"

    @property
    def token(self) -> str:
        return f"t{self.pk}:{self.revision}"


class Comment(models.Model):
    proposal = models.ForeignKey("agenda.Proposal", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class ContentStamp(models.Model):
    """One row whose token changes with every change to public content (see
    trechter/pagecache.py): cached public pages are keyed by it, so a publication, a seed
    load or an admin edit makes every cached page stale at once, in every server process."""

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("content stamp")
        verbose_name_plural = _("content stamps")

    def __str__(self) -> str:
        return self.token
