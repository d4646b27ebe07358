"""Partner recommendation on all public CORDIS data: model build time, latency of one
recommendation, and the temporal-split evaluation of issue 6 against the baselines.

    .venv/bin/python bench/recommend.py [--queries N]

Reads ../shared/data/cordis/*_projects.csv.gz and *_participations.csv.gz (FP7, H2020, the
Horizon Europe sample) with trechter.analytics.evaluation.read_files. Split: train on every
project up to 2017 (FP7 rows without a year count as 2010), weights learnt on 2017 (a model of
the years up to 2016 asked for the partners of 2017's projects), test on 2018–2019; the test
years are never used for tuning.
- build: the final model (train ≤ 2017) from the read data; weight learning timed apart.
- latency: p50/p95 of recommend() (top 10 with reasons) over N test queries, NL → BE and
  BE → NL; baseline in the same run: the popularity top 10 of the same side by numpy.
  Target: p95 ≤ 50 ms.
- evaluation: the method × metric table with the ratio of ours to the best baseline.
  Targets: Recall@10 ≥ 1.3× the best baseline overall and ≥ 1.0× on the unseen queries.
Targets are printed next to the figures, never asserted.
Source: CORDIS, © European Union.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trechter.analytics import evaluation, recommend  # noqa: E402

CORDIS = ROOT.parent / "shared" / "data" / "cordis"
LATENCY_TARGET_MS = 50.0
RECALL_TARGET = 1.3
UNSEEN_TARGET = 1.0


def percentile_ms(seconds: list[float], share: float) -> float:
    """The `share` percentile of the timings, in milliseconds."""
    return float(np.percentile(np.array(seconds) * 1000, share * 100))


def latency(model: recommend.Model, cases: list[evaluation.Case]) -> tuple[list[float], list[float]]:
    """Wall times of recommend() and of the popularity baseline's top 10, per query."""
    ours, baseline = [], []
    for case in cases:
        start = time.perf_counter()
        recommend.recommend(model, case.query, limit=10)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        side = model.sides[case.query.sides[0]]
        popularity = side.priors[:, 0]
        top = np.argpartition(-popularity, 10)[:10]
        [model.org_ids[side.index[i]] for i in top[np.argsort(-popularity[top], kind="stable")]]
        baseline.append(time.perf_counter() - start)
    return ours, baseline


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=200, help="queries timed for the latency")
    count = parser.parse_args().queries

    start = time.perf_counter()
    data = evaluation.read_files(
        sorted(CORDIS.glob("*_projects.csv.gz")) + sorted(CORDIS.glob("*_participations.csv.gz"))
    )
    print(
        f"read {len(data.projects):,} projects, {len(data.members):,} participations: "
        f"{time.perf_counter() - start:.1f} s"
    )
    train, test = data.between(None, 2017), data.between(2018, 2019)
    start = time.perf_counter()
    weights, validation_count = evaluation.learn_weights(train, 2017)
    print(f"weights learnt on {validation_count} queries of 2017: {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    model = evaluation.build_model(train, weights)
    print(f"model build (train ≤ 2017, {model.stats}): {time.perf_counter() - start:.1f} s")

    test_cases = evaluation.cases(test, model)
    timed = test_cases[:: max(1, len(test_cases) // count)][:count]
    ours, baseline = latency(model, timed)
    p95 = percentile_ms(ours, 0.95)
    print(
        f"\nlatency of one recommendation over {len(timed)} queries: p50 {percentile_ms(ours, 0.5):.1f} ms, "
        f"p95 {p95:.1f} ms (target ≤ {LATENCY_TARGET_MS:.0f} ms: {'met' if p95 <= LATENCY_TARGET_MS else 'NOT met'}); "
        f"baseline popularity top 10: p50 {percentile_ms(baseline, 0.5):.2f} ms, "
        f"p95 {percentile_ms(baseline, 0.95):.2f} ms, "
        f"ratio p50 {statistics.median(ours) / statistics.median(baseline):.0f}×"
    )

    start = time.perf_counter()
    table = evaluation.evaluate(model, test_cases)
    print(f"\nevaluation, train ≤ 2017, test 2018–2019 ({time.perf_counter() - start:.1f} s):")
    print(evaluation.format_table(table))
    ratio = evaluation.ratios(table)
    print(
        f"Recall@10 ours / best baseline: {ratio['recall@10']:.2f}× (target ≥ {RECALL_TARGET}×: "
        f"{'met' if ratio['recall@10'] >= RECALL_TARGET else 'NOT met'}); on unseen queries "
        f"{ratio['recall@10_unseen']:.2f}× (target ≥ {UNSEEN_TARGET}×: "
        f"{'met' if ratio['recall@10_unseen'] >= UNSEEN_TARGET else 'NOT met'})"
    )
    print("learnt weights:", weights.as_dict())


if __name__ == "__main__":
    main()
