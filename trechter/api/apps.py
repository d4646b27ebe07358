"""The REST API (django-ninja) with its OpenAPI schema and token authentication."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "trechter.api"
    verbose_name = _("API")
