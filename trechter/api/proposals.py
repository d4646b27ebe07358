"""Proposals: the published list and pages, drafts of additions, changes and removals, and
comments. Every write goes through trechter.versions.actions into the open version."""

from typing import Any, Literal

from django.db import transaction
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest
from django.utils import translation
from ninja import Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from trechter.agenda.forms import CommentForm
from trechter.agenda.models import Party, Proposal, Theme
from trechter.api import validation
from trechter.api.auth import READ_AUTH, token_auth
from trechter.api.common import Mapped, caller, current_agenda, draft_out, organisation_ref, require, token_of
from trechter.api.schemas import (
    AdviceOut,
    Band,
    CommentIn,
    CommentOut,
    Conflict,
    Detail,
    DraftOut,
    ProposalDetail,
    ProposalFieldsIn,
    ProposalIn,
    ProposalItem,
)
from trechter.funding import advice
from trechter.search.queries import TRL_BANDS
from trechter.versions import actions
from trechter.versions.snapshot import PROPOSAL_FIELDS, proposal_values

router = Router(tags=["proposals"])
WRITE_ERRORS: dict[int, Any] = {401: Detail, 403: Detail, 404: Detail, 409: Conflict | Detail, 422: Detail}


class ProposalFilters(Schema):
    theme: str | None = None
    kind: Literal["cooperation", "project"] | None = None
    status: Literal["idea", "proposed", "in_preparation", "submitted", "running", "completed", "withdrawn"] | None = (
        None
    )
    trl: Band | None = None
    side: Literal["NL", "VL", "BE_OTHER", "OTHER"] | None = None
    organisation: str | None = None

    def apply(self, found: QuerySet[Proposal]) -> QuerySet[Proposal]:
        """Filters as on the search page: a TRL band matches proposals overlapping it; side and
        organisation match a party. Subqueries on parties keep every proposal once."""
        if self.theme:
            found = found.filter(theme__key=self.theme)
        if self.kind:
            found = found.filter(kind=self.kind)
        if self.status:
            found = found.filter(status=self.status)
        if self.trl:
            low, high = TRL_BANDS[self.trl]
            found = found.filter(trl_from__lte=high, trl_to__gte=low)
        if self.side:
            found = found.filter(pk__in=Party.objects.filter(organisation__side=self.side).values("proposal_id"))
        if self.organisation:
            found = found.filter(pk__in=Party.objects.filter(organisation__key=self.organisation).values("proposal_id"))
        return found


def ordered(found: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """The overview's order; NULLs placed explicitly so SQLite and PostgreSQL agree."""
    return found.order_by("theme__order", "kind", F("overview_order").asc(nulls_last=True), "key")


def _item(proposal: Proposal) -> dict[str, Any]:
    return {
        "key": proposal.key,
        "theme": proposal.theme.key,
        "parent": proposal.parent.key if proposal.parent else None,
        **{name: getattr(proposal, name) for name in ("kind", "status", "title_nl", "title_en", "trl_from", "trl_to")},
    }


@router.get("/proposals", response=list[ProposalItem], auth=READ_AUTH, summary="Published proposals, filtered")
@paginate(LimitOffsetPagination)
def proposal_list(request: HttpRequest, filters: Query[ProposalFilters]) -> list[dict[str, Any]]:
    found = ordered(filters.apply(Proposal.objects.select_related("theme", "parent")))
    return Mapped(found, _item)  # type: ignore[return-value]


def _published(key: str) -> Proposal | None:
    return Proposal.objects.select_related("theme__agenda", "parent", "sub_priority").filter(key=key).first()


def _detail(proposal: Proposal) -> dict[str, Any]:
    parties = proposal.parties.select_related("organisation").order_by("role", "organisation__name", "pk")
    instruments = proposal.instruments.select_related("instrument").order_by("instrument__key")
    return {
        **_item(proposal),
        **{name: getattr(proposal, name) for name in (*PROPOSAL_FIELDS, "budget_text_nl", "source")},
        "other_themes": list(proposal.other_themes.order_by("order").values_list("key", flat=True)),
        "sub_priority": proposal.sub_priority.key if proposal.sub_priority else None,
        "children": list(proposal.children.order_by("key").values_list("key", flat=True)),
        "parties": [
            {"organisation": organisation_ref(party.organisation), "role": party.role, "note": party.note}
            for party in parties
        ],
        "instruments": [
            {
                "instrument": {"key": pi.instrument.key, "name": pi.instrument.name, "acronym": pi.instrument.acronym},
                "state": pi.state,
                "note": pi.note,
            }
            for pi in instruments
        ],
    }


@router.get(
    "/proposals/{key}",
    response={200: ProposalDetail | DraftOut, 401: Detail, 403: Detail, 404: Detail},
    auth=READ_AUTH,
    summary="A published proposal with its parties and funding instruments",
)
def proposal_detail(request: HttpRequest, key: str, version: Literal["published", "draft"] = "published") -> Any:
    """`?version=draft` gives the proposal's draft in the open version: for editors (theme
    leads, core group, admins) and for the member who proposed a new proposal."""
    if version == "draft":
        draft = actions.current_draft(key, agenda=current_agenda())
        user = caller(request)
        if not (user.has_perm("agenda.view_drafts") or (draft and user.has_perm("versions.edit_draft", draft))):
            require(request, "agenda.view_drafts")  # 401 for visitors, 403 for others
        if draft is None:
            raise Http404(f"Proposal '{key}' has no draft.")
        return draft_out(draft)
    proposal = _published(key)
    if proposal is None:
        raise Http404(f"No proposal '{key}'.")
    return _detail(proposal)


@router.get(
    "/proposals/{key}/funding-advice",
    response={200: list[AdviceOut], 404: Detail},
    auth=READ_AUTH,
    summary="Which funding instrument fits a published proposal",
)
def proposal_funding_advice(request: HttpRequest, key: str, lang: Literal["nl", "en"] = "en") -> Any:
    """Every instrument with eligibility rules held against the proposal: fits, does not fit or
    unknown, each rule's outcome as a code with parameters and in words (`lang`), and what
    would make a failing rule fit. Fitting instruments first."""
    proposal = Proposal.objects.prefetch_related("parties__organisation", "instruments").filter(key=key).first()
    if proposal is None:
        raise Http404(f"No proposal '{key}'.")
    with translation.override(lang):
        return [advice.as_data(found) for found in advice.advise(proposal)]


@router.post(
    "/proposals",
    response={201: DraftOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Propose a new proposal in a theme (a draft of the open version)",
)
def proposal_create(request: HttpRequest, payload: ProposalIn) -> Any:
    """Any member may propose; it is published with the next version. `kind` and `title_nl`
    are required; `status` defaults to "proposed"."""
    theme = Theme.objects.select_related("agenda").filter(key=payload.theme).first()
    if theme is None:
        raise validation.Invalid([{"loc": ["body", "theme"], "msg": "Unknown theme.", "type": "value_error"}])
    require(request, "agenda.propose_in_theme", theme)
    with transaction.atomic():
        start = proposal_values(Proposal(theme=theme))  # the model's defaults
        values = validation.proposal_values(Proposal(theme=theme), start, _changes(payload))
        draft = actions.save_addition(theme=theme, data=values, token=actions.NEW_TOKEN, by=caller(request))
    return Status(201, draft_out(draft))


def _changes(payload: ProposalFieldsIn) -> dict[str, Any]:
    """The fields the client sent; parties whole, with their defaults (role, note)."""
    changes = payload.model_dump(exclude_unset=True, exclude={"draft_token", "theme", "parties"})
    if payload.parties is not None:
        changes["parties"] = [party.model_dump() for party in payload.parties]
    return changes


@router.patch(
    "/proposals/{key}",
    response={200: DraftOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Change a proposal in the draft of the open version",
)
def proposal_patch(request: HttpRequest, key: str, payload: ProposalFieldsIn) -> Any:
    """Fields left out keep their (drafted) value; `parties`, when sent, replaces them all.
    Send the draft's token (`draft_token` or If-Match) when a draft exists; a stale token is
    a 409 with the values saved since. Theme leads of its theme, core group, admins; the
    member who proposed a new proposal may edit it until it is published."""
    proposal, current = _published(key), actions.current_draft(key, agenda=current_agenda())
    token = token_of(request, payload.draft_token)
    with transaction.atomic():
        if proposal is not None:
            require(request, "agenda.edit_proposal", proposal)
            instance = Proposal.objects.get(pk=proposal.pk)  # throw-away copy for validation
            start = current.data if current is not None and current.operation != "remove" else proposal_values(proposal)
            values = validation.proposal_values(instance, start, _changes(payload))
            draft = actions.save_change(proposal=proposal, data=values, token=token, by=caller(request))
        elif current is not None and current.operation == "add":
            require(request, "versions.edit_draft", current)
            values = validation.proposal_values(Proposal(theme=current.theme), current.data, _changes(payload))
            draft = actions.save_addition(theme=current.theme, key=key, data=values, token=token, by=caller(request))
        else:
            raise Http404(f"No proposal '{key}'.")
    return draft_out(draft)


@router.delete(
    "/proposals/{key}",
    response={200: DraftOut, 204: None, **WRITE_ERRORS},
    auth=token_auth,
    summary="Remove a proposal at the next publication (or drop a proposed one)",
)
def proposal_delete(request: HttpRequest, key: str, draft_token: str | None = None) -> Any:
    """A published proposal is marked for removal in the draft (200, the draft). A proposed
    one that was never published has its draft discarded (204)."""
    proposal, current = _published(key), actions.current_draft(key, agenda=current_agenda())
    token = token_of(request, draft_token)
    if proposal is not None:
        require(request, "agenda.edit_proposal", proposal)
        return Status(200, draft_out(actions.save_removal(proposal=proposal, token=token, by=caller(request))))
    if current is not None and current.operation == "add":
        require(request, "versions.edit_draft", current)
        actions.discard_draft(draft=current, token=token, by=caller(request))
        return Status(204, None)
    raise Http404(f"No proposal '{key}'.")


@router.post(
    "/proposals/{key}/comments",
    response={201: CommentOut, 401: Detail, 403: Detail, 404: Detail, 422: Detail},
    auth=token_auth,
    summary="Comment on a published proposal",
)
def proposal_comment(request: HttpRequest, key: str, payload: CommentIn) -> Any:
    proposal = _published(key)
    if proposal is None:
        raise Http404(f"No proposal '{key}'.")
    require(request, "agenda.comment_proposal", proposal)
    form = CommentForm(data={"text": payload.text})
    if not form.is_valid():
        raise validation.Invalid(validation.form_errors(form))
    comment = actions.add_comment(proposal=proposal, text=form.cleaned_data["text"], by=caller(request))
    author = caller(request).get_username()
    return Status(201, {"proposal": key, "author": author, "text": comment.text, "created_at": comment.created_at})
