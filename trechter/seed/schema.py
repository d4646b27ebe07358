"""The shape of the seed data set (`trechter/seed/data/**/*.yaml`), checked before anything is written.

Pure pydantic, no Django: the loader reads every YAML file, validates each record against
these classes, then checks cross-references over the whole set (see `dataset.py`). Every
file may hold any of the top-level sections of `SeedFile`; keys are global across files.
The format is documented for people in docs/seed-format.md.
"""

from __future__ import annotations

import datetime
import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from trechter.analytics import eligibility

Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# Bounded texts: the same limits as the database columns (trechter/*/models.py).
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Trl = Annotated[int, Field(ge=1, le=9)]
Euros = Annotated[int, Field(ge=0)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Side(StrEnum):
    NL = "NL"  # the Netherlands
    VL = "VL"  # Flanders (incl. Flemish bodies seated in Brussels)
    BE_OTHER = "BE_OTHER"  # Brussels region, Wallonia, Belgian federal
    OTHER = "OTHER"  # any other country or an international body


class ActivitySide(StrEnum):
    NL = "NL"
    VL = "VL"
    BOTH = "BOTH"


class OrganisationType(StrEnum):
    LARGE_COMPANY = "large_company"
    SME = "sme"
    STARTUP = "startup"
    UNIVERSITY = "university"
    UNIVERSITY_HOSPITAL = "university_hospital"
    RTO = "rto"  # research and technology organisation (TNO, Sirris, NLR, ECN, …)
    STRATEGIC_RESEARCH_CENTRE = "strategic_research_centre"  # Flemish SOCs: imec, VIB, VITO, Flanders Make
    GOVERNMENT = "government"
    CLUSTER = "cluster"  # cluster, network, sector association, topsector, platform
    INVESTOR = "investor"
    CHARITY = "charity"  # charity or patient organisation
    OTHER = "other"


class ProposalKind(StrEnum):
    COOPERATION = "cooperation"  # samenwerkingsvoorstel
    PROJECT = "project"  # projectvoorstel


class ProposalStatus(StrEnum):
    IDEA = "idea"
    PROPOSED = "proposed"  # named in the agenda, not yet worked out
    IN_PREPARATION = "in_preparation"
    SUBMITTED = "submitted"
    RUNNING = "running"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


class ValueChainStage(StrEnum):
    MATERIALS = "materials"
    COMPONENTS = "components"
    EQUIPMENT = "equipment"  # production equipment and processes
    SYSTEMS = "systems"  # integration into systems / products
    APPLICATIONS = "applications"  # use by end users, demonstration in the field
    SERVICES = "services"
    WHOLE_CHAIN = "whole_chain"


class PartyRole(StrEnum):
    LEAD = "lead"
    PARTNER = "partner"
    TO_INVOLVE = "to_involve"


class InstrumentState(StrEnum):
    CANDIDATE = "candidate"
    APPLIED = "applied"
    GRANTED = "granted"


class InstrumentLevel(StrEnum):
    EU = "eu"
    BINATIONAL = "binational"  # e.g. Interreg Vlaanderen-Nederland, FWO–NWO
    NATIONAL_NL = "national_nl"
    REGIONAL_NL = "regional_nl"
    REGIONAL_VL = "regional_vl"
    PRIVATE = "private"
    OTHER = "other"


class Band(StrEnum):
    ALL = "all"
    B1_3 = "1-3"
    B4_6 = "4-6"
    B7_9 = "7-9"


class GroupKind(StrEnum):
    STAKEHOLDER = "stakeholder"
    CORE = "core"
    WORKSHOP = "workshop"
    JURY = "jury"
    OTHER = "other"


class LeadRole(StrEnum):
    LEAD = "lead"  # trekker
    PENHOLDER = "penholder"  # penhouder


class TrlBasis(StrEnum):
    STATED = "stated"  # the seed gives the TRLs for this item
    INFERRED = "inferred"  # read from context (its section's TRL band, "pilootlijnen", …); say why in `note`


class TrlRange(Record):
    trl_from: Trl
    trl_to: Trl
    basis: TrlBasis = TrlBasis.STATED
    note: Line | None = None

    @model_validator(mode="after")
    def _ordered(self) -> TrlRange:
        if self.trl_from > self.trl_to:
            raise ValueError(f"trl_from ({self.trl_from}) is greater than trl_to ({self.trl_to})")
        if self.basis is TrlBasis.INFERRED and not self.note:
            raise ValueError("an inferred TRL range needs a note saying what it was read from")
        return self


class Organisation(Record):
    key: Key
    name: Title
    aliases: list[Title] = []
    side: Side
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    type: OrganisationType
    city: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)] | None = None
    parent: Key | None = None
    note: Text | None = None
    source: Line

    @model_validator(mode="after")
    def _side_matches_country(self) -> Organisation:
        expected = {Side.NL: "NL", Side.VL: "BE", Side.BE_OTHER: "BE"}.get(self.side)
        if expected and self.country != expected:
            raise ValueError(f"side {self.side.value} needs country {expected}, not {self.country}")
        if self.side is Side.OTHER and self.country in ("NL", "BE"):
            raise ValueError(f"side OTHER cannot have country {self.country}")
        return self


class Person(Record):
    key: Key
    name: Name
    organisation: Key | None = None
    function: Title | None = None
    source: Line


class Membership(Record):
    person: Key
    organisation: Key | None = None  # the organisation the person represents in the group
    role: Name | None = None


class Group(Record):
    key: Key
    kind: GroupKind
    name_nl: Title
    name_en: Title
    description_nl: Text | None = None
    members: list[Membership] = []
    source: Line


class ThemeLead(Record):
    side: ActivitySide
    role: LeadRole
    organisation: Key | None = None
    person: Key | None = None
    source: Line

    @model_validator(mode="after")
    def _someone(self) -> ThemeLead:
        if not (self.organisation or self.person):
            raise ValueError("a theme lead names an organisation, a person or both")
        return self


class SubPriority(Record):
    key: Key
    title_nl: Title
    title_en: Title
    description_nl: Text | None = None
    source: Line


class Theme(Record):
    key: Key
    order: Annotated[int, Field(ge=1)]
    name_nl: Name
    name_en: Name
    aim_nl: Text
    aim_en: Text | None = None
    leads: list[ThemeLead] = []
    sub_priorities: list[SubPriority] = []
    source: Line


class Budget(Record):
    per_year_min_eur: Euros | None = None
    per_year_max_eur: Euros | None = None
    years: Annotated[int, Field(ge=1, le=50)] | None = None
    total_min_eur: Euros | None = None
    total_max_eur: Euros | None = None
    text_nl: Line  # the seed's own words, e.g. "3 à 4 miljoen euro benodigd budget"

    @model_validator(mode="after")
    def _ranges(self) -> Budget:
        for low, high in (("per_year_min_eur", "per_year_max_eur"), ("total_min_eur", "total_max_eur")):
            lo, hi = getattr(self, low), getattr(self, high)
            if (lo is None) != (hi is None):
                raise ValueError(f"{low} and {high} go together (equal when the seed gives one figure)")
            if lo is not None and hi is not None and lo > hi:
                raise ValueError(f"{low} ({lo}) is greater than {high} ({hi})")
        if self.per_year_min_eur is not None and self.years is None:
            raise ValueError("a budget per year needs years")
        return self


class Party(Record):
    organisation: Key
    role: PartyRole
    note: Line | None = None


class ProposalInstrument(Record):
    instrument: Key
    state: InstrumentState
    note: Line | None = None


PLANNED_START = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-\d{2})?)?$")


class Proposal(Record):
    key: Key
    kind: ProposalKind
    theme: Key
    other_themes: list[Key] = []
    sub_priority: Key | None = None
    parent: Key | None = None
    overview_label_nl: Title | None = None  # the exact wording in the table of section 2.1, if listed there
    overview_order: Annotated[int, Field(ge=1)] | None = None
    title_nl: Title
    title_en: Title | None = None
    summary_nl: Text | None = None
    summary_en: Text | None = None
    trl: TrlRange | None = None
    value_chain: list[ValueChainStage] = []
    status: ProposalStatus
    budget: Budget | None = None
    duration_months: Annotated[int, Field(ge=1, le=240)] | None = None
    planned_start: str | None = None  # "2017", "2017-03" or "2017-03-01"
    parties: list[Party] = []
    instruments: list[ProposalInstrument] = []
    source: Line

    @field_validator("planned_start")
    @classmethod
    def _start(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not PLANNED_START.match(value):
            raise ValueError("planned_start is YYYY, YYYY-MM or YYYY-MM-DD")
        if len(value) == 10:
            datetime.date.fromisoformat(value)
        return value

    @model_validator(mode="after")
    def _overview(self) -> Proposal:
        if (self.overview_label_nl is None) != (self.overview_order is None):
            raise ValueError("overview_label_nl and overview_order go together")
        return self


class Activity(Record):
    key: Key
    theme: Key
    side: ActivitySide
    trl: TrlRange | None = None
    value_chain: list[ValueChainStage] = []
    text_nl: Text
    text_en: Text | None = None
    organisations: list[Key] = []
    source: Line


class Actor(Record):
    """An organisation named in a theme's chapter, with what the seed says it does there."""

    theme: Key
    organisation: Key
    note_nl: Text | None = None
    trl: TrlRange | None = None
    value_chain: list[ValueChainStage] = []
    source: Line


class FunnelQuestion(Record):
    key: Key
    order: Annotated[int, Field(ge=1)]
    text_nl: Text
    text_en: Text
    source: Line


class FunnelAnswer(Record):
    theme: Key
    question: Key
    band: Band
    text_nl: Text
    text_en: Text | None = None
    source: Line


class CrossThemeTopic(Record):
    key: Key
    title_nl: Title
    title_en: Title
    description_nl: Text | None = None
    themes: Annotated[list[Key], Field(min_length=2)]
    source: Line


class Instrument(Record):
    key: Key
    name: Title
    name_en: Title | None = None
    acronym: Short | None = None
    level: InstrumentLevel
    trl: TrlRange | None = None
    notes_nl: Text | None = None
    # Eligibility rules (analytics.eligibility): what the seed says, or public knowledge where
    # `rules_note` says so.
    rules: list[dict[str, Any]] = []
    rules_note: Text | None = None
    source: Line

    @field_validator("rules", mode="before")
    @classmethod
    def _valid_rules(cls, value: Any) -> list[dict[str, Any]]:
        return eligibility.parse_rules(value)


class Meeting(Record):
    key: Key
    held_on: datetime.date
    place: Name | None = None  # None where the seed does not say
    group: Key
    title_nl: Line
    title_en: Line | None = None
    host: Key | None = None
    participants: list[Membership] = []
    source: Line


class TrlLevel(Record):
    level: Trl
    text_nl: Text
    text_en: Text
    source: Line


class Criterion(Record):
    key: Key
    parent: Key | None = None
    order: Annotated[int, Field(ge=1)]
    text_nl: Text
    text_en: Text
    source: Line


class CriterionFinding(Record):
    criterion: Key
    present: bool | None = None  # True for "Aanwezig"; None where the seed leaves it open
    note_nl: Text | None = None


class CriteriaAssessment(Record):
    key: Key
    subject_theme: Key | None = None
    subject_topic: Key | None = None
    title_nl: Title
    assessed_on: datetime.date | None = None
    assessed_by: Title
    findings: list[CriterionFinding]
    source: Line

    @model_validator(mode="after")
    def _has_subject(self) -> CriteriaAssessment:
        if not (self.subject_theme or self.subject_topic):
            raise ValueError("an assessment names its subject: subject_theme, subject_topic or both")
        return self


class AgendaInfo(Record):
    title_nl: Title
    title_en: Title
    presented_on: datetime.date
    introduction_nl: Text
    introduction_en: Text | None = None
    conclusions_nl: list[Text] = []
    conclusions_en: list[Text] = []
    source: Line


class SeedFile(Record):
    """One YAML file of the data set: any subset of these sections."""

    agenda: AgendaInfo | None = None
    organisations: list[Organisation] = []
    people: list[Person] = []
    groups: list[Group] = []
    themes: list[Theme] = []
    proposals: list[Proposal] = []
    activities: list[Activity] = []
    actors: list[Actor] = []
    funnel_questions: list[FunnelQuestion] = []
    funnel_answers: list[FunnelAnswer] = []
    cross_theme_topics: list[CrossThemeTopic] = []
    instruments: list[Instrument] = []
    meetings: list[Meeting] = []
    trl_levels: list[TrlLevel] = []
    criteria: list[Criterion] = []
    criteria_assessments: list[CriteriaAssessment] = []
