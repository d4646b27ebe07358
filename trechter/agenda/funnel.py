"""Read-only questions for the theme page and the funnel views: ORM rows → the plain data
of trechter/analytics/funnel.py. A fixed number of queries, whatever the number of
proposals, activities, parties or themes (tests/integration/test_funnel_views.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from trechter import vocabulary
from trechter.agenda.models import (
    Activity,
    CrossThemeTopic,
    FunnelAnswer,
    FunnelQuestion,
    Party,
    Proposal,
    SubPriority,
    Theme,
    ThemeActor,
    ThemeLead,
)
from trechter.analytics import funnel
from trechter.funding import advice

DETAIL_LIMIT = 400


@dataclass(frozen=True)
class ProposalRow:
    """A proposal in the theme page's lists; `depth` 1 marks a part of the row above it."""

    proposal: Proposal
    depth: int
    is_shared: bool


@dataclass(frozen=True)
class BandAnswers:
    band: str
    label: str
    answers: tuple[FunnelAnswer, ...]


@dataclass(frozen=True)
class QuestionAnswers:
    question: FunnelQuestion
    bands: tuple[BandAnswers, ...]


@dataclass(frozen=True)
class ThemePage:
    theme: Theme
    leads_nl: tuple[ThemeLead, ...]
    leads_vl: tuple[ThemeLead, ...]
    sub_priorities: tuple[SubPriority, ...]
    topics: tuple[CrossThemeTopic, ...]
    cooperation: tuple[ProposalRow, ...]
    projects: tuple[ProposalRow, ...]
    questions: tuple[QuestionAnswers, ...]
    activities: tuple[Activity, ...]
    actors: tuple[ThemeActor, ...]
    funnel: funnel.Funnel
    instruments: tuple[advice.BandInstruments, ...]


@dataclass(frozen=True)
class ThemeSummary:
    """One theme's line in the overview of all funnels."""

    theme: Theme
    bands: tuple[funnel.Coverage, ...]
    stages: tuple[funnel.Coverage, ...]
    proposal_count: int
    activity_count: int

    @property
    def stage_gaps(self) -> tuple[funnel.Coverage, ...]:
        return tuple(stage for stage in self.stages if stage.is_gap)


@dataclass(frozen=True)
class FunnelOverview:
    themes: tuple[Theme, ...]
    selected: Theme | None
    funnel: funnel.Funnel
    summaries: tuple[ThemeSummary, ...]
    instruments: tuple[advice.BandInstruments, ...]

    @property
    def largest_count(self) -> int:
        """The scale of the summary's small presence bars: the largest band count of any theme."""
        counts = [count for s in self.summaries for band in s.bands for count in (band.nl_count, band.vl_count)]
        return max([1, *counts])


def _is_english(language: str) -> bool:
    return (language or "nl").startswith("en")


def _labels() -> tuple[dict[str, str], dict[str, str]]:
    """Band and value-chain labels in the active language, for analytics (which has no i18n)."""
    bands = {key: str(label) for key, label in vocabulary.BANDS}
    stages = {key: str(label) for key, label in vocabulary.VALUE_CHAIN_STAGES}
    return bands, stages


def _trl_bands() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in vocabulary.BANDS if key != "all"]


def _stage_labels(stages: Iterable[str]) -> tuple[str, ...]:
    names = dict(vocabulary.VALUE_CHAIN_STAGES)
    return tuple(str(names.get(stage, stage)) for stage in stages)


def _proposals() -> QuerySet[Proposal]:
    parties = Party.objects.select_related("organisation").order_by("organisation__name")
    return Proposal.objects.select_related("parent", "theme").prefetch_related(
        Prefetch("parties", queryset=parties), "other_themes"
    )


def _activities() -> QuerySet[Activity]:
    return Activity.objects.prefetch_related("organisations")


def _actors() -> QuerySet[ThemeActor]:
    return ThemeActor.objects.select_related("organisation").order_by("organisation__name")


def _proposal_item(proposal: Proposal, english: bool) -> funnel.Item:
    """A proposal's bar: its sides are those of the parties it names (none: grey)."""
    if english:
        label = proposal.title_en or proposal.overview_label_nl or proposal.title_nl
    else:
        label = proposal.overview_label_nl or proposal.title_nl
    title = (proposal.title_en if english else "") or proposal.title_nl
    return funnel.Item(
        key=proposal.key,
        label=" ".join(label.split()),
        kind="proposal",
        sides=frozenset(p.organisation.side for p in proposal.parties.all()) & set(funnel.SIDES),
        trl_from=proposal.trl_from,
        trl_to=proposal.trl_to,
        value_chain=tuple(proposal.value_chain),
        url=reverse("proposal", args=[proposal.key]),
        detail=" ".join(title.split()),
        status=str(proposal.get_status_display()),
        stage_labels=_stage_labels(proposal.value_chain),
    )


def _activity_item(activity: Activity, english: bool, theme_url: str) -> funnel.Item:
    """An activity's bar links to its row in the theme page's table: it has no page of its own."""
    text = " ".join(((activity.text_en if english else "") or activity.text_nl).split())
    sides = {"NL": {"NL"}, "VL": {"VL"}, "BOTH": {"NL", "VL"}}.get(activity.side, set())
    return funnel.Item(
        key=activity.key,
        label=funnel.short_label(text),
        kind="activity",
        sides=frozenset(sides),
        trl_from=activity.trl_from,
        trl_to=activity.trl_to,
        value_chain=tuple(activity.value_chain),
        url=f"{theme_url}#activity-{activity.key}",
        detail=funnel.fit_text(text, DETAIL_LIMIT, 1.0),
        stage_labels=_stage_labels(activity.value_chain),
    )


def _presences(
    proposals: Iterable[Proposal], activities: Iterable[Activity], actors: Iterable[ThemeActor]
) -> list[funnel.Presence]:
    """Who is active where: proposal parties and activity organisations over their item's TRL
    range and stages, theme actors over their own; an activity also stands for its side(s)
    when it names no organisation of that side, so "VL: imec's pilot line" counts for VL."""
    found: list[funnel.Presence] = []
    for proposal in proposals:
        for party in proposal.parties.all():
            organisation = party.organisation
            found.append(
                funnel.Presence(
                    f"org:{organisation.key}",
                    organisation.side,
                    proposal.trl_from,
                    proposal.trl_to,
                    tuple(proposal.value_chain),
                )
            )
    for activity in activities:
        named_sides = set()
        for organisation in activity.organisations.all():
            named_sides.add(organisation.side)
            found.append(
                funnel.Presence(
                    f"org:{organisation.key}",
                    organisation.side,
                    activity.trl_from,
                    activity.trl_to,
                    tuple(activity.value_chain),
                )
            )
        for side in {"NL": ["NL"], "VL": ["VL"], "BOTH": ["NL", "VL"]}.get(activity.side, []):
            if side not in named_sides:
                found.append(
                    funnel.Presence(
                        f"activity:{activity.key}",
                        side,
                        activity.trl_from,
                        activity.trl_to,
                        tuple(activity.value_chain),
                    )
                )
    for actor in actors:
        found.append(
            funnel.Presence(
                f"org:{actor.organisation.key}",
                actor.organisation.side,
                actor.trl_from,
                actor.trl_to,
                tuple(actor.value_chain),
            )
        )
    return found


def _items(
    proposals: Sequence[Proposal], activities: Sequence[Activity], english: bool, theme_url: str
) -> tuple[tuple[funnel.Item, ...], tuple[funnel.Item, ...]]:
    return (
        tuple(_proposal_item(proposal, english) for proposal in proposals),
        tuple(_activity_item(activity, english, theme_url) for activity in activities),
    )


def _proposal_rows(proposals: Sequence[Proposal], kind: str, theme: Theme) -> tuple[ProposalRow, ...]:
    """Proposals of one kind, each followed by its parts of the same kind (the seed's nesting)."""
    of_kind = [p for p in proposals if p.kind == kind]
    keys = {p.pk for p in of_kind}
    children: dict[int, list[Proposal]] = defaultdict(list)
    for proposal in of_kind:
        if proposal.parent_id in keys:
            children[proposal.parent_id].append(proposal)
    rows: list[ProposalRow] = []

    def add(proposal: Proposal, depth: int) -> None:
        rows.append(ProposalRow(proposal, depth, proposal.theme_id != theme.pk))
        for child in children[proposal.pk]:
            add(child, min(depth + 1, 2))

    for proposal in of_kind:
        if proposal.parent_id not in keys:
            add(proposal, 0)
    return tuple(rows)


def _questions(answers: Iterable[FunnelAnswer]) -> tuple[QuestionAnswers, ...]:
    """Every template question in order, with the theme's answers per band ("all" first)."""
    by_question: dict[int, dict[str, list[FunnelAnswer]]] = defaultdict(lambda: defaultdict(list))
    for answer in answers:
        by_question[answer.question_id][answer.band].append(answer)
    band_labels = dict(vocabulary.BANDS)
    result = []
    for question in FunnelQuestion.objects.order_by("order"):
        bands = by_question.get(question.pk, {})
        result.append(
            QuestionAnswers(
                question,
                tuple(
                    BandAnswers(band, str(band_labels[band]), tuple(bands[band]))
                    for band, _label in vocabulary.BANDS
                    if bands.get(band)
                ),
            )
        )
    return tuple(result)


def _sort_proposals(proposals: Iterable[Proposal]) -> list[Proposal]:
    """The overview table's order first (section 2.1), then the rest by Dutch title and key."""
    return sorted(
        proposals, key=lambda p: (p.overview_order is None, p.overview_order or 0, p.title_nl.casefold(), p.key)
    )


def theme_page(key: str, *, language: str) -> ThemePage | None:
    """Everything the theme page shows, in about a dozen queries; None for an unknown key."""
    theme = (
        Theme.objects.filter(key=key)
        .prefetch_related(
            Prefetch("leads", queryset=ThemeLead.objects.select_related("organisation", "person").order_by("pk")),
            "sub_priorities",
            Prefetch("cross_theme_topics", queryset=CrossThemeTopic.objects.order_by("title_nl")),
            Prefetch("activities", queryset=_activities().order_by("key")),
            Prefetch("actors", queryset=_actors()),
            Prefetch("funnel_answers", queryset=FunnelAnswer.objects.order_by("order", "pk")),
        )
        .first()
    )
    if theme is None:
        return None
    english = _is_english(language)
    # A proposal shared with this theme (other_themes) is on its funnel too.
    proposals = _sort_proposals(_proposals().filter(Q(theme=theme) | Q(other_themes=theme)).distinct())
    activities = list(theme.activities.all())
    actors = list(theme.actors.all())
    leads = list(theme.leads.all())
    proposal_items, activity_items = _items(proposals, activities, english, reverse("theme", args=[theme.key]))
    groups = (
        funnel.Group("proposal", _("Proposals"), proposal_items),
        funnel.Group("activity", _("Activities"), activity_items),
    )
    band_labels, stage_labels = _labels()
    return ThemePage(
        theme=theme,
        leads_nl=tuple(lead for lead in leads if lead.side in ("NL", "BOTH")),
        leads_vl=tuple(lead for lead in leads if lead.side in ("VL", "BOTH")),
        sub_priorities=tuple(theme.sub_priorities.all()),
        topics=tuple(theme.cross_theme_topics.all()),
        cooperation=_proposal_rows(proposals, "cooperation", theme),
        projects=_proposal_rows(proposals, "project", theme),
        questions=_questions(theme.funnel_answers.all()),
        activities=tuple(activities),
        actors=tuple(actors),
        funnel=funnel.build_funnel(groups, _presences(proposals, activities, actors), band_labels, stage_labels),
        instruments=advice.instruments_by_band(proposals, _trl_bands()),
    )


def funnel_overview(*, language: str, theme_key: str | None = None) -> FunnelOverview | None:
    """One funnel across all themes (or the one selected) plus a coverage summary per theme.

    Seven queries whatever the size of the agenda. Each proposal is drawn under its own theme
    only; a theme's summary also counts the proposals shared with it, like its theme page."""
    themes = list(Theme.objects.order_by("order"))
    selected = next((theme for theme in themes if theme.key == theme_key), None)
    if theme_key and selected is None:
        return None
    english = _is_english(language)
    proposals = _sort_proposals(_proposals())
    activities = list(_activities().order_by("key"))
    actors = list(_actors())
    band_labels, stage_labels = _labels()

    groups, summaries, presences, drawn = [], [], [], []
    for theme in themes:
        own = [p for p in proposals if p.theme_id == theme.pk]
        shared = [p for p in proposals if p.theme_id != theme.pk and theme in p.other_themes.all()]
        theme_activities = [a for a in activities if a.theme_id == theme.pk]
        theme_actors = [a for a in actors if a.theme_id == theme.pk]
        theme_presences = _presences(own + shared, theme_activities, theme_actors)
        summaries.append(
            ThemeSummary(
                theme,
                funnel.band_coverage(theme_presences, band_labels),
                funnel.stage_coverage(theme_presences, stage_labels),
                len(own) + len(shared),
                len(theme_activities),
            )
        )
        if selected is not None and theme != selected:
            continue
        theme_url = reverse("theme", args=[theme.key])
        proposal_items, activity_items = _items(own, theme_activities, english, theme_url)
        name = (theme.name_en if english else "") or theme.name_nl
        groups.append(funnel.Group(theme.key, name, proposal_items + activity_items, theme_url))
        drawn.extend(own)
        presences.extend(theme_presences)
    return FunnelOverview(
        themes=tuple(themes),
        selected=selected,
        funnel=funnel.build_funnel(groups, presences, band_labels, stage_labels),
        summaries=tuple(summaries),
        instruments=advice.instruments_by_band(drawn, _trl_bands()),
    )
