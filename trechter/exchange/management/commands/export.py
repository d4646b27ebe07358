"""trechter export: the published agenda as JSON, its JSON Schema, an XLSX workbook, CSV
files, or a seed data set file (YAML)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import BaseCommand, CommandError, CommandParser

from trechter.agenda.models import Theme
from trechter.exchange import export, sheets

FORMATS = ("json", "xlsx", "csv", "schema", "yaml")


class Command(BaseCommand):
    help = (
        "Export the published agenda. json: one document (seed format, see --format schema); "
        "xlsx: a workbook (with --theme: that theme's template); csv: one sheet (--sheet) or every "
        "sheet into the folder --output; schema: the JSON Schema; yaml: the data as a seed data set file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--sheet", choices=[s.name for s in sheets.SHEETS], help="csv: the one sheet to write")
        parser.add_argument("--theme", metavar="KEY", help="xlsx: the theme's template; csv: that theme's rows only")
        parser.add_argument("--output", metavar="PATH", help="file (a folder for csv without --sheet); default stdout")

    def handle(
        self, *args: Any, format: str, sheet: str | None, theme: str | None, output: str | None, **_: Any
    ) -> None:
        chosen = _theme(theme)
        if chosen is not None and format not in ("xlsx", "csv"):
            raise CommandError("--theme goes with --format xlsx or csv")
        if sheet is not None and format != "csv":
            raise CommandError("--sheet goes with --format csv")
        if format == "csv":
            self._csv(sheet, chosen, output)
            return
        if format == "xlsx":
            name = f"trechter-template-{chosen.key}" if chosen else "trechter-agenda"
            path = Path(output or f"{name}-{export.export_date()}.xlsx")
            path.write_bytes(export.workbook_bytes(theme=chosen))
            self.stdout.write(f"wrote {path}")
            return
        if format == "json":
            content = export.document_bytes(export.agenda_document())
        elif format == "schema":
            content = export.schema_bytes()
        else:
            data = export.seed_data()
            content = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100).encode()
        self._write(content, output)

    def _csv(self, name: str | None, theme: Theme | None, output: str | None) -> None:
        if name is not None:
            self._write(export.csv_bytes(sheets.BY_NAME[name], theme=theme), output, bom=True)
            return
        if output is None:
            raise CommandError("csv without --sheet writes every sheet: give the folder with --output")
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        for sheet in sheets.SHEETS:
            (folder / f"{sheet.name}.csv").write_bytes(export.csv_bytes(sheet, theme=theme))
        self.stdout.write(f"wrote {len(sheets.SHEETS)} files to {folder}")

    def _write(self, content: bytes, output: str | None, *, bom: bool = False) -> None:
        if output is None:
            self.stdout.write(content.decode("utf-8-sig" if bom else "utf-8"), ending="")
            return
        Path(output).write_bytes(content)
        self.stdout.write(f"wrote {output}")


def _theme(key: str | None) -> Theme | None:
    if key is None:
        return None
    theme = Theme.objects.filter(key=key).first()
    if theme is None:
        known = ", ".join(Theme.objects.order_by("order").values_list("key", flat=True))
        raise CommandError(f"--theme: no theme '{key}' (themes: {known})")
    return theme
