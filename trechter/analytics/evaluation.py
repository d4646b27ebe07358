"""How good partner recommendation is, measured on a temporal split of CORDIS files: read the
flat files, ask for the real cross-border partners of each test project, and score the ranking
of ours against the baselines (popularity, common neighbours, Adamic–Adar, text-only).

Protocol (issue 6). Every test project with at least one Dutch (NL) and one Belgian (BE, all
regions) participant gives two queries, NL → BE and BE → NL: the participants of the given
side, with the project's text, programme parts, call-topic codes and themes, ask for a ranking
of every organisation of the other side seen in training; relevant = the project's real
participants on that side. A relevant organisation never seen in training cannot be ranked but
still counts in the denominator (a miss), so the figures are honest about newcomers. Ties are
pessimistic: a relevant organisation tied with others is ranked after every non-relevant one of
the same score. A query is "unseen" when none of its given organisations occurs in training.
Test projects that also occur in the training files are left out of training.

The weights of ours are learnt on a validation year inside the training range (train on the
years before it, learn on its projects) and never on the test years.

Plain data in, plain data out, no Django (tests/unit/test_pure_modules.py checks).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from trechter.analytics import embeddings, recommend, themes
from trechter.analytics.recommend import Candidates, Member, Model, Project, Query

SIDES = ("NL", "BE")
CUTOFF = 10
# FP7 project rows often have neither start nor call year; FP7 calls ran 2007–2013 and the
# median call year of the dated ones is 2010, so any split after 2013 keeps them in training.
FRAMEWORK_YEARS = {"FP7": 2010}
OURS = "ours (hybrid, learnt)"
METRICS = ("recall@10", "mrr", "ndcg@10")

T = TypeVar("T")
Progress = Callable[[Iterable[T], str], Iterable[T]]


@dataclass(frozen=True)
class Dataset:
    """Projects by key, their participations (side = CORDIS country code) and the embeddings
    of their texts by project key (analytics.embeddings; may be empty)."""

    projects: dict[str, Project]
    members: list[Member]
    vectors: dict[str, NDArray[np.float32]] = field(default_factory=dict)

    def between(self, first: int | None, last: int | None) -> Dataset:
        """The projects whose year is in [first, last] (None: open end) and their members;
        projects without a year are kept only when both ends are open."""
        if first is None and last is None:
            return self
        low, high = first if first is not None else -math.inf, last if last is not None else math.inf
        keys = {k for k, p in self.projects.items() if p.year is not None and low <= p.year <= high}
        return self._only(keys)

    def without(self, keys: Iterable[str]) -> Dataset:
        """The dataset without the given projects."""
        drop = set(keys)
        return self._only({k for k in self.projects if k not in drop})

    def _only(self, keys: set[str]) -> Dataset:
        return Dataset(
            {k: p for k, p in self.projects.items() if k in keys},
            [m for m in self.members if m.project in keys],
            {k: v for k, v in self.vectors.items() if k in keys},
        )


@dataclass(frozen=True)
class Case:
    """One evaluation query: the given side's participants of a test project ask for the
    other side; `relevant` holds all real participants of that side (seen in training or not)."""

    project: str
    given_side: str
    query: Query
    relevant: frozenset[str]
    is_unseen: bool


@dataclass(frozen=True)
class Scores:
    """Mean metrics of one method over all queries and over the unseen ones."""

    values: dict[str, float]  # METRICS and their "_unseen" variants
    query_count: int
    unseen_count: int


def read_files(paths: Sequence[Path], *, classify_themes: bool = True, embed: bool = True) -> Dataset:
    """The projects and participations in flat CORDIS files (.csv or .csv.gz; a file whose name
    contains "participation" holds participations, any other projects). Themes come from the
    agenda's lexicon (themes.classify) unless `classify_themes` is False; the project texts
    are embedded (analytics.embeddings, ~45 s for all public CORDIS texts) unless `embed` is False."""
    import polars as pl

    project_rows: list[dict[str, Any]] = []
    member_rows: list[dict[str, Any]] = []
    for path in sorted(Path(p) for p in paths):
        table = pl.read_csv(path, infer_schema=False)
        (member_rows if "participation" in path.name.lower() else project_rows).extend(table.to_dicts())
    lexicon = themes.Lexicon.load() if classify_themes else None
    projects = {row["project_key"]: _project(row, lexicon) for row in project_rows if row.get("project_key")}
    members = sorted(
        {
            Member(
                project=row["project_key"],
                organisation=row["org_id"],
                side=row.get("country") or "",
                activity_type=row.get("activity_type") or "OTH",
            )
            for row in member_rows
            if row.get("project_key") and row.get("org_id")
        },
        key=lambda m: (m.project, m.organisation, m.side, m.activity_type),
    )
    for m in members:  # a participation without a project row still places its project in time
        if m.project not in projects:
            framework = m.project.split(":", 1)[0]
            projects[m.project] = Project(key=m.project, year=FRAMEWORK_YEARS.get(framework))
    return Dataset(projects, members, embed_texts(projects) if embed else {})


def embed_texts(projects: Mapping[str, Project]) -> dict[str, NDArray[np.float32]]:
    """The embedding of every project that has a text, by key."""
    keys = sorted(k for k, p in projects.items() if embeddings.prepare(p.text))
    vectors = embeddings.encode([projects[k].text for k in keys])
    return {k: vectors[i] for i, k in enumerate(keys)}


def _project(row: Mapping[str, Any], lexicon: themes.Lexicon | None) -> Project:
    """A recommend.Project from a row of a flat projects file."""

    def parts(column: str) -> tuple[str, ...]:
        return tuple(p.strip() for p in (row.get(column) or "").split(";") if p.strip())

    year = (
        _year(row.get("start_year")) or _year(row.get("call_year")) or FRAMEWORK_YEARS.get(row.get("framework") or "")
    )
    keys: tuple[str, ...] = ()
    if lexicon is not None:
        keys = tuple(a.theme for a in themes.classify(themes.ProjectText.from_cordis(row), lexicon))
    return Project(
        key=row["project_key"],
        year=year,
        programme=parts("programme"),
        codes=(*parts("topics"), *parts("legal_basis"), *parts("funding_scheme")),
        text=embeddings.project_text(row),
        themes=keys,
    )


def _year(value: object) -> int | None:
    """A year from "2017.0", "2017" or None."""
    try:
        return int(float(str(value))) if value not in (None, "") else None
    except ValueError:
        return None


def build_model(data: Dataset, weights: recommend.Weights | None = None) -> Model:
    """recommend.build() on a dataset."""
    return recommend.build(data.projects.values(), data.members, weights=weights, vectors=data.vectors)


def cases(data: Dataset, model: Model, sides: tuple[str, str] = SIDES) -> list[Case]:
    """The queries of the protocol (module docstring), both directions, by project key."""
    by_project: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for m in data.members:
        if m.side in sides:
            by_project[m.project][m.side].add(m.organisation)
    found = []
    for key in sorted(by_project):
        present = by_project[key]
        if not all(present.get(s) for s in sides):
            continue
        project = data.projects.get(key, Project(key=key, year=None))
        for given, wanted in (sides, sides[::-1]):
            partners = tuple(sorted(present[given]))
            relevant = frozenset(present[wanted] - present[given])
            if not relevant:
                continue
            query = Query(
                text=project.text,
                programme=project.programme,
                codes=project.codes,
                themes=project.themes,
                partners=partners,
                sides=(wanted,),
                home_side=given,
                embedding=embeddings.to_bytes(data.vectors[key]) if key in data.vectors else b"",
            )
            is_unseen = not any(p in model.org_index for p in partners)
            found.append(Case(key, given, query, relevant, is_unseen))
    return found


def pessimistic_ranks(score: NDArray[np.float64], is_relevant: NDArray[np.bool_]) -> list[int]:
    """1-based ranks of the relevant candidates when every tie is broken against them: a
    relevant candidate comes after all others of higher or equal score, and after the
    relevant ones of equal score counted before it. Sorted ascending."""
    ordered = np.sort(-score)  # ascending negatives = scores descending
    relevant_scores = np.sort(score[is_relevant])[::-1]
    ranks = []
    seen_equal: dict[float, int] = defaultdict(int)
    for s in relevant_scores:
        not_lower = int(np.searchsorted(ordered, -s, side="right"))  # candidates with score ≥ s
        relevant_equal = int(np.sum(relevant_scores == s))
        seen_equal[float(s)] += 1
        ranks.append(not_lower - relevant_equal + seen_equal[float(s)])
    return sorted(ranks)


def recall_at(ranks: Sequence[int], relevant_count: int, cutoff: int = CUTOFF) -> float:
    """Share of the relevant items (ranked or not) found in the top `cutoff`."""
    return sum(1 for r in ranks if r <= cutoff) / relevant_count if relevant_count else 0.0


def reciprocal_rank(ranks: Sequence[int]) -> float:
    """1 / the rank of the first relevant item; 0 when none is ranked."""
    return 1.0 / min(ranks) if ranks else 0.0


def ndcg_at(ranks: Sequence[int], relevant_count: int, cutoff: int = CUTOFF) -> float:
    """Normalised discounted cumulative gain at `cutoff` with binary gains; the ideal ranking
    puts all `relevant_count` items (ranked or not) first."""
    gain = sum(1.0 / math.log2(r + 1) for r in ranks if r <= cutoff)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(relevant_count, cutoff) + 1))
    return gain / ideal if ideal else 0.0


def baselines() -> dict[str, Callable[[Model, Candidates], NDArray[np.float64]]]:
    """The baseline scorers by name; each reads one precomputed feature of the candidates."""
    return {
        "popularity": lambda model, found: recommend.features_of(found, "popularity"),
        "common neighbours": lambda model, found: recommend.features_of(found, "common"),
        "adamic-adar": lambda model, found: recommend.features_of(found, "adamic_adar"),
        "text-only": lambda model, found: recommend.features_of(found, "words") + recommend.features_of(found, "codes"),
    }


def methods() -> dict[str, Callable[[Model, Candidates], NDArray[np.float64]]]:
    """The baselines and ours (the model's learnt score), ours last."""
    return {**baselines(), OURS: recommend.scores}


def evaluate(
    model: Model,
    found_cases: Sequence[Case],
    scorers: Mapping[str, Callable[[Model, Candidates], NDArray[np.float64]]] | None = None,
    progress: Progress[Case] | None = None,
) -> dict[str, Scores]:
    """Mean Recall@10, MRR and nDCG@10 per method over the cases, and over the unseen ones."""
    scorers = methods() if scorers is None else scorers
    sums: dict[str, dict[str, float]] = {name: defaultdict(float) for name in scorers}
    iterable: Iterable[Case] = progress(found_cases, "queries") if progress else found_cases
    for case in iterable:
        found = recommend.candidates(model, case.query)
        is_relevant = np.array([model.org_ids[i] in case.relevant for i in found.index], dtype=bool)
        for name, scorer in scorers.items():
            ranks = pessimistic_ranks(scorer(model, found), is_relevant)
            figures = {
                "recall@10": recall_at(ranks, len(case.relevant)),
                "mrr": reciprocal_rank(ranks),
                "ndcg@10": ndcg_at(ranks, len(case.relevant)),
            }
            for metric, value in figures.items():
                sums[name][metric] += value
                if case.is_unseen:
                    sums[name][f"{metric}_unseen"] += value
    total = len(found_cases)
    unseen = sum(1 for c in found_cases if c.is_unseen)
    return {name: _means(sums[name], total, unseen) for name in scorers}


def _means(sums: Mapping[str, float], total: int, unseen: int) -> Scores:
    """Sums divided by the number of (unseen) queries; 0 when there are none."""
    values = {}
    for metric in METRICS:
        values[metric] = sums.get(metric, 0.0) / total if total else 0.0
        values[f"{metric}_unseen"] = sums.get(f"{metric}_unseen", 0.0) / unseen if unseen else 0.0
    return Scores(values, total, unseen)


def ratios(table: Mapping[str, Scores], ours: str = OURS) -> dict[str, float]:
    """Per metric, ours divided by the best baseline (inf when the best baseline is 0)."""
    found = {}
    for metric in table[ours].values:
        best = max(s.values[metric] for name, s in table.items() if name != ours)
        found[metric] = table[ours].values[metric] / best if best else math.inf
    return found


def format_table(table: Mapping[str, Scores], ours: str = OURS) -> str:
    """The method × metric table with a last row of ratios ours / best baseline."""
    columns = [*METRICS, *(f"{m}_unseen" for m in METRICS)]
    width = max(len(n) for n in [*table, "ours / best baseline"])
    lines = [f"{'method':<{width}}  " + "  ".join(f"{c:>16}" for c in columns)]
    for name, scores in table.items():
        lines.append(f"{name:<{width}}  " + "  ".join(f"{scores.values[c]:>16.4f}" for c in columns))
    ratio = ratios(table, ours)
    lines.append(f"{'ours / best baseline':<{width}}  " + "  ".join(f"{ratio[c]:>15.2f}×" for c in columns))
    any_scores = next(iter(table.values()))
    lines.append(f"queries: {any_scores.query_count}, of which unseen: {any_scores.unseen_count}")
    return "\n".join(lines)


def as_json(table: Mapping[str, Scores], ours: str = OURS) -> dict[str, Any]:
    """{"methods": {name: {"recall@10", "mrr", "ndcg@10", "recall@10_unseen", …}}, "ours": name,
    "queries": …, "unseen_queries": …}."""
    any_scores = next(iter(table.values()))
    return {
        "methods": {name: {k: round(v, 6) for k, v in scores.values.items()} for name, scores in table.items()},
        "ours": ours,
        "queries": any_scores.query_count,
        "unseen_queries": any_scores.unseen_count,
    }


@dataclass(frozen=True)
class Report:
    """The outcome of a run: figures per method, the learnt weights, and the sizes involved."""

    table: dict[str, Scores]
    weights: recommend.Weights
    validation_year: int
    validation_cases: int
    model: Model


def learn_weights(train: Dataset, validation_year: int, progress: Progress[Case] | None = None) -> tuple[Any, int]:
    """Weights learnt on `validation_year`: a model of the training years before it is asked
    for the real partners of that year's projects. Returns (weights, number of queries)."""
    before = train.between(None, validation_year - 1)
    model = build_model(before)
    validation = cases(train.between(validation_year, validation_year), model)
    labelled = [(c.query, c.relevant) for c in (progress(validation, "validation") if progress else validation)]
    return recommend.fit_weights(model, labelled), len(validation)


def run(
    train: Dataset,
    test: Dataset,
    *,
    validation_year: int | None = None,
    limit: int | None = None,
    progress: Progress[Case] | None = None,
) -> Report:
    """The whole evaluation: learn weights on the validation year (default: the last training
    year), build the model on all training data, and score every method on the test cases
    (the first `limit` only, when given; they are in project-key order)."""
    train = train.without(test.projects)
    years = [p.year for p in train.projects.values() if p.year is not None]
    year = validation_year if validation_year is not None else max(years)
    weights, validation_count = learn_weights(train, year, progress)
    model = build_model(train, weights)
    test_cases = cases(test, model)
    if limit is not None:
        test_cases = test_cases[:limit]
    return Report(evaluate(model, test_cases, progress=progress), weights, year, validation_count, model)
