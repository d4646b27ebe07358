"""Read-only questions of the FoF / Smart Industry pages: ORM rows → plain data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from trechter.analytics import award
from trechter.fof.models import Application, AspectScore, Assignment, AwardRound, Consensus


def aspect_names(method: award.Method) -> dict[str, str]:
    """Aspect key → its name in the reader's language."""
    english = (get_language() or "nl").startswith("en")
    return {a.key: (a.name_en if english and a.name_en else a.name_nl) for a in method.aspects}


def winners(round_: AwardRound) -> QuerySet[Application]:
    return (
        round_.applications.filter(awarded=True).select_related("organisation").order_by("side", "organisation__name")
    )


@dataclass(frozen=True)
class Label:
    application: Application
    state: str  # award.VALID, REMIND or LAPSED


def labels(*, on: date | None = None) -> list[Label]:
    """Every published winner with the state of its label today, newest round first."""
    on = on or timezone.localdate()
    found = []
    rows = Application.objects.filter(awarded=True, round__state="published").select_related("round", "organisation")
    for application in rows.order_by("-round__year", "organisation__name"):
        round_ = application.round
        state = award.label_state(
            round_.announce_on, years=round_.label_years, reminder_days=round_.reminder_days, on=on
        )
        found.append(Label(application, state))
    return found


@dataclass(frozen=True)
class ApplicationRow:
    application: Application
    assignments: tuple[Assignment, ...]
    agreed: int

    @property
    def assessors(self) -> int:
        return len(self.assignments)

    @property
    def submitted(self) -> int:
        return sum(1 for a in self.assignments if a.submitted_at)


def application_rows(round_: AwardRound) -> list[ApplicationRow]:
    """A round's applications with their progress: assessors (who, scored or not), aspects agreed."""
    assignments = Assignment.objects.select_related("assessor").order_by("assessor__username")
    rows = (
        round_.applications.select_related("organisation")
        .prefetch_related(Prefetch("assignments", assignments))
        .annotate(agreed=Count("consensus", distinct=True))
    )
    return [
        ApplicationRow(a, tuple(a.assignments.all()), a.agreed) for a in rows.order_by("side", "organisation__name")
    ]


def assignments_of(user: Any) -> QuerySet[Assignment]:
    return Assignment.objects.filter(assessor=user).select_related("application__organisation", "application__round")


@dataclass(frozen=True)
class AspectRow:
    """One aspect of an application as the jury sees it: every assessor's level and comment,
    the flag, the proposal and the agreed level."""

    key: str
    name: str
    scores: tuple[AspectScore, ...]
    spread: award.AspectSpread | None
    consensus: Consensus | None


def spreads(application: Application) -> tuple[award.AspectSpread, ...]:
    """The submitted assessors' levels per aspect, flagged where more than one level apart."""
    by_assessor: dict[int, dict[str, int]] = {}
    rows = AspectScore.objects.filter(assignment__application=application, assignment__submitted_at__isnull=False)
    for assignment_id, aspect, level in rows.order_by("assignment_id").values_list("assignment_id", "aspect", "level"):
        by_assessor.setdefault(assignment_id, {})[aspect] = level
    return award.spreads(application.round.method, list(by_assessor.values()))


def aspect_rows(application: Application) -> list[AspectRow]:
    method = application.round.method
    scores = AspectScore.objects.filter(
        assignment__application=application, assignment__submitted_at__isnull=False
    ).select_related("assignment__assessor")
    by_aspect: dict[str, list[AspectScore]] = {}
    for score in scores.order_by("assignment_id"):
        by_aspect.setdefault(score.aspect, []).append(score)
    flags = {s.aspect: s for s in spreads(application)}
    agreed = {c.aspect: c for c in application.consensus.select_related("agreed_by")}
    names = aspect_names(method)
    return [
        AspectRow(key, names[key], tuple(by_aspect.get(key, ())), flags.get(key), agreed.get(key))
        for key in method.keys
    ]


@dataclass(frozen=True)
class Report:
    """What a company's feedback report holds."""

    application: Application
    names: dict[str, str]
    feedback: award.Feedback
    comments: dict[str, list[str]]  # aspect → the jury's comment and the assessors' comments
    companies: int


def report(application: Application) -> Report:
    """The company's agreed levels against the round's (every decided application)."""
    round_ = application.round
    method = round_.method
    agreed: dict[int, dict[str, int]] = {}
    for application_id, aspect, level in Consensus.objects.filter(application__round=round_).values_list(
        "application_id", "aspect", "level"
    ):
        agreed.setdefault(application_id, {})[aspect] = level
    own = agreed.get(application.pk, {})
    comments: dict[str, list[str]] = {}
    for aspect, comment in application.consensus.exclude(comment="").values_list("aspect", "comment"):
        comments.setdefault(aspect, []).append(comment)
    for aspect, comment in (
        AspectScore.objects.filter(assignment__application=application)
        .exclude(comment="")
        .values_list("aspect", "comment")
    ):
        if comment not in comments.get(aspect, []):
            comments.setdefault(aspect, []).append(comment)
    return Report(
        application, aspect_names(method), award.feedback(method, own, list(agreed.values())), comments, len(agreed),
    )  # fmt: skip
