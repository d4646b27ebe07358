"""trechter/analytics/network.py on small hand-made networks whose answers are known."""

import itertools
import random

import pytest

from trechter.analytics.network import (
    Broker,
    Edge,
    Gap,
    NetworkSummary,
    Pair,
    Participation,
    Partner,
    YearPoint,
    brokers,
    cross_border_pairs,
    gaps,
    layout,
    partners,
    summary,
    trend,
)


def part(
    project: str,
    organisation: str,
    side: str,
    year: int | None = 2020,
    themes: tuple[str, ...] = (),
    role: str = "research",
    ec_contribution: float | None = None,
) -> Participation:
    return Participation(project, organisation, side, year, frozenset(themes), role, ec_contribution)


# P1: nl-a, nl-b and vl-x together (a triangle across the border); P2: nl-a and vl-x again;
# P3: nl-only; P4: vl-only; P5: nobody from NL or VL.
TRIANGLE = [
    part("P1", "nl-a", "NL"),
    part("P1", "nl-b", "NL"),
    part("P1", "vl-x", "VL"),
    part("P1", "de-q", "OTHER"),
    part("P2", "nl-a", "NL"),
    part("P2", "vl-x", "VL"),
    part("P3", "nl-c", "NL"),
    part("P3", "nl-a", "NL"),
    part("P4", "vl-y", "VL"),
    part("P5", "de-q", "OTHER"),
]


def test_cross_border_pairs_triangle_counts_distinct_projects() -> None:
    rows = [*TRIANGLE, part("P2", "vl-x", "VL")]  # a duplicated row counts once

    result = cross_border_pairs(rows)

    assert result == [Pair("nl-a", "vl-x", 2, ("P1", "P2")), Pair("nl-b", "vl-x", 1, ("P1",))]


def test_cross_border_pairs_ties_ordered_by_ids_whatever_the_input_order() -> None:
    rows = [part("P1", o, side) for o, side in [("nl-b", "NL"), ("vl-y", "VL"), ("nl-a", "NL"), ("vl-x", "VL")]]

    result = cross_border_pairs(list(reversed(rows)))

    assert [(p.left, p.right) for p in result] == [
        ("nl-a", "vl-x"),
        ("nl-a", "vl-y"),
        ("nl-b", "vl-x"),
        ("nl-b", "vl-y"),
    ]
    assert cross_border_pairs(rows) == result


def test_cross_border_pairs_limit_and_other_sides() -> None:
    rows = [*TRIANGLE, part("P6", "bru-z", "BRU"), part("P6", "nl-b", "NL")]

    result = cross_border_pairs(rows, left=("NL",), right=("VL", "BRU"), limit=2)

    assert result == [Pair("nl-a", "vl-x", 2, ("P1", "P2")), Pair("nl-b", "bru-z", 1, ("P6",))]


def test_cross_border_pairs_overlapping_sides_refused() -> None:
    with pytest.raises(ValueError, match="overlap"):
        cross_border_pairs(TRIANGLE, left=("NL", "VL"), right=("VL",))
    with pytest.raises(TypeError):
        cross_border_pairs(TRIANGLE, left="NL", right="VL")


def test_cross_border_pairs_filtered_by_theme() -> None:
    rows = [
        part("P1", "nl-a", "NL", themes=("energy",)),
        part("P1", "vl-x", "VL", themes=("energy",)),
        part("P2", "nl-a", "NL", themes=("health",)),
        part("P2", "vl-y", "VL", themes=("health",)),
    ]

    assert cross_border_pairs(rows, theme="energy") == [Pair("nl-a", "vl-x", 1, ("P1",))]
    assert cross_border_pairs(rows, theme="water") == []


def test_cross_border_pairs_filtered_by_years_inclusive_without_unknown_years() -> None:
    rows = [
        part("P1", "nl-a", "NL", year=2014),
        part("P1", "vl-x", "VL", year=2014),
        part("P2", "nl-a", "NL", year=2016),
        part("P2", "vl-x", "VL", year=2016),
        part("P3", "nl-a", "NL", year=2017),
        part("P3", "vl-x", "VL", year=2017),
        part("P4", "nl-a", "NL", year=None),
        part("P4", "vl-x", "VL", year=None),
    ]

    assert cross_border_pairs(rows, years=(2014, 2016)) == [Pair("nl-a", "vl-x", 2, ("P1", "P2"))]
    assert cross_border_pairs(rows)[0].project_count == 4


def test_summary_density_is_links_over_active_left_times_right() -> None:
    result = summary(TRIANGLE)

    # NL active: nl-a, nl-b, nl-c; VL active: vl-x, vl-y; links: (nl-a, vl-x), (nl-b, vl-x).
    assert result == NetworkSummary(
        left_organisation_count=3,
        right_organisation_count=2,
        project_count=4,
        joint_project_count=2,
        link_count=2,
        density=2 / 6,
        left_linked_share=2 / 3,
        right_linked_share=1 / 2,
    )


def test_summary_empty_input_is_all_zero() -> None:
    assert summary([]) == NetworkSummary(0, 0, 0, 0, 0, 0.0, 0.0, 0.0)


def test_partners_lists_every_side_most_projects_first() -> None:
    result = partners(TRIANGLE, "nl-a")

    assert result == [
        Partner("vl-x", "VL", 2, ("P1", "P2")),
        Partner("de-q", "OTHER", 1, ("P1",)),
        Partner("nl-b", "NL", 1, ("P1",)),
        Partner("nl-c", "NL", 1, ("P3",)),
    ]
    assert partners(TRIANGLE, "unknown") == []


def test_partners_filtered_by_years() -> None:
    rows = [*TRIANGLE, part("P9", "nl-a", "NL", year=2023), part("P9", "vl-y", "VL", year=2023)]

    assert partners(rows, "nl-a", years=(2023, 2024)) == [Partner("vl-y", "VL", 1, ("P9",))]


def test_brokers_hub_between_two_sides() -> None:
    # hub meets nl-a and nl-b in P1, vl-x and vl-y in P2; only nl-a and vl-x meet elsewhere (P3).
    rows = [
        part("P1", "hub", "OTHER"),
        part("P1", "nl-a", "NL"),
        part("P1", "nl-b", "NL"),
        part("P2", "hub", "OTHER"),
        part("P2", "vl-x", "VL"),
        part("P2", "vl-y", "VL"),
        part("P3", "nl-a", "NL"),
        part("P3", "vl-x", "VL"),
    ]

    result = brokers(rows)

    # hub: 2 × 2 pairs, one of them linked. nl-a: left partners {nl-b}, right {vl-x}: nl-b–vl-x
    # never met. vl-x: left {nl-a}, right {vl-y}: nl-a–vl-y never met.
    assert result == [
        Broker("hub", "OTHER", 3, 2, 2),
        Broker("nl-a", "NL", 1, 1, 1),
        Broker("vl-x", "VL", 1, 1, 1),
    ]
    assert brokers(rows, limit=1) == [Broker("hub", "OTHER", 3, 2, 2)]


def test_brokers_none_in_a_closed_triangle() -> None:
    rows = [part("P1", "nl-a", "NL"), part("P1", "vl-x", "VL"), part("P1", "de-q", "OTHER")]

    assert brokers(rows) == []


def test_brokers_equal_a_brute_force_count() -> None:
    rng = random.Random(7)
    organisations = [(f"nl-{i}", "NL") for i in range(12)] + [(f"vl-{i}", "VL") for i in range(12)]
    organisations += [(f"de-{i}", "OTHER") for i in range(6)]
    rows = [part(f"P{p}", o, side) for p in range(25) for o, side in rng.sample(organisations, rng.randint(2, 5))]
    members: dict[str, set[str]] = {}
    for row in rows:
        members.setdefault(row.project, set()).add(row.organisation)
    linked = {frozenset(pair) for group in members.values() for pair in itertools.combinations(group, 2)}
    sides = dict(organisations)

    expected = []
    for broker, side in organisations:
        around = {o for pair in linked if broker in pair for o in pair} - {broker}
        lefts = sorted(o for o in around if sides[o] == "NL")
        rights = sorted(o for o in around if sides[o] == "VL")
        score = sum(1 for a in lefts for b in rights if frozenset((a, b)) not in linked)
        if score:
            expected.append(Broker(broker, side, score, len(lefts), len(rights)))
    expected.sort(key=lambda b: (-b.score, b.organisation))

    assert len(expected) > 10  # the random network has brokers of every side
    assert brokers(rows, limit=None) == expected


def test_gaps_cell_where_one_side_has_nobody() -> None:
    rows = [
        part("P1", "nl-a", "NL", themes=("energy",), role="research"),
        part("P1", "vl-x", "VL", themes=("energy",), role="research"),
        part("P2", "nl-b", "NL", themes=("energy",), role="industry"),
        part("P2", "nl-c", "NL", themes=("energy",), role="industry"),
        part("P3", "vl-y", "VL", themes=("energy", "health"), role="public"),
        part("P4", "de-q", "OTHER", themes=("health",), role="industry"),
    ]

    result = gaps(rows, themes=["health", "energy", "water"])

    # health: only VL public; OTHER counts for neither side, so health × industry is empty.
    assert result == [
        Gap("health", "public", "NL", 1),
        Gap("energy", "industry", "VL", 2),
        Gap("energy", "public", "NL", 1),
    ]


def test_gaps_filtered_by_years() -> None:
    rows = [
        part("P1", "nl-a", "NL", year=2015, themes=("energy",)),
        part("P2", "vl-x", "VL", year=2021, themes=("energy",)),
    ]

    assert gaps(rows, themes=["energy"], years=(2020, 2022)) == [Gap("energy", "research", "NL", 1)]
    assert gaps(rows, themes=["energy"]) == []


def test_trend_per_year_with_contributions_in_joint_projects() -> None:
    rows = [
        part("P1", "nl-a", "NL", year=2019, ec_contribution=100.0),
        part("P1", "vl-x", "VL", year=2019, ec_contribution=50.0),
        part("P1", "de-q", "OTHER", year=2019, ec_contribution=999.0),
        part("P2", "nl-a", "NL", year=2019, ec_contribution=70.0),  # not joint
        part("P3", "nl-a", "NL", year=2021, ec_contribution=None),
        part("P3", "vl-y", "VL", year=2021, ec_contribution=30.0),
        part("P3", "vl-x", "VL", year=2021),
        part("P4", "nl-b", "NL", year=None, ec_contribution=5.0),
    ]

    assert trend(rows) == [
        YearPoint(
            2019, project_count=2, joint_project_count=1, link_count=1, left_contribution=100.0, right_contribution=50.0
        ),
        YearPoint(
            2021, project_count=1, joint_project_count=1, link_count=2, left_contribution=0.0, right_contribution=30.0
        ),
    ]


def test_layout_is_deterministic_and_in_the_unit_square() -> None:
    rng = random.Random(3)
    organisations = [(f"nl-{i:02}", "NL") for i in range(30)] + [(f"vl-{i:02}", "VL") for i in range(30)]
    rows = [part(f"P{p}", o, side) for p in range(80) for o, side in rng.sample(organisations, 4)]

    first = layout(rows, limit=20, seed=5)
    second = layout(list(reversed(rows)), limit=20, seed=5)

    assert first == second
    assert len(first.nodes) == 20
    assert all(0.0 <= n.x <= 1.0 and 0.0 <= n.y <= 1.0 for n in first.nodes)
    assert [n.id for n in first.nodes] == sorted(n.id for n in first.nodes)
    chosen = {n.id for n in first.nodes}
    assert all(e.a in chosen and e.b in chosen and e.a.startswith("nl-") for e in first.edges)


def test_layout_picks_organisations_with_most_cross_border_links_ties_by_id() -> None:
    rows = [*TRIANGLE, part("P7", "nl-c", "NL"), part("P7", "vl-y", "VL")]

    picture = layout(rows, limit=3)

    # links: nl-a–vl-x (2 projects), nl-b–vl-x, nl-c–vl-y; vl-x has 2 links, the rest 1.
    assert [(n.id, n.side, n.weight) for n in picture.nodes] == [
        ("nl-a", "NL", 1),
        ("nl-b", "NL", 1),
        ("vl-x", "VL", 2),
    ]
    assert picture.edges == (Edge("nl-a", "vl-x", 2), Edge("nl-b", "vl-x", 1))


def test_layout_of_nothing_is_empty() -> None:
    picture = layout([part("P1", "nl-a", "NL")])

    assert picture.nodes == ()
    assert picture.edges == ()
