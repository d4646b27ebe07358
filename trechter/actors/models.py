"""Organisations, people, groups (stakeholder group, core group, workshops) and meetings."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trechter import vocabulary

KEY_HELP = _("Stable identifier used by exports, imports and the seed data set.")


class Organisation(models.Model):
    key = models.SlugField(_("key"), max_length=80, unique=True, help_text=KEY_HELP)
    name = models.CharField(_("name"), max_length=300)
    side = models.CharField(_("side"), max_length=10, choices=vocabulary.SIDES)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166 code; EU for EU bodies."))
    type = models.CharField(_("type"), max_length=30, choices=vocabulary.ORGANISATION_TYPES)
    city = models.CharField(_("city"), max_length=120, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), null=True, blank=True, on_delete=models.PROTECT, related_name="units"
    )
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            # Side and country must agree (see trechter/seed/schema.py, Organisation).
            models.CheckConstraint(
                name="organisation_side_matches_country",
                condition=Q(side="NL", country="NL")
                | Q(side__in=["VL", "BE_OTHER"], country="BE")
                | (Q(side="OTHER") & ~Q(country__in=["NL", "BE"])),
            ),
            models.CheckConstraint(name="organisation_country_is_code", condition=Q(country__regex=r"^[A-Z]{2}$")),
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationAlias(models.Model):
    """Another name the same organisation goes by (acronym, full name, old name)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("name"), max_length=300)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="alias_unique_per_organisation")]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    key = models.SlugField(_("key"), max_length=80, unique=True, help_text=KEY_HELP)
    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    function = models.CharField(_("function"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Group(models.Model):
    key = models.SlugField(_("key"), max_length=80, unique=True, help_text=KEY_HELP)
    kind = models.CharField(_("kind"), max_length=20, choices=vocabulary.GROUP_KINDS)
    name_nl = models.CharField(_("name (Dutch)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    members: models.ManyToManyField[Person, Membership] = models.ManyToManyField(
        Person, through="Membership", related_name="groups"
    )

    history = HistoricalRecords()

    class Meta:
        # Not "group": the admin lists Django's permission groups beside it.
        verbose_name = _("consultation group")
        verbose_name_plural = _("consultation groups")
        ordering = ["name_nl"]

    def __str__(self) -> str:
        return self.name_nl


class Membership(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["group", "person"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.person} – {self.group}"


class Meeting(models.Model):
    key = models.SlugField(_("key"), max_length=80, unique=True, help_text=KEY_HELP)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    group = models.ForeignKey(Group, verbose_name=_("group"), on_delete=models.PROTECT, related_name="meetings")
    title_nl = models.CharField(_("title (Dutch)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    host = models.ForeignKey(
        Organisation, verbose_name=_("host"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("source"), max_length=500, blank=True)
    participants: models.ManyToManyField[Person, MeetingParticipant] = models.ManyToManyField(
        Person, through="MeetingParticipant", related_name="meetings"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["held_on"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title_nl}"


class MeetingParticipant(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="attendance")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="participant_unique")]

    def __str__(self) -> str:
        return str(self.person)
