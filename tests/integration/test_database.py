"""SQLite runs with WAL, a busy timeout and IMMEDIATE transactions; PostgreSQL through psycopg 3."""

import sqlite3

import pytest
from django.db import connection, transaction

from trechter.agenda.models import Theme

pytestmark = pytest.mark.django_db(transaction=True)

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings")


def _pragma(name: str) -> object:
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


@sqlite_only
def test_sqlite_pragmas_are_applied() -> None:
    connection.ensure_connection()
    assert _pragma("journal_mode") == "wal"
    assert _pragma("busy_timeout") == 20_000
    assert _pragma("foreign_keys") == 1


@sqlite_only
def test_sqlite_transactions_take_the_write_lock_at_begin() -> None:
    """With IMMEDIATE, even a read-only atomic block holds the write lock, so a second
    writer waits (here: fails at once with timeout 0) instead of deadlocking later."""
    path = connection.settings_dict["NAME"]
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with transaction.atomic():
            Theme.objects.count()
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # free again once the block ends
        other.execute("ROLLBACK")
    finally:
        other.close()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL run")
def test_postgresql_uses_psycopg3() -> None:
    import psycopg

    connection.ensure_connection()
    assert isinstance(connection.connection, psycopg.Connection)
    assert connection.pg_version >= 130000
