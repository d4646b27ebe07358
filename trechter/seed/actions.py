"""Load the seed data set into the database: validated first, in one transaction, idempotent."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import translation

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
from trechter.assessment.models import CriteriaAssessment, Criterion, CriterionFinding
from trechter.funding.models import Instrument
from trechter.seed import schema
from trechter.seed.dataset import DATA_DIR, Dataset, read_dataset

AGENDA_KEY = "nl-vl-high-tech-2016"

M = TypeVar("M", bound=models.Model)


@dataclass
class LoadResult:
    """Rows created, updated and deleted per model; `unchanged` counts rows already equal."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: dict[str, int], model: type[models.Model] | str, n: int = 1) -> None:
        if isinstance(model, str):
            name = model
        else:
            with translation.override("en"):  # stable keys for callers, whatever the active language
                name = str(model._meta.verbose_name_plural)
        bucket[name] = bucket.get(name, 0) + n

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values()) or any(self.deleted.values())


class _Writer:
    """Upserts rows by their natural key and records what changed.

    Each model's rows are read once into an index keyed by the lookup fields, so a load
    costs one SELECT per model and one write per changed row, not a query per record.
    """

    def __init__(self, result: LoadResult):
        self.result = result
        self.created: set[tuple[type[models.Model], Any]] = set()
        self.indexes: dict[tuple[type[models.Model], tuple[str, ...]], dict[tuple[Any, ...], Any]] = {}

    def _index(self, model: type[M], fields: tuple[str, ...]) -> dict[tuple[Any, ...], M]:
        if (model, fields) not in self.indexes:
            attnames = [_attname(model, f) for f in fields]
            self.indexes[(model, fields)] = {
                tuple(getattr(obj, a) for a in attnames): obj for obj in model._default_manager.all()
            }
        return self.indexes[(model, fields)]

    def upsert(self, model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> M:
        fields = tuple(sorted(lookup))
        index = self._index(model, fields)
        index_key = tuple(_plain(lookup[f]) for f in fields)
        obj = index.get(index_key)
        if obj is None:
            obj = model(**lookup, **values)
            self._clean(obj)
            obj.save()
            index[index_key] = obj
            self.created.add((model, obj.pk))
            self.result.count(self.result.created, model)
            return obj
        changed = [name for name, value in values.items() if _stored(obj, name) != _plain(value)]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            self._clean(obj)
            obj.save(update_fields=changed)
            if (model, obj.pk) not in self.created:  # a second pass over a new row is part of its creation
                self.result.count(self.result.updated, model)
        elif (model, obj.pk) not in self.created:
            self.result.count(self.result.unchanged, model)
        return obj

    @staticmethod
    def _clean(obj: models.Model) -> None:
        """Field validation (lengths, choices); foreign keys were checked by the data set and
        validating them here would cost a query each. Constraints are the database's job."""
        relations = [f.name for f in obj._meta.concrete_fields if f.is_relation]
        obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)

    def prune(self, queryset: models.QuerySet[Any], keep_ids: Iterable[int]) -> None:
        """Delete the rows of `queryset` (children of seed records) that the data set no longer has."""
        _, per_model = queryset.exclude(pk__in=list(keep_ids)).delete()
        n = per_model.get(queryset.model._meta.label, 0)
        if n:
            self.result.count(self.result.deleted, queryset.model, n)
            for model, fields in list(self.indexes):
                if model is queryset.model:
                    del self.indexes[(model, fields)]

    def set_m2m(self, manager: Any, objects: list[models.Model]) -> None:
        """Make the links of `manager` exactly `objects`; counted as changed links of the owner."""
        current = set(manager.values_list("pk", flat=True))
        wanted = {o.pk for o in objects}
        if current != wanted:
            manager.set(objects)
            owner = type(manager.instance)
            if (owner, manager.instance.pk) not in self.created:
                self.result.count(self.result.updated, f"{owner._meta.model_name} links")


def _attname(model: type[models.Model], name: str) -> str:
    """The column attribute of field `name`: `theme_id` for the foreign key `theme`."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{model.__name__}.{name} is not a concrete field"
    return field.attname


def _stored(obj: models.Model, name: str) -> Any:
    """The stored value of field `name`, a foreign key as its id (no query)."""
    return getattr(obj, _attname(type(obj), name))


def _plain(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


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
    result = LoadResult()
    writer = _Writer(result)
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
    return result


def _load_organisations(dataset: Dataset, writer: _Writer) -> dict[str, Organisation]:
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
        parent = orgs[r.parent] if r.parent else None
        writer.upsert(Organisation, {"key": r.key}, {"parent": parent})
        kept = [
            writer.upsert(OrganisationAlias, {"organisation": orgs[r.key], "name": alias}, {}).pk
            for alias in dict.fromkeys(r.aliases)
        ]
        writer.prune(OrganisationAlias.objects.filter(organisation=orgs[r.key]), kept)
    return orgs


def _load_people(dataset: Dataset, writer: _Writer, orgs: dict[str, Organisation]) -> dict[str, Person]:
    return {
        r.key: writer.upsert(
            Person,
            {"key": r.key},
            {
                "name": r.name,
                "organisation": orgs.get(r.organisation) if r.organisation else None,
                "function": r.function or "",
                "source": r.source,
            },
        )
        for r in dataset.records("people")
    }


def _load_groups(
    dataset: Dataset, writer: _Writer, orgs: dict[str, Organisation], people: dict[str, Person]
) -> dict[str, Group]:
    groups: dict[str, Group] = {}
    for r in dataset.records("groups"):
        group = writer.upsert(
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
        kept = [
            writer.upsert(
                Membership,
                {"group": group, "person": people[m.person]},
                {"organisation": orgs[m.organisation] if m.organisation else None, "role": m.role or ""},
            ).pk
            for m in r.members
        ]
        writer.prune(Membership.objects.filter(group=group), kept)
        groups[r.key] = group
    return groups


def _load_meetings(
    dataset: Dataset,
    writer: _Writer,
    orgs: dict[str, Organisation],
    people: dict[str, Person],
    groups: dict[str, Group],
) -> None:
    for r in dataset.records("meetings"):
        meeting = writer.upsert(
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
        kept = [
            writer.upsert(
                MeetingParticipant,
                {"meeting": meeting, "person": people[p.person]},
                {"organisation": orgs[p.organisation] if p.organisation else None},
            ).pk
            for p in r.participants
        ]
        writer.prune(MeetingParticipant.objects.filter(meeting=meeting), kept)


def _load_agenda(dataset: Dataset, writer: _Writer) -> Agenda | None:
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
            "conclusions_nl": list(info.conclusions_nl),
            "source": info.source,
        },
    )


def _load_themes(
    dataset: Dataset,
    writer: _Writer,
    agenda: Agenda | None,
    orgs: dict[str, Organisation],
    people: dict[str, Person],
) -> dict[str, Theme]:
    themes: dict[str, Theme] = {}
    for r in dataset.records("themes"):
        theme = writer.upsert(
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
        kept = [
            writer.upsert(
                ThemeLead,
                {
                    "theme": theme,
                    "side": lead.side.value,
                    "role": lead.role.value,
                    "organisation": orgs[lead.organisation] if lead.organisation else None,
                    "person": people[lead.person] if lead.person else None,
                },
                {"source": lead.source},
            ).pk
            for lead in r.leads
        ]
        writer.prune(ThemeLead.objects.filter(theme=theme), kept)
        kept = [
            writer.upsert(
                SubPriority,
                {"theme": theme, "key": sub.key},
                {
                    "order": index,
                    "title_nl": sub.title_nl,
                    "title_en": sub.title_en,
                    "description_nl": sub.description_nl or "",
                    "source": sub.source,
                },
            ).pk
            for index, sub in enumerate(r.sub_priorities, start=1)
        ]
        writer.prune(SubPriority.objects.filter(theme=theme), kept)
        themes[r.key] = theme
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
    writer: _Writer,
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
    for r in records:  # second pass: parents and links
        proposal = writer.upsert(Proposal, {"key": r.key}, {"parent": proposals[r.parent] if r.parent else None})
        writer.set_m2m(proposal.other_themes, [themes[k] for k in r.other_themes])
        kept = [
            writer.upsert(
                Party,
                {"proposal": proposal, "organisation": orgs[p.organisation]},
                {"role": p.role.value, "note": p.note or ""},
            ).pk
            for p in r.parties
        ]
        writer.prune(Party.objects.filter(proposal=proposal), kept)
        kept = [
            writer.upsert(
                ProposalInstrument,
                {"proposal": proposal, "instrument": instruments[i.instrument]},
                {"state": i.state.value, "note": i.note or ""},
            ).pk
            for i in r.instruments
        ]
        writer.prune(ProposalInstrument.objects.filter(proposal=proposal), kept)


def _load_funnel(dataset: Dataset, writer: _Writer, themes: dict[str, Theme], orgs: dict[str, Organisation]) -> None:
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
    _sync_per_theme(
        writer,
        ThemeActor,
        themes,
        dataset.records("actors"),
        lambda r: {"theme": themes[r.theme], "organisation": orgs[r.organisation]},
        lambda r: {
            "note_nl": r.note_nl or "",
            "value_chain": _stages(r.value_chain),
            "source": r.source,
            **_trl(r.trl),
        },
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

    _sync_per_theme(
        writer,
        FunnelAnswer,
        themes,
        dataset.records("funnel_answers"),
        answer_lookup,
        lambda r: {"text_nl": r.text_nl, "text_en": r.text_en or "", "source": r.source},
    )
    for r in dataset.records("trl_levels"):
        writer.upsert(TrlLevel, {"level": r.level}, {"text_nl": r.text_nl, "text_en": r.text_en, "source": r.source})


def _sync_per_theme(
    writer: _Writer,
    model: type[M],
    themes: dict[str, Theme],
    records: list[Any],
    lookup: Callable[[Any], dict[str, Any]],
    values: Callable[[Any], dict[str, Any]],
) -> None:
    """Upsert `records` and delete the rows of the data set's themes that it no longer has."""
    kept = [writer.upsert(model, lookup(r), values(r)).pk for r in records]
    writer.prune(model._default_manager.filter(theme__in=themes.values()), kept)


def _load_topics(dataset: Dataset, writer: _Writer, themes: dict[str, Theme]) -> dict[str, CrossThemeTopic]:
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
    dataset: Dataset, writer: _Writer, themes: dict[str, Theme], topics: dict[str, CrossThemeTopic]
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
    for r in dataset.records("criteria_assessments"):
        assessment = writer.upsert(
            CriteriaAssessment,
            {"key": r.key},
            {
                "subject_theme": themes[r.subject_theme] if r.subject_theme else None,
                "subject_topic": topics[r.subject_topic] if r.subject_topic else None,
                "title_nl": r.title_nl,
                "assessed_on": r.assessed_on,
                "assessed_by": r.assessed_by,
                "source": r.source,
            },
        )
        kept = [
            writer.upsert(
                CriterionFinding,
                {"assessment": assessment, "criterion": criteria[f.criterion]},
                {"present": f.present, "note_nl": f.note_nl or ""},
            ).pk
            for f in r.findings
        ]
        writer.prune(CriterionFinding.objects.filter(assessment=assessment), kept)
