"""Pages of assessment rounds: the list, a round's results and management, an assessor's
scoring form. Thin: parse, authorise (accounts/rules.py), one action or query, render."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trechter.accounts.roles import roles_of
from trechter.assessment import actions, indicators, results
from trechter.assessment.forms import AssessorForm, CandidateForm, RoundForm, ScoreForm, WeightsForm
from trechter.assessment.indicators import EVIDENCE_OF
from trechter.assessment.models import AssessmentRound, Criterion, Score
from trechter.assessment.queries import criteria_with_assessments
from trechter.exchange.cells import neutralise
from trechter.topics import queries as topic_queries


def _visible(request: HttpRequest) -> Any:
    rounds = AssessmentRound.objects.all()
    if roles_of(request.user).is_member:
        return rounds
    if request.user.is_authenticated:
        return rounds.filter(Q(is_recorded=True) | Q(assessors__user=request.user)).distinct()
    return rounds.filter(is_recorded=True)


@require_http_methods(["GET", "POST"])
def round_list(request: HttpRequest) -> HttpResponse:
    """The rounds the visitor may see; the core group starts a new one here."""
    may_manage = request.user.has_perm("assessment.manage_rounds")
    form = RoundForm(request.POST or None) if may_manage else None
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        assert form is not None
        if form.is_valid():
            try:
                created = actions.create_round(**form.cleaned_data, by=request.user)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return redirect("round", created.key)
    rounds = _visible(request).prefetch_related("candidates", "assessors").order_by("-created_at", "key")
    return render(request, "assessment/rounds.html", {"rounds": rounds, "form": form})


def _round(request: HttpRequest, key: str) -> AssessmentRound:
    found = get_object_or_404(AssessmentRound, key=key)
    if not request.user.has_perm("assessment.view_round", found):
        if not request.user.is_authenticated:
            raise PermissionDenied(_("Sign in to see this round."))
        raise PermissionDenied
    return found


def _topic_choices() -> list[tuple[str, str]]:
    run = topic_queries.latest_run()
    if run is None:
        return []
    english = (get_language() or "nl").startswith("en")
    found = run.topics.order_by("cross_theme_rank", "size_rank")
    return [
        (t.key, f"{(t.label_en if english else t.label_nl) or t.label_en}"
                + (f" ({_('cross-theme')} #{t.cross_theme_rank})" if t.cross_theme_rank else ""))
        for t in found
    ]  # fmt: skip


@require_GET
def round_detail(request: HttpRequest, key: str) -> HttpResponse:
    """The round's ranking, acceptability, disagreement and evidence; management for the core group."""
    round_ = _round(request, key)
    outcome = results.round_results(round_)
    may_manage = request.user.has_perm("assessment.manage_rounds") and not round_.is_recorded
    me = round_.assessors.filter(user_id=request.user.pk).first() if request.user.is_authenticated else None
    context: dict[str, Any] = {
        "round": round_,
        "results": outcome,
        "may_manage": may_manage,
        "me": me,
        "may_score": request.user.has_perm("assessment.score_round", round_),
    }
    if may_manage:
        context["candidate_form"] = CandidateForm(topics=_topic_choices())
        context["assessor_form"] = AssessorForm()
        context["weights_form"] = WeightsForm(criteria=outcome.criteria, weights=outcome.weights)
    return render(request, "assessment/round.html", context)


@login_required
@require_POST
def manage_round(request: HttpRequest, key: str, what: str) -> HttpResponse:
    """One management step of the core group: add or remove a candidate, add an assessor,
    open or close the round, set weights."""
    round_ = get_object_or_404(AssessmentRound, key=key)
    if not request.user.has_perm("assessment.manage_rounds"):
        raise PermissionDenied
    try:
        _manage(request, round_, what)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    return redirect("round", round_.key)


@login_required
@require_POST
def add_topic(request: HttpRequest) -> HttpResponse:
    """Add a discovered topic to an open round (from the topic's page)."""
    if not request.user.has_perm("assessment.manage_rounds"):
        raise PermissionDenied
    round_ = get_object_or_404(AssessmentRound, key=request.POST.get("round", ""))
    try:
        added = actions.add_candidate(round_=round_, topic_key=request.POST.get("topic_key", "")[:24])
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("topics")
    messages.success(request, _("Candidate added: %(title)s") % {"title": added.title_nl})
    return redirect("round", round_.key)


def _manage(request: HttpRequest, round_: AssessmentRound, what: str) -> None:
    if what == "candidate":
        form: Any = CandidateForm(request.POST, topics=_topic_choices())
        if _valid(request, form):
            data = form.cleaned_data
            added = actions.add_candidate(round_=round_, topic_key=data["topic_key"] or "",
                                          cross_theme_topic=data["cross_theme_topic"], theme=data["theme"],
                                          title_nl=data["title_nl"], title_en=data["title_en"])  # fmt: skip
            messages.success(request, _("Candidate added: %(title)s") % {"title": added.title_nl})
    elif what == "remove":
        candidate = get_object_or_404(round_.candidates, key=request.POST.get("candidate", ""))
        actions.remove_candidate(candidate=candidate)
        messages.success(request, _("Candidate removed: %(title)s") % {"title": candidate.title_nl})
    elif what == "assessor":
        form = AssessorForm(request.POST)
        if _valid(request, form):
            added_assessor = actions.add_assessor(round_=round_, user=form.cleaned_data["user"],
                                                  group=form.cleaned_data["group"])  # fmt: skip
            messages.success(request, _("Assessor added: %(name)s") % {"name": added_assessor.name})
    elif what == "status":
        actions.set_status(round_=round_, status=request.POST.get("status", ""))
    elif what == "weights":
        criteria = list(Criterion.objects.filter(parent__isnull=True).order_by("order", "key"))
        form = WeightsForm(request.POST, criteria=criteria, weights=round_.weights)
        if _valid(request, form):
            actions.set_weights(round_=round_, weights={c.key: form.cleaned_data[c.key] for c in criteria})
            messages.success(request, _("Weights saved."))
    else:
        raise ValidationError(_("Unknown step."))


def _valid(request: HttpRequest, form: Any) -> bool:
    if form.is_valid():
        return True
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for text in errors:
            messages.error(request, f"{label}: {text}" if label else text)
    return False


def _add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for item in errors:
                form.add_error(field if field in form.fields else None, item)
    else:
        form.add_error(None, error)


@login_required
@require_http_methods(["GET", "POST"])
def score(request: HttpRequest, key: str, candidate: str) -> HttpResponse:
    """One assessor's scores of one candidate: every criterion and sub-criterion, with the
    evidence from the data beside the criteria it speaks to."""
    round_ = get_object_or_404(AssessmentRound, key=key)
    if not request.user.has_perm("assessment.score_round", round_):
        raise PermissionDenied
    assessor = next(a for a in round_.assessors.all() if a.user_id == request.user.pk)
    subject = get_object_or_404(round_.candidates, key=candidate)
    tree, _assessments = criteria_with_assessments()
    flat = _flat(tree)
    criteria = [node.criterion for node in flat]
    stored = {s.criterion.key: s for s in Score.objects.filter(assessor=assessor, candidate=subject)
              .select_related("criterion")}  # fmt: skip
    initial = {}
    for key_, s in stored.items():
        initial[f"score-{key_}"] = "" if s.value is None else str(s.value)
        initial[f"note-{key_}"] = s.note
    form = ScoreForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        entries = [actions.Entry(c, v, n) for c, v, n in form.entries()]
        try:
            changed = actions.save_scores(assessor=assessor, candidate=subject, entries=entries)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("%(n)s scores saved.") % {"n": changed})
            following = round_.candidates.filter(order__gt=subject.order).order_by("order", "key").first()
            if following is not None and "next" in request.POST:
                return redirect("round-score", round_.key, following.key)
            return redirect("round", round_.key)
    rows = [(node, form[f"score-{node.criterion.key}"], form[f"note-{node.criterion.key}"],
             EVIDENCE_OF.get(node.criterion.key)) for node in flat]  # fmt: skip
    context = {
        "round": round_,
        "candidate": subject,
        "assessor": assessor,
        "form": form,
        "rows": rows,
        "evidence": indicators.of_candidate(subject),
        "candidates": list(round_.candidates.order_by("order", "key")),
    }
    return render(request, "assessment/score.html", context)


def _flat(tree: list[Any]) -> list[Any]:
    found: list[Any] = []

    def walk(nodes: list[Any]) -> None:
        for node in nodes:
            found.append(node)
            walk(node.children)

    walk(tree)
    return found


@require_GET
def round_csv(request: HttpRequest, key: str, what: str) -> HttpResponse:
    """The round's ranking (`results`) or every score with its note (`scores`) as CSV (UTF-8
    with BOM for spreadsheets; cells that could run as formulas neutralised)."""
    round_ = _round(request, key)
    if what == "scores":
        header, rows = results.SCORE_COLUMNS, results.score_rows(round_)
    else:
        outcome = results.round_results(round_, with_evidence=False)
        header = results.RESULT_COLUMNS + [c.key for c in outcome.criteria]
        rows = results.result_rows(outcome)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(value) if isinstance(value, str) else value for value in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{round_.key}-{what}.csv"'
    return response
