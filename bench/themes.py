"""Theme classification of all CORDIS projects: time, projects per theme per framework, and
precision / recall / F1 per theme and micro-averaged on the dev and test halves of the
labelled set (tests/data/theme_labels.csv, with the Dutch texts of theme_labels_nl.csv).

    .venv/bin/python bench/themes.py [--repeat N]

Reads ../shared/data/cordis/*_projects.csv.gz with polars and classifies every project
with trechter.analytics.themes; the time printed is the median of N runs of classify_many
(lexicon loading and CSV reading are timed apart). Target: all ~52,000 projects in a few
seconds, printed next to the figure, never asserted. The labelled figures are computed on the
project rows in tests/data/theme_projects.csv, so they match the unit tests.
Source: CORDIS, © European Union.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import median_seconds  # noqa: E402
from trechter.analytics.themes import Lexicon, ProjectText, classify_many  # noqa: E402

CORDIS = ROOT.parent / "shared" / "data" / "cordis"
DATA = ROOT / "tests" / "data"
TARGET = 5.0
COLUMNS = [
    "project_key",
    "framework",
    "title",
    "objective",
    "topic_title",
    "brief_title",
    "brief_teaser",
    "euroscivoc",
    "programme",
    "legal_basis",
    "topics",
]


def read_projects() -> list[ProjectText]:
    """Every project of the flat CORDIS files, as classifier input."""
    frames = [pl.read_csv(f, infer_schema=False, columns=COLUMNS) for f in sorted(CORDIS.glob("*_projects.csv.gz"))]
    return [ProjectText.from_cordis(row) for row in pl.concat(frames).iter_rows(named=True)]


def read_labelled() -> tuple[list[ProjectText], dict[str, set[str]], dict[str, str]]:
    """The labelled projects (CORDIS rows and Dutch texts), their themes and their split."""
    with open(DATA / "theme_projects.csv", encoding="utf-8", newline="") as handle:
        projects = [ProjectText.from_cordis(row) for row in csv.DictReader(handle)]
    with open(DATA / "theme_labels_nl.csv", encoding="utf-8", newline="") as handle:
        projects += [
            ProjectText(key=r["project_key"], title=r["title"], objective=r["objective"])
            for r in csv.DictReader(handle)
        ]
    with open(DATA / "theme_labels.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    labels = {r["project_key"]: set(filter(None, r["themes"].split("|"))) for r in rows}
    splits = {r["project_key"]: r["split"] for r in rows}
    return projects, labels, splits


def quality(
    predicted: Mapping[str, set[str]], truth: Mapping[str, set[str]], themes: Iterable[str]
) -> dict[str, tuple[int, int, int]]:
    """(true positives, false positives, false negatives) per theme and "micro" over all."""
    counts: dict[str, tuple[int, int, int]] = {}
    for theme in [*themes, "micro"]:
        tp = fp = fn = 0
        for key, expected in truth.items():
            got = predicted.get(key, set())
            if theme != "micro":
                expected, got = expected & {theme}, got & {theme}
            tp += len(expected & got)
            fp += len(got - expected)
            fn += len(expected - got)
        counts[theme] = (tp, fp, fn)
    return counts


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1; 1.0 where nothing was predicted or expected."""
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    started = time.perf_counter()
    lexicon = Lexicon.load()
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    projects = read_projects()
    read = time.perf_counter() - started
    seconds = median_seconds(lambda: classify_many(projects, lexicon), args.repeat)
    result = classify_many(projects, lexicon)
    print(f"lexicon load {loaded:.3f} s, read {len(projects):,} projects {read:.2f} s")
    print(f"classify_many, all projects: {seconds:.2f} s (target < {TARGET:.0f} s), median of {args.repeat}")

    themes = lexicon.theme_keys
    frameworks = sorted({p.framework for p in projects})
    per = Counter((p.framework, a.theme) for p in projects for a in result[p.key])
    total = Counter(p.framework for p in projects)
    none = Counter(p.framework for p in projects if not result[p.key])
    print(f"\n{'projects per theme':24}" + "".join(f"{f:>10}" for f in frameworks) + f"{'all':>10}")
    for theme in themes:
        row = [per[(f, theme)] for f in frameworks]
        print(f"{theme:24}" + "".join(f"{n:>10,}" for n in row) + f"{sum(row):>10,}")
    print(f"{'(none of the six)':24}" + "".join(f"{none[f]:>10,}" for f in frameworks) + f"{sum(none.values()):>10,}")
    print(f"{'projects':24}" + "".join(f"{total[f]:>10,}" for f in frameworks) + f"{sum(total.values()):>10,}")

    labelled, truth, splits = read_labelled()
    predicted = {key: {a.theme for a in found} for key, found in classify_many(labelled, lexicon).items()}
    for split in ("dev", "test"):
        part = {key: themes_ for key, themes_ in truth.items() if splits[key] == split}
        print(f"\n{split}: {len(part)} labelled ({sum(1 for k in part if k.startswith('NL:'))} Dutch texts)")
        print(f"{'theme':24}{'support':>8}{'P':>7}{'R':>7}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}")
        for theme, (tp, fp, fn) in quality(predicted, part, themes).items():
            precision, recall, f1 = prf(tp, fp, fn)
            print(f"{theme:24}{tp + fn:>8}{precision:>7.2f}{recall:>7.2f}{f1:>7.2f}{tp:>5}{fp:>5}{fn:>5}")
        # Micro figures by source: the Dutch texts were written with the lexicon's author in mind.
        for source in ("FP7", "H2020", "HORIZON", "NL"):
            subset = {key: themes_ for key, themes_ in part.items() if key.split(":")[0] == source}
            tp, fp, fn = quality(predicted, subset, themes)["micro"]
            precision, recall, f1 = prf(tp, fp, fn)
            label = f"  micro, {source} ({len(subset)})"
            print(f"{label:24}{tp + fn:>8}{precision:>7.2f}{recall:>7.2f}{f1:>7.2f}{tp:>5}{fp:>5}{fn:>5}")


if __name__ == "__main__":
    main()
