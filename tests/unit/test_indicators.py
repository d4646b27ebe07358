"""Evidence indicators beside the criteria (trechter/analytics/indicators.py), checked by hand."""

from __future__ import annotations

import pytest

from trechter.analytics import indicators
from trechter.analytics.indicators import Row


def row(project: str, organisation: str, side: str, role: str, scheme: str = "RIA", **extra: object) -> Row:
    values: dict[str, object] = {
        "is_sme": False, "themes": frozenset({"energy"}), "project_contribution": 1_000_000.0, "contribution": 100.0,
    } | extra  # fmt: skip
    return Row(project, organisation, side, role, funding_scheme=scheme, **values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("scheme", "band"),
    [("ERC-STG", "1-3"), ("MSCA-IF-EF-ST", "1-3"), ("HORIZON-TMA-MSCA-PF-EF", "1-3"), ("RIA", "4-6"),
     ("HORIZON-RIA", "4-6"), ("CS2-RIA", "4-6"), ("ERC-POC", "4-6"), ("IA", "7-9"), ("HORIZON-IA", "7-9"),
     ("SME-1", "7-9"), ("EIC-ACC", "7-9"), ("CSA", "unknown"), ("", "unknown"), ("ERA-NET-Cofund", "unknown")],
)  # fmt: skip
def test_band_of_a_funding_scheme(scheme: str, band: str) -> None:
    assert indicators.band_of(scheme) == band


def test_indicators_of_a_small_set_by_hand() -> None:
    rows = [
        row("p1", "tno", "NL", "research"),
        row("p1", "asml", "NL", "industry", is_sme=False),
        row("p1", "imec", "VL", "research"),
        row("p1", "fr-lab", "OTHER", "research"),
        row("p2", "smart-nl", "NL", "industry", "IA", is_sme=True, themes=frozenset({"photonics"}),
            project_contribution=500_000.0, contribution=50.0),
        row("p2", "smart-nl", "NL", "industry", "IA", is_sme=True, themes=frozenset({"photonics"}),
            project_contribution=500_000.0, contribution=50.0),  # the same row twice counts once
        row("p2", "rvo", "NL", "public", "IA", themes=frozenset({"photonics"}), project_contribution=500_000.0),
    ]  # fmt: skip

    found = indicators.compute(rows)

    assert found.project_count == 2
    assert found.joint_project_count == 1
    assert found.organisations == {"NL": 4, "VL": 1}
    assert found.company_share == {"NL": 0.5, "VL": 0.0}
    assert found.sme_count == {"NL": 1, "VL": 0}
    assert found.helix == {"NL": ("research", "industry", "public"), "VL": ("research",)}
    assert found.has_triple_helix("NL") and not found.has_triple_helix("VL")
    assert found.themes == ("energy", "photonics") and found.theme_count == 2
    assert found.eu_contribution == 1_500_000.0
    assert found.near_contribution == {"NL": 350.0, "VL": 100.0}
    # NL: (4-6, research) 1, (4-6, industry) 1, (7-9, industry) 1, (7-9, public) 1 → ¼ each;
    # VL: (4-6, research) 1. Distance ½ (|¼ − 1| + ¼ + ¼ + ¼) = 0.75
    assert found.complementarity == 0.75


def test_complementarity_needs_both_sides() -> None:
    found = indicators.compute([row("p1", "tno", "NL", "research")])

    assert found.complementarity is None
    assert found.company_share == {"NL": 0.0, "VL": None}


def test_identical_profiles_are_not_complementary() -> None:
    found = indicators.compute([row("p1", "tno", "NL", "research"), row("p1", "imec", "VL", "research")])

    assert found.complementarity == 0.0
