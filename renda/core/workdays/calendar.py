"""Working-day arithmetic: pure functions over an in-memory calendar (no database access here).

Definitions (docs/deadlines.md states the same rules for users):

* A date is a working day iff it is a 调休 working day, or it is Monday–Friday and not a holiday.
* ``add_working_days(start, n)`` for n >= 1 is the n-th working day strictly after ``start``: the
  start day itself never counts, whether or not it is a working day (the civil-law rule that a
  period starts counting on the next day). So composition holds for every start:
  ``add(add(d, n), m) == add(d, n + m)`` for n, m >= 1.
* ``add_working_days(start, 0)`` is the first working day on or after ``start`` ("today, or the
  next working day if today is a day off"). Hence ``add(add(d, n), 0) == add(d, n)`` always,
  while ``add(add(d, 0), m) == add(d, m)`` only when ``d`` is a working day.
* ``add_calendar_months(start, n)`` keeps the day number in the month n months later, clamped to
  that month's last day (11-30 + 3 months = 02-28, or 02-29 in a leap year). With
  ``roll_to_workday`` a result that is not a working day moves to the next working day.
* A year whose State Council schedule is not entered counts weekends only; any result whose
  counted window touches such a year is provisional, and its explanation says so.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# Dates outside this range are refused by forms and services: the calendar means nothing there,
# and date arithmetic near year 9999 overflows.
CALENDAR_MIN_YEAR = 2000
CALENDAR_MAX_YEAR = 2100

ONE_DAY = datetime.timedelta(days=1)
UNIT_WORKING_DAYS = "working_days"
UNIT_CALENDAR_MONTHS = "calendar_months"

ERR_NEGATIVE = "amount must be >= 0"
ERR_OUT_OF_RANGE = f"dates must lie in the years {CALENDAR_MIN_YEAR}..{CALENDAR_MAX_YEAR}"
ERR_UNKNOWN_UNIT = "unknown deadline unit"


class CalendarRangeError(ValueError):
    """A date or a result outside the years the calendar supports."""


@dataclass(frozen=True)
class WorkCalendar:
    """Holiday and 调休 dates (each mapped to its festival name) plus the years entered."""

    holidays: Mapping[datetime.date, str] = field(default_factory=dict)
    workdays: Mapping[datetime.date, str] = field(default_factory=dict)
    entered_years: frozenset[int] = frozenset()

    def is_workday(self, day: datetime.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def is_entered(self, year: int) -> bool:
        return year in self.entered_years

    def next_workday_on_or_after(self, day: datetime.date) -> datetime.date:
        while not self.is_workday(day):
            day = _next_day(day)
        return day

    def working_days_after(self, start: datetime.date, end: datetime.date) -> int:
        """How many working days d satisfy start < d <= end (0 when end <= start)."""
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            if self.is_workday(day):
                count += 1
        return count

    def day_kind(self, day: datetime.date) -> str:
        """"workday", "weekend", "holiday" or "adjusted_workday" (调休上班), for calendar pages."""
        if day in self.workdays:
            return "adjusted_workday"
        if day in self.holidays:
            return "holiday"
        return "workday" if day.weekday() < 5 else "weekend"


@dataclass(frozen=True)
class HolidayRange:
    first: datetime.date
    last: datetime.date
    names: tuple[str, ...]


@dataclass(frozen=True)
class Explanation:
    """How a due date was computed; ``str()`` renders it in the active language (Chinese)."""

    start: datetime.date
    due: datetime.date
    unit: str
    amount: int
    skipped: tuple[HolidayRange, ...] = ()
    adjusted_workdays: tuple[datetime.date, ...] = ()
    provisional_years: tuple[int, ...] = ()
    # Calendar months only: the same day number in the target month when it does not exist
    # ("2026-02-30"), the date it was clamped or landed on, and whether it was rolled forward.
    missing_day: str = ""
    landed_on: datetime.date | None = None
    rolled: bool = False

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)

    def _short(self, day: datetime.date) -> str:
        return day.strftime("%m-%d") if day.year == self.start.year else day.isoformat()

    def _ranges(self) -> str:
        out = []
        for r in self.skipped:
            span = self._short(r.first) if r.first == r.last else f"{self._short(r.first)}..{self._short(r.last)}"
            out.append(f"{span}（{'、'.join(r.names)}）" if r.names else span)
        return "、".join(out)

    def render(self) -> str:
        parts = [_("%(start)s 起算") % {"start": self.start.isoformat()}]
        if self.unit == UNIT_WORKING_DAYS:
            parts.append(_("%(n)s 个工作日") % {"n": self.amount})
            if self.amount == 0 and self.due != self.start:
                parts.append(_("当日为休息日，顺延至 %(due)s") % {"due": self.due.isoformat()})
            if self.skipped:
                parts.append(_("跳过 %(ranges)s") % {"ranges": self._ranges()})
            if self.adjusted_workdays:
                parts.append(_("含调休上班日 %(days)s") % {
                    "days": "、".join(self._short(d) for d in self.adjusted_workdays)})
        else:
            parts.append(_("%(n)s 个月") % {"n": self.amount})
            if self.missing_day and self.landed_on:
                parts.append(_("对应日 %(missing)s 不存在，取该月最后一日 %(day)s") % {
                    "missing": self.missing_day, "day": self.landed_on.isoformat()})
            if self.rolled and self.landed_on:
                names = "、".join(n for r in self.skipped for n in r.names)
                what = _("休息日（%(names)s）") % {"names": names} if names else _("休息日")
                parts.append(_("%(day)s 为%(what)s，顺延至 %(due)s") % {
                    "day": self.landed_on.isoformat(), "what": what, "due": self.due.isoformat()})
        parts.append(_("截止 %(due)s") % {"due": self.due.isoformat()})
        text = "，".join(parts)
        if self.provisional:
            text += _("（暂按双休日计算，待国务院公布%(years)s年节假日安排后自动重算）") % {
                "years": "、".join(str(y) for y in self.provisional_years)}
        return text

    def __str__(self) -> str:
        return self.render()


# --- helpers -----------------------------------------------------------------------------------
def _check_date(day: datetime.date) -> None:
    if not isinstance(day, datetime.date) or not (CALENDAR_MIN_YEAR <= day.year <= CALENDAR_MAX_YEAR):
        raise CalendarRangeError(ERR_OUT_OF_RANGE)


def _next_day(day: datetime.date) -> datetime.date:
    # Guard the loops: a calendar with no working day at all must not run to year 9999.
    if day.year > CALENDAR_MAX_YEAR:
        raise CalendarRangeError(ERR_OUT_OF_RANGE)
    return day + ONE_DAY


def _days(first: datetime.date, last: datetime.date) -> Iterable[datetime.date]:
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


def _holiday_ranges(cal: WorkCalendar, first: datetime.date, last: datetime.date) -> tuple[HolidayRange, ...]:
    """Runs of consecutive holiday-table dates inside [first, last], with their festival names."""
    ranges: list[HolidayRange] = []
    run: list[datetime.date] = []
    for day in _days(first, last):
        if day in cal.holidays:
            run.append(day)
            continue
        if run:
            ranges.append(_range(cal, run))
            run = []
    if run:
        ranges.append(_range(cal, run))
    return tuple(ranges)


def _range(cal: WorkCalendar, run: list[datetime.date]) -> HolidayRange:
    names: list[str] = []
    for day in run:
        name = cal.holidays.get(day) or ""
        if name and name not in names:
            names.append(name)
    return HolidayRange(first=run[0], last=run[-1], names=tuple(names))


def _provisional_years(cal: WorkCalendar, first: datetime.date, last: datetime.date) -> tuple[int, ...]:
    return tuple(y for y in range(first.year, last.year + 1) if not cal.is_entered(y))


# --- the two rules -------------------------------------------------------------------------------
def add_working_days(start: datetime.date, n: int, *, calendar: WorkCalendar) -> tuple[datetime.date, Explanation]:
    """The n-th working day after ``start`` (n >= 1), or the first working day on/after it (n == 0)."""
    _check_date(start)
    if n < 0:
        raise ValueError(ERR_NEGATIVE)
    if n == 0:
        due = calendar.next_workday_on_or_after(start)
        window_first = start
    else:
        due, count = start, 0
        while count < n:
            due = _next_day(due)
            if calendar.is_workday(due):
                count += 1
        window_first = start + ONE_DAY
    _check_date(due)
    adjusted = tuple(d for d in _days(window_first, due) if d in calendar.workdays)
    explanation = Explanation(
        start=start,
        due=due,
        unit=UNIT_WORKING_DAYS,
        amount=n,
        skipped=_holiday_ranges(calendar, window_first, due),
        adjusted_workdays=adjusted,
        provisional_years=_provisional_years(calendar, start, due),
    )
    return due, explanation


def add_calendar_months(
    start: datetime.date, n: int, *, calendar: WorkCalendar | None = None, roll_to_workday: bool = False
) -> tuple[datetime.date, Explanation]:
    """Same day number n months later, clamped to month end; optionally rolled to a working day."""
    _check_date(start)
    if n < 0:
        raise ValueError(ERR_NEGATIVE)
    years, month_index = divmod(start.month - 1 + n, 12)
    year, month = start.year + years, month_index + 1
    if year > CALENDAR_MAX_YEAR:
        raise CalendarRangeError(ERR_OUT_OF_RANGE)
    last_day = _stdlib_calendar.monthrange(year, month)[1]
    landed = datetime.date(year, month, min(start.day, last_day))
    missing = f"{year:04d}-{month:02d}-{start.day:02d}" if start.day > last_day else ""
    due, skipped, provisional = landed, (), ()
    if roll_to_workday:
        if calendar is None:
            raise ValueError("roll_to_workday needs a calendar")
        due = calendar.next_workday_on_or_after(landed)
        _check_date(due)
        if due != landed:
            skipped = _holiday_ranges(calendar, landed, due - ONE_DAY)
        # Only the roll depends on holidays: an unentered year makes the result provisional
        # only where the rolled-over days lie.
        provisional = _provisional_years(calendar, landed, due)
    explanation = Explanation(
        start=start,
        due=due,
        unit=UNIT_CALENDAR_MONTHS,
        amount=n,
        skipped=skipped,
        provisional_years=provisional,
        missing_day=missing,
        landed_on=landed,
        rolled=due != landed,
    )
    return due, explanation


def compute_due(
    *, start: datetime.date, unit: str, amount: int, roll_to_workday: bool, calendar: WorkCalendar
) -> tuple[datetime.date, Explanation]:
    """Apply one policy's rule (its unit, amount and roll option) to a start date."""
    if unit == UNIT_WORKING_DAYS:
        return add_working_days(start, amount, calendar=calendar)
    if unit == UNIT_CALENDAR_MONTHS:
        return add_calendar_months(start, amount, calendar=calendar, roll_to_workday=roll_to_workday)
    raise ValueError(ERR_UNKNOWN_UNIT)
