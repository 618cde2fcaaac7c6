"""Scheduled deadline checks. Each task only calls a service, which the tests exercise directly.

Schedules (Asia/Shanghai): overdue marking just after midnight, escalation after it, reminders
in the morning so they arrive during office hours. Running a task twice does nothing twice.
"""

from crontask import cron
from django.tasks import task
from django.utils import timezone

from . import services


@cron("5 0 * * *")
@task
def deadlines_mark_overdue() -> int:
    return services.deadlines_mark_overdue(today=timezone.localdate())


@cron("20 0 * * *")
@task
def deadlines_escalate() -> int:
    return services.deadlines_escalate(today=timezone.localdate())


@cron("0 8 * * *")
@task
def deadlines_warn() -> int:
    return services.deadlines_warn_upcoming(today=timezone.localdate())
