"""The published agenda as data: one JSON document in the seed data set's format (with its
JSON Schema), rows per sheet of `sheets.py`, CSV files and XLSX workbooks.

Everything here reads the content tables, which hold only published content: drafts live
in `versions.Draft` until a version is published, so no export can show one. Output is
deterministic: records in key or order sequence, so two exports of the same database are
equal apart from `exported_at` (JSON) and the file timestamps inside an XLSX zip.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db.models import Model
from django.utils import timezone
from pydantic import BaseModel, ConfigDict

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
from trechter.exchange import cells, sheets
from trechter.exchange.sheets import Sheet
from trechter.funding.models import Instrument
from trechter.seed import schema

FORMAT = "trechter-agenda"
FORMAT_VERSION = 1
SCHEMA_ID = "urn:trechter:agenda-document:1"
# The seed format needs a source for every record; rows people added in Trechter may have none.
FALLBACK_SOURCE = "Trechter"
BAND_ORDER = {band.value: index for index, band in enumerate(schema.Band)}

Row = dict[str, Any]


class AgendaDocument(BaseModel):
    """The JSON export: a header, then `data`, which is one valid seed data set file."""

    model_config = ConfigDict(extra="forbid", title="Trechter agenda")

    format: Literal["trechter-agenda"]
    format_version: Literal[1]
    exported_at: datetime.datetime
    data: schema.SeedFile


# ---------------------------------------------------------------------------------------
# Keys: foreign keys become the other record's key without a query per row.


@dataclass
class Keys:
    """pk → key maps, each read once (one query per model) when first needed."""

    maps: dict[type[Model], dict[int, str]] = field(default_factory=dict)

    def of(self, model: type[Model], pk: int | None) -> str | None:
        if pk is None:
            return None
        if model not in self.maps:
            self.maps[model] = dict(model._default_manager.values_list("pk", "key"))
        return self.maps[model][pk]


def _text(value: Any) -> str | None:
    return value if value not in (None, "") else None


def _compact(values: dict[str, Any]) -> dict[str, Any]:
    """Leave out what the seed leaves out: None, empty texts and empty lists."""
    return {k: v for k, v in values.items() if v is not None and v != "" and v != []}


def _source(obj: Any) -> str:
    return str(obj.source).strip() or FALLBACK_SOURCE


# ---------------------------------------------------------------------------------------
# The JSON document (seed format)


def _trl(obj: Any) -> dict[str, Any] | None:
    if obj.trl_from is None or obj.trl_to is None:
        return None
    note = obj.trl_note
    if obj.trl_basis == schema.TrlBasis.INFERRED and not note.strip():
        note = "inferred; no note recorded"
    basis = obj.trl_basis if obj.trl_basis != schema.TrlBasis.STATED else None
    return _compact({"trl_from": obj.trl_from, "trl_to": obj.trl_to, "basis": basis, "note": note})


def _budget(p: Proposal) -> dict[str, Any] | None:
    per_year = _pair(p.budget_per_year_min_eur, p.budget_per_year_max_eur)
    total = _pair(p.budget_total_min_eur, p.budget_total_max_eur)
    if per_year is None and total is None and not p.budget_text_nl.strip():
        return None
    text = p.budget_text_nl.strip() or _budget_text(per_year, p.budget_years, total)
    return _compact(
        {
            "per_year_min_eur": per_year[0] if per_year else None,
            "per_year_max_eur": per_year[1] if per_year else None,
            "years": p.budget_years,
            "total_min_eur": total[0] if total else None,
            "total_max_eur": total[1] if total else None,
            "text_nl": text,
        }
    )


def _pair(low: int | None, high: int | None) -> tuple[int, int] | None:
    """The seed gives both ends of a range (equal for one figure)."""
    if low is None and high is None:
        return None
    return (low if low is not None else high, high if high is not None else low)  # type: ignore[return-value]


def _budget_text(per_year: tuple[int, int] | None, years: int | None, total: tuple[int, int] | None) -> str:
    """A budget text for figures entered without one (the seed always has its own words)."""

    def span(pair: tuple[int, int]) -> str:
        return f"€ {pair[0]}" if pair[0] == pair[1] else f"€ {pair[0]}–{pair[1]}"

    parts = []
    if per_year:
        parts.append(f"{span(per_year)} per jaar" + (f", {years} jaar" if years else ""))
    if total:
        parts.append(f"{span(total)} totaal")
    return "; ".join(parts)


def _agenda_info(agenda: Agenda) -> dict[str, Any]:
    """Every field of the seed's AgendaInfo that the agenda row has, whatever fields it grows."""
    values: dict[str, Any] = {}
    for name in schema.AgendaInfo.model_fields:
        value = getattr(agenda, name, None)
        values[name] = value.isoformat() if isinstance(value, datetime.date) else value
    values["source"] = _source(agenda)
    return _compact(values)


def _organisations(keys: Keys) -> list[dict[str, Any]]:
    aliases: dict[int, list[str]] = {}
    for organisation_id, name in OrganisationAlias.objects.order_by("pk").values_list("organisation_id", "name"):
        aliases.setdefault(organisation_id, []).append(name)
    return [
        _compact(
            {
                "key": o.key,
                "name": o.name,
                "aliases": aliases.get(o.pk, []),
                "side": o.side,
                "country": o.country,
                "type": o.type,
                "city": o.city,
                "parent": keys.of(Organisation, o.parent_id),
                "note": o.note,
                "source": _source(o),
            }
        )
        for o in Organisation.objects.order_by("key")
    ]


def _people(keys: Keys) -> list[dict[str, Any]]:
    return [
        _compact(
            {
                "key": p.key,
                "name": p.name,
                "organisation": keys.of(Organisation, p.organisation_id),
                "function": p.function,
                "source": _source(p),
            }
        )
        for p in Person.objects.order_by("key")
    ]


def _members(rows: Iterable[Any], keys: Keys, *, owner: str) -> dict[int, list[dict[str, Any]]]:
    members: dict[int, list[dict[str, Any]]] = {}
    for m in rows:
        members.setdefault(getattr(m, owner), []).append(
            _compact(
                {
                    "person": keys.of(Person, m.person_id),
                    "organisation": keys.of(Organisation, m.organisation_id),
                    "role": getattr(m, "role", None),
                }
            )
        )
    return members


def _groups(keys: Keys) -> list[dict[str, Any]]:
    members = _members(Membership.objects.order_by("pk"), keys, owner="group_id")
    return [
        _compact(
            {
                "key": g.key,
                "kind": g.kind,
                "name_nl": g.name_nl,
                "name_en": g.name_en,
                "description_nl": g.description_nl,
                "members": members.get(g.pk, []),
                "source": _source(g),
            }
        )
        for g in Group.objects.order_by("key")
    ]


def _themes(keys: Keys) -> list[dict[str, Any]]:
    leads: dict[int, list[dict[str, Any]]] = {}
    for lead in ThemeLead.objects.order_by("pk"):
        leads.setdefault(lead.theme_id, []).append(
            _compact(
                {
                    "side": lead.side,
                    "role": lead.role,
                    "organisation": keys.of(Organisation, lead.organisation_id),
                    "person": keys.of(Person, lead.person_id),
                    "source": _source(lead),
                }
            )
        )
    subs: dict[int, list[dict[str, Any]]] = {}
    for sub in SubPriority.objects.order_by("order", "key"):
        subs.setdefault(sub.theme_id, []).append(
            _compact(
                {
                    "key": sub.key,
                    "title_nl": sub.title_nl,
                    "title_en": sub.title_en,
                    "description_nl": sub.description_nl,
                    "source": _source(sub),
                }
            )
        )
    return [
        _compact(
            {
                "key": t.key,
                "order": t.order,
                "name_nl": t.name_nl,
                "name_en": t.name_en,
                "aim_nl": t.aim_nl,
                "aim_en": t.aim_en,
                "leads": leads.get(t.pk, []),
                "sub_priorities": subs.get(t.pk, []),
                "source": _source(t),
            }
        )
        for t in Theme.objects.order_by("order", "key")
    ]


def _theme_order() -> dict[int, tuple[int, str]]:
    return {pk: (order, key) for pk, order, key in Theme.objects.values_list("pk", "order", "key")}


def _proposals(keys: Keys) -> list[dict[str, Any]]:
    order = _theme_order()
    sub_keys = dict(SubPriority.objects.values_list("pk", "key"))
    other: dict[int, list[int]] = {}
    for proposal_id, theme_id in Proposal.other_themes.through.objects.values_list("proposal_id", "theme_id"):
        other.setdefault(proposal_id, []).append(theme_id)
    parties: dict[int, list[dict[str, Any]]] = {}
    for party in Party.objects.order_by("pk"):
        parties.setdefault(party.proposal_id, []).append(
            _compact(
                {"organisation": keys.of(Organisation, party.organisation_id), "role": party.role, "note": party.note}
            )
        )
    instruments: dict[int, list[dict[str, Any]]] = {}
    for pi in ProposalInstrument.objects.order_by("pk"):
        instruments.setdefault(pi.proposal_id, []).append(
            _compact({"instrument": keys.of(Instrument, pi.instrument_id), "state": pi.state, "note": pi.note})
        )
    records = sorted(Proposal.objects.all(), key=lambda p: (order[p.theme_id], p.key))
    return [
        _compact(
            {
                "key": p.key,
                "kind": p.kind,
                "theme": order[p.theme_id][1],
                "other_themes": [order[t][1] for t in sorted(other.get(p.pk, []), key=order.__getitem__)],
                "sub_priority": sub_keys.get(p.sub_priority_id) if p.sub_priority_id else None,
                "parent": keys.of(Proposal, p.parent_id),
                **_overview(p),
                "title_nl": p.title_nl,
                "title_en": p.title_en,
                "summary_nl": p.summary_nl,
                "summary_en": p.summary_en,
                "trl": _trl(p),
                "value_chain": list(p.value_chain),
                "status": p.status,
                "budget": _budget(p),
                "duration_months": p.duration_months,
                "planned_start": p.planned_start,
                "parties": parties.get(p.pk, []),
                "instruments": instruments.get(p.pk, []),
                "source": _source(p),
            }
        )
        for p in records
    ]


def _overview(p: Proposal) -> dict[str, Any]:
    """The overview slot: label and position go together in the seed format."""
    if p.overview_order is None:
        return {"overview_label_nl": None, "overview_order": None}
    return {"overview_label_nl": p.overview_label_nl or p.title_nl, "overview_order": p.overview_order}


def _activities(keys: Keys) -> list[dict[str, Any]]:
    order = _theme_order()
    organisations: dict[int, list[str]] = {}
    links = Activity.organisations.through.objects.values_list("activity_id", "organisation_id")
    for activity_id, organisation_id in links:
        organisations.setdefault(activity_id, []).append(keys.of(Organisation, organisation_id) or "")
    return [
        _compact(
            {
                "key": a.key,
                "theme": order[a.theme_id][1],
                "side": a.side,
                "trl": _trl(a),
                "value_chain": list(a.value_chain),
                "text_nl": a.text_nl,
                "text_en": a.text_en,
                "organisations": sorted(organisations.get(a.pk, [])),
                "source": _source(a),
            }
        )
        for a in Activity.objects.order_by("key")
    ]


def _actors(keys: Keys) -> list[dict[str, Any]]:
    order = _theme_order()
    rows = sorted(ThemeActor.objects.all(), key=lambda a: (order[a.theme_id], keys.of(Organisation, a.organisation_id)))
    return [
        _compact(
            {
                "theme": order[a.theme_id][1],
                "organisation": keys.of(Organisation, a.organisation_id),
                "note_nl": a.note_nl,
                "trl": _trl(a),
                "value_chain": list(a.value_chain),
                "source": _source(a),
            }
        )
        for a in rows
    ]


def _funnel_questions() -> list[dict[str, Any]]:
    return [
        _compact({"key": q.key, "order": q.order, "text_nl": q.text_nl, "text_en": q.text_en, "source": _source(q)})
        for q in FunnelQuestion.objects.order_by("order")
    ]


def _sorted_answers(answers: Iterable[FunnelAnswer]) -> list[FunnelAnswer]:
    """Theme, question, band, then the answer's order: loading numbers the answers of one
    question and band in list order, so this keeps their order."""
    order = _theme_order()
    questions = dict(FunnelQuestion.objects.values_list("pk", "order"))
    return sorted(
        answers, key=lambda a: (order[a.theme_id], questions[a.question_id], BAND_ORDER.get(a.band, 99), a.order, a.pk)
    )


def _funnel_answers(keys: Keys) -> list[dict[str, Any]]:
    order = _theme_order()
    return [
        _compact(
            {
                "theme": order[a.theme_id][1],
                "question": keys.of(FunnelQuestion, a.question_id),
                "band": a.band,
                "text_nl": a.text_nl,
                "text_en": a.text_en,
                "source": _source(a),
            }
        )
        for a in _sorted_answers(FunnelAnswer.objects.all())
    ]


def _cross_theme_topics() -> list[dict[str, Any]]:
    order = _theme_order()
    themes: dict[int, list[int]] = {}
    for topic_id, theme_id in CrossThemeTopic.themes.through.objects.values_list("crossthemetopic_id", "theme_id"):
        themes.setdefault(topic_id, []).append(theme_id)
    return [
        _compact(
            {
                "key": t.key,
                "title_nl": t.title_nl,
                "title_en": t.title_en,
                "description_nl": t.description_nl,
                "themes": [order[x][1] for x in sorted(themes.get(t.pk, []), key=order.__getitem__)],
                "source": _source(t),
            }
        )
        for t in CrossThemeTopic.objects.order_by("key")
    ]


def _instruments() -> list[dict[str, Any]]:
    return [
        _compact(
            {
                "key": i.key,
                "name": i.name,
                "name_en": i.name_en,
                "acronym": i.acronym,
                "level": i.level,
                "trl": _trl(i),
                "notes_nl": i.notes_nl,
                "rules": i.rules,
                "rules_note": i.rules_note,
                "source": _source(i),
            }
        )
        for i in Instrument.objects.order_by("key")
    ]


def _meetings(keys: Keys) -> list[dict[str, Any]]:
    participants = _members(MeetingParticipant.objects.order_by("pk"), keys, owner="meeting_id")
    return [
        _compact(
            {
                "key": m.key,
                "held_on": m.held_on.isoformat(),
                "place": m.place,
                "group": keys.of(Group, m.group_id),
                "title_nl": m.title_nl,
                "title_en": m.title_en,
                "host": keys.of(Organisation, m.host_id),
                "participants": participants.get(m.pk, []),
                "source": _source(m),
            }
        )
        for m in Meeting.objects.order_by("held_on", "key")
    ]


def _trl_levels() -> list[dict[str, Any]]:
    return [
        {"level": t.level, "text_nl": t.text_nl, "text_en": t.text_en, "source": _source(t)}
        for t in TrlLevel.objects.order_by("level")
    ]


def _criteria_in_tree_order() -> list[Criterion]:
    """Depth first: each criterion followed by its sub-criteria, siblings by order."""
    children: dict[int | None, list[Criterion]] = {}
    for c in Criterion.objects.order_by("order", "key"):
        children.setdefault(c.parent_id, []).append(c)
    result: list[Criterion] = []
    known = {c.pk for items in children.values() for c in items}

    def walk(parent: int | None) -> None:
        for c in children.get(parent, []):
            result.append(c)
            walk(c.pk)

    walk(None)
    # Parents outside the tree (none in practice) come last rather than disappear.
    orphans = [c for parent, items in children.items() if parent is not None and parent not in known for c in items]
    result += orphans
    return result


def _criteria(keys: Keys) -> list[dict[str, Any]]:
    return [
        _compact(
            {
                "key": c.key,
                "parent": keys.of(Criterion, c.parent_id),
                "order": c.order,
                "text_nl": c.text_nl,
                "text_en": c.text_en,
                "source": _source(c),
            }
        )
        for c in _criteria_in_tree_order()
    ]


def _criteria_assessments(keys: Keys) -> list[dict[str, Any]]:
    findings: dict[int, list[dict[str, Any]]] = {}
    for f in CriterionFinding.objects.order_by("pk"):
        findings.setdefault(f.assessment_id, []).append(
            _compact({"criterion": keys.of(Criterion, f.criterion_id), "present": f.present, "note_nl": f.note_nl})
        )
    return [
        _compact(
            {
                "key": a.key,
                "subject_theme": keys.of(Theme, a.subject_theme_id),
                "subject_topic": keys.of(CrossThemeTopic, a.subject_topic_id),
                "title_nl": a.title_nl,
                "assessed_on": a.assessed_on.isoformat() if a.assessed_on else None,
                "assessed_by": a.assessed_by,
                "findings": findings.get(a.pk, []),
                "source": _source(a),
            }
        )
        for a in CriteriaAssessment.objects.order_by("key")
    ]


def seed_data() -> dict[str, Any]:
    """The published agenda as one seed data set file (a dict valid against `SeedFile`).

    Sections in the schema's order, records by key or order; empty sections are left out.
    Nested lists without a stored order (leads, members, parties) keep the order in which
    they were stored, which is the seed's order."""
    keys = Keys()
    agenda = Agenda.objects.order_by("pk").first()  # the seed format holds one agenda
    sections: dict[str, Any] = {
        "agenda": _agenda_info(agenda) if agenda is not None else None,
        "organisations": _organisations(keys),
        "people": _people(keys),
        "groups": _groups(keys),
        "themes": _themes(keys),
        "proposals": _proposals(keys),
        "activities": _activities(keys),
        "actors": _actors(keys),
        "funnel_questions": _funnel_questions(),
        "funnel_answers": _funnel_answers(keys),
        "cross_theme_topics": _cross_theme_topics(),
        "instruments": _instruments(),
        "meetings": _meetings(keys),
        "trl_levels": _trl_levels(),
        "criteria": _criteria(keys),
        "criteria_assessments": _criteria_assessments(keys),
    }
    assert list(sections) == list(schema.SeedFile.model_fields), "sections out of step with SeedFile"
    return _compact(sections)


def agenda_document(*, exported_at: datetime.datetime | None = None) -> dict[str, Any]:
    """The whole published agenda as JSON data: `{"format", "format_version", "exported_at",
    "data"}` where `data` is a seed data set file (see `json_schema()`)."""
    moment = exported_at or timezone.now()
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": moment.astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "data": seed_data(),
    }


def document_bytes(document: dict[str, Any]) -> bytes:
    """The JSON file: UTF-8, indented, keys in the document's (deterministic) order."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()


def json_schema() -> dict[str, Any]:
    """The JSON Schema of `agenda_document()`, generated from the pydantic models."""
    generated = AgendaDocument.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Trechter agenda",
        "description": (
            "The whole published agenda of Trechter as one JSON document. `data` is a file of the "
            "seed data set (docs/seed-format.md): load it with `trechter load-seed` from a folder "
            "holding it as a .yaml file. Keys are stable identifiers; references name keys."
        ),
        **{k: v for k, v in generated.items() if k not in ("title", "description")},
    }


def schema_bytes() -> bytes:
    return (json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n").encode()


# ---------------------------------------------------------------------------------------
# Sheets: rows per entity in the cell conventions of sheets.py


def _trl_cell(obj: Any) -> str | None:
    if obj.trl_from is None:
        return None
    return str(obj.trl_from) if obj.trl_from == obj.trl_to else f"{obj.trl_from}-{obj.trl_to}"


def _trl_cells(obj: Any) -> Row:
    has = obj.trl_from is not None
    return {"trl": _trl_cell(obj), "trl_basis": obj.trl_basis if has else None, "trl_note": _text(obj.trl_note)}


def _list_cell(values: Iterable[str], separator: str = ", ") -> str | None:
    return separator.join(values) or None


def _bool_cell(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def _date_cell(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _rows_from(records: list[dict[str, Any]], sheet: sheets.Sheet) -> list[Row]:
    """Rows of `sheet` from records with the same field names (texts, numbers, keys)."""
    return [{name: _text(record.get(name)) for name in sheet.headers} for record in records]


@dataclass(frozen=True)
class Scope:
    """What a sheet shows: everything, or one theme's rows (a theme lead's template)."""

    theme: Theme | None = None

    def themes(self) -> Any:
        qs = Theme.objects.order_by("order", "key")
        return qs.filter(pk=self.theme.pk) if self.theme else qs

    def of_theme(self, qs: Any, path: str = "theme") -> Any:
        return qs.filter(**{path: self.theme}) if self.theme else qs


def _organisation_rows(scope: Scope, keys: Keys) -> list[Row]:
    separator = sheets.ORGANISATIONS.column("aliases").separator
    aliases: dict[int, list[str]] = {}
    for organisation_id, name in OrganisationAlias.objects.order_by("pk").values_list("organisation_id", "name"):
        aliases.setdefault(organisation_id, []).append(name)
    return [
        {
            "key": o.key,
            "name": o.name,
            "aliases": _list_cell(aliases.get(o.pk, []), separator),
            "side": o.side,
            "country": o.country,
            "type": o.type,
            "city": _text(o.city),
            "parent": keys.of(Organisation, o.parent_id),
            "note": _text(o.note),
            "source": _text(o.source),
        }
        for o in Organisation.objects.order_by("key")
    ]


def _people_rows(scope: Scope, keys: Keys) -> list[Row]:
    return [
        {
            "key": p.key,
            "name": p.name,
            "organisation": keys.of(Organisation, p.organisation_id),
            "function": _text(p.function),
            "source": _text(p.source),
        }
        for p in Person.objects.order_by("key")
    ]


def _group_rows(scope: Scope, keys: Keys) -> list[Row]:
    return _rows_from(
        [
            {
                "key": g.key,
                "kind": g.kind,
                "name_nl": g.name_nl,
                "name_en": g.name_en,
                "description_nl": g.description_nl,
                "source": g.source,
            }
            for g in Group.objects.order_by("key")
        ],
        sheets.GROUPS,
    )


def _membership_rows(scope: Scope, keys: Keys) -> list[Row]:
    rows = [
        {
            "group": keys.of(Group, m.group_id),
            "person": keys.of(Person, m.person_id),
            "organisation": keys.of(Organisation, m.organisation_id),
            "role": _text(m.role),
        }
        for m in Membership.objects.all()
    ]
    return sorted(rows, key=lambda r: (r["group"], r["person"]))


def _theme_rows(scope: Scope, keys: Keys) -> list[Row]:
    return [
        {
            "key": t.key,
            "order": t.order,
            "name_nl": t.name_nl,
            "name_en": t.name_en,
            "aim_nl": t.aim_nl,
            "aim_en": _text(t.aim_en),
            "source": _text(t.source),
        }
        for t in scope.themes()
    ]


def _theme_lead_rows(scope: Scope, keys: Keys) -> list[Row]:
    order = _theme_order()
    leads = sorted(scope.of_theme(ThemeLead.objects.all()), key=lambda x: (order[x.theme_id], x.pk))
    return [
        {
            "theme": order[x.theme_id][1],
            "side": x.side,
            "role": x.role,
            "organisation": keys.of(Organisation, x.organisation_id),
            "person": keys.of(Person, x.person_id),
            "source": _text(x.source),
        }
        for x in leads
    ]


def _sub_priority_rows(scope: Scope, keys: Keys) -> list[Row]:
    order = _theme_order()
    subs = sorted(scope.of_theme(SubPriority.objects.all()), key=lambda s: (order[s.theme_id], s.order, s.key))
    return [
        {
            "theme": order[s.theme_id][1],
            "key": s.key,
            "order": s.order,
            "title_nl": s.title_nl,
            "title_en": s.title_en,
            "description_nl": _text(s.description_nl),
            "source": _text(s.source),
        }
        for s in subs
    ]


def _proposal_rows(scope: Scope, keys: Keys) -> list[Row]:
    order = _theme_order()
    sub_keys = dict(SubPriority.objects.values_list("pk", "key"))
    other: dict[int, list[int]] = {}
    for proposal_id, theme_id in Proposal.other_themes.through.objects.values_list("proposal_id", "theme_id"):
        other.setdefault(proposal_id, []).append(theme_id)
    proposals = sorted(scope.of_theme(Proposal.objects.all()), key=lambda p: (order[p.theme_id], p.key))
    return [
        {
            "key": p.key,
            "theme": order[p.theme_id][1],
            "kind": p.kind,
            "parent": keys.of(Proposal, p.parent_id),
            "other_themes": _list_cell(order[t][1] for t in sorted(other.get(p.pk, []), key=order.__getitem__)),
            "sub_priority": sub_keys.get(p.sub_priority_id) if p.sub_priority_id else None,
            "overview_label_nl": _text(p.overview_label_nl),
            "overview_order": p.overview_order,
            "title_nl": p.title_nl,
            "title_en": _text(p.title_en),
            "summary_nl": _text(p.summary_nl),
            "summary_en": _text(p.summary_en),
            "status": p.status,
            **_trl_cells(p),
            "value_chain": _list_cell(p.value_chain),
            "budget_per_year_min_eur": p.budget_per_year_min_eur,
            "budget_per_year_max_eur": p.budget_per_year_max_eur,
            "budget_years": p.budget_years,
            "budget_total_min_eur": p.budget_total_min_eur,
            "budget_total_max_eur": p.budget_total_max_eur,
            "budget_text_nl": _text(p.budget_text_nl),
            "duration_months": p.duration_months,
            "planned_start": _text(p.planned_start),
            "source": _text(p.source),
        }
        for p in proposals
    ]


def _party_rows(scope: Scope, keys: Keys) -> list[Row]:
    order = _theme_order()
    parties = scope.of_theme(Party.objects.select_related("proposal"), "proposal__theme")
    parties = sorted(parties, key=lambda x: (order[x.proposal.theme_id], x.proposal.key, x.pk))
    return [
        {
            "proposal": x.proposal.key,
            "organisation": keys.of(Organisation, x.organisation_id),
            "role": x.role,
            "note": _text(x.note),
        }
        for x in parties
    ]


def _proposal_instrument_rows(scope: Scope, keys: Keys) -> list[Row]:
    order = _theme_order()
    rows = scope.of_theme(ProposalInstrument.objects.select_related("proposal"), "proposal__theme")
    rows = sorted(rows, key=lambda x: (order[x.proposal.theme_id], x.proposal.key, x.pk))
    return [
        {
            "proposal": x.proposal.key,
            "instrument": keys.of(Instrument, x.instrument_id),
            "state": x.state,
            "note": _text(x.note),
        }
        for x in rows
    ]


def _activity_rows(scope: Scope, keys: Keys) -> list[Row]:
    order = _theme_order()
    organisations: dict[int, list[str]] = {}
    for activity_id, organisation_id in Activity.organisations.through.objects.values_list(
        "activity_id", "organisation_id"
    ):
        organisations.setdefault(activity_id, []).append(keys.of(Organisation, organisation_id) or "")
    activities = sorted(scope.of_theme(Activity.objects.all()), key=lambda a: (order[a.theme_id], a.key))
    return [
        {
            "key": a.key,
            "theme": order[a.theme_id][1],
            "side": a.side,
            **_trl_cells(a),
            "value_chain": _list_cell(a.value_chain),
            "text_nl": a.text_nl,
            "text_en": _text(a.text_en),
            "organisations": _list_cell(sorted(organisations.get(a.pk, []))),
            "source": _text(a.source),
        }
        for a in activities
    ]


def _actor_rows(scope: Scope, keys: Keys) -> list[Row]:
    order = _theme_order()
    actors = sorted(
        scope.of_theme(ThemeActor.objects.all()),
        key=lambda a: (order[a.theme_id], keys.of(Organisation, a.organisation_id)),
    )
    return [
        {
            "theme": order[a.theme_id][1],
            "organisation": keys.of(Organisation, a.organisation_id),
            "note_nl": _text(a.note_nl),
            **_trl_cells(a),
            "value_chain": _list_cell(a.value_chain),
            "source": _text(a.source),
        }
        for a in actors
    ]


def _funnel_question_rows(scope: Scope, keys: Keys) -> list[Row]:
    return _rows_from(
        [
            {"key": q.key, "order": q.order, "text_nl": q.text_nl, "text_en": q.text_en, "source": q.source}
            for q in FunnelQuestion.objects.order_by("order")
        ],
        sheets.FUNNEL_QUESTIONS,
    )


def _funnel_answer_rows(scope: Scope, keys: Keys) -> list[Row]:
    order = _theme_order()
    return [
        {
            "theme": order[a.theme_id][1],
            "question": keys.of(FunnelQuestion, a.question_id),
            "band": a.band,
            "order": a.order,
            "text_nl": a.text_nl,
            "text_en": _text(a.text_en),
            "source": _text(a.source),
        }
        for a in _sorted_answers(scope.of_theme(FunnelAnswer.objects.all()))
    ]


def _cross_theme_topic_rows(scope: Scope, keys: Keys) -> list[Row]:
    order = _theme_order()
    themes: dict[int, list[int]] = {}
    for topic_id, theme_id in CrossThemeTopic.themes.through.objects.values_list("crossthemetopic_id", "theme_id"):
        themes.setdefault(topic_id, []).append(theme_id)
    return [
        {
            "key": t.key,
            "title_nl": t.title_nl,
            "title_en": t.title_en,
            "description_nl": _text(t.description_nl),
            "themes": _list_cell(order[x][1] for x in sorted(themes.get(t.pk, []), key=order.__getitem__)),
            "source": _text(t.source),
        }
        for t in CrossThemeTopic.objects.order_by("key")
    ]


def _instrument_rows(scope: Scope, keys: Keys) -> list[Row]:
    return [
        {
            "key": i.key,
            "name": i.name,
            "name_en": _text(i.name_en),
            "acronym": _text(i.acronym),
            "level": i.level,
            **_trl_cells(i),
            "notes_nl": _text(i.notes_nl),
            "source": _text(i.source),
        }
        for i in Instrument.objects.order_by("key")
    ]


def _meeting_rows(scope: Scope, keys: Keys) -> list[Row]:
    return [
        {
            "key": m.key,
            "held_on": _date_cell(m.held_on),
            "place": _text(m.place),
            "group": keys.of(Group, m.group_id),
            "title_nl": m.title_nl,
            "title_en": _text(m.title_en),
            "host": keys.of(Organisation, m.host_id),
            "source": _text(m.source),
        }
        for m in Meeting.objects.order_by("held_on", "key")
    ]


def _meeting_participant_rows(scope: Scope, keys: Keys) -> list[Row]:
    meetings = {pk: (held_on, key) for pk, held_on, key in Meeting.objects.values_list("pk", "held_on", "key")}
    rows = sorted(MeetingParticipant.objects.all(), key=lambda x: (meetings[x.meeting_id], x.pk))
    return [
        {
            "meeting": meetings[x.meeting_id][1],
            "person": keys.of(Person, x.person_id),
            "organisation": keys.of(Organisation, x.organisation_id),
            "role": _text(x.role),
        }
        for x in rows
    ]


def _trl_level_rows(scope: Scope, keys: Keys) -> list[Row]:
    return _rows_from(
        [
            {"level": t.level, "text_nl": t.text_nl, "text_en": t.text_en, "source": t.source}
            for t in TrlLevel.objects.order_by("level")
        ],
        sheets.TRL_LEVELS,
    )


def _criterion_rows(scope: Scope, keys: Keys) -> list[Row]:
    return [
        {
            "key": c.key,
            "parent": keys.of(Criterion, c.parent_id),
            "order": c.order,
            "text_nl": c.text_nl,
            "text_en": c.text_en,
            "source": _text(c.source),
        }
        for c in _criteria_in_tree_order()
    ]


def _assessment_rows(scope: Scope, keys: Keys) -> list[Row]:
    return [
        {
            "key": a.key,
            "subject_theme": keys.of(Theme, a.subject_theme_id),
            "subject_topic": keys.of(CrossThemeTopic, a.subject_topic_id),
            "title_nl": a.title_nl,
            "assessed_on": _date_cell(a.assessed_on),
            "assessed_by": a.assessed_by,
            "source": _text(a.source),
        }
        for a in CriteriaAssessment.objects.order_by("key")
    ]


def _finding_rows(scope: Scope, keys: Keys) -> list[Row]:
    rows = [
        {
            "assessment": keys.of(CriteriaAssessment, f.assessment_id),
            "criterion": keys.of(Criterion, f.criterion_id),
            "present": _bool_cell(f.present),
            "note_nl": _text(f.note_nl),
            "_pk": f.pk,
        }
        for f in CriterionFinding.objects.all()
    ]
    rows.sort(key=lambda r: (r["assessment"], r.pop("_pk")))
    return rows


ROWS: dict[str, Callable[[Scope, Keys], list[Row]]] = {
    "organisations": _organisation_rows,
    "people": _people_rows,
    "groups": _group_rows,
    "memberships": _membership_rows,
    "themes": _theme_rows,
    "theme_leads": _theme_lead_rows,
    "sub_priorities": _sub_priority_rows,
    "proposals": _proposal_rows,
    "parties": _party_rows,
    "proposal_instruments": _proposal_instrument_rows,
    "activities": _activity_rows,
    "actors": _actor_rows,
    "funnel_questions": _funnel_question_rows,
    "funnel_answers": _funnel_answer_rows,
    "cross_theme_topics": _cross_theme_topic_rows,
    "instruments": _instrument_rows,
    "meetings": _meeting_rows,
    "meeting_participants": _meeting_participant_rows,
    "trl_levels": _trl_level_rows,
    "criteria": _criterion_rows,
    "criteria_assessments": _assessment_rows,
    "criterion_findings": _finding_rows,
}


def sheet_rows(sheet: sheets.Sheet, *, theme: Theme | None = None, keys: Keys | None = None) -> list[Row]:
    """The published rows of `sheet`, each a dict of its headers in order.

    Values are raw (not neutralised): None for an empty cell, int for INT and EUROS
    columns, str otherwise in the cell conventions of sheets.py. With `theme`, sheets that
    belong to a theme (themes, sub-priorities, leads, proposals and their parties and
    instruments, activities, actors, funnel answers) hold only that theme's rows; the
    others are whole."""
    rows = ROWS[sheet.name](Scope(theme), keys or Keys())
    return [{name: row.get(name) for name in sheet.headers} for row in rows]


# ---------------------------------------------------------------------------------------
# Files


def csv_bytes(sheet: sheets.Sheet, *, theme: Theme | None = None, rows: list[Row] | None = None) -> bytes:
    """One sheet as CSV: UTF-8 with BOM, comma separated, RFC 4180 quoting, CRLF, formula-like
    texts neutralised (see sheets.py)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(sheet.headers)
    for row in rows if rows is not None else sheet_rows(sheet, theme=theme):
        writer.writerow([_csv_cell(row[name]) for name in sheet.headers])
    return out.getvalue().encode("utf-8-sig")


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    return cells.neutralise(str(value))


ALL_SHEETS = sheets.SHEETS
TEMPLATE_SHEETS = sheets.TEMPLATE_SHEETS


def workbook_bytes(sheets: Iterable[Sheet] = ALL_SHEETS, theme: Theme | None = None) -> bytes:
    """An XLSX workbook: README, a sheet per entity (header frozen and bold, autofilter,
    allowed values of CHOICE columns as drop-down lists), hidden "lists" and "meta" sheets.

    With `theme`, the theme lead's template: only sheets.TEMPLATE_SHEETS, pre-filled with
    that theme's rows."""
    chosen = TEMPLATE_SHEETS if theme is not None else tuple(sheets)
    keys = Keys()
    tables = [(sheet, sheet_rows(sheet, theme=theme, keys=keys)) for sheet in chosen]
    return _workbook(tables, theme_key=theme.key if theme is not None else "")


README_NL = (
    "Elk werkblad is één soort gegeven; rij 1 bevat de kolomnamen (niet wijzigen: de import leest ze).",
    "Sleutels (key) zijn vaste namen; een verwijzing noemt de sleutel van het andere gegeven.",
    'TRL: "4-6" of "4". Lijsten: waarden gescheiden door ", " (aliassen door "; "). Ja/nee: yes / no.',
    "Datums: JJJJ-MM-DD. Bedragen: hele euro's, als getal.",
    "Kolommen met een vaste keuze hebben een keuzelijst (dropdown).",
    "Tekst die begint met = + - of @ staat er met een apostrof ervoor, zodat het geen formule wordt;"
    " de import haalt die apostrof weer weg.",
    "Importeren verandert alleen de werkbladen die hieronder 'importeerbaar' heten, en alleen als concept:"
    " de kerngroep publiceert.",
)
README_EN = (
    "Each sheet is one kind of record; row 1 holds the column names (keep them: the import reads them).",
    "Keys are stable names; a reference names the other record's key.",
    'TRL: "4-6" or "4". Lists: values separated by ", " (aliases by "; "). Yes/no: yes / no.',
    "Dates: YYYY-MM-DD. Amounts: whole euros, as numbers.",
    "Columns with a fixed set of values have a drop-down list.",
    "Text that starts with = + - or @ is written with an apostrophe before it so it never runs as a formula;"
    " the import removes that apostrophe again.",
    "An import changes only the sheets marked 'importable' below, and only into drafts: the core group publishes.",
)
MAX_WIDTH = 60


def _workbook(tables: list[tuple[sheets.Sheet, list[Row]]], *, theme_key: str) -> bytes:
    # openpyxl is heavy: imported when a workbook is asked for.
    from openpyxl import Workbook
    from openpyxl.packaging.custom import IntProperty, StringProperty
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    readme = book.active
    assert readme is not None
    readme.title = sheets.README_SHEET
    _write_readme(readme, tables, theme_key=theme_key)
    readme.column_dimensions["A"].width = 28
    readme.column_dimensions["B"].width = 110

    choice_columns = [(s, c) for s, _ in tables for c in s.columns if c.kind == sheets.Kind.CHOICE and c.choices]
    list_ranges: dict[tuple[str, str], str] = {}
    for index, (sheet, column) in enumerate(choice_columns, start=1):
        letter = get_column_letter(index)
        list_ranges[(sheet.name, column.name)] = f"{sheets.LISTS_SHEET}!${letter}$2:${letter}${len(column.choices) + 1}"

    for sheet, rows in tables:
        ws = book.create_sheet(sheet.name)
        ws.append(list(sheet.headers))
        for row in rows:
            ws.append([_xlsx_cell(row[name]) for name in sheet.headers])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        last = get_column_letter(len(sheet.headers))
        ws.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
        for index, column in enumerate(sheet.columns, start=1):
            letter = get_column_letter(index)
            ws.column_dimensions[letter].width = _width(column.name, (row[column.name] for row in rows))
            if (sheet.name, column.name) in list_ranges:
                validation = DataValidation(
                    type="list",
                    formula1=list_ranges[(sheet.name, column.name)],
                    allow_blank=not column.required,
                    showErrorMessage=True,
                    errorTitle=column.name,
                    error="Kies een waarde uit de lijst / choose a value from the list",
                )
                validation.add(f"{letter}2:{letter}1048576")
                ws.add_data_validation(validation)

    lists = book.create_sheet(sheets.LISTS_SHEET)
    for index, (sheet, column) in enumerate(choice_columns, start=1):
        lists.cell(row=1, column=index, value=f"{sheet.name}.{column.name}").font = Font(bold=True)
        for offset, value in enumerate(column.choices, start=2):
            lists.cell(row=offset, column=index, value=value)
    lists.sheet_state = "hidden"

    kind = "template" if theme_key else "export"
    meta = book.create_sheet(sheets.META_SHEET)
    meta_rows: tuple[tuple[str, Any], ...] = (
        ("format", sheets.WORKBOOK_FORMAT),
        ("format_version", sheets.WORKBOOK_FORMAT_VERSION),
        ("kind", kind),
        ("theme", theme_key or None),
    )
    for name, value in meta_rows:
        meta.append([name, value])
    meta.sheet_state = "hidden"
    book.custom_doc_props.append(StringProperty(name="trechter_format", value=sheets.WORKBOOK_FORMAT))
    book.custom_doc_props.append(IntProperty(name="trechter_format_version", value=sheets.WORKBOOK_FORMAT_VERSION))
    book.custom_doc_props.append(StringProperty(name="trechter_kind", value=kind))
    if theme_key:
        book.custom_doc_props.append(StringProperty(name="trechter_theme", value=theme_key))
    book.properties.creator = "Trechter"
    book.properties.title = f"Trechter: {theme_key}" if theme_key else "Trechter agenda"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_readme(ws: Any, tables: list[tuple[sheets.Sheet, list[Row]]], *, theme_key: str) -> None:
    from openpyxl.styles import Font

    title = f"Trechter — sjabloon voor thema / template for theme {theme_key}" if theme_key else "Trechter — agenda"
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    ws.append(["Nederlands"])
    for line in README_NL:
        ws.append(["", line])
    ws.append([])
    ws.append(["English"])
    for line in README_EN:
        ws.append(["", line])
    ws.append([])
    ws.append(["sheet / werkblad", "rows / rijen · importable / importeerbaar · columns / kolommen"])
    for sheet, rows in tables:
        importable = "importable / importeerbaar" if sheet.importable else "read only / alleen lezen"
        ws.append([sheet.name, f"{len(rows)} · {importable} · {', '.join(sheet.headers)}"])
    ws.append([])
    ws.append(["format", f"{sheets.WORKBOOK_FORMAT} {sheets.WORKBOOK_FORMAT_VERSION}"])
    for row in ws.iter_rows():
        for cell in row:
            if cell.column == 1 and cell.value and cell.row > 1:
                cell.font = Font(bold=True)


def _xlsx_cell(value: Any) -> Any:
    """Numbers stay numbers; text is neutralised and stripped of the control characters XML
    cannot hold, so a cell is always a string or a number, never a formula."""
    if value is None or isinstance(value, int):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", cells.neutralise(str(value)))


def _width(header: str, values: Iterable[Any]) -> float:
    longest = max((len(str(v).split("\n", 1)[0]) for v in values if v is not None), default=0)
    return min(MAX_WIDTH, max(len(header), longest, 6)) + 2


def export_date() -> str:
    """Today's date for file names: trechter-agenda-2026-11-28.xlsx."""
    return timezone.localdate().isoformat()
