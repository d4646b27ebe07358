"""The results of an assessment round: scores aggregated per stakeholder group, the TOPSIS
ranking, rank acceptability under uncertain weights, disagreement, and the evidence beside
each criterion. ORM → plain data → analytics.mcda / analytics.indicators."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from trechter.analytics import indicators as indicator_math
from trechter.analytics import mcda
from trechter.assessment import indicators
from trechter.assessment.models import AssessmentRound, Assessor, Candidate, Criterion, Score

DRAWS = 5000
DISPUTED = 2  # a spread of two steps or more on the 0–4 scale is shown as disagreement


@dataclass
class CandidateResult:
    candidate: Candidate
    rank: int | None = None
    score: float | None = None
    p_first: float | None = None
    p_top3: float | None = None
    acceptability: list[float] = field(default_factory=list)  # P(rank r), r = 1…
    values: list[float | None] = field(default_factory=list)  # per top-level criterion
    missing: list[bool] = field(default_factory=list)
    spread: list[float] = field(default_factory=list)
    mean_spread: float = 0.0
    by_group: dict[str, list[float | None]] = field(default_factory=dict)
    evidence: indicator_math.Indicators | None = None

    def cells(self) -> list[Cell]:
        """One cell per top-level criterion, for the table of values."""
        return [
            Cell(value, missing, spread, [(g, v) for g, values in sorted(self.by_group.items())
                                          if (v := values[i]) is not None])
            for i, (value, missing, spread) in enumerate(zip(self.values, self.missing, self.spread, strict=True))
        ]  # fmt: skip


@dataclass(frozen=True)
class Cell:
    value: float | None  # None: nobody scored it (the ranking used the criterion's mean)
    missing: bool
    spread: float  # highest − lowest individual score
    groups: list[tuple[str, float]]  # each group's median

    @property
    def is_disputed(self) -> bool:
        return self.spread >= DISPUTED


@dataclass
class Results:
    round: AssessmentRound
    criteria: list[Criterion]  # top-level, in the list's order
    weights: dict[str, float]
    rows: list[CandidateResult]  # by rank when ranked, else in the candidates' order
    groups: list[str]
    progress: list[tuple[Assessor, int, int]]  # assessor, candidates scored, candidates
    is_ranked: bool
    draws: int = DRAWS


def top_level_value(own: int | None, below: list[int]) -> int | None:
    """An assessor's value on a top-level criterion: their own score on it, else the lower
    median of their scores on its sub-criteria (an ordinal scale has no mean), else None."""
    if own is not None:
        return own
    return statistics.median_low(below) if below else None


def round_results(round_: AssessmentRound, *, with_evidence: bool = True) -> Results:
    """Everything the results page shows (a fixed number of queries plus one per candidate
    for its evidence)."""
    criteria = list(Criterion.objects.order_by("order", "key"))
    top = [c for c in criteria if c.parent_id is None]
    root_of = _roots(criteria)
    candidates = list(round_.candidates.select_related("theme", "cross_theme_topic").order_by("order", "key"))
    assessors = list(round_.assessors.select_related("user").order_by("group", "name"))
    scores = list(Score.objects.filter(candidate__round=round_).values_list(
        "assessor_id", "candidate_id", "criterion_id", "value"))  # fmt: skip
    own: dict[tuple[int, int, int], int | None] = {}
    below: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    scored: dict[int, set[int]] = defaultdict(set)
    for assessor_id, candidate_id, criterion_id, value in scores:
        root = root_of[criterion_id]
        if value is not None:
            scored[assessor_id].add(candidate_id)
        if root == criterion_id:
            own[assessor_id, candidate_id, root] = value
        elif value is not None:
            below[assessor_id, candidate_id, root].append(value)
    group_of = {a.pk: a.group for a in assessors}
    entries = []
    for assessor in assessors:
        for candidate in candidates:
            for criterion in top:
                k = (assessor.pk, candidate.pk, criterion.pk)
                value = top_level_value(own.get(k), below.get(k, []))
                if value is not None:
                    entries.append(mcda.Score(str(assessor.pk), group_of[assessor.pk], candidate.key, criterion.key,
                                              value))  # fmt: skip
    weights = {c.key: float(round_.weights.get(c.key, 1.0)) for c in top}
    rows = {c.key: CandidateResult(c) for c in candidates}
    groups: list[str] = []
    ranked = False
    if entries and candidates and any(weights.values()):
        table = mcda.aggregate(entries, [c.key for c in candidates], [c.key for c in top])
        order = mcda.rank(table, weights)
        smaa = mcda.acceptability(table, weights, draws=DRAWS, seed=0)
        groups = list(table.groups)
        for i, key in enumerate(table.candidates):
            row = rows[key]
            row.values = [float(v) for v in table.matrix[i]]
            row.missing = [bool(m) for m in table.missing[i]]
            row.values = [None if m else v for v, m in zip(row.values, row.missing, strict=True)]
            row.spread = [float(s) for s in table.disagreement.spread[i]]
            row.mean_spread = table.disagreement.mean_spread[key]
            row.by_group = {g: [None if v != v else float(v) for v in table.disagreement.group_medians[g][i]]
                            for g in groups}  # fmt: skip
            row.p_first, row.p_top3 = smaa.p_first[key], smaa.p_top3[key]
            row.acceptability = [float(p) for p in smaa.matrix[i]]
        for place in order:
            rows[place.candidate].rank, rows[place.candidate].score = place.rank, place.score
        ranked = True
    if with_evidence:
        for row in rows.values():
            row.evidence = indicators.of_candidate(row.candidate)
    listed = sorted(rows.values(), key=lambda r: (r.rank or 10_000, r.candidate.order, r.candidate.key))
    progress = [(a, len(scored.get(a.pk, set())), len(candidates)) for a in assessors]
    return Results(round_, top, weights, listed, groups, progress, ranked)


def _roots(criteria: list[Criterion]) -> dict[int, int]:
    """Each criterion's top-level ancestor (itself for a top-level criterion)."""
    parent = {c.pk: c.parent_id for c in criteria}

    def root(pk: int) -> int:
        seen = set()
        while parent.get(pk) is not None and pk not in seen:
            seen.add(pk)
            pk = parent[pk]  # type: ignore[assignment]
        return pk

    return {c.pk: root(c.pk) for c in criteria}


SCORE_COLUMNS = ["candidate", "candidate_title", "assessor", "group", "criterion", "parent", "score", "note"]
RESULT_COLUMNS = ["rank", "candidate", "candidate_title", "topsis_score", "p_rank_1", "p_top_3", "mean_disagreement"]


def score_rows(round_: AssessmentRound) -> list[list[object]]:
    """Every stored score of the round, one row each (SCORE_COLUMNS), in a stable order."""
    found = Score.objects.filter(candidate__round=round_).select_related("candidate", "assessor", "criterion__parent")
    return [
        [s.candidate.key, s.candidate.title_nl, s.assessor.name, s.assessor.group, s.criterion.key,
         s.criterion.parent.key if s.criterion.parent else "", "" if s.value is None else s.value, s.note]
        for s in found.order_by("candidate__order", "candidate__key", "assessor__group", "assessor__name",
                                "criterion__key")
    ]  # fmt: skip


def result_rows(outcome: Results) -> list[list[object]]:
    """The ranking as rows (RESULT_COLUMNS), plus one column per top-level criterion's value."""
    rows: list[list[object]] = []
    for row in outcome.rows:
        values: list[object] = ["" if v is None else round(v, 3) for v in row.values] or [""] * len(outcome.criteria)
        rows.append([
            row.rank or "", row.candidate.key, row.candidate.title_nl,
            "" if row.score is None else round(row.score, 4),
            "" if row.p_first is None else round(row.p_first, 4),
            "" if row.p_top3 is None else round(row.p_top3, 4),
            round(row.mean_spread, 3), *values,
        ])  # fmt: skip
    return rows
