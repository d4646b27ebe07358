"""Rank acceptability (SMAA) of trechter.analytics.mcda on 50 topics × 10 criteria × 5,000
weight draws; baseline: pymcdm's TOPSIS called once per draw, measured in the same run.

    .venv/bin/python bench/mcda.py [--draws N] [--baseline-draws N]

Synthetic assessment, seed 0: 50 topics, 10 criteria, 6 Dutch and 4 Flemish assessors scoring
0–4 around a per-topic quality, one score in ten "cannot judge"; aggregated with
mcda.aggregate (timed too). Then:
- acceptability: mcda.acceptability with uniform weights (Dirichlet(1, …, 1)) and around given
  weights, best of 3 runs each. Target < 1 s for 5,000 draws.
- baseline: pymcdm TOPSIS plus a ranking per draw for the first --baseline-draws draws (500),
  scaled to the full number of draws, with the ratio; and the largest difference between its
  scores and the vectorised ones for the same draws (expected < 1e-9).
Targets are printed next to the figures, never asserted.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trechter.analytics import mcda  # noqa: E402

TARGET = 1.0
TOPICS = 50
CRITERIA = 10
ASSESSORS = {"nl": 6, "vl": 4}


def assessment(seed: int = 0) -> tuple[list[mcda.Score], list[str], list[str]]:
    """A synthetic assessment (scores, topics, criteria): each topic has a quality, each assessor scores around it."""
    rng = np.random.default_rng(seed)
    topics = [f"topic-{i:02}" for i in range(TOPICS)]
    criteria = [f"criterion-{j}" for j in range(CRITERIA)]
    quality = rng.uniform(0.5, 3.5, size=(TOPICS, CRITERIA))
    scores = []
    for group, size in ASSESSORS.items():
        for a in range(size):
            bias = rng.normal(0, 0.5)  # some assessors are stricter than others
            for i, topic in enumerate(topics):
                for j, criterion in enumerate(criteria):
                    value = int(np.clip(np.rint(quality[i, j] + bias + rng.normal(0, 0.7)), 0, 4))
                    judged = rng.random() >= 0.1
                    scores.append(mcda.Score(f"{group}-{a}", group, topic, criterion, value if judged else None))
    return scores, topics, criteria


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The shortest wall time of `runs` calls of `work`, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--draws", type=int, default=5000)
    parser.add_argument("--baseline-draws", type=int, default=500)
    args = parser.parse_args()

    scores, topics, criteria = assessment()
    start = time.perf_counter()
    table = mcda.aggregate(scores, topics, criteria)
    spread = np.mean(list(table.disagreement.mean_spread.values()))
    print(
        f"assessment: {TOPICS} topics × {CRITERIA} criteria × {sum(ASSESSORS.values())} assessors "
        f"({len(scores):,} scores) aggregated in {time.perf_counter() - start:.3f} s; "
        f"{int(table.missing.sum())} cells missing, mean spread {spread:.2f}"
    )
    weights = {c: float(w) for c, w in zip(table.criteria, np.linspace(2, 1, CRITERIA), strict=True)}

    print(f"\nacceptability, {args.draws:,} draws, best of 3:")
    ours = {}
    for name, given in (("uniform weights", None), ("around given weights", weights)):
        took = best_of(3, lambda given=given: mcda.acceptability(table, given, draws=args.draws))
        ours[name] = took
        print(f"  {name:22} {took:.3f} s (target < {TARGET:.0f} s: {'met' if took < TARGET else 'NOT met'})")
    result = mcda.acceptability(table, draws=args.draws)
    leaders = sorted(result.p_first.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    print("  most often first: " + ", ".join(f"{c} {p:.1%} (top 3: {result.p_top3[c]:.1%})" for c, p in leaders))

    start = time.perf_counter()
    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import minmax_normalization

    print(f"\nbaseline: pymcdm imported in {time.perf_counter() - start:.2f} s (once per process, not counted)")
    draws = np.random.default_rng(0).dirichlet(np.ones(CRITERIA), size=args.baseline_draws)
    method = TOPSIS(minmax_normalization)
    types = np.ones(CRITERIA)
    theirs = np.empty((args.baseline_draws, TOPICS))

    def per_draw() -> None:
        for d, w in enumerate(draws):
            theirs[d] = method(table.matrix, w, types, validation=False)
            np.argsort(-theirs[d], kind="stable")

    took = best_of(3, per_draw) * args.draws / args.baseline_draws
    print(
        f"  pymcdm TOPSIS per draw: {took:.3f} s for {args.draws:,} draws "
        f"(measured on {args.baseline_draws:,}, scaled); "
        f"ours is {took / ours['uniform weights']:.0f}× faster"
    )
    gap = np.abs(mcda.topsis_scores(table.matrix, draws) - theirs).max()
    print(f"  largest score difference, ours vs pymcdm on the same draws: {gap:.1e} (expected < 1e-9)")


if __name__ == "__main__":
    main()
