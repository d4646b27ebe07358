"""Exports of the published agenda: the JSON document is a seed data set, sheets match the
spec and the database, workbooks carry their conventions, nothing runs as a formula."""

from __future__ import annotations

import csv
import datetime
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tests.factories import empty_database
from trechter.actors.models import Group, Meeting, MeetingParticipant, Membership, Organisation, Person
from trechter.agenda.models import (
    Activity,
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
from trechter.exchange import export, sheets
from trechter.funding.models import Instrument
from trechter.seed import actions as seed
from trechter.seed import schema
from trechter.seed.dataset import read_dataset

pytestmark = pytest.mark.django_db

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "agenda.schema.json"
MOMENT = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=datetime.UTC)
COUNTS = {
    "organisations": Organisation,
    "people": Person,
    "groups": Group,
    "memberships": Membership,
    "themes": Theme,
    "theme_leads": ThemeLead,
    "sub_priorities": SubPriority,
    "proposals": Proposal,
    "parties": Party,
    "proposal_instruments": ProposalInstrument,
    "activities": Activity,
    "actors": ThemeActor,
    "funnel_questions": FunnelQuestion,
    "funnel_answers": FunnelAnswer,
    "cross_theme_topics": CrossThemeTopic,
    "instruments": Instrument,
    "meetings": Meeting,
    "meeting_participants": MeetingParticipant,
    "trl_levels": TrlLevel,
    "criteria": Criterion,
    "criteria_assessments": CriteriaAssessment,
    "criterion_findings": CriterionFinding,
}


def _csv_rows(sheet: sheets.Sheet) -> list[list[str]]:
    return list(csv.reader(io.StringIO(export.csv_bytes(sheet).decode("utf-8-sig"), newline="")))


def _workbook(content: bytes) -> Any:
    return load_workbook(io.BytesIO(content))


# --- JSON -------------------------------------------------------------------------------


def test_json_document_validates_against_the_published_schema_and_the_seed_schema() -> None:
    document = json.loads(export.document_bytes(export.agenda_document()))

    jsonschema.Draft202012Validator(export.json_schema(), format_checker=jsonschema.FormatChecker()).validate(document)
    export.AgendaDocument.model_validate(document)
    assert document["format"] == "trechter-agenda" and document["format_version"] == 1
    assert schema.SeedFile.model_validate(document["data"]).themes


def test_schema_refuses_a_document_with_an_unknown_section() -> None:
    document = json.loads(export.document_bytes(export.agenda_document()))
    document["data"]["gossip"] = []

    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, export.json_schema())


def test_committed_schema_file_is_the_generated_one() -> None:
    # Regenerate with: trechter export --format schema --output docs/agenda.schema.json
    assert SCHEMA_FILE.read_bytes() == export.schema_bytes()


def test_two_exports_are_byte_equal_apart_from_the_time() -> None:
    first = export.document_bytes(export.agenda_document(exported_at=MOMENT))
    second = export.document_bytes(export.agenda_document(exported_at=MOMENT))
    assert first == second
    assert json.loads(first)["exported_at"] == "2026-11-28T12:00:00Z"


def test_json_export_is_a_seed_data_set_that_loads_into_an_empty_database_and_exports_the_same(
    tmp_path: Path,
) -> None:
    before = export.agenda_document(exported_at=MOMENT)
    (tmp_path / "agenda.yaml").write_bytes(export.document_bytes(before["data"]))  # JSON is YAML

    dataset = read_dataset(tmp_path)  # raises SeedError listing every problem
    empty_database()
    seed.load_seed(folder=tmp_path)
    after = export.agenda_document(exported_at=MOMENT)

    assert dataset.counts() == read_dataset().counts()  # nothing of the built-in seed was lost
    assert after == before


def test_json_export_keeps_every_seed_record_and_leaves_out_empty_fields() -> None:
    data = export.agenda_document()["data"]
    seed_set = read_dataset()

    assert {name: len(data.get(name, [])) for name in seed_set.counts()} == seed_set.counts()
    lsh = next(t for t in data["themes"] if t["key"] == "lsh")
    assert "leads" not in lsh  # the seed's `leads: []` is an empty default
    assert all(None not in p.values() and "" not in p.values() for p in data["proposals"])


def test_json_export_query_count_does_not_grow_with_the_records() -> None:
    theme = Theme.objects.get(key="energy")
    organisation = Organisation.objects.order_by("key").first()
    with CaptureQueriesContext(connection) as few:
        export.agenda_document()
    for n in range(3):
        proposal = Proposal.objects.create(key=f"extra-{n}", kind="project", theme=theme, title_nl=f"Extra {n}")
        Party.objects.create(proposal=proposal, organisation=organisation, role="lead")
    with CaptureQueriesContext(connection) as more:
        export.agenda_document()
    assert len(more) == len(few)


def test_proposal_added_in_trechter_without_source_still_exports_a_valid_seed() -> None:
    theme = Theme.objects.get(key="energy")
    Proposal.objects.create(
        key="added-later", kind="project", theme=theme, title_nl="Later", budget_total_min_eur=5, budget_total_max_eur=9
    )
    data = export.agenda_document()["data"]

    added = next(p for p in data["proposals"] if p["key"] == "added-later")
    assert added["source"] == export.FALLBACK_SOURCE
    assert added["budget"] == {"total_min_eur": 5, "total_max_eur": 9, "text_nl": "€ 5–9 totaal"}
    schema.SeedFile.model_validate(data)


# --- Sheets and CSV ---------------------------------------------------------------------


@pytest.mark.parametrize("sheet", sheets.SHEETS, ids=lambda s: s.name)
def test_csv_header_is_the_spec_and_rows_are_the_database_rows(sheet: sheets.Sheet) -> None:
    content = export.csv_bytes(sheet)
    rows = _csv_rows(sheet)

    assert content.startswith(b"\xef\xbb\xbf")
    assert tuple(rows[0]) == sheet.headers
    assert len(rows) - 1 == COUNTS[sheet.name].objects.count() > 0
    assert all(len(row) == len(sheet.headers) for row in rows)


def test_sheet_rows_follow_the_cell_conventions() -> None:
    proposals = {r["key"]: r for r in export.sheet_rows(sheets.PROPOSALS)}
    stored = Proposal.objects.exclude(trl_from=None).exclude(budget_total_min_eur=None).order_by("key").first()
    assert stored is not None
    row = proposals[stored.key]

    expected_trl = str(stored.trl_from) if stored.trl_from == stored.trl_to else f"{stored.trl_from}-{stored.trl_to}"
    assert row["trl"] == expected_trl
    assert row["budget_total_min_eur"] == stored.budget_total_min_eur  # a number, not text
    assert row["value_chain"] == (", ".join(stored.value_chain) or None)
    assert row["theme"] == stored.theme.key
    vlaio = next(r for r in export.sheet_rows(sheets.ORGANISATIONS) if r["key"] == "vlaio")
    assert "Vlaamse overheid, Agentschap Innoveren en Ondernemen (VLAIO)" in vlaio["aliases"].split("; ")
    meeting = export.sheet_rows(sheets.MEETINGS)[0]
    assert datetime.date.fromisoformat(meeting["held_on"])
    findings = export.sheet_rows(sheets.CRITERION_FINDINGS)
    assert {f["present"] for f in findings} <= {"yes", "no", None}


def test_csv_of_a_theme_holds_only_that_theme() -> None:
    theme = Theme.objects.get(key="photonics")
    rows = list(csv.DictReader(io.StringIO(export.csv_bytes(sheets.PROPOSALS, theme=theme).decode("utf-8-sig"))))
    assert {r["theme"] for r in rows} == {"photonics"}
    assert len(rows) == Proposal.objects.filter(theme=theme).count()


FORMULAS = {"name": "=1+2", "city": "@SUM(A1)", "note": "+31 20 123 4567"}


def _plant_formulas() -> tuple[Organisation, Proposal]:
    organisation = Organisation.objects.order_by("key").first()
    assert organisation is not None
    Organisation.objects.filter(pk=organisation.pk).update(**FORMULAS)
    proposal = Proposal.objects.order_by("key").first()
    assert proposal is not None
    Proposal.objects.filter(pk=proposal.pk).update(title_nl='=HYPERLINK("http://x.test","klik")', summary_nl="-x")
    return organisation, proposal


def test_formula_like_texts_are_neutralised_in_csv() -> None:
    organisation, proposal = _plant_formulas()

    organisations = {r[0]: r for r in _csv_rows(sheets.ORGANISATIONS)}
    header = _csv_rows(sheets.ORGANISATIONS)[0]
    row = dict(zip(header, organisations[organisation.key], strict=True))
    assert (row["name"], row["city"], row["note"]) == ("'=1+2", "'@SUM(A1)", "'+31 20 123 4567")
    proposals = list(csv.DictReader(io.StringIO(export.csv_bytes(sheets.PROPOSALS).decode("utf-8-sig"))))
    planted = next(r for r in proposals if r["key"] == proposal.key)
    assert planted["title_nl"] == '\'=HYPERLINK("http://x.test","klik")'
    assert planted["summary_nl"] == "'-x"


def test_formula_like_texts_are_neutralised_strings_in_xlsx() -> None:
    organisation, proposal = _plant_formulas()
    book = _workbook(export.workbook_bytes())

    ws = book["organisations"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == organisation.key)
    cells = {name: row[header.index(name)] for name in FORMULAS}
    assert {name: c.value for name, c in cells.items()} == {k: "'" + v for k, v in FORMULAS.items()}
    assert {c.data_type for c in cells.values()} == {"s"}
    ws = book["proposals"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == proposal.key)
    title = row[header.index("title_nl")]
    assert title.data_type == "s" and title.value.startswith("'=HYPERLINK")


# --- XLSX -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook(django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock():
        return _workbook(export.workbook_bytes())


def test_workbook_has_readme_first_a_sheet_per_entity_and_hidden_helpers(workbook: Any) -> None:
    names = workbook.sheetnames
    assert names[0] == sheets.README_SHEET
    assert names[1 : 1 + len(sheets.SHEETS)] == [s.name for s in sheets.SHEETS]
    assert workbook[sheets.LISTS_SHEET].sheet_state == "hidden"
    assert workbook[sheets.META_SHEET].sheet_state == "hidden"
    readme = " ".join(str(c.value) for row in workbook[sheets.README_SHEET].iter_rows() for c in row if c.value)
    assert "Nederlands" in readme and "English" in readme and "proposals" in readme
    meta = {row[0].value: row[1].value for row in workbook[sheets.META_SHEET].iter_rows()}
    assert meta == {"format": "trechter-sheets", "format_version": 1, "kind": "export", "theme": None}


@pytest.mark.parametrize("sheet", sheets.SHEETS, ids=lambda s: s.name)
def test_every_workbook_sheet_has_a_frozen_bold_header_and_a_filter(workbook: Any, sheet: sheets.Sheet) -> None:
    ws = workbook[sheet.name]
    assert tuple(c.value for c in ws[1]) == sheet.headers
    assert ws.freeze_panes == "A2"
    assert all(c.font.b for c in ws[1])
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(sheet.headers)).column_letter}{ws.max_row}"
    assert ws.max_row - 1 == COUNTS[sheet.name].objects.count()


def _validation_lists(workbook: Any, sheet: sheets.Sheet) -> dict[str, list[str]]:
    """Column name → the values its drop-down list offers (read from the hidden lists sheet)."""
    ws = workbook[sheet.name]
    header = [c.value for c in ws[1]]
    found = {}
    for validation in ws.data_validations.dataValidation:
        assert validation.type == "list"
        target, cells_range = validation.formula1.split("!")
        values = [c.value for (c,) in workbook[target][cells_range.replace("$", "")]]
        for ref in str(validation.sqref).split():
            column = ws[ref.split(":")[0]].column
            found[header[column - 1]] = values
    return found


@pytest.mark.parametrize("sheet", sheets.SHEETS, ids=lambda s: s.name)
def test_choice_columns_have_drop_down_lists_of_their_values(workbook: Any, sheet: sheets.Sheet) -> None:
    expected = {c.name: list(c.choices) for c in sheet.columns if c.kind == sheets.Kind.CHOICE}
    assert _validation_lists(workbook, sheet) == expected


def test_proposal_status_list_is_the_vocabulary(workbook: Any) -> None:
    lists = _validation_lists(workbook, sheets.PROPOSALS)
    assert lists["status"] == ["idea", "proposed", "in_preparation", "submitted", "running", "completed", "withdrawn"]
    assert lists["kind"] == ["cooperation", "project"]


def test_workbook_numbers_are_numbers_and_dates_iso_text(workbook: Any) -> None:
    ws = workbook["proposals"]
    header = [c.value for c in ws[1]]
    budgets = [r[header.index("budget_total_min_eur")].value for r in ws.iter_rows(min_row=2)]
    assert any(isinstance(b, int) for b in budgets) and all(b is None or isinstance(b, int) for b in budgets)
    held_on = [r[1].value for r in workbook["meetings"].iter_rows(min_row=2)]
    assert all(isinstance(d, str) and datetime.date.fromisoformat(d) for d in held_on)


def test_theme_template_holds_only_that_themes_rows() -> None:
    theme = Theme.objects.get(key="energy")
    book = _workbook(export.workbook_bytes(theme=theme))

    assert book.sheetnames == [
        sheets.README_SHEET,
        *(s.name for s in sheets.TEMPLATE_SHEETS),
        sheets.LISTS_SHEET,
        sheets.META_SHEET,
    ]
    assert [r[0].value for r in book["themes"].iter_rows(min_row=2)] == ["energy"]
    assert {r[1].value for r in book["proposals"].iter_rows(min_row=2)} == {"energy"}
    assert book["proposals"].max_row - 1 == Proposal.objects.filter(theme=theme).count()
    assert book["parties"].max_row - 1 == Party.objects.filter(proposal__theme=theme).count()
    assert book["funnel_answers"].max_row - 1 == FunnelAnswer.objects.filter(theme=theme).count()
    meta = {row[0].value: row[1].value for row in book[sheets.META_SHEET].iter_rows()}
    assert (meta["kind"], meta["theme"]) == ("template", "energy")
    assert {p.name: p.value for p in book.custom_doc_props}["trechter_theme"] == "energy"


def _identity(record: Any) -> Any:
    for name in ("key", "level"):
        if hasattr(record, name):
            return getattr(record, name)
    return tuple(getattr(record, name, None) for name in ("theme", "organisation", "question", "band", "text_nl"))


def _comparable(section: str, record: Any) -> Any:
    """What the database keeps of a seed record: links without an order come sorted."""
    if section == "cross_theme_topics":
        return record.model_copy(update={"themes": sorted(record.themes)})
    if section == "proposals":
        return record.model_copy(update={"other_themes": sorted(record.other_themes)})
    if section == "activities":
        return record.model_copy(update={"organisations": sorted(record.organisations)})
    return record


def test_json_export_of_the_seed_is_the_seed_record_by_record() -> None:
    exported = schema.SeedFile.model_validate(export.agenda_document()["data"])
    seed_set = read_dataset()

    assert exported.agenda == seed_set.agenda
    for section in seed_set.counts():
        mine = {_identity(r): _comparable(section, r) for r in getattr(exported, section)}
        theirs = {_identity(r): _comparable(section, r) for r in seed_set.records(section)}
        assert mine == theirs, section


def test_workbook_of_chosen_sheets_holds_only_those() -> None:
    book = _workbook(export.workbook_bytes(sheets=(sheets.PARTIES, sheets.ORGANISATIONS)))
    assert book.sheetnames == [sheets.README_SHEET, "parties", "organisations", sheets.LISTS_SHEET, sheets.META_SHEET]
