"""Full-text structures per backend: FTS5 + triggers on SQLite, tsvector + GIN + pg_trgm on
PostgreSQL. RunPython with a vendor check, because the SQL of one backend is invalid on the
other; the statements live in schema.py (see its docstring for why)."""

from django.db import migrations

from renda.core.search import schema


def forwards(apps, schema_editor):
    schema.install(schema_editor)


def backwards(apps, schema_editor):
    schema.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
