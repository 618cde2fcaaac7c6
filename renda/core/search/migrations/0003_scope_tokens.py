"""Add the scope token (segmentation.scope_token: "zs<content type>x<congress>") to every document
that has a congress, so searches narrowed to a congress are narrowed inside the full-text index.
One UPDATE; on SQLite the update trigger refreshes FTS5, on PostgreSQL the generated tsvector
follows. Documents indexed from now on get the token from services._document."""

from django.db import migrations

FORWARD = """UPDATE search_searchdocument
    SET tokens = tokens || ' zs' || content_type_id || 'x' || congress_id
    WHERE congress_id IS NOT NULL AND tokens NOT LIKE '%% zs%%x%%'"""


def forwards(apps, schema_editor):
    schema_editor.execute(FORWARD.replace("%%", "%"), params=None)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
