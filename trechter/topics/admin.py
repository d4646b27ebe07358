"""Topic runs are read-only in the admin: a run is made by `trechter discover-topics`."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from trechter.topics.models import Topic, TopicRun


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TopicRun)
class TopicRunAdmin(ReadOnly):
    list_display = ["started_at", "status", "document_count", "topic_count", "cross_theme_count", "kept_count"]


@admin.register(Topic)
class TopicAdmin(ReadOnly):
    list_display = ["key", "label_en", "document_count", "is_cross_theme", "cross_theme_rank", "run"]
    list_filter = ["is_cross_theme"]
    search_fields = ["key", "label_en", "label_nl"]
    exclude = ["centre"]
