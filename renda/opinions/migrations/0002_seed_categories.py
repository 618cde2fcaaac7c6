from django.db import migrations


def forwards(apps, schema_editor):
    from renda.core.workdays.seed import seed_policies
    from renda.opinions.seed import seed_categories

    seed_categories(apps.get_model("opinions", "Category"))
    # opinion_answer was added with this app; the seed leaves existing policies alone.
    seed_policies(apps.get_model("workdays", "DeadlinePolicy"))


class Migration(migrations.Migration):
    dependencies = [
        ("opinions", "0001_initial"),
        ("workdays", "0002_seed_calendar_and_policies"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
