"""Funding instruments, their eligibility rules and the advisor that holds proposals against them."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "trechter.funding"
    verbose_name = _("Funding")

    def ready(self) -> None:
        from trechter.funding import rules  # noqa: F401 — registers the permissions
