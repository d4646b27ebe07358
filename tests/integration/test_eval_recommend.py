"""`trechter eval-recommend` end to end on the CORDIS fixture of tests/data/recommend (Source:
CORDIS, © European Union): it reads files only, prints the method × metric table and writes
the JSON of issue 6."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "recommend"
FILES = [str(FIXTURE / "h2020_projects.csv"), str(FIXTURE / "h2020_participations.csv")]


def test_eval_recommend_prints_table_and_writes_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "figures.json"

    call_command(
        "eval_recommend",
        "--train", *FILES, "--test", *FILES,
        "--train-years", "-2017", "--test-years", "2018-2019",
        "--json", str(out), "--no-progress",
    )  # fmt: skip

    printed = capsys.readouterr().out
    assert "ours / best baseline" in printed
    assert "weights learnt on" in printed and "of 2017" in printed
    figures = json.loads(out.read_text())
    assert figures["ours"] == "ours (hybrid, learnt)"
    assert set(figures["methods"]) == {"popularity", "common neighbours", "adamic-adar", "text-only", figures["ours"]}
    for method in figures["methods"].values():
        assert {"recall@10", "mrr", "ndcg@10", "recall@10_unseen"} <= set(method)


def test_eval_recommend_limit_scores_only_the_first_queries(capsys: pytest.CaptureFixture[str]) -> None:
    call_command(
        "eval_recommend", "--train", *FILES, "--test", *FILES,
        "--train-years", "-2017", "--test-years", "2018-2019", "--limit", "5", "--no-progress",
    )  # fmt: skip

    assert "queries: 5," in capsys.readouterr().out


def test_eval_recommend_refuses_missing_files() -> None:
    with pytest.raises(CommandError, match="No such file"):
        call_command("eval_recommend", "--train", "nope.csv", "--test", *FILES)


def test_eval_recommend_refuses_a_bad_year_range() -> None:
    with pytest.raises(CommandError, match="not a year range"):
        call_command("eval_recommend", "--train", *FILES, "--test", *FILES, "--train-years", "soon")


@pytest.mark.parametrize("flags", [(), ("--without-embeddings",)])
def test_eval_recommend_embeds_the_texts_unless_told_not_to(
    flags: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    call_command(
        "eval_recommend", "--train", *FILES, "--test", *FILES,
        "--train-years", "-2016", "--test-years", "2018-2019", "--limit", "5", "--no-progress", *flags,
        "--validation-year", "2015",  # the fixture's year whose projects carry texts
    )  # fmt: skip

    printed = capsys.readouterr()
    assert "queries: 5," in printed.out
    assert ("embedding project texts" in printed.err) == (not flags)
    weights = json.loads(printed.out.split("weights: ", 1)[1].splitlines()[0])
    # Only with the embeddings do the meaning features carry weight and a foreign set exist.
    assert (weights["warm"]["meaning_best"] != 0) == (not flags)
    assert ("foreign" in weights) == (not flags)
