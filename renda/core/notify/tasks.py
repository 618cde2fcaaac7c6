"""Scheduled outbox delivery. The task only calls the service, which tests exercise directly."""

from crontask import cron
from django.tasks import task

from .services import outbox_send_pending


@cron("* * * * *")
@task
def outbox_send() -> dict:
    report = outbox_send_pending()
    return {"sent": report.sent, "retried": report.retried, "failed": report.failed, "skipped": report.skipped}
