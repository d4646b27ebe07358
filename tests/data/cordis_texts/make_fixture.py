"""Cut tests/data/cordis_texts/projects.csv.gz from the shared CORDIS data by one neutral rule:
every project of ../shared/data/cordis/{fp7,h2020,horizon}_projects.csv.gz whose own words
(title, objective, results-brief title and teaser) run to at least 300 characters, i.e. every
project that carries a real text, whatever its subject. Only the columns topic discovery and
the theme classifier read are kept; the objective is cut at 1,500 characters on a word
boundary, as the encoder reads no further.

    .venv/bin/python tests/data/cordis_texts/make_fixture.py
"""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parents[3] / "shared" / "data" / "cordis"
COLUMNS = ("project_key", "framework", "acronym", "title", "objective", "brief_title", "brief_teaser", "topic_title",
           "euroscivoc", "programme", "legal_basis", "topics", "funding_scheme", "start_year")  # fmt: skip
OWN_WORDS = ("title", "objective", "brief_title", "brief_teaser")
MINIMUM = 300
LIMIT = 1500


def cut(text: str) -> str:
    if len(text) <= LIMIT:
        return text
    head = text[:LIMIT]
    return head[: head.rfind(" ")] if " " in head else head


def main() -> None:
    rows = []
    for framework in ("fp7", "h2020", "horizon"):
        with gzip.open(SOURCE / f"{framework}_projects.csv.gz", "rt", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if len(" ".join(row.get(c) or "" for c in OWN_WORDS)) >= MINIMUM:
                    rows.append({c: cut(row.get(c) or "") if c == "objective" else row.get(c) or "" for c in COLUMNS})
    rows.sort(key=lambda r: r["project_key"])
    # mtime=0: the same rows give the same bytes
    with io.TextIOWrapper(gzip.GzipFile(HERE / "projects.csv.gz", "wb", mtime=0), encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} projects")


if __name__ == "__main__":
    main()
