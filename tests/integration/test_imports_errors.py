"""Messy and bad input: read right when it can be, otherwise refused with the sheet, row and
column named — and the database left exactly as it was."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.factories import make_user
from tests.integration.test_imports import KEY, csv_bytes, edit_workbook, fingerprint, plan
from trechter.agenda.models import Theme
from trechter.exchange import export, importer, reading, sheets
from trechter.exchange.importer import ImportPlan
from trechter.exchange.parsing import Problem

pytestmark = pytest.mark.django_db

HEADER = ["key", "theme", "kind", "title_nl", "status", "trl", "budget_total_min_eur", "budget_total_max_eur"]


@pytest.fixture
def lead() -> Any:
    return make_user("lea", "theme_lead", "energy")


@pytest.fixture
def template() -> bytes:
    return export.workbook_bytes(theme=Theme.objects.get(key="energy"))


def refused(result: ImportPlan, user: Any) -> list[Problem]:
    """The plan's errors, after checking that applying it writes nothing."""
    before = fingerprint()
    assert result.errors
    with pytest.raises(importer.ImportRefused):
        importer.apply_import(result, user=user)
    assert fingerprint() == before
    return result.errors


def where(problem: Problem) -> tuple[str, int | None, str, str]:
    return (problem.sheet, problem.row, problem.column, problem.header)


def proposal_row(**values: str) -> list[str]:
    base = {"key": KEY, "theme": "energy", "kind": "cooperation", "title_nl": "Zon", "status": "proposed"}
    return [{**base, **values}.get(h, "") for h in HEADER]


# --- messy input read right


def test_cp1252_csv_reads_accents_and_euro_sign(lead: Any) -> None:
    rows = [HEADER, proposal_row(title_nl="Zonne-énergie", budget_total_min_eur="€ 200.000")]
    data = csv_bytes(rows, encoding="cp1252", delimiter=";")
    assert b"\xe9" in data and b"\x80" in data
    before = fingerprint()
    [change] = plan("proposals.csv", data, lead).proposals
    assert change.after["title_nl"] == "Zonne-énergie"
    assert (change.after["budget_total_min_eur"], change.after["budget_total_max_eur"]) == (200_000, 200_000)
    assert fingerprint() == before


def test_utf8_bom_csv_reads_accents_and_euro_sign(lead: Any) -> None:
    rows = [HEADER, proposal_row(title_nl="Zonne-énergie", budget_total_min_eur="M€ 10")]
    [change] = plan("proposals.csv", csv_bytes(rows, encoding="utf-8-sig"), lead).proposals
    assert change.after["title_nl"] == "Zonne-énergie"
    assert change.after["budget_total_min_eur"] == 10_000_000


@pytest.mark.parametrize(
    ("trl", "budget", "expected"),
    [
        ("4-6", "3 à 4 miljoen euro", (4, 6, 3_000_000, 4_000_000)),
        ("4 à 6", "M€ 10", (4, 6, 10_000_000, 10_000_000)),
        ("TRL 5", "€ 200.000", (5, 5, 200_000, 200_000)),
    ],
)
def test_messy_trl_and_budget_are_read(lead: Any, trl: str, budget: str, expected: tuple[int, ...]) -> None:
    [change] = plan(
        "proposals.csv", csv_bytes([HEADER, proposal_row(trl=trl, budget_total_min_eur=budget)]), lead
    ).proposals
    after = change.after
    assert (
        after["trl_from"],
        after["trl_to"],
        after["budget_total_min_eur"],
        after["budget_total_max_eur"],
    ) == expected


def test_renamed_columns_are_read_through_their_aliases(lead: Any) -> None:
    header = ["Sleutel", "Thema", "Soort", "Titel (NL)", "Status", "TRL niveau"]
    rows = [header, [KEY, "energy", "Samenwerkingsvoorstel", "Zon", "Voorgesteld", "2-4"]]
    result = plan("proposals.csv", csv_bytes(rows), lead)
    assert result.errors == []
    [change] = result.proposals
    assert (change.after["title_nl"], change.after["trl_from"], change.after["kind"]) == ("Zon", 2, "cooperation")


def test_partial_columns_keep_the_other_fields(lead: Any) -> None:
    rows = [["key", "theme", "kind", "title_nl", "status"], [KEY, "energy", "cooperation", "Zon", "proposed"]]
    [change] = plan("proposals.csv", csv_bytes(rows), lead).proposals
    assert change.changed_fields == ["title_nl"]  # summary, TRL, budgets … as they are


# --- refused, located, nothing written


def test_missing_required_column_is_named(lead: Any) -> None:
    rows = [["key", "theme", "kind", "status"], [KEY, "energy", "cooperation", "proposed"]]
    [error] = refused(plan("proposals.csv", csv_bytes(rows), lead), lead)
    assert error.message == "The required column title_nl is missing."
    assert error.sheet == "proposals.csv"


def test_bad_values_are_each_located(lead: Any) -> None:
    rows = [HEADER, proposal_row(trl="6-4", status="klaar", budget_total_min_eur="veel"), proposal_row(key="x y")]
    errors = refused(plan("proposals.csv", csv_bytes(rows), lead), lead)
    assert [(where(e), e.message) for e in errors] == [
        (
            ("proposals.csv", 2, "E", "status"),
            "“klaar” is not one of: idea, proposed, in_preparation, submitted, running, completed, withdrawn",
        ),
        (("proposals.csv", 2, "F", "trl"), "the TRL range 6-4 runs backwards; write the lower level first: 4-6"),
        (("proposals.csv", 2, "G", "budget_total_min_eur"), "“veel” is not an amount I can read"),
        (
            ("proposals.csv", 3, "A", "key"),
            "A key is lower-case letters, digits and dashes, e.g. energy-pv-cooperation.",
        ),
    ]


def test_unknown_organisation_gets_suggestions(lead: Any) -> None:
    rows = [["proposal", "organisation", "role"], [KEY, "Imec Leuven", "lead"], [KEY, "IMEC", "partner"]]
    errors = refused(plan("parties.csv", csv_bytes(rows), lead), lead)
    [error] = errors  # "IMEC" is an alias of imec: accepted
    assert where(error) == ("parties.csv", 2, "B", "organisation")
    assert error.message.startswith("Unknown organisation “Imec Leuven” — did you mean: imec (imec)")
    assert error.suggestions[0] == "imec (imec)"


def test_duplicate_rows_are_refused(lead: Any) -> None:
    rows = [["proposal", "organisation", "role"], [KEY, "imec", "lead"], [KEY, "Imec", "partner"]]
    [error] = refused(plan("parties.csv", csv_bytes(rows), lead), lead)
    assert where(error) == ("parties.csv", 3, "A", "proposal")
    assert error.message == "The same proposal, organisation as row 2: each appears once."


def test_parties_of_an_unknown_proposal_are_refused(lead: Any) -> None:
    rows = [["proposal", "organisation", "role"], ["no-such-proposal", "imec", "lead"]]
    [error] = refused(plan("parties.csv", csv_bytes(rows), lead), lead)
    assert where(error) == ("parties.csv", 2, "A", "proposal")
    assert error.message == "No proposal no-such-proposal in the file or in Trechter."


def test_unknown_theme_is_refused(lead: Any) -> None:
    [error] = refused(plan("proposals.csv", csv_bytes([HEADER, proposal_row(theme="space")]), lead), lead)
    assert (where(error), error.message) == (("proposals.csv", 2, "B", "theme"), "Unknown theme “space”.")


def test_a_formula_cell_is_refused(lead: Any, template: bytes) -> None:
    edited = edit_workbook(template, "proposals", "key", KEY, {"title_en": '=UPPER("zon")'})
    [error] = refused(plan("template.xlsx", edited, lead), lead)
    assert (error.sheet, error.header) == ("proposals", "title_en")
    assert load_workbook(io.BytesIO(edited))["proposals"][f"A{error.row}"].value == KEY
    assert load_workbook(io.BytesIO(edited))["proposals"][f"{error.column}1"].value == "title_en"
    assert error.message == "This cell holds a formula; formulas are not imported. Type the value."


def test_an_oversized_file_is_refused(lead: Any, settings: Any) -> None:
    settings.IMPORT_MAX_BYTES = 10_000
    before = fingerprint()
    with pytest.raises(reading.FileRefused, match="at most 9 kB"):
        reading.read_upload("proposals.csv", csv_bytes([HEADER] + [proposal_row()] * 200))
    assert fingerprint() == before


def test_a_zip_bomb_named_xlsx_is_refused(lead: Any) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", b"<" + b" " * (reading.MAX_UNCOMPRESSED_BYTES + 1) + b"/>")
    assert len(out.getvalue()) < 100_000
    before = fingerprint()
    with pytest.raises(reading.FileRefused, match="zip bomb"):
        reading.read_upload("agenda.xlsx", out.getvalue())
    assert fingerprint() == before


def test_a_csv_named_xlsx_is_refused(lead: Any) -> None:
    with pytest.raises(reading.FileRefused, match="not an XLSX workbook"):
        reading.read_upload("agenda.xlsx", csv_bytes([HEADER, proposal_row()]))


def test_malformed_json_is_refused(lead: Any) -> None:
    with pytest.raises(reading.FileRefused, match="malformed at line 1"):
        reading.read_upload("agenda.json", b'{"format": "trechter-agenda", "data": {')


def test_json_errors_name_their_path_and_nothing_is_written(lead: Any) -> None:
    document = export.agenda_document()
    index = next(i for i, p in enumerate(document["data"]["proposals"]) if p["key"] == KEY)
    document["data"]["proposals"][index]["status"] = "finished"
    [error] = refused(plan("agenda.json", json.dumps(document).encode(), lead), lead)
    assert error.path == f"data.proposals[{index}].status"


def test_a_theme_lead_cannot_change_another_theme(lead: Any) -> None:
    photonics = Theme.objects.get(key="photonics")
    other = export.workbook_bytes(theme=photonics)
    key = export.sheet_rows(sheets.PROPOSALS, theme=photonics)[0]["key"]
    edited = edit_workbook(other, "proposals", "key", key, {"title_nl": "Licht"})
    [error] = refused(plan("photonics.xlsx", edited, lead), lead)
    assert (error.sheet, error.row, error.header) == ("proposals", 2, "key")
    assert error.message == f"You may not change proposal {key} of theme photonics."


def test_a_template_of_another_theme_is_refused_for_this_theme(lead: Any) -> None:
    other = export.workbook_bytes(theme=Theme.objects.get(key="photonics"))
    errors = refused(plan("photonics.xlsx", other, lead, Theme.objects.get(key="energy")), lead)
    assert errors[0].message == "This is the template of theme photonics, not of energy."


def test_a_member_cannot_change_proposals_or_themes(template: bytes) -> None:
    member = make_user("mia", "member")
    edited = edit_workbook(template, "proposals", "key", KEY, {"title_nl": "Zon"})
    edited = edit_workbook(edited, "themes", "key", "energy", {"aim_en": "Aim"})
    errors = refused(plan("template.xlsx", edited, member), member)
    assert sorted(e.message for e in errors) == [
        f"You may not change proposal {KEY} of theme energy.",
        "You may not change theme energy.",
    ]


def test_every_error_of_every_sheet_is_reported_at_once(lead: Any, template: bytes) -> None:
    book = load_workbook(io.BytesIO(template))
    proposals, parties = book["proposals"], book["parties"]
    proposals.cell(row=2, column=[c.value for c in proposals[1]].index("trl") + 1).value = "10"
    parties.cell(row=2, column=[c.value for c in parties[1]].index("role") + 1).value = "boss"
    out = io.BytesIO()
    book.save(out)
    errors = refused(plan("template.xlsx", out.getvalue(), lead), lead)
    assert sorted((e.sheet, e.row, e.header) for e in errors) == [("parties", 2, "role"), ("proposals", 2, "trl")]


def test_a_workbook_of_another_format_version_is_refused(lead: Any, template: bytes) -> None:
    book = load_workbook(io.BytesIO(template))
    meta = book[sheets.META_SHEET]
    row = next(r for r in meta.iter_rows() if r[0].value == "format_version")
    row[1].value = "99"
    out = io.BytesIO()
    book.save(out)
    [error] = refused(plan("template.xlsx", out.getvalue(), lead), lead)
    assert error.sheet == "meta"
    assert error.message == "This workbook has format version 99; Trechter reads version 1. Export again."
