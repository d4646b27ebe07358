from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from trechter.funding import models


@admin.register(models.Instrument)
class InstrumentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "level", "trl_from", "trl_to", "key"]
    list_filter = ["level"]
    search_fields = ["name", "name_en", "acronym", "key", "notes_nl"]
