"""Roles of signed-in users. Visitors need no account; an admin is a Django superuser."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

ROLE_KINDS = [
    ("member", _("Member")),
    ("theme_lead", _("Theme lead")),
    ("core_group", _("Core group")),
    ("jury", _("Jury")),
]


class Role(models.Model):
    """One role of one user; a theme lead's role names the theme they may edit."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(_("role"), max_length=20, choices=ROLE_KINDS)
    theme = models.ForeignKey(
        "agenda.Theme", verbose_name=_("theme"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["user__username", "kind"]
        constraints = [
            # A theme lead leads a theme; the other roles are agenda-wide.
            models.CheckConstraint(
                name="role_theme_only_for_theme_lead",
                condition=Q(kind="theme_lead", theme__isnull=False) | (~Q(kind="theme_lead") & Q(theme__isnull=True)),
            ),
            models.UniqueConstraint(fields=["user", "kind", "theme"], name="role_unique"),
            models.UniqueConstraint(
                fields=["user", "kind"], condition=Q(theme__isnull=True), name="role_unique_agenda_wide"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()}" + (f" ({self.theme})" if self.theme_id else "")
