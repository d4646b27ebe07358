"""Evidence beside the criteria of Bijlage 3: what the EU projects of a candidate topic say
about it, side by side for the Netherlands and Flanders.

From plain participation rows (one organisation in one project) to the figures an assessor
reads next to each criterion:
- both sides active: distinct Dutch and Flemish organisations, and projects where both are;
- company involvement: the share of companies among them, and their SMEs (the data knows no
  founding year, so SMEs stand in for start-ups, and the page says so);
- triple helix per side: knowledge institutions, companies and public bodies all present;
- transdisciplinary: the number of themes the projects belong to;
- EU programme potential: EU contribution to the projects and to their Dutch and Flemish
  participants;
- complementarity: each side's participations over TRL band × value-chain role; the index is
  the total variation distance between the two profiles (0: the same strengths, 1: none
  shared), shown with the table itself.

TRL bands come from the funding scheme (ERC, MSCA: TRL 1–3; research and innovation actions:
4–6; innovation actions, SME instrument, EIC Accelerator: 7–9); FP7 rows carry no scheme and
count as "unknown". Plain data in, plain data out, no Django.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

SIDES = ("NL", "VL")
BANDS = ("1-3", "4-6", "7-9", "unknown")
ROLES = ("research", "industry", "public", "other")  # analytics.network's value-chain roles
HELIX = ("research", "industry", "public")

_LOW = re.compile(r"(^|-)(ERC|MSCA|FET)(-|$)")
_HIGH = re.compile(r"(^|-)(IA|SME|EIC)(-|$)|EIC-ACC")
_MIDDLE = re.compile(r"(^|-)RIA(-|$)|ERC-POC")


@dataclass(frozen=True)
class Row:
    """One organisation in one project."""

    project: str
    organisation: str
    side: str  # "NL", "VL", or another side (counted for funding only)
    role: str  # one of ROLES
    is_sme: bool | None
    funding_scheme: str
    themes: frozenset[str]
    project_contribution: float | None  # EU contribution to the whole project
    contribution: float | None  # EU contribution to this participant


@dataclass(frozen=True)
class Indicators:
    project_count: int
    joint_project_count: int  # projects with a Dutch and a Flemish participant
    organisations: dict[str, int]  # side → distinct organisations
    company_share: dict[str, float | None]  # side → companies / organisations
    sme_count: dict[str, int]
    helix: dict[str, tuple[str, ...]]  # side → the helices present, in HELIX order
    theme_count: int
    themes: tuple[str, ...]
    eu_contribution: float  # to the projects, whole
    near_contribution: dict[str, float]  # side → to its participants
    profile: dict[str, dict[tuple[str, str], int]]  # side → (band, role) → participations
    complementarity: float | None  # total variation distance of the two profiles

    def has_triple_helix(self, side: str) -> bool:
        return len(self.helix.get(side, ())) == len(HELIX)


def band_of(funding_scheme: str) -> str:
    """The TRL band a funding scheme works in, or "unknown"."""
    scheme = funding_scheme.upper().strip()
    if not scheme:
        return "unknown"
    if _MIDDLE.search(scheme):
        return "4-6"
    if _LOW.search(scheme):
        return "1-3"
    if _HIGH.search(scheme):
        return "7-9"
    return "unknown"


def compute(rows: Iterable[Row]) -> Indicators:
    """The indicators of a set of participations (any order; repeated rows count once)."""
    rows = sorted(set(rows), key=lambda r: (r.project, r.organisation, r.side))
    projects = {r.project for r in rows}
    sides_of: dict[str, set[str]] = {}
    for r in rows:
        sides_of.setdefault(r.project, set()).add(r.side)
    organisations: dict[str, dict[str, Row]] = {side: {} for side in SIDES}
    for r in rows:
        if r.side in SIDES:
            organisations[r.side].setdefault(r.organisation, r)
    themes = sorted({t for r in rows for t in r.themes})
    contribution = {r.project: r.project_contribution or 0.0 for r in rows}
    profile = {side: _profile([r for r in rows if r.side == side]) for side in SIDES}
    return Indicators(
        project_count=len(projects),
        joint_project_count=sum(1 for s in sides_of.values() if set(SIDES) <= s),
        organisations={side: len(organisations[side]) for side in SIDES},
        company_share={side: _share(organisations[side].values()) for side in SIDES},
        sme_count={
            side: sum(1 for r in organisations[side].values() if r.is_sme and r.role == "industry") for side in SIDES
        },
        helix={
            side: tuple(h for h in HELIX if any(r.role == h for r in organisations[side].values())) for side in SIDES
        },
        theme_count=len(themes),
        themes=tuple(themes),
        eu_contribution=round(sum(contribution.values()), 2),
        near_contribution={
            side: round(sum(r.contribution or 0.0 for r in rows if r.side == side), 2) for side in SIDES
        },
        profile=profile,
        complementarity=_distance(profile["NL"], profile["VL"]),
    )


def _share(organisations: Iterable[Row]) -> float | None:
    found = list(organisations)
    return round(sum(1 for r in found if r.role == "industry") / len(found), 4) if found else None


def _profile(rows: list[Row]) -> dict[tuple[str, str], int]:
    counts = Counter((band_of(r.funding_scheme), r.role if r.role in ROLES else "other") for r in rows)
    return {(band, role): counts.get((band, role), 0) for band in BANDS for role in ROLES}


def _distance(left: dict[tuple[str, str], int], right: dict[tuple[str, str], int]) -> float | None:
    """½ Σ |p − q| over the cells, or None when a side has no participation."""
    a, b = sum(left.values()), sum(right.values())
    if not a or not b:
        return None
    return round(0.5 * sum(abs(left[c] / a - right[c] / b) for c in left), 4)
