"""The seeded table reproduces chinesecalendar exactly, and years outside it are handled."""

import datetime

import chinese_calendar
import pytest

from renda.core.workdays.models import CalendarYear, DeadlinePolicy, Holiday
from renda.core.workdays.selectors import calendar_build, calendar_load


def test_seeded_table_matches_the_package_for_every_day_2004_to_2026(seeded):
    cal = calendar_build()
    day, mismatches = datetime.date(2004, 1, 1), []
    while day.year <= 2026:
        if cal.is_workday(day) != chinese_calendar.is_workday(day):
            mismatches.append(day)
        day += datetime.timedelta(days=1)
    assert mismatches == []
    assert cal.entered_years >= frozenset(range(2004, 2027))
    assert 2027 not in cal.entered_years


def test_seed_names_festivals_in_chinese(seeded):
    assert Holiday.objects.get(date=datetime.date(2026, 10, 1)).name == "国庆节"
    workday = Holiday.objects.get(date=datetime.date(2026, 2, 14))
    assert (workday.kind, workday.name, workday.source) == ("workday", "春节", "seed")


def test_default_policies(seeded):
    got = {p.code: (p.unit, p.amount) for p in DeadlinePolicy.objects.all()}
    assert got["opinion_accept"] == ("working_days", 1)
    assert got["opinion_reply"] == ("working_days", 15)
    assert got["opinion_rehandle"] == ("working_days", 10)
    assert got["suggestion_sign"] == ("working_days", 7)
    assert got["suggestion_reply"] == ("calendar_months", 3)
    assert got["suggestion_rehandle"] == ("calendar_months", 1)
    assert got["coop_views"] == ("calendar_months", 1)
    assert got["review_opinion_send"] == ("working_days", 5)


def test_calendar_is_cached_until_an_edit(seeded, django_assert_num_queries):
    first = calendar_load()
    with django_assert_num_queries(1):  # only the revision token
        assert calendar_load() is first


@pytest.mark.parametrize("year", [2003, 2027, 2100])
def test_years_outside_the_package_are_not_entered(seeded, year):
    assert not CalendarYear.objects.filter(year=year, entered=True).exists()
