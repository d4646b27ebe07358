"""Theme pages and the funnel of all themes: read-only, for everyone."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from trechter.agenda import funnel


@require_GET
def theme_detail(request: HttpRequest, key: str) -> HttpResponse:
    """A theme as its chapter describes it, with its funnel, proposals, template answers and actors."""
    page = funnel.theme_page(key, language=get_language() or "nl")
    if page is None:
        raise Http404
    return render(request, "agenda/theme.html", {"page": page, "theme": page.theme})


@require_GET
@vary_on_headers("HX-Request")  # the same URL answers htmx with the chart alone
def funnel_all(request: HttpRequest) -> HttpResponse:
    """One funnel across all themes (or the one in ?theme=) and a summary per theme.

    An htmx request from the theme filter gets only the chart partial back."""
    overview = funnel.funnel_overview(language=get_language() or "nl", theme_key=request.GET.get("theme") or None)
    if overview is None:
        raise Http404
    template = "agenda/funnel.html#chart" if getattr(request, "htmx", False) else "agenda/funnel.html"
    return render(request, template, {"overview": overview})
