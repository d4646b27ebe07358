from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VersionsConfig(AppConfig):
    name = "trechter.versions"
    verbose_name = _("Versions and review")

    def ready(self) -> None:
        from simple_history.signals import post_create_historical_record

        from trechter.versions import stamps

        # Cache invalidation, not domain logic: any change to public content renews the stamp.
        post_create_historical_record.connect(stamps.on_history_record, dispatch_uid="trechter-content-stamp")
