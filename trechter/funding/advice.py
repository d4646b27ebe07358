"""The funding advisor: which instrument fits a proposal, each failed rule in plain words and
the change that would make it fit. Reads the proposal and the instruments' rules, evaluates
them with analytics.eligibility, and words the outcome in the reader's language."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trechter.actors.models import Organisation
from trechter.agenda.models import Party, Proposal
from trechter.agenda.templatetags.trechter import euros
from trechter.analytics import eligibility
from trechter.funding.models import Instrument

ORDER = {eligibility.FITS: 0, eligibility.UNKNOWN: 1, eligibility.FAILS: 2}


@dataclass(frozen=True)
class Suggestion:
    """What would make a rule fit, in words; `involve` names the organisations the proposal
    already lists "to involve" that would bring it."""

    code: str
    params: dict[str, Any]
    text: str
    involve: tuple[str, ...] = ()


@dataclass(frozen=True)
class Line:
    """One rule's outcome in words, with what would change it."""

    kind: str
    status: str
    reason: str
    params: dict[str, Any]
    text: str
    changes: tuple[Suggestion, ...]


@dataclass(frozen=True)
class Advice:
    instrument: Instrument
    status: str  # eligibility.FITS, FAILS or UNKNOWN
    lines: tuple[Line, ...]
    named: bool  # the proposal names this instrument itself
    status_with_involved: str | None = None  # the status once the organisations to involve join; None: none listed

    @property
    def problems(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.status != eligibility.FITS)

    @property
    def conditions(self) -> tuple[Line, ...]:
        """Rules that fit because the proposal does not say otherwise: conditions to meet."""
        return tuple(line for line in self.lines if line.reason in eligibility.CONDITIONS)

    @property
    def fits_once_involved(self) -> bool:
        return self.status != eligibility.FITS and self.status_with_involved == eligibility.FITS


@dataclass(frozen=True)
class Involved:
    """An organisation the proposal names "to involve", as the advisor matches it to a change."""

    name: str
    partner: eligibility.Partner


def partner_of(organisation: Organisation, *, is_lead: bool = False) -> eligibility.Partner:
    """An agenda organisation as the rules see it ("EU" is no country)."""
    country = organisation.country if organisation.country != "EU" else ""
    return eligibility.Partner(side=organisation.side, country=country, type=organisation.type, is_lead=is_lead)


def _parties(proposal: Proposal) -> list[Party]:
    """The proposal's parties with their organisations: the prefetched ones when there are."""
    cache = getattr(proposal, "_prefetched_objects_cache", {})
    if "parties" in cache:
        return list(cache["parties"])
    return list(proposal.parties.select_related("organisation"))


def case_of(proposal: Proposal, *, on: date | None = None) -> eligibility.Case:
    """The proposal as the advisor sees it: its TRL range, its lead and partners (not the
    organisations still "to involve"), its total budget, and the day of the advice."""
    partners = tuple(
        partner_of(party.organisation, is_lead=party.role == "lead")
        for party in _parties(proposal)
        if party.role in ("lead", "partner")
    )
    return eligibility.Case(
        trl_from=proposal.trl_from,
        trl_to=proposal.trl_to,
        partners=partners,
        budget_min_eur=proposal.budget_total_min_eur,
        budget_max_eur=proposal.budget_total_max_eur,
        on=on or date.today(),
    )


def involved_of(proposal: Proposal) -> tuple[Involved, ...]:
    return tuple(
        Involved(party.organisation.name, partner_of(party.organisation))
        for party in _parties(proposal)
        if party.role == "to_involve"
    )


def instruments_with_rules() -> list[Instrument]:
    return list(Instrument.objects.exclude(rules=[]).order_by("name"))


def advise(
    proposal: Proposal, *, on: date | None = None, instruments: Sequence[Instrument] | None = None
) -> list[Advice]:
    """Every instrument with rules, fitting ones first, then unknown, then those that do not
    fit; the instruments the proposal names itself first within each. Instruments without
    rules are left out (nothing to say). A change that an organisation the proposal lists
    "to involve" would bring names it, and each instrument says how it stands once they join."""
    named = {use.instrument_id for use in proposal.instruments.all()}
    return advise_case(case_of(proposal, on=on), involved_of(proposal), named, instruments)


def advise_case(
    case: eligibility.Case,
    involved: Sequence[Involved] = (),
    named: Collection[int] = (),
    instruments: Sequence[Instrument] | None = None,
) -> list[Advice]:
    """The advice for any case: a proposal's, or a draft consortium's from the builder."""
    found = []
    joined = replace(case, partners=case.partners + tuple(i.partner for i in involved)) if involved else None
    for instrument in instruments_with_rules() if instruments is None else instruments:
        if not instrument.rules:
            continue
        verdict = eligibility.evaluate(instrument.rules, case)
        lines = tuple(
            Line(
                o.kind, o.status, o.reason, o.params, describe(o), tuple(_suggest(c, case, involved) for c in o.changes)
            )
            for o in verdict.outcomes
        )
        with_involved = eligibility.evaluate(instrument.rules, joined).status if joined is not None else None
        found.append(Advice(instrument, verdict.status, lines, instrument.pk in named, with_involved))
    return sorted(found, key=lambda a: (ORDER[a.status], not a.named, a.instrument.name))


def as_data(found: Advice) -> dict[str, Any]:
    """One instrument's advice as plain data (the API and `trechter funding-advice --json`)."""
    instrument = found.instrument
    return {
        "instrument": {"key": instrument.key, "name": instrument.name, "acronym": instrument.acronym},
        "status": found.status,
        "named": found.named,
        "status_with_involved": found.status_with_involved,
        "rules": [
            {
                "kind": line.kind,
                "status": line.status,
                "reason": line.reason,
                "params": line.params,
                "text": line.text,
                "changes": [
                    {"code": c.code, "params": c.params, "text": c.text, "involve": list(c.involve)}
                    for c in line.changes
                ],
            }
            for line in found.lines
        ],
    }


def _suggest(change: eligibility.Change, case: eligibility.Case, involved: Sequence[Involved]) -> Suggestion:
    """The change in words, with the organisations to involve that would bring it."""
    p = change.params
    names: list[str] = []
    if change.code == "add_partner":
        types = eligibility.types_named([p["type"]])
        names = [
            i.name for i in involved if (not p.get("side") or i.partner.side == p["side"]) and i.partner.type in types
        ]
    elif change.code == "add_countries":
        present = {partner.country for partner in case.partners}
        allowed = set(p.get("allowed") or ())
        names = [
            i.name
            for i in involved
            if i.partner.country and i.partner.country not in present and (not allowed or i.partner.country in allowed)
        ]
    elif change.code == "lead_by":
        names = [i.name for i in involved if i.partner.type in eligibility.types_named(p["types"])]
    return Suggestion(change.code, dict(p), describe_change(change), tuple(sorted(set(names))))


def _side(code: str) -> str:
    names = {"NL": _("the Netherlands"), "VL": _("Flanders"), "BE_OTHER": _("Belgium outside Flanders")}
    names["OTHER"] = _("abroad")
    return names.get(code, code)


def _type(code: str) -> str:
    names = {
        "company": _("company"), "knowledge": _("knowledge institution"), "sme": _("SME"), "startup": _("startup"),
        "large_company": _("large company"), "university": _("university"), "rto": _("research organisation"),
        "any": _("partner"),
    }  # fmt: skip
    return names.get(code, code.replace("_", " "))


def _bounds(low: Any, high: Any) -> str:
    if low is None:
        return _("at most %(e)s") % {"e": _euros(high)}
    if high is None:
        return _("at least %(e)s") % {"e": _euros(low)}
    return f"{_euros(low)} – {_euros(high)}"


def _euros(value: Any) -> str:
    return euros(round(value)) if value is not None else "?"


def describe(outcome: eligibility.Outcome) -> str:
    """One rule's outcome in the reader's language."""
    p = outcome.params
    texts = {
        "trl_within": lambda: _("works within TRL %(a)s–%(b)s") % {"a": p["trl_from"], "b": p["trl_to"]},
        "trl_outside": lambda: (
            _("works at TRL %(a)s–%(b)s; the proposal at TRL %(c)s–%(d)s")
            % {"a": p["trl_from"], "b": p["trl_to"], "c": p["case_from"], "d": p["case_to"]}
        ),
        "trl_unknown": lambda: (
            _("works at TRL %(a)s–%(b)s; the proposal has no TRL range") % {"a": p["trl_from"], "b": p["trl_to"]}
        ),
        "sides_present": lambda: _("partners from %(sides)s present") % {"sides": _sides(p["required"])},
        "side_missing": lambda: _("needs partners from %(sides)s") % {"sides": _sides(p["required"])},
        "partners_unknown": lambda: _("the proposal names no lead or partners yet"),
        "countries_enough": lambda: (
            _("partners from %(n)s countries (at least %(m)s)") % {"n": p["count"], "m": p["min_count"]}
        ),
        "too_few_countries": lambda: (
            _("needs partners from at least %(m)s countries; the proposal has %(n)s")
            % {"n": p["count"], "m": p["min_count"]}
        ),
        "countries_unknown": lambda: (
            _("needs partners from at least %(m)s countries; not every partner's country is known")
            % {"m": p["min_count"]}
        ),
        "types_present": lambda: _("the kinds of partner it needs are there"),
        "type_missing": lambda: (
            _("needs among its partners: %(types)s") % {"types": _and([_type(t) for t in p["missing"]])}
        ),
        "lead_type_right": lambda: _("the lead is of the right kind (%(types)s)") % {"types": _or(p["allowed"])},
        "lead_type_wrong": lambda: _("the lead must be: %(types)s") % {"types": _or(p["allowed"])},
        "lead_unknown": lambda: (
            _("the lead must be: %(types)s; the proposal names no lead") % {"types": _or(p["allowed"])}
        ),
        "budget_within": lambda: (
            _("the budget is within its bounds (%(bounds)s)") % {"bounds": _bounds(p["min_eur"], p["max_eur"])}
        ),
        "budget_too_high": lambda: (
            _("at most %(high)s per project; the proposal's budget is %(b)s")
            % {"high": _euros(p["max_eur"]), "b": _euros(p["budget"])}
        ),
        "budget_too_low": lambda: (
            _("at least %(low)s per project; the proposal's budget is %(b)s")
            % {"low": _euros(p["min_eur"]), "b": _euros(p["budget"])}
        ),
        "budget_unknown": lambda: (
            _("has budget bounds (%(bounds)s); the proposal has no total budget")
            % {"bounds": _bounds(p["min_eur"], p["max_eur"])}
        ),
        "region_present": lambda: _("a partner in %(regions)s") % {"regions": _or(p["allowed"])},
        "region_missing": lambda: _("needs a partner in %(regions)s") % {"regions": _or(p["allowed"])},
        "region_unknown": lambda: (
            _("needs a partner in %(regions)s; the partners' regions are not recorded") % {"regions": _or(p["allowed"])}
        ),
        "call_open": lambda: _("the call is open"),
        "call_closed": lambda: _("the call closed on %(d)s") % {"d": p["closes_on"]},
        "call_not_open": lambda: _("the call opens on %(d)s") % {"d": p["opens_on"]},
        "date_unknown": lambda: _("has a call window"),
        "rate_note": lambda: _("funds at most %(r)s%% of the costs") % {"r": round(p["max_rate"] * 100)},
        "rate_within": lambda: _("funds at most %(r)s%% of the costs") % {"r": round(p["max_rate"] * 100)},
        "rate_too_high": lambda: (
            _("funds at most %(r)s%% of the costs; the proposal asks more") % {"r": round(p["max_rate"] * 100)}
        ),
        "co_financing_optional": lambda: _("co-financing is optional"),
        "co_financing_condition": lambda: _("needs co-financing by the partners"),
        "co_financing_missing": lambda: _("needs co-financing by the partners; the proposal has none"),
        "co_financing_present": lambda: _("co-financed by the partners"),
    }
    return texts[outcome.reason]() if outcome.reason in texts else outcome.reason


def describe_change(change: eligibility.Change) -> str:
    """What would make a rule fit, in the reader's language."""
    p = change.params
    if change.code == "add_partner":
        if p.get("side"):
            return _("add a %(type)s from %(where)s") % {"where": _side(p["side"]), "type": _type(p["type"])}
        return _("add a partner: %(type)s") % {"type": _type(p["type"])}
    texts = {
        "work_in_trl": lambda: _("plan work at TRL %(a)s–%(b)s") % {"a": p["trl_from"], "b": p["trl_to"]},
        "lead_by": lambda: _("let one of these lead: %(types)s") % {"types": _or(p["types"])},
        "budget_at_most": lambda: _("split the work into projects of at most %(e)s") % {"e": _euros(p["eur"])},
        "budget_at_least": lambda: _("grow the project to at least %(e)s") % {"e": _euros(p["eur"])},
        "add_countries": lambda: (
            ngettext("add partners from %(n)s more country", "add partners from %(n)s more countries", p["count"])
            % {"n": p["count"]}
        ),
        "add_partner_in": lambda: _("add a partner in %(regions)s") % {"regions": _or(p["regions"])},
        "wait_for_next_call": lambda: _("wait for the next call"),
        "apply_from": lambda: _("apply from %(d)s") % {"d": p["on"]},
        "co_finance": lambda: _("arrange co-financing by the partners"),
    }
    return texts[change.code]() if change.code in texts else change.code


def _sides(codes: list[str]) -> str:
    return _and([_side(c) for c in codes])


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else _("%(a)s and %(b)s") % {"a": ", ".join(items[:-1]), "b": items[-1]}


def _or(codes: list[str]) -> str:
    names = [_type(c) for c in codes]
    return names[0] if len(names) == 1 else _("%(a)s or %(b)s") % {"a": ", ".join(names[:-1]), "b": names[-1]}


@dataclass(frozen=True)
class ProposalFit:
    proposal: Proposal
    advice: Advice


@dataclass(frozen=True)
class HeldAgainst:
    """Every proposal held against one instrument's rules, by outcome."""

    fits: tuple[ProposalFit, ...]
    unknown: tuple[ProposalFit, ...]
    fails: tuple[ProposalFit, ...]
    fail_reasons: tuple[tuple[str, int], ...]  # the most common failed rules in words, with how often
    conditions: tuple[str, ...]  # the rules every applicant must meet (co-financing, funding rate), in words


def held_against(instrument: Instrument, *, on: date | None = None) -> HeldAgainst:
    """All proposals against the instrument, in theme order; the same queries whatever their number."""
    found: dict[str, list[ProposalFit]] = {eligibility.FITS: [], eligibility.UNKNOWN: [], eligibility.FAILS: []}
    reasons: Counter[str] = Counter()
    if instrument.rules:
        proposals = Proposal.objects.select_related("theme").prefetch_related("parties__organisation", "instruments")
        for proposal in proposals.order_by("theme__order", "key"):
            one = advise(proposal, on=on, instruments=[instrument])[0]
            found[one.status].append(ProposalFit(proposal, one))
            if one.status == eligibility.FAILS:
                reasons.update({line.text for line in one.problems if line.status == eligibility.FAILS})
    conditions = tuple(describe_rule(r) for r in instrument.rules if r["kind"] in eligibility.CONDITION_KINDS)
    return HeldAgainst(
        tuple(found[eligibility.FITS]),
        tuple(found[eligibility.UNKNOWN]),
        tuple(found[eligibility.FAILS]),
        tuple(reasons.most_common(5)),
        conditions,
    )


def describe_rule(rule: dict[str, Any]) -> str:
    """A stored rule in the reader's language, whatever case it is held against."""
    kind = rule["kind"]
    if kind == "trl":
        return _("TRL %(a)s–%(b)s") % {"a": rule["trl_from"], "b": rule["trl_to"]}
    if kind == "sides":
        if rule["company_on_each"]:
            return _("partners from %(sides)s, with a company on each side") % {"sides": _sides(rule["required"])}
        return _("partners from %(sides)s") % {"sides": _sides(rule["required"])}
    if kind == "countries":
        text = ngettext(
            "partners from at least %(n)s country", "partners from at least %(n)s countries", rule["min_count"]
        ) % {"n": rule["min_count"]}
        if rule["allowed"]:
            text += " " + _("(of %(codes)s)") % {"codes": ", ".join(rule["allowed"])}
        return text
    if kind == "partner_types":
        return _("among the partners: %(types)s") % {"types": _and([_type(t) for t in rule["required"]])}
    if kind == "lead_type":
        return _("led by: %(types)s") % {"types": _or(rule["allowed"])}
    if kind == "budget":
        return _("a budget of %(bounds)s per project") % {"bounds": _bounds(rule["min_eur"], rule["max_eur"])}
    if kind == "region":
        return _("a partner in %(regions)s") % {"regions": ", ".join(rule["allowed"])}
    if kind == "call":
        if rule["opens_on"] and rule["closes_on"]:
            return _("call open from %(a)s to %(b)s") % {"a": rule["opens_on"], "b": rule["closes_on"]}
        if rule["closes_on"]:
            return _("call closes on %(d)s") % {"d": rule["closes_on"]}
        return _("call opens on %(d)s") % {"d": rule["opens_on"]}
    if kind == "funding_rate":
        return _("funds at most %(r)s%% of the costs") % {"r": round(rule["max_rate"] * 100)}
    if kind == "co_financing":
        return _("co-financing by the partners required") if rule["required"] else _("co-financing optional")
    return str(kind)


def trl_range(instrument: Instrument) -> tuple[int, int] | None:
    """The instrument's TRL range: its own fields, else its TRL rule; None when it has neither."""
    if instrument.trl_from is not None and instrument.trl_to is not None:
        return instrument.trl_from, instrument.trl_to
    rule = next((r for r in instrument.rules if r.get("kind") == "trl"), None)
    return (rule["trl_from"], rule["trl_to"]) if rule else None


@dataclass(frozen=True)
class InstrumentCount:
    """An instrument in a TRL band: how many of the band's proposals it fits or may fit."""

    instrument: Instrument
    has_rules: bool
    fits: int
    unknown: int


@dataclass(frozen=True)
class BandInstruments:
    key: str  # "1-3", "4-6", "7-9"; "" for instruments without a TRL range
    label: str
    proposals: int  # proposals with a TRL range in the band
    instruments: tuple[InstrumentCount, ...]


def instruments_by_band(
    proposals: Sequence[Proposal], bands: Sequence[tuple[str, str]], *, on: date | None = None
) -> tuple[BandInstruments, ...]:
    """Per TRL band ("1-3" → label) the instruments working there, each with how many of the
    band's proposals it fits by its rules; then the instruments with no TRL range, counted over
    all proposals. Parties should be prefetched: no query per proposal, one for the instruments."""
    instruments = list(Instrument.objects.order_by("name"))
    ruled = [i for i in instruments if i.rules]
    verdicts = {}  # only the statuses: the words of advise_case are not shown here
    for proposal in proposals:
        case = case_of(proposal, on=on)
        verdicts[proposal.pk] = {i.pk: eligibility.evaluate(i.rules, case).status for i in ruled}
    found = []
    for key, label in bands:
        low, high = (int(part) for part in key.split("-"))
        in_band = [
            p for p in proposals if p.trl_from is not None and p.trl_from <= high and (p.trl_to or p.trl_from) >= low
        ]
        ranged = [i for i in instruments if (r := trl_range(i)) and r[0] <= high and r[1] >= low]
        found.append(BandInstruments(key, label, len(in_band), _counts(ranged, in_band, verdicts)))
    unranged = [i for i in instruments if trl_range(i) is None]
    found.append(
        BandInstruments("", _("Any TRL (none recorded)"), len(proposals), _counts(unranged, proposals, verdicts))
    )
    return tuple(found)


def _counts(
    instruments: Sequence[Instrument], proposals: Sequence[Proposal], verdicts: dict[int, dict[int, str]]
) -> tuple[InstrumentCount, ...]:
    counts = []
    for instrument in instruments:
        statuses = [verdicts[p.pk].get(instrument.pk) for p in proposals]
        fits, unknown = statuses.count(eligibility.FITS), statuses.count(eligibility.UNKNOWN)
        counts.append(InstrumentCount(instrument, bool(instrument.rules), fits, unknown))
    return tuple(sorted(counts, key=lambda c: (not c.has_rules, -c.fits, -c.unknown, c.instrument.name)))
