from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from trechter.versions.models import Comment, Draft, Version


class DraftInline(admin.TabularInline):
    model = Draft
    fields = ["operation", "proposal_key", "theme", "revision", "updated_by", "updated_at"]
    readonly_fields = ["operation", "proposal_key", "theme", "revision", "updated_by", "updated_at"]
    extra = 0
    can_delete = False


@admin.register(Version)
class VersionAdmin(SimpleHistoryAdmin):
    # Publication runs through the workflow (trechter.versions.actions), never by editing here.
    list_display = ["number", "agenda", "status", "published_at", "published_by"]
    list_filter = ["status"]
    readonly_fields = ["agenda", "number", "status", "submitted_at", "submitted_by", "published_at", "published_by"]
    exclude = ["snapshot", "created_by"]
    inlines = [DraftInline]


@admin.register(Draft)
class DraftAdmin(SimpleHistoryAdmin):
    list_display = ["proposal_key", "operation", "version", "theme", "revision", "updated_by", "updated_at"]
    list_filter = ["operation", "theme"]
    readonly_fields = ["version", "operation", "proposal", "proposal_key", "theme", "data", "base", "revision"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["proposal", "author", "created_at"]
    search_fields = ["text"]
