"""Rebuild the opinions statistics tables (MonthlyStat, TermStat), with a progress bar per month.

    manage.py opinion_stats_rebuild                       # every month of every congress
    manage.py opinion_stats_rebuild --congress 3          # one congress
    manage.py opinion_stats_rebuild --from 2026-01 --to 2026-06
    manage.py opinion_stats_rebuild --recent              # current and previous month (what cron does)

Run it after bulk writes (the demo or benchmark data generators): the periodic task would get there
within a day, but the page shows figures as of the last rebuild.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from renda.opinions import stats

ERROR_MONTH = "月份格式应为 YYYY-MM：%s"


def _month(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise CommandError(ERROR_MONTH % value) from None


class Command(BaseCommand):
    help = "重建群众意见统计表（按月），显示进度"

    def add_arguments(self, parser):
        parser.add_argument("--congress", type=int, default=None, help="congress id (default: all)")
        parser.add_argument("--from", dest="start", default=None, help="first month, YYYY-MM")
        parser.add_argument("--to", dest="end", default=None, help="last month, YYYY-MM")
        parser.add_argument("--recent", action="store_true", help="current and previous month only")

    def handle(self, *args, congress, start, end, recent, **options):
        if recent:
            current = stats.month_start(timezone.localdate())
            months = [stats.month_add(current, -1), current]
        else:
            months = stats.stats_months(congress_id=congress)
            if start:
                months = [m for m in months if m >= _month(start)]
            if end:
                months = [m for m in months if m <= _month(end)]
        with tqdm(total=len(months), desc=_("统计重建"), unit=_("月"), file=self.stderr._out,
                  disable=options["verbosity"] == 0) as bar:
            written = stats.stats_rebuild(congress_id=congress, months=months, progress=bar.update)
        if options["verbosity"]:
            self.stdout.write(_("已重建 %(m)d 个月，写入 %(n)d 行。") % {"m": len(months), "n": written})
