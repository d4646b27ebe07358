"""Boring helpers to build and clear test data."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from trechter.accounts.models import Role
from trechter.actors import models as actors
from trechter.agenda import models as agenda
from trechter.assessment import models as assessment
from trechter.fof import models as fof
from trechter.funding import models as funding
from trechter.topics import models as topics
from trechter.versions import models as versions

PASSWORD = "correct-horse-battery-staple"

# Dependants before what they depend on (the foreign keys are PROTECT on purpose).
DELETION_ORDER = [
    fof.Consensus,
    fof.AspectScore,
    fof.Assignment,
    fof.Application,
    fof.JuryMember,
    fof.AwardRound,
    fof.Affiliation,
    versions.Comment,
    versions.Draft,
    versions.Version,
    Role,
    topics.TopicRun,
    assessment.AssessmentRound,
    assessment.CriterionFinding,
    assessment.CriteriaAssessment,
    assessment.Criterion,
    agenda.FunnelAnswer,
    agenda.FunnelQuestion,
    agenda.ThemeActor,
    agenda.Activity,
    agenda.ProposalInstrument,
    agenda.Party,
    agenda.Proposal,
    agenda.CrossThemeTopic,
    agenda.SubPriority,
    agenda.ThemeLead,
    agenda.Theme,
    agenda.Agenda,
    agenda.TrlLevel,
    funding.Instrument,
    actors.MeetingParticipant,
    actors.Meeting,
    actors.Membership,
    actors.Group,
    actors.Person,
    actors.OrganisationAlias,
    actors.Organisation,
]


def empty_database() -> None:
    """Delete every domain row (inside the test's transaction, so it rolls back)."""
    agenda.Proposal.objects.update(parent=None)
    assessment.Criterion.objects.update(parent=None)
    actors.Organisation.objects.update(parent=None)
    for model in DELETION_ORDER:
        model._default_manager.all().delete()


def make_user(username: str, role: str | None = None, theme: str | None = None, **extra: Any) -> Any:
    """A user with at most one role; `theme` is the key of the theme a theme lead leads."""
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    if role is not None:
        Role.objects.create(user=user, kind=role, theme=agenda.Theme.objects.get(key=theme) if theme else None)
    return user
