"""`trechter eval-recommend --train FILES… --test FILES…`: how well partner recommendation finds
the real cross-border partners of the test projects, against the baselines (issue 6). Reads flat
CORDIS files only; needs no database. The protocol is in trechter/analytics/evaluation.py."""

import json
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from trechter.analytics import evaluation

T = TypeVar("T")


def year_range(text: str) -> tuple[int | None, int | None]:
    """ "2014-2017" → (2014, 2017); "-2017" → (None, 2017); "2018-" → (2018, None); "2018" → (2018, 2018)."""
    first, _, last = text.partition("-") if "-" in text else (text, "", text)
    try:
        return (int(first) if first else None, int(last) if last else None)
    except ValueError:
        raise CommandError(f"not a year range: {text!r} (expected e.g. 2014-2017)") from None


class Command(BaseCommand):
    help = "Evaluate partner recommendation on a temporal split of flat CORDIS files (no database needed)."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--train", nargs="+", required=True, metavar="FILE", help="projects and participations")
        parser.add_argument("--test", nargs="+", required=True, metavar="FILE", help="projects and participations")
        parser.add_argument("--train-years", type=year_range, default=(None, None), metavar="A-B")
        parser.add_argument("--test-years", type=year_range, default=(None, None), metavar="A-B")
        parser.add_argument("--validation-year", type=int, help="year the weights learn on (default: last train year)")
        parser.add_argument("--json", metavar="PATH", help="also write the table as JSON")
        parser.add_argument("--limit", type=int, metavar="N", help="score only the first N test queries")
        parser.add_argument("--no-progress", action="store_true", help="no progress bars")
        parser.add_argument(
            "--without-embeddings", action="store_true", help="no multilingual embeddings of the texts (~40 s faster)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        paths = {which: [Path(p) for p in options[which]] for which in ("train", "test")}
        missing = [str(p) for group in paths.values() for p in group if not p.is_file()]
        if missing:
            raise CommandError(f"No such file: {', '.join(missing)}")

        def progress(items: Iterable[T], label: str) -> Iterable[T]:
            return tqdm(items, desc=label, disable=options["no_progress"], file=self.stderr._out, leave=False)

        self.stderr.write("reading files…")
        train = evaluation.read_files(paths["train"], embed=False).between(*options["train_years"])
        test = evaluation.read_files(paths["test"], embed=False).between(*options["test_years"])
        if not options["without_embeddings"]:
            self.stderr.write("embedding project texts…")
            vectors = evaluation.embed_texts({**train.projects, **test.projects})
            train, test = (
                replace(d, vectors={k: vectors[k] for k in d.projects if k in vectors}) for d in (train, test)
            )
        try:
            report = evaluation.run(
                train, test, validation_year=options["validation_year"], limit=options["limit"], progress=progress
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"weights learnt on {report.validation_cases} queries of {report.validation_year}; "
            f"model: {report.model.stats}"
        )
        self.stdout.write(evaluation.format_table(report.table))
        self.stdout.write("weights: " + json.dumps(report.weights.as_dict()))
        if options["json"]:
            Path(options["json"]).write_text(json.dumps(evaluation.as_json(report.table), indent=2) + "\n")
