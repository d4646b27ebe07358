"""Funding instruments the agenda's proposals can draw on."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trechter import vocabulary
from trechter.actors.models import KEY_HELP
from trechter.agenda.models import TrlRangeFields, trl_constraints


class Instrument(TrlRangeFields):
    key = models.SlugField(_("key"), max_length=80, unique=True, help_text=KEY_HELP)
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    acronym = models.CharField(_("acronym"), max_length=50, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=vocabulary.INSTRUMENT_LEVELS)
    notes_nl = models.TextField(_("notes (Dutch)"), blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("funding instrument")
        verbose_name_plural = _("funding instruments")
        ordering = ["name"]
        constraints = trl_constraints("instrument")

    def __str__(self) -> str:
        return self.name
