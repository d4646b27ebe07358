"""The partner finder: who on the other side of the border fits a proposal or a description."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from trechter.agenda.models import Theme
from trechter.partners import queries
from trechter.partners.forms import PartnerSearchForm


@require_GET
def find(request: HttpRequest) -> HttpResponse:
    """The form, and with a valid query string the ranked partners with their reasons."""
    form = PartnerSearchForm(request.GET or None)
    result = None
    if form.is_valid():
        data = form.cleaned_data
        result = queries.search(
            proposal=data["proposal"],
            text=data["text"],
            theme=data["theme"],
            trl=(data["trl_from"], data["trl_to"]),
            side=data["side"],
            roles=data["roles"],
            partners=list(data["partners"]),
        )
    theme_names = {t.key: t.name_en if get_language() == "en" and t.name_en else t.name_nl for t in Theme.objects.all()}
    context = {"form": form, "result": result, "status": queries.status(), "theme_names": theme_names}
    return render(request, "partners/find.html", context)
