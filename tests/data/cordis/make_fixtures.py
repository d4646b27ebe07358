"""Cut the small CORDIS fixtures the tests use from the full files in ../shared/data/cordis.

Run from the repository root: `.venv/bin/python tests/data/cordis/make_fixtures.py`. Chooses,
deterministically, projects with both Dutch and Belgian participants (and some without), and
keeps every participation row of the chosen projects. Source: CORDIS, © European Union.
"""

import csv
import gzip
import io
from pathlib import Path

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data" / "cordis"
HERE = Path(__file__).resolve().parent
PER_FRAMEWORK = {"fp7": 40, "h2020": 60}
OFFICIAL_PROJECTS = 25


def rows(path: Path, delimiter: str = ",") -> tuple[list[str], list[dict[str, str]]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as raw:
        reader = csv.DictReader(raw, delimiter=delimiter)
        return list(reader.fieldnames or []), list(reader)


def write(path: Path, header: list[str], records: list[dict[str, str]], delimiter: str = ",") -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def cut_flat(framework: str, count: int) -> None:
    project_header, projects = rows(SHARED / f"{framework}_projects.csv.gz")
    part_header, parts = rows(SHARED / f"{framework}_participations.csv.gz")
    countries: dict[str, set[str]] = {}
    for part in parts:
        countries.setdefault(part["project_key"], set()).add(part["country"])
    with_text = {p["project_key"] for p in projects if p["title"] or p["topic_title"] or p["brief_title"]}
    both = sorted(k for k, c in countries.items() if {"NL", "BE"} <= c and k in with_text)
    neither = sorted(k for k, c in countries.items() if not c & {"NL", "BE"} and k in with_text)
    chosen = set(both[:: max(1, len(both) // count)][:count]) | set(neither[:5])
    write(HERE / f"{framework}_projects.csv", project_header, [p for p in projects if p["project_key"] in chosen])
    write(HERE / f"{framework}_participations.csv", part_header, [p for p in parts if p["project_key"] in chosen])


def cut_official() -> None:
    folder = SHARED / "fixtures" / "cordis_schema_additive_manufacturing"
    project_header, projects = rows(folder / "H2020_project.csv", ";")
    org_header, orgs = rows(folder / "H2020_organization.csv", ";")
    by_project: dict[str, set[str]] = {}
    for org in orgs:
        by_project.setdefault(org["projectID"], set()).add(org["country"])
    chosen = sorted(p["id"] for p in projects if {"NL", "BE"} <= by_project.get(p["id"], set()))[:OFFICIAL_PROJECTS]
    write(HERE / "H2020_project.csv", project_header, [p for p in projects if p["id"] in chosen], ";")
    write(HERE / "H2020_organization.csv", org_header, [o for o in orgs if o["projectID"] in chosen], ";")


if __name__ == "__main__":
    for name, count in PER_FRAMEWORK.items():
        cut_flat(name, count)
    cut_official()
