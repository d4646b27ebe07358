from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trechter.reports.content import UnknownEdition
from trechter.reports.generate import LANGUAGES, generate
from trechter.reports.renderers import FORMATS


class Command(BaseCommand):
    help = "Write the agenda document (HTML, PDF or DOCX) of the published agenda, the draft, or version N."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # Our --version names the agenda version; it replaces Django's --version (its own).
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", dest="fmt", choices=FORMATS, default="html")
        parser.add_argument("--lang", choices=LANGUAGES, default="nl")
        parser.add_argument(
            "--version", dest="edition", default="published", help="published (default), draft, or a version number"
        )
        parser.add_argument(
            "--output",
            help="file to write; default: standard output for html, else e.g. trechter-agenda-v3-nl.pdf here",
        )

    def handle(self, *args: Any, fmt: str, lang: str, edition: str, output: str | None, **options: Any) -> None:
        try:
            made = generate(edition, fmt=fmt, language=lang)
        except UnknownEdition as error:
            raise CommandError(
                f"--version: {edition!r} is not 'published', 'draft' or the number of a published version"
            ) from error
        if output is None and fmt == "html":
            self.stdout.write(made.data.decode("utf-8"), ending="")
            return
        path = Path(output or made.filename)
        if path.is_dir():
            path = path / made.filename
        try:
            path.write_bytes(made.data)
        except OSError as error:
            raise CommandError(f"--output: cannot write {path}: {error.strerror}") from error
        self.stderr.write(f"Wrote {path} ({len(made.data)} bytes).")
