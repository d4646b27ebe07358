"""Read-only questions about the agenda: the overview table of section 2.1, the integrity report."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Q, QuerySet

from trechter.actors.models import Organisation
from trechter.agenda.models import Agenda, Party, Proposal, Theme, TrlLevel
from trechter.funding.models import Instrument


@dataclass(frozen=True)
class OverviewRow:
    theme_key: str
    theme_nl: str
    theme_en: str
    cooperation: list[str]
    projects: list[str]
    cooperation_en: list[str]  # English titles where the data has them, else the Dutch label
    projects_en: list[str]


def overview_table() -> list[OverviewRow]:
    """Themes × cooperation proposals × project proposals, as in the table of section 2.1.

    One query for the themes and one for the listed proposals, whatever the number of themes.
    """
    listed = (
        Proposal.objects.filter(overview_order__isnull=False)
        .only("theme_id", "kind", "overview_order", "overview_label_nl", "title_en")
        .order_by("overview_order")
    )
    themes = Theme.objects.order_by("order").prefetch_related(Prefetch("proposals", queryset=listed, to_attr="listed"))
    rows = []
    for theme in themes:
        cooperation = [p for p in theme.listed if p.kind == "cooperation"]  # type: ignore[attr-defined]
        projects = [p for p in theme.listed if p.kind == "project"]  # type: ignore[attr-defined]
        rows.append(
            OverviewRow(
                theme_key=theme.key,
                theme_nl=theme.name_nl,
                theme_en=theme.name_en,
                cooperation=[p.overview_label_nl for p in cooperation],
                projects=[p.overview_label_nl for p in projects],
                cooperation_en=[p.title_en or p.overview_label_nl for p in cooperation],
                projects_en=[p.title_en or p.overview_label_nl for p in projects],
            )
        )
    return rows


@dataclass
class IntegrityReport:
    """Problems found, grouped by check; empty lists mean the check passed."""

    checks: dict[str, list[str]] = field(default_factory=dict)

    @property
    def problem_count(self) -> int:
        return sum(len(items) for items in self.checks.values())


INTERREG_BAND = (4, 6)


def integrity_report() -> IntegrityReport:
    """Check the stored agenda for what the database cannot forbid on its own."""
    report = IntegrityReport()
    # The database's check constraints forbid these; the report still looks, for databases
    # restored from elsewhere or written with the constraints switched off.
    bad_trl = Proposal.objects.filter(
        (Q(trl_from__isnull=True) ^ Q(trl_to__isnull=True))
        | Q(trl_from__lt=1)
        | Q(trl_from__gt=9)
        | Q(trl_to__lt=1)
        | Q(trl_to__gt=9)
        | Q(trl_from__gt=F("trl_to"))
    ).order_by("key")
    report.checks["invalid TRL ranges"] = [f"{p.key}: TRL {p.trl_from}–{p.trl_to}" for p in bad_trl]
    report.checks["project proposals in TRL 4–6 without parties on both sides"] = _one_sided_projects()
    report.checks["proposals without source"] = list(
        Proposal.objects.filter(source="").order_by("key").values_list("key", flat=True)
    )
    report.checks["organisations without side"] = list(
        Organisation.objects.filter(Q(side="") | Q(side__isnull=True)).order_by("key").values_list("key", flat=True)
    )
    return report


def _one_sided_projects() -> list[str]:
    """Project proposals overlapping TRL 4–6 (the Interreg band of the funnel figure) whose
    parties — theirs or their sub-proposals' — do not include both an NL and a VL organisation."""
    low, high = INTERREG_BAND
    projects = (
        Proposal.objects.filter(kind="project", trl_from__lte=high, trl_to__gte=low)
        .prefetch_related(
            Prefetch("parties", queryset=Party.objects.select_related("organisation")),
            Prefetch("children__parties", queryset=Party.objects.select_related("organisation")),
        )
        .order_by("key")
    )
    found = []
    for project in projects:
        parties = list(project.parties.all())
        for child in project.children.all():
            parties.extend(child.parties.all())
        sides = {party.organisation.side for party in parties}
        missing = [side for side in ("NL", "VL") if side not in sides]
        if not parties:
            found.append(f"{project.key}: no parties named")
        elif missing:
            found.append(f"{project.key}: no party from {' or '.join(missing)}")
    return found


def headline_counts() -> dict[str, int]:
    """Numbers for the front page."""
    from trechter.actors.models import Person

    return {
        "themes": Theme.objects.count(),
        "cooperation": Proposal.objects.filter(kind="cooperation").count(),
        "projects": Proposal.objects.filter(kind="project").count(),
        "organisations": Organisation.objects.count(),
        "people": Person.objects.count(),
    }


def theme_cards(agenda: Agenda) -> QuerySet[Theme]:
    """The agenda's themes with their proposal counts per kind, in one query."""
    # Explicit order: Django drops Meta.ordering from queries with GROUP BY.
    return (
        Theme.objects.filter(agenda=agenda)
        .annotate(
            cooperation_count=Count("proposals", filter=Q(proposals__kind="cooperation")),
            project_count=Count("proposals", filter=Q(proposals__kind="project")),
        )
        .order_by("order")
    )


@dataclass(frozen=True)
class LevelRow:
    level: TrlLevel
    instruments: list[Instrument]


def trl_levels_with_instruments() -> tuple[list[LevelRow], int]:
    """TRL 1–9, each with the instruments whose TRL range covers it, and how many instruments
    have no TRL range in the seed. Two queries."""
    instruments = list(Instrument.objects.order_by("name"))
    ranged = [i for i in instruments if i.trl_from is not None and i.trl_to is not None]
    rows = [
        LevelRow(level, [i for i in ranged if i.trl_from <= level.level <= i.trl_to])  # type: ignore[operator]
        for level in TrlLevel.objects.order_by("level")
    ]
    return rows, len(instruments) - len(ranged)
