"""Cut the small CORDIS fixture of the recommendation tests from the full files in
../shared/data/cordis.

Run from the repository root: `.venv/bin/python tests/data/recommend/make_fixture.py`. Keeps the
Horizon 2020 projects of the transport challenge (programme exactly "SC4") with at least one
Dutch and one Belgian participant, and of their participation rows those in NL, BE and DE (the
German ones give the graph its third-country links). Nothing is edited.
Source: CORDIS, © European Union.
"""

import csv
import gzip
import io
from pathlib import Path

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data" / "cordis"
HERE = Path(__file__).resolve().parent
PROGRAMME = "SC4"
COUNTRIES = {"NL", "BE", "DE"}


def rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a (gzipped) CSV file."""
    with gzip.open(path, "rt", encoding="utf-8") as raw:
        reader = csv.DictReader(raw)
        return list(reader.fieldnames or []), list(reader)


def write(path: Path, header: list[str], records: list[dict[str, str]]) -> None:
    """The rows as a CSV file with the given header."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def main() -> None:
    project_header, projects = rows(SHARED / "h2020_projects.csv.gz")
    part_header, parts = rows(SHARED / "h2020_participations.csv.gz")
    countries: dict[str, set[str]] = {}
    for part in parts:
        countries.setdefault(part["project_key"], set()).add(part["country"])
    chosen = {
        p["project_key"]
        for p in projects
        if p["programme"] == PROGRAMME and {"NL", "BE"} <= countries.get(p["project_key"], set())
    }
    write(HERE / "h2020_projects.csv", project_header, [p for p in projects if p["project_key"] in chosen])
    kept = [p for p in parts if p["project_key"] in chosen and p["country"] in COUNTRIES]
    write(HERE / "h2020_participations.csv", part_header, kept)


if __name__ == "__main__":
    main()
