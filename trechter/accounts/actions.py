"""Granting and revoking roles, issuing and revoking API tokens (admin, CLI and pages call these)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from trechter.accounts.models import ROLE_KINDS, TOKEN_PREFIX_LENGTH, ApiToken, Role, hash_token
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


# API tokens ------------------------------------------------------------------------------

TOKEN_MARKER = "trt_"  # noqa: S105 — not a secret: lets people and secret scanners recognise our tokens
MAX_TOKEN_DAYS = 3650


class TokenError(ValueError):
    pass


@transaction.atomic
def issue_token(user: Any, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """A new API token for `user`, valid `days` days (None: until revoked). Returns the
    stored token and its plaintext, which is not kept anywhere: show it once."""
    name = (name or "").strip()
    if not name:
        raise TokenError("name: give the token a name")
    if len(name) > ApiToken._meta.get_field("name").max_length:  # type: ignore[operator]
        raise TokenError("name: at most 100 characters")
    if days is not None and not 1 <= days <= MAX_TOKEN_DAYS:
        raise TokenError(f"days: between 1 and {MAX_TOKEN_DAYS}")
    if not user.is_active:
        raise TokenError("user: the account is inactive")
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[:TOKEN_PREFIX_LENGTH],
        hashed=hash_token(TOKEN_MARKER + secret),
        expires_at=timezone.now() + timedelta(days=days) if days else None,
    )
    return token, TOKEN_MARKER + secret


@transaction.atomic
def revoke_token(token: ApiToken) -> ApiToken:
    """Refuse `token` from now on; it stays listed, marked revoked. Safe to repeat."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if not token.is_revoked:
        token.is_revoked, token.revoked_at = True, timezone.now()
        token.save(update_fields=["is_revoked", "revoked_at"])
    return token


def token_by_prefix(prefix: str) -> ApiToken:
    """The one token whose visible prefix is `prefix` (with or without the "trt_" marker)."""
    prefix = prefix.strip().removeprefix(TOKEN_MARKER).rstrip("…")
    if len(prefix) < TOKEN_PREFIX_LENGTH:
        raise TokenError(f"prefix: give the {TOKEN_PREFIX_LENGTH} characters shown after '{TOKEN_MARKER}'")
    found = list(ApiToken.objects.select_related("user").filter(prefix=prefix[:TOKEN_PREFIX_LENGTH])[:2])
    if not found:
        raise TokenError(f"prefix: no token '{prefix}'")
    if len(found) > 1:
        raise TokenError(f"prefix: several tokens start with '{prefix}'; revoke it in the admin")
    return found[0]
