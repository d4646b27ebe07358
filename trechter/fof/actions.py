"""Changes to a FoF / Smart Industry round: the round and its jury, applications, assignments,
scores, the consensus, the decision and the publication.

Every action checks its input and the round's state and raises ValidationError naming the
field; each runs in one transaction, so a refused change leaves nothing half written (the
reminders, which mail, claim one label at a time instead). Who may
call which action is decided in the views (fof/rules.py); the conflict of interest is also
checked here, so no path around the views can assign or score it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from trechter.actors.models import Organisation
from trechter.analytics import award
from trechter.fof import queries
from trechter.fof.models import Affiliation, Application, AspectScore, Assignment, AwardRound, Consensus, JuryMember
from trechter.fof.rules import affiliated_with

RESERVED_KEYS = {"new", "affiliate"}  # pages under /fof/ that a round's key would hide
NEXT_STATE = {"draft": "open", "open": "assessing"}  # later states follow decide_round and publish


@transaction.atomic
def create_round(
    *, key: str, year: int, title_nl: str, opens_on: date, closes_on: date, announce_on: date, by: Any, **method: Any
) -> AwardRound:
    """A new round in preparation, with the seed's method unless `method` changes it
    (aspects, scale_min, scale_max, award_level, label_years, reminder_days,
    assessors_per_application, max_spread, title_en)."""
    if slugify(key)[:80] in RESERVED_KEYS:
        raise ValidationError({"key": _("This key names a page of its own; choose another.")})
    round_ = AwardRound(
        key=slugify(key)[:80], year=year, title_nl=title_nl.strip()[:200], opens_on=opens_on, closes_on=closes_on,
        announce_on=announce_on, **method,
    )  # fmt: skip
    round_.full_clean()
    round_._history_user = by  # type: ignore[attr-defined]
    round_.save()
    return round_


@transaction.atomic
def advance(*, round_: AwardRound, by: Any) -> AwardRound:
    """In preparation → open for applications → assessing."""
    locked = AwardRound.objects.select_for_update().get(pk=round_.pk)
    if locked.state not in NEXT_STATE:
        raise ValidationError({"state": _("The round is past this step.")})
    if locked.state == "open" and set(locked.jury.values_list("side", flat=True)) != {"NL", "VL"}:
        raise ValidationError(
            {"jury": _("Name jurors for the Netherlands and for Flanders before the assessment starts.")}
        )
    locked.state = NEXT_STATE[locked.state]
    locked._history_user = by  # type: ignore[attr-defined]
    locked.save(update_fields=["state"])
    return locked


@transaction.atomic
def add_juror(*, round_: AwardRound, user: Any, side: str, is_chair: bool = False, by: Any) -> JuryMember:
    if side not in ("NL", "VL"):
        raise ValidationError({"side": _("A juror sits for the Netherlands (NL) or Flanders (VL).")})
    round_ = _fresh(round_.pk)
    if round_.state in ("decided", "published"):
        raise ValidationError({"jury": _("The round is decided; its jury stays as it was.")})
    juror, _created = JuryMember.objects.update_or_create(
        round=round_, user=user, defaults={"side": side, "is_chair": is_chair}
    )
    return juror


@transaction.atomic
def remove_juror(*, juror: JuryMember, by: Any) -> None:
    """Take a juror off a round's jury; refused while they are assigned to its applications."""
    round_ = _fresh(juror.round_id)
    if round_.state in ("decided", "published"):
        raise ValidationError({"jury": _("The round is decided; its jury stays as it was.")})
    if Assignment.objects.filter(application__round=round_, assessor_id=juror.user_id).exists():
        raise ValidationError({"jury": _("Remove this juror's assignments first.")})
    juror.delete()


@transaction.atomic
def unassign(*, assignment: Assignment, by: Any) -> None:
    """Withdraw an assignment whose scores are not in; scores given stay on record."""
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.submitted_at is not None:
        raise ValidationError({"assessor": _("This assessor's scores are in; the assignment stays on record.")})
    if _fresh(locked.application.round_id).state not in ("open", "assessing"):
        raise ValidationError({"assessor": _("Assessors are assigned before the decision.")})
    locked.delete()


@transaction.atomic
def affiliate(*, user: Any, organisation: Organisation, by: Any) -> Affiliation:
    """Record that `user` works for `organisation` (once)."""
    affiliation, _created = Affiliation.objects.get_or_create(user=user, organisation=organisation)
    return affiliation


@transaction.atomic
def apply(
    *, round_: AwardRound, organisation: Organisation, by: Any, motivation: str = "", on: date | None = None
) -> Application:
    """A company's application, while the call is open, by someone who works for it."""
    on = on or timezone.localdate()
    round_ = _fresh(round_.pk)
    if round_.state != "open" or not round_.opens_on <= on <= round_.closes_on:
        raise ValidationError({"round": _("The call of this round is not open.")})
    if organisation.side not in ("NL", "VL"):
        raise ValidationError({"organisation": _("Companies from the Netherlands or Flanders apply.")})
    if not by.affiliations.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": _("You can only apply for an organisation you work for.")})
    if Application.objects.filter(round=round_, organisation=organisation).exists():
        raise ValidationError({"organisation": _("This organisation has applied to this round already.")})
    return Application.objects.create(
        round=round_, organisation=organisation, side=organisation.side, applicant=by, motivation=motivation.strip()
    )


@transaction.atomic
def assign(*, application: Application, assessor: Any, by: Any) -> Assignment:
    """Ask a juror to score an application; refused for a juror who works for the company."""
    round_ = _fresh(application.round_id)
    if round_.state not in ("open", "assessing"):
        raise ValidationError({"assessor": _("Assessors are assigned before the decision.")})
    if not round_.jury.filter(user=assessor).exists():
        raise ValidationError({"assessor": _("Only jurors of this round assess its applications.")})
    if affiliated_with(assessor, application):
        raise ValidationError(
            {"assessor": _("Conflict of interest: %(name)s works for %(company)s.")
             % {"name": assessor.get_username(), "company": application.organisation.name}}
        )  # fmt: skip
    assignment, _created = Assignment.objects.get_or_create(application=application, assessor=assessor)
    return assignment


@transaction.atomic
def submit_scores(
    *, assignment: Assignment, levels: Mapping[str, object], comments: Mapping[str, str], by: Any
) -> Assignment:
    """An assessor's level and comment for every aspect, all at once; again until the consensus."""
    locked = Assignment.objects.select_for_update().select_related("application__round").get(pk=assignment.pk)
    application = locked.application
    if locked.assessor_id != by.pk:
        raise ValidationError({"assessor": _("Only the assigned assessor scores this application.")})
    if application.round.state != "assessing":
        raise ValidationError({"round": _("The round is not being assessed.")})
    if affiliated_with(by, application):
        raise ValidationError({"assessor": _("Conflict of interest: you work for this company.")})
    if application.consensus.exists():
        raise ValidationError({"round": _("The jury has started agreeing on this application; scores are final.")})
    method = application.round.method
    try:
        checked = award.check_scores(method, levels)
    except award.ScoreError as error:
        raise ValidationError({error.field: _score_message(error, method)}) from None
    for aspect, level in checked.items():
        comment = str(comments.get(aspect, "")).strip()
        if len(comment) > 3000:
            raise ValidationError({f"{aspect}_comment": _("At most 3,000 characters.")})
        AspectScore.objects.update_or_create(
            assignment=locked, aspect=aspect, defaults={"level": level, "comment": comment}
        )
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["submitted_at"])
    return locked


def _score_message(error: award.ScoreError, method: award.Method) -> str:
    """A refused level in the reader's language."""
    scale = {"low": method.scale_min, "high": method.scale_max}
    if error.code == "unknown_aspect":
        return _("Not an aspect of this round.")
    if error.code == "missing":
        return _("Give a level.")
    return _("A level from %(low)s to %(high)s.") % scale


def _fresh(pk: int) -> AwardRound:
    """The round as stored now (a caller's instance may predate a change of state)."""
    return AwardRound.objects.get(pk=pk)


@transaction.atomic
def agree(
    *, application: Application, aspect: str, level: int, by: Any, reason: str = "", comment: str = ""
) -> Consensus:
    """The jury's level for one aspect. Where assessors were more than one level apart, or the
    level is not the one proposed, the reason is required and recorded."""
    round_ = _fresh(application.round_id)
    method = round_.method
    if round_.state != "assessing":
        raise ValidationError({"round": _("The round is not being assessed.")})
    if aspect not in method.keys:
        raise ValidationError({"aspect": _("Not an aspect of this round.")})
    try:
        award.check_level(method, aspect, level)
    except award.ScoreError as error:
        raise ValidationError({"level": _score_message(error, method)}) from None
    submitted = application.assignments.filter(submitted_at__isnull=False).count()
    if submitted < method.assessors:
        raise ValidationError(
            {"application": _("Waiting for scores: %(done)s of %(needed)s assessors have scored.")
             % {"done": submitted, "needed": method.assessors}}
        )  # fmt: skip
    spread = next(s for s in queries.spreads(application) if s.aspect == aspect)
    if (spread.flagged or level != spread.proposed) and not reason.strip():
        raise ValidationError({"reason": _("Say why: the assessors disagreed, or this is not the proposed level.")})
    consensus, _created = Consensus.objects.update_or_create(
        application=application, aspect=aspect,
        defaults={"level": level, "was_flagged": spread.flagged, "reason": reason.strip(),
                  "comment": comment.strip(), "agreed_by": by},
    )  # fmt: skip
    return consensus


@transaction.atomic
def decide_round(*, round_: AwardRound, by: Any) -> list[tuple[Application, award.Decision]]:
    """Apply the award rule to every application once every aspect has an agreed level; the
    winners' labels run from the announcement day."""
    locked = AwardRound.objects.select_for_update().get(pk=round_.pk)
    if locked.state != "assessing":
        raise ValidationError({"round": _("Only a round being assessed is decided.")})
    method = locked.method
    applications = list(locked.applications.select_related("organisation").prefetch_related("consensus"))
    if not applications:
        raise ValidationError({"round": _("The round has no applications.")})
    decided = []
    now = timezone.now()
    for application in applications:
        agreed = {c.aspect: c.level for c in application.consensus.all()}
        decision = award.decide(method, agreed)
        if decision.missing:
            missing = ", ".join(queries.aspect_names(method)[key] for key in decision.missing)
            raise ValidationError(
                {"round": _("%(company)s has no agreed level for: %(aspects)s.")
                 % {"company": application.organisation.name, "aspects": missing}}
            )  # fmt: skip
        application.awarded = decision.awarded
        application.decided_at = now
        application.label_valid_until = (
            award.label_valid_until(locked.announce_on, method.label_years) if decision.awarded else None
        )
        application.save(update_fields=["awarded", "decided_at", "label_valid_until"])
        decided.append((application, decision))
    locked.state = "decided"
    locked._history_user = by  # type: ignore[attr-defined]
    locked.save(update_fields=["state"])
    return decided


@transaction.atomic
def publish(*, round_: AwardRound, by: Any, on: date | None = None) -> AwardRound:
    """Publish the decision for both sides at once, on or after the announcement day."""
    on = on or timezone.localdate()
    locked = AwardRound.objects.select_for_update().get(pk=round_.pk)
    if locked.state != "decided":
        raise ValidationError({"round": _("Only a decided round is published.")})
    if on < locked.announce_on:
        raise ValidationError(
            {"announce_on": _("The awards are announced on %(day)s, in Flanders and the Netherlands at once.")
             % {"day": locked.announce_on.isoformat()}}
        )  # fmt: skip
    locked.state = "published"
    locked.published_at = timezone.now()
    locked._history_user = by  # type: ignore[attr-defined]
    locked.save(update_fields=["state", "published_at"])
    return locked


def send_reminders(*, on: date | None = None) -> list[tuple[Application, list[str]]]:
    """Mail the people of every company whose label lapses within its round's reminder period
    and who were not reminded yet: re-apply to keep the label. Returns who was written to.

    Each label is claimed (reminded_on set, only if still empty) before its mail goes out, so
    two runs at once never mail twice, and no lock is held while the mail server answers; a
    mail that fails gives its claim back and stops the run, to be tried again next time."""
    on = on or timezone.localdate()
    due = list(
        Application.objects.filter(awarded=True, round__state="published", reminded_on__isnull=True).select_related(
            "round", "organisation"
        )
    )
    emails: dict[int, set[str]] = {}
    people = Affiliation.objects.filter(organisation__in=[a.organisation_id for a in due]).exclude(user__email="")
    for organisation_id, email in people.values_list("organisation_id", "user__email"):
        emails.setdefault(organisation_id, set()).add(email)
    sent = []
    for application in due:
        round_ = application.round
        state = award.label_state(
            round_.announce_on, years=round_.label_years, reminder_days=round_.reminder_days, on=on
        )
        unclaimed = Application.objects.filter(pk=application.pk, reminded_on__isnull=True)
        if state != award.REMIND or not unclaimed.update(reminded_on=on):
            continue
        addresses = sorted(emails.get(application.organisation_id, ()))
        try:
            if addresses:
                send_mail(*_reminder(application), None, addresses)
        except Exception:
            Application.objects.filter(pk=application.pk).update(reminded_on=None)
            raise
        application.reminded_on = on
        sent.append((application, addresses))
    return sent


def _reminder(application: Application) -> tuple[str, str]:
    """The reminder's subject and text."""
    day = application.label_valid_until
    subject = _("Your Factory of the Future label lapses on %(day)s") % {"day": day}
    text = _(
        "The FoF / Smart Industry label of %(company)s (%(round)s) holds until %(day)s. Apply to a "
        "new round to be re-assessed and keep it."
    ) % {"company": application.organisation.name, "round": application.round.title_nl, "day": day}
    return subject, text
