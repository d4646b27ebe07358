"""The agenda document on the web: the list of editions and formats, the files, and the
editor of the conclusions (core group)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from trechter.reports import actions
from trechter.reports.content import DRAFT, UnknownEdition, current_agenda, parse_edition
from trechter.reports.forms import ConclusionsForm
from trechter.reports.generate import LANGUAGES, generate
from trechter.reports.renderers import FORMATS
from trechter.versions.models import Version


def _language() -> str:
    language = (get_language() or "nl")[:2]
    return language if language in LANGUAGES else "nl"


@require_GET
def report_index(request: HttpRequest) -> HttpResponse:
    """Every edition the reader may download (published versions; the draft for editors),
    in every format and both languages."""
    agenda = current_agenda()
    versions = list(Version.objects.published().filter(agenda=agenda).order_by("-number")) if agenda else []
    can_draft = request.user.has_perm("agenda.view_drafts")
    context = {
        "agenda": agenda,
        "versions": versions,
        "can_draft": can_draft,
        "open_version": Version.objects.open().filter(agenda=agenda).first() if agenda and can_draft else None,
        "formats": FORMATS,
        "languages": LANGUAGES,
        "can_edit_conclusions": request.user.has_perm("reports.edit_conclusions"),
    }
    return render(request, "reports/index.html", context)


@require_GET
def report_file(request: HttpRequest, edition: str, fmt: str) -> HttpResponse:
    """The document of one edition as a download; drafts for editors only (403)."""
    try:
        edition = parse_edition(edition)
    except UnknownEdition as error:
        raise Http404 from error
    if edition == DRAFT and not request.user.has_perm("agenda.view_drafts"):
        raise PermissionDenied
    try:
        made = generate(edition, fmt=fmt, language=_language())
    except UnknownEdition as error:
        raise Http404 from error
    response = HttpResponse(made.data, content_type=made.content_type)
    response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    if edition == DRAFT:
        response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def conclusions_edit(request: HttpRequest) -> HttpResponse:
    """Chapter 4's conclusions, Dutch and English, one paragraph per line."""
    if not request.user.has_perm("reports.edit_conclusions"):
        raise PermissionDenied
    agenda = current_agenda()
    if agenda is None:
        raise Http404
    initial = {
        "conclusions_nl": "\n".join(agenda.conclusions_nl),
        "conclusions_en": "\n".join(agenda.conclusions_en),
        "token": actions.conclusions_token(agenda),
    }
    form = ConclusionsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_conclusions(
                agenda=agenda,
                conclusions_nl=form.cleaned_data["conclusions_nl"],
                conclusions_en=form.cleaned_data["conclusions_en"],
                token=form.cleaned_data["token"],
                by=request.user,
            )
        except actions.ConclusionsChanged as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The conclusions were saved."))
            return redirect("reports")
    return render(request, "reports/conclusions.html", {"form": form, "agenda": agenda})
