"""The interactive API docs (Swagger UI) from the files django-ninja ships, served by the app
itself: no CDN, so the docs work offline and no third party sees who reads them.

Ninja renders its local template only when "ninja" is in INSTALLED_APPS and otherwise falls
back to a CDN; this page and its asset view do not depend on either."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from ninja.openapi.docs import Swagger

ASSETS_DIR = Path(ninja.__file__).parent / "static" / "ninja"
ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-init.js": "text/javascript",
    "favicon.svg": "image/svg+xml",
}
# The URLs carry ninja's version, so a long cache lifetime is safe across upgrades.
ASSET_MAX_AGE = 7 * 24 * 3600


class LocalSwagger(Swagger):
    template = "api/swagger.html"

    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        assets = {name.replace("-", "_").replace(".", "_"): _asset_url(name) for name in ASSETS}
        context = {"swagger_settings": self.settings, "api": api, "assets": assets}
        return render(request, self.template, context)


def _asset_url(name: str) -> str:
    return f"{reverse('api:docs-asset', kwargs={'name': name})}?v={ninja.__version__}"


def docs_asset(request: HttpRequest, name: str) -> FileResponse:
    """One of Swagger UI's files, from ninja's package; only the files the page uses."""
    if name not in ASSETS:
        raise Http404
    response = FileResponse((ASSETS_DIR / name).open("rb"), content_type=ASSETS[name])
    response["Cache-Control"] = f"public, max-age={ASSET_MAX_AGE}"
    return response
