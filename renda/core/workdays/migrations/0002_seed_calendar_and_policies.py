"""Seed the State Council schedules 2004–2026 from chinesecalendar and the default deadline policies."""

import uuid

from django.db import migrations


def seed(apps, schema_editor):
    from renda.core.workdays.seed import seed_calendar, seed_policies

    seed_calendar(apps.get_model("workdays", "Holiday"), apps.get_model("workdays", "CalendarYear"),
                  apps.get_model("workdays", "CalendarRevision"), token=uuid.uuid4().hex)
    seed_policies(apps.get_model("workdays", "DeadlinePolicy"))


def unseed(apps, schema_editor):
    apps.get_model("workdays", "Holiday").objects.filter(source="seed").delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
