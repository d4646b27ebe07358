"""Which funding instrument fits a proposal: eligibility rules as data, evaluated here.

An instrument carries a list of rules, each a small mapping with a `kind` ("trl", "sides",
"countries", "partner_types", "lead_type", "budget", "region", "call", "funding_rate",
"co_financing") and its parameters, stored as JSON and checked by `parse_rules` when saved
(a wrong rule is refused with the field named). `evaluate` holds a case — a proposal or a
draft consortium as plain data — against an instrument's rules: every rule fits, does not fit
or cannot be judged from what the case says (unknown), and a rule that does not fit names
what would make it fit ("add a Flemish company"). The instrument fits when every rule fits,
does not fit when any rule fails, and is unknown otherwise.

Reasons and changes are codes with parameters, not sentences: the pages and the API word them
in the reader's language. Plain data in, plain data out, no Django.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

FITS, FAILS, UNKNOWN = "fits", "does_not_fit", "unknown"
SIDES = ("NL", "VL", "BE_OTHER", "OTHER")
COMPANY_TYPES = ("large_company", "sme", "startup")
KNOWLEDGE_TYPES = ("university", "university_hospital", "rto", "strategic_research_centre")
ORGANISATION_TYPES = (*COMPANY_TYPES, *KNOWLEDGE_TYPES, "government", "cluster", "investor", "charity", "other")
TYPE_GROUPS = {"company": COMPANY_TYPES, "knowledge": KNOWLEDGE_TYPES}  # a rule may name a group
# Reasons of rules that fit because the case does not say otherwise: conditions the applicant
# must meet (co-financing, the funding rate), listed with a fitting instrument.
CONDITIONS = frozenset({"rate_note", "co_financing_condition"})
CONDITION_KINDS = ("co_financing", "funding_rate")  # the kinds of rule whose reasons can be CONDITIONS
MAX_BUDGET = 10**10  # € 10 billion: anything above is a typing error


class RuleError(ValueError):
    """A rule that cannot be stored; `field` names the offending parameter ("rules[2].trl_from")."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Partner:
    """One party of the case: its side (NL, VL, BE_OTHER, OTHER), ISO country, organisation
    type, whether it leads, and its region (e.g. a Dutch province) when known."""

    side: str
    country: str = ""
    type: str = "other"
    is_lead: bool = False
    region: str = ""


@dataclass(frozen=True)
class Case:
    """What the advisor knows of a proposal or draft consortium; None = not known."""

    trl_from: int | None = None
    trl_to: int | None = None
    partners: tuple[Partner, ...] = ()
    budget_min_eur: float | None = None  # the whole project
    budget_max_eur: float | None = None
    requested_rate: float | None = None  # share of the budget asked from the instrument, 0–1
    co_financed: bool | None = None
    on: date | None = None  # when it would apply; the call window is checked against it


@dataclass(frozen=True)
class Change:
    """What would make a failing rule fit, as a code with parameters."""

    code: str  # "add_partner", "lead_by", "narrow_trl", "budget_at_most", "budget_at_least", …
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """One rule held against the case."""

    kind: str
    status: str  # FITS, FAILS or UNKNOWN
    reason: str  # a code: "trl_outside", "side_missing", "trl_unknown", …
    params: dict[str, Any] = field(default_factory=dict)
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True)
class Verdict:
    status: str
    outcomes: tuple[Outcome, ...]

    @property
    def failed(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.status == FAILS)

    @property
    def unknown(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.status == UNKNOWN)


# --- parsing and validating stored rules -------------------------------------------------------

KINDS: dict[str, tuple[str, ...]] = {  # kind → its allowed parameters
    "trl": ("trl_from", "trl_to"),
    "sides": ("required", "company_on_each"),
    "countries": ("min_count", "allowed"),
    "partner_types": ("required",),
    "lead_type": ("allowed",),
    "budget": ("min_eur", "max_eur"),
    "region": ("allowed", "side"),
    "call": ("opens_on", "closes_on"),
    "funding_rate": ("max_rate",),
    "co_financing": ("required",),
}


def parse_rules(data: Any) -> list[dict[str, Any]]:
    """The rules as stored, checked: a list of mappings with a known `kind` and valid
    parameters. Returns them normalised (dates as ISO strings, lists sorted); raises RuleError
    naming the field of the first problem."""
    if not isinstance(data, list):
        raise RuleError("rules", "must be a list of rules")
    rules = []
    seen: set[str] = set()
    for i, item in enumerate(data):
        where = f"rules[{i}]"
        if not isinstance(item, Mapping):
            raise RuleError(where, "must be an object with a 'kind'")
        kind = item.get("kind")
        if kind not in KINDS:
            raise RuleError(f"{where}.kind", f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
        if kind in seen:
            raise RuleError(f"{where}.kind", f"a second {kind!r} rule; combine them into one")
        seen.add(kind)
        unknown = sorted(set(item) - {"kind", *KINDS[kind]})
        if unknown:
            raise RuleError(f"{where}.{unknown[0]}", f"not a parameter of a {kind!r} rule")
        rules.append({"kind": kind, **_CHECKS[kind](item, where)})
    return rules


def _trl(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 9:
        raise RuleError(where, "a TRL is a whole number from 1 to 9")
    return value


def _check_trl(item: Mapping[str, Any], where: str) -> dict[str, Any]:
    low, high = _trl(item.get("trl_from"), f"{where}.trl_from"), _trl(item.get("trl_to"), f"{where}.trl_to")
    if low > high:
        raise RuleError(f"{where}.trl_from", f"TRL from ({low}) is above TRL to ({high})")
    return {"trl_from": low, "trl_to": high}


def _choices(value: Any, allowed: Sequence[str], where: str, *, empty: bool = False) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleError(where, "must be a list of names")
    if not value and not empty:
        raise RuleError(where, "must name at least one")
    wrong = sorted(set(value) - set(allowed))
    if wrong:
        raise RuleError(where, f"unknown {wrong[0]!r}; one of {', '.join(allowed)}")
    return sorted(set(value))


def _check_sides(item: Mapping[str, Any], where: str) -> dict[str, Any]:
    company = item.get("company_on_each", False)
    if not isinstance(company, bool):
        raise RuleError(f"{where}.company_on_each", "must be true or false")
    return {"required": _choices(item.get("required"), SIDES, f"{where}.required"), "company_on_each": company}


def _check_countries(item: Mapping[str, Any], where: str) -> dict[str, Any]:
    count = item.get("min_count", 1)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 50:
        raise RuleError(f"{where}.min_count", "a whole number from 1 to 50")
    allowed = item.get("allowed", [])
    if not isinstance(allowed, list) or not all(isinstance(c, str) and len(c) == 2 and c.isupper() for c in allowed):
        raise RuleError(f"{where}.allowed", "a list of two-letter country codes (NL, BE, DE, …)")
    return {"min_count": count, "allowed": sorted(set(allowed))}


def _check_partner_types(item: Mapping[str, Any], where: str) -> dict[str, Any]:
    names = (*ORGANISATION_TYPES, *TYPE_GROUPS)
    return {"required": _choices(item.get("required"), names, f"{where}.required")}


def _check_lead_type(item: Mapping[str, Any], where: str) -> dict[str, Any]:
    names = (*ORGANISATION_TYPES, *TYPE_GROUPS)
    return {"allowed": _choices(item.get("allowed"), names, f"{where}.allowed")}


def _amount(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise RuleError(where, "an amount in euros")
    if value < 0:
        raise RuleError(where, "cannot be negative")
    if value > MAX_BUDGET:
        raise RuleError(where, "above € 10 billion; check the number")
    return float(value)


def _check_budget(item: Mapping[str, Any], where: str) -> dict[str, Any]:
    low, high = _amount(item.get("min_eur"), f"{where}.min_eur"), _amount(item.get("max_eur"), f"{where}.max_eur")
    if low is None and high is None:
        raise RuleError(f"{where}.max_eur", "give a minimum, a maximum or both")
    if low is not None and high is not None and low > high:
        raise RuleError(f"{where}.min_eur", "the minimum is above the maximum")
    return {"min_eur": low, "max_eur": high}


def _check_region(item: Mapping[str, Any], where: str) -> dict[str, Any]:
    allowed = item.get("allowed")
    if not isinstance(allowed, list) or not allowed or not all(isinstance(r, str) and r.strip() for r in allowed):
        raise RuleError(f"{where}.allowed", "a list of region names")
    side = item.get("side", "")
    if side not in ("", *SIDES):
        raise RuleError(f"{where}.side", f"one of {', '.join(SIDES)}, or empty for every partner")
    return {"allowed": sorted({r.strip() for r in allowed}), "side": side}


def _day(value: Any, where: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        raise RuleError(where, "a date as YYYY-MM-DD") from None


def _check_call(item: Mapping[str, Any], where: str) -> dict[str, Any]:
    opens, closes = _day(item.get("opens_on"), f"{where}.opens_on"), _day(item.get("closes_on"), f"{where}.closes_on")
    if opens is None and closes is None:
        raise RuleError(f"{where}.closes_on", "give an opening date, a deadline or both")
    if opens is not None and closes is not None and opens > closes:
        raise RuleError(f"{where}.opens_on", "the call opens after its deadline")
    return {"opens_on": opens.isoformat() if opens else None, "closes_on": closes.isoformat() if closes else None}


def _check_rate(item: Mapping[str, Any], where: str) -> dict[str, Any]:
    rate = item.get("max_rate")
    if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 < rate <= 1:
        raise RuleError(f"{where}.max_rate", "a share above 0 and at most 1 (0.5 = 50 %)")
    return {"max_rate": float(rate)}


def _check_co_financing(item: Mapping[str, Any], where: str) -> dict[str, Any]:
    required = item.get("required", True)
    if not isinstance(required, bool):
        raise RuleError(f"{where}.required", "must be true or false")
    return {"required": required}


_CHECKS = {
    "trl": _check_trl,
    "sides": _check_sides,
    "countries": _check_countries,
    "partner_types": _check_partner_types,
    "lead_type": _check_lead_type,
    "budget": _check_budget,
    "region": _check_region,
    "call": _check_call,
    "funding_rate": _check_rate,
    "co_financing": _check_co_financing,
}


# --- evaluation ------------------------------------------------------------------------------------


def evaluate(rules: Sequence[Mapping[str, Any]], case: Case) -> Verdict:
    """Every rule held against the case (rules as `parse_rules` returns them)."""
    outcomes = tuple(_EVALUATE[rule["kind"]](rule, case) for rule in rules)
    if any(o.status == FAILS for o in outcomes):
        status = FAILS
    elif any(o.status == UNKNOWN for o in outcomes):
        status = UNKNOWN
    else:
        status = FITS
    return Verdict(status, outcomes)


def types_named(names: Sequence[str]) -> set[str]:
    """Organisation types named by a rule or change, groups ("company") expanded; "any" (a
    change's "add any partner") is every type."""
    if "any" in names:
        return set(ORGANISATION_TYPES)
    return {t for name in names for t in TYPE_GROUPS.get(name, (name,))}


def _eval_trl(rule: Mapping[str, Any], case: Case) -> Outcome:
    band = {"trl_from": rule["trl_from"], "trl_to": rule["trl_to"]}
    if case.trl_from is None and case.trl_to is None:
        return Outcome("trl", UNKNOWN, "trl_unknown", band)
    low = case.trl_from if case.trl_from is not None else case.trl_to
    high = case.trl_to if case.trl_to is not None else case.trl_from
    assert low is not None and high is not None
    if high < rule["trl_from"] or low > rule["trl_to"]:  # no overlap with the band
        return Outcome("trl", FAILS, "trl_outside", {**band, "case_from": low, "case_to": high},
                       (Change("work_in_trl", band),))  # fmt: skip
    return Outcome("trl", FITS, "trl_within", band)


def _eval_sides(rule: Mapping[str, Any], case: Case) -> Outcome:
    if not case.partners:
        return Outcome("sides", UNKNOWN, "partners_unknown", {"required": rule["required"]})
    changes = []
    for side in rule["required"]:
        present = [p for p in case.partners if p.side == side]
        if not present:
            wanted = "company" if rule["company_on_each"] else "any"
            changes.append(Change("add_partner", {"side": side, "type": wanted}))
        elif rule["company_on_each"] and not any(p.type in COMPANY_TYPES for p in present):
            changes.append(Change("add_partner", {"side": side, "type": "company"}))
    if changes:
        return Outcome("sides", FAILS, "side_missing", {"required": rule["required"]}, tuple(changes))
    return Outcome("sides", FITS, "sides_present", {"required": rule["required"]})


def _eval_countries(rule: Mapping[str, Any], case: Case) -> Outcome:
    if not case.partners or any(not p.country for p in case.partners):
        return Outcome("countries", UNKNOWN, "countries_unknown", {"min_count": rule["min_count"]})
    allowed = set(rule["allowed"])
    countries = {p.country for p in case.partners if not allowed or p.country in allowed}
    if len(countries) < rule["min_count"]:
        more = rule["min_count"] - len(countries)
        return Outcome("countries", FAILS, "too_few_countries",
                       {"min_count": rule["min_count"], "count": len(countries)},
                       (Change("add_countries", {"count": more, "allowed": rule["allowed"]}),))  # fmt: skip
    return Outcome("countries", FITS, "countries_enough", {"min_count": rule["min_count"], "count": len(countries)})


def _eval_partner_types(rule: Mapping[str, Any], case: Case) -> Outcome:
    if not case.partners:
        return Outcome("partner_types", UNKNOWN, "partners_unknown", {"required": rule["required"]})
    present = {p.type for p in case.partners}
    missing = [name for name in rule["required"] if not present & types_named([name])]
    if missing:
        return Outcome("partner_types", FAILS, "type_missing", {"required": rule["required"], "missing": missing},
                       tuple(Change("add_partner", {"side": "", "type": name}) for name in missing))  # fmt: skip
    return Outcome("partner_types", FITS, "types_present", {"required": rule["required"]})


def _eval_lead_type(rule: Mapping[str, Any], case: Case) -> Outcome:
    leads = [p for p in case.partners if p.is_lead]
    if not leads:
        return Outcome("lead_type", UNKNOWN, "lead_unknown", {"allowed": rule["allowed"]})
    if not any(p.type in types_named(rule["allowed"]) for p in leads):
        return Outcome("lead_type", FAILS, "lead_type_wrong", {"allowed": rule["allowed"]},
                       (Change("lead_by", {"types": rule["allowed"]}),))  # fmt: skip
    return Outcome("lead_type", FITS, "lead_type_right", {"allowed": rule["allowed"]})


def _eval_budget(rule: Mapping[str, Any], case: Case) -> Outcome:
    bounds = {"min_eur": rule["min_eur"], "max_eur": rule["max_eur"]}
    low = case.budget_min_eur if case.budget_min_eur is not None else case.budget_max_eur
    high = case.budget_max_eur if case.budget_max_eur is not None else case.budget_min_eur
    if low is None or high is None:
        return Outcome("budget", UNKNOWN, "budget_unknown", bounds)
    if rule["max_eur"] is not None and low > rule["max_eur"]:
        return Outcome("budget", FAILS, "budget_too_high", {**bounds, "budget": low},
                       (Change("budget_at_most", {"eur": rule["max_eur"]}),))  # fmt: skip
    if rule["min_eur"] is not None and high < rule["min_eur"]:
        return Outcome("budget", FAILS, "budget_too_low", {**bounds, "budget": high},
                       (Change("budget_at_least", {"eur": rule["min_eur"]}),))  # fmt: skip
    return Outcome("budget", FITS, "budget_within", bounds)


def _eval_region(rule: Mapping[str, Any], case: Case) -> Outcome:
    partners = [p for p in case.partners if not rule["side"] or p.side == rule["side"]]
    params = {"allowed": rule["allowed"], "side": rule["side"]}
    if not partners:
        return Outcome("region", UNKNOWN, "partners_unknown", params)
    if any(p.region in rule["allowed"] for p in partners):
        return Outcome("region", FITS, "region_present", params)
    if any(not p.region for p in partners):
        return Outcome("region", UNKNOWN, "region_unknown", params)
    return Outcome("region", FAILS, "region_missing", params,
                   (Change("add_partner_in", {"regions": rule["allowed"], "side": rule["side"]}),))  # fmt: skip


def _eval_call(rule: Mapping[str, Any], case: Case) -> Outcome:
    window = {"opens_on": rule["opens_on"], "closes_on": rule["closes_on"]}
    if case.on is None:
        return Outcome("call", UNKNOWN, "date_unknown", window)
    if rule["closes_on"] is not None and case.on > date.fromisoformat(rule["closes_on"]):
        return Outcome("call", FAILS, "call_closed", window, (Change("wait_for_next_call", {}),))
    if rule["opens_on"] is not None and case.on < date.fromisoformat(rule["opens_on"]):
        return Outcome("call", FAILS, "call_not_open", window, (Change("apply_from", {"on": rule["opens_on"]}),))
    return Outcome("call", FITS, "call_open", window)


def _eval_rate(rule: Mapping[str, Any], case: Case) -> Outcome:
    if case.requested_rate is None:
        return Outcome("funding_rate", FITS, "rate_note", {"max_rate": rule["max_rate"]})  # a condition to know
    if case.requested_rate > rule["max_rate"] + 1e-9:
        return Outcome("funding_rate", FAILS, "rate_too_high",
                       {"max_rate": rule["max_rate"], "rate": case.requested_rate},
                       (Change("co_finance", {"share": round(1 - rule["max_rate"], 4)}),))  # fmt: skip
    return Outcome("funding_rate", FITS, "rate_within", {"max_rate": rule["max_rate"]})


def _eval_co_financing(rule: Mapping[str, Any], case: Case) -> Outcome:
    if not rule["required"]:
        return Outcome("co_financing", FITS, "co_financing_optional", {})
    if case.co_financed is None:  # proposals rarely say; a condition to meet, not a reason to doubt the fit
        return Outcome("co_financing", FITS, "co_financing_condition", {})
    if not case.co_financed:
        return Outcome("co_financing", FAILS, "co_financing_missing", {}, (Change("co_finance", {}),))
    return Outcome("co_financing", FITS, "co_financing_present", {})


_EVALUATE = {
    "trl": _eval_trl,
    "sides": _eval_sides,
    "countries": _eval_countries,
    "partner_types": _eval_partner_types,
    "lead_type": _eval_lead_type,
    "budget": _eval_budget,
    "region": _eval_region,
    "call": _eval_call,
    "funding_rate": _eval_rate,
    "co_financing": _eval_co_financing,
}
