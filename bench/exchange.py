"""Exports and imports: time per file format on the seed agenda; baseline: the front page,
measured in the same run.

    .venv/bin/python bench/exchange.py [--repeat N]

On a fresh SQLite file in a temporary folder with the seed agenda loaded: each export (the
JSON document, the XLSX workbook, every CSV, one theme's template) and each import check
(read + plan of the unchanged workbook and JSON, which must come out as "nothing to do"),
median of N runs, with the query count of one run. Nothing is asserted here; the test suite
checks behaviour, this prints figures and ratios.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import median_seconds  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat

    tmp = tempfile.mkdtemp(prefix="trechter-bench-exchange-")
    os.environ.update(
        TRECHTER_DEBUG="1", TRECHTER_DATA_DIR=tmp, TRECHTER_PAGE_CACHE="0", DJANGO_SETTINGS_MODULE="trechter.settings"
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    import json

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from trechter.accounts.actions import grant_role
    from trechter.agenda.models import Theme
    from trechter.exchange import export, importer, reading, sheets
    from trechter.seed import actions

    call_command("migrate", verbosity=0)
    actions.load_seed()
    client = Client(HTTP_HOST="127.0.0.1")
    core = get_user_model().objects.create_user("bench-core", password="bench-password-123456")
    grant_role(username="bench-core", kind="core_group")
    energy = Theme.objects.get(key="energy")

    def home() -> None:
        if client.get("/nl/").status_code != 200:
            raise SystemExit("GET /nl/ failed; the baseline would be meaningless")

    workbook = export.workbook_bytes()
    document = json.dumps(export.agenda_document()).encode()

    def check(name: str, data: bytes) -> None:
        plan = importer.plan_import(reading.read_upload(name, data), user=core)
        if plan.errors or not plan.is_empty:
            raise SystemExit(f"importing the unchanged {name} was not 'nothing to do': {plan.errors[:3]}")

    cases = [
        ("export agenda.json", lambda: export.agenda_document(), len(document)),
        ("export agenda.xlsx", lambda: export.workbook_bytes(), len(workbook)),
        ("export every CSV", lambda: [export.csv_bytes(s) for s in sheets.SHEETS], None),
        ("export energy template.xlsx", lambda: export.workbook_bytes(theme=energy), None),
        ("import check agenda.xlsx", lambda: check("agenda.xlsx", workbook), len(workbook)),
        ("import check agenda.json", lambda: check("agenda.json", document), len(document)),
    ]
    baseline = median_seconds(home, repeat * 4)
    print(f"Exports and imports — median of {repeat} runs, seed agenda, SQLite in {tmp}")
    print(f"{'figure':30} {'seconds':>8} {'queries':>8} {'vs front page':>14} {'bytes':>10}")
    print(f"{'baseline: GET /nl/':30} {baseline:8.3f} {'':>8} {1.0:14.1f}")
    for name, run, size in cases:
        with CaptureQueriesContext(connection) as queries:
            run()
        seconds = median_seconds(run, repeat)
        shown = f"{size:>10,}" if size else ""
        print(f"{name:30} {seconds:8.3f} {len(queries):8d} {seconds / baseline:14.1f} {shown}")


if __name__ == "__main__":
    main()
