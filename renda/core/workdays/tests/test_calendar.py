"""Table and property tests of the pure working-day arithmetic (no database)."""

import datetime

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renda.core.workdays.calendar import (
    CalendarRangeError,
    WorkCalendar,
    add_calendar_months,
    add_working_days,
    compute_due,
)

D = datetime.date.fromisoformat


# --- 2026: is each date a working day? ----------------------------------------------------------
@pytest.mark.parametrize(("day", "working"), [
    # New Year: 01-01..01-03 off, Sunday 01-04 worked.
    ("2026-01-01", False), ("2026-01-02", False), ("2026-01-03", False), ("2026-01-04", True),
    # Spring Festival: Saturday 02-14 worked, 02-15..02-23 off (a Mon and a Tue among them), Saturday 02-28 worked.
    ("2026-02-13", True), ("2026-02-14", True), ("2026-02-15", False), ("2026-02-16", False),
    ("2026-02-20", False), ("2026-02-23", False), ("2026-02-24", True), ("2026-02-28", True),
    ("2026-03-01", False),
    # Labour Day: 05-01..05-05 off, Saturday 05-09 worked.
    ("2026-05-01", False), ("2026-05-05", False), ("2026-05-06", True), ("2026-05-09", True),
    # Mid-autumn 09-25..27 off; Sunday 09-20 worked (for National Day).
    ("2026-09-19", False), ("2026-09-20", True), ("2026-09-25", False), ("2026-09-28", True),
    # National Day: 10-01..10-07 off; 10-08 (Thursday) is a working day; Saturday 10-10 worked.
    ("2026-10-01", False), ("2026-10-07", False), ("2026-10-08", True), ("2026-10-09", True),
    ("2026-10-10", True), ("2026-10-11", False),
])
def test_2026_working_days(pkg_calendar, day, working):
    assert pkg_calendar.is_workday(D(day)) is working
    assert chinese_calendar.is_workday(D(day)) is working  # the package agrees with our reading


@pytest.mark.parametrize("day", ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"])
def test_2026_adjusted_working_days_are_weekend_days_in_the_table(pkg_calendar, day):
    assert D(day).weekday() >= 5
    assert D(day) in pkg_calendar.workdays
    assert pkg_calendar.day_kind(D(day)) == "adjusted_workday"


# --- adding working days around the 2026 holidays ---------------------------------------------------
@pytest.mark.parametrize(("start", "n", "due"), [
    ("2026-02-13", 1, "2026-02-14"),   # Friday → the 调休 Saturday
    ("2026-02-14", 1, "2026-02-24"),   # across the whole Spring Festival
    ("2026-02-12", 3, "2026-02-24"),
    ("2026-02-24", 4, "2026-02-28"),   # Tue..Fri, then the 调休 Saturday is the 4th
    ("2026-02-27", 1, "2026-02-28"),
    ("2026-02-28", 1, "2026-03-02"),
    ("2025-12-31", 1, "2026-01-04"),   # New Year off, Sunday 01-04 worked
    ("2026-04-30", 1, "2026-05-06"),
    ("2026-05-08", 1, "2026-05-09"),
    ("2026-09-18", 1, "2026-09-20"),   # Saturday off, Sunday 09-20 worked
    ("2026-09-24", 1, "2026-09-28"),   # Mid-autumn
    ("2026-09-30", 1, "2026-10-08"),   # National Day
    ("2026-10-09", 1, "2026-10-10"),
    ("2026-09-28", 15, "2026-10-23"),  # the example in DOMAIN.md
    ("2026-10-03", 1, "2026-10-08"),   # start on a holiday: counting starts the next day
    ("2026-10-10", 1, "2026-10-12"),
])
def test_add_working_days_2026(pkg_calendar, start, n, due):
    got, explanation = add_working_days(D(start), n, calendar=pkg_calendar)
    assert got == D(due)
    assert explanation.due == D(due) and not explanation.provisional


def test_explanation_names_the_skipped_holidays_and_adjusted_days(pkg_calendar):
    _, explanation = add_working_days(D("2026-09-28"), 15, calendar=pkg_calendar)
    assert str(explanation) == ("2026-09-28 起算，15 个工作日，跳过 10-01..10-07（国庆节），"
                                "含调休上班日 10-10，截止 2026-10-23")


def test_explanation_across_new_year_shows_full_dates(pkg_calendar):
    _, explanation = add_working_days(D("2025-12-31"), 1, calendar=pkg_calendar)
    assert str(explanation) == (
        "2025-12-31 起算，1 个工作日，跳过 2026-01-01..2026-01-03（元旦），含调休上班日 2026-01-04，截止 2026-01-04")


def test_explanation_for_spring_festival(pkg_calendar):
    _, explanation = add_working_days(D("2026-02-14"), 1, calendar=pkg_calendar)
    assert "跳过 02-15..02-23（春节）" in str(explanation)


# --- 2027 is not entered: weekends only, provisional ----------------------------------------------------
def test_2027_counts_weekends_only_and_is_provisional(pkg_calendar):
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D("2027-01-01"))  # what we must never let become a 500
    due, explanation = add_working_days(D("2026-12-28"), 5, calendar=pkg_calendar)
    # 12-29, 12-30, 12-31, then Friday 2027-01-01 counts (no schedule yet), then Monday 01-04.
    assert due == D("2027-01-04")
    assert explanation.provisional and explanation.provisional_years == (2027,)
    assert str(explanation).endswith("（暂按双休日计算，待国务院公布2027年节假日安排后自动重算）")


def test_window_inside_2026_is_not_provisional(pkg_calendar):
    due, explanation = add_working_days(D("2026-12-01"), 5, calendar=pkg_calendar)
    assert due == D("2026-12-08") and not explanation.provisional
    assert "暂按" not in str(explanation)


def test_entering_2027_makes_it_exact(pkg_calendar):
    entered = WorkCalendar(holidays={**pkg_calendar.holidays, D("2027-01-01"): "元旦"},
                           workdays=pkg_calendar.workdays,
                           entered_years=pkg_calendar.entered_years | {2027})
    due, explanation = add_working_days(D("2026-12-28"), 5, calendar=entered)
    assert due == D("2027-01-05") and not explanation.provisional


# --- calendar months -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("start", "n", "roll", "due"), [
    ("2025-11-30", 3, False, "2026-02-28"),  # clamped to month end
    ("2025-11-30", 3, True, "2026-02-28"),   # …which is a 调休 Saturday: no roll
    ("2023-11-30", 3, False, "2024-02-29"),  # leap year
    ("2026-01-31", 1, False, "2026-02-28"),
    ("2026-03-31", 1, False, "2026-04-30"),
    ("2026-05-15", 3, False, "2026-08-15"),  # a Saturday, kept without the roll option
    ("2026-05-15", 3, True, "2026-08-17"),   # rolled to Monday
    ("2026-07-01", 3, True, "2026-10-08"),   # 10-01 is National Day: rolled past it
    ("2026-10-20", 3, False, "2027-01-20"),
    ("2026-01-10", 0, False, "2026-01-10"),
])
def test_add_calendar_months(pkg_calendar, start, n, roll, due):
    got, _ = add_calendar_months(D(start), n, calendar=pkg_calendar, roll_to_workday=roll)
    assert got == D(due)


def test_month_end_explanation(pkg_calendar):
    _, explanation = add_calendar_months(D("2025-11-30"), 3, calendar=pkg_calendar, roll_to_workday=True)
    assert str(explanation) == (
        "2025-11-30 起算，3 个月，对应日 2026-02-30 不存在，取该月最后一日 2026-02-28，截止 2026-02-28")


def test_month_roll_explanation_names_the_holiday(pkg_calendar):
    _, explanation = add_calendar_months(D("2026-07-01"), 3, calendar=pkg_calendar, roll_to_workday=True)
    assert "2026-10-01 为休息日（国庆节），顺延至 2026-10-08" in str(explanation)


def test_month_end_into_unentered_year(pkg_calendar):
    # 2026-11-30 + 3 months = 2027-02-28, a Sunday in a year not entered.
    due, explanation = add_calendar_months(D("2026-11-30"), 3, calendar=pkg_calendar, roll_to_workday=True)
    assert due == D("2027-03-01") and explanation.provisional
    due, explanation = add_calendar_months(D("2026-11-30"), 3, calendar=pkg_calendar, roll_to_workday=False)
    assert due == D("2027-02-28") and not explanation.provisional  # months alone need no holiday data


# --- n = 0, start on a non-working day, bad input ------------------------------------------------------------
def test_zero_working_days_is_start_or_next_working_day(pkg_calendar):
    assert add_working_days(D("2026-09-28"), 0, calendar=pkg_calendar)[0] == D("2026-09-28")
    due, explanation = add_working_days(D("2026-10-03"), 0, calendar=pkg_calendar)
    assert due == D("2026-10-08")
    assert "当日为休息日，顺延至 2026-10-08" in str(explanation)


def test_bad_input_raises_value_errors(pkg_calendar):
    with pytest.raises(ValueError):
        add_working_days(D("2026-01-05"), -1, calendar=pkg_calendar)
    with pytest.raises(CalendarRangeError):
        add_working_days(D("1999-12-31"), 1, calendar=pkg_calendar)
    with pytest.raises(CalendarRangeError):
        add_calendar_months(D("2100-12-01"), 3)
    with pytest.raises(CalendarRangeError):
        add_working_days(D("2100-12-30"), 10, calendar=pkg_calendar)
    with pytest.raises(ValueError):
        compute_due(start=D("2026-01-05"), unit="weeks", amount=1, roll_to_workday=False, calendar=pkg_calendar)


def test_a_calendar_without_working_days_stops():
    every_day_off = WorkCalendar(holidays={D("2026-01-05") + datetime.timedelta(days=i): "" for i in range(40000)})
    with pytest.raises(CalendarRangeError):
        add_working_days(D("2026-01-05"), 1, calendar=every_day_off)


# --- properties -------------------------------------------------------------------------------------------
starts = st.dates(min_value=D("2004-01-01"), max_value=D("2027-06-30"))
amounts = st.integers(min_value=1, max_value=60)


@settings(max_examples=300, deadline=None)
@given(d=starts, n=amounts, m=amounts)
def test_adding_n_then_m_equals_adding_n_plus_m(pkg_calendar, d, n, m):
    first, _ = add_working_days(d, n, calendar=pkg_calendar)
    assert add_working_days(first, m, calendar=pkg_calendar)[0] == add_working_days(d, n + m, calendar=pkg_calendar)[0]


@settings(max_examples=200, deadline=None)
@given(d=starts, n=st.integers(min_value=0, max_value=60))
def test_result_is_a_working_day_exactly_n_working_days_later(pkg_calendar, d, n):
    due, explanation = add_working_days(d, n, calendar=pkg_calendar)
    assert pkg_calendar.is_workday(due)
    assert due >= d
    if n >= 1:
        assert pkg_calendar.working_days_after(d, due) == n
    assert explanation.provisional == (due.year >= 2027)


@settings(max_examples=200, deadline=None)
@given(d=starts, n=st.integers(min_value=0, max_value=30), m=amounts)
def test_zero_is_rolling_forward(pkg_calendar, d, n, m):
    """n=0 means "on or after": neutral after a result, one extra day before a non-working start."""
    after, _ = add_working_days(d, n, calendar=pkg_calendar)
    assert add_working_days(after, 0, calendar=pkg_calendar)[0] == after
    rolled, _ = add_working_days(d, 0, calendar=pkg_calendar)
    expected_m = m if pkg_calendar.is_workday(d) else m + 1
    assert add_working_days(rolled, m, calendar=pkg_calendar)[0] == add_working_days(d, expected_m,
                                                                                    calendar=pkg_calendar)[0]


@settings(max_examples=200, deadline=None)
@given(d=st.dates(min_value=D("2004-01-01"), max_value=D("2026-12-31")), n=st.integers(min_value=0, max_value=40))
def test_months_keep_the_day_or_clamp_to_month_end(d, n):
    due, _ = add_calendar_months(d, n)
    months = (due.year - d.year) * 12 + due.month - d.month
    assert months == n
    assert due.day == d.day or (due.day < d.day and (due + datetime.timedelta(days=1)).day == 1)
