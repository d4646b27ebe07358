"""The full-text index beside the search_searchdocument table, one kind per database.

SQLite: a standalone FTS5 table (it keeps its own copy of the text, so a flush of the
document table can leave stale rows but never a broken index; queries join on rowid).
unicode61 with remove_diacritics 2 folds ë/ï/é so 'geintegreerde' finds 'geïntegreerde';
the prefix indexes make the as-you-type prefix queries cheap.

PostgreSQL: a tsvector column, not a GENERATED one: a generated column would block any
later ALTER of the text columns it reads. trechter/search/backends.py fills it.
"""

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title_nl, title_en, body_nl, body_en, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
)
POSTGRES_CREATE = [
    "ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector",
    "CREATE INDEX search_document_vector_gin ON search_searchdocument USING gin (search_vector)",
]


def create_fulltext(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        for statement in POSTGRES_CREATE:
            schema_editor.execute(statement)


def drop_fulltext(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_document_vector_gin")
        schema_editor.execute("ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create_fulltext, drop_fulltext, elidable=False)]
