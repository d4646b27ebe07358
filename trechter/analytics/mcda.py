"""Ranking candidate topics that several assessors scored against a list of criteria.

Three steps, plain data in and out, no Django (tests/unit/test_pure_modules.py checks):

1. `aggregate`: individual ordinal scores (`SCALE`, 0–4; None = "cannot judge") become one
   value per candidate × criterion — the median per stakeholder group first, then the mean of
   the group medians, so neither side of the border wins by headcount. How far assessors
   disagree, and what each group says, is kept next to it for the page.
2. `rank`: one order for one weight vector, by TOPSIS from pymcdm (the maintained
   implementation, min–max normalisation, every criterion a benefit).
3. `acceptability`: how fragile that order is — SMAA rank acceptability: TOPSIS under a few
   thousand sampled weight vectors, reported as P(rank 1), P(top 3) and the full candidates ×
   ranks matrix (LIBRARIES.md, "Multi-criteria assessment"). pymcdm once per draw takes ~3 s
   for 5,000 draws of 50 × 10 (bench/mcda.py), too slow for a page, so this runs the same
   TOPSIS vectorised over all draws (`topsis_scores`, tested against pymcdm to 1e-9): ~0.05 s.

Shapes: matrices are read-only numpy arrays whose rows follow `candidates` and columns
`criteria` in the caller's order; per-candidate figures are dicts keyed by candidate in that
order. Ties in rank are broken by candidate key (string order), in `rank` and in every draw.
Deterministic: no clock, no global random state; `acceptability` draws from its `seed`.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

SCALE = range(0, 5)  # the ordinal scale assessors score on: 0 (not at all) … 4 (fully)
# Scores are compared at this many decimals when ranking, so that candidates whose scores
# differ only by float rounding (e.g. mirror-image rows) tie and the candidate key decides.
TIE_DIGITS = 12
TOP = 3  # P(top 3)
# Default for `acceptability(spread=…)` around given weights: each weight's standard deviation
# is a tenth of the largest a weight with that mean can have (see `_draw_weights`).
SPREAD = 0.1


@dataclass(frozen=True)
class Score:
    """One assessor's judgement of one candidate on one criterion."""

    assessor: str
    group: str  # stakeholder group, e.g. "nl" or "vl"; an assessor belongs to one
    candidate: str
    criterion: str
    value: int | None  # in SCALE; None = "cannot judge", left out of every figure
    note: str = ""


@dataclass(frozen=True, eq=False)
class Disagreement:
    """How far the assessors of each candidate × criterion are apart."""

    # Candidates × criteria: max − min of the individual scores (0 with fewer than two).
    spread: np.ndarray
    mean_spread: dict[str, float]  # per candidate, over the criteria it has scores on
    # Group → candidates × criteria matrix of that group's median; NaN where it gave no score.
    group_medians: dict[str, np.ndarray]


@dataclass(frozen=True, eq=False)
class Table:
    """Aggregated scores: one value per candidate × criterion, NaN-free."""

    candidates: tuple[str, ...]
    criteria: tuple[str, ...]
    matrix: np.ndarray  # candidates × criteria, float, on SCALE
    missing: np.ndarray  # candidates × criteria, bool: no score, filled with the criterion's mean
    counts: np.ndarray  # candidates × criteria, int: how many assessors gave a score
    groups: tuple[str, ...]  # sorted
    disagreement: Disagreement

    def medians_by_group(self, candidate: str, criterion: str) -> dict[str, float]:
        """What each group says about `candidate` on `criterion`, e.g. {"nl": 3.0, "vl": 1.0}; silent ones left out."""
        row, column = self.candidates.index(candidate), self.criteria.index(criterion)
        medians = self.disagreement.group_medians
        return {g: float(medians[g][row, column]) for g in self.groups if not math.isnan(medians[g][row, column])}


@dataclass(frozen=True)
class Ranked:
    """A candidate's place in the TOPSIS order for one weight vector."""

    candidate: str
    score: float  # TOPSIS closeness to the ideal, 0 … 1; 0.5 when all candidates are equal
    rank: int  # 1 = best; distinct, ties broken by candidate key


@dataclass(frozen=True, eq=False)
class Acceptability:
    """Rank acceptability of each candidate under uncertain weights (SMAA)."""

    candidates: tuple[str, ...]
    criteria: tuple[str, ...]
    # Candidates × ranks: the share of draws in which candidate i takes rank r + 1. Every row
    # and every column sums to 1.
    matrix: np.ndarray
    p_first: dict[str, float]  # P(rank 1) per candidate
    p_top3: dict[str, float]  # P(rank ≤ 3) per candidate
    # Per candidate, the mean weights of the draws in which it ranks first ("it wins when
    # weighted like this"); None when it never does.
    central_weights: dict[str, dict[str, float] | None]
    draws: int
    seed: int


def aggregate(scores: Iterable[Score], candidates: Sequence[str], criteria: Sequence[str]) -> Table:
    """Median per group, then the mean of the group medians, per candidate × criterion.

    Cells without a score get the criterion's mean over the candidates that have one and are
    flagged in `missing`; a criterion nobody scored gets the scale's midpoint for all, which
    TOPSIS then ignores (equal everywhere). Raises ValueError on no usable scores, unknown or
    duplicate names, values off the scale, or an assessor in two groups.
    """
    candidates, criteria = _names(candidates, "candidate"), _names(criteria, "criterion")
    scores = list(scores)
    if not scores:
        raise ValueError("no scores to aggregate")
    _check_scores(scores, candidates, criteria)
    row = {c: i for i, c in enumerate(candidates)}
    column = {c: j for j, c in enumerate(criteria)}
    # (row, column) → group → the values its assessors gave
    cells: dict[tuple[int, int], dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for score in scores:
        if score.value is not None:
            cells[row[score.candidate], column[score.criterion]][score.group].append(score.value)
    if not cells:
        raise ValueError(f"no usable scores: all {len(scores)} are 'cannot judge' (None)")

    shape = (len(candidates), len(criteria))
    groups = tuple(sorted({s.group for s in scores}))
    matrix = np.full(shape, np.nan)
    spread = np.zeros(shape)
    counts = np.zeros(shape, dtype=np.int64)
    group_medians = {g: np.full(shape, np.nan) for g in groups}
    for (i, j), by_group in cells.items():
        medians = {g: float(statistics.median(values)) for g, values in by_group.items()}
        for g, median in medians.items():
            group_medians[g][i, j] = median
        # Each group counts once, however many assessors it sent.
        matrix[i, j] = statistics.fmean(medians[g] for g in sorted(medians))
        values = [v for g in sorted(by_group) for v in by_group[g]]
        # Range, not interquartile range: panels are small (2–6 assessors), where the IQR is
        # unstable and hides a lone dissenter — and a lone dissenter from the other side of
        # the border is what the page should show. On a 0–4 scale it reads plainly: "0 to 4".
        spread[i, j] = max(values) - min(values)
        counts[i, j] = len(values)

    missing = np.isnan(matrix)
    midpoint = (SCALE[0] + SCALE[-1]) / 2
    for j in range(len(criteria)):
        known = matrix[~missing[:, j], j]
        matrix[missing[:, j], j] = known.mean() if known.size else midpoint
    mean_spread = {
        c: float(spread[i, ~missing[i]].mean()) if (~missing[i]).any() else 0.0 for i, c in enumerate(candidates)
    }
    return Table(
        candidates=candidates,
        criteria=criteria,
        matrix=_frozen(matrix),
        missing=_frozen(missing),
        counts=_frozen(counts),
        groups=groups,
        disagreement=Disagreement(
            spread=_frozen(spread),
            mean_spread=mean_spread,
            group_medians={g: _frozen(m) for g, m in group_medians.items()},
        ),
    )


def rank(table: Table, weights: Mapping[str, float]) -> list[Ranked]:
    """The TOPSIS order (pymcdm) of the table's candidates for one weight vector, best first.

    Weights are ≥ 0 with a positive sum and are normalised; a criterion left out weighs 0.
    """
    # pymcdm loads matplotlib and pandas (~2 s); only this function needs it.
    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import minmax_normalization

    vector = _weight_vector(table.criteria, weights)
    types = np.ones(len(table.criteria))  # every criterion is a benefit: higher scores are better
    # validation=False: pymcdm's checks only warn, about things that are normal here (a
    # candidate that dominates the rest, a criterion weighing 0); ours ran in _weight_vector.
    with np.errstate(invalid="ignore"):
        scores = TOPSIS(minmax_normalization)(table.matrix, vector, types, validation=False)
    # TOPSIS divides by the distances to the ideal and anti-ideal together, which are both 0
    # when all candidates are equal on every weighted criterion (or there is one candidate).
    closeness: list[float] = np.where(np.isnan(scores), 0.5, scores).tolist()
    order = sorted(range(len(closeness)), key=lambda i: (-round(closeness[i], TIE_DIGITS), table.candidates[i]))
    return [Ranked(table.candidates[i], closeness[i], place) for place, i in enumerate(order, start=1)]


def acceptability(
    table: Table,
    weights: Mapping[str, float] | None = None,
    draws: int = 5000,
    seed: int = 0,
    spread: float = SPREAD,
) -> Acceptability:
    """SMAA rank acceptability: TOPSIS under `draws` sampled weight vectors, all at once.

    Without weights, the draws are uniform over all weight vectors (nothing is known about
    the weights); with weights, they scatter around them by `spread` (0 < spread < 1, see
    `_draw_weights`) and criteria weighing 0 stay at 0. Same seed, same result.
    """
    if draws < 1:
        raise ValueError(f"draws must be at least 1, not {draws}")
    if not 0 < spread < 1:
        raise ValueError(f"spread must lie between 0 and 1 (exclusive), not {spread}")
    centre = None if weights is None else _weight_vector(table.criteria, weights)
    sampled = _draw_weights(np.random.default_rng(seed), len(table.criteria), draws, centre, spread)
    scores = topsis_scores(table.matrix, sampled)  # draws × candidates

    count = len(table.candidates)
    by_key = np.array(sorted(range(count), key=lambda i: table.candidates[i]))
    # A stable sort of the candidates in key order breaks ties by key, as `rank` does.
    order = by_key[np.argsort(-np.round(scores[:, by_key], TIE_DIGITS), axis=1, kind="stable")]
    place = np.empty_like(order)  # place[d, i]: the rank − 1 of candidate i in draw d
    np.put_along_axis(place, order, np.arange(count)[np.newaxis, :], axis=1)
    cells = np.arange(count)[np.newaxis, :] * count + place
    matrix = np.bincount(cells.ravel(), minlength=count * count).reshape(count, count) / draws

    winners = order[:, 0]
    wins = np.bincount(winners, minlength=count)
    weight_sums = np.zeros((count, len(table.criteria)))
    np.add.at(weight_sums, winners, sampled)
    central: dict[str, dict[str, float] | None] = {
        c: dict(zip(table.criteria, (weight_sums[i] / wins[i]).tolist(), strict=True)) if wins[i] else None
        for i, c in enumerate(table.candidates)
    }
    return Acceptability(
        candidates=table.candidates,
        criteria=table.criteria,
        matrix=_frozen(matrix),
        p_first={c: float(matrix[i, 0]) for i, c in enumerate(table.candidates)},
        p_top3={c: float(matrix[i, :TOP].sum()) for i, c in enumerate(table.candidates)},
        central_weights=central,
        draws=draws,
        seed=seed,
    )


def topsis_scores(matrix: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """TOPSIS closeness of each row of `matrix` for one weight vector (n) or many (draws × n).

    The same method as pymcdm's TOPSIS with min–max normalisation and benefit criteria, with
    all weight vectors in two matrix products instead of a loop. 0.5 where all candidates are
    equal on every weighted criterion (pymcdm gives NaN there).
    """
    normalised = _minmax(np.asarray(matrix, dtype=np.float64))
    many = np.atleast_2d(np.asarray(weights, dtype=np.float64))
    # With weights ≥ 0, the ideal of a weighted column is its weight times the column's max
    # (and the anti-ideal times its min), so the squared distance to it is Σ_j w_j² (r_ij −
    # max_j)²: a (draws × n) @ (n × candidates) product, with no draws × candidates × n array.
    squared = many * many
    to_ideal = np.sqrt(squared @ ((normalised.max(axis=0) - normalised) ** 2).T)
    to_anti = np.sqrt(squared @ ((normalised - normalised.min(axis=0)) ** 2).T)
    total = to_ideal + to_anti
    scores = np.divide(to_anti, total, out=np.full_like(total, 0.5), where=total > 0)
    return scores[0] if np.ndim(weights) == 1 else scores


def _minmax(matrix: np.ndarray) -> np.ndarray:
    """Each column scaled to 0 … 1; a column with one value becomes all 1, as in pymcdm."""
    low, high = matrix.min(axis=0), matrix.max(axis=0)
    width = high - low
    # A criterion on which all candidates are equal would divide by zero; pymcdm's
    # minmax_normalization makes it all ones, so it adds nothing to either distance.
    return np.divide(matrix - low, width, out=np.ones_like(matrix), where=width > 0)


def _draw_weights(
    rng: np.random.Generator, size: int, draws: int, centre: np.ndarray | None, spread: float
) -> np.ndarray:
    """`draws` weight vectors of `size` criteria, each ≥ 0 and summing to 1.

    Without a centre: Dirichlet(1, …, 1), uniform over the simplex — the SMAA convention for
    "no preference information". Around a centre w: Dirichlet(c · w), whose mean is exactly w
    and whose standard deviation per weight is spread × √(w (1 − w)), i.e. `spread` is the
    share of the largest deviation any weight with mean w can have, the same for every
    criterion; c = 1 / spread² − 1. Criteria with w = 0 stay at 0 (Dirichlet needs α > 0, and
    "does not count" should not start to count).
    """
    if centre is None:
        return rng.dirichlet(np.ones(size), size=draws)
    concentration = 1 / spread**2 - 1
    counted = centre > 0
    sampled = np.zeros((draws, size))
    sampled[:, counted] = rng.dirichlet(concentration * centre[counted], size=draws)
    return sampled


def _weight_vector(criteria: tuple[str, ...], weights: Mapping[str, float]) -> np.ndarray:
    """Weights in criteria order, normalised to sum 1; ValueError on unknown names or bad values."""
    unknown = sorted(set(weights) - set(criteria))
    if unknown:
        raise ValueError(f"unknown criteria in weights: {', '.join(unknown)}")
    bad = sorted(c for c, w in weights.items() if not (math.isfinite(w) and w >= 0))
    if bad:
        raise ValueError(f"weights must be finite and ≥ 0: {', '.join(f'{c}={weights[c]}' for c in bad)}")
    vector = np.array([float(weights.get(c, 0.0)) for c in criteria])
    total = vector.sum()
    if total <= 0:
        raise ValueError("weights must have a positive sum")
    return vector / total


def _names(names: Sequence[str], kind: str) -> tuple[str, ...]:
    """`names` as a tuple; ValueError when empty or repeated."""
    if not names:
        raise ValueError(f"no {kind} given")
    repeated = sorted(n for n, count in Counter(names).items() if count > 1)
    if repeated:
        raise ValueError(f"{kind} named twice: {', '.join(repeated)}")
    return tuple(names)


def _check_scores(scores: list[Score], candidates: tuple[str, ...], criteria: tuple[str, ...]) -> None:
    """ValueError on scores that name unknown candidates or criteria, lie off the scale, repeat, or switch group."""
    for kind, named, known in (
        ("candidates", {s.candidate for s in scores}, candidates),
        ("criteria", {s.criterion for s in scores}, criteria),
    ):
        unknown = sorted(named - set(known))
        if unknown:
            raise ValueError(f"scores name unknown {kind}: {', '.join(unknown)}")
    off = [s for s in scores if s.value is not None and (isinstance(s.value, bool) or s.value not in SCALE)]
    if off:
        s = off[0]
        raise ValueError(
            f"{len(off)} score(s) off the scale {SCALE[0]}–{SCALE[-1]}, e.g. {s.assessor} on "
            f"{s.candidate} / {s.criterion}: {s.value!r}"
        )
    seen: set[tuple[str, str, str]] = set()
    group_of: dict[str, str] = {}
    for s in scores:
        if (s.assessor, s.candidate, s.criterion) in seen:
            raise ValueError(f"{s.assessor} scored {s.candidate} / {s.criterion} twice")
        seen.add((s.assessor, s.candidate, s.criterion))
        # An assessor in two groups would count for both sides.
        if group_of.setdefault(s.assessor, s.group) != s.group:
            raise ValueError(f"{s.assessor} is in two groups: {group_of[s.assessor]} and {s.group}")


def _frozen(array: np.ndarray) -> np.ndarray:
    """`array`, made read-only so a frozen result stays as computed."""
    array.setflags(write=False)
    return array
