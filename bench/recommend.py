"""Partner recommendation on all public CORDIS data: model build time, latency of one
recommendation, and the temporal-split evaluation of issue 6 against the baselines.

    .venv/bin/python bench/recommend.py [--queries N]

Reads ../shared/data/cordis/*_projects.csv.gz and *_participations.csv.gz (FP7, H2020, the
Horizon Europe sample) with trechter.analytics.evaluation.read_files. Split: train on every
project up to 2017 (FP7 rows without a year count as 2010), weights learnt on 2017 (a model of
the years up to 2016 asked for the partners of 2017's projects), test on 2018–2019; the test
years are never used for tuning.
- build: the final model (train ≤ 2017) from the read data; weight learning timed apart.
- embedding: the multilingual embeddings of every project text (analytics.embeddings), timed
  apart from reading.
- latency: p50/p95 of recommend() (top 10 with reasons) over N test queries, NL → BE and
  BE → NL; and of what the page does for a typed text: encode it, then recommend. Baseline in
  the same run: the popularity top 10 of the same side by numpy. Target: p95 ≤ 50 ms.
- evaluation: the method × metric table with the ratio of ours to the best baseline.
  Targets: Recall@10 ≥ 1.3× the best baseline overall and ≥ 1.0× on the unseen queries.
  Ablation: ours learnt and scored without the embeddings, to show what they add.
- free text, Dutch and English: what the partner finder does for a typed text, measured. The
  English call-topic titles of 65 test projects of 2016 and our Dutch translations of them
  (tests/data/paraphrases/cordis_titles_nl_en.csv) ask, with no partner, programme or code,
  for the project's real partners on each side (NL ↔ BE); model trained ≤ 2015 with weights
  learnt on 2015 (the last year whose projects carry texts), with and without embeddings.
Targets are printed next to the figures, never asserted.
Source: CORDIS, © European Union.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trechter.analytics import embeddings, evaluation, recommend, themes  # noqa: E402

CORDIS = ROOT.parent / "shared" / "data" / "cordis"
PARAPHRASES = ROOT / "tests" / "data" / "paraphrases" / "cordis_titles_nl_en.csv"
LATENCY_TARGET_MS = 50.0
RECALL_TARGET = 1.3
UNSEEN_TARGET = 1.0


def percentile_ms(seconds: list[float], share: float) -> float:
    """The `share` percentile of the timings, in milliseconds."""
    return float(np.percentile(np.array(seconds) * 1000, share * 100))


def typed_latency(model: recommend.Model, cases: list[evaluation.Case]) -> list[float]:
    """Wall times of what the page does for a typed text: encode it, then recommend()."""
    embeddings.encode(["warm-up"])  # the encoder loads once per process (about a second)
    found = []
    for case in cases:
        start = time.perf_counter()
        vector = embeddings.encode([case.query.text])[0]
        recommend.recommend(model, replace(case.query, embedding=embeddings.to_bytes(vector)), limit=10)
        found.append(time.perf_counter() - start)
    return found


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


def free_text(data: evaluation.Dataset) -> None:
    """Recall@10 and MRR of typed Dutch and English texts, with and without embeddings."""
    import csv

    with PARAPHRASES.open(encoding="utf-8") as handle:
        pairs = list(csv.DictReader(handle))
    lexicon = themes.Lexicon.default()
    train, test = data.between(None, 2015), data.between(2016, 2016)
    print(f"\nfree text: {len(pairs)} test projects of 2016, each as its English title and our Dutch translation")
    print(f"{'':28}{'recall@10':>12}{'mrr':>10}{'popularity r@10':>18}")
    for label, with_vectors in (("with embeddings", True), ("without embeddings", False)):
        fitted = train if with_vectors else replace(train, vectors={})
        weights, _ = evaluation.learn_weights(fitted, 2015)
        model = evaluation.build_model(fitted, weights)
        by_project: dict[str, list[evaluation.Case]] = {}
        for case in evaluation.cases(test, model):
            by_project.setdefault(case.project, []).append(case)
        for language in ("en", "nl"):
            texts = [pair[language] for pair in pairs]
            vectors = embeddings.encode(texts)
            asked = []
            for pair, text, vector in zip(pairs, texts, vectors, strict=True):
                found = themes.classify(themes.ProjectText(key="query", title=text), lexicon)
                for case in by_project.get(pair["key"], []):
                    query = replace(
                        case.query,
                        text=text,
                        partners=(),
                        programme=(),
                        codes=(),
                        themes=tuple(sorted({a.theme for a in found})),
                        embedding=embeddings.to_bytes(vector) if with_vectors else b"",
                        language=embeddings.language_of(text),
                    )
                    asked.append(replace(case, query=query, is_unseen=True))
            table = evaluation.evaluate(
                model, asked, {"ours": recommend.scores, "popularity": evaluation.baselines()["popularity"]}
            )
            ours = table["ours"].values
            print(
                f"  {language} text, {label:20}{ours['recall@10']:>10.4f}{ours['mrr']:>10.4f}"
                f"{table['popularity'].values['recall@10']:>18.4f}   ({len(asked)} queries)"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=200, help="queries timed for the latency")
    count = parser.parse_args().queries

    start = time.perf_counter()
    plain = evaluation.read_files(
        sorted(CORDIS.glob("*_projects.csv.gz")) + sorted(CORDIS.glob("*_participations.csv.gz")), embed=False
    )
    print(
        f"read {len(plain.projects):,} projects, {len(plain.members):,} participations: "
        f"{time.perf_counter() - start:.1f} s"
    )
    start = time.perf_counter()
    data = replace(plain, vectors=evaluation.embed_texts(plain.projects))
    print(f"embedded {len(data.vectors):,} project texts: {time.perf_counter() - start:.1f} s")
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
    typed = typed_latency(model, [c for c in test_cases if c.query.text][:count])
    p95 = percentile_ms(ours, 0.95)
    print(
        f"\nlatency of one recommendation over {len(timed)} queries: p50 {percentile_ms(ours, 0.5):.1f} ms, "
        f"p95 {p95:.1f} ms (target ≤ {LATENCY_TARGET_MS:.0f} ms: {'met' if p95 <= LATENCY_TARGET_MS else 'NOT met'}); "
        f"baseline popularity top 10: p50 {percentile_ms(baseline, 0.5):.2f} ms, "
        f"p95 {percentile_ms(baseline, 0.95):.2f} ms, "
        f"ratio p50 {statistics.median(ours) / statistics.median(baseline):.0f}×"
    )
    typed_p95 = percentile_ms(typed, 0.95)
    print(
        f"typed text (encode + recommend) over {len(typed)} queries with a text: p50 {percentile_ms(typed, 0.5):.1f} "
        f"ms, p95 {typed_p95:.1f} ms (target ≤ {LATENCY_TARGET_MS:.0f} ms: "
        f"{'met' if typed_p95 <= LATENCY_TARGET_MS else 'NOT met'})"
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

    start = time.perf_counter()
    plain_train, plain_test = plain.between(None, 2017), plain.between(2018, 2019)
    plain_weights, _ = evaluation.learn_weights(plain_train, 2017)
    plain_model = evaluation.build_model(plain_train, plain_weights)
    without = evaluation.evaluate(
        plain_model, evaluation.cases(plain_test, plain_model), {evaluation.OURS: recommend.scores}
    )
    print(f"\nablation without embeddings ({time.perf_counter() - start:.1f} s):")
    for metric in ("recall@10", "mrr", "ndcg@10", "recall@10_unseen"):
        print(
            f"  {metric:18} with {table[evaluation.OURS].values[metric]:.4f}  "
            f"without {without[evaluation.OURS].values[metric]:.4f}"
        )
    free_text(data)


if __name__ == "__main__":
    main()
