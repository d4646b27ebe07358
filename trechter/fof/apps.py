"""The Factory of the Future / Smart Industry assessment and award, run for Flanders and the
Netherlands together (seed, section 2.3.4 and Bijlage 4b §3)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FofConfig(AppConfig):
    name = "trechter.fof"
    verbose_name = _("FoF / Smart Industry award")

    def ready(self) -> None:
        from trechter.fof import rules  # noqa: F401 — registers the permissions
