"""Consortia for a proposal: candidates from partner recommendation on both sides of the border,
then the best team under the call's demands (analytics.consortium, CP-SAT)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trechter.analytics import consortium, eligibility, recommend
from trechter.evidence.models import CordisOrganisation, Participation
from trechter.funding import advice
from trechter.partners import queries

POOL = 400  # candidates handed to the solver: the best by recommendation score
ROLE_OF_ACTIVITY = {"PRC": "company", "HES": "knowledge", "REC": "knowledge", "PUB": "government", "OTH": "other"}
# TRL bands of EU funding schemes (a scheme code's parts, "MSCA-IF-EF-ST" → MSCA): frontier
# research low, research and innovation actions in the middle, innovation actions and SME
# instruments high — the same order as the seed's instrument table (section 3).
SCHEME_BANDS = {"ERC": (1, 3), "MSCA": (1, 4), "RIA": (3, 6), "IA": (5, 8), "SME": (6, 9), "EIC": (6, 9), "PCP": (7, 9)}
POC = (3, 5)  # ERC proof of concept
# Where an organisation's projects name no scheme (all of FP7, most of H2020): assumed from its kind.
ACTIVITY_BANDS = {"HES": (1, 4), "REC": (2, 6), "PRC": (5, 9), "PUB": (7, 9), "OTH": (3, 7)}


@dataclass(frozen=True)
class Member:
    candidate: consortium.Candidate
    organisation: CordisOrganisation
    trl_from_projects: bool  # False: the band is assumed from the kind of organisation
    reasons: list[str]


@dataclass(frozen=True)
class Proposed:
    team: consortium.Team
    members: list[Member]
    coverage: dict[str, dict[str, int]]  # role → side → members
    funding: tuple[advice.Advice, ...] = ()  # the instruments held against the team (funding.advice)

    @property
    def funding_fits(self) -> tuple[advice.Advice, ...]:
        return tuple(a for a in self.funding if a.status == eligibility.FITS)

    @property
    def funding_unknown(self) -> tuple[advice.Advice, ...]:
        return tuple(a for a in self.funding if a.status == eligibility.UNKNOWN)

    def coverage_rows(self) -> list[tuple[str, list[int]]]:
        """(kind of organisation, members per side in SIDE_NAMES order) for every kind."""
        return [
            (str(label), [self.coverage.get(role, {}).get(side, 0) for side in SIDE_NAMES])
            for role, label in ROLE_NAMES.items()
        ]


@dataclass(frozen=True)
class Outcome:
    teams: list[Proposed]
    explanation: consortium.Explanation | None
    partners: list[CordisOrganisation]
    candidate_count: int
    records: dict[str, CordisOrganisation]

    @property
    def on_board_ids(self) -> set[str]:
        return {o.org_id for o in self.partners}


def build(search: queries.Request, requirements: consortium.Requirements, alternatives: int) -> Outcome | None:
    """The best teams for the request; None before the model is trained. The partners on board
    are must-include members; the pool is the POOL best Dutch and Flemish candidates."""
    model = queries.model()
    if model is None:
        return None
    query, on_board = queries.query_of(search, sides=("NL", "VL"))
    found = recommend.candidates(model, query)
    score = recommend.scores(model, found)
    top = recommend.top_indices(score, POOL)
    pool = {model.org_ids[found.index[i]]: float(score[i]) for i in top}
    lowest = min(pool.values(), default=0.0)
    relevance = {org_id: round(value - lowest, 6) for org_id, value in pool.items()}
    relevance.update({o.org_id: 0.0 for o in on_board if o.side in ("NL", "VL")})
    records = {o.org_id: o for o in CordisOrganisation.objects.filter(org_id__in=relevance)}
    on_board_ids = {o.org_id for o in on_board}
    bands = trl_bands(records)
    candidates = [
        consortium.Candidate(
            id=org_id,
            name=records[org_id].display_name,
            side=records[org_id].side,
            role=ROLE_OF_ACTIVITY.get(records[org_id].activity_type or "OTH", "other"),
            relevance=value,
            trl_low=bands[org_id][0],
            trl_high=bands[org_id][1],
        )
        for org_id, value in sorted(relevance.items())
        if org_id in records and (queries.is_named(records[org_id]) or org_id in on_board_ids)
    ]
    wanted = consortium.Requirements(
        size_min=requirements.size_min,
        size_max=requirements.size_max,
        sides=requirements.sides,
        roles=requirements.roles,
        trl=requirements.trl,
        must_include=frozenset(o.org_id for o in on_board if o.org_id in records),
    )
    result = consortium.build(candidates, wanted, alternatives=alternatives)
    names = queries.theme_names()
    instruments = advice.instruments_with_rules()
    named = set(search.proposal.instruments.values_list("instrument_id", flat=True)) if search.proposal else set()
    proposed = []
    for team in result.teams:
        members = _proposed(team, model, query, records, bands, names)
        case = team_case(members.members, search, requirements)
        proposed.append(replace(members, funding=tuple(advice.advise_case(case, (), named, instruments))))
    return Outcome(proposed, result.infeasible, on_board, len(candidates), records)


# A CORDIS organisation's kind as the eligibility rules name it; a company is an SME when CORDIS says so.
TYPE_OF_ACTIVITY = {"HES": "university", "REC": "rto", "PUB": "government", "OTH": "other", "": "other"}
SIDE_OF_EVIDENCE = {"NL": "NL", "VL": "VL", "BRU": "BE_OTHER", "WAL": "BE_OTHER", "BE": "BE_OTHER"}


def partner_of(organisation: CordisOrganisation) -> eligibility.Partner:
    """A team member as the eligibility rules see it: side, country and kind of organisation."""
    if organisation.activity_type == "PRC":
        kind = "sme" if organisation.is_sme else "large_company"
    else:
        kind = TYPE_OF_ACTIVITY.get(organisation.activity_type or "", "other")
    return eligibility.Partner(
        side=SIDE_OF_EVIDENCE.get(organisation.side, "OTHER"), country=organisation.country or "", type=kind
    )


def team_case(
    members: list[Member], search: queries.Request, requirements: consortium.Requirements
) -> eligibility.Case:
    """A draft consortium as the funding advisor sees it: its members, the TRL range asked (or
    the proposal's), and the proposal's budget when the team is built for one; no lead yet."""
    proposal = search.proposal
    trl = requirements.trl or ((proposal.trl_from, proposal.trl_to) if proposal is not None else (None, None))
    return eligibility.Case(
        trl_from=trl[0],
        trl_to=trl[1],
        partners=tuple(partner_of(member.organisation) for member in members),
        budget_min_eur=proposal.budget_total_min_eur if proposal is not None else None,
        budget_max_eur=proposal.budget_total_max_eur if proposal is not None else None,
        on=date.today(),
    )


def _proposed(
    team: consortium.Team,
    model: recommend.Model,
    query: recommend.Query,
    records: dict[str, CordisOrganisation],
    bands: dict[str, tuple[int, int, bool]],
    names: dict[str, str],
) -> Proposed:
    members = []
    coverage: dict[str, dict[str, int]] = defaultdict(Counter)
    reasons = queries.describe_all(
        [
            recommend.reasons(model, query, model.org_index[c.id]) if c.id in model.org_index else ()
            for c in team.members
        ],
        records,
        names,
    )
    for candidate, described in zip(team.members, reasons, strict=True):
        members.append(Member(candidate, records[candidate.id], bands[candidate.id][2], described))
        coverage[candidate.role][candidate.side] += 1
    return Proposed(team, members, {role: dict(sides) for role, sides in coverage.items()})


def trl_bands(records: dict[str, CordisOrganisation]) -> dict[str, tuple[int, int, bool]]:
    """Per organisation the TRL band (low, high) of the funding schemes of its projects, and
    True; or, where none names a scheme, the band of its kind of organisation, and False."""
    schemes: dict[int, set[tuple[int, int]]] = defaultdict(set)
    by_pk = {o.pk: o for o in records.values()}
    rows = Participation.objects.filter(organisation__in=by_pk).exclude(project__funding_scheme="")
    for organisation_id, scheme in rows.values_list("organisation_id", "project__funding_scheme").distinct():
        band = scheme_band(scheme)
        if band is not None:
            schemes[organisation_id].add(band)
    found = {}
    for pk, record in by_pk.items():
        if schemes.get(pk):
            found[record.org_id] = (min(b[0] for b in schemes[pk]), max(b[1] for b in schemes[pk]), True)
        else:
            low, high = ACTIVITY_BANDS.get(record.activity_type or "OTH", ACTIVITY_BANDS["OTH"])
            found[record.org_id] = (low, high, False)
    return found


def scheme_band(scheme: str) -> tuple[int, int] | None:
    """The TRL band of a funding scheme code ("HORIZON-RIA", "SME-2", "ERC-POC"), None if unknown."""
    parts = scheme.upper().replace("_", "-").split("-")
    if "ERC" in parts and "POC" in parts:
        return POC
    for part in parts:
        if part in SCHEME_BANDS:
            return SCHEME_BANDS[part]
    return None


def requirements_of(data: Mapping[str, Any]) -> consortium.Requirements:
    """The team demands from a cleaned ConsortiumForm."""
    asked = (("company", "need_company"), ("knowledge", "need_knowledge"), ("government", "need_public"))
    sides = {side: data[name] for side, name in (("NL", "dutch_min"), ("VL", "flemish_min")) if data[name]}
    low, high = data.get("trl_from"), data.get("trl_to")
    return consortium.Requirements(
        size_min=data["size_min"],
        size_max=data["size_max"],
        sides=sides,
        roles={role: 1 for role, name in asked if data.get(name)},
        trl=(low or 1, high or 9) if low or high else None,
    )


SIDE_NAMES = {"NL": _("the Netherlands"), "VL": _("Flanders")}
ROLE_NAMES = {
    "company": _("companies"),
    "knowledge": _("universities and research organisations"),
    "government": _("public bodies"),
    "other": _("other organisations"),
}


def describe_problem(problem: consortium.Problem, records: Mapping[str, CordisOrganisation]) -> str:
    """One failing demand in the reader's language."""
    d, kind = problem.detail, problem.kind
    if kind == "conflict":
        return gettext("a partner on board is also excluded: %(names)s") % {"names": _names(d["ids"], records)}
    if kind == "size" and "available" in d:
        return gettext("only %(available)s candidates for a team of at least %(size)s") % {
            "available": d["available"],
            "size": d["size_min"],
        }
    if kind == "size" and "must_include" in d:
        return gettext("the %(n)s partners on board do not fit a team of at most %(size)s") % {
            "n": d["must_include"],
            "size": d["size_max"],
        }
    if kind == "size":
        return gettext("the smallest team (%(low)s) is larger than the largest (%(high)s)") % {
            "low": d["size_min"],
            "high": d["size_max"],
        }
    if kind == "side":
        return gettext("%(needed)s partner(s) from %(side)s needed, %(available)s available") % {
            "needed": d["needed"],
            "side": SIDE_NAMES.get(str(d["side"]), d["side"]),
            "available": d["available"],
        }
    if kind == "role":
        return gettext("%(needed)s of the %(role)s needed, %(available)s available") % {
            "needed": d["needed"],
            "role": ROLE_NAMES.get(str(d["role"]), d["role"]),
            "available": d["available"],
        }
    if kind == "trl":
        return gettext("nobody covers TRL %(levels)s") % {"levels": ", ".join(map(str, d["missing"]))}  # type: ignore[call-overload]
    return gettext("each demand can be met alone, but not all together")


def describe_change(change: consortium.Change, records: Mapping[str, CordisOrganisation]) -> str:
    """One loosened demand in the reader's language."""
    d, kind = change.detail, change.kind
    if kind == "size_max":
        return gettext("allow up to %(to)s partners instead of %(from)s") % {"to": d["to"], "from": d["from"]}
    if kind == "size_min":
        return gettext("accept a team of %(to)s instead of at least %(from)s") % {"to": d["to"], "from": d["from"]}
    if kind in ("side", "role"):
        who = SIDE_NAMES.get(str(d.get("side")), d.get("side")) if kind == "side" else ROLE_NAMES.get(str(d["role"]))
        if d["to"] == 0:
            return gettext("drop the demand for %(who)s") % {"who": who}
        return gettext("ask for %(to)s instead of %(from)s from %(who)s") % {
            "to": d["to"],
            "from": d["from"],
            "who": who,
        }
    if kind == "side_max":
        return gettext("allow up to %(to)s partners from %(who)s") % {"to": d["to"], "who": d["side"]}
    if kind == "trl":
        new = d["to"]
        if not isinstance(new, list):
            return gettext("drop the TRL demand")
        return gettext("cover TRL %(low)s–%(high)s instead") % {"low": new[0], "high": new[1]}
    if kind == "must_include":
        return gettext("leave out %(names)s") % {"names": _names(d["drop"], records)}
    return gettext("allow %(names)s after all") % {"names": _names(d["allow"], records)}


def _names(ids: object, records: Mapping[str, CordisOrganisation]) -> str:
    return ", ".join(records[i].display_name if i in records else str(i) for i in ids)  # type: ignore[attr-defined]
