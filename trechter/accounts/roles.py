"""What a user may do, read once per request from their roles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from trechter.accounts.models import Role

CACHE_ATTRIBUTE = "_trechter_roles"


@dataclass(frozen=True)
class Roles:
    kinds: frozenset[str] = frozenset()
    lead_theme_ids: frozenset[int] = field(default_factory=frozenset)
    is_admin: bool = False

    @property
    def is_member(self) -> bool:
        """Any role, or admin: may propose and comment."""
        return bool(self.kinds) or self.is_admin

    @property
    def is_core_group(self) -> bool:
        return "core_group" in self.kinds or self.is_admin

    @property
    def is_editor(self) -> bool:
        """Sees drafts and the open version: theme leads, core group, admin."""
        return bool(self.lead_theme_ids) or self.is_core_group


def roles_of(user: Any) -> Roles:
    """The roles of `user` (anonymous: none), cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Roles()
    cached = getattr(user, CACHE_ATTRIBUTE, None)
    if cached is None:
        rows = list(Role.objects.filter(user=user).values_list("kind", "theme_id"))
        cached = Roles(
            kinds=frozenset(kind for kind, _ in rows),
            lead_theme_ids=frozenset(theme for kind, theme in rows if kind == "theme_lead" and theme),
            is_admin=bool(user.is_superuser),
        )
        setattr(user, CACHE_ATTRIBUTE, cached)
    return cached
