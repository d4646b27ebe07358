"""Input of the write endpoints, validated by the same forms as the web pages (the model's
rules and constraints included), so the API accepts exactly what the edit pages accept.
Errors come back as a 422 whose `loc` names the field, like ninja's own validation errors."""

from __future__ import annotations

from typing import Any, cast

from django.forms import BaseForm
from django.utils.translation import get_language

from trechter.agenda.forms import AnswerForm, BasePartyFormSet, PartyFormSet, ProposalForm, ThemeForm
from trechter.agenda.models import FunnelQuestion, Proposal, Theme
from trechter.versions.snapshot import PROPOSAL_FIELDS, THEME_FIELDS

FORM_TOKEN = "api"  # noqa: S105 — not a secret: fills the forms' required hidden field; the API checks its own


class Invalid(Exception):
    """Input the forms refused; `errors` as ninja reports them: [{loc, msg, type}]."""

    def __init__(self, errors: list[dict[str, Any]]):
        super().__init__("invalid input")
        self.errors = errors


# Which field a refused database constraint is about: the model reports those for the whole
# form, the API names the field to fix.
CONSTRAINT_FIELDS = {
    "proposal_trl_both_or_neither": "trl_to",
    "proposal_trl_bounds": "trl_from",
    "proposal_trl_ordered": "trl_to",
    "proposal_budget_per_year_ordered": "budget_per_year_max_eur",
    "proposal_budget_total_ordered": "budget_total_max_eur",
    "proposal_budget_per_year_has_years": "budget_years",
    "proposal_planned_start_format": "planned_start",
}


def _constraint_fields() -> dict[str, str]:
    """Constraint message (in the current language) → field."""
    return {
        str(constraint.violation_error_message): CONSTRAINT_FIELDS[constraint.name]
        for constraint in Proposal._meta.constraints
        if constraint.name in CONSTRAINT_FIELDS
    }


def form_errors(form: BaseForm, *loc: str | int) -> list[dict[str, Any]]:
    """The form's errors, each with a `loc` naming its field (after `loc`, for rows)."""
    fields = _constraint_fields() if "__all__" in form.errors else {}
    errors = []
    for name, messages in form.errors.items():
        for message in messages:
            field = fields.get(str(message)) if name == "__all__" else name
            errors.append(
                {"loc": ["body", *loc, *([field] if field else [])], "msg": str(message), "type": "value_error"}
            )
    return errors


def proposal_values(instance: Proposal, start: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """The draft values of a proposal: `start` (the published or drafted values) with
    `changes` (the fields the client sent) over them, checked by ProposalForm and the party
    forms. `instance` is a throw-away copy: validation never touches the published row."""
    merged = {name: changes.get(name, start.get(name)) for name in PROPOSAL_FIELDS}
    form = ProposalForm(data={**merged, "token": FORM_TOKEN}, instance=instance)
    errors = [] if form.is_valid() else form_errors(form)
    values = form.values() if not errors else {}
    if changes.get("parties") is not None:
        parties, party_errors = _parties(changes["parties"])
        errors += party_errors
        values["parties"] = parties
    if errors:
        raise Invalid(errors)
    return values


def _parties(rows: list[dict[str, Any]]) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
    # A row without organisation is one the web form skips as left empty; here it is a mistake.
    errors: list[dict[str, Any]] = [
        {"loc": ["body", "parties", n, "organisation"], "msg": "This field is required.", "type": "missing"}
        for n, row in enumerate(rows)
        if not str(row.get("organisation", "")).strip()
    ]
    data: dict[str, Any] = {"parties-TOTAL_FORMS": len(rows), "parties-INITIAL_FORMS": 0}
    for n, row in enumerate(rows):
        data |= {f"parties-{n}-{name}": row.get(name, "") for name in ("organisation", "role", "note")}
    formset = cast(BasePartyFormSet, PartyFormSet(data, prefix="parties"))
    if formset.is_valid() and not errors:
        return formset.values(), []
    errors += [error for n, form in enumerate(formset.forms) for error in form_errors(form, "parties", n)]
    errors += [{"loc": ["body", "parties"], "msg": str(m), "type": "value_error"} for m in formset.non_form_errors()]
    return [], errors


def theme_values(theme: Theme, start: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """The draft values of a theme's texts and, when sent, its funnel answers."""
    merged = {name: changes.get(name, start.get(name)) for name in THEME_FIELDS}
    instance = Theme.objects.get(pk=theme.pk)  # throw-away copy
    form = ThemeForm(data={**merged, "token": FORM_TOKEN}, instance=instance)
    errors = [] if form.is_valid() else form_errors(form)
    values = form.values() if not errors else {}
    if changes.get("answers") is not None:
        questions = [(q.key, q.text_en if get_language() == "en" else q.text_nl) for q in FunnelQuestion.objects.all()]
        answers = []
        for n, row in enumerate(changes["answers"]):
            answer = AnswerForm(data=row, questions=questions)
            if answer.is_valid():
                answers.append({name: answer.cleaned_data[name] for name in ("question", "band", "text_nl", "text_en")})
            errors += form_errors(answer, "answers", n)
        values["answers"] = answers
    if errors:
        raise Invalid(errors)
    return values
