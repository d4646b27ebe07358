"""CORDIS files as a table of text columns: which kind of file it is, its encoding, its structure.

Two families are read (see ../shared/data/cordis/README.md): the official CORDIS bulk exports
(`project` and `organization`, `;`-separated, quoted multi-line text, decimal commas; CSV or
XLSX) and the flat project/participation/organisation files. A file that cannot be read
whole — a broken row, a wrong encoding, a truncated end — is refused with the file, row and
reason named, before anything is written (see actions.import_cordis).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
from django.utils.translation import gettext as _

# Decompressed size cap: the largest public file inflates to ~60 MB; a gzip bomb stops here.
MAX_BYTES = 1024 * 1024 * 1024
XLSX_MAX_ROWS = 2_000_000
# pyarrow parses blocks of this size in parallel; a row may straddle blocks.
CSV_BLOCK_BYTES = 4 * 1024 * 1024
UTF8_BOM, UTF16_BOMS = b"\xef\xbb\xbf", (b"\xff\xfe", b"\xfe\xff")

# The columns that identify each kind of file (all must be present) and the kind's label.
KINDS: dict[str, tuple[str, ...]] = {
    "projects": ("project_key", "framework", "acronym", "objective"),
    "participations": ("project_key", "org_id", "org_name", "country"),
    "organisations": ("org_id", "name", "country", "activityType"),
    "official_projects": ("id", "acronym", "frameworkProgramme", "objective", "rcn"),
    "official_organisations": ("projectID", "organisationID", "name", "country"),
}


class FileRefused(Exception):
    """The file cannot be imported at all; the message names the file and the place."""


@dataclass(frozen=True)
class SourceFile:
    """A file read whole: every column as text (null where empty), in a pyarrow table."""

    path: Path
    kind: str
    sha256: str
    encoding: str
    table: pa.Table = field(repr=False)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def row_count(self) -> int:
        return int(self.table.num_rows)


def read_file(path: Path) -> SourceFile:
    """Read one CORDIS file (CSV, CSV.GZ or XLSX) completely, or refuse it."""
    raw = _read_bytes(path)
    digest = hashlib.sha256(raw).hexdigest()
    if raw[:4] == b"PK\x03\x04":
        header, table = _read_xlsx(path, raw)
        encoding = "xlsx"
    else:
        header, table, encoding = _read_text(path, raw)
    kind = detect_kind(path, header)
    return SourceFile(path=path, kind=kind, sha256=digest, encoding=encoding, table=table)


def _read_bytes(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            head = handle.read(2)
            handle.seek(0)
            if head == b"\x1f\x8b":
                return _gunzip(path, handle)
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise FileRefused(_("%(file)s: cannot be read (%(error)s).") % {"file": path.name, "error": error}) from None
    if len(data) > MAX_BYTES:
        raise FileRefused(_("%(file)s: larger than %(n)s bytes.") % {"file": path.name, "n": MAX_BYTES})
    return data


def _gunzip(path: Path, handle: io.BufferedReader) -> bytes:
    """Inflate in chunks so a gzip bomb stops at MAX_BYTES; a cut-off stream is refused."""
    chunks, size = [], 0
    try:
        with gzip.GzipFile(fileobj=handle) as stream:
            while chunk := stream.read(1024 * 1024):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise FileRefused(
                        _("%(file)s: inflates to more than %(n)s bytes (a gzip bomb?).")
                        % {"file": path.name, "n": MAX_BYTES}
                    )
                chunks.append(chunk)
    except (EOFError, gzip.BadGzipFile, zlib.error) as error:
        raise FileRefused(
            _("%(file)s: the compressed file is damaged or truncated (%(error)s); nothing was imported.")
            % {"file": path.name, "error": error}
        ) from None
    return b"".join(chunks)


def decode(path: Path, raw: bytes) -> tuple[str, str]:
    """The text and the encoding it was read in.

    UTF-8 (with or without BOM) and UTF-16 with BOM are read as such. A file with no valid
    UTF-8 multi-byte sequence at all is an old single-byte export (cp1252). A file that is
    mostly UTF-8 but holds invalid bytes has mixed encodings: refused with the line named,
    because any reading of it garbles names.
    """
    if raw.startswith(UTF8_BOM):
        raw = raw[3:]
    elif raw.startswith(UTF16_BOMS):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise FileRefused(_("%(file)s: says it is UTF-16 but is not.") % {"file": path.name}) from None
    if b"\x00" in raw:
        raise FileRefused(_("%(file)s: this is not a text (CSV) file.") % {"file": path.name})
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        bad_at = error.start
    if _has_utf8_sequences(raw):
        line = raw.count(b"\n", 0, bad_at) + 1
        raise FileRefused(
            _(
                "%(file)s: line %(line)s is not UTF-8 (byte 0x%(byte)02x) while the rest of the file is: "
                "the file mixes encodings; save it again as UTF-8. Nothing was imported."
            )
            % {"file": path.name, "line": line, "byte": raw[bad_at]}
        )
    return raw.decode("cp1252", errors="replace"), "cp1252"


def _has_utf8_sequences(raw: bytes) -> bool:
    """True when the bytes hold at least one well-formed UTF-8 multi-byte character."""
    text = raw.decode("utf-8", errors="ignore")
    return any(ord(char) > 127 for char in text)


def _read_text(path: Path, raw: bytes) -> tuple[list[str], pa.Table, str]:
    """A CSV file's header, table and encoding.

    Plain UTF-8 goes to pyarrow as it is (pyarrow checks the UTF-8 of every value). Whatever it
    refuses goes the long way: decoded (which names a mixed encoding and reads cp1252), then
    parsed again, and if that fails too, read record by record to name the broken row.
    """
    data = raw.removeprefix(UTF8_BOM)
    if not data.startswith(UTF16_BOMS) and b"\x00" not in data:
        try:
            header, delimiter = _layout(path, data)
            return header, _parse_csv(data, header, delimiter), "utf-8"
        except (pa.ArrowInvalid, UnicodeDecodeError):
            pass
    text, encoding = decode(path, raw)
    data = text.encode("utf-8")
    header, delimiter = _layout(path, data)
    try:
        return header, _parse_csv(data, header, delimiter), encoding
    except pa.ArrowInvalid:
        raise FileRefused(locate_broken_row(path, text, delimiter, len(header))) from None


def _layout(path: Path, data: bytes) -> tuple[list[str], str]:
    """The header (names stripped) and the delimiter, from the first line."""
    end = data.find(b"\n")
    first_line = data[: end if end >= 0 else len(data)].decode("utf-8")
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    header = [name.strip() for name in next(csv.reader([first_line], delimiter=delimiter), [])]
    _check_header(path, header)
    return header, delimiter


def _parse_csv(data: bytes, header: list[str], delimiter: str) -> pa.Table:
    """Every column as text; only an empty field is null ("NA" is Namibia, not a missing value)."""
    return pa_csv.read_csv(
        io.BytesIO(data),
        read_options=pa_csv.ReadOptions(use_threads=True, block_size=CSV_BLOCK_BYTES, column_names=header, skip_rows=1),
        parse_options=pa_csv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
        convert_options=pa_csv.ConvertOptions(
            column_types=dict.fromkeys(header, pa.string()),
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )


def _check_header(path: Path, header: list[str]) -> None:
    if not header or not any(header):
        raise FileRefused(_("%(file)s: is empty.") % {"file": path.name})
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise FileRefused(_("%(file)s: the column %(column)s appears twice.") % {"file": path.name, "column": name})
        seen.add(name)


def locate_broken_row(path: Path, text: str, delimiter: str, width: int) -> str:
    """Name the first record the fast reader choked on, reading record by record."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start_line = 1
    try:
        for number, record in enumerate(reader, start=1):
            if record and len(record) != width:
                return _broken(path, number, start_line, width, len(record), text.endswith(("\n", "\r")))
            start_line = reader.line_num + 1
    except csv.Error as error:
        return _(
            "%(file)s: row %(row)s (from line %(line)s) cannot be read (%(error)s); the file looks truncated. "
            "Nothing was imported."
        ) % {"file": path.name, "row": reader.line_num, "line": start_line, "error": error}
    return _("%(file)s: the file cannot be read as CSV. Nothing was imported.") % {"file": path.name}


def _broken(path: Path, row: int, line: int, width: int, found: int, ends_with_newline: bool) -> str:
    if found < width and not ends_with_newline:
        return _(
            "%(file)s: row %(row)s (from line %(line)s) has %(found)s of %(width)s fields and the file "
            "ends there: it looks truncated. Nothing was imported."
        ) % {"file": path.name, "row": row, "line": line, "found": found, "width": width}
    return _(
        "%(file)s: row %(row)s (from line %(line)s) has %(found)s fields where the header has %(width)s "
        "(a stray separator or quote?). Nothing was imported."
    ) % {"file": path.name, "row": row, "line": line, "found": found, "width": width}


def _read_xlsx(path: Path, raw: bytes) -> tuple[list[str], pa.Table]:
    """An official export saved as XLSX: the first sheet, values as text."""
    from openpyxl import load_workbook

    from trechter.exchange.reading import FileRefused as WorkbookRefused
    from trechter.exchange.reading import inspect_zip

    try:
        inspect_zip(raw)
    except WorkbookRefused as error:
        raise FileRefused(f"{path.name}: {error}") from None
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds on broken or hostile XML
        raise FileRefused(_unreadable_workbook(path, error)) from None
    try:
        rows = _xlsx_rows(workbook.worksheets[0])
        header = [str(name or "").strip() for name in next(rows, [])]
        _check_header(path, header)
        columns: dict[str, list[str | None]] = {name: [] for name in header}
        for count, values in enumerate(rows, start=1):
            if count > XLSX_MAX_ROWS:
                raise FileRefused(_("%(file)s: more than %(n)s rows.") % {"file": path.name, "n": XLSX_MAX_ROWS})
            for name, value in zip(header, _padded(values, len(header)), strict=True):
                columns[name].append(value)
        return header, pa.table({name: pa.array(cells, pa.string()) for name, cells in columns.items()})
    except FileRefused:
        raise
    except Exception as error:  # a sheet whose XML breaks half-way through
        raise FileRefused(_unreadable_workbook(path, error)) from None
    finally:
        workbook.close()


def _unreadable_workbook(path: Path, error: Exception) -> str:
    return _("%(file)s: the workbook cannot be read (%(error)s). Nothing was imported.") % {
        "file": path.name,
        "error": type(error).__name__,
    }


def _xlsx_rows(sheet: object) -> Iterator[list[str | None]]:
    for row in sheet.iter_rows(values_only=True):  # type: ignore[attr-defined]
        yield [None if value is None or value == "" else str(value) for value in row]


def _padded(values: list[str | None], width: int) -> list[str | None]:
    return (values + [None] * width)[:width]


def detect_kind(path: Path, header: list[str]) -> str:
    """Which kind of CORDIS file the header says this is; refused when it matches none."""
    present = set(header)
    for kind, required in KINDS.items():
        if set(required) <= present:
            return kind
    best = max(KINDS, key=lambda kind: len(set(KINDS[kind]) & present))
    missing = [name for name in KINDS[best] if name not in present]
    raise FileRefused(
        _("%(file)s: not a CORDIS file we know; closest is a %(kind)s file, which lacks the columns %(missing)s.")
        % {"file": path.name, "kind": best.replace("_", " "), "missing": ", ".join(missing)}
    )
