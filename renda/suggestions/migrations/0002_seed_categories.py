from django.db import migrations


def seed(apps, schema_editor):
    from renda.suggestions.seed import seed_categories

    seed_categories(apps.get_model("suggestions", "Category"))


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
