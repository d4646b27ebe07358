from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from trechter.accounts import actions
from trechter.accounts.models import Role


class Command(BaseCommand):
    help = "Grant, revoke or list roles: member, theme_lead (with --theme), core_group, jury."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["grant", "revoke", "list"])
        parser.add_argument("username", nargs="?")
        parser.add_argument("kind", nargs="?")
        parser.add_argument("--theme", help="theme key, for theme_lead")

    def handle(self, *args: Any, action: str, username: str | None, kind: str | None, **options: Any) -> None:
        if action == "list":
            users = get_user_model().objects.order_by("username")
            if username:
                users = users.filter(username=username)
            roles = Role.objects.select_related("user", "theme").filter(user__in=users)
            for role in roles:
                self.stdout.write(str(role))
            return
        if not username or not kind:
            raise CommandError("give a username and a role")
        try:
            if action == "grant":
                role = actions.grant_role(username=username, kind=kind, theme_key=options["theme"])
                self.stdout.write(f"granted: {role}")
            else:
                n = actions.revoke_role(username=username, kind=kind, theme_key=options["theme"])
                self.stdout.write(f"revoked: {n}")
        except actions.RoleError as error:
            raise CommandError(str(error)) from error
