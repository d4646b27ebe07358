"""Themes: read (published, or the draft for editors) and draft their texts and answers."""

from typing import Any, Literal

from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest
from ninja import Router

from trechter.agenda.models import Theme
from trechter.api import validation
from trechter.api.auth import READ_AUTH, token_auth
from trechter.api.common import caller, organisation_ref, require, theme_draft_out, token_of
from trechter.api.schemas import Conflict, Detail, ThemeDetail, ThemeDraftOut, ThemeIn, ThemeItem
from trechter.versions import actions, queries
from trechter.versions.snapshot import theme_values

router = Router(tags=["themes"])


def _themes() -> Any:
    # Explicit order: Django drops Meta.ordering from queries with GROUP BY.
    return Theme.objects.annotate(
        cooperation_count=Count("proposals", filter=Q(proposals__kind="cooperation")),
        project_count=Count("proposals", filter=Q(proposals__kind="project")),
    ).order_by("order")


def _theme(key: str) -> Theme:
    theme = _themes().select_related("agenda").filter(key=key).first()
    if theme is None:
        raise Http404(f"No theme '{key}'.")
    return theme


def _item(theme: Any) -> dict[str, Any]:
    names = ("key", "order", "name_nl", "name_en", "aim_nl", "aim_en", "cooperation_count", "project_count")
    return {name: getattr(theme, name) for name in names}


@router.get("/themes", response=list[ThemeItem], auth=READ_AUTH, summary="Themes of the agenda, in order")
def theme_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_item(theme) for theme in _themes()]


@router.get(
    "/themes/{key}",
    response={200: ThemeDetail | ThemeDraftOut, 401: Detail, 403: Detail, 404: Detail},
    auth=READ_AUTH,
    summary="A theme with its sub-priorities, leads and funnel-template answers",
)
def theme_detail(request: HttpRequest, key: str, version: Literal["published", "draft"] = "published") -> Any:
    """`?version=draft` gives the theme's draft in the open version (editors of the theme)."""
    theme = _theme(key)
    if version == "draft":
        require(request, "agenda.edit_theme", theme)
        draft = queries.open_theme_draft(theme)
        if draft is None:
            raise Http404(f"Theme '{key}' has no draft.")
        return theme_draft_out(draft)
    leads = theme.leads.select_related("organisation", "person").order_by("side", "role", "pk")
    answers = theme.funnel_answers.select_related("question").order_by("question__order", "band", "order")
    return {
        **_item(theme),
        "source": theme.source,
        "sub_priorities": list(
            theme.sub_priorities.order_by("order").values("key", "order", "title_nl", "title_en", "description_nl")
        ),
        "leads": [
            {
                "side": lead.side,
                "role": lead.role,
                "organisation": organisation_ref(lead.organisation),
                "person": lead.person.name if lead.person else None,
            }
            for lead in leads
        ],
        "answers": [
            {"question": a.question.key, "band": a.band, "text_nl": a.text_nl, "text_en": a.text_en} for a in answers
        ],
        "proposals": list(theme.proposals.order_by("kind", "key").values_list("key", flat=True)),
    }


@router.patch(
    "/themes/{key}",
    response={200: ThemeDraftOut, 401: Detail, 403: Detail, 404: Detail, 409: Conflict, 422: Detail},
    auth=token_auth,
    summary="Draft new texts or funnel answers of a theme",
)
def theme_patch(request: HttpRequest, key: str, payload: ThemeIn) -> Any:
    """Fields left out keep their (drafted) value; `answers`, when sent, replaces them all.
    Needs the theme's lead, the core group or an admin."""
    theme = _theme(key)
    require(request, "agenda.edit_theme", theme)
    with transaction.atomic():
        current = queries.open_theme_draft(theme)
        start = current.data if current is not None else theme_values(theme)
        changes = payload.model_dump(exclude_unset=True, exclude={"answers", "draft_token"})
        if payload.answers is not None:  # whole, with their defaults (band, English text)
            changes["answers"] = [answer.model_dump() for answer in payload.answers]
        values = validation.theme_values(theme, start, changes)
        token = token_of(request, payload.draft_token)
        draft = actions.save_theme_change(theme=theme, data=values, token=token, by=caller(request))
    return theme_draft_out(draft)
