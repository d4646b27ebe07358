"""Funding instruments the agenda's proposals can draw on."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trechter import vocabulary
from trechter.actors.models import KEY_HELP
from trechter.agenda.models import TrlRangeFields, trl_constraints
from trechter.analytics import eligibility


class Instrument(TrlRangeFields):
    key = models.SlugField(_("key"), max_length=80, unique=True, help_text=KEY_HELP)
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    acronym = models.CharField(_("acronym"), max_length=50, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=vocabulary.INSTRUMENT_LEVELS)
    notes_nl = models.TextField(_("notes (Dutch)"), blank=True)
    rules = models.JSONField(
        _("eligibility rules"), default=list, blank=True, help_text=_("checked when saved (analytics.eligibility)")
    )
    rules_note = models.TextField(_("where the rules come from"), blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("funding instrument")
        verbose_name_plural = _("funding instruments")
        ordering = ["name"]
        constraints = trl_constraints("instrument")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Refuse rules that analytics.eligibility cannot read, naming the rule's field."""
        super().clean()
        try:
            self.rules = eligibility.parse_rules(self.rules)
        except eligibility.RuleError as error:
            raise ValidationError({"rules": f"{error.field}: {error.message}"}) from None
