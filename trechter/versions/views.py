"""Versions of the agenda: the published ones (public), the open one with its drafts
(editors), review and publication (core group), and the diff between two published ones."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from trechter.accounts.actions import describe
from trechter.accounts.roles import roles_of
from trechter.agenda.models import Agenda
from trechter.versions import actions, queries
from trechter.versions.forms import DiffForm, PublishForm
from trechter.versions.models import Version


def _agenda() -> Agenda:
    agenda = Agenda.objects.order_by("-presented_on").first()
    if agenda is None:
        raise Http404
    return agenda


def _version(number: int) -> Version:
    return get_object_or_404(
        Version.objects.select_related("agenda", "published_by", "submitted_by"), agenda=_agenda(), number=number
    )


@require_GET
def version_list(request: HttpRequest) -> HttpResponse:
    agenda = Agenda.objects.order_by("-presented_on").first()
    versions = (
        Version.objects.filter(agenda=agenda)
        .select_related("published_by")
        .annotate(draft_count=Count("drafts", distinct=True) + Count("theme_drafts", distinct=True))
        .order_by("-number")  # Meta.ordering does not apply to GROUP BY queries
        if agenda
        else Version.objects.none()
    )
    visible = [v for v in versions if v.status == "published" or request.user.has_perm("agenda.view_drafts")]
    published = [v for v in visible if v.status == "published"]
    return render(request, "versions/version_list.html", {"versions": visible, "published": published})


@require_GET
def version_detail(request: HttpRequest, number: int) -> HttpResponse:
    """A published version: what it changed. The open version: its drafts (editors only)."""
    version = _version(number)
    context: dict[str, object] = {"version": version}
    if version.is_open:
        if not request.user.has_perm("agenda.view_drafts"):
            raise Http404  # the public does not learn what is being drafted
        drafts = list(queries.open_drafts(version.agenda).filter(version=version))
        names = queries.organisation_names(drafts)
        theme_drafts = version.theme_drafts.select_related("theme", "updated_by")
        context |= {
            "drafts": [(d, queries.draft_changes(d, names)) for d in drafts],
            "theme_drafts": [(d, queries.theme_draft_changes(d)) for d in theme_drafts],
            "can_review": request.user.has_perm("versions.review_version", version),
            "publish_form": PublishForm(),
        }
    else:
        previous = Version.objects.published().filter(agenda=version.agenda, number__lt=number).order_by("-number")
        older = previous.first()
        context["diff"] = queries.version_diff(older, version) if older else None
    return render(request, "versions/version_detail.html", context)


@require_GET
def version_diff(request: HttpRequest) -> HttpResponse:
    """Proposals added, removed and changed field by field between two published versions."""
    published = list(Version.objects.published().filter(agenda=_agenda()).order_by("number"))
    form = DiffForm(request.GET or None)
    diff = None
    if form.is_valid():
        by_number = {v.number: v for v in published}
        old, new = by_number.get(form.cleaned_data["old"]), by_number.get(form.cleaned_data["new"])
        if old is None:
            form.add_error("old", _("There is no published version with this number."))
        if new is None:
            form.add_error("new", _("There is no published version with this number."))
        if old and new:
            diff = queries.version_diff(old, new)
    return render(request, "versions/version_diff.html", {"form": form, "diff": diff, "published": published})


@login_required
@require_GET
def my_drafts(request: HttpRequest) -> HttpResponse:
    """What this user has drafted and not yet seen published, and their roles."""
    drafts = queries.drafts_of(request.user)
    context = {"drafts": drafts, "roles": roles_of(request.user), "role_list": describe(request.user)}
    return render(request, "versions/my_drafts.html", context)


def _workflow_step(request: HttpRequest, number: int, step: str) -> HttpResponse:
    version = _version(number)
    if not request.user.has_perm("versions.review_version", version):
        raise PermissionDenied(_("Only the core group reviews and publishes versions."))
    try:
        if step == "submit":
            actions.submit_version(version=version, by=request.user)
            messages.success(request, _("Sent for review. Drafts are frozen until publication."))
        elif step == "reopen":
            actions.reopen_version(version=version, by=request.user)
            messages.success(request, _("Sent back to draft."))
        else:
            form = PublishForm(request.POST)
            note = form.cleaned_data["note"] if form.is_valid() else ""
            result = actions.publish_version(version=version, by=request.user, note=note)
            messages.success(
                request,
                _("Version %(n)s is published: %(a)s added, %(c)s changed, %(r)s removed.")
                % {"n": number, "a": result.added, "c": result.changed, "r": result.removed},
            )
    except actions.WorkflowError as error:
        messages.error(request, str(error))
    return redirect("version", number=number)


@login_required
@require_POST
def submit(request: HttpRequest, number: int) -> HttpResponse:
    return _workflow_step(request, number, "submit")


@login_required
@require_POST
def reopen(request: HttpRequest, number: int) -> HttpResponse:
    return _workflow_step(request, number, "reopen")


@login_required
@require_POST
def publish(request: HttpRequest, number: int) -> HttpResponse:
    return _workflow_step(request, number, "publish")
