"""Full-text search on SQLite (FTS5) and PostgreSQL (tsvector): the one module that knows which.

`backend()` picks the implementation for the database in use; everything else in the app
talks to the `Backend` protocol. Both backends take already-parsed `Term`s (terms.py), so
hostile input never reaches a query language, and both pass the query as a parameter.
Matches come back wrapped in MARK_START/MARK_END, two private-use characters the indexed
text never contains (actions.py strips them), so the caller escapes the text first and
only then turns the markers into <mark> tags.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from trechter.search.terms import ACCENTED, PLAIN, Term

MARK_START = "\ue000"
MARK_END = "\ue001"
SNIPPET_WORDS = 32


@dataclass(frozen=True)
class Highlight:
    """A document's titles in full and the best fragment of each body, matches marked."""

    title_nl: str
    title_en: str
    body_nl: str
    body_en: str


class Backend(Protocol):
    def fill(self) -> None:
        """Index every row of search_searchdocument, replacing whatever was indexed."""

    def match(self, terms: Sequence[Term]) -> dict[int, float]:
        """Document id → relevance (higher is better) of every document matching all `terms`."""

    def highlight(self, terms: Sequence[Term], ids: Sequence[int]) -> dict[int, Highlight]:
        """The marked titles and snippets of documents `ids` (which should match `terms`)."""


def backend() -> Backend:
    """The full-text backend of the default database."""
    if connection.vendor == "sqlite":
        return SqliteBackend()
    if connection.vendor == "postgresql":
        return PostgresBackend()
    raise ImproperlyConfigured(f"Search supports SQLite and PostgreSQL, not {connection.vendor}")


class SqliteBackend:
    """FTS5 table search_fts (migration 0002): bm25 ranking, snippet() and highlight()."""

    # bm25 weights per column: title_nl, title_en, body_nl, body_en.
    RANK = "bm25(search_fts, 10.0, 10.0, 1.0, 1.0)"

    def fill(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")
            cursor.execute(
                "INSERT INTO search_fts (rowid, title_nl, title_en, body_nl, body_en) "
                "SELECT id, title_nl, title_en, body_nl, body_en FROM search_searchdocument"
            )
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")

    def match(self, terms: Sequence[Term]) -> dict[int, float]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, {self.RANK} FROM search_fts WHERE search_fts MATCH %s",  # noqa: S608 (constant)
                [fts5_query(terms)],
            )
            # bm25 is lower for better matches.
            return {rowid: -rank for rowid, rank in cursor.fetchall()}

    def highlight(self, terms: Sequence[Term], ids: Sequence[int]) -> dict[int, Highlight]:
        if not ids:
            return {}
        marks = [MARK_START, MARK_END]
        placeholders = ", ".join(["%s"] * len(ids))  # the ids themselves are parameters
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid, highlight(search_fts, 0, %s, %s), highlight(search_fts, 1, %s, %s), "  # noqa: S608
                f"snippet(search_fts, 2, %s, %s, '…', {SNIPPET_WORDS}), "
                f"snippet(search_fts, 3, %s, %s, '…', {SNIPPET_WORDS}) "
                f"FROM search_fts WHERE search_fts MATCH %s AND rowid IN ({placeholders})",
                [*marks, *marks, *marks, *marks, fts5_query(terms), *ids],
            )
            return {row[0]: Highlight(*(text or "" for text in row[1:])) for row in cursor.fetchall()}


def fts5_query(terms: Sequence[Term]) -> str:
    """An FTS5 MATCH expression: every term required, each word a quoted string.

    Quoting makes FTS5 read AND, OR, NEAR, *, ( and " as text; terms.py already kept only
    letters and digits, and the doubling of quotes guards the quoting on its own."""

    def quoted(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    parts = []
    for term in terms:
        if term.is_phrase:
            parts.append(quoted(" ".join(term.words)) + "*")
        else:
            parts.append("(" + " OR ".join(quoted(prefix) + "*" for prefix in term.prefixes) + ")")
    return " AND ".join(parts)


class PostgresBackend:
    """tsvector column search_vector (migration 0002): Dutch text through the 'dutch'
    configuration, English through 'english'; titles weigh A, bodies B; ts_rank, ts_headline."""

    VECTOR = (
        "setweight(to_tsvector('dutch', translate(title_nl, %(accented)s, %(plain)s)), 'A') || "
        "setweight(to_tsvector('english', translate(title_en, %(accented)s, %(plain)s)), 'A') || "
        "setweight(to_tsvector('dutch', translate(body_nl, %(accented)s, %(plain)s)), 'B') || "
        "setweight(to_tsvector('english', translate(body_en, %(accented)s, %(plain)s)), 'B')"
    )
    # The query in both languages and unstemmed: 'simple' keeps the prefixes the stemmers
    # would drop as stop words while someone is still typing ('in' → 'innovatie').
    QUERY = (
        "(SELECT to_tsquery('dutch', %(query)s) || to_tsquery('english', %(query)s)"
        " || to_tsquery('simple', %(query)s)) AS search_query (q)"
    )
    TITLE_OPTIONS = f"HighlightAll=true, StartSel={MARK_START}, StopSel={MARK_END}"
    BODY_OPTIONS = (
        f'MaxWords={SNIPPET_WORDS}, MinWords=12, MaxFragments=2, FragmentDelimiter=" … ", '
        f"StartSel={MARK_START}, StopSel={MARK_END}"
    )

    def fill(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE search_searchdocument SET search_vector = {self.VECTOR}",  # noqa: S608 (constant)
                {"accented": ACCENTED, "plain": PLAIN},
            )

    def match(self, terms: Sequence[Term]) -> dict[int, float]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, ts_rank(search_vector, q, 1) FROM search_searchdocument, {self.QUERY} "  # noqa: S608
                "WHERE search_vector @@ q",
                {"query": tsquery(terms)},
            )
            return dict(cursor.fetchall())

    def highlight(self, terms: Sequence[Term], ids: Sequence[int]) -> dict[int, Highlight]:
        if not ids:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, ts_headline('dutch', title_nl, q, %(title)s), "  # noqa: S608 (constants only)
                "ts_headline('english', title_en, q, %(title)s), "
                "ts_headline('dutch', body_nl, q, %(body)s), ts_headline('english', body_en, q, %(body)s) "
                f"FROM search_searchdocument, {self.QUERY} WHERE id = ANY(%(ids)s)",
                {"query": tsquery(terms), "title": self.TITLE_OPTIONS, "body": self.BODY_OPTIONS, "ids": list(ids)},
            )
            return {row[0]: Highlight(*(text or "" for text in row[1:])) for row in cursor.fetchall()}


def tsquery(terms: Sequence[Term]) -> str:
    """A to_tsquery expression: every term required, each word a quoted lexeme, prefixes :*.

    terms.py kept only letters and digits; the escaping guards the quoting on its own."""

    def quoted(text: str) -> str:
        return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"

    parts = []
    for term in terms:
        if term.is_phrase:
            parts.append("(" + " <-> ".join(quoted(word) for word in term.words) + ":*)")
        else:
            parts.append("(" + " | ".join(quoted(prefix) + ":*" for prefix in term.prefixes) + ")")
    return " & ".join(parts)
