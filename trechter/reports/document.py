"""The agenda document as a format-neutral structure: built once (builder.py), then drawn by
three renderers (HTML, PDF from that HTML, DOCX). No Django, no I/O: plain data only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar


@dataclass(frozen=True)
class Text:
    """A piece of content. `fallback` marks Dutch text shown in an English document because
    the data has no English for it; every renderer shows a visible marker after it."""

    value: str
    fallback: bool = False

    def __str__(self) -> str:
        return self.value


Inline = str | Text
FALLBACK_MARKER = "[NL]"


def plain(inline: Inline) -> str:
    """The text as a reader sees it, marker included."""
    if isinstance(inline, Text) and inline.fallback:
        return f"{inline.value} {FALLBACK_MARKER}"
    return str(inline)


@dataclass(frozen=True)
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    text: Inline
    style: str = ""  # "", "lead", "note"


@dataclass(frozen=True)
class BulletList:
    kind: ClassVar[str] = "list"
    items: tuple[Inline, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Facts:
    """Label → value pairs (a proposal's kind, TRL, budget, …); a value may span lines."""

    kind: ClassVar[str] = "facts"

    items: tuple[tuple[str, tuple[Inline, ...]], ...]


@dataclass(frozen=True)
class Table:
    kind: ClassVar[str] = "table"
    key: str  # stable name, e.g. "overview", "figures", "meetings"
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[Inline, ...], ...]
    numeric: tuple[int, ...] = ()  # columns aligned right


@dataclass(frozen=True)
class Figure:
    kind: ClassVar[str] = "figure"
    key: str
    caption: Inline
    svg: str  # a standalone SVG document: inline attributes, no external CSS or links
    width: float
    height: float


@dataclass(frozen=True)
class Section:
    kind: ClassVar[str] = "section"
    key: str
    number: str  # "3", "3.2", "Annex 1"; "" for none
    title: Inline
    blocks: tuple[Block, ...] = ()
    level: int = 1  # 1 chapter, 2 section, 3 sub-section

    @property
    def heading(self) -> str:
        return f"{self.number} {plain(self.title)}".strip()


Block = Paragraph | BulletList | Facts | Table | Figure | Section


@dataclass(frozen=True)
class Document:
    language: str  # "nl" or "en"
    title: str
    subtitle: str
    title_lines: tuple[str, ...]  # presented on, version, publication date, language
    sections: tuple[Section, ...]
    file_stem: str  # "trechter-agenda-v3-nl"
    is_draft: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)  # e.g. the fallback marker explained
    compact: bool = False  # a short document: no title page of its own, no contents, no page per chapter

    def walk(self) -> list[Block]:
        """Every block, depth first, sections included."""
        found: list[Block] = []

        def visit(blocks: tuple[Block, ...]) -> None:
            for block in blocks:
                found.append(block)
                if isinstance(block, Section):
                    visit(block.blocks)

        visit(self.sections)
        return found

    def table(self, key: str) -> Table | None:
        return next((b for b in self.walk() if isinstance(b, Table) and b.key == key), None)

    @property
    def figures(self) -> list[Figure]:
        return [b for b in self.walk() if isinstance(b, Figure)]
