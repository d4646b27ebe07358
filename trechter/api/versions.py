"""Versions of the agenda (published ones for everyone, the open one for editors), the open
version's drafts, and the review workflow (core group), as on the versions pages."""

from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Router

from trechter.analytics.diff import RecordsDiff
from trechter.api.auth import READ_AUTH, token_auth
from trechter.api.common import caller, current_agenda, draft_out, require, theme_draft_out
from trechter.api.schemas import Detail, DraftList, PublishIn, VersionDetail, VersionItem, WorkflowOut
from trechter.api.validation import Invalid, form_errors
from trechter.versions import actions, queries
from trechter.versions.forms import PublishForm
from trechter.versions.models import Version

router = Router(tags=["versions and drafts"])
FIELDS = ("number", "status", "note", "created_at", "submitted_at", "published_at")


def _item(version: Version) -> dict[str, Any]:
    return {name: getattr(version, name) for name in FIELDS}


@router.get("/versions", response=list[VersionItem], auth=READ_AUTH, summary="Published versions, newest first")
def version_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Editors (theme leads, core group, admins) also see the open version."""
    versions = Version.objects.filter(agenda=current_agenda()).order_by("-number")
    if not caller(request).has_perm("agenda.view_drafts"):
        versions = versions.published()
    return [_item(version) for version in versions]


def _records(diff: RecordsDiff) -> dict[str, Any]:
    return {
        "added": list(diff.added),
        "removed": list(diff.removed),
        "changed": [
            {"key": c.key, "fields": [{"field": f.field, "old": f.old, "new": f.new} for f in c.fields]}
            for c in diff.changed
        ],
    }


def _version(request: HttpRequest, number: int) -> Version:
    """The version `number`; an open one is 404 for anyone who may not see drafts (the public
    does not learn what is being drafted), as on the version page."""
    version = Version.objects.filter(agenda=current_agenda(), number=number).select_related("agenda").first()
    if version is None or (version.is_open and not caller(request).has_perm("agenda.view_drafts")):
        raise Http404(f"No version {number}.")
    return version


@router.get(
    "/versions/{number}",
    response={200: VersionDetail, 404: Detail},
    auth=READ_AUTH,
    summary="A version with its release note; ?diff=previous adds what it changed",
)
def version_detail(request: HttpRequest, number: int, diff: Literal["previous"] | None = None) -> dict[str, Any]:
    version = _version(request, number)
    result: dict[str, Any] = _item(version)
    if version.is_open:
        drafts = queries.open_drafts(version.agenda).filter(version=version).order_by("theme__order", "proposal_key")
        result["drafts"] = [draft_out(d) for d in drafts]
        theme_drafts = version.theme_drafts.select_related("theme", "version", "updated_by").order_by("theme__order")
        result["theme_drafts"] = [theme_draft_out(d) for d in theme_drafts]
    elif diff == "previous":
        older = Version.objects.published().filter(agenda=version.agenda, number__lt=number).order_by("-number").first()
        if older is not None:
            changes = queries.version_diff(older, version)
            result["diff"] = {
                "old": older.number,
                "new": version.number,
                "proposals": _records(changes.proposals),
                "themes": _records(changes.themes),
            }
    return result


@router.get(
    "/drafts",
    response={200: DraftList, 401: Detail},
    auth=READ_AUTH,
    summary="The open version's drafts you may see",
)
def draft_list(request: HttpRequest) -> dict[str, Any]:
    """Editors see every draft; a member sees the new proposals they proposed."""
    user = caller(request)
    if not user.is_authenticated:
        require(request, "agenda.view_drafts")  # 401
    agenda = current_agenda()
    version = Version.objects.open().filter(agenda=agenda).first()
    drafts = queries.open_drafts(agenda).order_by("theme__order", "proposal_key")
    theme_drafts = []
    if user.has_perm("agenda.view_drafts"):
        shown = list(drafts)
        if version is not None:
            theme_drafts = list(version.theme_drafts.select_related("theme", "version", "updated_by"))
    else:
        shown = [draft for draft in drafts if user.has_perm("versions.edit_draft", draft)]
    return {
        "version": version.number if version else None,
        "drafts": [draft_out(d) for d in shown],
        "theme_drafts": [theme_draft_out(d) for d in sorted(theme_drafts, key=lambda d: d.theme.order)],
    }


WORKFLOW_ERRORS: dict[int, Any] = {401: Detail, 403: Detail, 404: Detail, 409: Detail}


def _step(request: HttpRequest, number: int) -> Version:
    version = Version.objects.filter(agenda=current_agenda(), number=number).first()
    if version is None:
        raise Http404(f"No version {number}.")
    require(request, "versions.review_version", version)
    return version


@router.post(
    "/versions/{number}/submit",
    response={200: WorkflowOut, **WORKFLOW_ERRORS},
    auth=token_auth,
    summary="Send the open version for review (core group)",
)
def version_submit(request: HttpRequest, number: int) -> dict[str, Any]:
    version = actions.submit_version(version=_step(request, number), by=caller(request))
    return {"version": _item(version)}


@router.post(
    "/versions/{number}/reopen",
    response={200: WorkflowOut, **WORKFLOW_ERRORS},
    auth=token_auth,
    summary="Send a version in review back to draft (core group)",
)
def version_reopen(request: HttpRequest, number: int) -> dict[str, Any]:
    version = actions.reopen_version(version=_step(request, number), by=caller(request))
    return {"version": _item(version)}


@router.post(
    "/versions/{number}/publish",
    response={200: WorkflowOut, **WORKFLOW_ERRORS, 422: Detail},
    auth=token_auth,
    summary="Publish a version in review (core group)",
)
def version_publish(request: HttpRequest, number: int, payload: PublishIn | None = None) -> dict[str, Any]:
    version = _step(request, number)
    form = PublishForm(data={"note": payload.note if payload else ""})
    if not form.is_valid():
        raise Invalid(form_errors(form))
    result = actions.publish_version(version=version, by=caller(request), note=form.cleaned_data["note"])
    counts = {"added": result.added, "changed": result.changed, "removed": result.removed}
    return {"version": _item(result.version), **counts}
