"""Untrusted files read safely: size first, zips inspected before openpyxl, formulas refused,
CSV encodings and delimiters found, JSON guarded and validated — each problem located."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.utils import translation
from openpyxl import Workbook

from trechter.exchange import reading
from trechter.exchange.reading import FileRefused, read_upload

PROPOSAL_HEADERS = ["key", "theme", "kind", "title_nl", "status", "trl"]


@pytest.fixture(autouse=True)
def _english() -> Any:
    """The messages are matched in English; the site's default language is Dutch."""
    with translation.override("en"):
        yield


def xlsx(tabs: dict[str, list[list[Any]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in tabs.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zipped(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


# --- size and zip checks


def test_a_file_over_the_limit_is_refused_before_parsing(settings: Any) -> None:
    settings.IMPORT_MAX_BYTES = 1024
    with pytest.raises(FileRefused, match="The file is 4 kB; at most 1 kB can be imported"):
        read_upload("proposals.csv", b"key,theme\n" + b"x" * 5000)


def test_an_empty_file_and_an_unknown_extension_are_refused() -> None:
    with pytest.raises(FileRefused, match="empty"):
        read_upload("proposals.csv", b"")
    with pytest.raises(FileRefused, match=r"\.xlsx, \.csv or \.json"):
        read_upload("proposals.xls", b"abc")


def test_an_xlsx_that_is_not_a_zip_is_refused() -> None:
    with pytest.raises(FileRefused, match="not an XLSX workbook"):
        read_upload("agenda.xlsx", b"key,theme\nx,y\n")


def test_a_zip_without_a_workbook_is_refused() -> None:
    with pytest.raises(FileRefused, match="not an XLSX workbook"):
        read_upload("agenda.xlsx", zipped({"hello.txt": b"hi"}))


def test_a_zip_bomb_by_ratio_is_refused_before_openpyxl() -> None:
    bomb = zipped({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"\0" * (3 * 1024 * 1024)})
    assert len(bomb) < 20_000
    with pytest.raises(FileRefused, match="zip bomb"):
        read_upload("agenda.xlsx", bomb)


def test_a_zip_bomb_by_total_size_is_refused() -> None:
    # Many parts, each below the ratio floor, together over the limit.
    part = bytes(range(256)) * 3000  # ~750 kB, compresses well but stays under RATIO_FLOOR
    entries = {"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>"}
    entries |= {f"xl/part{i}.xml": part for i in range(reading.MAX_UNCOMPRESSED_BYTES // len(part) + 1)}
    with pytest.raises(FileRefused, match="zip bomb"):
        reading.inspect_zip(zipped(entries))


def test_a_path_that_climbs_out_is_refused() -> None:
    data = zipped({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>", "xl/../../evil.xml": b"<x/>"})
    with pytest.raises(FileRefused, match="suspicious path"):
        read_upload("agenda.xlsx", data)


def test_an_encrypted_entry_is_refused() -> None:
    data = bytearray(zipped({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>"}))
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 0x1  # the central directory's "encrypted" flag
    with pytest.raises(FileRefused, match="encrypted"):
        read_upload("agenda.xlsx", bytes(data))


def test_too_many_entries_are_refused() -> None:
    entries = {f"x{i}": b"" for i in range(reading.MAX_ZIP_ENTRIES + 1)}
    with pytest.raises(FileRefused, match="too many parts"):
        reading.inspect_zip(zipped(entries))


# --- XLSX content


def test_workbook_rows_with_locations_and_renamed_headers() -> None:
    data = xlsx(
        {
            "README": [["about this workbook"]],
            "proposals": [
                ["key", "Thema", "kind", "Titel (NL)", "status", "TRL"],
                ["p-1", "energy", "project", "'=Zonnestroom", "proposed", "4-6"],
                [None, None, None, None, None, None],
                ["p-2", "energy", "project", "Wind", "proposed", 5],
            ],
            "meta": [["format", "trechter-sheets"], ["format_version", 1], ["theme", "energy"]],
            "Notes": [["my own notes"]],
        }
    )
    upload = read_upload("agenda.xlsx", data)
    table = upload.tables["proposals"]
    assert upload.errors == []
    assert upload.meta == {"format": "trechter-sheets", "format_version": "1", "theme": "energy"}
    assert [n.message for n in upload.notices] == ["Sheet “Notes” is not one Trechter knows; it was skipped."]
    assert [row.number for row in table.rows] == [2, 4]
    assert table.value(table.rows[0], "title_nl") == "=Zonnestroom"  # one apostrophe taken off
    assert table.value(table.rows[1], "trl") == 5
    problem = table.problem(table.rows[1], "title_nl", "x")
    assert (problem.sheet, problem.row, problem.column, problem.header) == ("proposals", 4, "D", "Titel (NL)")


def test_a_formula_is_refused_naming_its_cell() -> None:
    data = xlsx({"proposals": [PROPOSAL_HEADERS, ["p-1", "energy", "project", '=CONCAT("a","b")', "proposed", ""]]})
    upload = read_upload("agenda.xlsx", data)
    [error] = upload.errors
    assert (error.sheet, error.row, error.column, error.header) == ("proposals", 2, "D", "title_nl")
    assert "formulas are not imported" in error.message


def test_a_missing_required_column_and_a_doubled_one_are_errors() -> None:
    data = xlsx({"proposals": [["key", "theme", "kind", "title_nl", "titel"], ["p", "energy", "project", "a", "b"]]})
    messages = [e.message for e in read_upload("agenda.xlsx", data).errors]
    assert "The required column status is missing." in messages
    assert "Two columns hold title_nl; keep one." in messages


def test_rows_past_the_limit_are_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    rows = [PROPOSAL_HEADERS] + [[f"p-{i}", "energy", "project", "t", "proposed", ""] for i in range(5)]
    upload = read_upload("agenda.xlsx", xlsx({"proposals": rows}))
    assert [(e.row, e.message) for e in upload.errors] == [(4, "The sheet has more than 3 rows.")]


# --- CSV


def test_csv_in_cp1252_reads_accents_and_the_euro_sign() -> None:
    text = (
        "key;theme;kind;title_nl;status;budget_total_min_eur\r\n"
        "p-1;energy;project;Zonne-energie café;proposed;€ 200.000\r\n"
    )
    upload = read_upload("proposals.csv", text.encode("cp1252"))
    table = upload.tables["proposals"]
    assert text.encode("cp1252")[text.index("€")] == 0x80
    assert table.value(table.rows[0], "title_nl") == "Zonne-energie café"
    assert table.value(table.rows[0], "budget_total_min_eur") == "€ 200.000"


def test_csv_in_utf8_with_bom_and_tabs() -> None:
    text = "key\ttheme\tkind\ttitle_nl\tstatus\r\np-1\tenergy\tproject\tÉnergie € 5\tproposed\r\n"
    upload = read_upload("proposals.csv", b"\xef\xbb\xbf" + text.encode("utf-8"))
    table = upload.tables["proposals"]
    assert table.headers[0] == "key"  # the BOM is not part of the first header
    assert table.value(table.rows[0], "title_nl") == "Énergie € 5"


def test_csv_in_utf16_as_excel_saves_unicode_text() -> None:
    text = "proposal\torganisation\trole\r\np-1\tKU Leuven\tlead\r\n"
    upload = read_upload("export.csv", text.encode("utf-16"))
    table = upload.tables["parties"]  # found by its headers
    assert table.value(table.rows[0], "organisation") == "KU Leuven"


def test_csv_quoted_fields_keep_delimiters_and_line_breaks() -> None:
    text = 'key,theme,kind,title_nl,status,summary_nl\r\np-1,energy,project,"Wind, zon",proposed,"een\r\ntwee"\r\n'
    table = read_upload("proposals.csv", text.encode()).tables["proposals"]
    assert table.value(table.rows[0], "title_nl") == "Wind, zon"
    assert table.value(table.rows[0], "summary_nl") == "een\r\ntwee"


def test_csv_of_an_unknown_sheet_is_refused() -> None:
    with pytest.raises(FileRefused, match="Which sheet is this"):
        read_upload("data.csv", b"colour,size\nred,4\n")


def test_csv_with_nul_bytes_is_refused() -> None:
    with pytest.raises(FileRefused, match="not a text"):
        read_upload("proposals.csv", b"key,theme\x00\n")


# --- JSON


def _proposal(**extra: Any) -> dict[str, Any]:
    return {
        "key": "p-1",
        "kind": "project",
        "theme": "energy",
        "title_nl": "Zon",
        "status": "proposed",
        "source": "test",
        **extra,
    }


def test_malformed_json_is_refused_with_line_and_column() -> None:
    with pytest.raises(FileRefused, match="line 2, column 1"):
        read_upload("agenda.json", b'{"proposals": [\n}')


def test_json_with_a_name_twice_in_one_object_is_refused() -> None:
    with pytest.raises(FileRefused, match="twice in one object: key"):
        read_upload("agenda.json", b'{"proposals": [{"key": "a", "key": "b"}]}')


def test_deeply_nested_json_is_refused() -> None:
    with pytest.raises(FileRefused, match="nested too deeply"):
        read_upload("agenda.json", b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(FileRefused, match="nested too deeply"):
        read_upload("agenda.json", b"[" * 30 + b"]" * 30)


def test_json_schema_errors_are_reported_by_path() -> None:
    document = {
        "format": "trechter-agenda",
        "format_version": 1,
        "data": {"proposals": [_proposal(), _proposal(key="p-2", trl={"trl_from": 0, "trl_to": 4})]},
    }
    upload = read_upload("agenda.json", json.dumps(document).encode())
    assert [e.path for e in upload.errors] == ["data.proposals[1].trl.trl_from"]
    assert upload.tables == {}


def test_json_wrong_format_header_is_an_error() -> None:
    document = {"format": "something", "format_version": 7, "data": {}}
    paths = [e.path for e in read_upload("agenda.json", json.dumps(document).encode()).errors]
    assert paths == ["format", "format_version"]


def test_json_proposals_become_rows_of_the_sheets() -> None:
    party = {"organisation": "imec", "role": "lead"}
    budget = {"total_min_eur": 3_000_000, "total_max_eur": 4_000_000, "text_nl": "3 à 4 miljoen"}
    document = {"proposals": [_proposal(trl={"trl_from": 4, "trl_to": 6}, budget=budget, parties=[party])]}
    upload = read_upload("agenda.json", json.dumps(document).encode())
    proposals, parties = upload.tables["proposals"], upload.tables["parties"]
    row = proposals.rows[0]
    assert proposals.value(row, "trl") == "4-6"
    assert proposals.value(row, "budget_total_max_eur") == 4_000_000
    assert parties.value(parties.rows[0], "organisation") == "imec"
    assert proposals.problem(row, "budget_total_min_eur", "x").path == "proposals[0].budget.total_min_eur"
    assert parties.problem(parties.rows[0], "organisation", "x").path == "proposals[0].parties[0].organisation"
