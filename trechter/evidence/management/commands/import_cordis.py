"""`trechter import-cordis PATH…`: CORDIS project, participation and organisation files
(the official bulk exports or the flat files), read and checked whole, then stored batch by batch."""

import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from tqdm import tqdm

from trechter.evidence import actions, reading
from trechter.partners import actions as partner_actions


class Command(BaseCommand):
    help = "Import CORDIS files (.csv, .csv.gz, .xlsx): all checked first; a refused file leaves everything as it was."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="project, participation and organisation files")
        parser.add_argument("--force", action="store_true", help="write again files imported before")
        parser.add_argument("--show-rejected", type=int, default=20, metavar="N", help="list N rejected rows")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument(
            "--skip-analysis",
            action="store_true",
            help="only import: do not resolve organisations, link the agenda's or classify projects into themes",
        )
        parser.add_argument("--lang", choices=["nl", "en"], default="en", help="language of the messages")

    def handle(self, *args: Any, paths: list[str], lang: str, **options: Any) -> None:
        with translation.override(lang):
            self._import([Path(path) for path in paths], **options)

    def _import(
        self, paths: list[Path], *, force: bool, show_rejected: int, no_progress: bool, skip_analysis: bool, **rest: Any
    ) -> None:
        missing = [str(path) for path in paths if not path.is_file()]
        if missing:
            raise CommandError(_("No such file: %(paths)s") % {"paths": ", ".join(missing)})
        bar = tqdm(total=len(paths) * 2, disable=no_progress, unit="step", file=self.stderr._out)

        def progress(step: str, done: int, total: int) -> None:
            bar.set_description(step)
            if step.startswith("write"):
                bar.total = len(paths) + total
                bar.n = len(paths) + done
            else:
                bar.n = done
            bar.refresh()

        try:
            summary = actions.import_cordis(
                paths=paths, force=force, progress=progress, started_by=f"cli:{getpass.getuser()}"
            )
        except reading.FileRefused as error:
            bar.close()
            raise CommandError(str(error)) from None
        bar.close()
        self._report(summary, show_rejected)
        if not skip_analysis:
            self._analyse(no_progress=no_progress)

    def _analyse(self, *, no_progress: bool) -> None:
        """The steps that read the whole evidence; quick next to the import, and safe to re-run."""
        hashed = actions.resolve_hashed_ids()
        self.stdout.write(
            _("hashed FP7 ids: %(accept)s resolved to a PIC, %(review)s uncertain, %(none)s without match") % hashed
        )
        links = actions.link_organisations()
        self.stdout.write(
            _(
                "agenda organisations: %(a)s linked, %(u)s without CORDIS record; "
                "%(r)s uncertain matches to review; %(k)s earlier decisions kept"
            )
            % {"a": links.accepted, "r": links.review, "u": links.unmatched, "k": links.kept}
        )
        per_theme = actions.classify_projects()
        self.stdout.write(
            _("projects per theme: %(counts)s") % {"counts": ", ".join(f"{k} {n}" for k, n in per_theme.items())}
        )
        with tqdm(disable=no_progress, unit="text", file=self.stderr._out) as bar:

            def progress(step: str, done: int, total: int) -> None:
                bar.set_description(step)
                bar.total = total
                bar.n = done
                bar.refresh()

            embedded = actions.embed_projects(progress)
        self.stdout.write(
            _("project texts embedded: %(new)s new or changed, %(kept)s unchanged")
            % {"new": embedded.encoded, "kept": embedded.kept}
        )
        # The partner finder learns from the same projects (trechter.partners; seconds on the full data).
        try:
            weights = partner_actions.train_recommender()
        except partner_actions.NotEnoughData as error:
            self.stdout.write(_("partner recommendation not trained: %(reason)s") % {"reason": error})
        else:
            self.stdout.write(
                _("partner recommendation: weights learnt on %(n)s queries of %(year)s")
                % {"n": weights.query_count, "year": weights.validation_year}
            )

    def _report(self, summary: actions.ImportSummary, show_rejected: int) -> None:
        for source in summary.files:
            self.stdout.write(f"{source.name}: {source.kind}, {source.encoding}, {source.row_count} {_('rows')}")
        for batch in summary.batches:
            self.stdout.write(f"{batch.label}: {_(batch.status)}")
        self.stdout.write(_("rows read: %(n)s") % {"n": summary.rows_read})
        self.stdout.write(f"{'':16}{_('read'):>10}{_('inserted'):>10}{_('updated'):>10}{_('unchanged'):>10}")
        for table, counts in summary.totals().items():
            self.stdout.write(
                f"{_(table):16}{counts.read:>10}{counts.inserted:>10}{counts.updated:>10}{counts.unchanged:>10}"
            )
        self.stdout.write(_("rejected rows: %(n)s") % {"n": len(summary.rejections)})
        for rejection in summary.rejections[:show_rejected]:
            self.stdout.write(f"  {rejection}")
