"""Reading an uploaded file (XLSX, CSV or JSON) into rows per sheet, each value with where it
came from (sheet, row number as the spreadsheet shows it, column letter and header, or a JSON
path), so every problem can be reported where the user can find it.

Every file is hostile until read: the size is checked before parsing; an XLSX is inspected
as a zip (entries, declared sizes, compression ratio, encryption, paths) before openpyxl
sees it, and openpyxl parses XML through defusedxml; formulas are refused; CSV bytes are
decoded UTF-8 first, then as the Western encoding charset-normalizer recognises; JSON is
parsed with size, depth and duplicate-key guards and validated against the seed schema.
Nothing here touches the database.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from pydantic import ValidationError

from trechter.exchange import cells, sheets
from trechter.exchange.parsing import (
    HeaderMatch,
    ParseError,
    Problem,
    column_letter,
    is_blank,
    match_headers,
    sheet_named,
    sheet_of_headers,
)
from trechter.exchange.sheets import Column, Kind, Sheet
from trechter.seed import schema

MAX_ROWS = 10_000  # per sheet; the whole agenda has a few hundred
MAX_COLUMNS = 100
MAX_ZIP_ENTRIES = 1_000
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024  # all entries of an XLSX together, as declared
MAX_RATIO = 100  # uncompressed : compressed, for entries over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_JSON_DEPTH = 20
MAX_PROBLEMS = 500

# Columns the importer reads that exports do not write.
EXTRA_COLUMNS: dict[str, tuple[Column, ...]] = {
    "proposals": (Column("remove", Kind.BOOL, aliases=("verwijderen", "delete", "weghalen", "schrappen")),),
}
WESTERN_ENCODINGS = {"cp1252", "windows-1252", "latin_1", "iso8859_15", "iso-8859-1", "iso-8859-15", "cp1250"}


class FileRefused(Exception):
    """The file cannot be read at all (too large, not the format it claims, a zip bomb …)."""


@dataclass
class SourceRow:
    number: int | None  # the row as the spreadsheet shows it (header = 1); None in JSON
    values: list[Any]
    path: str = ""  # JSON: "proposals[3]"


@dataclass
class Table:
    """The rows of one sheet as the file has them, with its headers matched to columns."""

    sheet: Sheet
    title: str  # the workbook tab, the CSV file name, or the JSON section
    headers: list[str]
    rows: list[SourceRow]
    match: HeaderMatch
    json_fields: dict[str, str] = field(default_factory=dict)  # column → path inside a JSON record

    def has(self, column: str) -> bool:
        return column in self.match.columns

    def value(self, row: SourceRow, column: str) -> Any:
        position = self.match.columns.get(column)
        if position is None or position >= len(row.values):
            return None
        return row.values[position]

    def problem(
        self, row: SourceRow | None, column: str, message: str, suggestions: list[str] | None = None
    ) -> Problem:
        """A problem located at `row` (None: the sheet) and `column` (a column name or "")."""
        position = self.match.columns.get(column)
        if row is not None and row.path:
            sub = self.json_fields.get(column, column)
            return Problem(
                message, sheet=self.title, path=f"{row.path}.{sub}" if sub else row.path, suggestions=suggestions or []
            )
        return Problem(
            message,
            sheet=self.title,
            row=row.number if row is not None else None,
            column=column_letter(position) if position is not None else "",
            header=self.headers[position] if position is not None else column,
            suggestions=suggestions or [],
        )


@dataclass
class Upload:
    """What was read: tables by sheet name, the workbook's meta values, the JSON document's
    data (for comparing its other sections), and problems found while reading."""

    kind: str  # "xlsx", "csv" or "json"
    tables: dict[str, Table] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    document: dict[str, Any] | None = None
    errors: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)


def read_upload(name: str, data: bytes) -> Upload:
    """Read a file by its extension (.xlsx, .csv, .json). Raises FileRefused when it cannot
    be read at all; problems with its content are in the result's `errors`."""
    limit = settings.IMPORT_MAX_BYTES
    if len(data) > limit:
        raise FileRefused(
            _("The file is %(size)s; at most %(limit)s can be imported.")
            % {"size": _size(len(data)), "limit": _size(limit)}
        )
    if not data:
        raise FileRefused(_("The file is empty."))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "xlsx":
        return read_xlsx(data)
    if extension == "csv":
        return read_csv(name, data)
    if extension == "json":
        return read_json(data)
    raise FileRefused(_("Upload an .xlsx, .csv or .json file."))


def _size(size: int) -> str:
    """5 MB, 1.5 MB, 800 kB: a size as people read it."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
    return f"{max(size // 1024, 1)} kB"


def _table(sheet: Sheet, title: str, headers: list[Any], rows: list[SourceRow], upload: Upload) -> Table:
    """A table with its headers matched; missing or doubled columns are errors, unknown
    ones notices (their cells are not read)."""
    texts = ["" if is_blank(h) else str(h).strip() for h in headers]
    match = match_headers(texts, sheet, extra=EXTRA_COLUMNS.get(sheet.name, ()))
    table = Table(sheet, title, texts, rows, match)
    if not sheet.importable:
        return table
    for name in match.missing:
        upload.errors.append(Problem(_("The required column %(column)s is missing.") % {"column": name}, sheet=title))
    for position, header, name in match.twice:
        upload.errors.append(
            Problem(
                _("Two columns hold %(column)s; keep one.") % {"column": name},
                sheet=title,
                column=column_letter(position),
                header=header,
            )
        )
    for position, header in match.unknown:
        upload.notices.append(
            Problem(
                _("Column “%(header)s” is not one Trechter knows; it was not read.") % {"header": header},
                sheet=title,
                column=column_letter(position),
                header=header,
            )
        )
    return table


# --- XLSX ----------------------------------------------------------------------------------


def inspect_zip(data: bytes) -> None:
    """Refuse what must not reach openpyxl: not a zip, too many entries, too much data once
    inflated (as declared: zipfile never inflates an entry past its declared size), a zip
    bomb's compression ratio, encrypted entries, and paths that climb out ("..")."""
    not_xlsx = _("This is not an XLSX workbook (an .xls file, or one protected by a password?). Save it as .xlsx.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileRefused(not_xlsx) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise FileRefused(_("The workbook has too many parts (%(n)s).") % {"n": len(entries)})
        total = 0
        for entry in entries:
            if entry.flag_bits & 0x1:
                raise FileRefused(_("The workbook is encrypted; save it without a password."))
            name = entry.filename.replace("\\", "/")
            if name.startswith("/") or ".." in name.split("/"):
                raise FileRefused(_("The workbook holds a part with a suspicious path: %(name)s.") % {"name": name})
            total += entry.file_size
            ratio = entry.file_size / max(entry.compress_size, 1)
            if total > MAX_UNCOMPRESSED_BYTES or (entry.file_size > RATIO_FLOOR and ratio > MAX_RATIO):
                raise FileRefused(_("The workbook inflates to too much data; it looks like a zip bomb."))
        names = {e.filename for e in entries}
        if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
            raise FileRefused(not_xlsx)


def read_xlsx(data: bytes) -> Upload:
    """Each recognised sheet of the workbook; README and lists are skipped, meta is read."""
    inspect_zip(data)
    from openpyxl import load_workbook  # heavy; only for workbooks

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds on broken or hostile XML
        raise FileRefused(_("The workbook could not be read (%(error)s).") % {"error": type(error).__name__}) from None
    upload = Upload("xlsx")
    try:
        for worksheet in workbook.worksheets:
            title = str(worksheet.title)
            if title in (sheets.README_SHEET, sheets.LISTS_SHEET):
                continue
            if title == sheets.META_SHEET:
                upload.meta = _meta(worksheet)
                continue
            sheet = sheet_named(title, sheets.SHEETS)
            if sheet is None or sheet.name in upload.tables:
                upload.notices.append(
                    Problem(_("Sheet “%(title)s” is not one Trechter knows; it was skipped.") % {"title": title})
                )
                continue
            _read_worksheet(worksheet, sheet, title, upload)
    except Exception as error:
        if isinstance(error, FileRefused):
            raise
        raise FileRefused(_("The workbook could not be read (%(error)s).") % {"error": type(error).__name__}) from None
    finally:
        workbook.close()
    return upload


def _meta(worksheet: Any) -> dict[str, str]:
    meta = {}
    for row in worksheet.iter_rows(max_row=50, max_col=2, values_only=True):
        if row and not is_blank(row[0]):
            meta[str(row[0]).strip()] = "" if len(row) < 2 or row[1] is None else str(row[1]).strip()
    return meta


def _read_worksheet(worksheet: Any, sheet: Sheet, title: str, upload: Upload) -> None:
    headers: list[Any] = []
    rows: list[SourceRow] = []
    formulas: list[tuple[int, int]] = []
    for number, cells_ in enumerate(worksheet.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS), start=1):
        values = []
        for position, cell in enumerate(cells_):
            value = cell.value
            if cell.data_type == "f":
                formulas.append((number, position))
                value = None
            elif cell.data_type == "e":
                value = _CellError(str(value))
            elif isinstance(value, str):
                value = cells.unneutralise(value)
            values.append(value)
        if number == 1:
            headers = values
            continue
        if all(is_blank(v) for v in values):
            continue
        if number > MAX_ROWS:
            upload.errors.append(
                Problem(_("The sheet has more than %(n)s rows.") % {"n": MAX_ROWS}, sheet=title, row=number)
            )
            break
        rows.append(SourceRow(number, values))
    table = _table(sheet, title, headers, rows, upload)
    upload.tables[sheet.name] = table
    if not sheet.importable:
        return
    for number, position in formulas:
        header = table.headers[position] if position < len(table.headers) else ""
        upload.errors.append(
            Problem(
                _("This cell holds a formula; formulas are not imported. Type the value."),
                sheet=title,
                row=number,
                column=column_letter(position),
                header=header,
            )
        )


class _CellError(str):
    """A spreadsheet error value (#N/A, #REF! …): reading it as a value is an error."""


def cell_error(value: Any) -> str | None:
    """The message for a cell that holds a spreadsheet error, or None."""
    if isinstance(value, _CellError):
        return _("The cell holds the spreadsheet error %(error)s; type the value.") % {"error": str(value)}
    return None


# --- CSV -----------------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """CSV bytes as text: UTF-8 (with or without BOM) or UTF-16 with BOM first, because
    valid UTF-8 is almost never anything else; then the Western encoding
    charset-normalizer finds (Excel's "CSV" on Windows writes cp1252: "€" is 0x80)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise FileRefused(_("The file says it is UTF-16 but is not.")) from None
    if b"\x00" in data:
        raise FileRefused(_("This is not a text (CSV) file."))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    encoding = best.encoding if best is not None else ""
    if encoding.replace("-", "_").lower() not in {e.replace("-", "_") for e in WESTERN_ENCODINGS}:
        encoding = "cp1252"  # the Dutch and Flemish default; a wrong guess would garble accents
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return data.decode("latin-1")  # decodes any byte; only reached for bytes cp1252 leaves undefined


def sniff_delimiter(text: str) -> str:
    """, ; or tab: whichever the header line holds most of (Dutch Excel writes ";")."""
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def read_csv(name: str, data: bytes) -> Upload:
    """One sheet, named by the file name ("proposals.csv") or, failing that, by its headers."""
    upload = Upload("csv")
    text = decode_text(data)
    delimiter = sniff_delimiter(text)
    records: list[list[str]] = []
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            records.append(record)
            if len(records) > MAX_ROWS + 1:
                upload.errors.append(Problem(_("The file has more than %(n)s rows.") % {"n": MAX_ROWS}, sheet=name))
                break
    except csv.Error as error:
        raise FileRefused(
            _("The CSV file could not be read near row %(row)s: %(error)s") % {"row": len(records) + 1, "error": error}
        ) from None
    if not records:
        raise FileRefused(_("The file is empty."))
    headers = records[0][:MAX_COLUMNS]
    title = name.replace("\\", "/").rsplit("/", 1)[-1]
    sheet = sheet_named(title, sheets.SHEETS) or sheet_of_headers(headers, sheets.SHEETS)
    if sheet is None:
        raise FileRefused(
            _(
                "Which sheet is this? Name the file after one (proposals.csv, parties.csv, themes.csv, "
                "funnel_answers.csv) or use its column headers."
            )
        )
    rows = [
        SourceRow(number, [cells.unneutralise(v) for v in record[:MAX_COLUMNS]])
        for number, record in enumerate(records[1 : MAX_ROWS + 1], start=2)
        if not all(is_blank(v) for v in record)
    ]
    upload.tables[sheet.name] = _table(sheet, title, headers, rows, upload)
    return upload


# --- JSON ----------------------------------------------------------------------------------


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _v in pairs]
    if len(set(keys)) != len(keys):
        twice = sorted({k for k in keys if keys.count(k) > 1})
        raise ValueError(_("a name appears twice in one object: %(names)s") % {"names": ", ".join(twice)})
    return dict(pairs)


def _refuse_constant(name: str) -> None:
    raise ValueError(_("%(name)s is not a JSON number") % {"name": name})


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


def load_json(data: bytes) -> Any:
    """Parsed JSON, or FileRefused saying where it went wrong."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(_("A JSON file must be UTF-8.")) from None
    try:
        document = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise FileRefused(
            _("The JSON is malformed at line %(line)s, column %(column)s: %(error)s")
            % {"line": error.lineno, "column": error.colno, "error": error.msg}
        ) from None
    except RecursionError:
        raise FileRefused(_("The JSON is nested too deeply.")) from None
    except ValueError as error:
        raise FileRefused(_("The JSON cannot be read: %(error)s") % {"error": error}) from None
    if _depth(document) > MAX_JSON_DEPTH:
        raise FileRefused(_("The JSON is nested too deeply."))
    return document


def json_path(location: tuple[Any, ...]) -> str:
    """("proposals", 3, "trl", "trl_from") → "proposals[3].trl.trl_from"."""
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def read_json(data: bytes) -> Upload:
    """The agenda document of the JSON export ({"format", "format_version", "data"}) or a bare
    seed data set file, validated against the seed schema; its themes, proposals (with
    parties) and funnel answers as rows of the corresponding sheets."""
    upload = Upload("json")
    document = load_json(data)
    if not isinstance(document, dict):
        raise FileRefused(_("The JSON must be an object: the agenda document of the JSON export."))
    body = document
    if "data" in document:
        extra = sorted(set(document) - {"format", "format_version", "exported_at", "data"})
        if document.get("format") != "trechter-agenda":
            upload.errors.append(Problem(_("“format” must be “trechter-agenda”."), path="format"))
        if document.get("format_version") != 1:
            upload.errors.append(
                Problem(_("This format version cannot be imported; export again."), path="format_version")
            )
        for name in extra:
            upload.errors.append(Problem(_("Unknown field."), path=name))
        body = document["data"]
    try:
        seed = schema.SeedFile.model_validate(body)
    except ValidationError as error:
        prefix = ("data",) if body is not document else ()
        for item in error.errors()[:MAX_PROBLEMS]:
            path = json_path(tuple(item["loc"]))
            upload.errors.append(Problem(str(item["msg"]), path=json_path(prefix) + ("." if prefix else "") + path))
        return upload
    upload.document = seed.model_dump(mode="json", exclude_none=True)
    _seed_tables(seed, upload)
    return upload


PROPOSAL_JSON_FIELDS = {
    "trl_basis": "trl.basis",
    "trl_note": "trl.note",
    "budget_per_year_min_eur": "budget.per_year_min_eur",
    "budget_per_year_max_eur": "budget.per_year_max_eur",
    "budget_years": "budget.years",
    "budget_total_min_eur": "budget.total_min_eur",
    "budget_total_max_eur": "budget.total_max_eur",
    "budget_text_nl": "budget.text_nl",
}


def _json_table(sheet: Sheet, records: list[tuple[str, dict[str, Any]]], fields: dict[str, str] | None = None) -> Table:
    headers = list(sheet.headers)
    rows = [SourceRow(None, [record.get(h) for h in headers], path) for path, record in records]
    match = match_headers(headers, sheet)
    return Table(sheet, sheet.name, headers, rows, match, fields or {})


def _seed_tables(seed: schema.SeedFile, upload: Upload) -> None:
    """Seed records as sheet rows in the export's cell conventions (TRL "4-6", lists joined)."""
    if seed.themes:
        themes = [(f"themes[{i}]", t.model_dump(mode="json")) for i, t in enumerate(seed.themes)]
        upload.tables["themes"] = _json_table(sheets.THEMES, themes)
    if seed.proposals:
        proposals, parties = [], []
        for i, p in enumerate(seed.proposals):
            record = p.model_dump(mode="json", exclude={"trl", "budget", "parties", "instruments"})
            record["other_themes"] = ", ".join(p.other_themes)
            record["value_chain"] = ", ".join(stage.value for stage in p.value_chain)
            if p.trl is not None:
                trl = p.trl
                record["trl"] = f"{trl.trl_from}" if trl.trl_from == trl.trl_to else f"{trl.trl_from}-{trl.trl_to}"
                record |= {"trl_basis": trl.basis.value, "trl_note": trl.note}
            if p.budget is not None:
                budget = p.budget.model_dump(mode="json")
                record |= {f"budget_{name}": value for name, value in budget.items()}
            proposals.append((f"proposals[{i}]", record))
            for j, party in enumerate(p.parties):
                row = {"proposal": p.key, **party.model_dump(mode="json")}
                parties.append((f"proposals[{i}].parties[{j}]", row))
        upload.tables["proposals"] = _json_table(sheets.PROPOSALS, proposals, PROPOSAL_JSON_FIELDS)
        upload.tables["parties"] = _json_table(sheets.PARTIES, parties, {"proposal": ""})
    if seed.funnel_answers:
        slots: dict[tuple[str, str, str], int] = {}
        answers = []
        for i, a in enumerate(seed.funnel_answers):
            slot = (a.theme, a.question, a.band.value)
            slots[slot] = slots.get(slot, 0) + 1
            answers.append((f"funnel_answers[{i}]", {**a.model_dump(mode="json"), "order": slots[slot]}))
        upload.tables["funnel_answers"] = _json_table(sheets.FUNNEL_ANSWERS, answers, {"order": ""})


__all__ = ["FileRefused", "ParseError", "SourceRow", "Table", "Upload", "cell_error", "read_upload"]
