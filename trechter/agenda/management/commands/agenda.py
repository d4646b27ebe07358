import json
import textwrap
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from trechter.agenda import queries


class Command(BaseCommand):
    help = "Print the overview table: themes × cooperation proposals × project proposals (section 2.1)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--lang", choices=["nl", "en"], default="nl", help="nl: the table's own words; en: English titles"
        )
        parser.add_argument("--json", action="store_true", help="print JSON instead of a text table")

    def handle(self, *args: Any, lang: str, json: bool, **options: Any) -> None:
        rows = queries.overview_table()
        if json:
            self.stdout.write(_json(rows, lang))
            return
        headers = (
            ("Thema", "Samenwerkingsvoorstellen", "Projectvoorstellen")
            if lang == "nl"
            else ("Theme", "Cooperation proposals", "Project proposals")
        )
        widths = (26, 46, 46)
        self.stdout.write(_line(headers, widths))
        self.stdout.write("  ".join("-" * w for w in widths))
        for row in rows:
            theme = row.theme_nl if lang == "nl" else row.theme_en
            left = _bullets(row.cooperation if lang == "nl" else row.cooperation_en, widths[1])
            right = _bullets(row.projects if lang == "nl" else row.projects_en, widths[2])
            name = textwrap.wrap(theme, widths[0])
            for i in range(max(len(left), len(right), len(name))):
                cells = [lines[i] if i < len(lines) else "" for lines in (name, left, right)]
                self.stdout.write(_line(cells, widths).rstrip())
            self.stdout.write("")


def _bullets(items: list[str], width: int) -> list[str]:
    lines: list[str] = []
    for item in items:
        wrapped = textwrap.wrap(item, width - 2) or [""]
        lines.append("• " + wrapped[0])
        lines.extend("  " + rest for rest in wrapped[1:])
    return lines


def _line(cells: Any, widths: tuple[int, ...]) -> str:
    return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True))


def _json(rows: list[queries.OverviewRow], lang: str) -> str:
    data = [
        {
            "theme": row.theme_key,
            "name": row.theme_nl if lang == "nl" else row.theme_en,
            "cooperation": row.cooperation if lang == "nl" else row.cooperation_en,
            "projects": row.projects if lang == "nl" else row.projects_en,
        }
        for row in rows
    ]
    return json.dumps(data, ensure_ascii=False, indent=2)
