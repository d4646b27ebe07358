"""The CORDIS import (`trechter import-cordis`): time of the whole import of the shared data set;
baseline: a plain columnar read of the same files with polars, measured in the same run.

    .venv/bin/python bench/cordis_import.py [--repeat N] [--postgres]

Files: org_lookup_pic.csv and the FP7, Horizon 2020 and Horizon Europe project and participation
files in ../shared/data/cordis (Source: CORDIS, © European Union). Figures, median of N runs:
(a) polars `read_csv(infer_schema=False)` of each file — the baseline; (b) the same with
pyarrow (every column as text); (c) the first import into empty tables (emptied, untimed, before
each run); (d) the import again with nothing changed (`force=True`, so no batch is skipped);
(e) the import again without force (every batch skipped: read and check only). Each runs on a
fresh SQLite file in a temporary folder and, with --postgres, in a fresh PostgreSQL database
(trechter_bench_import on 127.0.0.1, created and dropped here). The issue's target is the
whole import within 3× the polars read and under 60 s: printed next to the figures, never
asserted; the test suite checks behaviour.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import median_seconds  # noqa: E402

if TYPE_CHECKING:
    from trechter.evidence.actions import ImportSummary

CORDIS = ROOT.parent / "shared" / "data" / "cordis"
FILES = [CORDIS / "org_lookup_pic.csv"] + [
    CORDIS / f"{framework}_{kind}.csv.gz"
    for framework in ("fp7", "h2020", "horizon")
    for kind in ("projects", "participations")
]
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
POSTGRES_DATABASE = "trechter_bench_import"
TARGET_RATIO, TARGET_SECONDS = 3.0, 60.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", action="store_true", help="also measure on PostgreSQL (127.0.0.1:5432)")
    parser.add_argument("--measure", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure_imports(args.repeat)))
        return
    polars_read, pyarrow_read = measure_reads(args.repeat)
    print(f"CORDIS import — median of {args.repeat} runs, {len(FILES)} files in {CORDIS}")
    print(f"{'figure':52} {'seconds':>8} {'vs polars':>10} {'read':>9} {'inserted':>9} {'updated':>9} {'rejected':>9}")
    print(f"{'(a) baseline: polars read_csv, all files':52} {polars_read:8.3f} {1.0:10.1f}")
    print(f"{'(b) pyarrow read_csv, all files':52} {pyarrow_read:8.3f} {pyarrow_read / polars_read:10.1f}")
    for backend in ["sqlite"] + (["postgres"] if args.postgres else []):
        for name, seconds, counts in run_backend(backend, args.repeat):
            figures = " ".join(f"{counts[k]:>9,}" for k in ("read", "inserted", "updated", "rejected"))
            print(f"{f'{name} [{backend}]':52} {seconds:8.3f} {seconds / polars_read:10.1f} {figures}")
    print(f"target: import ≤ {TARGET_RATIO:.0f}× the polars read and < {TARGET_SECONDS:.0f} s")


def measure_reads(repeat: int) -> tuple[float, float]:
    """The baselines: every file read into text columns by polars, then by pyarrow."""
    import polars as pl
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    headers = {path: pl.read_csv(path, n_rows=0, infer_schema=False).columns for path in FILES}

    def with_pyarrow() -> None:
        for path in FILES:
            pa_csv.read_csv(
                path,
                parse_options=pa_csv.ParseOptions(newlines_in_values=True),
                convert_options=pa_csv.ConvertOptions(column_types=dict.fromkeys(headers[path], pa.string())),
            )

    polars_read = median_seconds(lambda: [pl.read_csv(path, infer_schema=False) for path in FILES], repeat * 2)
    return polars_read, median_seconds(with_pyarrow, repeat * 2)


def run_backend(backend: str, repeat: int) -> list[tuple[str, float, dict[str, int]]]:
    """Run the import figures in a child process: Django's database is fixed at setup."""
    tmp = tempfile.mkdtemp(prefix="trechter-bench-cordis-")
    env = {**os.environ, "TRECHTER_DEBUG": "1", "TRECHTER_DATA_DIR": tmp}
    if backend == "postgres":
        _postgres("DROP DATABASE IF EXISTS", "CREATE DATABASE")
        env["DATABASE_URL"] = f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    try:
        command = [sys.executable, __file__, "--measure", backend, "--repeat", str(repeat)]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode:
            raise SystemExit(f"the {backend} run failed:\n{done.stderr}")
    finally:
        if backend == "postgres":
            _postgres("DROP DATABASE IF EXISTS")
    return [(name, seconds, counts) for name, seconds, counts in json.loads(done.stdout.strip().splitlines()[-1])]


def _postgres(*statements: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        for statement in statements:
            connection.execute(f"{statement} {POSTGRES_DATABASE}")


def measure_imports(repeat: int) -> list[tuple[str, float, dict[str, int]]]:
    """(c), (d) and (e) in this process's database (DATABASE_URL, set by run_backend)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trechter.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from trechter.evidence import actions

    call_command("migrate", verbosity=0)
    summaries: dict[str, ImportSummary] = {}

    def empty() -> None:
        with connection.cursor() as cursor:
            for table in ("evidence_participation", "evidence_organisation", "evidence_project"):
                cursor.execute(f"DELETE FROM {table}")
            cursor.execute("DELETE FROM evidence_importedfile")

    def run(name: str, force: bool) -> None:
        summaries[name] = actions.import_cordis(paths=FILES, force=force)

    figures = [
        ("(c) first import, empty tables", median_seconds(lambda: run("first", True), repeat, setup=empty)),
        ("(d) import again, nothing changed (force)", median_seconds(lambda: run("again", True), repeat)),
        ("(e) import again, every batch skipped", median_seconds(lambda: run("skipped", False), repeat)),
    ]
    return [(name, seconds, _counts(summaries[key])) for (name, seconds), key in zip(figures, summaries, strict=True)]


def _counts(summary: ImportSummary) -> dict[str, int]:
    totals = summary.totals().values()
    return {
        "read": summary.rows_read,
        "inserted": sum(counts.inserted for counts in totals),
        "updated": sum(counts.updated for counts in totals),
        "rejected": len(summary.rejections),
    }


if __name__ == "__main__":
    main()
