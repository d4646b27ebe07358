"""Consortium builder: p50 and p95 of trechter.analytics.consortium.build on 5,000 candidates;
baseline: a greedy heuristic on the same candidates, measured in the same run, with its
relevance gap to the exact optimum.

    .venv/bin/python bench/consortium.py [--repeat N] [--no-cordis]

Synthetic candidates, a fresh set per run (seeds 0 … N−1, the same for both methods): sides
NL 40 %, VL 25 %, BRU 5 %, WAL 5 %, OTHER 25 %; roles company 45 %, knowledge 30 %,
government 10 %, hospital 5 %, other 10 %; relevance Pareto-skewed (a few stand out); TRL
bands by role (knowledge low, companies middle to high, government and hospitals high).
Four requirement sets: typical, tight, with must-includes and exclusions, and infeasible
(the explanation path: a combination no team meets, so every demand is loosened in turn).
"typical, all" solves on all candidates without the exact pre-filter, for comparison.

Then one realistic set, timed N times: the 5,353 Dutch and Belgian organisations in the CORDIS
participations (side by trechter.analytics.regions from country, NUTS code or city; role by
activity type, hospitals by name); relevance and TRL bands stay synthetic, as there are no
topic scores here. Source: CORDIS, © European Union.
Target: p95 ≤ 0.5 s for 5,000 candidates, printed next to the figures, never asserted.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trechter.analytics import consortium, regions  # noqa: E402
from trechter.analytics.consortium import Candidate, Requirements, Team  # noqa: E402

CORDIS = ROOT.parent / "shared" / "data" / "cordis"
TARGET = 0.5
SIZE = 5000
SIDES = {"NL": 40, "VL": 25, "BRU": 5, "WAL": 5, "OTHER": 25}
ROLES = {"company": 45, "knowledge": 30, "government": 10, "hospital": 5, "other": 10}
TRL_START = {"knowledge": (1, 4), "company": (3, 7), "government": (5, 8), "hospital": (4, 8), "other": (1, 8)}
TYPICAL = Requirements(size_min=3, size_max=7, trl=(3, 7))
TIGHT = Requirements(
    size_min=4,
    size_max=5,
    sides={"NL": 2, "VL": 2},
    roles={"company": 2, "knowledge": 1, "government|hospital": 1},
    side_max={"NL": 3},
    trl=(2, 8),
)


def trl_band(rng: random.Random, role: str) -> tuple[int, int]:
    """A TRL band of width 1–4 starting where organisations of this role tend to work."""
    low = rng.randint(*TRL_START[role])
    return low, min(9, low + rng.randint(0, 3))


def synthetic(seed: int, count: int = SIZE) -> list[Candidate]:
    """`count` candidates with realistic side and role shares and skewed relevance."""
    rng = random.Random(seed)
    candidates = []
    for i in range(count):
        side = rng.choices(list(SIDES), list(SIDES.values()))[0]
        role = rng.choices(list(ROLES), list(ROLES.values()))[0]
        relevance = round(rng.paretovariate(2.0) - 1, 4)
        candidates.append(Candidate(f"s{seed}-{i:05d}", f"Org {i}", side, role, relevance, *trl_band(rng, role)))
    return candidates


def requirement_sets(candidates: list[Candidate]) -> dict[str, Requirements]:
    """The four requirement sets; must-includes and exclusions are picked from `candidates`."""
    by_relevance = sorted(candidates, key=lambda c: (-c.relevance, c.id))
    ordinary = by_relevance[len(by_relevance) // 2 :]  # the middle of the field, not the stars
    pick = [next(c for c in ordinary if c.side == side and c.role in roles) for side, roles in PICKS]
    narrow = [c for c in ordinary if c.side == "NL" and c.role == "company" and c.trl_low == c.trl_high == 6][:2]
    return {
        "typical": TYPICAL,
        "tight": TIGHT,
        "must-include": replace(
            TYPICAL,
            must_include=frozenset(c.id for c in pick),
            must_exclude=frozenset(c.id for c in by_relevance[:20]),
        ),
        # Two NL companies at TRL 6 fill two of three places; the third would have to be a
        # Flemish knowledge institution covering TRL 1–5 and 7–9 at once: nobody does.
        "infeasible": replace(TYPICAL, size_max=3, trl=(1, 9), must_include=frozenset(c.id for c in narrow)),
    }


PICKS = (("VL", ("hospital", "government")), ("NL", ("government", "other")), ("WAL", ("company", "knowledge")))


def group(key: str) -> frozenset[str]:
    """The sides or roles a demand's key names."""
    return frozenset(key.split("|"))


def side_in(sides: frozenset[str]) -> Callable[[Candidate], bool]:
    """Whether a candidate is from one of `sides`."""
    return lambda c: c.side in sides


def role_in(roles: frozenset[str]) -> Callable[[Candidate], bool]:
    """Whether a candidate has one of `roles`."""
    return lambda c: c.role in roles


def covers(level: int) -> Callable[[Candidate], bool]:
    """Whether a candidate's TRL band includes `level`."""
    return lambda c: c.trl_low <= level <= c.trl_high


def greedy(candidates: list[Candidate], r: Requirements) -> list[Candidate] | None:
    """Baseline: the must-includes, then for each unmet demand in turn the most relevant
    candidate that meets it, then the most relevant others up to size_max; None if stuck."""
    pool = sorted((c for c in candidates if c.id not in r.must_exclude), key=lambda c: (-c.relevance, c.id))
    team = [c for c in pool if c.id in r.must_include]
    tests = [(side_in(group(k)), n) for k, n in r.sides.items()]
    tests += [(role_in(group(k)), n) for k, n in r.roles.items()]
    tests += [(covers(t), 1) for t in range(r.trl[0], r.trl[1] + 1) if r.trl]

    def fits(c: Candidate) -> bool:
        side_full = sum(m.side == c.side for m in team) >= r.side_max.get(c.side, r.size_max)
        return c not in team and len(team) < r.size_max and not side_full

    for test, needed in tests:
        while sum(test(m) for m in team) < needed:
            found = next((c for c in pool if test(c) and fits(c)), None)
            if found is None:
                return None
            team.append(found)
    for c in pool:
        if len(team) >= r.size_min and c.relevance <= 0:
            break
        if fits(c):
            team.append(c)
    return team if len(team) >= r.size_min else None


def percentile(values: list[float], share: float) -> float:
    """The `share` quantile of `values` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def timed(action: Callable[[], object]) -> tuple[float, object]:
    """Wall time of one call and its result."""
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def measure(label: str, instances: list[tuple[list[Candidate], Requirements]], prefilter: bool = True) -> None:
    """Time build() and greedy on each instance and print one line of figures."""
    seconds, greedy_seconds, gaps, failed, outcome = [], [], [], 0, ""
    for candidates, r in instances:
        took, result = timed(lambda c=candidates, r=r: consortium.build(c, r, 3, prefilter=prefilter))
        greedy_took, team = timed(lambda c=candidates, r=r: greedy(c, r))
        seconds.append(took)
        greedy_seconds.append(greedy_took)
        assert isinstance(result, consortium.Result)
        if result.teams:
            best: Team = result.teams[0]
            if isinstance(team, list):
                gaps.append(1 - sum(m.relevance for m in team) / best.relevance if best.relevance else 0.0)
            else:
                failed += 1
            outcome = f"{len(result.teams)} teams, best {best.relevance:.1f}"
        else:
            assert result.infeasible is not None
            nearest = result.infeasible.relaxations[0]
            changes = "; ".join(consortium.describe_change(c) for c in nearest.changes)
            outcome = f"infeasible; nearest: {changes} ({nearest.relevance:.1f})"
    p50, p95, base = statistics.median(seconds), percentile(seconds, 0.95), statistics.median(greedy_seconds)
    gap = f"{100 * statistics.mean(gaps):5.1f} / {100 * max(gaps):5.1f} %" if gaps else "      –        "
    verdict = "ok" if p95 <= TARGET else "SLOW"
    figures = f"{len(instances):>4} {p50:>7.3f} {p95:>7.3f} {base:>8.4f} {p50 / base:>7.0f}"
    print(f"{label:<22} {figures}  {gap}  {failed:>4}  {verdict:<4}  {outcome}")


def cordis_candidates(seed: int = 11) -> list[Candidate]:
    """The Dutch and Belgian CORDIS organisations (topped up with others to 5,000 if fewer) as candidates."""
    import polars as pl

    rows = pl.concat(
        [
            pl.read_csv(
                f, infer_schema=False, columns=["org_id", "org_name", "country", "city", "nuts_code", "activity_type"]
            )
            for f in sorted(CORDIS.glob("*_participations.csv.gz"))
        ]
    )
    organisations = (
        rows.filter(pl.col("org_id").is_not_null())
        .group_by("org_id")
        .agg(
            pl.col("org_name").first(),
            pl.col("country").mode().first(),
            pl.col("nuts_code").drop_nulls().first(),
            pl.col("city").drop_nulls().first(),
            pl.col("activity_type").drop_nulls().mode().first(),
            pl.len().alias("participations"),
        )
        .sort("org_id")
    )
    near = organisations.filter(pl.col("country").is_in(["NL", "BE"]))
    others = organisations.filter(~pl.col("country").is_in(["NL", "BE"]))
    far = others.sample(max(0, SIZE - len(near)), seed=seed)
    rng = random.Random(seed)
    municipalities = regions.Municipalities.load()
    return [cordis_candidate(row, rng, municipalities) for row in pl.concat([near, far]).iter_rows(named=True)]


ROLE_OF = {"PRC": "company", "HES": "knowledge", "REC": "knowledge", "PUB": "government"}
HOSPITAL = ("ziekenhuis", "hospital", "umc", "medisch centrum", "klinik", "clinic")


def cordis_candidate(
    row: dict[str, str | int | None], rng: random.Random, municipalities: regions.Municipalities
) -> Candidate:
    """One organisation as a Candidate: real side and role, synthetic relevance and TRL band."""
    name = str(row["org_name"] or row["org_id"])
    side = regions.place(
        country=str(row["country"] or ""),
        nuts_code=str(row["nuts_code"] or ""),
        city=str(row["city"] or ""),
        municipalities=municipalities,
    ).side
    role = "hospital" if any(h in name.lower() for h in HOSPITAL) else ROLE_OF.get(str(row["activity_type"]), "other")
    # Experienced organisations tend to score higher on a topic, with plenty of noise.
    relevance = round((rng.paretovariate(2.0) - 1) * (1 + int(row["participations"] or 1)) ** 0.3, 4)
    return Candidate(str(row["org_id"]), name, side, role, relevance, *trl_band(rng, role))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-cordis", action="store_true")
    arguments = parser.parse_args()
    repeat = arguments.repeat

    consortium.build(synthetic(-1, 50), TYPICAL)  # imports OR-Tools (0.7 s) outside the timings
    start = time.perf_counter()
    sets = [synthetic(seed) for seed in range(repeat)]
    print(f"{repeat} synthetic sets of {SIZE:,} candidates in {time.perf_counter() - start:.2f} s; 3 teams asked")
    print(
        f"{'requirements':<22} {'runs':>4} {'p50 s':>7} {'p95 s':>7} {'greedy s':>8} {'× base':>7}  "
        f"greedy gap mean/max  fail  target {TARGET} s"
    )
    by_label: dict[str, list[tuple[list[Candidate], Requirements]]] = {}
    for candidates in sets:
        for label, r in requirement_sets(candidates).items():
            by_label.setdefault(label, []).append((candidates, r))
    for label, instances in by_label.items():
        measure(label, instances)
    measure("typical, all", by_label["typical"], prefilter=False)
    if arguments.no_cordis:
        return
    start = time.perf_counter()
    real = cordis_candidates()
    sides = {s: sum(c.side == s for c in real) for s in ("NL", "VL", "BRU", "WAL", "BE", "OTHER")}
    print(f"\n{len(real):,} CORDIS organisations as candidates ({time.perf_counter() - start:.1f} s to read): {sides}")
    print("Source: CORDIS, © European Union (relevance and TRL bands synthetic)")
    for label, r in requirement_sets(real).items():
        measure(f"cordis {label}", [(real, r)] * repeat)


if __name__ == "__main__":
    main()
