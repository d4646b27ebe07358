"""The partner finder: who on the other side of the border fits a proposal or a description."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from trechter.partners import consortia, queries
from trechter.partners.forms import ConsortiumForm, PartnerSearchForm


@require_GET
def find(request: HttpRequest) -> HttpResponse:
    """The form, and with a valid query string the ranked partners with their reasons."""
    form = PartnerSearchForm(request.GET or None)
    result = None
    if form.is_valid():
        data = form.cleaned_data
        result = queries.search(_request(data))
    context = {"form": form, "result": result, "status": queries.status()}
    return render(request, "partners/find.html", context)


@require_GET
def build_consortium(request: HttpRequest) -> HttpResponse:
    """The consortium builder: the best teams under the demands, or why there is none."""
    form = ConsortiumForm(request.GET or None, initial={"need_company": True, "need_knowledge": True})
    outcome = None
    if form.is_valid():
        data = form.cleaned_data
        outcome = consortia.build(_request(data), consortia.requirements_of(data), data["alternatives"])
    context: dict[str, Any] = {
        "form": form,
        "outcome": outcome,
        "status": queries.status(),
        "levels": range(1, 10),
        "role_names": consortia.ROLE_NAMES,
        "side_names": list(consortia.SIDE_NAMES.items()),
    }
    if outcome is not None and outcome.explanation is not None:
        context["problems"] = [consortia.describe_problem(p, outcome.records) for p in outcome.explanation.problems]
        context["relaxations"] = [
            ([consortia.describe_change(c, outcome.records) for c in r.changes], r)
            for r in outcome.explanation.relaxations
        ]
    return render(request, "partners/consortium.html", context)


def _request(data: dict[str, Any]) -> queries.Request:
    return queries.Request(
        proposal=data["proposal"],
        text=data["text"],
        theme=data["theme"],
        trl=(data["trl_from"], data["trl_to"]),
        side=data.get("side") or "VL",
        roles=tuple(data.get("roles") or ()),
        partners=tuple(data["partners"]),
    )
