"""Roles of signed-in users. Visitors need no account; an admin is a Django superuser."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
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


TOKEN_PREFIX_LENGTH = 8


def hash_token(plaintext: str) -> str:
    """What is stored of a token: its SHA-256, hex. The token is 256 random bits, so a plain
    hash suffices (no salt or slow hash: there is no dictionary to guess from)."""
    return hashlib.sha256(plaintext.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        """Not revoked, not expired, of an active user."""
        return self.filter(is_revoked=False, user__is_active=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
        )


class ApiToken(models.Model):
    """A personal token for the REST API. Only its hash is kept; the plaintext is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for."))
    # The first characters of the plaintext, to recognise a token in lists and to revoke it.
    prefix = models.CharField(_("prefix"), max_length=TOKEN_PREFIX_LENGTH, db_index=True, editable=False)
    hashed = models.CharField(_("hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    is_revoked = models.BooleanField(_("revoked"), default=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired and self.user.is_active
