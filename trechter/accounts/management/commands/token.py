"""trechter token create USER [--name N] [--days D] | list [USER] | revoke PREFIX"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from trechter.accounts import actions
from trechter.accounts.models import ApiToken


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


class Command(BaseCommand):
    help = "Create, list or revoke API tokens. A new token's plaintext is printed once and not stored."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument("target", nargs="?", help="create/list: a username; revoke: the token's prefix")
        parser.add_argument("--name", default="command line", help="what the token is for")
        parser.add_argument("--days", type=int, help="valid for this many days (default: until revoked)")

    def handle(self, *args: Any, action: str, target: str | None, **options: Any) -> None:
        try:
            if action == "create":
                self._create(target, options["name"], options["days"])
            elif action == "list":
                self._list(target)
            else:
                if not target:
                    raise CommandError("give the prefix of the token to revoke")
                token = actions.revoke_token(actions.token_by_prefix(target))
                self.stdout.write(f"revoked: {actions.TOKEN_MARKER}{token.prefix}… ({token.name}) of {token.user}")
        except actions.TokenError as error:
            raise CommandError(str(error)) from error

    def _create(self, username: str | None, name: str, days: int | None) -> None:
        if not username:
            raise CommandError("give the username the token is for")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"username: no user '{username}'")
        token, plaintext = actions.issue_token(user, name, days)
        self.stdout.write(plaintext)
        self.stderr.write(
            f"token {actions.TOKEN_MARKER}{token.prefix}… for {user} (expires: {_when(token.expires_at)}). "
            "Copy it now: it is not stored and cannot be shown again."
        )

    def _list(self, username: str | None) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "created_at", "pk")
        if username:
            tokens = tokens.filter(user__username=username)
        for token in tokens:
            state = "revoked" if token.is_revoked else "expired" if token.is_expired else "active"
            self.stdout.write(
                f"{actions.TOKEN_MARKER}{token.prefix}…\t{token.user}\t{token.name}\t{state}\t"
                f"created {_when(token.created_at)}\tlast used {_when(token.last_used_at)}\t"
                f"expires {_when(token.expires_at)}"
            )
