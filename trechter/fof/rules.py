"""Who may do what in a FoF / Smart Industry round.

| permission            | object      | who                                                            |
|-----------------------|-------------|----------------------------------------------------------------|
| fof.manage_rounds     | –           | core group, admin (rounds, jury, assignments, decision, publication) |
| fof.apply             | AwardRound  | who works for a Dutch or Flemish organisation, while the call is open |
| fof.score             | Assignment  | its assessor, while the round is assessing, unless their organisation applies |
| fof.agree             | AwardRound  | the chair of its jury, core group, admin (the consensus step)  |
| fof.view_application  | Application | core group, admin, and the round's jurors without a conflict of interest |
| fof.see_scores        | Application | core group, admin, its chair; a juror once their own scores for it are in |
| fof.view_report       | Application | the above; the company's own people once the round is published |

The conflict of interest: a juror affiliated with the applying organisation (or with the
organisation it is part of) sees and scores nothing of that application.
"""

from __future__ import annotations

from typing import Any

import rules

from trechter.accounts.rules import is_core_group
from trechter.fof.models import AwardRound, JuryMember


def affiliated_with(user: Any, application: Any) -> bool:
    """The user works for the applying organisation or the organisation it is part of."""
    if not getattr(user, "is_authenticated", False) or application is None:
        return False
    organisation = application.organisation
    ids = {organisation.pk, organisation.parent_id} - {None}
    return bool(user.affiliations.filter(organisation_id__in=ids).exists())


def _state(application: Any) -> str:
    """The state of the application's round as stored now (not as an instance cached it)."""
    return str(AwardRound.objects.filter(pk=application.round_id).values_list("state", flat=True).first() or "")


@rules.predicate
def may_apply(user: Any, round_: Any) -> bool:
    return bool(
        round_ is not None
        and getattr(user, "is_authenticated", False)
        and round_.state == "open"
        and user.affiliations.filter(organisation__side__in=("NL", "VL")).exists()
    )


@rules.predicate
def scores_it(user: Any, assignment: Any) -> bool:
    if assignment is None or assignment.assessor_id != getattr(user, "pk", None):
        return False
    application = assignment.application
    return _state(application) == "assessing" and not affiliated_with(user, application)


@rules.predicate
def chairs(user: Any, round_: Any) -> bool:
    if round_ is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(round_.jury.filter(user=user, is_chair=True).exists())


@rules.predicate
def judges_without_conflict(user: Any, application: Any) -> bool:
    if application is None or not getattr(user, "is_authenticated", False):
        return False
    on_jury = JuryMember.objects.filter(round_id=application.round_id, user=user).exists()
    return bool(on_jury and not affiliated_with(user, application))


@rules.predicate
def chairs_without_conflict(user: Any, application: Any) -> bool:
    if application is None or not getattr(user, "is_authenticated", False):
        return False
    chair = JuryMember.objects.filter(round_id=application.round_id, user=user, is_chair=True).exists()
    return bool(chair and not affiliated_with(user, application))


@rules.predicate
def has_scored_it(user: Any, application: Any) -> bool:
    """Scoring is independent: a juror sees the others' levels only with their own in (or not asked)."""
    if not judges_without_conflict(user, application):
        return False
    return not application.assignments.filter(assessor_id=user.pk, submitted_at__isnull=True).exists()


@rules.predicate
def own_published(user: Any, application: Any) -> bool:
    if application is None or not getattr(user, "is_authenticated", False) or _state(application) != "published":
        return False
    return application.applicant_id == user.pk or affiliated_with(user, application)


rules.add_perm("fof.manage_rounds", is_core_group)
rules.add_perm("fof.apply", may_apply)
rules.add_perm("fof.score", scores_it)
rules.add_perm("fof.agree", chairs | is_core_group)
rules.add_perm("fof.view_application", is_core_group | judges_without_conflict)
rules.add_perm("fof.see_scores", is_core_group | chairs_without_conflict | has_scored_it)
rules.add_perm("fof.view_report", is_core_group | judges_without_conflict | own_published)
