"""Imports on the site: upload → preview (every problem, or every change field by field) →
confirm → drafts. The checked plan waits in the (server-side) session under a random
ticket between preview and confirmation; confirming re-checks it against the data as it is
then (see importer.apply_import), so nothing stale is saved."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from trechter.agenda.models import Theme
from trechter.exchange import importer, reading

SESSION_KEY = "trechter_imports"
KEPT_PLANS = 3  # previews open at once per session (tabs); older ones are dropped


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "An .xlsx workbook (the export or your theme's template), a .csv sheet or the .json export."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.json"}),
    )
    theme = forms.SlugField(required=False, widget=forms.HiddenInput)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB.") % {"limit": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        if not upload.name.lower().endswith((".xlsx", ".csv", ".json")):
            raise forms.ValidationError(_("Upload an .xlsx, .csv or .json file."))
        return upload

    def clean_theme(self) -> Theme | None:
        key = self.cleaned_data["theme"]
        if not key:
            return None
        theme = Theme.objects.filter(key=key).first()
        if theme is None:
            raise forms.ValidationError(_("Unknown theme."))
        return theme


def _keep(request: HttpRequest, plan: importer.ImportPlan, name: str) -> str:
    ticket = secrets.token_urlsafe(16)
    kept = dict(request.session.get(SESSION_KEY, {}))
    kept[ticket] = {"plan": plan.to_json(), "name": name}
    request.session[SESSION_KEY] = dict(list(kept.items())[-KEPT_PLANS:])
    return ticket


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """The upload form; a POST reads and checks the file and shows the preview."""
    form = UploadForm(request.POST or None, request.FILES or None, initial={"theme": request.GET.get("theme", "")})
    if request.method != "POST" or not form.is_valid():
        return render(request, "exchange/import.html", {"form": form}, status=400 if form.errors else 200)
    file = form.cleaned_data["file"]
    theme = form.cleaned_data["theme"]
    try:
        read = reading.read_upload(file.name, file.read(settings.IMPORT_MAX_BYTES + 1))
    except reading.FileRefused as refused:
        form.add_error("file", str(refused))
        return render(request, "exchange/import.html", {"form": form}, status=400)
    plan = importer.plan_import(read, user=request.user, theme=theme)
    ticket = _keep(request, plan, file.name) if plan.ok and not plan.is_empty else ""
    return _preview(request, plan, file.name, ticket, status=200 if plan.ok else 400)


def _preview(
    request: HttpRequest, plan: importer.ImportPlan, name: str, ticket: str, status: int = 200
) -> HttpResponse:
    context = {
        "plan": plan,
        "name": name,
        "ticket": ticket,
        "summary": plan.summary,
        "changes": importer.describe_changes(plan) if plan.ok else [],
        "form": UploadForm(initial={"theme": plan.theme}),
    }
    return render(request, "exchange/import_preview.html", context, status=status)


@login_required
@require_POST
def confirm(request: HttpRequest, ticket: str) -> HttpResponse:
    """Save the previewed plan as drafts, all or nothing, and go to the user's drafts."""
    kept = dict(request.session.get(SESSION_KEY, {}))
    stored = kept.pop(ticket, None)
    if stored is None:
        messages.error(request, _("This preview has expired or was already confirmed. Upload the file again."))
        return redirect("data-import")
    request.session[SESSION_KEY] = kept
    plan = importer.ImportPlan.from_json(stored["plan"])
    try:
        result = importer.apply_import(plan, user=request.user)
    except importer.ImportRefused as refused:
        plan.errors = refused.problems
        return _preview(request, plan, stored["name"], "", status=409)
    messages.success(
        request,
        _("Imported into the draft of the next version: %(drafts)s proposal drafts, %(themes)s theme drafts.")
        % {"drafts": result.drafts, "themes": result.theme_drafts},
    )
    return redirect("my-drafts")
