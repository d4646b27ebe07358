"""Granting and revoking roles (admin and CLI call these)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from trechter.accounts.models import ROLE_KINDS, Role
from trechter.agenda.models import Theme


class RoleError(ValueError):
    pass


@transaction.atomic
def grant_role(*, username: str, kind: str, theme_key: str | None = None) -> Role:
    """Give `username` a role; a theme lead's role names the theme. Safe to repeat."""
    if kind not in dict(ROLE_KINDS):
        raise RoleError(f"role: unknown role '{kind}' (one of {', '.join(k for k, _ in ROLE_KINDS)})")
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise RoleError(f"username: no user '{username}'")
    theme = None
    if kind == "theme_lead":
        if not theme_key:
            raise RoleError("theme: a theme lead needs --theme")
        theme = Theme.objects.filter(key=theme_key).first()
        if theme is None:
            raise RoleError(f"theme: no theme '{theme_key}'")
    elif theme_key:
        raise RoleError("theme: only a theme lead's role names a theme")
    role, _ = Role.objects.get_or_create(user=user, kind=kind, theme=theme)
    return role


@transaction.atomic
def revoke_role(*, username: str, kind: str, theme_key: str | None = None) -> int:
    """Remove matching roles; returns how many went."""
    roles = Role.objects.filter(user__username=username, kind=kind)
    if theme_key:
        roles = roles.filter(theme__key=theme_key)
    count = 0
    for role in roles:  # one by one, so each removal lands in the history
        role.delete()
        count += 1
    return count


def describe(user: Any) -> list[str]:
    return [str(role) for role in Role.objects.filter(user=user).select_related("theme")]
