"""Editing a theme's texts (name, aim) into the draft of the open version."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trechter.agenda.forms import AnswerFormSet, ThemeForm
from trechter.agenda.models import FunnelQuestion, Theme
from trechter.analytics.diff import diff_fields
from trechter.versions import actions, queries
from trechter.versions.models import ThemeDraft
from trechter.versions.snapshot import THEME_FIELDS, answer_values

ANSWERS_PREFIX = "answers"


def _theme(request: HttpRequest, key: str) -> Theme:
    theme = get_object_or_404(Theme.objects.select_related("agenda"), key=key)
    if not request.user.has_perm("agenda.edit_theme", theme):
        raise PermissionDenied(_("Only this theme's lead and the core group edit its texts."))
    return theme


def _current(theme: Theme) -> ThemeDraft | None:
    return queries.open_theme_draft(theme)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, key: str) -> HttpResponse:
    """The theme's name and aim, as published or as drafted; saving keeps a draft."""
    theme = _theme(request, key)
    current = _current(theme)
    instance = Theme.objects.get(pk=theme.pk)  # throw-away: validation never touches the published row
    for name in THEME_FIELDS:
        if current is not None:
            setattr(instance, name, current.data.get(name))
    token = current.token if current else actions.NEW_TOKEN
    form = ThemeForm(request.POST or None, instance=instance, initial={"token": token})
    answers = _answers_formset(request, theme, current)
    extra: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid() and (answers is None or answers.is_valid()):
        data = form.values() | ({"answers": answers.values()} if answers is not None else {})
        try:
            actions.save_theme_change(theme=theme, data=data, token=form.cleaned_data["token"], by=request.user)
        except actions.ConcurrentEdit as conflict:
            data = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict: POST data is immutable
            data["token"] = conflict.current.token if conflict.current else actions.NEW_TOKEN
            form.data = data
            mine = {name: data[name] for name in THEME_FIELDS}
            theirs = {name: conflict.theirs.get(name) for name in THEME_FIELDS}
            rows = [{"field": form[c.field].label, "theirs": c.old, "mine": c.new} for c in diff_fields(theirs, mine)]
            if "answers" in data and "answers" in conflict.theirs and data["answers"] != conflict.theirs["answers"]:
                rows.append({"field": _("Funnel template answers"), "theirs": _("changed"), "mine": _("changed")})
            extra = {"conflict": str(conflict), "conflict_rows": rows}
        except actions.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved in the draft. The public page is unchanged until publication."))
            return redirect("theme-edit", key=key)
    changes = queries.theme_draft_changes(current) if current else ()
    context = {"form": form, "answers": answers, "theme": theme, "draft": current, "changes": changes, **extra}
    return render(request, "agenda/theme_form.html", context, status=409 if extra else 200)


def _answers_formset(request: HttpRequest, theme: Theme, current: ThemeDraft | None) -> Any:
    """The funnel answers formset; None for a POST without it (answers stay as they are)."""
    questions = [
        (q.key, f"{q.order}. {q.text_en if get_language() == 'en' else q.text_nl}"[:120])
        for q in FunnelQuestion.objects.all()
    ]
    if request.method == "POST":
        if f"{ANSWERS_PREFIX}-TOTAL_FORMS" not in request.POST:
            return None
        return AnswerFormSet(request.POST, prefix=ANSWERS_PREFIX, form_kwargs={"questions": questions})
    initial = current.data["answers"] if current and "answers" in current.data else answer_values(theme)
    return AnswerFormSet(initial=initial, prefix=ANSWERS_PREFIX, form_kwargs={"questions": questions})


@login_required
@require_POST
def discard(request: HttpRequest, key: str) -> HttpResponse:
    theme = _theme(request, key)
    current = _current(theme)
    if current is None:
        raise Http404
    try:
        actions.discard_draft(draft=current, token=request.POST.get("token", ""), by=request.user)
    except actions.WorkflowError as error:
        messages.error(request, str(error))
        return redirect("theme-edit", key=key)
    messages.success(request, _("Draft discarded."))
    return redirect("theme", key=key)


@login_required
@require_GET
def history(request: HttpRequest, key: str) -> HttpResponse:
    """Who changed the theme's texts, when, and what."""
    theme = get_object_or_404(Theme, key=key)
    if not request.user.has_perm("agenda.view_history", theme):
        raise PermissionDenied(_("Your role does not allow this."))
    context = {"theme": theme, "key": key, "entries": queries.theme_history(theme)}
    return render(request, "agenda/proposal_history.html", context)
