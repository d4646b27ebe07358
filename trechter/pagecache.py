"""Whole-page cache for anonymous visitors: public pages only change when content does.

A page is cached when a visitor without a session asks for it with GET and it answers
200 HTML without setting a cookie (a page that hands out a CSRF token sets one, so forms
are never served from the cache). The key holds the content stamp, which changes with
every change to content (trechter.versions.stamps), so no page outlives the content it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from trechter.versions import stamps

HEADER = "X-Page-Cache"
UNCACHED_HEADERS = {"date", "set-cookie", HEADER.lower()}


class PublicPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._cacheable_request(request):
            return self.get_response(request)
        request.get_host()  # refuses a Host header outside ALLOWED_HOSTS, as CommonMiddleware would
        key = f"page:{stamps.current()}:{request.get_full_path()}"
        hit = cache.get(key)
        if hit is not None:
            content, headers = hit
            response = HttpResponse(content)
            for name, value in headers:  # security headers too (X-Frame-Options, …)
                response[name] = value
            response[HEADER] = "hit"
            return response
        response = self.get_response(request)
        if self._cacheable_response(response):
            headers = [(name, value) for name, value in response.items() if name.lower() not in UNCACHED_HEADERS]
            cache.set(key, (response.content, headers), settings.PAGE_CACHE_SECONDS)
            response[HEADER] = "miss"
        return response

    @staticmethod
    def _cacheable_request(request: HttpRequest) -> bool:
        return (
            settings.PAGE_CACHE
            and request.method == "GET"
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES  # a pending message belongs on this one page
            and "HX-Request" not in request.headers
        )

    @staticmethod
    def _cacheable_response(response: HttpResponse) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and response.get("Content-Type", "").startswith("text/html")
        )


@dataclass(frozen=True)
class FragmentCache:
    """What a template's {% cache %} tag needs: a lifetime (0 = off) and the content stamp."""

    seconds: int
    stamp: str


def fragment_cache() -> FragmentCache:
    """For parts of pages that signed-in users see too: the same stamp rule as whole pages."""
    if not settings.PAGE_CACHE:
        return FragmentCache(0, "off")
    return FragmentCache(settings.PAGE_CACHE_SECONDS, stamps.current())
