"""Exports (CSV, XLSX, JSON + JSON Schema) and imports into drafts (XLSX, CSV, JSON)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "trechter.exchange"
    verbose_name = _("Data exchange")
