"""Collaboration-network analytics on the full CORDIS files: time per function; baseline: the
same NL × BE pair count as a polars self-join, measured in the same run.

    .venv/bin/python bench/network.py [--repeat N]

Reads ../shared/data/cordis/*_participations.csv.gz and *_projects.csv.gz (FP7, H2020,
Horizon Europe sample) with polars and builds Participations: side by country only (NL → NL,
BE → BE, the rest OTHER; Flanders cannot be told from Belgium without the region step of the
import), role from the activity type, year from start_year or else call_year, themes from the
programme parts (H2020 "LEIT", "SC1", …; HE clusters) as a stand-in for agenda themes.
Each figure is the median of N runs of trechter.analytics.network on (a) the NL+BE
participations and (b) all participations (summary and pairs), left = NL, right = BE.
Target: every function < 2 s on the NL+BE data, printed next to the figures, never asserted.
Prints the top 10 NL–BE pairs with names from org_lookup_pic.csv.
Source: CORDIS, © European Union.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import median_seconds  # noqa: E402
from trechter.analytics import network  # noqa: E402
from trechter.analytics.network import Participation  # noqa: E402

CORDIS = ROOT.parent / "shared" / "data" / "cordis"
ROLES = {"REC": "research", "HES": "research", "PRC": "industry", "PUB": "public"}
TARGET = 2.0
NL = ("NL",)
BE = ("BE",)


def read() -> pl.DataFrame:
    """All participations joined to their project's year and programme parts."""
    participations = pl.concat(
        [pl.read_csv(f, infer_schema=False) for f in sorted(CORDIS.glob("*_participations.csv.gz"))]
    )
    projects = pl.concat(
        [
            pl.read_csv(f, infer_schema=False, columns=["project_key", "start_year", "call_year", "programme"])
            for f in sorted(CORDIS.glob("*_projects.csv.gz"))
        ]
    )
    year = pl.coalesce("start_year", "call_year").cast(pl.Float64).cast(pl.Int64).alias("year")
    projects = projects.select("project_key", year, pl.col("programme").fill_null("").str.split(";").alias("themes"))
    return participations.join(projects.unique("project_key"), on="project_key", how="left")


def build(table: pl.DataFrame) -> list[Participation]:
    """Participation records from the joined table."""
    rows = table.select(
        "project_key",
        "org_id",
        "country",
        "year",
        "themes",
        "activity_type",
        pl.col("ec_contribution").cast(pl.Float64),
    ).iter_rows()
    return [
        Participation(
            project=project,
            organisation=organisation,
            side=country if country in ("NL", "BE") else "OTHER",
            year=year,
            themes=frozenset(t for t in themes or () if t),
            role=ROLES.get(activity_type or "", "other"),
            ec_contribution=contribution,
        )
        for project, organisation, country, year, themes, activity_type, contribution in rows
    ]


def polars_pairs(table: pl.DataFrame) -> pl.DataFrame:
    """Baseline: distinct projects per (NL, BE) pair by a polars self-join."""
    slim = table.select("project_key", "org_id", "country").unique()
    nl = slim.filter(pl.col("country") == "NL").drop("country")
    be = slim.filter(pl.col("country") == "BE").drop("country")
    joined = nl.join(be, on="project_key", suffix="_be")
    return (
        joined.group_by("org_id", "org_id_be")
        .len()
        .sort(["len", "org_id", "org_id_be"], descending=[True, False, False])
    )


def cases(nl_be: list[Participation], themes: list[str]) -> dict[str, Callable[[list[Participation]], object]]:
    """The timed calls by label; the busiest organisation and theme come from the NL+BE data."""
    busiest = network.cross_border_pairs(nl_be, left=NL, right=BE, limit=1)[0].left
    theme = max(themes, key=lambda t: (sum(1 for p in nl_be if t in p.themes), t))
    return {
        "cross_border_pairs": lambda parts: network.cross_border_pairs(parts, left=NL, right=BE),
        f"cross_border_pairs theme={theme}": lambda parts: network.cross_border_pairs(
            parts, left=NL, right=BE, theme=theme
        ),
        "cross_border_pairs years=2014-2019": lambda parts: network.cross_border_pairs(
            parts, left=NL, right=BE, years=(2014, 2019)
        ),
        "summary": lambda parts: network.summary(parts, left=NL, right=BE),
        f"partners of {busiest}": lambda parts: network.partners(parts, busiest),
        "brokers": lambda parts: network.brokers(parts, left=NL, right=BE),
        f"gaps ({len(themes)} themes)": lambda parts: network.gaps(parts, themes=themes, left=NL, right=BE),
        "trend": lambda parts: network.trend(parts, left=NL, right=BE),
        "layout (60 nodes)": lambda parts: network.layout(parts, left=NL, right=BE),
    }


def print_names(table: pl.DataFrame, nl_be: list[Participation]) -> None:
    """The summary, top 10 pairs and top 5 brokers of the NL+BE data, with organisation names."""
    print("\n", network.summary(nl_be, left=NL, right=BE), "\n", sep="")
    # The lookup names PICs; hashed FP7 ids ("sod16:…") keep the name of their participation row.
    names = dict(table.select("org_id", "org_name").unique("org_id", keep="first").iter_rows())
    names.update(pl.read_csv(CORDIS / "org_lookup_pic.csv", infer_schema=False).select("org_id", "name").iter_rows())
    print("Top 10 NL–BE pairs (distinct joint projects; Source: CORDIS, © European Union)")
    for pair in network.cross_border_pairs(nl_be, left=NL, right=BE, limit=10):
        left, right = names.get(pair.left, pair.left)[:45], names.get(pair.right, pair.right)[:45]
        print(f"{pair.project_count:>4}  {left:<45}  {right}")
    print("\nTop 5 brokers (NL–BE pairs that never met but both work with the broker)")
    for b in network.brokers(nl_be, left=NL, right=BE, limit=5):
        name = names.get(b.organisation, b.organisation)[:45]
        print(f"{b.score:>7}  {name:<45} {b.side}  partners NL {b.left_partner_count}, BE {b.right_partner_count}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat

    start = time.perf_counter()
    table = read()
    read_seconds = time.perf_counter() - start
    start = time.perf_counter()
    everything = build(table)
    build_seconds = time.perf_counter() - start
    nl_be = [p for p in everything if p.side != "OTHER"]
    baseline = median_seconds(lambda: polars_pairs(table), repeat)
    timed = cases(nl_be, sorted({t for p in everything for t in p.themes}))

    organisations = len({p.organisation for p in nl_be})
    print(f"read {len(table):,} participations: {read_seconds:.2f} s; build records: {build_seconds:.2f} s")
    print(f"NL+BE: {len(nl_be):,} participations, {organisations:,} organisations; left NL, right BE")
    print(f"baseline, NL × BE pairs by polars self-join (all data): {baseline:.3f} s\n")
    print(f"{'function':<40} {'data':<7} {'seconds':>8} {'× base':>7}  target {TARGET:.0f} s")
    for data, parts, labels in (("NL+BE", nl_be, list(timed)), ("all", everything, ["cross_border_pairs", "summary"])):
        for label in labels:
            seconds = median_seconds(partial(timed[label], parts), repeat)
            verdict = ("ok" if seconds < TARGET else "SLOW") if data == "NL+BE" else ""
            print(f"{label:<40} {data:<7} {seconds:>8.3f} {seconds / baseline:>7.1f}  {verdict}")
    print_names(table, nl_be)


if __name__ == "__main__":
    main()
