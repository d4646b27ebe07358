"""What the API sends and accepts. Objects are named by their keys, never by database ids."""

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

# Values come from the vocabulary; the forms check them again and name the field in a 422.
Band = Literal["1-3", "4-6", "7-9"]


class Detail(Schema):
    detail: Any


class Conflict(Schema):
    """A save that did not start from the draft as it is now: nothing was written."""

    detail: str
    draft_token: str = Field(description="The draft's current token; send it to overwrite deliberately.")
    current: dict[str, Any] = Field(description="The values saved by the other person (or the published ones).")


# Agenda ----------------------------------------------------------------------------------


class OrganisationRef(Schema):
    key: str
    name: str
    side: str


class ThemeItem(Schema):
    key: str
    order: int
    name_nl: str
    name_en: str
    aim_nl: str
    aim_en: str
    cooperation_count: int
    project_count: int


class SubPriorityOut(Schema):
    key: str
    order: int
    title_nl: str
    title_en: str
    description_nl: str


class LeadOut(Schema):
    side: str
    role: str
    organisation: OrganisationRef | None
    person: str | None = Field(description="The person's name, as on the theme page.")


class AnswerOut(Schema):
    question: str
    band: str
    text_nl: str
    text_en: str


class ThemeDetail(ThemeItem):
    source: str
    sub_priorities: list[SubPriorityOut]
    leads: list[LeadOut]
    answers: list[AnswerOut]
    proposals: list[str]


class ProposalItem(Schema):
    key: str
    theme: str
    kind: str
    status: str
    title_nl: str
    title_en: str
    trl_from: int | None
    trl_to: int | None
    parent: str | None


class PartyOut(Schema):
    organisation: OrganisationRef
    role: str
    note: str


class InstrumentRef(Schema):
    key: str
    name: str
    acronym: str


class ProposalInstrumentOut(Schema):
    instrument: InstrumentRef
    state: str
    note: str


class ProposalDetail(ProposalItem):
    other_themes: list[str]
    sub_priority: str | None
    children: list[str]
    summary_nl: str
    summary_en: str
    value_chain: list[str]
    budget_per_year_min_eur: int | None
    budget_per_year_max_eur: int | None
    budget_years: int | None
    budget_total_min_eur: int | None
    budget_total_max_eur: int | None
    budget_text_nl: str
    duration_months: int | None
    planned_start: str
    source: str
    parties: list[PartyOut]
    instruments: list[ProposalInstrumentOut]


# Drafts and versions ---------------------------------------------------------------------


class DraftOut(Schema):
    key: str
    theme: str
    operation: Literal["add", "change", "remove"]
    version: int
    revision: int
    draft_token: str = Field(description="Send it back (draft_token or If-Match) with the next save.")
    values: dict[str, Any] = Field(description="The proposed values (empty for a removal).")
    base: dict[str, Any] = Field(description="The published values the draft started from.")
    created_by: str | None
    updated_by: str | None
    updated_at: datetime


class ThemeDraftOut(Schema):
    theme: str
    version: int
    revision: int
    draft_token: str
    values: dict[str, Any]
    base: dict[str, Any]
    updated_by: str | None
    updated_at: datetime


class DraftList(Schema):
    version: int | None
    drafts: list[DraftOut]
    theme_drafts: list[ThemeDraftOut]


class FieldChangeOut(Schema):
    field: str
    old: Any
    new: Any


class RecordChangeOut(Schema):
    key: str
    fields: list[FieldChangeOut]


class RecordsDiffOut(Schema):
    added: list[str]
    removed: list[str]
    changed: list[RecordChangeOut]


class DiffOut(Schema):
    old: int
    new: int
    proposals: RecordsDiffOut
    themes: RecordsDiffOut


class VersionItem(Schema):
    number: int
    status: Literal["draft", "review", "published"]
    note: str = Field(description="The release note.")
    created_at: datetime
    submitted_at: datetime | None
    published_at: datetime | None


class VersionDetail(VersionItem):
    diff: DiffOut | None = Field(None, description="With ?diff=previous: the changes since the previous version.")
    drafts: list[DraftOut] | None = Field(None, description="The open version's drafts (editors only).")
    theme_drafts: list[ThemeDraftOut] | None = None


class WorkflowOut(Schema):
    version: VersionItem
    added: int | None = None
    changed: int | None = None
    removed: int | None = None


# Actors and funding ----------------------------------------------------------------------


class OrganisationItem(Schema):
    key: str
    name: str
    side: str
    country: str
    type: str
    city: str
    parent: str | None
    aliases: list[str]
    proposal_count: int


class OrganisationPartyOut(Schema):
    proposal: str
    title_nl: str
    theme: str
    role: str


class ThemeRoleOut(Schema):
    theme: str
    note_nl: str
    trl_from: int | None
    trl_to: int | None


class OrganisationDetail(OrganisationItem):
    note: str
    source: str
    units: list[str]
    parties: list[OrganisationPartyOut]
    theme_roles: list[ThemeRoleOut]


class GroupRef(Schema):
    key: str
    kind: str
    name_nl: str
    name_en: str


class PersonGroupOut(GroupRef):
    role: str


class PersonItem(Schema):
    key: str
    name: str
    organisation: OrganisationRef | None
    function: str
    groups: list[PersonGroupOut]


class MeetingItem(Schema):
    key: str
    held_on: date
    place: str
    group: GroupRef
    title_nl: str
    title_en: str
    host: OrganisationRef | None
    participant_count: int


class AdviceChangeOut(Schema):
    code: str
    params: dict[str, Any]
    text: str
    involve: list[str] = Field(description="Organisations the proposal lists to involve that would bring it.")


class AdviceRuleOut(Schema):
    kind: str
    status: Literal["fits", "does_not_fit", "unknown"]
    reason: str
    params: dict[str, Any]
    text: str
    changes: list[AdviceChangeOut]


class AdviceOut(Schema):
    instrument: InstrumentRef
    status: Literal["fits", "does_not_fit", "unknown"]
    named: bool = Field(description="The proposal names this instrument itself.")
    status_with_involved: Literal["fits", "does_not_fit", "unknown"] | None = Field(
        description="The status once the organisations to involve join; null when the proposal lists none."
    )
    rules: list[AdviceRuleOut]


class InstrumentItem(Schema):
    key: str
    name: str
    name_en: str
    acronym: str
    level: str
    trl_from: int | None
    trl_to: int | None


class InstrumentProposalOut(Schema):
    proposal: str
    state: str


class InstrumentDetail(InstrumentItem):
    notes_nl: str
    source: str
    rules: list[dict[str, Any]] = Field(description="Eligibility rules (kinds and parameters: analytics.eligibility).")
    rules_note: str = Field(description="Where the rules come from.")
    proposals: list[InstrumentProposalOut]


# Input -----------------------------------------------------------------------------------


class PartyIn(Schema):
    organisation: str = Field(max_length=300, description="The organisation's key.")
    role: str = Field("partner", max_length=20, description="lead, partner or to_involve")
    note: str = Field("", max_length=500)


class ProposalFieldsIn(Schema):
    """Any of the editable fields; a field left out keeps its value, null empties it."""

    kind: str | None = None
    title_nl: str | None = None
    title_en: str | None = None
    summary_nl: str | None = None
    summary_en: str | None = None
    status: str | None = None
    trl_from: int | None = None
    trl_to: int | None = None
    value_chain: list[str] | None = None
    budget_per_year_min_eur: int | None = None
    budget_per_year_max_eur: int | None = None
    budget_years: int | None = None
    budget_total_min_eur: int | None = None
    budget_total_max_eur: int | None = None
    duration_months: int | None = None
    planned_start: str | None = None
    parties: list[PartyIn] | None = Field(None, max_length=200, description="All parties; left out: unchanged.")
    draft_token: str | None = Field(
        None, max_length=40, description="The draft's token you started from; left out: the published text."
    )


class ProposalIn(ProposalFieldsIn):
    theme: str = Field(max_length=80, description="The key of the theme the new proposal belongs to.")


class AnswerIn(Schema):
    question: str = Field(max_length=80)
    band: str = Field("all", max_length=5)
    text_nl: str
    text_en: str = ""


class ThemeIn(Schema):
    name_nl: str | None = None
    name_en: str | None = None
    aim_nl: str | None = None
    aim_en: str | None = None
    answers: list[AnswerIn] | None = Field(None, max_length=500, description="All answers; left out: unchanged.")
    draft_token: str | None = Field(None, max_length=40)


class CommentIn(Schema):
    text: str


class CommentOut(Schema):
    proposal: str
    author: str
    text: str
    created_at: datetime


class PublishIn(Schema):
    note: str = ""
