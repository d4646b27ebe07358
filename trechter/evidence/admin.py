"""Admin for the evidence: the CORDIS copy is read-only here (re-import to change it); links
between agenda organisations and CORDIS records are decided here or on the review page."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from trechter.evidence.models import (
    CordisOrganisation,
    ImportedFile,
    ImportRun,
    OrganisationLink,
    Participation,
    Project,
    ProjectEmbedding,
    ProjectTheme,
)
from trechter.versions import stamps


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CordisOrganisation)
class CordisOrganisationAdmin(ReadOnly):
    list_display = ["org_id", "name", "city", "country", "side", "side_basis", "activity_type"]
    list_filter = ["side", "side_basis", "activity_type"]
    search_fields = ["org_id", "name", "short_name", "city"]
    show_full_result_count = False


@admin.register(Project)
class ProjectAdmin(ReadOnly):
    list_display = ["key", "acronym", "framework", "year", "programme"]
    list_filter = ["framework"]
    search_fields = ["key", "acronym", "title", "grant_id"]
    show_full_result_count = False


@admin.register(Participation)
class ParticipationAdmin(ReadOnly):
    list_display = ["project", "organisation", "role", "country", "ec_contribution"]
    list_select_related = ["project", "organisation"]
    search_fields = ["project__key", "organisation__org_id", "name_as_listed"]
    show_full_result_count = False


@admin.register(ProjectTheme)
class ProjectThemeAdmin(ReadOnly):
    list_display = ["project", "theme", "score"]
    list_select_related = ["project", "theme"]
    list_filter = ["theme"]
    show_full_result_count = False


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnly):
    list_display = ["started_at", "finished_at", "status", "started_by"]


@admin.register(ImportedFile)
class ImportedFileAdmin(ReadOnly):
    list_display = ["name", "kind", "row_count", "imported_at"]


@admin.register(OrganisationLink)
class OrganisationLinkAdmin(admin.ModelAdmin):
    list_display = ["organisation", "cordis", "status", "score", "decided_by", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["organisation", "cordis", "decided_by"]
    raw_id_fields = ["organisation", "cordis"]
    readonly_fields = ["decided_by", "decided_at"]
    search_fields = ["organisation__name", "cordis__name", "cordis__org_id"]

    def save_model(self, request: HttpRequest, obj: OrganisationLink, form: Any, change: bool) -> None:
        """A decision taken here is recorded like one on the review page: who and when."""
        if obj.status in (OrganisationLink.CONFIRMED, OrganisationLink.REJECTED) and "status" in form.changed_data:
            obj.decided_by = request.user  # type: ignore[assignment]
            obj.decided_at = timezone.now()
        super().save_model(request, obj, form, change)
        stamps.renew()


@admin.register(ProjectEmbedding)
class ProjectEmbeddingAdmin(ReadOnly):
    list_display = ["project", "fingerprint"]
    list_select_related = ["project"]
    search_fields = ["project__key"]
    exclude = ["vector"]  # 512 numbers as bytes say nothing to a reader
    show_full_result_count = False
