"""The search page across themes, proposals, organisations and activities."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET
from django_htmx.http import push_url
from django_htmx.middleware import HtmxDetails

from trechter.search import queries
from trechter.search.forms import SearchForm


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@require_GET
def search(request: HtmxHttpRequest) -> HttpResponse:
    """Results for the query string, which holds the whole search so a URL can be shared.

    htmx requests (typing, changing a filter) get only the results partial; restoring
    history needs the whole page. Invalid parameters are reported and left out, with a 200:
    htmx does not swap error responses into the page."""
    options = queries.filter_options()
    form = SearchForm(request.GET, options=options)
    page = queries.search(form.query(), filters=form.filters(), options=options)
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "search/search.html#results", {"form": form, "page": page})
        push_url(response, _shareable_url(request))
    else:
        response = render(request, "search/search.html", {"form": form, "page": page})
    patch_vary_headers(response, ["HX-Request"])  # one URL, two answers: keep caches apart
    return response


def _shareable_url(request: HttpRequest) -> str:
    """The URL without the filters left at "all", for the browser's address bar."""
    kept = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        if any(values):
            kept.setlist(name, [value for value in values if value])
    return f"{request.path}?{kept.urlencode()}" if kept else request.path
