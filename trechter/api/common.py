"""Helpers every endpoint module shares: the caller, permission checks, draft tokens, and
drafts as the API shows them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja.errors import AuthenticationError

from trechter.agenda.models import Agenda
from trechter.versions.actions import NEW_TOKEN
from trechter.versions.models import Draft, ThemeDraft


def caller(request: HttpRequest) -> Any:
    """The user the request acts for (token or session; AnonymousUser for visitors)."""
    return getattr(request, "auth", None) or request.user


def require(request: HttpRequest, permission: str, obj: Any = None) -> None:
    """401 for a visitor, 403 for a user whose roles do not allow `permission` on `obj`."""
    user = caller(request)
    if not user.is_authenticated:
        raise AuthenticationError()
    if not user.has_perm(permission, obj):
        raise PermissionDenied("Your role does not allow this.")


def current_agenda() -> Agenda:
    agenda = Agenda.objects.order_by("-presented_on").first()
    if agenda is None:
        raise Http404("No agenda is loaded.")
    return agenda


def token_of(request: HttpRequest, given: str | None) -> str:
    """The draft token a write started from: the body's or query's `draft_token`, else the
    If-Match header, else "new" (the published text). An ETag's quotes are allowed."""
    token = given or request.headers.get("If-Match") or NEW_TOKEN
    return token.strip().strip('"')


def username(user: Any) -> str | None:
    return user.get_username() if user is not None else None


def draft_out(draft: Draft) -> dict[str, Any]:
    return {
        "key": draft.proposal_key,
        "theme": draft.theme.key,
        "operation": draft.operation,
        "version": draft.version.number,
        "revision": draft.revision,
        "draft_token": draft.token,
        "values": draft.data,
        "base": draft.base,
        "created_by": username(draft.created_by),
        "updated_by": username(draft.updated_by),
        "updated_at": draft.updated_at,
    }


def theme_draft_out(draft: ThemeDraft) -> dict[str, Any]:
    return {
        "theme": draft.theme.key,
        "version": draft.version.number,
        "revision": draft.revision,
        "draft_token": draft.token,
        "values": draft.data,
        "base": draft.base,
        "updated_by": username(draft.updated_by),
        "updated_at": draft.updated_at,
    }


def organisation_ref(organisation: Any) -> dict[str, str] | None:
    if organisation is None:
        return None
    return {"key": organisation.key, "name": organisation.name, "side": organisation.side}


class Mapped:
    """A queryset the paginator slices and counts, mapped to plain data per page."""

    def __init__(self, queryset: QuerySet[Any], to_data: Any):
        self.queryset, self.to_data = queryset, to_data

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return [self.to_data(row) for row in self.queryset[page]]

    def __len__(self) -> int:
        return self.queryset.count()
