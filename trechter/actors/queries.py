"""Read-only questions about actors: the organisation register, one organisation's place in
the agenda, a group's members and the meetings timeline.

Every function here runs a fixed number of queries, whatever the number of rows: the list
pages have N+1 guards in tests/integration/test_reference_pages.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import groupby

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from trechter import vocabulary
from trechter.actors.models import Group, Meeting, Membership, Organisation, OrganisationAlias
from trechter.agenda.models import Activity, Party, ThemeActor

TRL_LEVELS = range(1, 10)

# The order sides are shown in: the two partners of the agenda first (as in Bijlage 1).
SIDE_ORDER = [value for value, _ in vocabulary.SIDES]


@dataclass(frozen=True)
class OrganisationFilter:
    """What the organisation register is narrowed by; empty strings mean "any"."""

    side: str = ""
    type: str = ""
    name: str = ""

    def apply(self, found: QuerySet[Organisation]) -> QuerySet[Organisation]:
        """`found` narrowed by side, type and a name fragment that also matches aliases and keys.

        A subquery on aliases instead of a join keeps rows unique without DISTINCT."""
        if self.side:
            found = found.filter(side=self.side)
        if self.type:
            found = found.filter(type=self.type)
        if self.name:
            aliased = OrganisationAlias.objects.filter(name__icontains=self.name).values("organisation_id")
            found = found.filter(Q(name__icontains=self.name) | Q(key__icontains=self.name) | Q(pk__in=aliased))
        return found

    @property
    def is_active(self) -> bool:
        return bool(self.side or self.type or self.name)


@dataclass(frozen=True)
class Facet:
    """One value of a filter with how many organisations match it, the other filters applied."""

    value: str
    label: str
    count: int


def organisations(filters: OrganisationFilter) -> QuerySet[Organisation]:
    """Organisations by name matching `filters`, each with `proposal_count`, `theme_role_count`
    and `activity_count`; aliases prefetched (one query per page, whatever its length)."""
    return (
        filters.apply(Organisation.objects.all())
        .annotate(
            proposal_count=Count("parties__proposal", distinct=True),
            theme_role_count=Count("theme_roles", distinct=True),
            activity_count=Count("activities", distinct=True),
        )
        .prefetch_related(Prefetch("aliases", queryset=OrganisationAlias.objects.order_by("name")))
        .order_by(Lower("name"), "key")  # "AddLab" among the A's, not after "AMT"
    )


def facets(filters: OrganisationFilter, field_name: str) -> list[Facet]:
    """How the organisations matching `filters` — all but the filter on `field_name` itself —
    split over "side" or "type": one aggregate query, in the vocabulary's order, zeros left out."""
    choices = {"side": vocabulary.SIDES, "type": vocabulary.ORGANISATION_TYPES}[field_name]
    others = replace(filters, **{field_name: ""})
    rows = others.apply(Organisation.objects.all()).order_by().values_list(field_name).annotate(n=Count("pk"))
    counts = dict(rows.values_list(field_name, "n"))
    return [Facet(value, str(label), counts[value]) for value, label in choices if counts.get(value)]


@dataclass(frozen=True)
class TrlCell:
    level: int
    proposal_count: int
    theme_role_count: int
    activity_count: int

    @property
    def total(self) -> int:
        return self.proposal_count + self.theme_role_count + self.activity_count

    @property
    def intensity(self) -> int:
        """0–3, for shading the strip: none, one mention, a few, many."""
        return 0 if not self.total else 1 if self.total == 1 else 2 if self.total <= 4 else 3


@dataclass(frozen=True)
class TrlCoverage:
    cells: list[TrlCell]

    @property
    def spans(self) -> list[tuple[int, int]]:
        """Runs of consecutive active levels: levels 1, 2, 3, 5 → [(1, 3), (5, 5)]."""
        active = [cell.level for cell in self.cells if cell.total]
        runs = []
        for _, run in groupby(enumerate(active), key=lambda pair: pair[1] - pair[0]):
            levels = [level for _, level in run]
            runs.append((levels[0], levels[-1]))
        return runs

    @property
    def label(self) -> str:
        """'TRL 1–3, 5' — the text alternative of the strip; empty when nothing is known."""
        parts = [f"{low}–{high}" if low != high else str(low) for low, high in self.spans]
        return f"TRL {', '.join(parts)}" if parts else ""


def trl_coverage(
    proposals: list[tuple[int | None, int | None]],
    theme_roles: list[tuple[int | None, int | None]],
    activities: list[tuple[int | None, int | None]],
) -> TrlCoverage:
    """Per TRL 1–9, how many of the given (trl_from, trl_to) ranges cover it; open ranges count nowhere."""

    def covering(ranges: list[tuple[int | None, int | None]], level: int) -> int:
        return sum(1 for low, high in ranges if low is not None and high is not None and low <= level <= high)

    return TrlCoverage(
        [
            TrlCell(level, covering(proposals, level), covering(theme_roles, level), covering(activities, level))
            for level in TRL_LEVELS
        ]
    )


@dataclass
class OrganisationProfile:
    """Everything the organisation page shows."""

    organisation: Organisation
    aliases: list[OrganisationAlias]
    units: list[Organisation]
    parties: list[Party]
    theme_roles: list[ThemeActor]
    activities: list[Activity]
    memberships: list[Membership]
    coverage: TrlCoverage = field(init=False)

    def __post_init__(self) -> None:
        self.coverage = trl_coverage(
            [(p.proposal.trl_from, p.proposal.trl_to) for p in self.parties],
            [(r.trl_from, r.trl_to) for r in self.theme_roles],
            [(a.trl_from, a.trl_to) for a in self.activities],
        )


def organisation_profile(key: str) -> OrganisationProfile | None:
    """The organisation with `key` and its place in the agenda, or None; seven queries."""
    organisation = Organisation.objects.select_related("parent").filter(key=key).first()
    if organisation is None:
        return None
    return OrganisationProfile(
        organisation=organisation,
        aliases=list(organisation.aliases.order_by("name")),
        units=list(organisation.units.order_by("name")),
        parties=list(
            organisation.parties.select_related("proposal__theme").order_by(
                "proposal__theme__order", "proposal__kind", "proposal__overview_order", "proposal__key"
            )
        ),
        theme_roles=list(organisation.theme_roles.select_related("theme").order_by("theme__order")),
        activities=list(organisation.activities.select_related("theme").order_by("theme__order", "key")),
        memberships=list(organisation.memberships.select_related("group", "person").order_by("group__name_nl")),
    )


@dataclass(frozen=True)
class Member:
    """A membership as the group page lists it; Bijlage 1's wording kept apart from the role."""

    membership: Membership
    listed_as: str
    role: str


@dataclass(frozen=True)
class SideMembers:
    side: str  # "" for members who speak for no organisation
    label: str
    members: list[Member]


def split_role(role: str) -> tuple[str, str]:
    """The seed writes Bijlage 1's organisation text into the role as 'as listed: X; role'.

    Returns (X, role) so the page can show the source's wording and the actual role apart."""
    prefix = "as listed: "
    if not role.startswith(prefix):
        return "", role
    listed, _, rest = role[len(prefix) :].partition("; ")
    return listed, rest


def group_members_by_side(group: Group) -> list[SideMembers]:
    """The group's members grouped by their organisation's side (NL, VL, other Belgium, other),
    by organisation and name within a side; one query."""
    memberships = group.memberships.select_related("person", "organisation").order_by(
        Lower("organisation__name"), "person__name"
    )
    by_side: dict[str, list[Member]] = {}
    for membership in memberships:
        organisation = membership.organisation
        listed_as, role = split_role(membership.role)
        if organisation and listed_as == organisation.name:
            listed_as = ""  # the source's wording adds nothing
        by_side.setdefault(organisation.side if organisation else "", []).append(Member(membership, listed_as, role))
    labels = dict(vocabulary.SIDES)
    return [
        SideMembers(side, str(labels.get(side, "")), by_side[side]) for side in [*SIDE_ORDER, ""] if side in by_side
    ]


def meetings(group: Group | None = None) -> QuerySet[Meeting]:
    """Meetings in date order with group, host and `participant_count`; one query."""
    found = Meeting.objects.all() if group is None else group.meetings.all()
    return (
        found.select_related("group", "host")
        .annotate(participant_count=Count("attendance", distinct=True))
        .order_by("held_on", "key")
    )
