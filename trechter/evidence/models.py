"""EU research projects from CORDIS, the organisations taking part, and their links to the agenda.

The three CORDIS tables are written in bulk by `trechter.evidence.loading` (raw SQL upserts keyed
on the CORDIS identifiers, with a content hash per row so a re-import touches only what changed);
nothing else writes them. They carry no history: they are a copy of public data, re-importable.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trechter.actors.models import Organisation
from trechter.agenda.models import Theme

# Where an organisation sits (trechter.analytics.regions): finer than the agenda's sides, because
# "BE" in CORDIS is Belgium, not Flanders.
EVIDENCE_SIDES = [
    ("NL", _("Netherlands")),
    ("VL", _("Flanders")),
    ("BRU", _("Brussels")),
    ("WAL", _("Wallonia")),
    ("BE", _("Belgium, region unknown")),
    ("OTHER", _("Other country")),
]
SIDE_BASES = [
    ("nuts", _("NUTS code")),
    ("postcode", _("postcode")),
    ("municipality", _("municipality list")),
    ("country", _("country")),
    ("unknown", _("unknown")),
]
ACTIVITY_TYPES = [
    ("PRC", _("Company")),
    ("HES", _("Higher education")),
    ("REC", _("Research organisation")),
    ("PUB", _("Public body")),
    ("OTH", _("Other")),
    ("", _("Unknown")),
]


SHORT_NAME_MAX = 24


class CordisOrganisation(models.Model):
    """One organisation as CORDIS knows it: a PIC, or a hashed id where FP7 gave none."""

    org_id = models.CharField(_("CORDIS id"), max_length=64, unique=True, help_text=_("PIC, or sod16:… where none"))
    name = models.CharField(_("name"), max_length=500)
    short_name = models.CharField(_("short name"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=40, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("CORDIS code (EL, UK)"))
    nuts_code = models.CharField(_("NUTS code"), max_length=10, blank=True)
    activity_type = models.CharField(_("activity type"), max_length=3, choices=ACTIVITY_TYPES, blank=True)
    is_sme = models.BooleanField(_("SME"), null=True)
    side = models.CharField(_("side"), max_length=5, choices=EVIDENCE_SIDES, db_index=True)
    side_basis = models.CharField(_("side derived from"), max_length=12, choices=SIDE_BASES)
    # A hashed FP7 id that resolution found to be the same organisation as a PIC.
    same_as = models.ForeignKey(
        "self", verbose_name=_("same as"), null=True, blank=True, on_delete=models.SET_NULL, related_name="aliases"
    )
    # 2 = an organisation file (lookup, official export); 1 = names seen in participations only.
    source_rank = models.PositiveSmallIntegerField(default=1)
    row_hash = models.CharField(max_length=32)

    class Meta:
        db_table = "evidence_organisation"
        verbose_name = _("CORDIS organisation")
        verbose_name_plural = _("CORDIS organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["country", "side"], name="evidence_org_country_side")]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The short name where CORDIS has a usable one (IMEC, KU Leuven, TNO), else the name."""
        short = self.short_name.strip()
        if 2 <= len(short) <= SHORT_NAME_MAX and short.casefold() != self.name.casefold():
            return short
        return self.name


class Project(models.Model):
    """One EU-funded project (FP7, Horizon 2020, Horizon Europe)."""

    key = models.CharField(_("key"), max_length=40, unique=True, help_text=_("FP7:rcn…, H2020:rcn…, HORIZON:<grant>"))
    framework = models.CharField(_("framework programme"), max_length=10, db_index=True)
    grant_id = models.CharField(_("grant agreement"), max_length=20, blank=True)
    rcn = models.CharField(_("CORDIS record number"), max_length=20, blank=True)
    acronym = models.CharField(_("acronym"), max_length=200, blank=True)
    title = models.TextField(_("title"), blank=True)
    objective = models.TextField(_("objective"), blank=True)
    start_on = models.DateField(_("start"), null=True, blank=True)
    end_on = models.DateField(_("end"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, help_text=_("start year, else call year"))
    total_cost = models.FloatField(_("total cost (€)"), null=True, blank=True)
    ec_max_contribution = models.FloatField(_("EU contribution (€)"), null=True, blank=True)
    programme = models.CharField(_("programme part"), max_length=200, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    funding_scheme = models.CharField(_("funding scheme"), max_length=100, blank=True)
    topics = models.TextField(_("topic codes"), blank=True)
    topic_title = models.TextField(_("topic title"), blank=True)
    euroscivoc = models.TextField(_("EuroSciVoc fields"), blank=True)
    brief_title = models.TextField(_("results brief title"), blank=True)
    brief_teaser = models.TextField(_("results brief teaser"), blank=True)
    row_hash = models.CharField(max_length=32)

    class Meta:
        db_table = "evidence_project"
        verbose_name = _("EU project")
        verbose_name_plural = _("EU projects")
        ordering = ["key"]
        indexes = [models.Index(fields=["year"], name="evidence_project_year")]

    def __str__(self) -> str:
        return self.acronym or self.key

    @property
    def display_title(self) -> str:
        """The title, else the results brief's or the call topic's (older rows often lack one)."""
        return self.title or self.brief_title or self.topic_title

    @property
    def cordis_url(self) -> str:
        """The project's page on CORDIS, where the grant agreement number is known."""
        return f"https://cordis.europa.eu/project/id/{self.grant_id}" if self.grant_id.isdigit() else ""


class Participation(models.Model):
    """An organisation taking part in a project, as listed in that project."""

    # No single-column indexes: the unique (project, organisation) and the index (organisation,
    # project) serve both directions, and every extra index slows the bulk load.
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participations", db_index=False)
    organisation = models.ForeignKey(
        CordisOrganisation, on_delete=models.CASCADE, related_name="participations", db_index=False
    )
    role = models.CharField(_("role"), max_length=30, blank=True)
    order = models.PositiveIntegerField(_("order"), null=True, blank=True)
    ec_contribution = models.FloatField(_("EU contribution (€)"), null=True, blank=True)
    name_as_listed = models.CharField(_("name as listed"), max_length=500, blank=True)
    city = models.CharField(_("city"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    nuts_code = models.CharField(_("NUTS code"), max_length=10, blank=True)
    activity_type = models.CharField(_("activity type"), max_length=3, choices=ACTIVITY_TYPES, blank=True)
    row_hash = models.CharField(max_length=32)

    class Meta:
        db_table = "evidence_participation"
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["project", "organisation"], name="evidence_participation_unique"),
        ]
        indexes = [models.Index(fields=["organisation", "project"], name="evidence_participation_org")]

    def __str__(self) -> str:
        return f"{self.organisation_id} in {self.project_id}"


class ImportedFile(models.Model):
    """A file whose rows are committed: a re-run skips it (resume) unless its content changed."""

    sha256 = models.CharField(max_length=64, unique=True)
    name = models.CharField(_("file"), max_length=300)
    kind = models.CharField(_("kind"), max_length=40)
    row_count = models.PositiveIntegerField(_("rows"))
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("imported CORDIS file")
        verbose_name_plural = _("imported CORDIS files")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return self.name


class ImportRun(models.Model):
    """One `import-cordis` run and its summary (rows read, inserted, updated, rejected)."""

    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=[("done", _("done")), ("refused", _("refused")), ("failed", _("failed"))],
    )
    files = models.JSONField(_("files"), default=list)
    summary = models.JSONField(_("summary"), default=dict)
    started_by = models.CharField(_("started by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("CORDIS import")
        verbose_name_plural = _("CORDIS imports")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.status}"


class OrganisationLink(models.Model):
    """An agenda organisation and a CORDIS organisation found (or confirmed) to be the same."""

    ACCEPTED, REVIEW, CONFIRMED, REJECTED = "accepted", "review", "confirmed", "rejected"
    STATUSES = [
        (ACCEPTED, _("accepted automatically")),
        (REVIEW, _("to review")),
        (CONFIRMED, _("confirmed")),
        (REJECTED, _("rejected")),
    ]
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="cordis_links")
    cordis = models.ForeignKey(CordisOrganisation, on_delete=models.CASCADE, related_name="agenda_links")
    status = models.CharField(_("status"), max_length=10, choices=STATUSES, db_index=True)
    score = models.FloatField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("organisation link")
        verbose_name_plural = _("organisation links")
        ordering = ["organisation__name", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "cordis"], name="evidence_link_unique"),
            models.CheckConstraint(name="evidence_link_score_range", condition=Q(score__gte=0) & Q(score__lte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} = {self.cordis}"


class ProjectTheme(models.Model):
    """A project classified into an agenda theme, with the score and what it rests on."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="theme_scores")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="cordis_projects")
    score = models.FloatField(_("score"))
    basis = models.JSONField(_("basis"), default=list)

    class Meta:
        verbose_name = _("project theme")
        verbose_name_plural = _("project themes")
        constraints = [models.UniqueConstraint(fields=["project", "theme"], name="evidence_project_theme_unique")]

    def __str__(self) -> str:
        return f"{self.project_id} → {self.theme_id}"


class ProjectEmbedding(models.Model):
    """A project's text as a multilingual sentence embedding (analytics.embeddings), kept while
    the text's fingerprint matches; written after each import for new and changed projects."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, primary_key=True, related_name="embedding")
    fingerprint = models.CharField(max_length=20)
    vector = models.BinaryField()

    class Meta:
        verbose_name = _("project embedding")
        verbose_name_plural = _("project embeddings")

    def __str__(self) -> str:
        return f"{self.project_id}: {self.fingerprint}"
