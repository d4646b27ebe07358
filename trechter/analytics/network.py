"""Who really works with whom across the border: collaboration networks over EU project
participations (CORDIS). An agenda claims strengths "on both sides of the border"; these
functions count the joint projects, the cross-border links, the organisations that bridge
the sides, the theme × role cells where one side has nobody, and a drawable picture.

Plain data in, plain data out, no Django (tests/unit/test_pure_modules.py checks). Every
list comes out in a fixed order, ties broken by organisation id, so a page or a report
shows the same thing on every run. `left` and `right` are sets of side codes ("NL", "VL",
"BRU", "WAL", "BE", "OTHER"); an organisation belongs to the side of its first
participation in the input, so a PIC that CORDIS files under two countries is counted once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

SIDES = ("NL", "VL", "BRU", "WAL", "BE", "OTHER")
ROLES = ("research", "industry", "public", "other")


@dataclass(frozen=True)
class Participation:
    """One organisation in one project, as built from the evidence tables."""

    project: str  # project key, e.g. "H2020:rcn221856"
    organisation: str  # organisation id (PIC)
    side: str  # one of SIDES
    year: int | None  # project start year (or call year)
    themes: frozenset[str]  # agenda theme keys of the project (may be empty)
    role: str  # one of ROLES, from the CORDIS activity type
    ec_contribution: float | None


@dataclass(frozen=True)
class Pair:
    """A left and a right organisation with the distinct projects they share."""

    left: str
    right: str
    project_count: int
    projects: tuple[str, ...]


@dataclass(frozen=True)
class NetworkSummary:
    """Headline figures of the cross-border network. Shares and density are in [0, 1]."""

    left_organisation_count: int  # active: in the filtered data
    right_organisation_count: int
    project_count: int  # projects with at least one left or right organisation
    joint_project_count: int  # projects with both sides present
    link_count: int  # distinct (left, right) organisation pairs sharing a project
    density: float  # link_count / (left_organisation_count × right_organisation_count)
    left_linked_share: float  # share of left organisations with a right partner
    right_linked_share: float


@dataclass(frozen=True)
class Partner:
    """An organisation that shares projects with the one asked about."""

    organisation: str
    side: str
    project_count: int
    projects: tuple[str, ...]


@dataclass(frozen=True)
class Broker:
    """An organisation that bridges the sides; `score` is the number of brokered pairs."""

    organisation: str
    side: str
    score: int  # (left, right) pairs not linked directly that both work with this one
    left_partner_count: int
    right_partner_count: int


@dataclass(frozen=True)
class Gap:
    """A theme × role cell where one side has nobody and the other has `present_count`."""

    theme: str
    role: str
    missing_side: str  # the side codes of the empty side joined by "+", e.g. "VL"
    present_count: int  # organisations on the other side


@dataclass(frozen=True)
class YearPoint:
    """One year of the trend; contributions are EUR to left/right organisations in joint projects."""

    year: int
    project_count: int
    joint_project_count: int
    link_count: int
    left_contribution: float
    right_contribution: float


@dataclass(frozen=True)
class Node:
    """An organisation in the picture; x and y in [0, 1], weight = its cross-border links."""

    id: str
    side: str
    x: float
    y: float
    weight: int


@dataclass(frozen=True)
class Edge:
    """A cross-border link in the picture: a on the left side, b on the right; weight = joint projects."""

    a: str
    b: str
    weight: int


@dataclass(frozen=True)
class Picture:
    """A drawable network: nodes sorted by id, edges sorted by (a, b)."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


@dataclass(frozen=True)
class _Network:
    """The filtered participations indexed: each organisation's side, each project's members."""

    sides: dict[str, str]
    members: dict[str, frozenset[str]]  # project → organisations, projects in sorted order

    def split(self, left: Sequence[str], right: Sequence[str]) -> dict[str, tuple[list[str], list[str]]]:
        """Project → (its left organisations, its right organisations), both sorted."""
        return {
            project: (
                sorted(o for o in organisations if self.sides[o] in left),
                sorted(o for o in organisations if self.sides[o] in right),
            )
            for project, organisations in self.members.items()
        }

    def side_organisations(self, sides: Sequence[str]) -> set[str]:
        """The organisations of `sides` in the filtered data."""
        return {o for o, side in self.sides.items() if side in sides}


def _select(parts: Iterable[Participation], theme: str | None, years: tuple[int, int] | None) -> list[Participation]:
    """The participations in `theme` and in the inclusive year range (a row without a year is in none)."""
    return [
        p
        for p in parts
        if (theme is None or theme in p.themes)
        and (years is None or (p.year is not None and years[0] <= p.year <= years[1]))
    ]


def _index(rows: Iterable[Participation]) -> _Network:
    """Index rows by organisation (first side seen) and by project."""
    sides: dict[str, str] = {}
    members: dict[str, set[str]] = defaultdict(set)
    for p in rows:
        sides.setdefault(p.organisation, p.side)
        members[p.project].add(p.organisation)
    return _Network(sides, {project: frozenset(members[project]) for project in sorted(members)})


def _check(left: Sequence[str], right: Sequence[str]) -> None:
    """Refuse a bare string ("NL" would be read as "N", "L") and overlapping sides (an
    organisation on both would be linked to itself)."""
    if isinstance(left, str) or isinstance(right, str):
        raise TypeError("left and right are sequences of side codes, e.g. ('NL',)")
    if set(left) & set(right):
        raise ValueError(f"left {tuple(left)} and right {tuple(right)} overlap")


def _links(split: dict[str, tuple[list[str], list[str]]]) -> dict[tuple[str, str], list[str]]:
    """(left, right) → the projects they share, in sorted order (`split` is in project order)."""
    links: dict[tuple[str, str], list[str]] = defaultdict(list)
    for project, (lefts, rights) in split.items():
        for a in lefts:
            for b in rights:
                links[a, b].append(project)
    return links


def cross_border_pairs(
    parts: Iterable[Participation],
    *,
    left: Sequence[str] = ("NL",),
    right: Sequence[str] = ("VL",),
    theme: str | None = None,
    years: tuple[int, int] | None = None,
    limit: int | None = None,
) -> list[Pair]:
    """(left, right) organisation pairs by distinct joint projects, most first, then by ids."""
    _check(left, right)
    links = _links(_index(_select(parts, theme, years)).split(left, right))
    pairs = sorted(links.items(), key=lambda item: (-len(item[1]), item[0]))
    return [Pair(a, b, len(projects), tuple(projects)) for (a, b), projects in pairs[:limit]]


def _share(part: int, whole: int) -> float:
    """part / whole, 0 for an empty whole."""
    return part / whole if whole else 0.0


def summary(
    parts: Iterable[Participation],
    *,
    left: Sequence[str] = ("NL",),
    right: Sequence[str] = ("VL",),
    theme: str | None = None,
    years: tuple[int, int] | None = None,
) -> NetworkSummary:
    """Organisations per side, joint projects, cross-border links, density and linked shares."""
    _check(left, right)
    network = _index(_select(parts, theme, years))
    split = network.split(left, right)
    links = _links(split)
    left_count = len(network.side_organisations(left))
    right_count = len(network.side_organisations(right))
    return NetworkSummary(
        left_organisation_count=left_count,
        right_organisation_count=right_count,
        project_count=sum(1 for lefts, rights in split.values() if lefts or rights),
        joint_project_count=sum(1 for lefts, rights in split.values() if lefts and rights),
        link_count=len(links),
        density=_share(len(links), left_count * right_count),
        left_linked_share=_share(len({a for a, _ in links}), left_count),
        right_linked_share=_share(len({b for _, b in links}), right_count),
    )


def partners(
    parts: Iterable[Participation],
    organisation: str,
    *,
    theme: str | None = None,
    years: tuple[int, int] | None = None,
) -> list[Partner]:
    """Everyone who shares a project with `organisation`, any side, most joint projects first."""
    network = _index(_select(parts, theme, years))
    shared: dict[str, list[str]] = defaultdict(list)
    for project, organisations in network.members.items():
        if organisation in organisations:
            for other in organisations - {organisation}:
                shared[other].append(project)
    ranked = sorted(shared.items(), key=lambda item: (-len(item[1]), item[0]))
    return [Partner(o, network.sides[o], len(projects), tuple(projects)) for o, projects in ranked]


def _neighbours(
    split: dict[str, tuple[list[str], list[str]]], network: _Network
) -> dict[str, tuple[set[str], set[str]]]:
    """Organisation → (its left partners, its right partners), itself excluded."""
    neighbours: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for project, (lefts, rights) in split.items():
        if not lefts and not rights:
            continue
        for o in network.members[project]:
            neighbours[o][0].update(lefts)
            neighbours[o][1].update(rights)
    for o, (lefts_of, rights_of) in neighbours.items():
        lefts_of.discard(o)
        rights_of.discard(o)
    return neighbours


def brokers(
    parts: Iterable[Participation],
    *,
    left: Sequence[str] = ("NL",),
    right: Sequence[str] = ("VL",),
    theme: str | None = None,
    years: tuple[int, int] | None = None,
    limit: int | None = 10,
) -> list[Broker]:
    """Organisations (any side) by brokered pairs: a left and a right partner of theirs who
    never share a project with each other (Gould–Fernandez brokerage between the two sides).
    """
    # Why this and not betweenness: exact networkx betweenness on the NL+BE graph took 84 s
    # (LIBRARIES.md), sampled betweenness still needs k BFS runs and changes with the sample.
    # The brokerage count is exact, deterministic and reads as a sentence ("links 40 NL-VL
    # pairs that never met"); it costs one set intersection per (broker, left partner):
    # linked pairs among a broker's partners = Σ over left partners l of |R(broker) ∩ R(l)|.
    _check(left, right)
    network = _index(_select(parts, theme, years))
    neighbours = _neighbours(network.split(left, right), network)
    found = []
    for o, (lefts_of, rights_of) in neighbours.items():
        if not lefts_of or not rights_of:
            continue
        linked = sum(len(rights_of & neighbours[a][1]) for a in lefts_of)
        score = len(lefts_of) * len(rights_of) - linked
        if score > 0:
            found.append(Broker(o, network.sides[o], score, len(lefts_of), len(rights_of)))
    found.sort(key=lambda broker: (-broker.score, broker.organisation))
    return found[:limit]


def gaps(
    parts: Iterable[Participation],
    *,
    themes: Iterable[str],
    roles: Sequence[str] = ("research", "industry", "public"),
    left: Sequence[str] = ("NL",),
    right: Sequence[str] = ("VL",),
    years: tuple[int, int] | None = None,
) -> list[Gap]:
    """Theme × role cells, in the order given, where one side has nobody and the other somebody.

    A cell that is empty on both sides is not a gap between the sides and is left out.
    """
    _check(left, right)
    wanted = list(dict.fromkeys(themes))
    rows = _select(parts, None, years)
    sides = _index(rows).sides
    cells: dict[tuple[str, str], tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for p in rows:
        side = sides[p.organisation]
        if side in left or side in right:
            for theme in p.themes.intersection(wanted):
                cells[theme, p.role][0 if side in left else 1].add(p.organisation)
    found = []
    for theme in wanted:
        for role in roles:
            lefts, rights = cells.get((theme, role), (set(), set()))
            if not lefts and rights:
                found.append(Gap(theme, role, "+".join(left), len(rights)))
            elif lefts and not rights:
                found.append(Gap(theme, role, "+".join(right), len(lefts)))
    return found


def trend(
    parts: Iterable[Participation],
    *,
    theme: str | None = None,
    left: Sequence[str] = ("NL",),
    right: Sequence[str] = ("VL",),
) -> list[YearPoint]:
    """Per year, oldest first: projects, joint projects, cross-border links, and the EU
    contribution to left and right organisations in joint projects. Rows without a year are left out.
    """
    _check(left, right)
    by_year: dict[int, list[Participation]] = defaultdict(list)
    for p in _select(parts, theme, None):
        if p.year is not None:
            by_year[p.year].append(p)
    return [_year_point(year, by_year[year], left, right) for year in sorted(by_year)]


def _year_point(year: int, rows: list[Participation], left: Sequence[str], right: Sequence[str]) -> YearPoint:
    """The trend figures of one year's participations."""
    network = _index(rows)
    split = network.split(left, right)
    joint = {project for project, (lefts, rights) in split.items() if lefts and rights}
    contribution = [0.0, 0.0]  # left, right
    for p in rows:
        side = network.sides[p.organisation]
        if p.project in joint and p.ec_contribution is not None and (side in left or side in right):
            contribution[0 if side in left else 1] += p.ec_contribution
    return YearPoint(
        year=year,
        project_count=sum(1 for lefts, rights in split.values() if lefts or rights),
        joint_project_count=len(joint),
        link_count=len(_links(split)),
        left_contribution=contribution[0],
        right_contribution=contribution[1],
    )


def layout(
    parts: Iterable[Participation],
    *,
    left: Sequence[str] = ("NL",),
    right: Sequence[str] = ("VL",),
    theme: str | None = None,
    years: tuple[int, int] | None = None,
    limit: int = 60,
    seed: int = 1,
) -> Picture:
    """The `limit` organisations with most cross-border links and the cross-border links among
    them, placed by a spring layout with a fixed seed (same input, same picture)."""
    import networkx as nx  # only the picture needs it

    _check(left, right)
    network = _index(_select(parts, theme, years))
    links = _links(network.split(left, right))
    degree: dict[str, int] = defaultdict(int)
    for a, b in links:
        degree[a] += 1
        degree[b] += 1
    chosen = set(sorted(degree, key=lambda o: (-degree[o], o))[:limit])
    edges = [Edge(a, b, len(projects)) for (a, b), projects in sorted(links.items()) if a in chosen and b in chosen]
    graph = nx.Graph()
    graph.add_nodes_from(sorted(chosen))
    graph.add_weighted_edges_from((edge.a, edge.b, edge.weight) for edge in edges)
    position = _unit_square(nx.spring_layout(graph, seed=seed) if chosen else {})
    nodes = tuple(Node(o, network.sides[o], position[o][0], position[o][1], degree[o]) for o in sorted(chosen))
    return Picture(nodes, tuple(edges))


def _unit_square(position: dict[str, Sequence[float]]) -> dict[str, tuple[float, float]]:
    """Scale layout coordinates into [0, 1] per axis (0.5 when an axis has no spread), 4 decimals."""
    if not position:
        return {}
    scaled = {}
    for axis in (0, 1):
        values = [float(point[axis]) for point in position.values()]
        low, span = min(values), max(values) - min(values)
        scaled[axis] = {o: round((float(p[axis]) - low) / span, 4) if span else 0.5 for o, p in position.items()}
    return {o: (scaled[0][o], scaled[1][o]) for o in position}
