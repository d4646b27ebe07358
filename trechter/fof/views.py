"""The FoF / Smart Industry award on the web: the public winners and labels, a round's page
and its management (core group), applications, the assessors' scoring, the consensus and the
companies' feedback reports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trechter.fof import actions, queries, report
from trechter.fof.forms import AffiliationForm, AgreeForm, ApplyForm, AssignForm, JurorForm, RoundForm, ScoreForm
from trechter.fof.models import Application, Assignment, AwardRound, JuryMember
from trechter.reports import renderers


def _language() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def _valid(form: BaseForm) -> BaseForm:
    """The form, cleaned; its errors as a ValidationError naming the fields."""
    if not form.is_valid():
        raise ValidationError({field: [str(e) for e in errors] for field, errors in form.errors.items()})
    return form


def _pk(value: object) -> int:
    """A posted row id; anything else is no row (404)."""
    text = str(value or "")
    if not text.isdigit():
        raise Http404
    return int(text)


def _refuse(form: BaseForm, error: ValidationError) -> None:
    """An action's refusal on the form, on the field it names where the form has it."""
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Winners and their labels for everyone; rounds to manage, assess or apply to for those who may."""
    user = request.user
    context: dict[str, Any] = {"labels": queries.labels()}
    if user.has_perm("fof.manage_rounds"):
        context["rounds"] = AwardRound.objects.all()
        context["affiliation_form"] = AffiliationForm()
    if user.is_authenticated:
        context["assignments"] = queries.assignments_of(user)
        context["open_rounds"] = [r for r in AwardRound.objects.filter(state="open") if user.has_perm("fof.apply", r)]
        context["mine"] = Application.objects.filter(organisation__affiliations__user=user).select_related(
            "round", "organisation"
        )
    return render(request, "fof/index.html", context)


@login_required
@require_POST
def affiliate(request: HttpRequest) -> HttpResponse:
    """The core group links a person to the company they work for."""
    if not request.user.has_perm("fof.manage_rounds"):
        raise PermissionDenied
    form = AffiliationForm(request.POST)
    if form.is_valid():
        actions.affiliate(
            user=form.cleaned_data["username"], organisation=form.cleaned_data["organisation"], by=request.user
        )
        messages.success(request, _("Done."))
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(str(e) for e in errors)}")
    return redirect("fof")


@login_required
@require_http_methods(["GET", "POST"])
def create_round(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("fof.manage_rounds"):
        raise PermissionDenied
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["aspects"] = data.pop("aspect_lines")
        try:
            round_ = actions.create_round(by=request.user, **data)
        except ValidationError as error:
            messages_ = error.message_dict
            _refuse(form, ValidationError({("aspect_lines" if k == "aspects" else k): v for k, v in messages_.items()}))
        else:
            return redirect("fof-round", key=round_.key)
    return render(request, "fof/round_form.html", {"form": form})


@require_GET
def round_detail(request: HttpRequest, key: str) -> HttpResponse:
    round_ = get_object_or_404(AwardRound, key=key)
    manage = request.user.has_perm("fof.manage_rounds")
    on_jury = request.user.is_authenticated and round_.jury.filter(user_id=request.user.pk).exists()
    if round_.state == "draft" and not (manage or on_jury):
        raise Http404
    context: dict[str, Any] = {
        "round": round_, "names": queries.aspect_names(round_.method), "manage": manage,
        "can_apply": request.user.has_perm("fof.apply", round_),
        "winners": queries.winners(round_) if round_.state == "published" else [],
    }  # fmt: skip
    if manage or on_jury:
        context["rows"] = queries.application_rows(round_)
        context["jury"] = round_.jury.select_related("user").order_by("side", "user__username")
    if manage:
        context["juror_form"] = JurorForm()
        context["assign_form"] = AssignForm(round_=round_)
    return render(request, "fof/round.html", context)


@login_required
@require_POST
def manage_round(request: HttpRequest, key: str, what: str) -> HttpResponse:
    """One management step of the core group: advance, juror, assign, decide, publish."""
    if not request.user.has_perm("fof.manage_rounds"):
        raise PermissionDenied
    round_ = get_object_or_404(AwardRound, key=key)
    try:
        if what == "advance":
            actions.advance(round_=round_, by=request.user)
        elif what == "juror":
            form = _valid(JurorForm(request.POST))
            actions.add_juror(round_=round_, user=form.cleaned_data["username"], side=form.cleaned_data["side"],
                              is_chair=form.cleaned_data["is_chair"], by=request.user)  # fmt: skip
        elif what == "assign":
            form = _valid(AssignForm(request.POST, round_=round_))
            actions.assign(application=form.cleaned_data["application"], assessor=form.cleaned_data["assessor"],
                           by=request.user)  # fmt: skip
        elif what == "remove-juror":
            juror = get_object_or_404(JuryMember, pk=_pk(request.POST.get("juror")), round=round_)
            actions.remove_juror(juror=juror, by=request.user)
        elif what == "unassign":
            assignment = get_object_or_404(
                Assignment, pk=_pk(request.POST.get("assignment")), application__round=round_
            )
            actions.unassign(assignment=assignment, by=request.user)
        elif what == "decide":
            actions.decide_round(round_=round_, by=request.user)
        elif what == "publish":
            actions.publish(round_=round_, by=request.user)
        else:
            raise Http404
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            messages.error(request, f"{field}: {' '.join(problems)}" if field != "__all__" else " ".join(problems))
    else:
        messages.success(request, _("Done."))
    return redirect("fof-round", key=round_.key)


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, key: str) -> HttpResponse:
    round_ = get_object_or_404(AwardRound, key=key)
    if not request.user.has_perm("fof.apply", round_):
        raise PermissionDenied
    form = ApplyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.apply(round_=round_, organisation=form.cleaned_data["organisation"], by=request.user,
                          motivation=form.cleaned_data["motivation"])  # fmt: skip
        except ValidationError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("Your application was received."))
            return redirect("fof")
    return render(request, "fof/apply.html", {"round": round_, "form": form})


def _application(key: str, organisation: str) -> Application:
    return get_object_or_404(
        Application.objects.select_related("round", "organisation"), round__key=key, organisation__key=organisation
    )


@login_required
@require_http_methods(["GET", "POST"])
def score(request: HttpRequest, key: str, organisation: str) -> HttpResponse:
    """The assessor's form: a level and a comment per aspect, refused with the aspect named."""
    application = _application(key, organisation)
    assignment = application.assignments.filter(assessor_id=request.user.pk).first()
    if assignment is None or not request.user.has_perm("fof.score", assignment):
        raise PermissionDenied
    names = queries.aspect_names(application.round.method)
    initial = {s.aspect: s.level for s in assignment.scores.all()} | {
        f"{s.aspect}_comment": s.comment for s in assignment.scores.all()
    }
    form = ScoreForm(request.POST or None, initial=initial, round_=application.round, names=names)
    if request.method == "POST" and form.is_valid():
        try:
            actions.submit_scores(
                assignment=assignment, levels=form.levels(), comments=form.comments(), by=request.user
            )
        except ValidationError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("Your scores were saved."))
            return redirect("fof")
    return render(request, "fof/score.html", {"application": application, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def application_detail(request: HttpRequest, key: str, organisation: str) -> HttpResponse:
    """Every assessor's levels per aspect, the flags and the consensus (chair, core group)."""
    application = _application(key, organisation)
    if not request.user.has_perm("fof.view_application", application):
        raise PermissionDenied
    may_agree = request.user.has_perm("fof.agree", application.round) and request.user.has_perm(
        "fof.view_application", application
    )
    form = AgreeForm(request.POST or None, round_=application.round)
    if request.method == "POST":
        if not may_agree:
            raise PermissionDenied
        if form.is_valid():
            try:
                data = form.cleaned_data
                actions.agree(application=application, aspect=data["aspect"], level=data["level"],
                              reason=data["reason"], comment=data["comment"], by=request.user)  # fmt: skip
            except ValidationError as error:
                _refuse(form, error)
            else:
                return redirect("fof-application", key=key, organisation=organisation)
    rows = queries.aspect_rows(application)
    see_scores = request.user.has_perm("fof.see_scores", application)
    context = {"application": application, "rows": rows, "may_agree": may_agree, "form": form, "see_scores": see_scores}
    return render(request, "fof/application.html", context)


@login_required
@require_GET
def report_file(request: HttpRequest, key: str, organisation: str, fmt: str) -> HttpResponse:
    """The company's feedback report: for the company once published, for the jury and core group."""
    application = _application(key, organisation)
    if not request.user.has_perm("fof.view_report", application):
        raise PermissionDenied
    if application.awarded is None:
        raise Http404
    document = report.feedback_document(application, language=_language())
    response = HttpResponse(renderers.render(document, fmt), content_type=renderers.CONTENT_TYPES[fmt])
    if fmt != "html":
        response["Content-Disposition"] = f'attachment; filename="{document.file_stem}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
