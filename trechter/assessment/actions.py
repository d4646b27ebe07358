"""Changes to assessment rounds: candidates, assessors, scores, status and weights.

Every action checks its input and raises ValidationError naming the field; each runs in one
transaction, so a refused change leaves nothing half written. Who may call which action is
decided in the views (accounts/rules.py); the actions check the round's state.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from trechter.agenda.models import CrossThemeTopic, Theme
from trechter.assessment.models import (
    AssessmentRound,
    Assessor,
    Candidate,
    CriteriaAssessment,
    Criterion,
    Score,
)
from trechter.topics import queries as topic_queries

NOTE_LIMIT = 4000
RESERVED_KEYS = {"add-topic"}  # a page under /assessment/
RECORDED_PRESENT = 4  # a criterion the source ticks as present: "fully" on the scale


@dataclass(frozen=True)
class Entry:
    """One score as entered: the criterion's key, a value 0–4 or None (cannot judge), a note."""

    criterion: str
    value: int | None
    note: str = ""


@transaction.atomic
def create_round(*, key: str, title_nl: str, title_en: str = "", description_nl: str = "", by: Any) -> AssessmentRound:
    """A new open round without candidates or assessors."""
    key = slugify(key)[:80]
    if not key:
        raise ValidationError({"key": _("Give the round a key of letters, digits or hyphens.")})
    if not title_nl.strip():
        raise ValidationError({"title_nl": _("Give the round a Dutch title.")})
    if AssessmentRound.objects.filter(key=key).exists() or key in RESERVED_KEYS:
        raise ValidationError({"key": _("A round with this key exists already.")})
    return AssessmentRound.objects.create(
        key=key, title_nl=title_nl.strip()[:300], title_en=title_en.strip()[:300],
        description_nl=description_nl.strip(), created_by=by if getattr(by, "pk", None) else None,
    )  # fmt: skip


def _open(round_: AssessmentRound) -> None:
    if round_.is_recorded:
        raise ValidationError(_("A recorded round is kept as its source gives it; it cannot be changed."))


@transaction.atomic
def add_candidate(
    *,
    round_: AssessmentRound,
    topic_key: str = "",
    cross_theme_topic: CrossThemeTopic | None = None,
    theme: Theme | None = None,
    title_nl: str = "",
    title_en: str = "",
) -> Candidate:
    """A candidate for the round: a discovered topic (its stable id in the latest run), a
    cross-theme topic of the agenda, a theme, or a title alone. Titles default to the subject's."""
    _open(round_)
    if topic_key:
        run = topic_queries.latest_run()
        topic = run.topics.filter(key=topic_key).first() if run else None
        if topic is None:
            raise ValidationError({"topic_key": _("No topic with this id in the latest discovery run.")})
        title_nl = title_nl or topic.label_nl or topic.label_en
        title_en = title_en or topic.label_en
    elif cross_theme_topic is not None:
        title_nl, title_en = title_nl or cross_theme_topic.title_nl, title_en or cross_theme_topic.title_en
    elif theme is not None:
        title_nl, title_en = title_nl or theme.name_nl, title_en or theme.name_en
    if not title_nl.strip():
        raise ValidationError({"title_nl": _("Choose a topic, a cross-theme topic or a theme, or give a title.")})
    base = slugify(topic_key or getattr(cross_theme_topic, "key", "") or getattr(theme, "key", "") or title_nl)[:70]
    key, n = base or "candidate", 1
    while round_.candidates.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    if topic_key and round_.candidates.filter(topic_key=topic_key).exists():
        raise ValidationError({"topic_key": _("This topic is a candidate of the round already.")})
    order = round_.candidates.count() + 1
    return Candidate.objects.create(
        round=round_, key=key, order=order, title_nl=title_nl.strip()[:300], title_en=title_en.strip()[:300],
        topic_key=topic_key, cross_theme_topic=cross_theme_topic, theme=theme,
    )  # fmt: skip


@transaction.atomic
def remove_candidate(*, candidate: Candidate) -> None:
    """Remove a candidate and its scores."""
    _open(candidate.round)
    candidate.delete()


@transaction.atomic
def add_assessor(*, round_: AssessmentRound, group: str, user: Any = None, name: str = "") -> Assessor:
    """An assessor of the round in a stakeholder group (NL, VL or BOTH)."""
    _open(round_)
    if group not in {"NL", "VL", "BOTH"}:
        raise ValidationError({"group": _("Choose the Dutch, the Flemish or both sides.")})
    if user is not None:
        name = name or user.get_full_name() or user.get_username()
        if round_.assessors.filter(user=user).exists():
            raise ValidationError({"user": _("This person assesses in this round already.")})
    name = name.strip()[:200]
    if not name:
        raise ValidationError({"name": _("Give the assessor a name or choose a user.")})
    if round_.assessors.filter(name=name).exists():
        raise ValidationError({"name": _("An assessor with this name is in this round already.")})
    return Assessor.objects.create(round=round_, user=user, name=name, group=group)


@transaction.atomic
def save_scores(*, assessor: Assessor, candidate: Candidate, entries: Sequence[Entry]) -> int:
    """Store an assessor's scores of one candidate (replacing earlier ones per criterion).
    All entries are checked before any is written. Returns how many changed."""
    round_ = assessor.round
    _open(round_)
    if round_.status != AssessmentRound.OPEN:
        raise ValidationError(_("This round is closed; scores can no longer change."))
    if candidate.round_id != round_.pk:
        raise ValidationError({"candidate": _("This candidate is not in the assessor's round.")})
    criteria = {c.key: c for c in Criterion.objects.all()}
    seen: set[str] = set()
    for entry in entries:
        if entry.criterion not in criteria:
            raise ValidationError({"criterion": _("Unknown criterion “%(key)s”.") % {"key": entry.criterion}})
        if entry.criterion in seen:
            raise ValidationError({entry.criterion: _("Scored twice.")})
        seen.add(entry.criterion)
        if entry.value is not None and (isinstance(entry.value, bool) or entry.value not in range(0, 5)):
            raise ValidationError({entry.criterion: _("A score is a whole number from 0 to 4, or empty.")})
        if len(entry.note) > NOTE_LIMIT:
            raise ValidationError({entry.criterion: _("An evidence note is at most 4,000 characters.")})
    existing = {s.criterion_id: s for s in Score.objects.filter(assessor=assessor, candidate=candidate)}
    changed = 0
    for entry in entries:
        criterion = criteria[entry.criterion]
        note = entry.note.strip()
        current = existing.get(criterion.pk)
        if current is None:
            if entry.value is None and not note:
                continue
            Score.objects.create(assessor=assessor, candidate=candidate, criterion=criterion, value=entry.value,
                                 note=note)  # fmt: skip
            changed += 1
        elif (current.value, current.note) != (entry.value, note):
            current.value, current.note = entry.value, note
            current.save()
            changed += 1
    return changed


@transaction.atomic
def set_status(*, round_: AssessmentRound, status: str) -> AssessmentRound:
    """Open or close a round for scoring."""
    _open(round_)
    if status not in {AssessmentRound.OPEN, AssessmentRound.CLOSED}:
        raise ValidationError({"status": _("Unknown status.")})
    round_.status = status
    round_.save(update_fields=["status"])
    return round_


@transaction.atomic
def set_weights(*, round_: AssessmentRound, weights: Mapping[str, float]) -> AssessmentRound:
    """The weight of each top-level criterion in the round's ranking (≥ 0, not all 0)."""
    top = set(Criterion.objects.filter(parent__isnull=True).values_list("key", flat=True))
    unknown = sorted(set(weights) - top)
    if unknown:
        raise ValidationError({"weights": _("Not a top-level criterion: %(keys)s") % {"keys": ", ".join(unknown)}})
    for key, value in weights.items():
        if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 100:
            raise ValidationError({key: _("A weight is a number from 0 to 100.")})
    if weights and not any(weights.values()):
        raise ValidationError({"weights": _("At least one criterion needs a weight above 0.")})
    round_.weights = {k: float(v) for k, v in sorted(weights.items())}
    round_.save(update_fields=["weights"])
    return round_


@transaction.atomic
def record_seed_rounds() -> int:
    """A recorded, closed round for each of the seed's criteria assessments (4f's assessment
    of New Materials): one candidate, its subject; one assessor, the assessment's authors
    (both sides); a ticked criterion scores RECORDED_PRESENT, one the source leaves open
    stays empty ("cannot judge"), with the source's note. Idempotent: returns rounds made."""
    made = 0
    for assessment in CriteriaAssessment.objects.select_related("subject_theme", "subject_topic").order_by("key"):
        key = f"recorded-{assessment.key}"[:80]
        if AssessmentRound.objects.filter(key=key).exists():
            continue
        round_ = AssessmentRound.objects.create(
            key=key, title_nl=assessment.title_nl, title_en=_recorded_title_en(assessment),
            status=AssessmentRound.CLOSED, is_recorded=True, source=assessment.source,
        )  # fmt: skip
        theme, topic = assessment.subject_theme, assessment.subject_topic
        if theme is not None:
            key_, title_nl, title_en = theme.key, theme.name_nl, theme.name_en
        elif topic is not None:
            key_, title_nl, title_en = topic.key, topic.title_nl, topic.title_en
        else:  # the model's check constraint rules this out
            continue
        candidate = Candidate.objects.create(
            round=round_, key=key_, order=1, theme=theme, cross_theme_topic=topic, title_nl=title_nl, title_en=title_en
        )
        assessor = Assessor.objects.create(round=round_, name=assessment.assessed_by[:200], group="BOTH")
        Score.objects.bulk_create(
            Score(assessor=assessor, candidate=candidate, criterion_id=f.criterion_id,
                  value=RECORDED_PRESENT if f.present else None, note=f.note_nl)
            for f in assessment.findings.all()
        )  # fmt: skip
        made += 1
    return made


def _recorded_title_en(assessment: CriteriaAssessment) -> str:
    subject = assessment.subject_theme.name_en if assessment.subject_theme else ""
    when = f" (as of {assessment.assessed_on:%d %B %Y})" if assessment.assessed_on else ""
    return f"Combined criteria list{when} — {subject}" if subject else ""
