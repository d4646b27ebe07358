"""One call from an edition, a language and a format to the file: content → document → bytes."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from trechter.reports import renderers
from trechter.reports.builder import build_document
from trechter.reports.content import DRAFT, load_content, parse_edition
from trechter.versions import stamps

LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class ReportFile:
    filename: str
    content_type: str
    data: bytes


def generate(edition: str, *, fmt: str, language: str) -> ReportFile:
    """The agenda document of `edition` ("published", "draft", "N") as `fmt` in `language`.

    Raises content.UnknownEdition. Published editions are kept in the cache under the content
    stamp (like public pages, trechter/pagecache.py): a PDF takes seconds to make, and any
    change to the content makes the stamp, hence the cached file, stale at once."""
    if fmt not in renderers.FORMATS:
        raise ValueError(fmt)
    if language not in LANGUAGES:
        raise ValueError(language)
    edition = parse_edition(edition)
    key = f"report:{stamps.current()}:{edition}:{fmt}:{language}"
    cacheable = settings.PAGE_CACHE and edition != DRAFT  # drafts change without a new stamp
    if cacheable and (hit := cache.get(key)) is not None:
        return ReportFile(*hit)
    document = build_document(load_content(edition), language=language)
    made = ReportFile(f"{document.file_stem}.{fmt}", renderers.CONTENT_TYPES[fmt], renderers.render(document, fmt))
    if cacheable:
        cache.set(key, (made.filename, made.content_type, made.data), settings.PAGE_CACHE_SECONDS)
    return made
