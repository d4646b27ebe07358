"""Acceptance check of trechter/analytics/network.py on real CORDIS data: the NL × BE pairs and
summary agree with an independent pandas count (tests/data/cordis_nl_be/README.md)."""

from pathlib import Path

import pandas as pd
import pytest

from trechter.analytics.network import Participation, cross_border_pairs, summary

DATA = Path(__file__).resolve().parent.parent / "data" / "cordis_nl_be"
ROLES = {"REC": "research", "HES": "research", "PRC": "industry", "PUB": "public"}


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    participations = pd.read_csv(DATA / "participations.csv", dtype=str, keep_default_na=False)
    projects = pd.read_csv(DATA / "projects.csv", dtype=str, keep_default_na=False)
    return participations.merge(projects[["project_key", "start_year"]], on="project_key", how="left")


def records(table: pd.DataFrame) -> list[Participation]:
    return [
        Participation(
            project=row.project_key,
            organisation=row.org_id,
            side=row.country if row.country in ("NL", "BE") else "OTHER",
            year=int(float(row.start_year)) if row.start_year else None,
            themes=frozenset(),
            role=ROLES.get(row.activity_type, "other"),
            ec_contribution=float(row.ec_contribution) if row.ec_contribution else None,
        )
        for row in table.itertuples()
    ]


def pandas_pairs(table: pd.DataFrame) -> pd.DataFrame:
    """Distinct projects per (NL, BE) pair from a self-merge on project, most first, then ids."""
    nl = table.loc[table.country == "NL", ["project_key", "org_id"]]
    be = table.loc[table.country == "BE", ["project_key", "org_id"]]
    joined = nl.merge(be, on="project_key", suffixes=("_nl", "_be")).drop_duplicates()
    counted = joined.groupby(["org_id_nl", "org_id_be"], as_index=False).agg(projects=("project_key", "nunique"))
    return counted.sort_values(["projects", "org_id_nl", "org_id_be"], ascending=[False, True, True])


def test_cross_border_pairs_top_20_equal_pandas(table: pd.DataFrame) -> None:
    expected = [(r.org_id_nl, r.org_id_be, r.projects) for r in pandas_pairs(table).head(20).itertuples()]

    result = cross_border_pairs(records(table), left=("NL",), right=("BE",), limit=20)

    assert [(p.left, p.right, p.project_count) for p in result] == expected
    assert expected[0][2] > 1  # the check means something only if counts differ


def test_summary_links_and_joint_projects_equal_pandas(table: pd.DataFrame) -> None:
    pairs = pandas_pairs(table)
    joint = set(table.loc[table.country == "NL", "project_key"]) & set(table.loc[table.country == "BE", "project_key"])

    result = summary(records(table), left=("NL",), right=("BE",))

    assert result.link_count == len(pairs)
    assert result.joint_project_count == len(joint)
    assert result.left_organisation_count == table.loc[table.country == "NL", "org_id"].nunique()
    assert result.right_organisation_count == table.loc[table.country == "BE", "org_id"].nunique()
