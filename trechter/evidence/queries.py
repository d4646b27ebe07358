"""Reads of the evidence: the Dutch and Belgian participations as plain data for analytics.network,
an organisation's projects, the import status."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Q, Sum

from trechter.analytics import network
from trechter.evidence.models import (
    CordisOrganisation,
    ImportRun,
    OrganisationLink,
    Participation,
    Project,
    ProjectTheme,
)

# The sides the cross-border views look at: the Netherlands and all of Belgium (its regions
# are told apart by side; "BE" is Belgian with the region unknown).
NEAR_SIDES = ("NL", "VL", "BRU", "WAL", "BE")
ROLE_OF_ACTIVITY = {"REC": "research", "HES": "research", "PRC": "industry", "PUB": "public"}
VISIBLE_LINKS = (OrganisationLink.ACCEPTED, OrganisationLink.CONFIRMED)


def near_participations(*, of_organisations: list[int] | None = None) -> list[network.Participation]:
    """Every participation of a Dutch or Belgian organisation, with its project's themes;
    only in the projects of `of_organisations` (primary keys) when given.

    A hashed FP7 id resolved to a PIC counts as that PIC (`same_as`), so one organisation is
    one node. One query for the rows, one for the themes.
    """
    themes = _project_themes()
    params: list[str | int] = list(NEAR_SIDES)
    only = ""
    if of_organisations is not None:
        placeholders = ", ".join(["%s"] * len(of_organisations)) or "NULL"
        # only placeholders are interpolated
        only = (
            "AND pa.project_id IN (SELECT project_id FROM evidence_participation"  # noqa: S608
            f" WHERE organisation_id IN ({placeholders}))"
        )
        params += of_organisations
    sql = f"""
        SELECT p.key, COALESCE(canonical.org_id, o.org_id), COALESCE(canonical.side, o.side), p.year,
               COALESCE(canonical.activity_type, o.activity_type), pa.ec_contribution, p.id
        FROM evidence_participation pa
        JOIN evidence_organisation o ON o.id = pa.organisation_id
        LEFT JOIN evidence_organisation canonical ON canonical.id = o.same_as_id
        JOIN evidence_project p ON p.id = pa.project_id
        WHERE COALESCE(canonical.side, o.side) IN (%s, %s, %s, %s, %s) {only}
        ORDER BY p.key, pa.id
    """  # noqa: S608 (only placeholders are interpolated)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        network.Participation(
            project=key,
            organisation=org_id,
            side=side,
            year=year,
            themes=themes.get(project_id, frozenset()),
            role=ROLE_OF_ACTIVITY.get(activity or "", "other"),
            ec_contribution=contribution,
        )
        for key, org_id, side, year, activity, contribution, project_id in rows
    ]


def _project_themes() -> dict[int, frozenset[str]]:
    themes: dict[int, set[str]] = defaultdict(set)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pt.project_id, t.key FROM evidence_projecttheme pt JOIN agenda_theme t ON t.id = pt.theme_id"
        )
        for project_id, key in cursor.fetchall():
            themes[project_id].add(key)
    return {project_id: frozenset(keys) for project_id, keys in themes.items()}


@dataclass(frozen=True)
class Totals:
    project_count: int
    organisation_count: int
    participation_count: int
    last_import: ImportRun | None


def totals() -> Totals:
    return Totals(
        project_count=Project.objects.count(),
        organisation_count=CordisOrganisation.objects.count(),
        participation_count=Participation.objects.count(),
        last_import=ImportRun.objects.filter(status="done").first(),
    )


def data_years() -> set[int]:
    """The years in which the imported data has any project (the others are gaps in the source)."""
    return {year for year in Project.objects.exclude(year=None).values_list("year", flat=True).distinct() if year}


def organisation_projects(organisation: CordisOrganisation) -> list[Project]:
    """The organisation's projects (and those of ids resolved to it), newest first, with its
    EU contribution in each as `contribution`."""
    ids = [organisation.pk, *organisation.aliases.values_list("pk", flat=True)]
    return list(
        Project.objects.filter(participations__organisation__in=ids)
        .annotate(contribution=Sum("participations__ec_contribution", filter=Q(participations__organisation__in=ids)))
        .order_by("-year", "key")
    )


def organisation_names(org_ids: set[str]) -> dict[str, CordisOrganisation]:
    return {o.org_id: o for o in CordisOrganisation.objects.filter(org_id__in=org_ids)}


def agenda_organisation_links(organisation_key: str) -> list[OrganisationLink]:
    """The CORDIS records an agenda organisation is linked to (accepted or confirmed)."""
    return list(
        OrganisationLink.objects.filter(organisation__key=organisation_key, status__in=VISIBLE_LINKS)
        .select_related("cordis")
        .order_by("-score", "cordis__org_id")
    )


# ----------------------------------------------------------------------------- pages

LEFT, RIGHT = ("NL",), ("VL",)
FRAMEWORKS = ("FP7", "H2020", "HORIZON")
TOP_PAIRS = 15
PICTURE_SIZE = 60


@dataclass(frozen=True)
class NamedPair:
    left: CordisOrganisation
    right: CordisOrganisation
    project_count: int
    projects: tuple[str, ...]


@dataclass(frozen=True)
class ThemeEvidence:
    """What the EU projects say about one theme (or all, when theme_key is None)."""

    theme_key: str | None
    summary: network.NetworkSummary
    pairs: list[NamedPair]
    brokers: list[tuple[network.Broker, CordisOrganisation]]
    trend: list[network.YearPoint]
    picture: network.Picture
    names: dict[str, CordisOrganisation]
    gaps: list[network.Gap]


def evidence_stamp() -> str:
    """Changes whenever the evidence does: imports, classification, resolution."""
    last_run = ImportRun.objects.order_by("-pk").values_list("pk", "started_at").first() or (0, None)
    classified = ProjectTheme.objects.count()
    resolved = CordisOrganisation.objects.filter(same_as__isnull=False).count()
    started = int(last_run[1].timestamp() * 1e6) if last_run[1] else 0
    return f"{last_run[0]}.{started}-{classified}-{resolved}"


def theme_evidence(theme_key: str | None, theme_keys: list[str], years: tuple[int, int] | None = None) -> ThemeEvidence:
    """The NL–VL network of a theme (all themes when None), in the start years `years` (all
    when None): figures, top pairs, brokers, trend, picture, gaps. Cached under the evidence
    stamp; computing it takes a few hundred milliseconds."""
    span = f"{years[0]}-{years[1]}" if years else "*"
    key = f"evidence:theme:{theme_key or '*'}:{span}:{evidence_stamp()}"
    cached = cache.get(key)
    if cached is None:
        cached = _theme_evidence(theme_key, theme_keys, years)
        cache.set(key, cached, timeout=24 * 3600)
    return cached


_near: tuple[str, list[network.Participation]] | None = None


def _near_participations(stamp: str) -> list[network.Participation]:
    """near_participations(), kept per process until the evidence changes (0.4 s on the full data)."""
    global _near
    if _near is None or _near[0] != stamp:
        _near = (stamp, near_participations())
    return _near[1]


def theme_summaries(theme_keys: list[str], years: tuple[int, int] | None = None) -> dict[str, network.NetworkSummary]:
    """The figures of every theme's NL–VL network, for the overview (cached like theme_evidence)."""
    stamp = evidence_stamp()
    span = f"{years[0]}-{years[1]}" if years else "*"
    key = f"evidence:summaries:{','.join(theme_keys)}:{span}:{stamp}"
    cached = cache.get(key)
    if cached is None:
        parts = _near_participations(stamp)
        cached = {
            theme: network.summary(parts, left=LEFT, right=RIGHT, theme=theme, years=years) for theme in theme_keys
        }
        cache.set(key, cached, timeout=24 * 3600)
    return cached


def _theme_evidence(theme_key: str | None, theme_keys: list[str], years: tuple[int, int] | None) -> ThemeEvidence:
    parts = _near_participations(evidence_stamp())
    pairs = network.cross_border_pairs(parts, left=LEFT, right=RIGHT, theme=theme_key, years=years, limit=TOP_PAIRS)
    brokers = network.brokers(parts, left=LEFT, right=RIGHT, theme=theme_key, years=years, limit=10)
    picture = network.layout(parts, left=LEFT, right=RIGHT, theme=theme_key, years=years, limit=PICTURE_SIZE)
    wanted = {p.left for p in pairs} | {p.right for p in pairs} | {b.organisation for b in brokers}
    names = organisation_names(wanted | {node.id for node in picture.nodes})
    trend = network.trend(parts, left=LEFT, right=RIGHT, theme=theme_key)
    return ThemeEvidence(
        theme_key=theme_key,
        summary=network.summary(parts, left=LEFT, right=RIGHT, theme=theme_key, years=years),
        pairs=[NamedPair(names[p.left], names[p.right], p.project_count, p.projects) for p in pairs],
        brokers=[(b, names[b.organisation]) for b in brokers],
        trend=[p for p in trend if years is None or years[0] <= p.year <= years[1]],
        picture=picture,
        names=names,
        gaps=network.gaps(parts, left=LEFT, right=RIGHT, themes=[theme_key] if theme_key else theme_keys, years=years),
    )


PAIR_COLUMNS = (
    "dutch_org_id", "dutch_name", "dutch_city", "flemish_org_id", "flemish_name", "flemish_city",
    "joint_projects", "projects",
)  # fmt: skip


def all_pairs(theme_key: str | None, years: tuple[int, int] | None) -> list[tuple[object, ...]]:
    """Every NL–VL pair of a theme (all themes when None) in a period, most joint projects
    first, as rows of PAIR_COLUMNS; project keys are joined by spaces."""
    parts = _near_participations(evidence_stamp())
    pairs = network.cross_border_pairs(parts, left=LEFT, right=RIGHT, theme=theme_key, years=years)
    names = organisation_names({p.left for p in pairs} | {p.right for p in pairs})
    return [
        (
            p.left,
            names[p.left].name,
            names[p.left].city,
            p.right,
            names[p.right].name,
            names[p.right].city,
            p.project_count,
            " ".join(p.projects),
        )
        for p in pairs
    ]


@dataclass(frozen=True)
class FrameworkFigures:
    framework: str
    project_count: int
    contribution: float | None  # None: the data gives no contribution (FP7 rows)


@dataclass(frozen=True)
class OrganisationEvidence:
    organisation: CordisOrganisation
    projects: list[Project]
    partners: list[tuple[network.Partner, CordisOrganisation]]
    eu_contribution: float
    agenda_links: list[OrganisationLink]
    cross_border_projects: frozenset[str]  # keys of its projects with a partner across the border
    per_framework: list[FrameworkFigures]
    funding_by_year: dict[int, float | None]  # EUR received per start year; None: not in the data


def cordis_record(org_id: str) -> CordisOrganisation | None:
    """The CORDIS record with this id, with the record it is an alias of (same_as)."""
    return CordisOrganisation.objects.filter(org_id=org_id).select_related("same_as").first()


def organisation_evidence(organisation: CordisOrganisation) -> OrganisationEvidence:
    """An organisation's projects, its partners across the border and its EU funding."""
    projects = organisation_projects(organisation)
    other_side = RIGHT if organisation.side in LEFT else LEFT
    found = network.partners(_participations_with(organisation), organisation.org_id)
    across = [p for p in found if p.side in other_side]
    names = organisation_names({p.organisation for p in across})
    return OrganisationEvidence(
        organisation=organisation,
        projects=projects,
        partners=[(p, names[p.organisation]) for p in across],
        eu_contribution=sum(float(getattr(p, "contribution", None) or 0.0) for p in projects),
        agenda_links=list(organisation.agenda_links.filter(status__in=VISIBLE_LINKS).select_related("organisation")),
        cross_border_projects=frozenset(key for p in across for key in p.projects),
        per_framework=_per_framework(projects),
        funding_by_year=_funding_by_year(projects),
    )


def _per_framework(projects: list[Project]) -> list[FrameworkFigures]:
    counts: dict[str, int] = defaultdict(int)
    money: dict[str, float | None] = {}
    for project in projects:
        counts[project.framework] += 1
        contribution = project.contribution  # type: ignore[attr-defined]
        if contribution is not None:
            money[project.framework] = (money.get(project.framework) or 0.0) + float(contribution)
        else:
            money.setdefault(project.framework, None)
    order = {key: index for index, key in enumerate(FRAMEWORKS)}
    return [
        FrameworkFigures(framework, counts[framework], money[framework])
        for framework in sorted(counts, key=lambda f: order.get(f, len(order)))
    ]


def _funding_by_year(projects: list[Project]) -> dict[int, float | None]:
    """EU contribution received per start year; a year whose projects carry no contribution
    at all (FP7 rows) is None, not zero."""
    by_year: dict[int, float | None] = {}
    for project in projects:
        if project.year is None:
            continue
        contribution = project.contribution  # type: ignore[attr-defined]
        if contribution is None:
            by_year.setdefault(project.year, None)
        else:
            by_year[project.year] = (by_year.get(project.year) or 0.0) + float(contribution)
    return by_year


def _participations_with(organisation: CordisOrganisation) -> list[network.Participation]:
    """The near participations of the organisation's own projects (partners come from these)."""
    ids = [organisation.pk, *organisation.aliases.values_list("pk", flat=True)]
    return near_participations(of_organisations=ids)


def review_queue() -> list[OrganisationLink]:
    """Links waiting for a person's decision, best score first per agenda organisation."""
    return list(
        OrganisationLink.objects.filter(status=OrganisationLink.REVIEW)
        .select_related("organisation", "cordis")
        .order_by("organisation__name", "-score")
    )


def decided_links() -> list[OrganisationLink]:
    """Links decided by a person or accepted automatically, for the record."""
    return list(
        OrganisationLink.objects.exclude(status=OrganisationLink.REVIEW)
        .select_related("organisation", "cordis", "decided_by")
        .order_by("organisation__name", "-score")
    )
