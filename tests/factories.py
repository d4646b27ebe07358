"""Boring helpers to build and clear test data."""

from __future__ import annotations

from trechter.actors import models as actors
from trechter.agenda import models as agenda
from trechter.assessment import models as assessment
from trechter.funding import models as funding

# Dependants before what they depend on (the foreign keys are PROTECT on purpose).
DELETION_ORDER = [
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
