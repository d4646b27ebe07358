"""Choice lists shared by models, forms and admin: the values come from the seed schema's
enums (one source of truth), the labels are translated here for the UI (NL and EN)."""

from __future__ import annotations

from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from trechter.seed import schema


def choices(enum: type[StrEnum], labels: dict[str, Promise]) -> list[tuple[str, Promise]]:
    """Django `choices` for every member of `enum`; fails at import if a label is missing."""
    missing = [m.value for m in enum if m.value not in labels]
    if missing:
        raise LookupError(f"{enum.__name__}: no label for {missing}")
    return [(m.value, labels[m.value]) for m in enum]


SIDES = choices(
    schema.Side,
    {"NL": _("Netherlands"), "VL": _("Flanders"), "BE_OTHER": _("Other Belgium"), "OTHER": _("Other country")},
)
ACTIVITY_SIDES = choices(schema.ActivitySide, {"NL": _("Netherlands"), "VL": _("Flanders"), "BOTH": _("Both")})
ORGANISATION_TYPES = choices(
    schema.OrganisationType,
    {
        "large_company": _("Large company"),
        "sme": _("SME"),
        "startup": _("Startup"),
        "university": _("University"),
        "university_hospital": _("University hospital"),
        "rto": _("Research and technology organisation"),
        "strategic_research_centre": _("Strategic research centre"),
        "government": _("Government body"),
        "cluster": _("Cluster or network organisation"),
        "investor": _("Investor"),
        "charity": _("Charity or patient organisation"),
        "other": _("Other"),
    },
)
PROPOSAL_KINDS = choices(
    schema.ProposalKind, {"cooperation": _("Cooperation proposal"), "project": _("Project proposal")}
)
PROPOSAL_STATUSES = choices(
    schema.ProposalStatus,
    {
        "idea": _("Idea"),
        "proposed": _("Proposed"),
        "in_preparation": _("In preparation"),
        "submitted": _("Submitted"),
        "running": _("Running"),
        "completed": _("Completed"),
        "withdrawn": _("Withdrawn"),
    },
)
VALUE_CHAIN_STAGES = choices(
    schema.ValueChainStage,
    {
        "materials": _("Materials"),
        "components": _("Components"),
        "equipment": _("Equipment and processes"),
        "systems": _("Systems and integration"),
        "applications": _("Applications"),
        "services": _("Services"),
        "whole_chain": _("Whole value chain"),
    },
)
PARTY_ROLES = choices(schema.PartyRole, {"lead": _("Lead"), "partner": _("Partner"), "to_involve": _("To involve")})
INSTRUMENT_STATES = choices(
    schema.InstrumentState, {"candidate": _("Candidate"), "applied": _("Applied"), "granted": _("Granted")}
)
INSTRUMENT_LEVELS = choices(
    schema.InstrumentLevel,
    {
        "eu": _("European"),
        "binational": _("Binational"),
        "national_nl": _("National (Netherlands)"),
        "regional_nl": _("Regional (Netherlands)"),
        "regional_vl": _("Flemish"),
        "private": _("Private"),
        "other": _("Other"),
    },
)
BANDS = choices(schema.Band, {"all": _("Whole chain"), "1-3": _("TRL 1–3"), "4-6": _("TRL 4–6"), "7-9": _("TRL 7–9")})
GROUP_KINDS = choices(
    schema.GroupKind,
    {
        "stakeholder": _("Stakeholder group"),
        "core": _("Core group"),
        "workshop": _("Workshop"),
        "jury": _("Jury"),
        "other": _("Other"),
    },
)
LEAD_ROLES = choices(schema.LeadRole, {"lead": _("Theme lead"), "penholder": _("Penholder")})
TRL_BASES = choices(schema.TrlBasis, {"stated": _("Stated in the source"), "inferred": _("Inferred from context")})
