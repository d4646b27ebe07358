"""Write a batch of CORDIS rows: new rows inserted, changed rows updated, the rest untouched.

Each stored row carries a hash of its content, so a re-import compares hashes and writes only
what changed (idempotent and fast). The keys, ids and hashes already stored are read once per
import, at its first write, and kept current from batch to batch (`Batch.stored`, shared by the
batches of one plan); the comparison is a join of whole columns. Rows go in through
`INSERT … ON CONFLICT DO UPDATE`, on PostgreSQL from a staging table filled by COPY (the rows as
CSV, written by polars), on SQLite by executemany inside the batch's one transaction — the ORM's
bulk_create is ten times slower here (LIBRARIES.md, "Import").
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import polars as pl
from django.db import connection

from trechter.evidence.records import ORGANISATION_COLUMNS, PARTICIPATION_COLUMNS, PROJECT_COLUMNS, Batch

PARTICIPATION_DB_COLUMNS = ("project_id", "organisation_id", *PARTICIPATION_COLUMNS[2:])
# What is stored already, per table: read once per import (see write_batch).
STORED = {
    "organisations": (
        "SELECT org_id, id, row_hash, source_rank FROM evidence_organisation",
        pl.Schema({"org_id": pl.String, "id": pl.Int64, "row_hash": pl.String, "source_rank": pl.Int64}),
    ),
    "projects": (
        "SELECT key, id, row_hash FROM evidence_project",
        pl.Schema({"key": pl.String, "id": pl.Int64, "row_hash": pl.String}),
    ),
    "participations": (
        "SELECT project_id, organisation_id, row_hash FROM evidence_participation",
        pl.Schema({"project_id": pl.Int64, "organisation_id": pl.Int64, "row_hash": pl.String}),
    ),
}
OLD = "_old"  # suffix of the stored values next to the new ones
BULK_CACHE_KIB = 128 * 1024


@dataclass
class Counts:
    """What happened to one table's rows in one batch."""

    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: Counts) -> None:
        self.read += other.read
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged


def row_hashes(frame: pl.DataFrame) -> pl.Series:
    """A fingerprint of each row's content, as text: polars' 64-bit hash of the whole row.

    It replaced md5 over repr(row), which cost a second per full import. Polars promises the
    same hash only within one polars version (and build), so the first import after a polars
    upgrade finds every hash changed and rewrites every row once, which is harmless; after that
    it is quiet again. The frame's columns must have fixed types (records' schemas): the hash
    depends on them.
    """
    return frame.select(pl.struct(pl.all()).hash(seed=0).cast(pl.String).alias("row_hash")).to_series()


def write_batch(batch: Batch) -> dict[str, Counts]:
    """Store the batch's organisations, projects and participations. Call inside a transaction.

    Reads what is stored on the first call of an import and keeps `batch.stored` current; a
    batch that fails ends the import (actions.import_cordis), and the next import reads again.
    """
    stored = _stored(batch.stored)
    with _large_sqlite_cache():
        return {
            "organisations": _write_organisations(batch.organisations, stored),
            "projects": _write_projects(batch.projects, stored),
            "participations": _write_participations(batch.participations, stored),
        }


def _write_organisations(rows: pl.DataFrame, stored: dict[str, pl.DataFrame]) -> Counts:
    """Organisations: a row from participations never overwrites one from an organisation file."""
    compared = _compared(rows, stored["organisations"], ["org_id"])
    same = (pl.col("row_hash" + OLD) == pl.col("row_hash")) | (pl.col("source_rank" + OLD) > pl.col("source_rank"))
    changed, counts = _changes(compared, same)
    _upsert("evidence_organisation", changed.select(*ORGANISATION_COLUMNS, "row_hash"), ["org_id"])
    stored["organisations"] = _remember(stored["organisations"], changed, "evidence_organisation", "org_id")
    return counts


def _write_projects(rows: pl.DataFrame, stored: dict[str, pl.DataFrame]) -> Counts:
    compared = _compared(rows, stored["projects"], ["key"])
    changed, counts = _changes(compared, pl.col("row_hash" + OLD) == pl.col("row_hash"))
    _upsert("evidence_project", changed.select(*PROJECT_COLUMNS, "row_hash"), ["key"])
    stored["projects"] = _remember(stored["projects"], changed, "evidence_project", "key")
    return counts


def _write_participations(rows: pl.DataFrame, stored: dict[str, pl.DataFrame]) -> Counts:
    """Participations by the stored ids of their project and organisation (written just before)."""
    project_ids = stored["projects"].select(project_key="key", project_id="id")
    organisation_ids = stored["organisations"].select("org_id", organisation_id="id")
    located = (
        rows.join(project_ids, on="project_key", how="left", maintain_order="left")
        .join(organisation_ids, on="org_id", how="left", maintain_order="left")
        .select(PARTICIPATION_DB_COLUMNS)
    )
    keys = ["project_id", "organisation_id"]
    compared = _compared(located, stored["participations"], keys)
    changed, counts = _changes(compared, pl.col("row_hash" + OLD) == pl.col("row_hash"))
    _upsert("evidence_participation", changed.select(*PARTICIPATION_DB_COLUMNS, "row_hash"), keys)
    old = stored["participations"]
    stored["participations"] = pl.concat([old.join(changed, on=keys, how="anti"), changed.select(old.columns)])
    return counts


def _compared(rows: pl.DataFrame, stored: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """The rows with their hash, next to the stored id and values (suffix OLD; null when new)."""
    hashed = rows.with_columns(row_hashes(rows))
    return hashed.join(stored, on=keys, how="left", suffix=OLD, maintain_order="left")


def _changes(compared: pl.DataFrame, same: pl.Expr) -> tuple[pl.DataFrame, Counts]:
    """The rows to write, and the counts: new where nothing is stored, unchanged where `same`."""
    is_new = pl.col("row_hash" + OLD).is_null()
    is_same = same.fill_null(False)
    flags = compared.select(is_new.sum().alias("new"), is_same.sum().alias("same")).row(0)
    counts = Counts(read=compared.height, inserted=flags[0], unchanged=flags[1])
    counts.updated = counts.read - counts.inserted - counts.unchanged
    return compared.filter(~is_same), counts


def _remember(old: pl.DataFrame, changed: pl.DataFrame, table: str, key: str) -> pl.DataFrame:
    """The stored state of a keyed table after writing `changed`, with the ids of new rows."""
    if changed.is_empty():
        return old
    # New rows get ids above every earlier one (SQLite AUTOINCREMENT, PostgreSQL's sequence); if
    # a sequence was ever set back, some are missing here and all ids are read instead.
    newest = old.select(pl.col("id").max().fill_null(0)).item()
    fresh = _read(f"SELECT {key}, id FROM {table} WHERE id > %s", old.select(key, "id").schema, [newest])  # noqa: S608
    written = changed.select(old.columns).drop("id").join(pl.concat([old.select(key, "id"), fresh]), on=key, how="left")
    if written.get_column("id").null_count():
        every = _read(f"SELECT {key}, id FROM {table}", old.select(key, "id").schema)  # noqa: S608
        written = changed.select(old.columns).drop("id").join(every, on=key, how="left")
    return pl.concat([old.join(changed, on=key, how="anti"), written.select(old.columns)])


def known_grants() -> dict[str, str]:
    """Grant id → project key of the stored projects (official organisation files name grants)."""
    return {str(grant): str(key) for grant, key in _rows("SELECT grant_id, key FROM evidence_project") if grant}


def known_keys() -> set[str]:
    """Keys of the stored projects (a participation may name one of them)."""
    return {str(key) for (key,) in _rows("SELECT key FROM evidence_project")}


# ----------------------------------------------------------------------------- SQL


def _stored(stored: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    if not stored:
        stored.update({table: _read(sql, schema) for table, (sql, schema) in STORED.items()})
    return stored


@contextmanager
def _large_sqlite_cache() -> Iterator[None]:
    """On SQLite, a page cache of up to BULK_CACHE_KIB while a batch is written, then the usual one
    again: with the default 2 MB, inserting 260,000 participations evicts and re-reads index pages
    all the time (the first import took 0.5 s longer)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (usual,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
        try:
            yield
        finally:
            cursor.execute(f"PRAGMA cache_size = {int(usual)}")


def _rows(sql: str, params: Sequence[int] = ()) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _read(sql: str, schema: pl.Schema, params: Sequence[int] = ()) -> pl.DataFrame:
    return pl.DataFrame(_rows(sql, params), schema=schema, orient="row")


def _upsert(table: str, rows: pl.DataFrame, conflict: Sequence[str]) -> None:
    if rows.is_empty():
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in rows.columns)
    updates = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in rows.columns if c not in conflict)
    on_conflict = f"ON CONFLICT ({', '.join(quote(c) for c in conflict)}) DO UPDATE SET {updates}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy_upsert(cursor, table, names, on_conflict, rows)
        else:
            sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * rows.width)}) {on_conflict}"  # noqa: S608
            # Rows streamed, not listed: Django's executemany takes any iterable (its stubs say Sequence).
            cursor.executemany(sql, rows.iter_rows())  # type: ignore[arg-type]


def _copy_upsert(cursor: object, table: str, names: str, on_conflict: str, rows: pl.DataFrame) -> None:
    """COPY (CSV: an unquoted empty field is NULL, "" is empty text) into a staging table shaped
    like the target, then one INSERT … SELECT."""
    stage = f"stage_{table}"
    raw = cursor.cursor  # type: ignore[attr-defined]  # psycopg's own cursor, for COPY
    # Django's wrapper turns psycopg's errors into django.db's, as its own cursor would.
    with connection.wrap_database_errors:
        raw.execute(f"CREATE TEMP TABLE {stage} ON COMMIT DROP AS SELECT {names} FROM {table} WITH NO DATA")  # noqa: S608
        with raw.copy(f"COPY {stage} ({names}) FROM STDIN (FORMAT csv)") as copy:
            copy.write(rows.write_csv(include_header=False))
        raw.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {stage} {on_conflict}")  # noqa: S608
        raw.execute(f"DROP TABLE {stage}")
