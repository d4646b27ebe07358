"""trechter.analytics.mcda: group-fair aggregation, TOPSIS ranking and SMAA rank acceptability."""

from __future__ import annotations

import math

import numpy as np
import pytest

from trechter.analytics import mcda
from trechter.analytics.mcda import Score


def table_of(rows: dict[str, list[int]], criteria: list[str]) -> mcda.Table:
    """A table in which one assessor gave each candidate the listed scores."""
    scores = [
        Score("ann", "nl", candidate, criterion, value)
        for candidate, values in rows.items()
        for criterion, value in zip(criteria, values, strict=True)
    ]
    return mcda.aggregate(scores, list(rows), criteria)


def test_aggregate_counts_groups_not_heads() -> None:
    scores = [Score(name, "nl", "topic", "impact", 4) for name in ("ann", "bas", "cor")]
    scores.append(Score("dirk", "vl", "topic", "impact", 0))

    table = mcda.aggregate(scores, ["topic"], ["impact"])

    assert table.matrix.tolist() == [[2.0]]  # mean(median(4, 4, 4), median(0)), not mean of all = 3
    assert table.medians_by_group("topic", "impact") == {"nl": 4.0, "vl": 0.0}
    assert table.groups == ("nl", "vl")


def test_aggregate_even_group_takes_mean_of_middle_two() -> None:
    scores = [
        Score("ann", "nl", "topic", "impact", 1),
        Score("bas", "nl", "topic", "impact", 2),
        Score("dirk", "vl", "topic", "impact", 3),
    ]

    table = mcda.aggregate(scores, ["topic"], ["impact"])

    assert table.matrix.tolist() == [[2.25]]  # mean(1.5, 3)


def test_aggregate_cannot_judge_is_skipped() -> None:
    scores = [
        Score("ann", "nl", "topic", "impact", 3),
        Score("bas", "nl", "topic", "impact", None, note="outside my field"),
        Score("dirk", "vl", "topic", "impact", 1),
    ]

    table = mcda.aggregate(scores, ["topic"], ["impact"])

    assert table.matrix.tolist() == [[2.0]]
    assert table.counts.tolist() == [[2]]


def test_aggregate_missing_cell_gets_criterion_mean_and_flag() -> None:
    scores = [
        Score("ann", "nl", "a", "impact", 4),
        Score("ann", "nl", "b", "impact", 1),
        Score("ann", "nl", "a", "fit", 2),
        Score("ann", "nl", "b", "fit", 3),
        Score("ann", "nl", "c", "fit", 4),
    ]

    table = mcda.aggregate(scores, ["a", "b", "c"], ["impact", "fit"])

    assert table.matrix.tolist() == [[4.0, 2.0], [1.0, 3.0], [2.5, 4.0]]
    assert table.missing.tolist() == [[False, False], [False, False], [True, False]]
    assert not np.isnan(table.matrix).any()


def test_aggregate_criterion_nobody_scored_gets_midpoint() -> None:
    scores = [Score("ann", "nl", "a", "impact", 4), Score("ann", "nl", "b", "impact", 0)]

    table = mcda.aggregate(scores, ["a", "b"], ["impact", "fit"])

    assert table.matrix[:, 1].tolist() == [2.0, 2.0]
    assert table.missing[:, 1].tolist() == [True, True]


def test_aggregate_disagreement_is_range_of_individual_scores() -> None:
    scores = [
        Score("ann", "nl", "a", "impact", 4),
        Score("bas", "nl", "a", "impact", 3),
        Score("dirk", "vl", "a", "impact", 0),
        Score("ann", "nl", "a", "fit", 2),
        Score("dirk", "vl", "a", "fit", 2),
        Score("ann", "nl", "b", "impact", 1),
    ]

    table = mcda.aggregate(scores, ["a", "b"], ["impact", "fit"])

    assert table.disagreement.spread.tolist() == [[4.0, 0.0], [0.0, 0.0]]
    # b has no score on fit: its mean spread is over impact alone
    assert table.disagreement.mean_spread == {"a": 2.0, "b": 0.0}
    assert table.disagreement.group_medians["nl"][0].tolist() == [3.5, 2.0]
    assert table.disagreement.group_medians["vl"][0].tolist() == [0.0, 2.0]
    assert math.isnan(table.disagreement.group_medians["vl"][1, 0])
    assert table.medians_by_group("b", "impact") == {"nl": 1.0}


def test_aggregate_result_is_read_only() -> None:
    table = table_of({"a": [1]}, ["impact"])

    with pytest.raises(ValueError, match="read-only"):
        table.matrix[0, 0] = 4.0


def test_aggregate_empty_scores_refused() -> None:
    with pytest.raises(ValueError, match="no scores"):
        mcda.aggregate([], ["a"], ["impact"])


def test_aggregate_only_cannot_judge_refused() -> None:
    with pytest.raises(ValueError, match="no usable scores"):
        mcda.aggregate([Score("ann", "nl", "a", "impact", None)], ["a"], ["impact"])


def test_aggregate_unknown_names_refused() -> None:
    scores = [Score("ann", "nl", "zz", "impact", 2), Score("ann", "nl", "yy", "impact", 2)]

    with pytest.raises(ValueError, match="unknown candidates: yy, zz"):
        mcda.aggregate(scores, ["a"], ["impact"])


def test_aggregate_value_off_scale_refused() -> None:
    with pytest.raises(ValueError, match="off the scale 0–4"):
        mcda.aggregate([Score("ann", "nl", "a", "impact", 5)], ["a"], ["impact"])


def test_aggregate_same_assessor_twice_refused() -> None:
    scores = [Score("ann", "nl", "a", "impact", 2), Score("ann", "nl", "a", "impact", 3)]

    with pytest.raises(ValueError, match="ann scored a / impact twice"):
        mcda.aggregate(scores, ["a"], ["impact"])


def test_aggregate_assessor_in_two_groups_refused() -> None:
    scores = [Score("ann", "nl", "a", "impact", 2), Score("ann", "vl", "a", "fit", 3)]

    with pytest.raises(ValueError, match="ann is in two groups: nl and vl"):
        mcda.aggregate(scores, ["a"], ["impact", "fit"])


def test_aggregate_repeated_candidate_refused() -> None:
    with pytest.raises(ValueError, match="candidate named twice: a"):
        mcda.aggregate([Score("ann", "nl", "a", "impact", 2)], ["a", "a"], ["impact"])


def test_rank_matches_hand_computed_topsis() -> None:
    # min–max: a (1, 0), b (0, 1), c (0.5, 0.5); weighted (0.75, 0.25): ideal (0.75, 0.25),
    # anti-ideal (0, 0). a: 0.75 / (0.75 + 0.25); b: 0.25 / (0.25 + 0.75); c: equally far from both.
    table = table_of({"a": [4, 0], "b": [0, 4], "c": [2, 2]}, ["impact", "fit"])

    ranked = mcda.rank(table, {"impact": 3, "fit": 1})

    assert [(r.candidate, r.rank) for r in ranked] == [("a", 1), ("c", 2), ("b", 3)]
    assert [r.score for r in ranked] == pytest.approx([0.75, 0.5, 0.25], abs=1e-12)


def test_rank_weights_are_normalised() -> None:
    table = table_of({"a": [4, 0], "b": [0, 4], "c": [2, 1]}, ["impact", "fit"])

    assert mcda.rank(table, {"impact": 3, "fit": 1}) == mcda.rank(table, {"impact": 0.75, "fit": 0.25})


def test_rank_ties_broken_by_candidate_key() -> None:
    table = table_of({"b": [3, 1], "c": [1, 3], "a": [1, 3]}, ["impact", "fit"])

    ranked = mcda.rank(table, {"impact": 1, "fit": 1})

    assert [(r.candidate, r.rank) for r in ranked] == [("a", 1), ("b", 2), ("c", 3)]


def test_rank_left_out_criterion_weighs_nothing() -> None:
    table = table_of({"a": [4, 0], "b": [0, 4]}, ["impact", "fit"])

    ranked = mcda.rank(table, {"fit": 1})

    assert [r.candidate for r in ranked] == ["b", "a"]
    assert [r.score for r in ranked] == [1.0, 0.0]


def test_rank_unknown_criterion_refused_by_name() -> None:
    table = table_of({"a": [1]}, ["impact"])

    with pytest.raises(ValueError, match="unknown criteria in weights: cost, risk"):
        mcda.rank(table, {"impact": 1, "risk": 1, "cost": 1})


@pytest.mark.parametrize("weights", [{"impact": -1.0, "fit": 2.0}, {"impact": math.nan, "fit": 1.0}])
def test_rank_negative_or_nan_weight_refused(weights: dict[str, float]) -> None:
    table = table_of({"a": [1, 2]}, ["impact", "fit"])

    with pytest.raises(ValueError, match="finite and ≥ 0: impact="):
        mcda.rank(table, weights)


def test_rank_zero_sum_refused() -> None:
    table = table_of({"a": [1, 2]}, ["impact", "fit"])

    with pytest.raises(ValueError, match="positive sum"):
        mcda.rank(table, {"impact": 0, "fit": 0})


def test_rank_single_candidate_scores_half() -> None:
    table = table_of({"a": [1, 2]}, ["impact", "fit"])

    assert mcda.rank(table, {"impact": 1, "fit": 1}) == [mcda.Ranked("a", 0.5, 1)]


def test_rank_criterion_equal_for_all_gives_no_nan() -> None:
    table = table_of({"a": [2, 4], "b": [2, 1], "c": [2, 0]}, ["impact", "fit"])

    ranked = mcda.rank(table, {"impact": 1, "fit": 1})

    assert [r.candidate for r in ranked] == ["a", "b", "c"]
    assert [r.score for r in ranked] == pytest.approx([1.0, 0.25, 0.0], abs=1e-12)


def test_rank_one_criterion_orders_by_it() -> None:
    table = table_of({"a": [1], "b": [3], "c": [2]}, ["impact"])

    ranked = mcda.rank(table, {"impact": 5})

    assert [(r.candidate, r.score) for r in ranked] == [("b", 1.0), ("c", 0.5), ("a", 0.0)]


def test_topsis_scores_agree_with_pymcdm() -> None:
    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import minmax_normalization

    rng = np.random.default_rng(7)
    matrix = rng.uniform(0, 4, size=(30, 8))
    matrix[:, 3] = 2.0  # a criterion on which all are equal
    weights = rng.dirichlet(np.ones(8), size=40)
    method = TOPSIS(minmax_normalization)

    ours = mcda.topsis_scores(matrix, weights)
    theirs = np.array([method(matrix, w, np.ones(8), validation=False) for w in weights])

    assert ours.shape == (40, 30)
    assert np.abs(ours - theirs).max() < 1e-9
    assert np.abs(mcda.topsis_scores(matrix, weights[0]) - theirs[0]).max() < 1e-9


def test_topsis_scores_all_equal_is_half() -> None:
    assert mcda.topsis_scores(np.full((3, 2), 2.0), np.array([0.5, 0.5])).tolist() == [0.5, 0.5, 0.5]


def test_acceptability_dominating_candidate_always_first() -> None:
    table = table_of({"a": [1, 3, 2], "b": [4, 4, 3], "c": [3, 1, 0], "d": [0, 2, 1]}, ["x", "y", "z"])

    result = mcda.acceptability(table, draws=2000, seed=3)

    assert result.p_first == {"a": 0.0, "b": 1.0, "c": 0.0, "d": 0.0}
    assert result.p_top3["b"] == 1.0
    assert result.central_weights["a"] is None


def test_acceptability_rank_shares_sum_to_one() -> None:
    rng = np.random.default_rng(11)
    names = [f"t{i:02}" for i in range(12)]
    table = table_of({n: rng.integers(0, 5, size=5).tolist() for n in names}, ["a", "b", "c", "d", "e"])

    result = mcda.acceptability(table, draws=1000, seed=1)

    assert result.matrix.shape == (12, 12)
    assert np.allclose(result.matrix.sum(axis=0), 1.0)
    assert np.allclose(result.matrix.sum(axis=1), 1.0)
    assert sum(result.p_first.values()) == pytest.approx(1.0)
    assert sum(result.p_top3.values()) == pytest.approx(3.0)


def test_acceptability_same_seed_same_result() -> None:
    rng = np.random.default_rng(5)
    table = table_of({f"t{i}": rng.integers(0, 5, size=4).tolist() for i in range(8)}, ["a", "b", "c", "d"])

    first = mcda.acceptability(table, seed=42, draws=500)
    again = mcda.acceptability(table, seed=42, draws=500)
    other = mcda.acceptability(table, seed=43, draws=500)

    assert first.matrix.tolist() == again.matrix.tolist()
    assert first.central_weights == again.central_weights
    assert first.matrix.tolist() != other.matrix.tolist()


def test_acceptability_central_weights_of_constant_winner_are_mean_draw() -> None:
    # b wins every draw, so its central weights are the mean of all draws: close to the given ones.
    table = table_of({"a": [1, 3, 2], "b": [4, 4, 3], "c": [3, 1, 0]}, ["x", "y", "z"])

    result = mcda.acceptability(table, {"x": 6, "y": 3, "z": 1}, draws=5000, seed=0, spread=0.2)

    central = result.central_weights["b"]
    assert central is not None
    assert central == pytest.approx({"x": 0.6, "y": 0.3, "z": 0.1}, abs=0.01)
    assert sum(central.values()) == pytest.approx(1.0)


def test_acceptability_zero_weight_stays_zero() -> None:
    table = table_of({"a": [4, 0], "b": [0, 4]}, ["x", "y"])

    result = mcda.acceptability(table, {"x": 1, "y": 0}, draws=300)

    assert result.p_first == {"a": 1.0, "b": 0.0}
    assert result.central_weights["a"] == {"x": 1.0, "y": 0.0}


def test_acceptability_small_spread_agrees_with_rank() -> None:
    rng = np.random.default_rng(2)
    table = table_of({f"t{i}": rng.integers(0, 5, size=4).tolist() for i in range(10)}, ["a", "b", "c", "d"])
    weights = {"a": 0.4, "b": 0.3, "c": 0.2, "d": 0.1}

    result = mcda.acceptability(table, weights, draws=200, spread=1e-6)
    ranked = mcda.rank(table, weights)

    assert [int(np.argmax(result.matrix[table.candidates.index(r.candidate)])) + 1 for r in ranked] == [
        r.rank for r in ranked
    ]


def test_acceptability_single_candidate_is_certain() -> None:
    table = table_of({"a": [1, 2]}, ["x", "y"])

    result = mcda.acceptability(table, draws=100)

    assert result.matrix.tolist() == [[1.0]]
    assert result.p_top3 == {"a": 1.0}


def test_acceptability_one_criterion_is_one_order() -> None:
    table = table_of({"a": [1], "b": [3], "c": [2]}, ["x"])

    result = mcda.acceptability(table, draws=100)

    assert result.matrix.tolist() == [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    assert result.central_weights["b"] == {"x": 1.0}


def test_acceptability_criterion_equal_for_all_gives_no_nan() -> None:
    table = table_of({"a": [2, 4], "b": [2, 1], "c": [2, 0]}, ["x", "y"])

    result = mcda.acceptability(table, draws=100)

    assert not np.isnan(result.matrix).any()
    assert result.p_first == {"a": 1.0, "b": 0.0, "c": 0.0}


@pytest.mark.parametrize(
    ("draws", "spread", "message"),
    [(0, 0.1, "draws must be at least 1"), (100, 0.0, "spread must lie between"), (100, 1.0, "spread must lie")],
)
def test_acceptability_bad_settings_refused(draws: int, spread: float, message: str) -> None:
    table = table_of({"a": [1]}, ["x"])

    with pytest.raises(ValueError, match=message):
        mcda.acceptability(table, {"x": 1}, draws=draws, spread=spread)
