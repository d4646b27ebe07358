from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from trechter.accounts.models import Role


@admin.register(Role)
class RoleAdmin(SimpleHistoryAdmin):
    list_display = ["user", "kind", "theme", "granted_at"]
    list_filter = ["kind", "theme"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]
