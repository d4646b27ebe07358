"""Theme pages and the funnel of all themes: read-only, for everyone."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from trechter.agenda import funnel
from trechter.agenda.models import Theme
from trechter.pagecache import fragment_cache
from trechter.versions.queries import open_theme_draft


@require_GET
def theme_detail(request: HttpRequest, key: str) -> HttpResponse:
    """A theme as its chapter describes it, with its funnel, proposals, template answers and actors."""
    theme = get_object_or_404(Theme.objects.select_related("agenda"), key=key)
    language = get_language() or "nl"
    # Lazy: the page body is a cached fragment (keyed by the content stamp) and most
    # requests never need the dozen queries and the layout behind it.
    page = SimpleLazyObject(lambda: funnel.theme_page(key, language=language))
    # Its editors see that new texts are waiting; the page itself shows the published ones.
    draft = open_theme_draft(theme) if request.user.has_perm("agenda.edit_theme", theme) else None
    context = {"page": page, "theme": theme, "theme_draft": draft, "fragment": fragment_cache()}
    return render(request, "agenda/theme.html", context)


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
