from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from trechter.agenda import models


@admin.register(models.Agenda)
class AgendaAdmin(SimpleHistoryAdmin):
    list_display = ["title_nl", "presented_on", "key"]


class ThemeLeadInline(admin.TabularInline):
    model = models.ThemeLead
    extra = 0
    autocomplete_fields = ["organisation", "person"]


class SubPriorityInline(admin.StackedInline):
    model = models.SubPriority
    extra = 0


@admin.register(models.Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["order", "name_nl", "name_en", "key"]
    list_display_links = ["name_nl"]
    search_fields = ["name_nl", "name_en", "key"]
    inlines = [ThemeLeadInline, SubPriorityInline]


@admin.register(models.CrossThemeTopic)
class CrossThemeTopicAdmin(SimpleHistoryAdmin):
    list_display = ["title_nl", "title_en", "key"]
    filter_horizontal = ["themes"]
    search_fields = ["title_nl", "title_en", "key"]


class PartyInline(admin.TabularInline):
    model = models.Party
    extra = 0
    autocomplete_fields = ["organisation"]


class ProposalInstrumentInline(admin.TabularInline):
    model = models.ProposalInstrument
    extra = 0


@admin.register(models.Proposal)
class ProposalAdmin(SimpleHistoryAdmin):
    list_display = ["title_nl", "kind", "theme", "trl_from", "trl_to", "status", "overview_order"]
    list_filter = ["theme", "kind", "status", "trl_basis"]
    list_select_related = ["theme"]
    search_fields = ["title_nl", "title_en", "summary_nl", "key", "overview_label_nl"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["other_themes"]
    inlines = [PartyInline, ProposalInstrumentInline]


@admin.register(models.Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["key", "theme", "side", "trl_from", "trl_to"]
    list_filter = ["theme", "side"]
    search_fields = ["text_nl", "text_en", "key"]
    autocomplete_fields = ["organisations"]


@admin.register(models.ThemeActor)
class ThemeActorAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "theme", "trl_from", "trl_to"]
    list_filter = ["theme", "organisation__side", "organisation__type"]
    list_select_related = ["organisation", "theme"]
    search_fields = ["organisation__name", "note_nl"]
    autocomplete_fields = ["organisation"]


@admin.register(models.FunnelQuestion)
class FunnelQuestionAdmin(SimpleHistoryAdmin):
    list_display = ["order", "text_nl", "key"]


@admin.register(models.FunnelAnswer)
class FunnelAnswerAdmin(SimpleHistoryAdmin):
    list_display = ["theme", "question", "band", "order"]
    list_filter = ["theme", "question", "band"]
    list_select_related = ["theme", "question"]
    search_fields = ["text_nl", "text_en"]


@admin.register(models.TrlLevel)
class TrlLevelAdmin(SimpleHistoryAdmin):
    list_display = ["level", "text_nl"]
