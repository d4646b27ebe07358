"""The FoF / Smart Industry award as plain data (issue 9): property tests of the award rule,
the consensus flags and the label's validity; scores out of range refused with the aspect
named; the method's settings checked."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trechter.analytics import award
from trechter.analytics.award import LAPSED, REMIND, VALID, Method, MethodError, ScoreError

METHOD = Method()
KEYS = METHOD.keys
levels_of = st.fixed_dictionaries({key: st.integers(METHOD.scale_min, METHOD.scale_max) for key in KEYS})
days = st.dates(date(2000, 1, 1), date(2090, 12, 31))


def test_the_default_method_is_the_seeds() -> None:
    assert len(METHOD.aspects) == 7 and "digital_factory" in KEYS and "eco_production" in KEYS
    assert (METHOD.scale_min, METHOD.scale_max, METHOD.award_level, METHOD.label_years) == (1, 5, 4, 3)
    assert award.check_method(METHOD) is METHOD


@given(levels_of)
def test_awarded_exactly_when_every_aspect_reaches_the_award_level(levels: dict[str, int]) -> None:
    decision = award.decide(METHOD, levels)

    assert decision.awarded == all(level >= 4 for level in levels.values())
    assert set(decision.below) == {key for key, level in levels.items() if level < 4}
    assert decision.missing == ()


@given(levels_of, st.sampled_from(KEYS))
def test_raising_one_aspect_never_loses_the_award(levels: dict[str, int], key: str) -> None:
    raised = levels | {key: min(levels[key] + 1, METHOD.scale_max)}

    assert award.decide(METHOD, raised).awarded >= award.decide(METHOD, levels).awarded


@given(levels_of, st.sampled_from(KEYS))
def test_no_award_while_an_aspect_has_no_agreed_level(levels: dict[str, int], key: str) -> None:
    del levels[key]

    decision = award.decide(METHOD, levels)

    assert not decision.awarded and decision.missing == (key,)


@given(st.integers(1, 5), st.integers(1, 5))
def test_the_award_level_is_configurable(threshold: int, level: int) -> None:
    method = Method(award_level=threshold)

    assert award.decide(method, dict.fromkeys(KEYS, level)).awarded == (level >= threshold)


@given(days, st.integers(1, 10))
def test_a_label_holds_for_its_years_to_the_day(awarded_on: date, years: int) -> None:
    last = award.label_valid_until(awarded_on, years)

    assert award.label_state(awarded_on, years=years, reminder_days=0, on=awarded_on) == VALID
    assert award.label_state(awarded_on, years=years, reminder_days=0, on=last) == VALID
    assert award.label_state(awarded_on, years=years, reminder_days=0, on=last + timedelta(days=1)) == LAPSED
    assert award.label_state(awarded_on, years=years, reminder_days=0, on=awarded_on - timedelta(days=1)) == LAPSED
    assert 365 * years - 1 <= (last - awarded_on).days <= 366 * years


@given(days, st.integers(1, 5), st.integers(1, 200), st.integers(0, 400))
def test_the_reminder_comes_in_the_last_days_of_the_label(
    awarded_on: date, years: int, remind: int, after: int
) -> None:
    last = award.label_valid_until(awarded_on, years)
    on = min(awarded_on + timedelta(days=after), last)

    state = award.label_state(awarded_on, years=years, reminder_days=remind, on=on)

    assert state == (REMIND if (last - on).days < remind else VALID)


def test_a_label_of_29_february_runs_to_28_february() -> None:
    assert award.label_valid_until(date(2024, 2, 29), 3) == date(2027, 2, 28)
    assert award.label_valid_until(date(2018, 2, 15), 3) == date(2021, 2, 14)


@given(st.lists(levels_of, min_size=1, max_size=6))
def test_aspects_are_flagged_exactly_when_assessors_are_more_than_one_level_apart(scores: list[dict[str, int]]) -> None:
    for spread in award.spreads(METHOD, scores):
        given_levels = [score[spread.aspect] for score in scores]
        assert spread.flagged == (max(given_levels) - min(given_levels) > 1)
        assert min(given_levels) <= spread.proposed <= max(given_levels)
        assert sum(level <= spread.proposed for level in given_levels) * 2 >= len(given_levels)  # a lower median


@pytest.mark.parametrize(
    ("levels", "field", "message", "code"),
    [
        ({"digital_factory": 6}, "digital_factory", "6 is outside the scale 1–5", "outside"),
        ({"digital_factory": 0}, "digital_factory", "0 is outside the scale 1–5", "outside"),
        ({"digital_factory": 3.5}, "digital_factory", "a whole level from 1 to 5", "not_whole"),
        ({"digital_factory": "4"}, "digital_factory", "a whole level from 1 to 5", "not_whole"),
        ({"digital_factory": True}, "digital_factory", "a whole level from 1 to 5", "not_whole"),
        ({"digital_factory": None}, "digital_factory", "give a level", "missing"),
        ({"tea_making": 3}, "tea_making", "not an aspect of this round", "unknown_aspect"),
    ],
)
def test_a_score_out_of_range_is_refused_with_the_aspect_named(
    levels: dict[str, object], field: str, message: str, code: str
) -> None:
    complete: dict[str, object] = dict.fromkeys(KEYS, 3) | levels

    with pytest.raises(ScoreError) as refused:
        award.check_scores(METHOD, complete)

    assert (refused.value.field, refused.value.message, refused.value.code) == (field, message, code)


def test_every_aspect_must_be_scored() -> None:
    with pytest.raises(ScoreError, match=r"^eco_production: give a level$"):
        award.check_scores(METHOD, {key: 3 for key in KEYS if key != "eco_production"})


@given(levels_of)
def test_scores_on_the_scale_pass_unchanged(levels: dict[str, int]) -> None:
    assert award.check_scores(METHOD, levels) == levels


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"aspects": ()}, "aspects"),
        ({"aspects": (award.MADE_DIFFERENT[0], award.MADE_DIFFERENT[0])}, "aspects"),
        ({"aspects": (award.Aspect("Digital Factory", "x", "x"),)}, "aspects"),
        ({"aspects": (award.Aspect("2030", "x", "x"),)}, "aspects"),
        ({"aspects": (award.Aspect("fabriek_é", "x", "x"),)}, "aspects"),
        ({"aspects": (award.Aspect("a" * 41, "x", "x"),)}, "aspects"),
        ({"scale_min": 5, "scale_max": 5}, "scale_max"),
        ({"award_level": 6}, "award_level"),
        ({"label_years": 0}, "label_years"),
        ({"reminder_days": -1}, "reminder_days"),
        ({"assessors": 0}, "assessors"),
        ({"max_spread": 5}, "max_spread"),
    ],
)
def test_a_method_that_cannot_work_is_refused_with_the_setting_named(changes: dict[str, object], field: str) -> None:
    with pytest.raises(MethodError) as refused:
        award.check_method(Method(**changes))  # type: ignore[arg-type]

    assert refused.value.field == field


def test_feedback_places_a_company_against_the_round() -> None:
    own = dict.fromkeys(KEYS, 4) | {"eco_production": 2, "digital_factory": 5}
    other = dict.fromkeys(KEYS, 3)
    third = dict.fromkeys(KEYS, 5)

    result = award.feedback(METHOD, own, [own, other, third])

    digital = next(p for p in result.positions if p.aspect == "digital_factory")
    eco = next(p for p in result.positions if p.aspect == "eco_production")
    assert digital.counts == (0, 0, 1, 0, 2) and digital.share_below == 0.5 and digital.mean == 4.33
    assert eco.counts == (0, 1, 1, 0, 1) and eco.share_below == 0.0 and not eco.meets_award_level
    assert result.strengths[0] == "digital_factory" and result.improvements == ("eco_production",)
    assert len(result.strengths) == 6
