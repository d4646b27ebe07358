"""Which year the partner finder learns its weights on (trechter/partners/actions.py): a year
whose Dutch–Flemish projects carry texts before a later one without, as the finder's queries
always have a text."""

from __future__ import annotations

from trechter.analytics.evaluation import Dataset
from trechter.analytics.recommend import Member, Project
from trechter.partners import actions


def dataset(per_year: dict[int, tuple[int, bool]]) -> Dataset:
    """`count` Dutch–Flemish projects per year, with or without a text; a first year of one
    project (never chosen: nothing before it to learn from)."""
    projects, members = {}, []
    for year, (count, with_text) in {2010: (1, True), **per_year}.items():
        for i in range(count):
            key = f"P{year}-{i}"
            projects[key] = Project(key=key, year=year, text="solar cells" if with_text else "")
            members += [Member(key, f"nl{i}", "NL"), Member(key, f"vl{i}", "VL")]
    return Dataset(projects, members)


def test_the_latest_year_with_enough_texts_comes_first() -> None:
    data = dataset({2015: (actions.MIN_TEXT_PROJECTS, True), 2019: (actions.MIN_PROJECTS + 20, False)})
    assert actions._validation_year(data) == 2015


def test_without_a_year_of_texts_the_latest_year_with_enough_projects() -> None:
    data = dataset(
        {
            2015: (actions.MIN_TEXT_PROJECTS - 1, True),
            2018: (actions.MIN_PROJECTS, False),
            2019: (actions.MIN_PROJECTS - 1, False),
        }
    )
    assert actions._validation_year(data) == 2018


def test_with_too_few_projects_anywhere_the_year_with_the_most() -> None:
    assert actions._validation_year(dataset({2015: (5, True), 2016: (9, False), 2017: (7, False)})) == 2016
    assert actions._validation_year(dataset({})) is None
