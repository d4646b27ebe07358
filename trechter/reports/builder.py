"""Build the agenda document (document.py) from the agenda's content (content.py).

Reads no database: everything comes in `AgendaContent`, so the three renderers and the
tests see exactly the same structure (tests/unit/test_report_document.py counts queries).
Texts are in the document's language; content without English shows the Dutch text with a
visible marker (document.Text.fallback)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import formats, translation
from django.utils.translation import gettext as _

from trechter import vocabulary
from trechter.agenda.templatetags.trechter import euros
from trechter.analytics import funnel
from trechter.reports import svg
from trechter.reports.content import DRAFT, PUBLISHED, AgendaContent, ProposalContent, ThemeContent
from trechter.reports.document import (
    Block,
    BulletList,
    Document,
    Facts,
    Figure,
    Inline,
    Paragraph,
    Section,
    Table,
    Text,
)

KINDS = ("cooperation", "project")
SIDE_CODES = {"NL": "NL", "VL": "VL", "BE_OTHER": "BE", "OTHER": ""}


def text(nl: str | None, en: str | None, english: bool) -> Text:
    """The English text for English readers when there is one, else the Dutch, marked."""
    nl, en = (nl or "").strip(), (en or "").strip()
    if english and en:
        return Text(en)
    return Text(nl, fallback=english and bool(nl))


def euro_range(low: int, high: int) -> str:
    return euros(low) if low == high else f"{euros(low)} – {euros(high)}"


def build_document(content: AgendaContent, *, language: str) -> Document:
    """The whole agenda document of `content` in `language` ("nl" or "en")."""
    with translation.override(language):
        return _Builder(content, language == "en").document(language)


class _Builder:
    def __init__(self, content: AgendaContent, english: bool):
        self.content = content
        self.english = english
        self.kinds = {key: str(label) for key, label in vocabulary.PROPOSAL_KINDS}
        self.roles = {key: str(label) for key, label in vocabulary.PARTY_ROLES}
        self.states = {key: str(label) for key, label in vocabulary.INSTRUMENT_STATES}
        self.by_theme: dict[str, list[ProposalContent]] = defaultdict(list)
        for proposal in content.proposals:
            self.by_theme[proposal.theme].append(proposal)
        self.titles = {p.key: self.title(p) for p in content.proposals}

    # ------------------------------------------------------------------ helpers

    def text(self, nl: str | None, en: str | None) -> Text:
        return text(nl, en, self.english)

    def name(self, theme: ThemeContent) -> Text:
        return self.text(theme.values.get("name_nl"), theme.values.get("name_en"))

    def title(self, proposal: ProposalContent) -> Text:
        return self.text(proposal.values.get("title_nl"), proposal.values.get("title_en"))

    def overview_label(self, proposal: ProposalContent) -> Text:
        """As overview_table(): the seed's label; in English the English title, else the label."""
        label = proposal.overview_label_nl or proposal.values.get("title_nl")
        return self.text(label, proposal.values.get("title_en"))

    def organisation(self, key: str) -> str:
        organisation = self.content.organisations.get(key)
        if organisation is None:
            return key  # deleted since the version was published: its key is all we have
        side = SIDE_CODES.get(organisation.side, "")
        return f"{organisation.name} ({side})" if side else organisation.name

    def ordered(self, proposals: Iterable[ProposalContent], kind: str) -> list[tuple[ProposalContent, int]]:
        """Proposals of `kind` in the overview table's order, then by title; each followed by
        its parts (the seed's nesting), with their depth."""
        of_kind = sorted(
            (p for p in proposals if p.values.get("kind") == kind),
            key=lambda p: (
                p.overview_order is None,
                p.overview_order or 0,
                (p.values.get("title_nl") or "").casefold(),
                p.key,
            ),
        )
        keys = {p.key for p in of_kind}
        children: dict[str, list[ProposalContent]] = defaultdict(list)
        for proposal in of_kind:
            if proposal.parent in keys:
                children[proposal.parent].append(proposal)  # type: ignore[index]
        rows: list[tuple[ProposalContent, int]] = []

        def add(proposal: ProposalContent, depth: int) -> None:
            rows.append((proposal, depth))
            for child in children[proposal.key]:
                add(child, depth + 1)

        for proposal in of_kind:
            if proposal.parent not in keys:
                add(proposal, 0)
        return rows

    # ------------------------------------------------------------------ document

    def document(self, language: str) -> Document:
        content, agenda = self.content, self.content.agenda
        title = agenda.title_en if self.english else agenda.title_nl
        sections = (
            self.history(),
            self.thematic(),
            self.topics(),
            self.conclusions(),
            *self.annexes(),
        )
        notes: tuple[str, ...] = ()
        if self.english:
            notes = (_("Texts marked [NL] have no English version yet: the Dutch text is shown."),)
        return Document(
            language=language,
            title=title,
            subtitle=_("The agenda document, generated from the data"),
            title_lines=self.title_lines(),
            sections=sections,
            file_stem=f"trechter-agenda-{self.edition_tag()}-{language}",
            is_draft=content.edition == DRAFT,
            notes=notes,
        )

    def edition_tag(self) -> str:
        content = self.content
        if content.edition == DRAFT:
            return "draft"
        if content.version is None:
            return PUBLISHED
        return f"v{content.version.number}"

    def title_lines(self) -> tuple[str, ...]:
        content = self.content
        presented = formats.date_format(content.agenda.presented_on, "j F Y")
        lines = [_("Presented on %(date)s.") % {"date": presented}]
        version = content.version
        if content.edition == DRAFT:
            if version is None:
                lines.append(_("Draft: no version is open, so this is the published content."))
            else:
                lines.append(_("Draft of version %(n)s: not published; it may still change.") % {"n": version.number})
        elif version is not None and version.published_at is not None:
            when = formats.date_format(translation_local(version.published_at), "j F Y")
            lines.append(_("Version %(n)s, published %(when)s") % {"n": version.number, "when": when})
        lines.append(_("Language: %(language)s") % {"language": _("English") if self.english else _("Dutch")})
        return tuple(lines)

    # ------------------------------------------------------------------ chapter 1

    def history(self) -> Section:
        agenda = self.content.agenda
        intro = (agenda.introduction_en if self.english else "") or agenda.introduction_nl
        fallback = self.english and not agenda.introduction_en
        paragraphs = tuple(
            Paragraph(Text(" ".join(chunk.split()), fallback)) for chunk in intro.split("\n\n") if chunk.strip()
        )
        meetings = Table(
            key="meetings",
            caption=_("Meetings"),
            header=(_("Date"), _("Place"), _("Group"), _("Meeting")),
            rows=tuple(
                (
                    formats.date_format(m.held_on, "j F Y"),
                    m.place,
                    self.text(m.group.name_nl, m.group.name_en),
                    self.text(m.title_nl, m.title_en),
                )
                for m in self.content.meetings
            ),
        )
        versions = Table(
            key="versions",
            caption=_("Published versions"),
            header=(_("Version"), _("Published on"), _("Release note")),
            rows=tuple(
                (
                    str(v.number),
                    formats.date_format(translation_local(v.published_at), "j F Y") if v.published_at else "",
                    v.note or "—",
                )
                for v in self.content.published_versions
            ),
            numeric=(0,),
        )
        return Section(
            "history",
            "1",
            _("Introduction and history"),
            (
                Section("introduction", "1.1", _("Introduction"), paragraphs, level=2),
                Section("meetings", "1.2", _("Meetings"), (meetings,), level=2),
                Section("versions", "1.3", _("Versions of this agenda"), (versions,), level=2),
            ),
        )

    # ------------------------------------------------------------------ chapter 2

    def thematic(self) -> Section:
        overview = Section(
            "overview",
            "2.1",
            _("Overview of the thematic cooperation and project proposals"),
            (self.overview_table(), self.figures_table()),
            level=2,
        )
        themes = tuple(self.theme(theme, f"2.{n}") for n, theme in enumerate(self.content.themes, start=2))
        return Section("themes", "2", _("Thematic agendas"), (overview, *themes))

    def overview_table(self) -> Table:
        """Section 2.1: per theme its cooperation and project proposals with their TRL, in the
        table's order; the theme and the kind are written on their first row only."""
        rows: list[tuple[Inline, ...]] = []
        for theme in self.content.themes:
            listed = sorted(
                (p for p in self.by_theme[theme.key] if p.overview_order is not None),
                key=lambda p: p.overview_order or 0,
            )
            first_of_theme = True
            for kind in KINDS:
                first_of_kind = True
                for proposal in (p for p in listed if p.values.get("kind") == kind):
                    rows.append(
                        (
                            self.name(theme) if first_of_theme else "",
                            self.kinds[kind] if first_of_kind else "",
                            self.overview_label(proposal),
                            proposal.model().trl_label or "—",
                        )
                    )
                    first_of_theme = first_of_kind = False
        return Table(
            key="overview",
            caption=_("Overview of the thematic cooperation and project proposals"),
            header=(_("Theme"), _("Kind"), _("Proposal"), "TRL"),
            rows=tuple(rows),
        )

    def figures(self, theme: ThemeContent) -> tuple[int, int, str]:
        """(cooperation count, project count, budget total) of a theme's own proposals."""
        own = self.by_theme[theme.key]
        counts = [sum(1 for p in own if p.values.get("kind") == kind) for kind in KINDS]
        ranges = [r for r in (p.model().budget_total_range for p in own) if r]
        total = euro_range(sum(r[0] for r in ranges), sum(r[1] for r in ranges)) if ranges else "—"
        return counts[0], counts[1], total

    def figures_table(self) -> Table:
        rows: list[tuple[Inline, ...]] = []
        totals = [0, 0]
        for theme in self.content.themes:
            cooperation, projects, budget = self.figures(theme)
            totals[0] += cooperation
            totals[1] += projects
            rows.append((self.name(theme), str(cooperation), str(projects), budget))
        ranges = [r for r in (p.model().budget_total_range for p in self.content.proposals) if r]
        budget = euro_range(sum(r[0] for r in ranges), sum(r[1] for r in ranges)) if ranges else "—"
        rows.append((_("Total"), str(totals[0]), str(totals[1]), budget))
        return Table(
            key="figures",
            caption=_("Proposals and budgets per theme (the sum of the proposals' total budgets)"),
            header=(_("Theme"), _("Cooperation proposals"), _("Project proposals"), _("Budget")),
            rows=tuple(rows),
            numeric=(1, 2, 3),
        )

    def theme(self, theme: ThemeContent, number: str) -> Section:
        content = self.content
        leads = content.leads.get(theme.key, [])
        lead_lines = []
        for side, label in (("NL", _("Netherlands")), ("VL", _("Flanders"))):
            names = [
                ", ".join(part for part in (lead.person.name if lead.person else "", self.lead_org(lead)) if part)
                + f" ({lead.get_role_display()})"
                for lead in leads
                if lead.side in (side, "BOTH")
            ]
            lead_lines.append((label, tuple(names) or (_("Not named in the source."),)))
        subs = content.sub_priorities.get(theme.key, [])
        own = self.by_theme[theme.key]
        blocks: list[Block] = [
            Section(
                f"{theme.key}-aim",
                "",
                _("Aim"),
                tuple(
                    Paragraph(Text(" ".join(chunk.split()), piece.fallback))
                    for piece in [self.text(theme.values.get("aim_nl"), theme.values.get("aim_en"))]
                    for chunk in piece.value.split("\n\n")
                    if chunk.strip()
                ),
                level=3,
            ),
            Section(f"{theme.key}-leads", "", _("Leads and penholders"), (Facts(tuple(lead_lines)),), level=3),
            Section(
                f"{theme.key}-sub-priorities",
                "",
                _("sub-priorities").capitalize(),
                (BulletList(tuple(self.text(s.title_nl, s.title_en) for s in subs), ordered=True),)
                if subs
                else (Paragraph(_("The source lists no sub-priorities for this theme."), "note"),),
                level=3,
            ),
            Section(f"{theme.key}-funnel", "", _("Funnel"), (self.funnel_figure(theme),), level=3),
        ]
        headings = {"cooperation": _("Cooperation proposals"), "project": _("Project proposals")}
        for kind in KINDS:
            rows = self.ordered(own, kind)
            proposals: tuple[Block, ...] = tuple(self.proposal(p, depth) for p, depth in rows) or (
                Paragraph(_("None in the source."), "note"),
            )
            blocks.append(Section(f"{theme.key}-{kind}", "", headings[kind], proposals, level=3))
        return Section(f"theme-{theme.key}", number, self.name(theme), tuple(blocks), level=2)

    def lead_org(self, lead: Any) -> str:
        return lead.organisation.name if lead.organisation else ""

    def proposal(self, proposal: ProposalContent, depth: int) -> Section:
        model = proposal.model()
        facts: list[tuple[str, tuple[Inline, ...]]] = [
            (_("Kind"), (self.kinds.get(proposal.values.get("kind") or "", ""),)),
            ("TRL", (model.trl_label or "—",)),
            (_("Status"), (str(model.get_status_display()),)),
        ]
        if proposal.parent and proposal.parent in self.titles:
            facts.append((_("Part of"), (self.titles[proposal.parent],)))
        stages = dict(vocabulary.VALUE_CHAIN_STAGES)
        if model.value_chain:
            facts.append((_("Value chain"), (", ".join(str(stages.get(s, s)) for s in model.value_chain),)))
        budget = model.budget_total_range
        if budget:
            facts.append((_("Budget"), (euro_range(*budget),)))
        elif proposal.budget_text_nl:
            facts.append((_("Budget"), (self.text(proposal.budget_text_nl, ""),)))
        if model.duration_months:
            facts.append((_("Duration"), (_("%(n)s months") % {"n": model.duration_months},)))
        if model.planned_start:
            facts.append((_("Planned start"), (model.planned_start,)))
        parties = tuple(
            f"{self.organisation(org)} – {self.roles.get(role, role)}"
            for org, role in sorted(proposal.parties, key=lambda pair: self.organisation(pair[0]).casefold())
        )
        facts.append((_("Parties"), parties or (_("None named."),)))
        instruments = tuple(
            f"{self.instrument(key)} – {self.states.get(state, state)}" for key, state in proposal.instruments
        )
        if instruments:
            facts.append((_("Funding instruments"), instruments))
        summary = self.text(proposal.values.get("summary_nl"), proposal.values.get("summary_en"))
        blocks: list[Block] = [Facts(tuple(facts))]
        if summary.value:
            blocks.append(Paragraph(summary))
        return Section(f"proposal-{proposal.key}", "", self.titles[proposal.key], tuple(blocks), level=4)

    def instrument(self, key: str) -> str:
        instrument = self.content.instruments.get(key)
        if instrument is None:
            return key
        return (instrument.name_en if self.english else "") or instrument.name

    # ------------------------------------------------------------------ the funnel

    def funnel_figure(self, theme: ThemeContent) -> Figure:
        chart = self.theme_funnel(theme)
        name = self.name(theme).value
        title = _("Funnel of %(theme)s") % {"theme": name}
        proposal, activity = _("proposal").capitalize(), _("activity").capitalize()
        legend = [
            ("proposal", "NL", f"{proposal} NL"),
            ("proposal", "VL", f"{proposal} VL"),
            ("proposal", "BOTH", f"{proposal} NL + VL"),
            ("proposal", "", _("no Dutch or Flemish party named")),
            ("activity", "NL", f"{activity} NL"),
            ("activity", "VL", f"{activity} VL"),
            ("activity", "BOTH", f"{activity} NL + VL"),
        ]
        width, height = svg.size(chart)
        return Figure(
            key=f"funnel-{theme.key}",
            caption=title,
            svg=svg.funnel_svg(chart, chart_id=f"funnel-{theme.key}", title=title, legend=legend),
            width=width,
            height=height,
        )

    def theme_funnel(self, theme: ThemeContent) -> funnel.Funnel:
        """The theme's funnel as its web page draws it (trechter/agenda/funnel.py), from this
        content: own and shared proposals, the theme's activities and actors."""
        proposals = [p for p in self.content.proposals if p.theme == theme.key or theme.key in p.other_themes]
        proposals.sort(
            key=lambda p: (
                p.overview_order is None,
                p.overview_order or 0,
                (p.values.get("title_nl") or "").casefold(),
                p.key,
            )
        )
        activities = self.content.activities.get(theme.key, [])
        actors = self.content.actors.get(theme.key, [])
        stage_names = dict(vocabulary.VALUE_CHAIN_STAGES)
        items = [self.proposal_item(p, stage_names) for p in proposals]
        activity_items = [self.activity_item(a, stage_names) for a in activities]
        groups = (
            funnel.Group("proposal", _("Proposals"), tuple(items)),
            funnel.Group("activity", _("Activities"), tuple(activity_items)),
        )
        band_labels = {key: str(label) for key, label in vocabulary.BANDS}
        stage_labels = {key: str(label) for key, label in vocabulary.VALUE_CHAIN_STAGES}
        return funnel.build_funnel(groups, self.presences(proposals, activities, actors), band_labels, stage_labels)

    def side(self, organisation_key: str) -> str:
        organisation = self.content.organisations.get(organisation_key)
        return organisation.side if organisation else ""

    def proposal_item(self, proposal: ProposalContent, stage_names: dict[str, Any]) -> funnel.Item:
        values = proposal.values
        if self.english:
            label = values.get("title_en") or proposal.overview_label_nl or values.get("title_nl") or ""
        else:
            label = proposal.overview_label_nl or values.get("title_nl") or ""
        stages = tuple(values.get("value_chain") or ())
        return funnel.Item(
            key=proposal.key,
            label=" ".join(label.split()),
            kind="proposal",
            sides=frozenset(self.side(org) for org, _role in proposal.parties) & set(funnel.SIDES),
            trl_from=values.get("trl_from"),
            trl_to=values.get("trl_to"),
            value_chain=stages,
            stage_labels=tuple(str(stage_names.get(s, s)) for s in stages),
        )

    def activity_item(self, activity: Any, stage_names: dict[str, Any]) -> funnel.Item:
        flat = " ".join(((activity.text_en if self.english else "") or activity.text_nl).split())
        sides = {"NL": {"NL"}, "VL": {"VL"}, "BOTH": {"NL", "VL"}}.get(activity.side, set())
        return funnel.Item(
            key=activity.key,
            label=funnel.short_label(flat),
            kind="activity",
            sides=frozenset(sides),
            trl_from=activity.trl_from,
            trl_to=activity.trl_to,
            value_chain=tuple(activity.value_chain),
            stage_labels=tuple(str(stage_names.get(s, s)) for s in activity.value_chain),
        )

    def presences(
        self, proposals: Sequence[ProposalContent], activities: Sequence[Any], actors: Sequence[Any]
    ) -> list[funnel.Presence]:
        """Who is active where, counted as trechter/agenda/funnel.py _presences counts."""
        found: list[funnel.Presence] = []
        for proposal in proposals:
            values = proposal.values
            for org, _role in proposal.parties:
                found.append(
                    funnel.Presence(
                        f"org:{org}",
                        self.side(org),
                        values.get("trl_from"),
                        values.get("trl_to"),
                        tuple(values.get("value_chain") or ()),
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

    # ------------------------------------------------------------------ chapters 3, 4

    def topics(self) -> Section:
        sections: list[Block] = []
        for n, topic in enumerate(self.content.topics, start=1):
            themes = tuple(self.text(t.name_nl, t.name_en) for t in topic.themes.all())
            blocks: list[Block] = []
            if topic.description_nl:
                blocks.append(Paragraph(self.text(topic.description_nl, "")))
            blocks.append(Facts(((_("Themes"), themes or ("—",)),)))
            sections.append(
                Section(
                    f"topic-{topic.key}", f"3.{n}", self.text(topic.title_nl, topic.title_en), tuple(blocks), level=2
                )
            )
        offset = len(sections)
        answers = {True: _("yes"), False: _("no"), None: "—"}
        for n, view in enumerate(self.content.assessments, start=offset + 1):
            assessment = view.assessment
            subject = assessment.subject_topic or assessment.subject_theme
            subject_name = (
                self.text(subject.title_nl, subject.title_en)  # type: ignore[union-attr]
                if assessment.subject_topic
                else self.text(subject.name_nl, subject.name_en)  # type: ignore[union-attr]
            )
            facts = Facts(
                (
                    (_("Subject"), (subject_name,)),
                    (_("Assessed by"), (assessment.assessed_by,)),
                    (
                        _("Assessed on"),
                        (formats.date_format(assessment.assessed_on, "j F Y") if assessment.assessed_on else "—",),
                    ),
                )
            )
            table = Table(
                key=f"assessment-{assessment.key}",
                caption=_("Criteria assessment"),
                header=(_("Criterion"), _("Present"), _("Note")),
                rows=tuple(
                    (
                        Text(
                            "\u2003" * row.depth + self.text(row.criterion.text_nl, row.criterion.text_en).value,
                            self.english and not row.criterion.text_en,
                        ),
                        answers[row.finding.present] if row.finding else "—",
                        self.text(row.finding.note_nl, "") if row.finding and row.finding.note_nl else "",
                    )
                    for row in view.rows
                ),
            )
            title = self.text(assessment.title_nl, "")
            sections.append(Section(f"assessment-{assessment.key}", f"3.{n}", title, (facts, table), level=2))
        if not sections:
            sections.append(Paragraph(_("None in the source."), "note"))
        return Section("topics", "3", _("Cross-theme topics"), tuple(sections))

    def conclusions(self) -> Section:
        agenda = self.content.agenda
        english = self.english and bool(agenda.conclusions_en)
        items = agenda.conclusions_en if english else agenda.conclusions_nl
        fallback = self.english and not english
        listed: tuple[Block, ...] = (
            (BulletList(tuple(Text(" ".join(str(i).split()), fallback) for i in items), ordered=True),)
            if items
            else (Paragraph(_("No conclusions yet."), "note"),)
        )
        return Section("conclusions", "4", _("Conclusions and recommendations"), listed)

    # ------------------------------------------------------------------ annexes

    def annexes(self) -> tuple[Section, ...]:
        content = self.content
        group = content.stakeholder_group
        side_sections: list[Block] = []
        for side in content.stakeholders:
            members = tuple(
                (
                    member.membership.person.name,
                    member.listed_as
                    or (member.membership.organisation.name if member.membership.organisation else "—"),
                    member.role or "",
                )
                for member in side.members
            )
            side_sections.append(
                Table(
                    key=f"stakeholders-{side.side or 'none'}",
                    caption=side.label or _("Without organisation"),
                    header=(_("Name"), _("Organisation"), _("Role")),
                    rows=members,
                )
            )
        stakeholders = Section(
            "annex-stakeholders",
            _("Annex %(n)s") % {"n": 1},
            self.text(group.name_nl, group.name_en) if group else _("Stakeholder group"),
            tuple(side_sections) or (Paragraph(_("None in the source."), "note"),),
        )
        trl = Section(
            "annex-trl",
            _("Annex %(n)s") % {"n": 2},
            _("TRL levels"),
            (
                Table(
                    key="trl-levels",
                    caption=_("Technology Readiness Levels"),
                    header=("TRL", _("Description")),
                    rows=tuple(
                        (str(level.level), self.text(level.text_nl, level.text_en)) for level in content.trl_levels
                    ),
                    numeric=(0,),
                ),
            ),
        )
        rows: list[tuple[Inline, ...]] = []

        def walk(nodes: Sequence[Any], prefix: str) -> None:
            for n, node in enumerate(nodes, start=1):
                number = f"{prefix}{n}"
                rows.append((number, self.text(node.criterion.text_nl, node.criterion.text_en)))
                walk(node.children, f"{number}.")

        walk(content.criteria, "")
        criteria = Section(
            "annex-criteria",
            _("Annex %(n)s") % {"n": 3},
            _("Criteria list"),
            (Table(key="criteria", caption=_("Criteria list"), header=(_("No."), _("Criterion")), rows=tuple(rows)),),
        )
        return stakeholders, trl, criteria


def translation_local(moment: Any) -> Any:
    """A stored datetime in the site's time zone, so dates do not shift at midnight UTC."""
    from django.utils import timezone

    return timezone.localtime(moment) if timezone.is_aware(moment) else moment
