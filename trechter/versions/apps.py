from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VersionsConfig(AppConfig):
    name = "trechter.versions"
    verbose_name = _("Versions and review")
