"""Load the seed data set into the database: validated first, in one transaction, idempotent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction

from trechter.actors.models import (
    Group,
    Meeting,
    MeetingParticipant,
    Membership,
    Organisation,
    OrganisationAlias,
    Person,
)
from trechter.agenda.models import (
    Activity,
    Agenda,
    CrossThemeTopic,
    FunnelAnswer,
    FunnelQuestion,
    Party,
    Proposal,
    ProposalInstrument,
    SubPriority,
    Theme,
    ThemeActor,
    ThemeLead,
    TrlLevel,
)
from trechter.assessment import actions as assessment_actions
from trechter.assessment.models import CriteriaAssessment, Criterion, CriterionFinding
from trechter.funding.models import Instrument
from trechter.search import actions as search
from trechter.seed import schema
from trechter.seed.dataset import DATA_DIR, Dataset, read_dataset
from trechter.seed.writer import LoadResult, Writer
from trechter.versions import actions as versions
from trechter.versions import stamps

AGENDA_KEY = "nl-vl-high-tech-2016"


def _trl(rng: schema.TrlRange | None) -> dict[str, Any]:
    if rng is None:
        return {"trl_from": None, "trl_to": None, "trl_basis": "stated", "trl_note": ""}
    return {"trl_from": rng.trl_from, "trl_to": rng.trl_to, "trl_basis": rng.basis.value, "trl_note": rng.note or ""}


def _stages(stages: list[schema.ValueChainStage]) -> list[str]:
    return [s.value for s in stages]


@transaction.atomic
def load_seed(*, folder: Path = DATA_DIR) -> LoadResult:
    """Validate the whole data set under `folder`, then upsert it by key in one transaction.

    Raises SeedError (nothing written) when any record is invalid. Running it twice leaves
    the same rows: records are matched by key, children of seed records are synchronised,
    and records that are not in the data set (created by users) are left alone.
    """
    dataset = read_dataset(folder)
    with stamps.renewed_once():
        return _load(dataset)


def _load(dataset: Dataset) -> LoadResult:
    result = LoadResult()
    writer = Writer(result)
    orgs = _load_organisations(dataset, writer)
    people = _load_people(dataset, writer, orgs)
    groups = _load_groups(dataset, writer, orgs, people)
    _load_meetings(dataset, writer, orgs, people, groups)
    agenda = _load_agenda(dataset, writer)
    themes = _load_themes(dataset, writer, agenda, orgs, people)
    instruments = {
        r.key: writer.upsert(
            Instrument,
            {"key": r.key},
            {
                "name": r.name,
                "name_en": r.name_en or "",
                "acronym": r.acronym or "",
                "level": r.level.value,
                "notes_nl": r.notes_nl or "",
                "rules": r.rules,
                "rules_note": r.rules_note or "",
                "source": r.source,
                **_trl(r.trl),
            },
        )
        for r in dataset.records("instruments")
    }
    _load_proposals(dataset, writer, themes, orgs, instruments)
    _load_funnel(dataset, writer, themes, orgs)
    topics = _load_topics(dataset, writer, themes)
    _load_criteria(dataset, writer, themes, topics)
    # 4f's assessment of New Materials, also as a recorded round beside the rounds scored in Trechter.
    made = assessment_actions.record_seed_rounds()
    if made:
        result.count(result.created, "recorded assessment rounds", made)
    # The agenda as loaded is version 1 when nothing was published before; search reads it.
    if agenda is not None:
        versions.record_seed_version(agenda=agenda)
    search.rebuild_index()
    return result


def _load_organisations(dataset: Dataset, writer: Writer) -> dict[str, Organisation]:
    records: list[schema.Organisation] = dataset.records("organisations")
    orgs: dict[str, Organisation] = {}
    for r in records:
        orgs[r.key] = writer.upsert(
            Organisation,
            {"key": r.key},
            {
                "name": r.name,
                "side": r.side.value,
                "country": r.country,
                "type": r.type.value,
                "city": r.city or "",
                "note": r.note or "",
                "source": r.source,
            },
        )
    for r in records:  # second pass: parents may be declared later in the set
        writer.upsert(Organisation, {"key": r.key}, {"parent": orgs[r.parent] if r.parent else None})
    writer.sync(
        OrganisationAlias,
        OrganisationAlias.objects.filter(organisation__in=orgs.values()),
        (({"organisation": orgs[r.key], "name": alias}, {}) for r in records for alias in dict.fromkeys(r.aliases)),
    )
    return orgs


def _load_people(dataset: Dataset, writer: Writer, orgs: dict[str, Organisation]) -> dict[str, Person]:
    return {
        r.key: writer.upsert(
            Person,
            {"key": r.key},
            {
                "name": r.name,
                "organisation": orgs[r.organisation] if r.organisation else None,
                "function": r.function or "",
                "source": r.source,
            },
        )
        for r in dataset.records("people")
    }


def _load_groups(
    dataset: Dataset, writer: Writer, orgs: dict[str, Organisation], people: dict[str, Person]
) -> dict[str, Group]:
    records: list[schema.Group] = dataset.records("groups")
    groups: dict[str, Group] = {}
    for r in records:
        groups[r.key] = writer.upsert(
            Group,
            {"key": r.key},
            {
                "kind": r.kind.value,
                "name_nl": r.name_nl,
                "name_en": r.name_en,
                "description_nl": r.description_nl or "",
                "source": r.source,
            },
        )
    writer.sync(
        Membership,
        Membership.objects.filter(group__in=groups.values()),
        (
            (
                {"group": groups[r.key], "person": people[m.person]},
                {"organisation": orgs[m.organisation] if m.organisation else None, "role": m.role or ""},
            )
            for r in records
            for m in r.members
        ),
    )
    return groups


def _load_meetings(
    dataset: Dataset,
    writer: Writer,
    orgs: dict[str, Organisation],
    people: dict[str, Person],
    groups: dict[str, Group],
) -> None:
    records: list[schema.Meeting] = dataset.records("meetings")
    meetings: dict[str, Meeting] = {}
    for r in records:
        meetings[r.key] = writer.upsert(
            Meeting,
            {"key": r.key},
            {
                "held_on": r.held_on,
                "place": r.place or "",
                "group": groups[r.group],
                "title_nl": r.title_nl,
                "title_en": r.title_en or "",
                "host": orgs[r.host] if r.host else None,
                "source": r.source,
            },
        )
    writer.sync(
        MeetingParticipant,
        MeetingParticipant.objects.filter(meeting__in=meetings.values()),
        (
            (
                {"meeting": meetings[r.key], "person": people[p.person]},
                {"organisation": orgs[p.organisation] if p.organisation else None, "role": p.role or ""},
            )
            for r in records
            for p in r.participants
        ),
    )


def _load_agenda(dataset: Dataset, writer: Writer) -> Agenda | None:
    info = dataset.agenda
    if info is None:  # only a data set without themes may lack it (checked by read_dataset)
        return None
    return writer.upsert(
        Agenda,
        {"key": AGENDA_KEY},
        {
            "title_nl": info.title_nl,
            "title_en": info.title_en,
            "presented_on": info.presented_on,
            "introduction_nl": info.introduction_nl,
            "introduction_en": info.introduction_en or "",
            "conclusions_nl": list(info.conclusions_nl),
            "conclusions_en": list(info.conclusions_en),
            "source": info.source,
        },
    )


def _load_themes(
    dataset: Dataset,
    writer: Writer,
    agenda: Agenda | None,
    orgs: dict[str, Organisation],
    people: dict[str, Person],
) -> dict[str, Theme]:
    records: list[schema.Theme] = dataset.records("themes")
    themes: dict[str, Theme] = {}
    for r in records:
        themes[r.key] = writer.upsert(
            Theme,
            {"key": r.key},
            {
                "agenda": agenda,
                "order": r.order,
                "name_nl": r.name_nl,
                "name_en": r.name_en,
                "aim_nl": r.aim_nl,
                "aim_en": r.aim_en or "",
                "source": r.source,
            },
        )
    writer.sync(
        ThemeLead,
        ThemeLead.objects.filter(theme__in=themes.values()),
        (
            (
                {
                    "theme": themes[r.key],
                    "side": lead.side.value,
                    "role": lead.role.value,
                    "organisation": orgs[lead.organisation] if lead.organisation else None,
                    "person": people[lead.person] if lead.person else None,
                },
                {"source": lead.source},
            )
            for r in records
            for lead in r.leads
        ),
    )
    writer.sync(
        SubPriority,
        SubPriority.objects.filter(theme__in=themes.values()),
        (
            (
                {"theme": themes[r.key], "key": sub.key},
                {
                    "order": index,
                    "title_nl": sub.title_nl,
                    "title_en": sub.title_en,
                    "description_nl": sub.description_nl or "",
                    "source": sub.source,
                },
            )
            for r in records
            for index, sub in enumerate(r.sub_priorities, start=1)
        ),
    )
    return themes


def _budget(b: schema.Budget | None) -> dict[str, Any]:
    if b is None:
        return dict.fromkeys(
            [
                "budget_per_year_min_eur",
                "budget_per_year_max_eur",
                "budget_years",
                "budget_total_min_eur",
                "budget_total_max_eur",
            ],
        ) | {"budget_text_nl": ""}
    return {
        "budget_per_year_min_eur": b.per_year_min_eur,
        "budget_per_year_max_eur": b.per_year_max_eur,
        "budget_years": b.years,
        "budget_total_min_eur": b.total_min_eur,
        "budget_total_max_eur": b.total_max_eur,
        "budget_text_nl": b.text_nl,
    }


def _load_proposals(
    dataset: Dataset,
    writer: Writer,
    themes: dict[str, Theme],
    orgs: dict[str, Organisation],
    instruments: dict[str, Instrument],
) -> None:
    records: list[schema.Proposal] = dataset.records("proposals")
    proposals: dict[str, Proposal] = {}
    subs = {(sub.theme_id, sub.key): sub for sub in SubPriority.objects.all()}
    for r in records:
        theme = themes[r.theme]
        sub = subs[(theme.pk, r.sub_priority)] if r.sub_priority else None
        proposals[r.key] = writer.upsert(
            Proposal,
            {"key": r.key},
            {
                "kind": r.kind.value,
                "theme": theme,
                "sub_priority": sub,
                "overview_label_nl": r.overview_label_nl or "",
                "overview_order": r.overview_order,
                "title_nl": r.title_nl,
                "title_en": r.title_en or "",
                "summary_nl": r.summary_nl or "",
                "summary_en": r.summary_en or "",
                "value_chain": _stages(r.value_chain),
                "status": r.status.value,
                "duration_months": r.duration_months,
                "planned_start": r.planned_start or "",
                "source": r.source,
                **_trl(r.trl),
                **_budget(r.budget),
            },
        )
    for r in records:  # second pass: parents may be declared later in the set
        proposal = writer.upsert(Proposal, {"key": r.key}, {"parent": proposals[r.parent] if r.parent else None})
        writer.set_m2m(proposal.other_themes, [themes[k] for k in r.other_themes])
    writer.sync(
        Party,
        Party.objects.filter(proposal__in=proposals.values()),
        (
            (
                {"proposal": proposals[r.key], "organisation": orgs[p.organisation]},
                {"role": p.role.value, "note": p.note or ""},
            )
            for r in records
            for p in r.parties
        ),
    )
    writer.sync(
        ProposalInstrument,
        ProposalInstrument.objects.filter(proposal__in=proposals.values()),
        (
            (
                {"proposal": proposals[r.key], "instrument": instruments[i.instrument]},
                {"state": i.state.value, "note": i.note or ""},
            )
            for r in records
            for i in r.instruments
        ),
    )


def _load_funnel(dataset: Dataset, writer: Writer, themes: dict[str, Theme], orgs: dict[str, Organisation]) -> None:
    for r in dataset.records("activities"):
        activity = writer.upsert(
            Activity,
            {"key": r.key},
            {
                "theme": themes[r.theme],
                "side": r.side.value,
                "value_chain": _stages(r.value_chain),
                "text_nl": r.text_nl,
                "text_en": r.text_en or "",
                "source": r.source,
                **_trl(r.trl),
            },
        )
        writer.set_m2m(activity.organisations, [orgs[k] for k in dict.fromkeys(r.organisations)])
    writer.sync(
        ThemeActor,
        ThemeActor.objects.filter(theme__in=themes.values()),
        (
            (
                {"theme": themes[r.theme], "organisation": orgs[r.organisation]},
                {"note_nl": r.note_nl or "", "value_chain": _stages(r.value_chain), "source": r.source, **_trl(r.trl)},
            )
            for r in dataset.records("actors")
        ),
    )
    questions = {
        r.key: writer.upsert(
            FunnelQuestion,
            {"key": r.key},
            {"order": r.order, "text_nl": r.text_nl, "text_en": r.text_en, "source": r.source},
        )
        for r in dataset.records("funnel_questions")
    }
    slots: dict[tuple[str, str, str], int] = {}

    def answer_lookup(r: schema.FunnelAnswer) -> dict[str, Any]:
        slot = (r.theme, r.question, r.band.value)
        slots[slot] = slots.get(slot, 0) + 1
        return {"theme": themes[r.theme], "question": questions[r.question], "band": r.band.value, "order": slots[slot]}

    writer.sync(
        FunnelAnswer,
        FunnelAnswer.objects.filter(theme__in=themes.values()),
        (
            (answer_lookup(r), {"text_nl": r.text_nl, "text_en": r.text_en or "", "source": r.source})
            for r in dataset.records("funnel_answers")
        ),
    )
    for r in dataset.records("trl_levels"):
        writer.upsert(TrlLevel, {"level": r.level}, {"text_nl": r.text_nl, "text_en": r.text_en, "source": r.source})


def _load_topics(dataset: Dataset, writer: Writer, themes: dict[str, Theme]) -> dict[str, CrossThemeTopic]:
    topics: dict[str, CrossThemeTopic] = {}
    for r in dataset.records("cross_theme_topics"):
        topic = writer.upsert(
            CrossThemeTopic,
            {"key": r.key},
            {
                "title_nl": r.title_nl,
                "title_en": r.title_en,
                "description_nl": r.description_nl or "",
                "source": r.source,
            },
        )
        writer.set_m2m(topic.themes, [themes[k] for k in dict.fromkeys(r.themes)])
        topics[r.key] = topic
    return topics


def _load_criteria(
    dataset: Dataset, writer: Writer, themes: dict[str, Theme], topics: dict[str, CrossThemeTopic]
) -> None:
    records: list[schema.Criterion] = dataset.records("criteria")
    criteria = {
        r.key: writer.upsert(
            Criterion,
            {"key": r.key},
            {"order": r.order, "text_nl": r.text_nl, "text_en": r.text_en, "source": r.source},
        )
        for r in records
    }
    for r in records:
        writer.upsert(Criterion, {"key": r.key}, {"parent": criteria[r.parent] if r.parent else None})
    assessment_records: list[schema.CriteriaAssessment] = dataset.records("criteria_assessments")
    assessments: dict[str, CriteriaAssessment] = {}
    for a in assessment_records:
        assessments[a.key] = writer.upsert(
            CriteriaAssessment,
            {"key": a.key},
            {
                "subject_theme": themes[a.subject_theme] if a.subject_theme else None,
                "subject_topic": topics[a.subject_topic] if a.subject_topic else None,
                "title_nl": a.title_nl,
                "assessed_on": a.assessed_on,
                "assessed_by": a.assessed_by,
                "source": a.source,
            },
        )
    writer.sync(
        CriterionFinding,
        CriterionFinding.objects.filter(assessment__in=assessments.values()),
        (
            (
                {"assessment": assessments[a.key], "criterion": criteria[f.criterion]},
                {"present": f.present, "note_nl": f.note_nl or ""},
            )
            for a in assessment_records
            for f in a.findings
        ),
    )
