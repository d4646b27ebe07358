from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from trechter.assessment import models


@admin.register(models.Criterion)
class CriterionAdmin(SimpleHistoryAdmin):
    list_display = ["key", "parent", "order", "text_nl"]
    list_select_related = ["parent"]
    search_fields = ["text_nl", "text_en", "key"]


class FindingInline(admin.TabularInline):
    model = models.CriterionFinding
    extra = 0


@admin.register(models.CriteriaAssessment)
class CriteriaAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["title_nl", "assessed_on", "assessed_by", "subject_theme", "subject_topic"]
    inlines = [FindingInline]


class CandidateInline(admin.TabularInline):
    model = models.Candidate
    extra = 0
    fields = ["key", "order", "title_nl", "title_en", "topic_key", "cross_theme_topic", "theme"]


class AssessorInline(admin.TabularInline):
    model = models.Assessor
    extra = 0
    raw_id_fields = ["user"]


@admin.register(models.AssessmentRound)
class AssessmentRoundAdmin(SimpleHistoryAdmin):
    """Rounds are run on the site (the actions check their state); the admin shows them and their history."""

    list_display = ["title_nl", "status", "is_recorded", "created_at"]
    list_filter = ["status", "is_recorded"]
    inlines = [CandidateInline, AssessorInline]


@admin.register(models.Score)
class ScoreAdmin(SimpleHistoryAdmin):
    list_display = ["assessor", "candidate", "criterion", "value", "updated_at"]
    list_filter = ["assessor__round"]
    list_select_related = ["assessor", "candidate", "criterion"]
