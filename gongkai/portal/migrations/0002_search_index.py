"""The full-text part of the search index: an FTS5 table on SQLite, a tsvector + GIN index on PostgreSQL."""

from django.db import migrations


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS portal_search_fts USING fts5(tokens, tokenize='unicode61 remove_diacritics 0')"
        )
    elif vendor == "postgresql":
        schema_editor.execute("ALTER TABLE portal_searchdocument ADD COLUMN IF NOT EXISTS search_vector tsvector")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS portal_searchdocument_vector_gin ON portal_searchdocument USING gin (search_vector)"
        )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS portal_search_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS portal_searchdocument_vector_gin")
        schema_editor.execute("ALTER TABLE portal_searchdocument DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
