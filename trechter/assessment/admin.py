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
