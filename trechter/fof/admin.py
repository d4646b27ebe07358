from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from trechter.fof.models import Affiliation, Application, AwardRound, JuryMember


@admin.register(AwardRound)
class AwardRoundAdmin(SimpleHistoryAdmin):
    list_display = ("title_nl", "year", "state", "announce_on")


@admin.register(Application)
class ApplicationAdmin(SimpleHistoryAdmin):
    list_display = ("organisation", "round", "side", "awarded", "label_valid_until")
    list_filter = ("round", "side", "awarded")


admin.site.register(JuryMember, SimpleHistoryAdmin)
admin.site.register(Affiliation, SimpleHistoryAdmin)
