"""The agenda as a document (HTML, PDF, DOCX), regenerated from the data."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "trechter.reports"
    verbose_name = _("Agenda document")

    def ready(self) -> None:
        from trechter.reports import rules  # noqa: F401 — registers the permissions
