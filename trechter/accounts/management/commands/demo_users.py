from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from trechter.accounts import actions

# username → (role, theme key): one of each role, for trying the workflow locally.
DEMO = {
    "lead-energy": ("theme_lead", "energy"),
    "lead-photonics": ("theme_lead", "photonics"),
    "core": ("core_group", None),
    "member": ("member", None),
    "jury": ("jury", None),
}


class Command(BaseCommand):
    help = "Create demo accounts, one per role, sharing one password (development only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", required=True)

    def handle(self, *args: Any, password: str, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("demo users are for development only (set TRECHTER_DEBUG=1)")
        users = get_user_model().objects
        for username, (kind, theme) in DEMO.items():
            user = users.filter(username=username).first() or users.create_user(username=username)
            user.set_password(password)
            user.save()
            actions.grant_role(username=username, kind=kind, theme_key=theme)
            self.stdout.write(f"{username}: {kind}{f' ({theme})' if theme else ''}")
