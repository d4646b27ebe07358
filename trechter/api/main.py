"""The REST API: one NinjaAPI with a router per noun, its OpenAPI schema at /api/openapi.json
and Swagger UI at /api/docs. Every error is JSON {"detail": …} with its status code."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.parser import Parser

from trechter.api import actors, docs, funding, imports, proposals, themes, topics, versions
from trechter.api.validation import Invalid
from trechter.versions.actions import NEW_TOKEN, ConcurrentEdit, WorkflowError

DESCRIPTION = """The cooperation agenda as data: themes, proposals, organisations, people,
meetings, funding instruments and versions. Everyone reads the published agenda. Writes need a
personal token (`Authorization: Bearer <token>`, from *API tokens* in the web application or
`trechter token create`) and are checked against the same roles as the web pages; they go into
the draft of the open version, never straight into the published agenda. See docs/api.md."""


class ObjectParser(Parser):
    """Every request body of this API is a JSON object. Ninja would read a list or a string
    as an object with no fields (a PATCH that changes nothing); refuse it instead (400)."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")
        return data


api = NinjaAPI(
    title="Trechter API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url="/docs",
    docs=docs.LocalSwagger(),
    parser=ObjectParser(),
)
for module in (themes, proposals, actors, funding, versions, imports, topics):
    api.add_router("/", module.router)


@api.get("/docs/assets/{name}", include_in_schema=False, url_name="docs-asset")
def docs_asset(request: HttpRequest, name: str) -> FileResponse:
    return docs.docs_asset(request, name)


@api.exception_handler(Invalid)
def invalid(request: HttpRequest, error: Invalid) -> HttpResponse:
    return api.create_response(request, {"detail": error.errors}, status=422)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(error) or "Forbidden."}, status=403)


@api.exception_handler(ConcurrentEdit)
def conflict(request: HttpRequest, error: ConcurrentEdit) -> HttpResponse:
    token = error.current.token if error.current is not None else NEW_TOKEN
    body = {"detail": str(error), "draft_token": token, "current": error.theirs}
    return api.create_response(request, body, status=409)


@api.exception_handler(WorkflowError)
def workflow_refused(request: HttpRequest, error: WorkflowError) -> HttpResponse:
    """A step the workflow does not allow now (a version in review, no drafts to submit, …)."""
    return api.create_response(request, {"detail": str(error)}, status=409)
