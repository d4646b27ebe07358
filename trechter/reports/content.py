"""The agenda's content for the document, from one of three sources (the edition):

- "published": the content tables as they are (they hold the latest published agenda);
- "draft": the published content with the open version's drafts applied;
- a number N: published version N's snapshot, for themes and proposals.

All three become the same snapshot-shaped data first (trechter/versions/snapshot.py), so the
document builder sees one neutral input. Everything else (organisation names, leads,
activities, annexes) always comes from the current tables. Everything the builder needs is
read here, in a fixed number of queries; the builder (trechter/reports/builder.py) reads nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from trechter.actors.models import Group, Meeting, Organisation
from trechter.actors.queries import SideMembers, group_members_by_side
from trechter.agenda.models import (
    Activity,
    Agenda,
    CrossThemeTopic,
    Proposal,
    SubPriority,
    Theme,
    ThemeActor,
    ThemeLead,
    TrlLevel,
)
from trechter.assessment.queries import AssessmentView, Node, criteria_with_assessments
from trechter.funding.models import Instrument
from trechter.versions.models import Version
from trechter.versions.snapshot import PROPOSAL_FIELDS, THEME_FIELDS, take_snapshot

PUBLISHED = "published"
DRAFT = "draft"
STAKEHOLDER_GROUP_KIND = "stakeholder"


class UnknownEdition(LookupError):
    """No such edition: not "published", "draft" or the number of a published version."""


def parse_edition(text: str) -> str:
    """ "published", "draft" or a version number as digits (normalised: "03" → "3")."""
    text = (text or "").strip().lower()
    if text in (PUBLISHED, DRAFT):
        return text
    if text.isdigit() and int(text) > 0:
        return str(int(text))
    raise UnknownEdition(text)


@dataclass(frozen=True)
class ProposalContent:
    key: str
    theme: str
    parent: str | None
    values: dict[str, Any]  # the PROPOSAL_FIELDS
    parties: tuple[tuple[str, str], ...]  # (organisation key, role)
    instruments: tuple[tuple[str, str], ...]  # (instrument key, state)
    # Not versioned: from the current tables, empty for a proposal they do not have.
    overview_label_nl: str = ""
    overview_order: int | None = None
    budget_text_nl: str = ""
    other_themes: tuple[str, ...] = ()

    def model(self) -> Proposal:
        """An unsaved Proposal with these values, to reuse its TRL label, budget and
        display logic; never saved."""
        return Proposal(
            key=self.key,
            budget_text_nl=self.budget_text_nl,
            overview_label_nl=self.overview_label_nl,
            **{name: self.values.get(name) for name in PROPOSAL_FIELDS if name != "value_chain"},
            value_chain=list(self.values.get("value_chain") or []),
        )


@dataclass(frozen=True)
class ThemeContent:
    key: str
    order: int
    values: dict[str, Any]  # the THEME_FIELDS


@dataclass(frozen=True)
class AgendaContent:
    """What the document shows; `version` is the version it presents (the open one for a
    draft; None for a draft when no version is open)."""

    edition: str
    agenda: Agenda
    version: Version | None
    themes: tuple[ThemeContent, ...]
    proposals: tuple[ProposalContent, ...]
    organisations: dict[str, Organisation]
    instruments: dict[str, Instrument]
    leads: dict[str, list[ThemeLead]] = field(default_factory=dict)
    sub_priorities: dict[str, list[SubPriority]] = field(default_factory=dict)
    activities: dict[str, list[Activity]] = field(default_factory=dict)
    actors: dict[str, list[ThemeActor]] = field(default_factory=dict)
    topics: list[CrossThemeTopic] = field(default_factory=list)
    criteria: list[Node] = field(default_factory=list)
    assessments: list[AssessmentView] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    published_versions: list[Version] = field(default_factory=list)
    stakeholder_group: Group | None = None
    stakeholders: list[SideMembers] = field(default_factory=list)
    trl_levels: list[TrlLevel] = field(default_factory=list)

    @property
    def is_draft(self) -> bool:
        return self.edition == DRAFT


def current_agenda() -> Agenda | None:
    return Agenda.objects.order_by("-presented_on").first()


def load_content(edition: str, *, agenda: Agenda | None = None) -> AgendaContent:
    """The content of `edition` ("published", "draft" or a version number) of the agenda.

    Raises UnknownEdition for a version number that is not published, or without agenda."""
    agenda = agenda or current_agenda()
    if agenda is None:
        raise UnknownEdition(edition)
    edition = parse_edition(edition)
    published = list(Version.objects.published().filter(agenda=agenda).order_by("number"))
    if edition == PUBLISHED:
        snapshot = take_snapshot(agenda)
        version = published[-1] if published else None
    elif edition == DRAFT:
        version = Version.objects.open().filter(agenda=agenda).first()
        snapshot = apply_drafts(take_snapshot(agenda), version)
    else:
        version = next((v for v in published if str(v.number) == edition and v.snapshot), None)
        if version is None:
            raise UnknownEdition(edition)
        snapshot = dict(version.snapshot or {})
    return _content(edition, agenda, version, snapshot, published)


def apply_drafts(snapshot: dict[str, Any], version: Version | None) -> dict[str, Any]:
    """`snapshot` with the drafts of `version` applied as publication would: additions,
    changes (fields; parties when drafted) and removals of proposals, theme texts."""
    if version is None:
        return snapshot
    proposals = dict(snapshot["proposals"])
    themes = {key: dict(values) for key, values in snapshot["themes"].items()}
    for draft in version.drafts.select_related("theme").order_by("pk"):
        if draft.operation == "remove":
            proposals.pop(draft.proposal_key, None)
            continue
        row = dict(proposals.get(draft.proposal_key) or {})
        if draft.operation == "add" or not row:
            row = {"theme": draft.theme.key, "parent": None, "parties": [], "instruments": []}
        row.update({name: draft.data.get(name) for name in PROPOSAL_FIELDS if name in draft.data})
        if "parties" in draft.data:
            row["parties"] = [f"{party['organisation']} ({party['role']})" for party in draft.data["parties"]]
        proposals[draft.proposal_key] = row
    for theme_draft in version.theme_drafts.select_related("theme"):
        values = themes.setdefault(theme_draft.theme.key, {})
        values.update({name: theme_draft.data[name] for name in THEME_FIELDS if name in theme_draft.data})
    return {**snapshot, "themes": themes, "proposals": proposals}


def _pairs(entries: list[str]) -> tuple[tuple[str, str], ...]:
    """Snapshot entries "key (role)" as (key, role); an entry without a role keeps ""."""
    pairs = []
    for entry in entries:
        key, _sep, rest = entry.partition(" (")
        pairs.append((key, rest.removesuffix(")")))
    return tuple(pairs)


def _content(
    edition: str, agenda: Agenda, version: Version | None, snapshot: dict[str, Any], published: list[Version]
) -> AgendaContent:
    theme_rows = {t.key: t for t in Theme.objects.filter(agenda=agenda)}
    # A theme the snapshot has but the tables no longer have goes last, in key order.
    orders = {key: theme_rows[key].order if key in theme_rows else 10_000 for key in snapshot["themes"]}
    themes = tuple(
        ThemeContent(key, orders[key], {name: values.get(name, "") for name in THEME_FIELDS})
        for key, values in sorted(snapshot["themes"].items(), key=lambda kv: (orders[kv[0]], kv[0]))
    )
    extras = {
        row["key"]: row
        for row in Proposal.objects.filter(theme__agenda=agenda).values(
            "key", "overview_label_nl", "overview_order", "budget_text_nl"
        )
    }
    shared: dict[str, list[str]] = defaultdict(list)
    for proposal_key, theme_key in Proposal.other_themes.through.objects.values_list(
        "proposal__key", "theme__key"
    ).order_by("theme__order"):
        shared[proposal_key].append(theme_key)
    proposals = []
    for key, values in snapshot["proposals"].items():
        extra: dict[str, Any] = dict(extras.get(key, {}))
        proposals.append(
            ProposalContent(
                key=key,
                theme=values["theme"],
                parent=values.get("parent"),
                values={name: values.get(name) for name in PROPOSAL_FIELDS},
                parties=_pairs(values.get("parties", [])),
                instruments=_pairs(values.get("instruments", [])),
                overview_label_nl=extra.get("overview_label_nl", ""),
                overview_order=extra.get("overview_order"),
                budget_text_nl=extra.get("budget_text_nl", ""),
                other_themes=tuple(shared.get(key, ())),
            )
        )
    named = {org for p in proposals for org, _role in p.parties}
    activities = Activity.objects.filter(theme__agenda=agenda).select_related("theme").prefetch_related("organisations")
    actors = ThemeActor.objects.filter(theme__agenda=agenda).select_related("theme", "organisation")
    leads = ThemeLead.objects.filter(theme__agenda=agenda)
    stakeholder_group = Group.objects.filter(kind=STAKEHOLDER_GROUP_KIND).order_by("key").first()
    tree, assessments = criteria_with_assessments()
    content = AgendaContent(
        edition=edition,
        agenda=agenda,
        version=version,
        themes=themes,
        proposals=tuple(proposals),
        organisations=Organisation.objects.in_bulk(named, field_name="key"),
        instruments={i.key: i for i in Instrument.objects.all()},
        leads=_by_theme(leads.select_related("theme", "organisation", "person").order_by("pk")),
        sub_priorities=_by_theme(SubPriority.objects.filter(theme__agenda=agenda).select_related("theme")),
        activities=_by_theme(activities.order_by("key")),
        actors=_by_theme(actors.order_by("organisation__name")),
        topics=list(
            CrossThemeTopic.objects.prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("order")))
        ),
        criteria=tree,
        assessments=assessments,
        meetings=list(Meeting.objects.select_related("group", "host").order_by("held_on", "key")),
        published_versions=published,
        stakeholder_group=stakeholder_group,
        stakeholders=group_members_by_side(stakeholder_group) if stakeholder_group else [],
        trl_levels=list(TrlLevel.objects.order_by("level")),
    )
    return content


def _by_theme(rows: Any) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.theme.key].append(row)
    return dict(grouped)
