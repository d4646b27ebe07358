"""The consortium builder: from scored candidate partners, the small team with the most
relevance that meets a call's demands — partners from both sides of the border, the triple
helix, the TRL range, a size limit, partners that must or must not take part. Solved exactly
with OR-Tools CP-SAT, with a few diverse alternatives, and a plain explanation when no team
can meet the demands: which demand fails, and the nearest relaxation that gives a team.

Plain data in, plain data out, no Django (tests/unit/test_pure_modules.py checks).

Deterministic: candidates are put in id order before the model is built, and CP-SAT runs on
one worker with a fixed seed and a deterministic (not wall-clock) time limit. Teams of equal
relevance are told apart by candidate id: the team whose members' positions in id order add
up to the least wins, so a zero-relevance partner joins only when a demand needs it.

Precision: relevance is scaled by a power of ten so that the largest becomes at most 10**6
and rounded to an integer, so relevances with six significant digits (relative to the
largest) are exact; teams whose relevance differs by less than that unit count as equal and
the tie rule decides. `Team.relevance` is the plain float sum of its members' relevance.

Side and role demands name groups: a key "government|hospital" counts members whose role is
either; "NL": 1 asks for at least one Dutch partner.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

TRL_LEVELS = range(1, 10)
WEIGHT_DIGITS = 6  # the largest relevance becomes at most 10**WEIGHT_DIGITS
SEED = 20250101
# In CP-SAT's deterministic time units (roughly seconds); the same on every machine, so a
# cut-off run still gives the same answer. One solve on 5,000 candidates takes < 0.01.
DETERMINISTIC_LIMIT = 10.0


@dataclass(frozen=True)
class Candidate:
    """A possible partner with its relevance for the topic at hand."""

    id: str  # unique, e.g. a PIC
    name: str
    side: str  # "NL", "VL", "BRU", "WAL", "OTHER", …
    role: str  # "company", "knowledge", "government", "hospital", "other"
    relevance: float  # ≥ 0, finite; higher is better
    trl_low: int  # the band of technology readiness levels it works in, 1 ≤ low ≤ high ≤ 9
    trl_high: int
    reasons: tuple[str, ...] = ()  # why it is relevant, shown next to the team


@dataclass(frozen=True)
class Requirements:
    """What a team must meet. Counts are minimums per group, except `side_max`."""

    size_min: int = 3
    size_max: int = 8
    sides: Mapping[str, int] = field(default_factory=lambda: {"NL": 1, "VL": 1})
    roles: Mapping[str, int] = field(default_factory=lambda: {"company": 1, "knowledge": 1})
    side_max: Mapping[str, int] = field(default_factory=dict)  # at most this many from one side
    trl: tuple[int, int] | None = None  # every level in [low, high] covered by some member's band
    must_include: frozenset[str] = frozenset()
    must_exclude: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Team:
    """A team that meets the requirements, with what it covers."""

    members: tuple[Candidate, ...]  # in id order
    relevance: float
    sides: dict[str, int]  # members per side
    roles: dict[str, int]  # members per role
    trl_levels: tuple[int, ...]  # levels covered by at least one member's band


@dataclass(frozen=True)
class Problem:
    """One demand that cannot be met, in plain data for the web layer to word.

    kinds and details: "conflict" {"ids"}; "size" {"size_min", "size_max"} or
    {"must_include", "size_max"} or {"size_min", "available"}; "side" {"side", "needed",
    "available", "excluded"}; "side_max" {"side", "max", "must_include"}; "role" {"role",
    "needed", "available", "excluded"}; "trl" {"low", "high", "missing"}; "combination"
    {"constraints"}: each demand can be met alone, but not all together.
    """

    kind: str
    detail: dict[str, object]

    def __str__(self) -> str:
        return describe_problem(self)


@dataclass(frozen=True)
class Change:
    """One loosened demand: "size_max"/"size_min" {"from", "to"}; "side"/"side_max" {"side",
    "from", "to"}; "role" {"role", "from", "to"}; "trl" {"from", "to"} ([low, high] or None);
    "must_include" {"drop": ids}; "must_exclude" {"allow": ids}."""

    kind: str
    detail: dict[str, object]

    def __str__(self) -> str:
        return describe_change(self)


@dataclass(frozen=True)
class Relaxation:
    """Changes that together make a team possible, the relaxed requirements and its best team."""

    changes: tuple[Change, ...]
    requirements: Requirements
    relevance: float
    team: Team
    amount: int  # how far the demands were loosened, in their own units (members, levels, ids)


@dataclass(frozen=True)
class Explanation:
    """Why no team exists: the failing demands, and relaxations that each give a team, nearest first."""

    problems: tuple[Problem, ...]
    relaxations: tuple[Relaxation, ...]  # empty only when no partner is available at all

    def __str__(self) -> str:
        return describe_explanation(self)


@dataclass(frozen=True)
class Result:
    """The best team and its alternatives, or why there is none."""

    teams: list[Team]  # best first; empty exactly when `infeasible` is set
    infeasible: Explanation | None
    is_optimal: bool  # False only if CP-SAT hit its time limit: a team then is good, not proven best


@dataclass(frozen=True)
class _Entry:
    """A candidate prepared for the model."""

    candidate: Candidate
    rank: int  # position in id order among all candidates, from 0
    weight: int  # relevance scaled to an integer (see the module docstring)


def build(
    candidates: Iterable[Candidate],
    requirements: Requirements,
    alternatives: int = 3,
    *,
    difference: int = 2,
    prefilter: bool = True,
) -> Result:
    """The best team and up to `alternatives` − 1 more, each best among the teams that leave out
    at least `difference` members of every earlier one; or an Explanation when none exists.

    Raises ValueError on malformed input (duplicate ids, relevance < 0, bad TRL band, an
    unknown must-include id). `prefilter=False` solves on all candidates; the answer is the
    same (see _dominators), only slower — it is there for the tests and the benchmark.
    """
    if alternatives < 1 or difference < 1:
        raise ValueError("alternatives and difference must be at least 1")
    entries = _prepare(candidates, requirements)
    problems = _direct_problems(entries, requirements)
    if problems:
        return Result([], _explain(entries, requirements, problems), is_optimal=True)
    size_max = requirements.size_max
    # The j-th team may need j × size_max members of a signature class (see _dominators).
    counts = _dominators(entries, requirements, cap=alternatives * size_max) if prefilter else []
    teams: list[Team] = []
    is_optimal = True
    for j in range(1, alternatives + 1):
        pool = [e for e, count in counts if count < j * size_max] if prefilter else entries
        earlier = [frozenset(m.id for m in t.members) for t in teams]
        solution = _solve(pool, requirements, earlier=earlier, difference=difference)
        if solution is None:
            break
        teams.append(_team(solution[0]))
        is_optimal = is_optimal and solution[1]
    if not teams:
        return Result([], _explain(entries, requirements, ()), is_optimal=is_optimal)
    return Result(teams, None, is_optimal)


def _prepare(candidates: Iterable[Candidate], requirements: Requirements) -> list[_Entry]:
    """The candidates in id order with rank and scaled weight; raises ValueError on bad input."""
    ordered = sorted(candidates, key=lambda c: c.id)
    for before, after in pairwise(ordered):
        if before.id == after.id:
            raise ValueError(f"duplicate candidate id {before.id!r}")
    for c in ordered:
        if not (math.isfinite(c.relevance) and c.relevance >= 0):
            raise ValueError(f"relevance of {c.id!r} must be finite and ≥ 0, not {c.relevance}")
        if not 1 <= c.trl_low <= c.trl_high <= 9:
            raise ValueError(f"TRL band of {c.id!r} must satisfy 1 ≤ low ≤ high ≤ 9")
    _check_requirements(requirements, {c.id for c in ordered})
    largest = max((c.relevance for c in ordered), default=0.0)
    scale = 10.0 ** (WEIGHT_DIGITS - math.ceil(math.log10(largest))) if largest > 0 else 1.0
    return [_Entry(c, rank, round(c.relevance * scale)) for rank, c in enumerate(ordered)]


def _check_requirements(requirements: Requirements, ids: set[str]) -> None:
    """Raise ValueError on requirements no form should produce; unmeetable ones are fine."""
    r = requirements
    counts = [*r.sides.values(), *r.roles.values(), *r.side_max.values()]
    if r.size_min < 1 or r.size_max < 1 or any(n < 0 for n in counts):
        raise ValueError("sizes must be at least 1 and counts at least 0")
    if r.trl is not None and not 1 <= r.trl[0] <= r.trl[1] <= 9:
        raise ValueError("the TRL range must satisfy 1 ≤ low ≤ high ≤ 9")
    unknown = sorted(r.must_include - ids)
    if unknown:
        raise ValueError(f"must-include ids that are not candidates: {unknown}")


def _group(key: str) -> frozenset[str]:
    """The sides or roles a demand's key names: "government|hospital" → both."""
    return frozenset(key.split("|"))


def _levels(requirements: Requirements) -> range:
    """The TRL levels the team must cover (none without a TRL demand)."""
    return range(requirements.trl[0], requirements.trl[1] + 1) if requirements.trl else range(0)


def _covers(candidate: Candidate, level: int) -> bool:
    """Whether the candidate's TRL band includes `level`."""
    return candidate.trl_low <= level <= candidate.trl_high


def _team(entries: Sequence[_Entry]) -> Team:
    """The Team of these entries, with its coverage summary."""
    members = tuple(e.candidate for e in sorted(entries, key=lambda e: e.rank))
    sides: dict[str, int] = defaultdict(int)
    roles: dict[str, int] = defaultdict(int)
    for m in members:
        sides[m.side] += 1
        roles[m.role] += 1
    levels = tuple(t for t in TRL_LEVELS if any(_covers(m, t) for m in members))
    return Team(
        members,
        math.fsum(m.relevance for m in members),
        dict(sorted(sides.items())),
        dict(sorted(roles.items())),
        levels,
    )


# --- pre-filter -------------------------------------------------------------------------------


def _pools(entries: Sequence[_Entry], requirements: Requirements, cap: int) -> Callable[[Requirements], list[_Entry]]:
    """For the loosenings of `requirements` (up to `cap` members, one team): the pre-filtered
    pool that fits each, computed once per size_max (see _dominators)."""
    counts = _dominators(entries, requirements, cap)
    cache: dict[int, list[_Entry]] = {}

    def pool(relaxed: Requirements) -> list[_Entry]:
        if relaxed.size_max not in cache:
            cache[relaxed.size_max] = [e for e, count in counts if count < relaxed.size_max]
        return cache[relaxed.size_max]

    return pool


def _dominators(entries: Sequence[_Entry], requirements: Requirements, cap: int) -> list[tuple[_Entry, int]]:
    """Each entry that is not excluded, in id order, with its number of dominators counted up to
    `cap` (must-include entries count 0). The pre-filter drops an entry with `keep` or more.

    Exact, not a heuristic. Two candidates are alike for the demands when they fall in the
    same side groups (and side_max side) and role groups; among alike ones, d "dominates" c
    when d covers every required TRL level c covers and d beats c on (weight, then id rank).
    If c has at least `keep` dominators, with keep ≥ j × size_max when j teams are asked
    for, then in any team T holding c some dominator d is in neither T nor an earlier team
    (T holds ≤ size_max − 1 others, earlier teams ≤ (j − 1) × size_max); T − c + d meets every
    demand and no-good constraint (c is in no earlier team: those come from pools with a
    smaller `keep`) and is strictly better, so no optimal team holds c; dropping c keeps
    every optimum. The same holds for looser requirements that keep the groups (counts may drop to
    0), shrink the TRL range and ask for one team of at most `keep` members (used by _explain).
    Must-include entries are kept and never count as dominators.
    """
    side_groups = [_group(k) for k in requirements.sides]
    role_groups = [_group(k) for k in requirements.roles]
    counted = [(e, 0) for e in entries if e.candidate.id in requirements.must_include]
    alike: dict[tuple[object, ...], list[_Entry]] = defaultdict(list)
    for e in entries:
        c = e.candidate
        if c.id in requirements.must_include or c.id in requirements.must_exclude:
            continue
        capped = c.side if c.side in requirements.side_max else None
        signature = (capped, *(c.side in g for g in side_groups), *(c.role in g for g in role_groups))
        alike[signature].append(e)
    for group in alike.values():
        counted.extend(_count_dominators(group, requirements.trl, cap))
    return sorted(counted, key=lambda pair: pair[0].rank)


def _count_dominators(group: list[_Entry], trl: tuple[int, int] | None, cap: int) -> list[tuple[_Entry, int]]:
    """The entries of one alike group with their number of dominators, up to `cap`."""
    group = sorted(group, key=lambda e: (-e.weight, e.rank))
    if trl is None:
        return [(e, min(seen, cap)) for seen, e in enumerate(group)]
    low, high = trl
    # Coverage of the required range is an interval (or nothing); `better[(a, b)]` counts the
    # entries seen so far (all better) whose coverage contains [a, b].
    cells = [(a, b) for a in range(low, high + 1) for b in range(a, high + 1)]
    inside = {(a, b): [(x, y) for x, y in cells if a <= x and y <= b] for a, b in cells}
    better = dict.fromkeys(cells, 0)
    saturated = 0
    counted: list[tuple[_Entry, int]] = []
    for seen, e in enumerate(group):
        if saturated == len(cells) and seen >= cap:
            return counted + [(rest, cap) for rest in group[seen:]]  # all have `cap` dominators
        a, b = max(low, e.candidate.trl_low), min(high, e.candidate.trl_high)
        covered = (a, b) if a <= b else None
        counted.append((e, min(cap, better[covered] if covered else seen)))
        for cell in inside[covered] if covered else ():
            better[cell] += 1
            saturated += better[cell] == cap
    return counted


# --- the model ------------------------------------------------------------------------------


def _solve(
    pool: Sequence[_Entry],
    requirements: Requirements,
    *,
    earlier: Sequence[frozenset[str]] = (),
    difference: int = 1,
    optimise: bool = True,
) -> tuple[list[_Entry], bool] | None:
    """The best team of `pool` under `requirements` that leaves out ≥ `difference` members of
    each earlier team, and whether it is proven optimal; None when there is none. With
    `optimise=False`, any team (a feasibility check)."""
    from ortools.sat.python import cp_model  # heavy: 0.7 s to import

    r = requirements
    pool = [e for e in pool if e.candidate.id not in r.must_exclude]
    demands = _demands(pool, r)
    if demands is None:
        return None
    model = cp_model.CpModel()
    chosen = [model.new_bool_var("") for _ in pool]
    model.add_linear_constraint(cp_model.LinearExpr.sum(chosen), r.size_min, r.size_max)
    for members, low, high in demands:
        model.add_linear_constraint(cp_model.LinearExpr.sum([chosen[i] for i in members]), low, high)
    for i, e in enumerate(pool):
        if e.candidate.id in r.must_include:
            model.add(chosen[i] == 1)
    for team in earlier:
        overlap = [chosen[i] for i, e in enumerate(pool) if e.candidate.id in team]
        model.add(cp_model.LinearExpr.sum(overlap) <= len(team) - difference)
    if optimise:
        # Lexicographic in one objective: weight × unit dominates any sum of (rank + 1)
        # over ≤ size_max members, so ties in weight go to the least sum of id ranks.
        unit = r.size_max * (max((e.rank for e in pool), default=0) + 1) + 1
        model.maximize(cp_model.LinearExpr.weighted_sum(chosen, [e.weight * unit - e.rank - 1 for e in pool]))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = SEED
    solver.parameters.max_deterministic_time = DETERMINISTIC_LIMIT
    # Presolve costs 10–20× the search on these small cardinality models (0.15 s against
    # 0.01 s for 1,000 of the benchmark's synthetic candidates).
    solver.parameters.cp_model_presolve = False
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    values = solver.response_proto.solution
    return [e for e, var in zip(pool, chosen, strict=True) if values[var.index]], status == cp_model.OPTIMAL


def _demands(pool: Sequence[_Entry], requirements: Requirements) -> list[tuple[list[int], int, int]] | None:
    """Each group demand as (pool positions, minimum, maximum); None when one is plainly
    unmeetable (too few members, a must-include missing), which CP-SAT need not be asked."""
    r = requirements
    present = {e.candidate.id for e in pool}
    if not r.must_include <= present or r.size_min > min(r.size_max, len(pool)):
        return None
    demands: list[tuple[list[int], int, int]] = []
    for key, needed in r.sides.items():
        group = _group(key)
        demands.append(([i for i, e in enumerate(pool) if e.candidate.side in group], needed, r.size_max))
    for side, most in r.side_max.items():
        demands.append(([i for i, e in enumerate(pool) if e.candidate.side == side], 0, most))
    for key, needed in r.roles.items():
        group = _group(key)
        demands.append(([i for i, e in enumerate(pool) if e.candidate.role in group], needed, r.size_max))
    for level in _levels(r):
        demands.append(([i for i, e in enumerate(pool) if _covers(e.candidate, level)], 1, r.size_max))
    if any(len(members) < low or low > high for members, low, high in demands):
        return None
    return demands


# --- explanation ----------------------------------------------------------------------------


def _direct_problems(entries: Sequence[_Entry], requirements: Requirements) -> tuple[Problem, ...]:
    """The demands that fail on counting alone, before any solving: a conflict, sizes, a side,
    role or TRL level with too few available candidates, must-includes over a side's maximum."""
    r = requirements
    problems: list[Problem] = []
    conflict = sorted(r.must_include & r.must_exclude)
    if conflict:
        problems.append(Problem("conflict", {"ids": conflict}))
    available = [e.candidate for e in entries if e.candidate.id not in r.must_exclude]
    excluded = [e.candidate for e in entries if e.candidate.id in r.must_exclude]
    if r.size_min > r.size_max:
        problems.append(Problem("size", {"size_min": r.size_min, "size_max": r.size_max}))
    if len(r.must_include) > r.size_max:
        problems.append(Problem("size", {"must_include": len(r.must_include), "size_max": r.size_max}))
    if len(available) < r.size_min:
        problems.append(Problem("size", {"size_min": r.size_min, "available": len(available)}))
    for kind, demands, attribute in (("side", r.sides, "side"), ("role", r.roles, "role")):
        for key, needed in demands.items():
            group = _group(key)
            count = sum(getattr(c, attribute) in group for c in available)
            if count < needed:
                gone = sum(getattr(c, attribute) in group for c in excluded)
                problems.append(Problem(kind, {kind: key, "needed": needed, "available": count, "excluded": gone}))
    for side, most in r.side_max.items():
        forced = sum(c.side == side for c in available if c.id in r.must_include)
        if forced > most:
            problems.append(Problem("side_max", {"side": side, "max": most, "must_include": forced}))
    missing = [t for t in _levels(r) if not any(_covers(c, t) for c in available)]
    if missing and r.trl:
        problems.append(Problem("trl", {"low": r.trl[0], "high": r.trl[1], "missing": missing}))
    return tuple(problems)


_Option = tuple[Requirements, Change]
_Pool = Callable[[Requirements], list[_Entry]]  # the pre-filtered candidates that fit loosened requirements


def _explain(entries: Sequence[_Entry], requirements: Requirements, problems: tuple[Problem, ...]) -> Explanation:
    """Why no team exists and how to get one: each demand loosened alone by the least amount
    that gives a team; if no single one does, the direct problems loosened as far as the data
    needs (plus one more single if that is not enough), and as a last resort every demand
    dropped but the size limit and the must-include and must-exclude lists."""
    r = requirements
    # An inclusion-minimal team needs at most one member per unit demanded, so a size_max
    # above `bound` never helps; the pre-filter keeps enough per class for that (_dominators).
    bound = max(r.size_min, len(r.must_include) + sum(r.sides.values()) + sum(r.roles.values()) + len(_levels(r)))
    pool = _pools(entries, r, cap=max(r.size_max, bound))
    singles = _singles(pool, r, bound)
    if singles:
        kinds = sorted({s.changes[0].kind for s in singles})
        return Explanation(problems or (Problem("combination", {"constraints": kinds}),), tuple(singles))
    fixed, changes = _fix(entries, r, problems)
    found = _relax(pool, fixed, changes) if changes else None
    if found is None and changes:
        more = _singles(pool, fixed, bound)
        found = _relax(pool, more[0].requirements, changes + more[0].changes) if more else None
    if found is None:
        found = _relax(pool, *_core(r))
    if not problems:
        problems = (Problem("combination", {"constraints": sorted({c.kind for c in found.changes}) if found else []}),)
    return Explanation(problems, (found,) if found else ())


def _relax(pool: _Pool, requirements: Requirements, changes: tuple[Change, ...]) -> Relaxation | None:
    """The Relaxation to `requirements` with its best team, or None when they still allow none."""
    solution = _solve(pool(requirements), requirements)
    if solution is None:
        return None
    team = _team(solution[0])
    return Relaxation(changes, requirements, team.relevance, team, sum(_amount(c) for c in changes))


def _singles(pool: _Pool, requirements: Requirements, bound: int) -> list[Relaxation]:
    """For each demand, its least loosening that alone gives a team; nearest first (by amount,
    then by the relevance of the team it gives, then in the order of _ladders)."""
    found = []
    for ladder in _ladders(requirements, bound):
        step = _first_feasible(pool, ladder)
        if step is None:
            continue
        options = [_relax(pool, relaxed, (change,)) for relaxed, change in ladder[step]]
        found.append(max((o for o in options if o), key=lambda o: o.relevance))
    return sorted(found, key=lambda o: (o.amount, -o.relevance))


def _first_feasible(pool: _Pool, ladder: list[list[_Option]]) -> int | None:
    """The first step of `ladder` with an option that allows a team, by binary search: each
    step is looser than the one before, so once a step allows a team every later one does."""

    def feasible(step: int) -> bool:
        return any(_solve(pool(relaxed), relaxed, optimise=False) for relaxed, _ in ladder[step])

    if not ladder or not feasible(len(ladder) - 1):
        return None
    low, high = 0, len(ladder) - 1
    while low < high:
        middle = (low + high) // 2
        low, high = (low, middle) if feasible(middle) else (middle + 1, high)
    return low


def _ladders(requirements: Requirements, bound: int) -> list[list[list[_Option]]]:
    """Each demand's loosenings, step by step (one member, one TRL level, …), each step a list
    of options; every option of a step is looser than some option of the step before."""
    r = requirements
    ladders = [
        [[_size(r, "size_max", n)] for n in range(r.size_max + 1, bound + 1)],
        [[_size(r, "size_min", n)] for n in range(r.size_min - 1, 0, -1)],
    ]
    ladders += [[[_count(r, "side", key, n)] for n in range(needed - 1, -1, -1)] for key, needed in r.sides.items()]
    ladders += [[[_count(r, "role", key, n)] for n in range(needed - 1, -1, -1)] for key, needed in r.roles.items()]
    for side, most in r.side_max.items():
        ladders.append([[_count(r, "side_max", side, n)] for n in range(most + 1, r.size_max + 1)])
    if r.trl:
        low, high = r.trl
        widths = range(high - low, 0, -1)  # drop one level, two, …
        ladders.append(
            [[_trl(r, (a, a + w - 1)) for a in range(low, high - w + 2)] for w in widths] + [[_trl(r, None)]]
        )
    ids = sorted(r.must_include)
    if ids:
        ladders.append([[_drop(r, [i]) for i in ids]] + ([[_drop(r, ids)]] if len(ids) > 1 else []))
    conflict = sorted(r.must_include & r.must_exclude)
    if conflict:
        allowed = replace(r, must_exclude=r.must_exclude - r.must_include)
        ladders.append([[(allowed, Change("must_exclude", {"allow": conflict}))]])
    return ladders


def _size(r: Requirements, kind: str, n: int) -> _Option:
    """`r` with size_min or size_max set to `n`."""
    relaxed = replace(r, size_max=n) if kind == "size_max" else replace(r, size_min=n)
    return relaxed, Change(kind, {"from": getattr(r, kind), "to": n})


def _count(r: Requirements, kind: str, key: str, n: int) -> _Option:
    """`r` with the side, role or side_max demand `key` set to `n`."""
    if kind == "side":
        relaxed, old = replace(r, sides={**r.sides, key: n}), r.sides[key]
    elif kind == "role":
        relaxed, old = replace(r, roles={**r.roles, key: n}), r.roles[key]
    else:
        relaxed, old = replace(r, side_max={**r.side_max, key: n}), r.side_max[key]
    return relaxed, Change(kind, {"role" if kind == "role" else "side": key, "from": old, "to": n})


def _trl(r: Requirements, trl: tuple[int, int] | None) -> _Option:
    """`r` with the TRL range narrowed to `trl` (None: no TRL demand)."""
    assert r.trl is not None
    return replace(r, trl=trl), Change("trl", {"from": list(r.trl), "to": list(trl) if trl else None})


def _drop(r: Requirements, ids: list[str]) -> _Option:
    """`r` without the must-include `ids`."""
    return replace(r, must_include=r.must_include - set(ids)), Change("must_include", {"drop": ids})


def _amount(change: Change) -> int:
    """How far a change loosens: members for sizes and counts, TRL levels, ids."""
    d = change.detail
    if change.kind == "trl":
        old, new = d["from"], d["to"]
        assert isinstance(old, list) and (new is None or isinstance(new, list))
        return (old[1] - old[0] + 1) - (new[1] - new[0] + 1 if new else 0)
    if change.kind in ("must_include", "must_exclude"):
        ids = d.get("drop", d.get("allow"))
        assert isinstance(ids, list)
        return len(ids)
    return abs(_int(d, "to") - _int(d, "from"))


def _int(detail: Mapping[str, object], key: str) -> int:
    """detail[key], which is an int."""
    value = detail[key]
    assert isinstance(value, int)
    return value


def _fix(
    entries: Sequence[_Entry], r: Requirements, problems: tuple[Problem, ...]
) -> tuple[Requirements, tuple[Change, ...]]:
    """`r` with every direct problem loosened as far as the data needs, and the changes made."""
    options: list[_Option] = []
    fixed = r
    for p in problems:
        d = p.detail
        if p.kind == "conflict":
            options.append(_drop(fixed, sorted(fixed.must_include & fixed.must_exclude)))
        elif p.kind == "size" and "available" in d:
            options.append(_size(fixed, "size_min", max(1, min(fixed.size_min, _int(d, "available")))))
        elif p.kind == "size" and "must_include" in d:
            options.append(_size(fixed, "size_max", max(fixed.size_max, len(fixed.must_include))))
        elif p.kind == "size":
            options.append(_size(fixed, "size_min", fixed.size_max))
        elif p.kind in ("side", "role"):
            options.append(_count(fixed, p.kind, str(d[p.kind]), _int(d, "available")))
        elif p.kind == "side_max":
            options.append(_count(fixed, "side_max", str(d["side"]), _int(d, "must_include")))
        elif p.kind == "trl" and fixed.trl:
            options.append(_trl(fixed, _longest_covered(entries, fixed)))
        fixed = options[-1][0] if options else fixed
    return fixed, tuple(change for _, change in options if _amount(change))


def _longest_covered(entries: Sequence[_Entry], r: Requirements) -> tuple[int, int] | None:
    """The longest run of levels in r's TRL range that some available candidate covers
    (the lowest such run on a tie), or None when no level is covered."""
    levels = [
        t for t in _levels(r) if any(_covers(e.candidate, t) and e.candidate.id not in r.must_exclude for e in entries)
    ]
    runs: list[tuple[int, int]] = []
    for t in levels:
        runs = [*runs[:-1], (runs[-1][0], t)] if runs and runs[-1][1] == t - 1 else [*runs, (t, t)]
    return max(runs, key=lambda run: (run[1] - run[0], -run[0]), default=None)


def _core(r: Requirements) -> tuple[Requirements, tuple[Change, ...]]:
    """The loosest requirements: sizes 1 to max(size_max, must-includes), no side, role or TRL
    demand, must-includes that are not also excluded; with the changes that lead there."""
    must = r.must_include - r.must_exclude
    core = Requirements(1, max(r.size_max, len(must)), {}, {}, {}, None, must, r.must_exclude)
    changes = [
        *([_size(r, "size_min", 1)[1]] if r.size_min > 1 else []),
        *([_size(r, "size_max", core.size_max)[1]] if core.size_max > r.size_max else []),
        *(_count(r, "side", key, 0)[1] for key, n in r.sides.items() if n),
        *(_count(r, "role", key, 0)[1] for key, n in r.roles.items() if n),
        *(_count(r, "side_max", side, core.size_max)[1] for side, n in r.side_max.items() if n < core.size_max),
        *([_trl(r, None)[1]] if r.trl else []),
        *([_drop(r, sorted(r.must_include & r.must_exclude))[1]] if r.must_include & r.must_exclude else []),
    ]
    return core, tuple(changes)


# --- words (English, for the CLI; the web layer words the plain data itself) ---------------


def _names(ids: object) -> str:
    """A list of ids as "a, b"."""
    return ", ".join(str(i) for i in ids) if isinstance(ids, list) else str(ids)


def describe_problem(problem: Problem) -> str:
    """One failing demand in a line of English."""
    d, kind = problem.detail, problem.kind
    if kind == "conflict":
        return f"must include and must exclude both name {_names(d['ids'])}"
    if kind == "size" and "available" in d:
        return f"only {d['available']} candidates are available for a team of at least {d['size_min']}"
    if kind == "size" and "must_include" in d:
        return f"{d['must_include']} must-include partners do not fit a team of at most {d['size_max']}"
    if kind == "size":
        return f"the minimum size {d['size_min']} is above the maximum {d['size_max']}"
    if kind in ("side", "role"):
        who = f"from {d['side']}" if kind == "side" else f"with role {d['role']}"
        gone = f" ({d['excluded']} excluded)" if d["excluded"] else ""
        return f"{d['needed']} partner(s) {who} needed, {d['available']} available{gone}"
    if kind == "side_max":
        return f"{d['must_include']} must-include partners from {d['side']} exceed its maximum of {d['max']}"
    if kind == "trl":
        return f"no candidate covers TRL level(s) {_names(d['missing'])} of {d['low']}–{d['high']}"
    return f"each demand can be met alone, but not all together (loosening helps: {_names(d['constraints'])})"


def describe_change(change: Change) -> str:
    """One loosened demand in a line of English."""
    d, kind = change.detail, change.kind
    if kind == "size_max":
        return f"allow up to {d['to']} partners instead of {d['from']}"
    if kind == "size_min":
        return f"accept a team of {d['to']} instead of at least {d['from']}"
    if kind in ("side", "role"):
        who = f"from {d['side']}" if kind == "side" else f"with role {d['role']}"
        if d["to"] == 0:
            return f"drop the demand for partners {who}"
        return f"ask for {d['to']} partner(s) {who} instead of {d['from']}"
    if kind == "side_max":
        return f"allow up to {d['to']} partners from {d['side']} instead of {d['from']}"
    if kind == "trl":
        old, new = d["from"], d["to"]
        assert isinstance(old, list)
        if not isinstance(new, list):
            return f"drop the TRL demand ({old[0]}–{old[1]})"
        return f"cover TRL {new[0]}–{new[1]} instead of {old[0]}–{old[1]}"
    if kind == "must_include":
        return f"do not insist on {_names(d['drop'])}"
    return f"allow {_names(d['allow'])} after all"


def describe_explanation(explanation: Explanation) -> str:
    """The explanation in a few lines of English: the problems, then the relaxations."""
    lines = ["No team meets the requirements:"]
    lines += [f"- {describe_problem(p)}" for p in explanation.problems]
    if not explanation.relaxations:
        lines.append("No relaxation helps: no candidate is available.")
    else:
        lines.append("Relaxations that give a team, nearest first:")
    for r in explanation.relaxations:
        names = ", ".join(m.name or m.id for m in r.team.members)
        lines.append(f"- {'; '.join(describe_change(c) for c in r.changes)} → relevance {r.relevance:.2f}: {names}")
    return "\n".join(lines)
