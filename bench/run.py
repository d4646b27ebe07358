"""Benchmark harness: prints figures and ratios against a baseline measured in the same run.

    make bench            (or .venv/bin/python bench/run.py [--repeat N])

Each figure is the median of N runs on a fresh SQLite file in a temporary folder:
- validate: read and check the whole seed data set (YAML + pydantic + references);
  baseline: parsing the same YAML files only.
- load (empty DB) and reload (idempotent, nothing changes); baseline: validate.
- front page and `trechter agenda` (JSON); baseline: the /healthz request (one SELECT 1).

`make bench` then runs bench/pages.py: page latency under concurrent load on the production server.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def median_seconds(action: Callable[[], object], repeat: int, setup: Callable[[], object] | None = None) -> float:
    """Median wall time of `action` over `repeat` runs; `setup` runs before each, untimed."""
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat

    tmp = tempfile.mkdtemp(prefix="trechter-bench-")
    os.environ.update(TRECHTER_DEBUG="1", TRECHTER_DATA_DIR=tmp, DJANGO_SETTINGS_MODULE="trechter.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    import yaml
    from django.core.management import call_command
    from django.test import Client

    from trechter.agenda import queries
    from trechter.seed import actions
    from trechter.seed.dataset import DATA_DIR, SAFE_LOADER, read_dataset

    call_command("migrate", verbosity=0)
    files = sorted(DATA_DIR.rglob("*.yaml"))
    rows: list[tuple[str, float, str, float]] = []

    parse = median_seconds(
        lambda: [yaml.load(f.read_text(encoding="utf-8"), Loader=SAFE_LOADER) for f in files], repeat
    )
    validate = median_seconds(read_dataset, repeat)
    rows.append(("validate data set", validate, "parse YAML only", parse))

    def empty() -> None:
        call_command("flush", interactive=False, verbosity=0)

    load = median_seconds(actions.load_seed, repeat, setup=empty)
    rows.append(("load seed, empty DB", load, "validate data set", validate))
    reload = median_seconds(actions.load_seed, repeat)
    rows.append(("load seed again (no-op)", reload, "validate data set", validate))

    client = Client(HTTP_HOST="127.0.0.1")

    def get(url: str) -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}; the figure would be meaningless")

    health = median_seconds(lambda: get("/healthz"), repeat * 4)
    home = median_seconds(lambda: get("/nl/"), repeat * 4)
    overview = median_seconds(queries.overview_table, repeat * 4)
    rows.append(("front page /nl/", home, "GET /healthz", health))
    rows.append(("overview table query", overview, "GET /healthz", health))

    counts = read_dataset().counts()
    print(f"Trechter benchmark — median of {repeat} runs, SQLite in {tmp}")
    print(f"data set: {sum(counts.values())} records in {len(files)} files")
    print(f"{'figure':28} {'seconds':>9}  {'baseline':22} {'seconds':>9} {'ratio':>7}")
    for name, value, base_name, base in rows:
        print(f"{name:28} {value:9.4f}  {base_name:22} {base:9.4f} {value / base:7.1f}")


if __name__ == "__main__":
    main()
