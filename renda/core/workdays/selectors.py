"""Reads: the loaded calendar, the calendar page, policies, deadlines, the missing-year warning."""

import calendar as _stdlib_calendar
import datetime
import threading
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .calendar import WorkCalendar
from .models import CalendarRevision, CalendarYear, Deadline, DeadlinePolicy, Holiday

# Wording shared by the calendar page, the workspace and the tests.
MSG_NEXT_YEAR_MISSING = (
    "尚未录入%(year)s年国务院节假日安排。%(year)s年的办理期限暂按双休日计算并标注“暂定”，"
    "请在国务院公布后录入并标记为已录入，系统将自动重算。"
)
MSG_THIS_YEAR_MISSING = (
    "本年度（%(year)s年）的节假日安排尚未录入，所有涉及本年度的期限均暂按双休日计算。"
)
WARN_FROM_MONTH = 11  # the State Council usually publishes next year's schedule in November

_cache_lock = threading.Lock()
_cached: tuple[str, WorkCalendar] | None = None


def calendar_token() -> str:
    return CalendarRevision.objects.order_by("id").values_list("token", flat=True).first() or ""


def calendar_build() -> WorkCalendar:
    """Read the whole holiday table (about 1,000 rows for 23 years) into memory."""
    holidays: dict[datetime.date, str] = {}
    workdays: dict[datetime.date, str] = {}
    for day, kind, name in Holiday.objects.values_list("date", "kind", "name"):
        (workdays if kind == Holiday.Kind.WORKDAY else holidays)[day] = name
    entered = frozenset(CalendarYear.objects.filter(entered=True).values_list("year", flat=True))
    return WorkCalendar(holidays=holidays, workdays=workdays, entered_years=entered)


def calendar_load() -> WorkCalendar:
    """The current calendar, rebuilt only when an edit changed the revision token (one query)."""
    global _cached
    token = calendar_token()
    cached = _cached
    if cached is not None and token and cached[0] == token:
        return cached[1]
    cal = calendar_build()
    with _cache_lock:
        _cached = (token, cal)
    return cal


def calendar_missing_year_warning(today: datetime.date, *, calendar: WorkCalendar | None = None) -> str | None:
    """The warning to show staff, or None: this year not entered, or next year from November 1."""
    if calendar is not None:
        entered = calendar.entered_years
    else:
        entered = frozenset(CalendarYear.objects.filter(
            entered=True, year__in=[today.year, today.year + 1]).values_list("year", flat=True))
    if today.year not in entered:
        return _(MSG_THIS_YEAR_MISSING) % {"year": today.year}
    if today.month >= WARN_FROM_MONTH and today.year + 1 not in entered:
        return _(MSG_NEXT_YEAR_MISSING) % {"year": today.year + 1}
    return None


# --- the calendar page ------------------------------------------------------------------------------
@dataclass(frozen=True)
class DayCell:
    day: datetime.date | None
    kind: str = ""
    name: str = ""


@dataclass(frozen=True)
class MonthView:
    year: int
    month: int
    weeks: list[list[DayCell]]


def calendar_year_view(*, year: int, calendar: WorkCalendar) -> list[MonthView]:
    """Twelve month grids (weeks Monday first) with each day's kind and festival name."""
    months = []
    grid = _stdlib_calendar.Calendar(firstweekday=0)
    for month in range(1, 13):
        weeks = []
        for week in grid.monthdatescalendar(year, month):
            cells = []
            for day in week:
                if day.month != month:
                    cells.append(DayCell(day=None))
                    continue
                name = calendar.workdays.get(day) or calendar.holidays.get(day) or ""
                cells.append(DayCell(day=day, kind=calendar.day_kind(day), name=name))
            weeks.append(cells)
        months.append(MonthView(year=year, month=month, weeks=weeks))
    return months


def holidays_for_year(*, year: int) -> QuerySet[Holiday]:
    return Holiday.objects.filter(date__year=year).order_by("date")


def calendar_years() -> QuerySet[CalendarYear]:
    return CalendarYear.objects.order_by("year")


def calendar_year_is_entered(*, year: int) -> bool:
    return CalendarYear.objects.filter(year=year, entered=True).exists()


def policy_list() -> QuerySet[DeadlinePolicy]:
    return DeadlinePolicy.objects.order_by("id")


def policy_get(*, code: str) -> DeadlinePolicy:
    return DeadlinePolicy.objects.get(code=code)


# --- deadlines ------------------------------------------------------------------------------------------
def deadlines_for_object(*, obj) -> QuerySet[Deadline]:
    """Every deadline of one item, oldest first (the item's own view decides who may see it)."""
    return (
        Deadline.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)
        .select_related("policy")
        .order_by("id")
    )


def deadline_open_for(*, obj, policy_code: str) -> Deadline | None:
    return deadlines_for_object(obj=obj).filter(policy__code=policy_code, state=Deadline.State.OPEN).last()
