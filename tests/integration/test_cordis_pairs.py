"""The top cross-border pairs the evidence pages show, read back from the database after an
import, equal a direct pandas count on the same files: on the Horizon Europe NL–BE sample
shipped in the repo, and on every file of the shared CORDIS data set when it is beside the
clone (../shared/data/cordis, as in CI), which must also import whole on both databases.

First with Belgium as a whole (VL, Brussels, Wallonia, unknown region) on the right, so the
comparison does not depend on the region derivation (tests/unit/test_regions.py checks that);
then NL–VL as the pages show it, pandas taking the Flemish organisations from the stored sides.
Source: CORDIS, © European Union (CC BY 4.0).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from django.utils import translation

from trechter.analytics import network
from trechter.evidence import actions, queries
from trechter.evidence.models import CordisOrganisation, Participation, Project

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "cordis_nl_be"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "cordis"
FLAT = [SHARED / f"{fw}_{kind}.csv.gz" for fw in ("fp7", "h2020", "horizon") for kind in ("projects", "participations")]
BELGIUM = ("VL", "BRU", "WAL", "BE")
TOP = 25


def pandas_pairs(
    participation_files: list[Path], limit: int, only: set[str] | None = None
) -> list[tuple[str, str, int]]:
    """Distinct projects per (Dutch, Belgian) organisation pair, most first, then by ids;
    Belgian organisations limited to `only` when given."""
    table = pd.concat(
        pd.read_csv(path, dtype=str, keep_default_na=False, usecols=["project_key", "org_id", "country"])
        for path in participation_files
    )
    dutch = table.loc[table.country == "NL", ["project_key", "org_id"]]
    belgian = table.loc[table.country == "BE", ["project_key", "org_id"]]
    if only is not None:
        belgian = belgian.loc[belgian.org_id.isin(only)]
    joined = dutch.merge(belgian, on="project_key", suffixes=("_nl", "_be")).drop_duplicates()
    counted = joined.groupby(["org_id_nl", "org_id_be"], as_index=False).agg(projects=("project_key", "nunique"))
    ordered = counted.sort_values(["projects", "org_id_nl", "org_id_be"], ascending=[False, True, True])
    return [(r.org_id_nl, r.org_id_be, int(r.projects)) for r in ordered.head(limit).itertuples()]


def stored_pairs(limit: int, right: tuple[str, ...] = BELGIUM) -> list[tuple[str, str, int]]:
    pairs = network.cross_border_pairs(queries.near_participations(), left=("NL",), right=right, limit=limit)
    return [(p.left, p.right, p.project_count) for p in pairs]


def flemish_ids() -> set[str]:
    flemish = set(CordisOrganisation.objects.filter(side="VL").values_list("org_id", flat=True))
    assert flemish
    return flemish


def test_top_pairs_from_the_database_equal_pandas_on_the_sample() -> None:
    actions.import_cordis(paths=[SAMPLE / "projects.csv", SAMPLE / "participations.csv"])

    expected = pandas_pairs([SAMPLE / "participations.csv"], TOP)

    assert stored_pairs(TOP) == expected
    assert expected[0][2] > expected[-1][2], "counts differ, so the order is tested too"
    # NL–VL as the pages show it: Flemish = the side stored per organisation (tests/unit/test_regions.py).
    flemish = flemish_ids()
    assert stored_pairs(TOP, right=("VL",)) == pandas_pairs([SAMPLE / "participations.csv"], TOP, only=flemish)


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared CORDIS data set is not beside this clone")
def test_every_shared_file_imports_and_the_top_pairs_equal_pandas() -> None:
    fixtures = sorted((SHARED / "fixtures").glob("*/*.csv"))
    assert len(fixtures) >= 6 and all(path.is_file() for path in FLAT)

    with translation.override("en"):
        first = actions.import_cordis(paths=[SHARED / "org_lookup_pic.csv", *FLAT])

    assert all(batch.status == "written" for batch in first.batches)
    projects = pd.concat(pd.read_csv(p, dtype=str, usecols=["project_key"]) for p in FLAT if "projects" in p.name)
    assert Project.objects.count() == projects.project_key.nunique()
    # Every rejected row is a repeated (project, organisation) pair, reported with its file and row.
    assert all("appears again" in r.reason and r.row > 0 for r in first.rejections)
    participations = sum(len(pd.read_csv(p, usecols=["org_id"])) for p in FLAT if "participations" in p.name)
    assert Participation.objects.count() == participations - len(first.rejections)
    participation_files = [p for p in FLAT if "participations" in p.name]
    assert stored_pairs(TOP) == pandas_pairs(participation_files, TOP)
    flemish = flemish_ids()
    assert stored_pairs(TOP, right=("VL",)) == pandas_pairs(participation_files, TOP, only=flemish)

    again = actions.import_cordis(paths=[SHARED / "org_lookup_pic.csv", *FLAT])
    assert {batch.status for batch in again.batches} == {"skipped"}
    keys = set(CordisOrganisation.objects.values_list("pk", flat=True))

    official = actions.import_cordis(paths=fixtures)
    assert official.files and all(source.row_count > 0 for source in official.files)
    assert set(CordisOrganisation.objects.values_list("pk", flat=True)) >= keys, "nothing stored was lost"
