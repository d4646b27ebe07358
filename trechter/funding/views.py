"""Funding instruments on the web: the list, one instrument with its rules and the proposals it
fits, and the rules editor (core group)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from trechter.analytics import eligibility
from trechter.funding import actions, advice
from trechter.funding.forms import RulesForm
from trechter.funding.models import Instrument


@require_GET
def instrument_list(request: HttpRequest) -> HttpResponse:
    """Every instrument with its level, TRL range and rules in words."""
    english = (get_language() or "nl").startswith("en")
    instruments = sorted(Instrument.objects.all(), key=lambda i: ((english and i.name_en) or i.name).casefold())
    rows = [(i, advice.trl_range(i), [advice.describe_rule(r) for r in i.rules]) for i in instruments]
    context = {"rows": rows, "with_rules": sum(1 for i in instruments if i.rules)}
    return render(request, "funding/instrument_list.html", context)


@require_GET
def instrument_detail(request: HttpRequest, key: str) -> HttpResponse:
    """One instrument: what it is, its rules in words, and every proposal held against them."""
    instrument = Instrument.objects.filter(key=key).first()
    if instrument is None:
        raise Http404
    held = advice.held_against(instrument)
    uses = instrument.proposals.select_related("proposal").order_by("proposal__key")
    context = {
        "instrument": instrument,
        "trl": advice.trl_range(instrument),
        "rules": [advice.describe_rule(rule) for rule in instrument.rules],
        "held": held,
        "groups": [
            (_("May fit"), held.unknown, eligibility.UNKNOWN),
            (_("Does not fit"), held.fails, eligibility.FAILS),
        ],
        "uses": uses,
        "can_edit": request.user.has_perm("funding.edit_rules"),
    }
    return render(request, "funding/instrument_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def instrument_rules(request: HttpRequest, key: str) -> HttpResponse:
    """The rules editor: JSON checked rule by rule, the error naming the rule's field; a save
    that did not start from the current rules is refused."""
    if not request.user.has_perm("funding.edit_rules"):
        raise PermissionDenied
    instrument = Instrument.objects.filter(key=key).first()
    if instrument is None:
        raise Http404
    initial = {
        "rules": json.dumps(instrument.rules, indent=2, ensure_ascii=False),
        "rules_note": instrument.rules_note,
        "token": actions.rules_token(instrument),
    }
    form = RulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_rules(
                instrument=instrument,
                rules=form.cleaned_data["rules"],
                rules_note=form.cleaned_data["rules_note"],
                token=form.cleaned_data["token"],
                by=request.user,
            )
        except actions.RulesChanged as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The rules were saved."))
            return redirect("instrument", key=instrument.key)
    examples = [(json.dumps(rule, ensure_ascii=False), advice.describe_rule(rule)) for rule in EXAMPLES]
    context = {"form": form, "instrument": instrument, "examples": examples}
    return render(request, "funding/instrument_rules.html", context)


EXAMPLES: list[dict[str, Any]] = [  # one rule of each kind, as the editor's reference shows them
    {"kind": "trl", "trl_from": 4, "trl_to": 6},
    {"kind": "sides", "required": ["NL", "VL"], "company_on_each": False},
    {"kind": "countries", "min_count": 3, "allowed": []},
    {"kind": "partner_types", "required": ["company", "knowledge"]},
    {"kind": "lead_type", "allowed": ["sme", "startup"]},
    {"kind": "budget", "min_eur": 1000000, "max_eur": 2000000},
    {"kind": "region", "allowed": ["Limburg", "Noord-Brabant"], "side": "NL"},
    {"kind": "call", "opens_on": "2027-01-15", "closes_on": "2027-04-30"},
    {"kind": "funding_rate", "max_rate": 0.5},
    {"kind": "co_financing", "required": True},
]
