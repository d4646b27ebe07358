"""Searching the index: ranked results, one page of them, and the counts beside each filter.

The index holds a few hundred documents (one per theme, proposal, organisation and
activity of one agenda), so the full-text match is done by the database and the filtering
and counting in Python over the matching rows: one query gives every count of every
filter, where SQL would need a grouped query per filter over list-valued facets.
Three queries per search whatever the number of results; two more for `filter_options`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from trechter import vocabulary
from trechter.agenda.models import Theme
from trechter.funding.models import Instrument
from trechter.search.backends import MARK_END, MARK_START, Highlight, backend
from trechter.search.models import KINDS, SearchDocument
from trechter.search.terms import Term, parse, words_of

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

PAGE_SIZE = 20
EXCERPT_WORDS = 32

# The filters, in the order the page shows them; each is a GET parameter of this name.
FILTERS: dict[str, StrPromise] = {
    "kind": _("Kind of result"),
    "theme": _("Theme"),
    "trl": _("TRL band"),
    "side": _("Side"),
    "proposal_kind": _("Kind of proposal"),
    "status": _("Status"),
    "instrument": _("Funding instrument"),
}
TRL_BANDS = {value: tuple(int(n) for n in value.split("-")) for value, _label in vocabulary.BANDS if value != "all"}
KIND_ORDER = {value: position for position, (value, _label) in enumerate(KINDS)}
KIND_LABELS = dict(KINDS)
SIDE_LABELS = dict(vocabulary.SIDES)
STATUS_LABELS = dict(vocabulary.PROPOSAL_STATUSES)


@dataclass(frozen=True)
class Option:
    """One value a filter accepts; the labels go through the `localized` template filter."""

    value: str
    label_nl: str | Promise
    label_en: str | Promise


FilterOptions = dict[str, list[Option]]


def filter_options() -> FilterOptions:
    """Every value of every filter, labelled, in display order (two queries)."""
    themes = Theme.objects.order_by("order").values_list("key", "name_nl", "name_en")
    instruments = Instrument.objects.values_list("key", "name", "name_en", "acronym")
    return {
        "kind": _vocabulary_options(KINDS),
        "theme": [Option(key, name_nl, name_en) for key, name_nl, name_en in themes],
        "trl": _vocabulary_options([(value, label) for value, label in vocabulary.BANDS if value in TRL_BANDS]),
        "side": _vocabulary_options(vocabulary.SIDES),
        "proposal_kind": _vocabulary_options(vocabulary.PROPOSAL_KINDS),
        "status": _vocabulary_options(vocabulary.PROPOSAL_STATUSES),
        "instrument": sorted(
            (Option(key, acronym or name, acronym or name_en or name) for key, name, name_en, acronym in instruments),
            key=lambda option: str(option.label_nl).casefold(),
        ),
    }


def _vocabulary_options(choices: Iterable[tuple[str, Promise]]) -> list[Option]:
    # A translated label serves both languages: it follows the reader's language itself.
    return [Option(value, label, label) for value, label in choices]


@dataclass(frozen=True)
class Filters:
    """The chosen value of each filter ("" = any) and the page number."""

    kind: str = ""
    theme: str = ""
    trl: str = ""
    side: str = ""
    proposal_kind: str = ""
    status: str = ""
    instrument: str = ""
    page: int = 1

    @cached_property  # read once per document and filter while counting
    def active(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in FILTERS if getattr(self, name)}


@dataclass(frozen=True)
class FacetOption:
    value: str
    label_nl: str | Promise
    label_en: str | Promise
    count: int  # results this value would give, the other filters kept
    is_selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    label: StrPromise
    options: list[FacetOption]


@dataclass(frozen=True)
class Result:
    """One search result, plain data; `heading_*` and `snippet_*` are escaped HTML."""

    kind: str
    key: str
    title_nl: str
    title_en: str
    heading_nl: SafeString
    heading_en: SafeString
    snippet_nl: SafeString
    snippet_en: SafeString
    url: str
    themes: list[Option]
    sides: list[str]
    trl_from: int | None
    trl_to: int | None
    proposal_kind: str
    status: str
    instrument_keys: list[str]

    @property
    def kind_label(self) -> Promise:
        return KIND_LABELS[self.kind]

    @property
    def status_label(self) -> Promise | str:
        return STATUS_LABELS.get(self.status, "")

    @property
    def side_labels(self) -> list[tuple[str, Promise]]:
        return [(side, SIDE_LABELS[side]) for side in self.sides if side in SIDE_LABELS]

    @property
    def trl_label(self) -> str:
        if self.trl_from is None or self.trl_to is None:
            return ""
        return f"TRL {self.trl_from}" if self.trl_from == self.trl_to else f"TRL {self.trl_from}–{self.trl_to}"


@dataclass(frozen=True)
class SearchPage:
    query: str
    has_terms: bool  # False when the query is empty or has no letters or digits
    filters: Filters
    results: list[Result]
    total: int
    number: int
    page_count: int
    facets: list[Facet] = field(default_factory=list)

    @property
    def has_filters(self) -> bool:
        return bool(self.filters.active)

    @property
    def ignores_query(self) -> bool:
        """The query was typed but holds nothing to search for (only `"`, `*`, …)."""
        return bool(self.query) and not self.has_terms

    @property
    def previous_number(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next_number(self) -> int | None:
        return self.number + 1 if self.number < self.page_count else None


@dataclass(frozen=True)
class _Row:
    """A matching document as the filtering and counting need it."""

    id: int
    kind: str
    key: str
    title_nl: str
    title_en: str
    url_name: str
    url_args: list[str]
    trl_from: int | None
    trl_to: int | None
    proposal_kind: str
    status: str
    theme_keys: list[str]
    sides: list[str]
    instrument_keys: list[str]
    score: float
    is_named: bool  # the query is the document's whole title: 'tno' for TNO, 'fotonica' for Fotonica
    facets: dict[str, tuple[str, ...]]


ROW_FIELDS = (
    "id",
    "kind",
    "key",
    "title_nl",
    "title_en",
    "url_name",
    "url_args",
    "trl_from",
    "trl_to",
    "proposal_kind",
    "status",
    "theme_keys",
    "sides",
    "instrument_keys",
)


def search(q: str, *, filters: Filters, options: FilterOptions | None = None) -> SearchPage:
    """The documents matching every word of `q` as a prefix (all documents when it has no
    words) and every filter, best match first, cut to the page `filters.page`; for each
    filter value the number of results it would give with the other filters kept."""
    options = filter_options() if options is None else options
    terms = parse(q)
    rows = _rows(backend().match(terms) if terms else None, named=tuple(w for t in terms for w in t.words))
    matching = sorted((row for row in rows if _passes(row, filters)), key=_ranking)
    page_count = max(1, math.ceil(len(matching) / PAGE_SIZE))
    number = min(max(filters.page, 1), page_count)
    shown = matching[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    texts = _texts(terms, [row.id for row in shown])
    themes = {option.value: option for option in options["theme"]}
    return SearchPage(
        query=q,
        has_terms=bool(terms),
        filters=filters,
        results=[_result(row, texts.get(row.id), themes) for row in shown],
        total=len(matching),
        number=number,
        page_count=page_count,
        facets=_facets(rows, filters, options),
    )


def _rows(scores: dict[int, float] | None, *, named: tuple[str, ...]) -> list[_Row]:
    """The documents with these scores; all documents (score 0) when `scores` is None.

    `named` are the query's words: a document whose title is exactly those is marked."""
    documents = SearchDocument.objects.values(*ROW_FIELDS)
    if scores is not None:
        documents = documents.filter(pk__in=list(scores))
    rows = []
    for doc in documents:
        facets = {
            "kind": (doc["kind"],),
            "theme": tuple(doc["theme_keys"]),
            "trl": _bands(doc["trl_from"], doc["trl_to"]),
            "side": tuple(doc["sides"]),
            "proposal_kind": (doc["proposal_kind"],) if doc["proposal_kind"] else (),
            "status": (doc["status"],) if doc["status"] else (),
            "instrument": tuple(doc["instrument_keys"]),
        }
        score = scores.get(doc["id"], 0.0) if scores is not None else 0.0
        is_named = bool(named) and named in (words_of(doc["title_nl"]), words_of(doc["title_en"]))
        rows.append(_Row(**doc, score=score, is_named=is_named, facets=facets))
    return rows


def _bands(trl_from: int | None, trl_to: int | None) -> tuple[str, ...]:
    """The TRL bands a TRL range overlaps: 3–5 is in 1–3 and in 4–6."""
    if trl_from is None or trl_to is None:
        return ()
    return tuple(band for band, (low, high) in TRL_BANDS.items() if trl_from <= high and trl_to >= low)


def _passes(row: _Row, filters: Filters, *, ignoring: str = "") -> bool:
    return all(value in row.facets[name] for name, value in filters.active.items() if name != ignoring)


def _ranking(row: _Row) -> tuple[bool, float, int, str, str]:
    # Someone typing a name wants that page first; FTS5's bm25 normalises by the length of
    # the whole document, so a theme with a long aim would otherwise rank below short texts.
    return (not row.is_named, -row.score, KIND_ORDER[row.kind], row.title_nl.casefold(), row.key)


def _facets(rows: Sequence[_Row], filters: Filters, options: FilterOptions) -> list[Facet]:
    """Per filter value: the results it would give with the other filters unchanged."""
    facets = []
    for name, label in FILTERS.items():
        counts: Counter[str] = Counter()
        for row in rows:
            if _passes(row, filters, ignoring=name):
                counts.update(row.facets[name])
        selected = getattr(filters, name)
        facets.append(
            Facet(
                name=name,
                label=label,
                options=[
                    FacetOption(o.value, o.label_nl, o.label_en, counts[o.value], o.value == selected)
                    for o in options[name]
                ],
            )
        )
    return facets


def _texts(terms: Sequence[Term], ids: list[int]) -> dict[int, Highlight]:
    """Titles and snippets of the shown documents: marked matches, or the text's start."""
    if terms:
        return backend().highlight(terms, ids)
    documents = SearchDocument.objects.filter(pk__in=ids).values("id", "title_nl", "title_en", "body_nl", "body_en")
    return {
        doc["id"]: Highlight(
            title_nl=doc["title_nl"],
            title_en=doc["title_en"],
            body_nl=Truncator(doc["body_nl"]).words(EXCERPT_WORDS),
            body_en=Truncator(doc["body_en"]).words(EXCERPT_WORDS),
        )
        for doc in documents
    }


def _result(row: _Row, text: Highlight | None, themes: dict[str, Option]) -> Result:
    text = text or Highlight(row.title_nl, row.title_en, "", "")
    return Result(
        kind=row.kind,
        key=row.key,
        title_nl=row.title_nl,
        title_en=row.title_en,
        heading_nl=marked(text.title_nl),
        heading_en=marked(text.title_en),
        snippet_nl=marked(text.body_nl),
        snippet_en=marked(text.body_en),
        url=reverse(row.url_name, args=row.url_args),
        themes=[themes[key] for key in row.theme_keys if key in themes],
        sides=row.sides,
        trl_from=row.trl_from,
        trl_to=row.trl_to,
        proposal_kind=row.proposal_kind,
        status=row.status,
        instrument_keys=row.instrument_keys,
    )


_MARKED = re.compile(f"{MARK_START}(.*?){MARK_END}", re.S)


def marked(text: str) -> SafeString:
    """`text` as HTML: every part escaped, the parts between match markers in <mark>.

    Built only by Django's escaping helpers, so no text of the index reaches the page raw."""
    pieces = _MARKED.split(text)  # odd positions are the matches
    html = (
        (format_html("<mark>{}</mark>", piece) if position % 2 else _unmarked(piece),)
        for position, piece in enumerate(pieces)
        if piece
    )
    return format_html_join("", "{}", html)


def _unmarked(piece: str) -> str:
    return piece.replace(MARK_START, "").replace(MARK_END, "")
