"""The agenda document: time to make it in each format; baseline: the front page, same run.

    .venv/bin/python bench/reports.py [--repeat N]

On a fresh SQLite file in a temporary folder with the seed agenda loaded, each figure is the
median of N runs of content → document → file (trechter.reports.generate, page cache off, so
nothing is reused between runs). Before each run the conclusions are edited (untimed), as a
real edit would: typst keeps what it laid out in memory within a process, so an unchanged
document compiles again far quicker than a changed one, which is what a reader waits for.
Targets on the seed agenda, 2-core machine: HTML < 0.5 s, DOCX < 3 s, PDF < 5 s — printed
next to the figures, never asserted. Also printed: where the time goes for the PDF (typst:
the first file in a process, which loads the fonts; an unchanged document again) and the
DOCX (cairosvg figures).
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import median_seconds  # noqa: E402

TARGETS = {"html": 0.5, "docx": 3.0, "pdf": 5.0}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat

    tmp = tempfile.mkdtemp(prefix="trechter-bench-reports-")
    os.environ.update(
        TRECHTER_DEBUG="1", TRECHTER_DATA_DIR=tmp, TRECHTER_PAGE_CACHE="0", DJANGO_SETTINGS_MODULE="trechter.settings"
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from trechter.agenda.models import Agenda
    from trechter.reports import actions as report_actions
    from trechter.reports import renderers, typst_pdf
    from trechter.reports.builder import build_document
    from trechter.reports.content import load_content
    from trechter.reports.generate import generate
    from trechter.seed import actions

    call_command("migrate", verbosity=0)
    actions.load_seed()
    client = Client(HTTP_HOST="127.0.0.1")

    def home() -> None:
        if client.get("/nl/").status_code != 200:
            raise SystemExit("GET /nl/ failed; the baseline would be meaningless")

    edits = itertools.count(1)

    def edit_conclusions() -> None:
        agenda = Agenda.objects.get()
        report_actions.save_conclusions(
            agenda=agenda,
            conclusions_nl=[*agenda.conclusions_nl[:-1], f"Conclusie voor de meting, bewerking {next(edits)}."],
            conclusions_en=agenda.conclusions_en,
            token=report_actions.conclusions_token(agenda),
            by=None,
        )

    baseline = median_seconds(home, repeat * 4)
    rows = []
    sizes = {}
    first = {}
    for fmt in ("html", "docx", "pdf"):
        start = time.perf_counter()
        sizes[fmt] = len(generate("published", fmt=fmt, language="nl").data)  # warm up: imports, fonts
        first[fmt] = time.perf_counter() - start

        def make(fmt: str = fmt) -> None:
            generate("published", fmt=fmt, language="nl")

        rows.append((fmt, median_seconds(make, repeat, setup=edit_conclusions)))

    content = median_seconds(lambda: load_content("published"), repeat)
    document = build_document(load_content("published"), language="nl")
    build = median_seconds(lambda: build_document(load_content("published"), language="nl"), repeat) - content
    figures = median_seconds(lambda: [renderers.svg_png(f.svg) for f in document.figures], repeat)

    compile_again = median_seconds(lambda: typst_pdf.render_pdf(document), repeat)

    print(f"Agenda document — median of {repeat} runs, seed agenda, SQLite in {tmp}")
    print(f"{'figure':34} {'seconds':>8} {'target':>7} {'vs front page':>14} {'size':>10}")
    print(f"{'baseline: GET /nl/ (front page)':34} {baseline:8.3f} {'':>7} {1.0:14.1f}")
    for fmt, seconds in rows:
        verdict = "ok" if seconds < TARGETS[fmt] else "OVER"
        print(
            f"{'report ' + fmt:34} {seconds:8.3f} {TARGETS[fmt]:6.1f}s {seconds / baseline:14.1f} "
            f"{sizes[fmt]:>10,}  {verdict}"
        )
    print(f"{'  of which: read content':34} {content:8.3f}")
    print(f"{'  of which: build document':34} {build:8.3f}")
    print(f"{'  docx: 6 funnel PNGs (cairosvg)':34} {figures:8.3f}")
    print(f"{'  pdf: first file in the process':34} {first['pdf']:8.3f}")
    print(f"{'  pdf: unchanged document again':34} {compile_again:8.3f}")


if __name__ == "__main__":
    main()
