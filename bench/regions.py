"""How well trechter.analytics.regions places Belgian organisations from the city alone, checked
on the real CORDIS participations. Quality figures, not timings.

    .venv/bin/python bench/regions.py [--top N]

1. Belgian rows WITH a NUTS code: the NUTS code (BE1 Brussels, BE2 Flanders, BE3 Wallonia) is
   the ground truth; place() runs on the city with the NUTS code removed. Per region: coverage
   (share placed in a region) and accuracy (share right among those placed), by row and by
   organisation (each org_id once, its first such row); then the most frequent misplaced
   and unplaced city strings. Target: accuracy ≥ 0.99 on placed rows, printed, never asserted.
   A few NUTS codes are themselves wrong (LOMMEL BE1, BRUSSEL BE2): they count as misplaced.
   Baseline, same run: the list with official names only (no exonyms, deelgemeenten or other
   spellings), which shows what the other names add; the deelgemeenten were chosen with the
   city strings of these files in view, so the full list's coverage is not out of sample.
2. Belgian rows WITHOUT a NUTS code: the share the city places, by basis and region.
3. The official bulk files in fixtures/ (organization.csv, `;`-separated) have postcodes: the
   share of Belgian rows where the city alone gives the postcode's region.

Reads ../shared/data/cordis/*_participations.csv.gz with csv and gzip. Source: CORDIS,
© European Union.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trechter.analytics import regions  # noqa: E402
from trechter.analytics.regions import Municipalities  # noqa: E402

CORDIS = ROOT.parent / "shared" / "data" / "cordis"
FIXTURES = CORDIS / "fixtures" / "cordis_schema_additive_manufacturing"
TARGET_ACCURACY = 0.99
PLACED = set(regions.REGIONS)


def belgian_rows() -> Iterator[dict[str, str]]:
    """Every participation row with country BE, from all the flat participation files."""
    for path in sorted(CORDIS.glob("*_participations.csv.gz")):
        with gzip.open(path, "rt", encoding="utf-8", newline="") as file:
            yield from (row for row in csv.DictReader(file) if row["country"].strip().upper() == "BE")


def city_side(city: str, municipalities: Municipalities) -> str:
    return regions.place(country="BE", city=city, municipalities=municipalities).side


def share(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "–"


def print_truth_table(title: str, cases: list[tuple[str, str]]) -> None:
    """`cases` are (true region, placed side) pairs."""
    print(f"\n{title}")
    print(f"{'region':<8}{'rows':>7}{'placed':>8}{'coverage':>10}{'right':>7}{'accuracy':>10}")
    for region in (*regions.REGIONS, "all"):
        subset = [(truth, side) for truth, side in cases if region in ("all", truth)]
        placed = [(truth, side) for truth, side in subset if side in PLACED]
        right = sum(truth == side for truth, side in placed)
        coverage, accuracy = share(len(placed), len(subset)), share(right, len(placed))
        print(f"{region:<8}{len(subset):>7}{len(placed):>8}{coverage:>10}{right:>7}{accuracy:>10}")


def official_names_only() -> Municipalities:
    """The baseline: the shipped list without its other names."""
    with regions.MUNICIPALITIES_CSV.open(encoding="utf-8", newline="") as file:
        return Municipalities.from_rows({**row, "other_names": ""} for row in csv.DictReader(file))


def coverage_and_accuracy(cases: list[tuple[str, str]]) -> str:
    placed = [(truth, side) for truth, side in cases if side in PLACED]
    right = sum(truth == side for truth, side in placed)
    return f"coverage {share(len(placed), len(cases))}, accuracy {share(right, len(placed))}"


def with_nuts(rows: list[dict[str, str]], municipalities: Municipalities, baseline: Municipalities, top: int) -> None:
    """Section 1: city-only placement against the NUTS region."""
    cases, by_organisation, seen, baseline_cases = [], [], set(), []
    misplaced: Counter[tuple[str, str, str]] = Counter()
    unplaced: Counter[tuple[str, str]] = Counter()
    for row in rows:
        truth = regions.NUTS_REGIONS.get(row["nuts_code"].strip().upper()[:3])
        if truth is None:
            continue
        side = city_side(row["city"], municipalities)
        cases.append((truth, side))
        baseline_cases.append((truth, city_side(row["city"], baseline)))
        if row["org_id"] not in seen:
            seen.add(row["org_id"])
            by_organisation.append((truth, side))
        if side not in PLACED:
            unplaced[(row["city"], truth)] += 1
        elif side != truth:
            misplaced[(row["city"], truth, side)] += 1
    print_truth_table("1. Belgian rows with a NUTS code, placed from the city alone (by row)", cases)
    print_truth_table("   the same, each organisation once", by_organisation)
    placed = [(truth, side) for truth, side in cases if side in PLACED]
    accuracy = sum(truth == side for truth, side in placed) / len(placed)
    verdict = "met" if accuracy >= TARGET_ACCURACY else "NOT met"
    print(f"   target accuracy ≥ {TARGET_ACCURACY}: {verdict} ({accuracy:.4f})")
    print(f"   baseline, official names only: {coverage_and_accuracy(baseline_cases)}")
    print(f"\n   most frequent misplaced cities (city, NUTS region → placed): {sum(misplaced.values())} rows")
    for (city, truth, side), count in misplaced.most_common(top):
        print(f"   {count:>5}  {city!r}  {truth} → {side}")
    print(f"   most frequent unplaced cities: {sum(unplaced.values())} rows")
    for (city, truth), count in unplaced.most_common(top):
        print(f"   {count:>5}  {city!r}  ({truth})")


def without_nuts(
    rows: list[dict[str, str]], municipalities: Municipalities, baseline: Municipalities, top: int
) -> None:
    """Section 2: how many of the rows without NUTS the city places."""
    placements = [
        (row["city"], regions.place(country="BE", city=row["city"], municipalities=municipalities))
        for row in rows
        if not row["nuts_code"].strip()
    ]
    total = len(placements)
    bases = Counter(placement.basis for _, placement in placements)
    sides = Counter(placement.side for _, placement in placements)
    blank = sum(1 for city, _ in placements if not city.strip())
    placed, with_city = total - bases["unknown"], total - blank
    print("\n2. Belgian rows without a NUTS code")
    print(f"   rows {total}, {blank} without a city; placed {share(placed, total)}", end="")
    by_list, by_postcode = share(bases["municipality"], total), share(bases["postcode"], total)
    print(f" (municipality list {by_list}, postcode in the city {by_postcode})")
    print(f"   placed among rows with a city: {share(placed, with_city)}")
    baseline_placed = sum(city_side(city, baseline) in PLACED for city, _ in placements)
    print(f"   baseline, official names only: placed {share(baseline_placed, with_city)} of rows with a city")
    print("   by region: " + ", ".join(f"{side} {sides[side]}" for side in (*regions.REGIONS, regions.BELGIUM_UNKNOWN)))
    unplaced = Counter(city for city, placement in placements if placement.basis == "unknown" and city.strip())
    print(f"   most frequent unplaced cities: {sum(unplaced.values())} rows")
    for city, count in unplaced.most_common(top):
        print(f"   {count:>5}  {city!r}")


def with_postcodes(municipalities: Municipalities) -> None:
    """Section 3: the city against the postcode in the official organisation files."""
    pairs = []
    for path in sorted(FIXTURES.glob("*_organization.csv")):
        with path.open(encoding="utf-8", newline="") as file:
            for row in csv.DictReader(file, delimiter=";"):
                postcode_region = regions.region_of_postcode(row["postCode"])
                if row["country"].strip().upper() == "BE" and postcode_region is not None:
                    pairs.append((postcode_region, city_side(row["city"], municipalities)))
    placed = [(truth, side) for truth, side in pairs if side in PLACED]
    right = sum(truth == side for truth, side in placed)
    print("\n3. Official bulk files: the city alone against the postcode's region")
    print(f"   Belgian rows with a postcode {len(pairs)}; city placed {share(len(placed), len(pairs))}", end="")
    print(f"; agrees with the postcode {share(right, len(placed))}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--top", type=int, default=15, help="how many cities to list")
    top = parser.parse_args().top
    municipalities, baseline = Municipalities.load(), official_names_only()
    rows = list(belgian_rows())
    with_nuts(rows, municipalities, baseline, top)
    without_nuts(rows, municipalities, baseline, top)
    with_postcodes(municipalities)


if __name__ == "__main__":
    main()
