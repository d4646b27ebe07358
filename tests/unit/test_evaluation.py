"""The recommendation evaluation harness (trechter/analytics/evaluation.py): metrics on
hand-computed rankings with pessimistic ties, the query protocol, reading the flat CORDIS files
of tests/data/recommend (Source: CORDIS, © European Union), and a whole run."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from trechter.analytics import evaluation
from trechter.analytics.recommend import Member, Project

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "recommend"
FILES = [FIXTURE / "h2020_projects.csv", FIXTURE / "h2020_participations.csv"]


def test_pessimistic_ranks_put_relevant_after_tied_others() -> None:
    score = np.array([3.0, 2.0, 2.0, 2.0, 1.0])
    is_relevant = np.array([False, True, False, False, False])

    assert evaluation.pessimistic_ranks(score, is_relevant) == [4]


def test_pessimistic_ranks_of_several_tied_relevant_are_consecutive_at_the_end() -> None:
    score = np.array([2.0, 2.0, 2.0, 5.0])
    is_relevant = np.array([True, True, False, False])

    assert evaluation.pessimistic_ranks(score, is_relevant) == [3, 4]


def test_all_equal_scores_rank_relevant_last() -> None:
    assert evaluation.pessimistic_ranks(np.zeros(20), np.arange(20) == 0) == [20]


def test_metrics_on_hand_computed_ranking() -> None:
    ranks = [1, 3]  # a third relevant organisation was never seen: not ranked

    assert evaluation.recall_at(ranks, 3) == pytest.approx(2 / 3)
    assert evaluation.reciprocal_rank(ranks) == 1.0
    ideal = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert evaluation.ndcg_at(ranks, 3) == pytest.approx((1 + 1 / math.log2(4)) / ideal)


def test_metrics_beyond_the_cutoff_count_nothing_but_mrr() -> None:
    assert evaluation.recall_at([11], 1) == 0.0
    assert evaluation.ndcg_at([11], 1) == 0.0
    assert evaluation.reciprocal_rank([11]) == pytest.approx(1 / 11)
    assert evaluation.reciprocal_rank([]) == 0.0


def small_dataset() -> evaluation.Dataset:
    """2015: n1 (NL) with b1 (BE); 2018: n1 with b1 and newcomer b9; n5 (never seen) with b1."""
    rows = {
        "A": (2015, [("n1", "NL"), ("b1", "BE"), ("b2", "BE")]),
        "B": (2018, [("n1", "NL"), ("b1", "BE"), ("b9", "BE")]),
        "C": (2018, [("n5", "NL"), ("b1", "BE"), ("d1", "DE")]),
        "D": (2018, [("n1", "NL"), ("d1", "DE")]),
    }
    projects = {k: Project(key=k, year=year) for k, (year, _) in rows.items()}
    members = [Member(k, org, side) for k, (_, orgs) in rows.items() for org, side in orgs]
    return evaluation.Dataset(projects, members)


def test_cases_ask_both_directions_of_projects_with_both_sides() -> None:
    data = small_dataset()
    model = evaluation.build_model(data.between(None, 2017))

    found = evaluation.cases(data.between(2018, 2018), model)

    summary = [(c.project, c.given_side, c.query.partners, sorted(c.relevant), c.is_unseen) for c in found]
    assert summary == [
        ("B", "NL", ("n1",), ["b1", "b9"], False),
        ("B", "BE", ("b1", "b9"), ["n1"], False),
        ("C", "NL", ("n5",), ["b1"], True),
        ("C", "BE", ("b1",), ["n5"], False),
    ]


def test_relevant_organisations_unseen_in_training_count_as_misses() -> None:
    data = small_dataset()
    model = evaluation.build_model(data.between(None, 2017))
    case = evaluation.cases(data.between(2018, 2018), model)[0]  # b1 can be ranked, b9 cannot

    table = evaluation.evaluate(model, [case], evaluation.baselines())

    assert table["popularity"].values["recall@10"] == pytest.approx(0.5)
    assert table["popularity"].values["mrr"] == pytest.approx(0.5)  # b1 ties with b2: ranked second


def test_between_keeps_the_year_range() -> None:
    data = small_dataset()

    assert sorted(data.between(2016, None).projects) == ["B", "C", "D"]
    assert {m.project for m in data.between(None, 2015).members} == {"A"}


def test_read_files_reads_years_codes_and_themes() -> None:
    data = evaluation.read_files(FILES)

    years = {p.year for p in data.projects.values()}
    assert min(years) >= 2014 and max(years) == 2019  # type: ignore[type-var]
    assert len(data.projects) == 164
    assert {m.side for m in data.members} == {"NL", "BE", "DE"}
    assert all(p.programme == ("SC4",) for p in data.projects.values())
    assert sum(1 for p in data.projects.values() if p.codes) == 37  # call topics are known for few H2020 rows


def test_run_on_fixture_scores_every_method_and_writes_the_json_shape() -> None:
    data = evaluation.read_files(FILES)

    report = evaluation.run(data.between(None, 2017), data.between(2018, 2019), validation_year=2017)
    shape = evaluation.as_json(report.table)

    assert shape["ours"] == evaluation.OURS
    assert set(shape["methods"]) == {"popularity", "common neighbours", "adamic-adar", "text-only", evaluation.OURS}
    for figures in shape["methods"].values():
        assert {"recall@10", "mrr", "ndcg@10", "recall@10_unseen"} <= set(figures)
        assert all(0.0 <= v <= 1.0 for v in figures.values())
    assert shape["queries"] > 50
    assert shape["methods"][evaluation.OURS]["recall@10"] >= shape["methods"]["popularity"]["recall@10"]
    assert "ours / best baseline" in evaluation.format_table(report.table)
