"""Scheduled work of the opinions channel. Each task only calls a service the tests exercise directly.

Statistics: the page reads precomputed tables (renda/opinions/stats.py). The current and previous
month are refreshed every 10 minutes (where nearly all changes land); every month is rebuilt each
night, which also catches late status changes of older opinions. Both are idempotent.
"""

from crontask import cron
from django.tasks import task

from . import services, stats


@cron("*/10 * * * *")
@task
def opinion_stats_refresh() -> int:
    return stats.stats_rebuild_recent()


@cron("40 1 * * *")
@task
def opinion_stats_rebuild_all() -> int:
    return stats.stats_rebuild()


@cron("30 0 * * *")
@task
def opinions_expire_unrated() -> int:
    return services.opinions_expire_unrated()
