"""Eligibility rules as data (trechter/analytics/eligibility.py): each rule kind at its
boundaries, the verdict over several rules, the change that would make a rule fit, and
stored rules refused with the field named."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from trechter.analytics import eligibility
from trechter.analytics.eligibility import FAILS, FITS, UNKNOWN, Case, Change, Partner, RuleError, evaluate, parse_rules

NL_COMPANY = Partner("NL", "NL", "sme", is_lead=True)
VL_UNIVERSITY = Partner("VL", "BE", "university")
VL_COMPANY = Partner("VL", "BE", "large_company")


def one(rule: dict[str, Any], case: Case) -> tuple[str, str, tuple[Change, ...]]:
    outcome = evaluate(parse_rules([rule]), case).outcomes[0]
    return outcome.status, outcome.reason, outcome.changes


@pytest.mark.parametrize(
    ("case_from", "case_to", "status"),
    [(4, 6, FITS), (1, 4, FITS), (6, 9, FITS), (1, 3, FAILS), (7, 9, FAILS), (5, None, FITS), (None, None, UNKNOWN)],
)
def test_trl_band_overlaps_at_its_edges(case_from: int | None, case_to: int | None, status: str) -> None:
    assert one({"kind": "trl", "trl_from": 4, "trl_to": 6}, Case(case_from, case_to))[0] == status


def test_trl_outside_names_the_band_to_work_in() -> None:
    assert one({"kind": "trl", "trl_from": 4, "trl_to": 6}, Case(1, 3))[1:] == (
        "trl_outside",
        (Change("work_in_trl", {"trl_from": 4, "trl_to": 6}),),
    )


def test_both_sides_with_a_company_on_each_names_what_to_add() -> None:
    rule = {"kind": "sides", "required": ["NL", "VL"], "company_on_each": True}

    assert one(rule, Case(partners=(NL_COMPANY, VL_COMPANY)))[0] == FITS
    assert one(rule, Case(partners=(NL_COMPANY, VL_UNIVERSITY)))[2] == (
        Change("add_partner", {"side": "VL", "type": "company"}),
    )
    assert one(rule, Case(partners=(VL_UNIVERSITY,)))[2] == (
        Change("add_partner", {"side": "NL", "type": "company"}),
        Change("add_partner", {"side": "VL", "type": "company"}),
    )
    assert one(rule, Case())[0] == UNKNOWN


@pytest.mark.parametrize(("countries", "status"), [(("NL", "BE"), FITS), (("NL", "NL"), FAILS), (("NL", ""), UNKNOWN)])
def test_countries_count_distinct_allowed_countries(countries: tuple[str, str], status: str) -> None:
    case = Case(partners=tuple(Partner("OTHER", c, "sme") for c in countries))

    assert one({"kind": "countries", "min_count": 2, "allowed": []}, case)[0] == status


def test_countries_outside_the_allowed_list_do_not_count() -> None:
    case = Case(partners=(Partner("NL", "NL", "sme"), Partner("OTHER", "US", "sme")))

    status, reason, changes = one({"kind": "countries", "min_count": 2, "allowed": ["BE", "DE", "NL"]}, case)

    assert (status, reason) == (FAILS, "too_few_countries")
    assert changes == (Change("add_countries", {"count": 1, "allowed": ["BE", "DE", "NL"]}),)


def test_partner_types_accept_a_group_name() -> None:
    rule = {"kind": "partner_types", "required": ["company", "knowledge"]}

    assert one(rule, Case(partners=(NL_COMPANY, VL_UNIVERSITY)))[0] == FITS
    assert one(rule, Case(partners=(NL_COMPANY,)))[2] == (Change("add_partner", {"side": "", "type": "knowledge"}),)


def test_eurostars_is_sme_led() -> None:
    rule = {"kind": "lead_type", "allowed": ["sme", "startup"]}

    assert one(rule, Case(partners=(NL_COMPANY, VL_UNIVERSITY)))[0] == FITS
    assert one(rule, Case(partners=(Partner("NL", "NL", "university", is_lead=True),)))[2] == (
        Change("lead_by", {"types": ["sme", "startup"]}),
    )
    assert one(rule, Case(partners=(VL_UNIVERSITY,)))[0] == UNKNOWN  # nobody marked as lead


@pytest.mark.parametrize(
    ("low", "high", "status", "reason"),
    [(200_000, 200_000, FITS, "budget_within"), (200_000.01, None, FAILS, "budget_too_high"),
     (150_000, 250_000, FITS, "budget_within"), (None, None, UNKNOWN, "budget_unknown")],
)  # fmt: skip
def test_mit_budget_is_at_most_200000(low: float | None, high: float | None, status: str, reason: str) -> None:
    assert one({"kind": "budget", "max_eur": 200_000}, Case(budget_min_eur=low, budget_max_eur=high))[:2] == (
        status,
        reason,
    )


def test_budget_below_the_minimum_names_the_minimum() -> None:
    rule = {"kind": "budget", "min_eur": 1_000_000, "max_eur": 2_000_000}

    assert one(rule, Case(budget_min_eur=999_999))[1:] == (
        "budget_too_low",
        (Change("budget_at_least", {"eur": 1_000_000.0}),),
    )
    assert one(rule, Case(budget_min_eur=1_000_000))[0] == FITS


def test_region_rule_reads_the_named_side_only() -> None:
    rule = {"kind": "region", "allowed": ["Noord-Brabant", "Limburg", "Zeeland"], "side": "NL"}

    assert one(rule, Case(partners=(Partner("NL", "NL", "sme", region="Limburg"), VL_COMPANY)))[0] == FITS
    assert one(rule, Case(partners=(Partner("NL", "NL", "sme", region="Utrecht"),)))[0] == FAILS
    assert one(rule, Case(partners=(Partner("NL", "NL", "sme"),)))[0] == UNKNOWN
    assert one(rule, Case(partners=(VL_COMPANY,)))[0] == UNKNOWN


@pytest.mark.parametrize(
    ("on", "status", "reason"),
    [(date(2016, 9, 22), FITS, "call_open"), (date(2016, 12, 16), FITS, "call_open"),
     (date(2016, 12, 17), FAILS, "call_closed"), (date(2016, 9, 21), FAILS, "call_not_open"),
     (None, UNKNOWN, "date_unknown")],
)  # fmt: skip
def test_call_window_includes_both_days(on: date | None, status: str, reason: str) -> None:
    rule = {"kind": "call", "opens_on": "2016-09-22", "closes_on": "2016-12-16"}

    assert one(rule, Case(on=on))[:2] == (status, reason)


@pytest.mark.parametrize(("rate", "status"), [(0.5, FITS), (0.5000001, FAILS), (0.3, FITS), (None, FITS)])
def test_interreg_funds_at_most_half(rate: float | None, status: str) -> None:
    assert one({"kind": "funding_rate", "max_rate": 0.5}, Case(requested_rate=rate))[0] == status


def test_co_financing_required() -> None:
    rule = {"kind": "co_financing", "required": True}

    assert [one(rule, Case(co_financed=v))[0] for v in (True, False, None)] == [FITS, FAILS, FITS]
    assert one(rule, Case())[1] == "co_financing_condition" and "co_financing_condition" in eligibility.CONDITIONS


def test_the_verdict_fails_on_any_failure_and_is_unknown_on_any_unknown() -> None:
    rules = parse_rules([
        {"kind": "trl", "trl_from": 4, "trl_to": 6},
        {"kind": "sides", "required": ["NL", "VL"], "company_on_each": True},
        {"kind": "budget", "max_eur": 200_000},
    ])  # fmt: skip
    both = (NL_COMPANY, VL_COMPANY)

    assert evaluate(rules, Case(4, 5, both, 100_000, 100_000)).status == FITS
    assert evaluate(rules, Case(4, 5, both)).status == UNKNOWN
    verdict = evaluate(rules, Case(4, 5, (NL_COMPANY,), 300_000, 300_000))
    assert verdict.status == FAILS
    assert [o.kind for o in verdict.failed] == ["sides", "budget"]


@pytest.mark.parametrize(
    ("rules", "field"),
    [
        ({"kind": "trl", "trl_from": 0, "trl_to": 6}, "rules[0].trl_from"),
        ({"kind": "trl", "trl_from": 7, "trl_to": 6}, "rules[0].trl_from"),
        ({"kind": "trl", "trl_from": 4, "trl_to": 10}, "rules[0].trl_to"),
        ({"kind": "trl", "trl_from": True, "trl_to": 6}, "rules[0].trl_from"),
        ({"kind": "budget", "max_eur": -1}, "rules[0].max_eur"),
        ({"kind": "budget", "min_eur": 5, "max_eur": 1}, "rules[0].min_eur"),
        ({"kind": "budget"}, "rules[0].max_eur"),
        ({"kind": "sides", "required": ["NL", "XX"]}, "rules[0].required"),
        ({"kind": "sides", "required": []}, "rules[0].required"),
        ({"kind": "countries", "min_count": 0}, "rules[0].min_count"),
        ({"kind": "countries", "allowed": ["nl"]}, "rules[0].allowed"),
        ({"kind": "lead_type", "allowed": ["dragon"]}, "rules[0].allowed"),
        ({"kind": "call", "opens_on": "2016-13-01"}, "rules[0].opens_on"),
        ({"kind": "call", "opens_on": "2017-01-01", "closes_on": "2016-12-16"}, "rules[0].opens_on"),
        ({"kind": "funding_rate", "max_rate": 50}, "rules[0].max_rate"),
        ({"kind": "funding_rate", "max_rate": 0}, "rules[0].max_rate"),
        ({"kind": "region", "allowed": []}, "rules[0].allowed"),
        ({"kind": "weather"}, "rules[0].kind"),
        ({"kind": "trl", "trl_from": 4, "trl_to": 6, "colour": "red"}, "rules[0].colour"),
        ("trl 4-6", "rules[0]"),
    ],
)
def test_an_invalid_rule_is_refused_with_its_field(rules: Any, field: str) -> None:
    with pytest.raises(RuleError) as refused:
        parse_rules([rules])

    assert refused.value.field == field


def test_rules_must_be_a_list_without_repeated_kinds() -> None:
    with pytest.raises(RuleError) as not_a_list:
        parse_rules({"kind": "trl"})
    with pytest.raises(RuleError) as repeated:
        parse_rules([{"kind": "budget", "max_eur": 1}, {"kind": "budget", "min_eur": 0}])

    assert not_a_list.value.field == "rules"
    assert repeated.value.field == "rules[1].kind"


def test_parsed_rules_are_normalised() -> None:
    rules = parse_rules([
        {"kind": "sides", "required": ["VL", "NL", "VL"]},
        {"kind": "call", "closes_on": "2016-12-16"},
        {"kind": "budget", "max_eur": 200000},
    ])  # fmt: skip

    assert rules == [
        {"kind": "sides", "required": ["NL", "VL"], "company_on_each": False},
        {"kind": "call", "opens_on": None, "closes_on": "2016-12-16"},
        {"kind": "budget", "min_eur": None, "max_eur": 200000.0},
    ]
