"""The seed schema refuses what the agenda model forbids, naming the field."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from trechter.seed import schema

PROPOSAL = {
    "key": "energy-test",
    "kind": "project",
    "theme": "energy",
    "title_nl": "Test",
    "status": "proposed",
    "source": "Bijlage 4a, A",
}


def _errors(model: type[schema.Record], data: dict) -> list[tuple[tuple, str]]:
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    return [(e["loc"], e["msg"]) for e in info.value.errors()]


@given(st.integers(min_value=1, max_value=9), st.integers(min_value=1, max_value=9))
def test_trl_range_accepts_ordered_levels_and_refuses_reversed(low: int, high: int) -> None:
    if low <= high:
        assert schema.TrlRange(trl_from=low, trl_to=high).trl_to == high
    else:
        with pytest.raises(ValidationError, match="greater than trl_to"):
            schema.TrlRange(trl_from=low, trl_to=high)


@pytest.mark.parametrize("level", [0, 10, -1])
def test_trl_out_of_range_is_refused_with_field(level: int) -> None:
    errors = _errors(schema.Proposal, {**PROPOSAL, "trl": {"trl_from": level, "trl_to": 9 if level < 9 else level}})
    assert any(loc[:2] == ("trl", "trl_from") for loc, _ in errors)


def test_inferred_trl_needs_note() -> None:
    errors = _errors(schema.TrlRange, {"trl_from": 4, "trl_to": 6, "basis": "inferred"})
    assert "needs a note" in errors[0][1]


def test_negative_budget_is_refused() -> None:
    errors = _errors(schema.Budget, {"total_min_eur": -1, "total_max_eur": 5, "text_nl": "x"})
    assert errors[0][0] == ("total_min_eur",)


def test_budget_range_must_be_ordered_and_complete() -> None:
    assert "greater than" in _errors(schema.Budget, {"total_min_eur": 4, "total_max_eur": 3, "text_nl": "x"})[0][1]
    assert "go together" in _errors(schema.Budget, {"total_min_eur": 4, "text_nl": "x"})[0][1]
    assert "needs years" in _errors(schema.Budget, {"per_year_min_eur": 1, "per_year_max_eur": 1, "text_nl": "x"})[0][1]


def test_budget_range_from_the_seed_is_accepted() -> None:
    budget = schema.Budget(total_min_eur=3_000_000, total_max_eur=4_000_000, text_nl="3 à 4 miljoen euro")
    assert (budget.total_min_eur, budget.total_max_eur) == (3_000_000, 4_000_000)


@pytest.mark.parametrize(
    ("side", "country"), [("NL", "BE"), ("VL", "NL"), ("BE_OTHER", "FR"), ("OTHER", "NL"), ("OTHER", "BE")]
)
def test_organisation_side_must_match_country(side: str, country: str) -> None:
    data = {"key": "x", "name": "X", "side": side, "country": country, "type": "sme", "source": "s"}
    assert _errors(schema.Organisation, data)


def test_unknown_field_is_refused_by_name() -> None:
    errors = _errors(schema.Proposal, {**PROPOSAL, "budjet": 3})
    assert errors == [(("budjet",), "Extra inputs are not permitted")]


@pytest.mark.parametrize("value", ["2017", "2017-03", "2017-03-01"])
def test_planned_start_accepts_partial_dates(value: str) -> None:
    assert schema.Proposal.model_validate({**PROPOSAL, "planned_start": value}).planned_start == value


@pytest.mark.parametrize("value", ["17", "2017-13", "2017-02-30", "march 2017"])
def test_planned_start_refuses_other_forms(value: str) -> None:
    assert _errors(schema.Proposal, {**PROPOSAL, "planned_start": value})[0][0] == ("planned_start",)


@pytest.mark.parametrize("key", ["Energy", "energy_pv", "-energy", "energy--pv", "énergie"])
def test_keys_are_lower_case_slugs(key: str) -> None:
    assert _errors(schema.Proposal, {**PROPOSAL, "key": key})[0][0] == ("key",)


def test_cross_theme_topic_needs_two_themes() -> None:
    data = {"key": "t", "title_nl": "t", "title_en": "t", "themes": ["energy"], "source": "s"}
    assert _errors(schema.CrossThemeTopic, data)[0][0] == ("themes",)


def test_criteria_assessment_needs_a_subject() -> None:
    data = {"key": "a", "title_nl": "t", "assessed_by": "x", "findings": [], "source": "s"}
    assert "names its subject" in _errors(schema.CriteriaAssessment, data)[0][1]
