"""trechter/analytics/consortium.py: hand-made teams whose answers are known, every kind of
infeasibility with its explanation, and properties checked against brute force over all
subsets of small random instances (hypothesis)."""

import itertools
import random
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trechter.analytics.consortium import (
    Candidate,
    Change,
    Problem,
    Requirements,
    Result,
    Team,
    build,
)

SIDES = ["NL", "VL", "BRU", "OTHER"]
ROLES = ["company", "knowledge", "government", "hospital", "other"]


def cand(id: str, side: str, role: str, relevance: float, trl: tuple[int, int] = (1, 9)) -> Candidate:
    return Candidate(id, id.upper(), side, role, relevance, trl[0], trl[1])


# --- an independent checker and brute force --------------------------------------------------


def satisfies(members: list[Candidate], r: Requirements) -> bool:
    """Whether a set of members meets every demand of `r`, counted the plain way."""
    ids = {m.id for m in members}
    return (
        r.size_min <= len(members) <= r.size_max
        and all(sum(m.side in key.split("|") for m in members) >= n for key, n in r.sides.items())
        and all(sum(m.side == side for m in members) <= n for side, n in r.side_max.items())
        and all(sum(m.role in key.split("|") for m in members) >= n for key, n in r.roles.items())
        and (
            r.trl is None
            or all(any(m.trl_low <= t <= m.trl_high for m in members) for t in range(r.trl[0], r.trl[1] + 1))
        )
        and r.must_include <= ids
        and not ids & r.must_exclude
    )


def key(members: list[Candidate] | tuple[Candidate, ...], everyone: list[Candidate]) -> tuple[int, int]:
    """The builder's order on teams: relevance in cents, then the smaller sum of id ranks."""
    rank = {c.id: i for i, c in enumerate(sorted(everyone, key=lambda c: c.id))}
    return sum(round(m.relevance * 100) for m in members), -sum(rank[m.id] + 1 for m in members)


def brute(
    everyone: list[Candidate], r: Requirements, earlier: list[Team] = (), difference: int = 1
) -> tuple[int, int] | None:
    """The best key over all subsets that meet `r` and leave out ≥ `difference` members of each earlier team."""
    best = None
    for size in range(r.size_min, min(r.size_max, len(everyone)) + 1):
        for members in itertools.combinations(everyone, size):
            ids = {m.id for m in members}
            if not satisfies(list(members), r):
                continue
            if any(len({m.id for m in t.members} - ids) < difference for t in earlier):
                continue
            k = key(members, everyone)
            best = k if best is None or k > best else best
    return best


@st.composite
def instances(draw: st.DrawFn, loose: bool = False) -> tuple[list[Candidate], Requirements]:
    """Up to 10 candidates (relevance in cents, input order shuffled) and requirements;
    `loose` ones are mostly meetable, the others often not."""
    count = draw(st.integers(3 if loose else 0, 10))
    ids = draw(st.permutations([f"c{i}" for i in range(count)]))
    everyone = []
    for i in ids:
        low = draw(st.integers(1, 9))
        trl = (low, draw(st.integers(low, 9)))
        cents = draw(st.integers(0, 1000))
        everyone.append(cand(i, draw(st.sampled_from(SIDES)), draw(st.sampled_from(ROLES)), cents / 100, trl))
    size_min = draw(st.integers(1, 3))
    low = draw(st.integers(1, 9))
    counts = st.integers(0, 1 if loose else 2)
    subsets = st.sets(st.sampled_from(ids), max_size=2) if ids else st.just(set())
    must_include = frozenset(draw(subsets))
    requirements = Requirements(
        size_min=size_min,
        size_max=draw(st.integers(size_min, 5) if loose else st.integers(1, 5)),
        sides=draw(st.dictionaries(st.sampled_from(["NL", "VL", "NL|VL", "BRU|OTHER"]), counts, max_size=2)),
        roles=draw(
            st.dictionaries(st.sampled_from(["company", "knowledge", "government|hospital"]), counts, max_size=3)
        ),
        side_max=draw(st.dictionaries(st.sampled_from(SIDES), st.integers(1 if loose else 0, 3), max_size=1)),
        trl=draw(st.none() | st.just((low, draw(st.integers(low, min(9, low + (2 if loose else 4))))))),
        must_include=must_include,
        must_exclude=frozenset(draw(subsets)) - (must_include if loose else frozenset()),
    )
    return everyone, requirements


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(instances(loose=True), st.integers(1, 3), st.integers(1, 2))
def test_build_teams_meet_every_demand_and_equal_brute_force(instance, alternatives: int, difference: int) -> None:
    everyone, r = instance

    result = build(everyone, r, alternatives, difference=difference)

    assert result.is_optimal
    for j, team in enumerate(result.teams):
        assert satisfies(list(team.members), r)
        assert all(len(set(earlier.members) - set(team.members)) >= difference for earlier in result.teams[:j])
        assert key(team.members, everyone) == brute(everyone, r, result.teams[:j], difference)
        assert team.relevance == pytest.approx(sum(m.relevance for m in team.members))
    if len(result.teams) < alternatives:  # nothing further exists
        assert brute(everyone, r, result.teams, difference) is None
    assert (result.infeasible is None) == bool(result.teams)


@settings(max_examples=200, deadline=None)
@given(instances())
def test_build_infeasible_relaxations_give_the_team_brute_force_finds(instance) -> None:
    everyone, r = instance

    result = build(everyone, r, 1)

    if result.infeasible is None:
        return
    assert brute(everyone, r) is None
    assert result.infeasible.problems
    available = [c for c in everyone if c.id not in r.must_exclude]
    if available:  # else only allowing an excluded partner could help
        assert result.infeasible.relaxations
    for relaxation in result.infeasible.relaxations:
        assert satisfies(list(relaxation.team.members), relaxation.requirements)
        assert key(relaxation.team.members, everyone) == brute(everyone, relaxation.requirements)
        assert relaxation.amount >= 1
        if len(relaxation.changes) == 1 and relaxation.amount > 1:
            assert all(brute(everyone, tighter) is None for tighter in one_step_back(r, relaxation.changes[0]))


def one_step_back(r: Requirements, change: Change) -> list[Requirements]:
    """Every loosening of `r` by one unit less than `change` (which loosens by more than one)."""
    d = change.detail
    if change.kind == "trl":
        (low, high), width = d["from"], (d["to"][1] - d["to"][0] + 2 if d["to"] else 1)
        return [replace(r, trl=(a, a + width - 1)) for a in range(low, high - width + 2)]
    if change.kind == "must_include":
        return [replace(r, must_include=r.must_include - {i}) for i in d["drop"]]
    if change.kind == "must_exclude":
        return []  # allowing the conflicting ids is a single step
    step = 1 if d["to"] > d["from"] else -1
    if change.kind == "side":
        return [replace(r, sides={**r.sides, d["side"]: d["to"] - step})]
    if change.kind == "role":
        return [replace(r, roles={**r.roles, d["role"]: d["to"] - step})]
    if change.kind == "side_max":
        return [replace(r, side_max={**r.side_max, d["side"]: d["to"] - step})]
    return [replace(r, **{change.kind: d["to"] - step})]


@settings(max_examples=30, deadline=None)
@given(instances(), st.randoms(use_true_random=False))
def test_build_is_deterministic_and_ignores_input_order(instance, rng: random.Random) -> None:
    everyone, r = instance
    shuffled = rng.sample(everyone, len(everyone))

    assert build(everyone, r) == build(everyone, r) == build(shuffled, r)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 3))
def test_build_prefilter_keeps_the_optimum(seed: int, alternatives: int) -> None:
    rng = random.Random(seed)
    everyone = [
        cand(
            f"c{i:03d}",
            rng.choice(SIDES),
            rng.choice(ROLES),
            rng.randint(0, 30) / 10,
            (lo := rng.randint(1, 9), rng.randint(lo, 9)),
        )
        for i in range(150)
    ]
    r = Requirements(size_min=2, size_max=4, sides={"NL": 1, "VL": 1}, side_max={"NL": 2}, trl=(3, 7))

    fast, slow = build(everyone, r, alternatives), build(everyone, r, alternatives, prefilter=False)

    assert [key(t.members, everyone) for t in fast.teams][:1] == [key(t.members, everyone) for t in slow.teams][:1]


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 3), st.integers(1, 2))
def test_build_prefilter_keeps_every_alternative(seed: int, alternatives: int, difference: int) -> None:
    # Relevance with five decimals, so two different teams (almost surely) never tie.
    rng = random.Random(seed)
    everyone = [
        cand(f"c{i:03d}", rng.choice(SIDES), rng.choice(ROLES), rng.randint(0, 10**6) / 10**5, (3, rng.randint(3, 9)))
        for i in range(120)
    ]
    r = Requirements(size_min=2, size_max=3, roles={"company": 1, "hospital|government": 1}, trl=(4, 8))

    fast = build(everyone, r, alternatives, difference=difference)
    slow = build(everyone, r, alternatives, difference=difference, prefilter=False)

    assert ids(fast) == ids(slow)


# --- a hand-made instance ---------------------------------------------------------------------

FIELD = [
    cand("nl-co", "NL", "company", 5, (5, 8)),
    cand("nl-kn", "NL", "knowledge", 4, (1, 4)),
    cand("vl-co", "VL", "company", 3, (6, 9)),
    cand("vl-kn", "VL", "knowledge", 6, (2, 5)),
    cand("vl-gov", "VL", "government", 1, (7, 9)),
    cand("bru-kn", "BRU", "knowledge", 9, (1, 9)),
]
DEMANDS = Requirements(size_min=2, size_max=3, trl=(3, 7))


def ids(result: Result) -> list[list[str]]:
    return [[m.id for m in t.members] for t in result.teams]


def test_build_hand_made_best_team_and_alternatives() -> None:
    result = build(FIELD, DEMANDS, alternatives=2, difference=1)

    assert ids(result) == [["bru-kn", "nl-co", "vl-kn"], ["bru-kn", "nl-co", "vl-co"]]
    assert [t.relevance for t in result.teams] == [20, 17]
    assert result.teams[0].sides == {"BRU": 1, "NL": 1, "VL": 1}
    assert result.teams[0].trl_levels == tuple(range(1, 10))
    assert result.infeasible is None


def test_build_difference_two_leaves_out_two_members_of_the_best() -> None:
    result = build(FIELD, DEMANDS, alternatives=2, difference=2)

    assert ids(result) == [["bru-kn", "nl-co", "vl-kn"], ["bru-kn", "nl-kn", "vl-co"]]


def test_build_equal_relevance_goes_to_the_lower_id() -> None:
    everyone = [cand("b", "NL", "company", 2), cand("a", "NL", "company", 2), cand("c", "VL", "knowledge", 1)]

    result = build(everyone, Requirements(size_min=1, size_max=2), alternatives=1)

    assert ids(result) == [["a", "c"]]


def test_build_zero_relevance_partner_joins_only_when_needed() -> None:
    everyone = [cand("a", "NL", "company", 2), cand("b", "VL", "knowledge", 1), cand("z", "VL", "hospital", 0)]
    loose = Requirements(size_min=1, size_max=5)

    assert ids(build(everyone, loose, 1)) == [["a", "b"]]
    assert ids(build(everyone, replace(loose, roles={"government|hospital": 1}), 1)) == [["a", "b", "z"]]


def test_build_must_include_and_exclude_are_kept() -> None:
    r = replace(DEMANDS, must_include=frozenset({"vl-gov"}), must_exclude=frozenset({"bru-kn"}))

    result = build(FIELD, r, alternatives=1)

    assert ids(result) == [["nl-co", "vl-gov", "vl-kn"]]


def test_build_rejects_malformed_input() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        build([*FIELD, FIELD[0]], DEMANDS)
    with pytest.raises(ValueError, match="relevance"):
        build([cand("x", "NL", "company", -1)], DEMANDS)
    with pytest.raises(ValueError, match="must-include"):
        build(FIELD, replace(DEMANDS, must_include=frozenset({"nobody"})))


# --- each kind of infeasibility ---------------------------------------------------------------


def explain(everyone: list[Candidate], r: Requirements) -> tuple[list[Problem], list[tuple[Change, ...]]]:
    result = build(everyone, r)
    assert result.teams == [] and result.infeasible is not None
    return list(result.infeasible.problems), [x.changes for x in result.infeasible.relaxations]


def test_explain_side_nobody_from_vl() -> None:
    nl_only = [c for c in FIELD if c.side != "VL"]

    problems, relaxations = explain(nl_only, DEMANDS)

    assert problems == [Problem("side", {"side": "VL", "needed": 1, "available": 0, "excluded": 0})]
    assert relaxations == [(Change("side", {"side": "VL", "from": 1, "to": 0}),)]


def test_explain_side_counts_the_excluded() -> None:
    r = replace(DEMANDS, must_exclude=frozenset({"vl-co", "vl-kn", "vl-gov"}))

    problems, _ = explain(FIELD, r)

    assert problems == [Problem("side", {"side": "VL", "needed": 1, "available": 0, "excluded": 3})]


def test_explain_role_lowers_the_count_to_what_is_there() -> None:
    r = replace(DEMANDS, size_max=5, roles={"company": 3})

    problems, relaxations = explain(FIELD, r)

    assert problems == [Problem("role", {"role": "company", "needed": 3, "available": 2, "excluded": 0})]
    assert relaxations == [(Change("role", {"role": "company", "from": 3, "to": 2}),)]


def test_explain_trl_missing_level_narrows_the_range() -> None:
    short = [replace(c, trl_high=min(c.trl_high, 8)) for c in FIELD]

    problems, relaxations = explain(short, replace(DEMANDS, trl=(3, 9)))

    assert problems == [Problem("trl", {"low": 3, "high": 9, "missing": [9]})]
    assert relaxations[0] == (Change("trl", {"from": [3, 9], "to": [3, 8]}),)


def test_explain_size_too_many_must_includes() -> None:
    r = replace(DEMANDS, must_include=frozenset({"nl-co", "vl-kn", "bru-kn"}), size_max=2)

    problems, relaxations = explain(FIELD, r)

    assert problems == [Problem("size", {"must_include": 3, "size_max": 2})]
    # Both loosen by one; the first gives the better team (20 against 11).
    assert relaxations == [
        (Change("size_max", {"from": 2, "to": 3}),),
        (Change("must_include", {"drop": ["bru-kn"]}),),
    ]


def test_explain_conflict_between_include_and_exclude() -> None:
    r = replace(DEMANDS, must_include=frozenset({"nl-co"}), must_exclude=frozenset({"nl-co"}))

    problems, relaxations = explain(FIELD, r)

    assert problems == [Problem("conflict", {"ids": ["nl-co"]})]
    assert (Change("must_include", {"drop": ["nl-co"]}),) in relaxations
    assert (Change("must_exclude", {"allow": ["nl-co"]}),) in relaxations


def test_explain_side_max_below_the_must_includes() -> None:
    r = replace(DEMANDS, must_include=frozenset({"vl-co", "vl-kn"}), side_max={"VL": 1})

    problems, relaxations = explain(FIELD, r)

    assert problems == [Problem("side_max", {"side": "VL", "max": 1, "must_include": 2})]
    assert relaxations == [
        (Change("must_include", {"drop": ["vl-co"]}),),  # 20: vl-kn, nl-co, bru-kn
        (Change("side_max", {"side": "VL", "from": 1, "to": 2}),),  # 18: vl-co, vl-kn, bru-kn
    ]


def test_explain_combination_names_the_demands_that_clash() -> None:
    # NL has only companies, VL only knowledge institutions: one member cannot be both.
    everyone = [cand("nl-co", "NL", "company", 5), cand("vl-kn", "VL", "knowledge", 6)]

    problems, relaxations = explain(everyone, Requirements(size_min=1, size_max=1))

    assert problems == [Problem("combination", {"constraints": ["size_max"]})]
    assert relaxations == [(Change("size_max", {"from": 1, "to": 2}),)]


def test_explain_several_problems_loosened_together() -> None:
    everyone = [
        cand("nl-co", "NL", "company", 5),
        cand("nl-gov", "NL", "government", 1),
        cand("bru-co", "BRU", "company", 2),
    ]

    problems, relaxations = explain(everyone, DEMANDS)

    assert [p.kind for p in problems] == ["side", "role"]
    assert relaxations == [
        (
            Change("side", {"side": "VL", "from": 1, "to": 0}),
            Change("role", {"role": "knowledge", "from": 1, "to": 0}),
        )
    ]


def test_explain_no_candidates_has_no_relaxation() -> None:
    problems, relaxations = explain([], DEMANDS)

    assert [p.kind for p in problems] == ["size", "side", "side", "role", "role", "trl"]
    assert relaxations == []


def test_explanation_reads_in_english() -> None:
    result = build([c for c in FIELD if c.side != "VL"], DEMANDS)

    text = str(result.infeasible)

    assert "1 partner(s) from VL needed, 0 available" in text
    assert "drop the demand for partners from VL → relevance 18.00: BRU-KN, NL-CO, NL-KN" in text
