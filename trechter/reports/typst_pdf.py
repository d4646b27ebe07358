"""The agenda document as PDF, typeset by typst (ADR 0005).

The template (reports/typst/agenda.typ) is fixed; the document goes to it as JSON data
(`document_data`) through typst's `sys.inputs`, and the template shows every text as a plain
string. No content is ever written into typst markup, so a title like `#import "x"` or `$a$`
prints as typed and cannot change the layout or read files."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.utils import translation

from trechter.reports.document import (
    FALLBACK_MARKER,
    Block,
    BulletList,
    Document,
    Facts,
    Figure,
    Inline,
    Paragraph,
    Section,
    Table,
    Text,
    plain,
)

if TYPE_CHECKING:
    import typst

TEMPLATE = Path(__file__).resolve().parent / "typst" / "agenda.typ"
# Debian's fonts-dejavu-core; the funnel SVGs name "DejaVu Sans" too.
FONT_FOLDER = Path("/usr/share/fonts/truetype/dejavu")


def render_pdf(document: Document) -> bytes:
    """The document as an A4 PDF: title page, contents, chapters on new pages, page numbers."""
    import typst

    data = json.dumps(document_data(document), ensure_ascii=False)
    return typst.compile(str(TEMPLATE), root=str(TEMPLATE.parent), font_paths=fonts(), sys_inputs={"doc": data})


@cache
def fonts() -> typst.Fonts:
    """The fonts typst may use, found once per process: searching the system takes a while."""
    import typst

    folders = [str(FONT_FOLDER)] if FONT_FOLDER.is_dir() else []
    return typst.Fonts(include_system_fonts=True, include_embedded_fonts=True, font_paths=folders)


def document_data(document: Document) -> dict[str, Any]:
    """The document as plain JSON-ready data for the template: blocks tagged by "kind"."""
    with translation.override(document.language):
        labels = {"draft": translation.gettext("Draft"), "contents": translation.gettext("Contents")}
    return {
        "language": document.language,
        "title": document.title,
        "subtitle": document.subtitle,
        "title_lines": list(document.title_lines),
        "notes": list(document.notes),
        "is_draft": document.is_draft,
        "marker": FALLBACK_MARKER,
        "labels": labels,
        "compact": document.compact,
        "sections": [block_data(section, compact=document.compact) for section in document.sections],
    }


def inline_data(value: Inline) -> dict[str, Any]:
    return {"text": str(value), "fallback": isinstance(value, Text) and value.fallback}


def block_data(block: Block, *, compact: bool = False) -> dict[str, Any]:
    if isinstance(block, Section):
        return {
            "kind": "section",
            "number": block.number,
            "title": inline_data(block.title),
            "level": block.level,
            # As report.css prints the HTML: chapters and theme sections start a page, and
            # the contents list chapters and their numbered sections.
            "page_break": not compact and (block.level == 1 or (block.level == 2 and block.key.startswith("theme-"))),
            "outlined": block.level == 1 or (block.level == 2 and bool(block.number)),
            "blocks": [block_data(child, compact=compact) for child in block.blocks],
        }
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "text": inline_data(block.text), "style": block.style}
    if isinstance(block, BulletList):
        return {"kind": "list", "items": [inline_data(item) for item in block.items], "ordered": block.ordered}
    if isinstance(block, Facts):
        items = [{"label": label, "values": [inline_data(v) for v in values]} for label, values in block.items]
        return {"kind": "facts", "items": items}
    if isinstance(block, Table):
        return {
            "kind": "table",
            "caption": block.caption,
            "header": list(block.header),
            "rows": [[inline_data(cell) for cell in row] for row in block.rows],
            "numeric": list(block.numeric),
            "widths": column_widths(block),
        }
    if isinstance(block, Figure):
        return {"kind": "figure", "caption": inline_data(block.caption), "svg": block.svg}
    raise TypeError(type(block))  # pragma: no cover — a new block type needs its data here


SHORT_COLUMN = 24  # characters: such a column is as wide as its longest cell
LONG_COLUMN = 60  # characters: wider text shares the width no more than this would


def column_widths(table: Table) -> list[int | None]:
    """Per column, None for "as wide as its content" or a share of the width left: a table
    spans the page, as in the HTML, with room going to the columns holding the most text.
    Numeric columns never wrap (the template keeps each such cell on one line)."""
    lengths = [max([len(header), *(len(plain(row[n])) for row in table.rows)]) for n, header in enumerate(table.header)]
    widths: list[int | None] = [
        None if n in table.numeric or length <= SHORT_COLUMN else min(length, LONG_COLUMN)
        for n, length in enumerate(lengths)
    ]
    if all(width is None for width in widths):
        stretched = max((n for n in range(len(widths)) if n not in table.numeric), default=len(widths) - 1)
        widths[stretched] = 1
    return widths
