"""POST /api/imports: an XLSX, CSV or JSON file (the exports' formats) into drafts, through
the same importer as the web's import page (trechter/exchange/importer.py): everything is
checked first, every problem names its sheet, row and column (or JSON path), and nothing is
written unless the whole file is valid."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Status
from ninja.errors import AuthenticationError

from trechter.agenda.models import Theme
from trechter.api.auth import token_auth
from trechter.api.common import caller
from trechter.exchange import importer, reading
from trechter.exchange.parsing import Problem

router = Router(tags=["imports"])

REQUEST_BODY = {
    "requestBody": {
        "required": True,
        "description": "The file: a JSON body (the agenda document of /<lang>/data/agenda.json, or the "
        "same in the seed format), or multipart/form-data with a `file` field (.xlsx, .csv or .json).",
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
    }
}


def _problems(problems: list[Problem]) -> list[dict[str, Any]]:
    return [dataclasses.asdict(p) for p in problems]


def _upload(request: HttpRequest) -> tuple[str, bytes] | str:
    """The uploaded file's name and bytes, or why there is none. The size is checked before
    the body is read (Django would read it into memory first)."""
    limit = settings.IMPORT_MAX_BYTES
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > limit + 64 * 1024:  # multipart framing on top of the file itself
        return f"The request is {length} bytes; at most {limit} can be imported."
    content_type = request.content_type or ""
    if content_type == "application/json":
        return "upload.json", request.body
    if content_type == "multipart/form-data":
        file = request.FILES.get("file")
        if file is None:
            return "Send the file in a multipart field named 'file'."
        return file.name or "upload", file.read(limit + 1)
    return "Send application/json or multipart/form-data with a 'file' field."


@router.post(
    "/imports",
    auth=token_auth,
    summary="Import a file into drafts (?dry_run=true only checks it)",
    openapi_extra=REQUEST_BODY,
    response={200: dict[str, Any], 401: dict[str, Any], 413: dict[str, Any], 422: dict[str, Any]},
)
def import_file(request: HttpRequest, dry_run: bool = False, theme: str | None = None) -> Any:
    """Checks every row against the published agenda and the caller's roles. With errors:
    422 and every problem (sheet, row, column letter, header, JSON path, message, suggested
    organisations); nothing is written. Without: the planned changes, saved as drafts of
    the open version unless `dry_run`. `theme` limits the import to one theme."""
    user = caller(request)
    if not user.is_authenticated:
        raise AuthenticationError()
    limited = None
    if theme:
        limited = Theme.objects.filter(key=theme).first()
        if limited is None:
            return Status(422, {"detail": [{"message": f"Unknown theme {theme!r}.", "path": "theme"}]})
    found = _upload(request)
    if isinstance(found, str):
        status = 413 if found.startswith("The request is") else 422
        return Status(status, {"detail": [{"message": found}]})
    name, data = found
    try:
        upload = reading.read_upload(name, data)
    except reading.FileRefused as refused:
        return Status(422, {"detail": [{"message": str(refused)}]})
    plan = importer.plan_import(upload, user=user, theme=limited)
    if not plan.ok:
        return Status(422, {"detail": _problems(plan.errors), "notices": _problems(plan.notices)})
    body: dict[str, Any] = {
        "applied": False,
        "summary": dataclasses.asdict(plan.summary),
        "notices": _problems(plan.notices),
        "proposals": [
            {"key": p.key, "theme": p.theme, "operation": p.operation, "fields": p.changed_fields}
            for p in plan.proposals
        ],
        "themes": [{"key": t.key, "fields": t.changed_fields} for t in plan.themes],
    }
    if dry_run or plan.is_empty:
        return Status(200, body)
    try:
        result = importer.apply_import(plan, user=user)
    except importer.ImportRefused as refused:
        return Status(422, {"detail": _problems(refused.problems)})
    return Status(200, body | {"applied": True, "drafts": result.drafts, "theme_drafts": result.theme_drafts})
