"""The criteria list for (cross-theme) cooperation topics (Bijlage 3) and the seed's assessments against it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from trechter.assessment.queries import criteria_with_assessments


@require_GET
def criteria_list(request: HttpRequest) -> HttpResponse:
    """Bijlage 3 as its tree, then each assessment's findings in the same order."""
    tree, assessments = criteria_with_assessments()
    return render(request, "assessment/criteria.html", {"tree": tree, "assessments": assessments})
