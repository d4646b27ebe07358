"""The search index: one row per searchable thing, rebuilt from the published agenda.

The full-text part is not a Django field: on SQLite it is the FTS5 table `search_fts`
(rowid = SearchDocument.id), on PostgreSQL the tsvector column `search_vector` with a GIN
index. Both are created by migration 0002 and filled by backends.py; Django never sees them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

KINDS = [
    ("theme", _("Theme")),
    ("proposal", _("Proposal")),
    ("organisation", _("Organisation")),
    ("activity", _("Activity")),
]


class SearchDocument(models.Model):
    """A theme, proposal, organisation or activity as the search page needs it: its text in
    Dutch and English, its filter facets and its link, all copied so a search reads one table.

    Language-neutral text (organisation names, aliases, cities) goes into the Dutch body,
    which is always filled; the English body holds only English text, so English readers
    see an English snippet where there is one and fall back to the Dutch one otherwise."""

    kind = models.CharField(_("kind"), max_length=20, choices=KINDS)
    key = models.SlugField(_("key"), max_length=80)
    title_nl = models.CharField(_("title (Dutch)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    body_nl = models.TextField(_("text (Dutch)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    # Facets. Lists are JSON: the search filters them in Python (see queries.py, why).
    theme_keys = models.JSONField(_("themes"), default=list, blank=True)
    sides = models.JSONField(_("sides"), default=list, blank=True)
    instrument_keys = models.JSONField(_("funding instruments"), default=list, blank=True)
    trl_from = models.PositiveSmallIntegerField(_("TRL from"), null=True, blank=True)
    trl_to = models.PositiveSmallIntegerField(_("TRL to"), null=True, blank=True)
    proposal_kind = models.CharField(_("kind of proposal"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=20, blank=True)
    # The page the result links to: reverse(url_name, args=url_args) in the reader's language.
    url_name = models.CharField(_("URL name"), max_length=50)
    url_args = models.JSONField(_("URL arguments"), default=list, blank=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        ordering = ["kind", "key"]
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="search_document_unique")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title_nl}"
