"""Proposal pages: the published page, its draft, editing, proposing, removal, history and
comments. Edits never touch the published proposal; they go into the open version's draft."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trechter.actors.models import Organisation
from trechter.agenda.forms import CommentForm, PartyFormSet, ProposalForm
from trechter.agenda.models import Agenda, Proposal, Theme
from trechter.funding import advice
from trechter.versions import actions, queries
from trechter.versions.models import Comment, Draft
from trechter.versions.snapshot import PROPOSAL_FIELDS, party_values

PARTIES_PREFIX = "parties"


def _published(key: str) -> Proposal | None:
    return Proposal.objects.select_related("theme__agenda", "sub_priority", "parent").filter(key=key).first()


def _draft_of(key: str) -> Draft | None:
    agenda = Agenda.objects.order_by("-presented_on").first()
    return actions.current_draft(key, agenda=agenda) if agenda else None


def _require(request: HttpRequest, permission: str, obj: Any) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied(_("Your role does not allow this."))


def _comments(proposal: Proposal) -> list[Comment]:
    return list(proposal.comments.select_related("author"))


@require_GET
def detail(request: HttpRequest, key: str) -> HttpResponse:
    """The published proposal; editors also see that a draft is waiting."""
    proposal = _published(key)
    draft = _draft_of(key)
    can_see_draft = draft is not None and request.user.has_perm("versions.edit_draft", draft)
    if proposal is None:
        if can_see_draft:
            return redirect("proposal-draft", key=key)
        raise Http404
    parties = proposal.parties.select_related("organisation").order_by("role", "organisation__name")
    context = {
        "proposal": proposal,
        "parties": parties,
        "instruments": proposal.instruments.select_related("instrument"),
        "children": proposal.children.order_by("key"),
        "other_themes": proposal.other_themes.all(),
        "draft": draft if can_see_draft else None,
        "can_edit": request.user.has_perm("agenda.edit_proposal", proposal),
        "can_comment": request.user.has_perm("agenda.comment_proposal", proposal),
        "comments": _comments(proposal) if request.user.has_perm("agenda.comment_proposal", proposal) else [],
        "comment_form": CommentForm(),
        "advice": advice.advise(proposal),
    }
    return render(request, "agenda/proposal_detail.html", context)


@login_required
@require_GET
def draft(request: HttpRequest, key: str) -> HttpResponse:
    """The draft next to the published text, field by field."""
    current = _draft_of(key)
    if current is None:
        messages.info(request, _("There is no draft of this proposal; this is the published text."))
        return redirect("proposal", key=key)
    _require(request, "versions.edit_draft", current)
    context = {"draft": current, "changes": queries.draft_changes(current), "published": _published(key)}
    return render(request, "agenda/proposal_draft.html", context)


@dataclass
class EditForms:
    """The proposal form and its parties formset, validated and read together. A POST
    without the parties' management form (a client that only edits fields) leaves the
    parties as they are."""

    form: ProposalForm
    parties: Any  # PartyFormSet, or None when the POST did not include it

    def is_valid(self) -> bool:
        return self.form.is_valid() and (self.parties is None or self.parties.is_valid())

    def values(self) -> dict[str, Any]:
        values = self.form.values()
        if self.parties is not None:
            values["parties"] = self.parties.values()
        return values


def _forms_for(request: HttpRequest, proposal: Proposal | None, theme: Theme, current: Draft | None) -> EditForms:
    """Forms on a throw-away instance: validating them must never touch the published row."""
    instance = Proposal(theme=theme) if proposal is None else Proposal.objects.get(pk=proposal.pk)
    parties = party_values(proposal) if proposal is not None else []
    if current is not None and current.operation != "remove":
        for name in PROPOSAL_FIELDS:
            setattr(instance, name, current.data.get(name))
        parties = current.data.get("parties", parties)
    if request.method == "POST":
        has_parties = f"{PARTIES_PREFIX}-TOTAL_FORMS" in request.POST
        formset = PartyFormSet(request.POST, prefix=PARTIES_PREFIX) if has_parties else None
        return EditForms(ProposalForm(request.POST, instance=instance), formset)
    names = dict(Organisation.objects.filter(key__in=[p["organisation"] for p in parties]).values_list("key", "name"))
    initial = [{**p, "organisation": names.get(p["organisation"], p["organisation"])} for p in parties]
    token = current.token if current is not None else actions.NEW_TOKEN
    return EditForms(
        ProposalForm(instance=instance, initial={"token": token}),
        PartyFormSet(initial=initial, prefix=PARTIES_PREFIX),
    )


def _conflict_rows(forms: EditForms, theirs: dict[str, Any]) -> list[dict[str, Any]]:
    """Fields where the other person's saved value differs from what this user typed."""
    mine = forms.values()
    rows = [
        {"field": forms.form[name].label, "theirs": theirs.get(name), "mine": mine.get(name)}
        for name in PROPOSAL_FIELDS
        if name in theirs and theirs.get(name) != mine.get(name)
    ]
    if "parties" in theirs and "parties" in mine and theirs["parties"] != mine["parties"]:
        show = lambda parties: "; ".join(f"{p['organisation']} ({p['role']})" for p in parties)  # noqa: E731
        rows.append({"field": _("Parties"), "theirs": show(theirs["parties"]), "mine": show(mine["parties"])})
    return rows


def _save_forms(request: HttpRequest, forms: EditForms, save: Any) -> tuple[Draft | None, dict[str, Any]]:
    """Run `save` (an action) with the forms' values; on refusal keep the forms as typed."""
    try:
        return save(data=forms.values(), token=forms.form.cleaned_data["token"], by=request.user), {}
    except actions.ConcurrentEdit as conflict:
        data = forms.form.data.copy()  # type: ignore[attr-defined]  # a QueryDict: POST data is immutable
        data["token"] = conflict.current.token if conflict.current else actions.NEW_TOKEN
        forms.form.data = data
        return None, {"conflict": str(conflict), "conflict_rows": _conflict_rows(forms, conflict.theirs)}
    except actions.WorkflowError as error:
        forms.form.add_error(None, str(error))
        return None, {}


def _render_form(request: HttpRequest, forms: EditForms, context: dict[str, Any], status: int = 200) -> HttpResponse:
    organisations = Organisation.objects.order_by("name").values_list("key", "name")
    context |= {"form": forms.form, "parties": forms.parties, "organisations": organisations}
    return render(request, "agenda/proposal_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, key: str) -> HttpResponse:
    """Edit a proposal (or a proposed one) into the draft of the open version."""
    proposal, current = _published(key), _draft_of(key)
    if proposal is None and (current is None or current.operation != "add"):
        raise Http404
    if proposal is not None:
        _require(request, "agenda.edit_proposal", proposal)
        theme = proposal.theme
    else:
        assert current is not None
        _require(request, "versions.edit_draft", current)
        theme = current.theme
    forms = _forms_for(request, proposal, theme, current)
    extra: dict[str, Any] = {}
    if request.method == "POST" and forms.is_valid():
        if proposal is not None:
            saved, extra = _save_forms(request, forms, lambda **kw: actions.save_change(proposal=proposal, **kw))
        else:
            saved, extra = _save_forms(request, forms, lambda **kw: actions.save_addition(theme=theme, key=key, **kw))
        if saved is not None:
            messages.success(request, _("Saved in the draft. The public page is unchanged until publication."))
            return redirect("proposal-draft", key=saved.proposal_key)
    context = {"proposal": proposal, "theme": theme, "draft": current, **extra}
    return _render_form(request, forms, context, status=409 if extra.get("conflict") else 200)


@login_required
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, key: str) -> HttpResponse:
    """A member proposes a new proposal in a theme; it is published with the next version."""
    theme = get_object_or_404(Theme.objects.select_related("agenda"), key=key)
    _require(request, "agenda.propose_in_theme", theme)
    forms = _forms_for(request, None, theme, None)
    extra: dict[str, Any] = {}
    if request.method == "POST" and forms.is_valid():
        saved, extra = _save_forms(request, forms, lambda **kw: actions.save_addition(theme=theme, **kw))
        if saved is not None:
            messages.success(request, _("Your proposal is saved as a draft for the next version."))
            return redirect("proposal-draft", key=saved.proposal_key)
    context = {"theme": theme, "is_new": True, **extra}
    return _render_form(request, forms, context, status=409 if extra.get("conflict") else 200)


@login_required
@require_POST
def remove(request: HttpRequest, key: str) -> HttpResponse:
    """Mark a proposal for removal at the next publication."""
    proposal = get_object_or_404(Proposal.objects.select_related("theme__agenda"), key=key)
    _require(request, "agenda.edit_proposal", proposal)
    try:
        actions.save_removal(proposal=proposal, token=request.POST.get("token", ""), by=request.user)
    except actions.WorkflowError as error:
        messages.error(request, str(error))
        return redirect("proposal", key=key)
    messages.success(request, _("Marked for removal in the draft. The proposal stays public until publication."))
    return redirect("proposal-draft", key=key)


@login_required
@require_POST
def discard(request: HttpRequest, key: str) -> HttpResponse:
    current = _draft_of(key)
    if current is None:
        raise Http404
    _require(request, "versions.edit_draft", current)
    try:
        actions.discard_draft(draft=current, token=request.POST.get("token", ""), by=request.user)
    except actions.WorkflowError as error:
        messages.error(request, str(error))
        return redirect("proposal-draft", key=key)
    messages.success(request, _("Draft discarded."))
    return redirect("proposal", key=key) if _published(key) else redirect("theme", key=current.theme.key)


@login_required
@require_GET
def history(request: HttpRequest, key: str) -> HttpResponse:
    """Who changed what and when: published changes and draft saves."""
    proposal = _published(key)
    entries = queries.proposal_history(key, proposal)
    if proposal is None and not entries:
        raise Http404
    _require(request, "agenda.view_history", proposal)
    context = {"proposal": proposal, "key": key, "entries": entries}
    return render(request, "agenda/proposal_history.html", context)


@login_required
@require_POST
def comment(request: HttpRequest, key: str) -> HttpResponse:
    """Add a comment; htmx swaps in the refreshed list, a plain POST redirects back."""
    proposal = get_object_or_404(Proposal, key=key)
    _require(request, "agenda.comment_proposal", proposal)
    form = CommentForm(request.POST)
    if form.is_valid():
        actions.add_comment(proposal=proposal, text=form.cleaned_data["text"], by=request.user)
        form = CommentForm()
    context = {"proposal": proposal, "comments": _comments(proposal), "comment_form": form, "can_comment": True}
    if getattr(request, "htmx", False):
        return render(request, "agenda/proposal_detail.html#comments", context)
    for error in form.errors.get("text", []):  # without htmx the form is gone after the redirect
        messages.error(request, f"{form['text'].label}: {error}")
    return redirect("proposal", key=key)
