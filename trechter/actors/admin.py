from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from trechter.actors import models


class AliasInline(admin.TabularInline):
    model = models.OrganisationAlias
    extra = 0


@admin.register(models.Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "key", "side", "country", "type", "city", "parent"]
    list_filter = ["side", "type", "country"]
    search_fields = ["name", "key", "aliases__name", "city"]
    autocomplete_fields = ["parent"]
    inlines = [AliasInline]


class MembershipInline(admin.TabularInline):
    model = models.Membership
    extra = 0
    autocomplete_fields = ["person", "organisation", "group"]


@admin.register(models.Person)
class PersonAdmin(SimpleHistoryAdmin):
    """A person's roles show as memberships: stakeholder group, core group, workshops, jury."""

    list_display = ["name", "key", "organisation", "function"]
    list_select_related = ["organisation"]
    search_fields = ["name", "key", "organisation__name"]
    autocomplete_fields = ["organisation"]
    inlines = [MembershipInline]


@admin.register(models.Group)
class GroupAdmin(SimpleHistoryAdmin):
    list_display = ["name_nl", "name_en", "kind", "key"]
    list_filter = ["kind"]
    search_fields = ["name_nl", "name_en", "key"]
    inlines = [MembershipInline]


class ParticipantInline(admin.TabularInline):
    model = models.MeetingParticipant
    extra = 0
    autocomplete_fields = ["person", "organisation"]


@admin.register(models.Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["held_on", "title_nl", "place", "group"]
    list_filter = ["group"]
    list_select_related = ["group"]
    search_fields = ["title_nl", "title_en", "place"]
    date_hierarchy = "held_on"
    autocomplete_fields = ["host"]
    inlines = [ParticipantInline]
