"""Deadlines, and calendar edits that recompute open deadlines."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from renda.core.models import Event
from renda.core.workdays import services
from renda.core.workdays.calendar import CALENDAR_MAX_YEAR, CALENDAR_MIN_YEAR
from renda.core.workdays.models import CalendarYear, Deadline, DeadlinePolicy, Holiday
from renda.core.workdays.selectors import calendar_load, deadline_open_for, deadlines_for_object
from renda.core.workflow import events_for

D = datetime.date.fromisoformat


def _deadline(w, start, code="opinion_reply", **kw):
    # Any model instance can carry a deadline; an org Unit stands in for an opinion here.
    return services.deadline_create(obj=w.unit, policy_code=code, start=D(start), owner_user=w.unit_user,
                                    congress=w.congress, **kw)


def test_deadline_create_computes_and_explains(wd_world):
    d = _deadline(wd_world, "2026-09-28")
    assert d.due == D("2026-10-23") and not d.provisional and d.state == "open"
    assert d.explanation == ("2026-09-28 起算，15 个工作日，跳过 10-01..10-07（国庆节），"
                             "含调休上班日 10-10，截止 2026-10-23")
    assert (d.unit, d.amount, d.congress_id) == ("working_days", 15, wd_world.congress.pk)
    assert d.item == wd_world.unit
    assert list(deadlines_for_object(obj=wd_world.unit)) == [d]
    assert deadline_open_for(obj=wd_world.unit, policy_code="opinion_reply") == d


def test_deadline_in_2027_is_provisional(wd_world):
    d = _deadline(wd_world, "2026-12-20")
    assert d.provisional and "待国务院公布2027年节假日安排后自动重算" in d.explanation


def test_deadline_create_rejects_bad_input(wd_world):
    with pytest.raises(DeadlinePolicy.DoesNotExist):
        _deadline(wd_world, "2026-09-28", code="no_such_policy")
    with pytest.raises(ValidationError):
        _deadline(wd_world, "1990-01-01")


def test_error_message_matches_the_range():
    assert f"{CALENDAR_MIN_YEAR} 年至 {CALENDAR_MAX_YEAR} 年" in str(services.ERR_DATE_RANGE)


def test_deadline_met_stops_it_once(wd_world):
    d = _deadline(wd_world, "2026-09-28")
    services.deadline_met(deadline=d, actor=wd_world.unit_user, on=D("2026-10-20"))
    d.refresh_from_db()
    assert (d.state, d.met_on) == ("met", D("2026-10-20"))
    assert events_for(d).last().action == "deadline_met"
    with pytest.raises(ValidationError):
        services.deadline_met(deadline=d)
    assert deadline_open_for(obj=wd_world.unit, policy_code="opinion_reply") is None


def test_adding_a_holiday_recomputes_open_deadlines_of_that_year(wd_world):
    open_one = _deadline(wd_world, "2026-11-02")             # 15 WD → 2026-11-23
    met_one = _deadline(wd_world, "2026-11-02")
    services.deadline_met(deadline=met_one)
    other_year = _deadline(wd_world, "2025-11-03")
    assert open_one.due == D("2026-11-23")
    before_other = other_year.due

    services.holiday_set(actor=wd_world.staff, date=D("2026-11-10"), kind="holiday", name="测试假日")

    open_one.refresh_from_db()
    met_one.refresh_from_db()
    other_year.refresh_from_db()
    assert open_one.due == D("2026-11-24")
    assert "跳过 11-10（测试假日）" in open_one.explanation
    assert met_one.due == D("2026-11-23")      # closed deadlines keep their history
    assert other_year.due == before_other       # another year is untouched
    ev = events_for(open_one).last()
    assert ev.action == "deadline_recomputed" and "2026-11-23 → 2026-11-24" in ev.note and ev.actor == wd_world.staff
    year_row = CalendarYear.objects.get(year=2026)
    assert events_for(year_row).last().action == "holiday_added"
    assert calendar_load().holidays[D("2026-11-10")] == "测试假日"


def test_adjusted_workday_then_delete_recomputes_back(wd_world):
    d = _deadline(wd_world, "2026-11-06")  # Friday; 15 WD → 2026-11-27
    assert d.due == D("2026-11-27")
    h = services.holiday_set(actor=wd_world.staff, date=D("2026-11-07"), kind="workday", name="调休")
    d.refresh_from_db()
    assert d.due == D("2026-11-26")
    services.holiday_delete(actor=wd_world.staff, holiday_id=h.pk)
    d.refresh_from_db()
    assert d.due == D("2026-11-27")
    assert not Holiday.objects.filter(date=D("2026-11-07")).exists()


def test_entering_2027_clears_provisional(wd_world):
    d = _deadline(wd_world, "2026-12-28", code="review_opinion_send")  # 5 WD
    assert d.provisional and d.due == D("2027-01-04")
    services.holiday_set(actor=wd_world.staff, date=D("2027-01-01"), kind="holiday", name="元旦")
    d.refresh_from_db()
    assert d.due == D("2027-01-05") and d.provisional  # holidays entered, year not yet declared complete
    services.calendar_year_mark_entered(actor=wd_world.staff, year=2027)
    d.refresh_from_db()
    assert d.due == D("2027-01-05") and not d.provisional
    assert "暂按" not in d.explanation
    services.calendar_year_mark_entered(actor=wd_world.staff, year=2027, entered=False)
    d.refresh_from_db()
    assert d.provisional


@pytest.mark.parametrize(("today", "still_overdue"), [("2026-11-20", False), ("2026-11-25", True)])
def test_moving_a_due_date_resets_reminders(wd_world, today, still_overdue):
    d = _deadline(wd_world, "2026-11-02")  # due 2026-11-23
    Deadline.objects.filter(pk=d.pk).update(overdue_at="2026-11-24T01:00:00Z", escalation_level=1,
                                            warned_at="2026-11-20T01:00:00Z")
    Holiday.objects.create(date=D("2026-11-10"), kind="holiday", name="x")
    services._bump_revision()
    assert services.deadlines_recompute_for_years(years=[2026], today=D(today)) == 1
    d.refresh_from_db()
    assert d.due == D("2026-11-24") and d.warned_at is None  # a new due date gets a new reminder
    assert (d.overdue_at is not None, d.escalation_level) == ((True, 1) if still_overdue else (False, 0))


def test_policy_edit_is_not_retroactive_unless_asked(wd_world):
    d = _deadline(wd_world, "2026-09-28")
    policy = DeadlinePolicy.objects.get(code="opinion_reply")
    services.policy_update(actor=wd_world.staff, policy_id=policy.pk, label="群众意见答复", unit="working_days",
                           amount=10, roll_to_workday=True)
    d.refresh_from_db()
    assert d.due == D("2026-10-23") and d.amount == 15
    new = _deadline(wd_world, "2026-09-28")
    assert new.due == D("2026-10-16") and new.amount == 10
    # A calendar edit still recomputes the old one under its own rule (15 WD).
    services.holiday_set(actor=wd_world.staff, date=D("2026-10-20"), kind="holiday", name="x")
    d.refresh_from_db()
    assert d.due == D("2026-10-26")
    _, changed = services.policy_update(actor=wd_world.staff, policy_id=policy.pk, label="群众意见答复",
                                        unit="working_days", amount=10, roll_to_workday=True, apply_to_open=True)
    d.refresh_from_db()
    assert changed == 1 and d.amount == 10 and d.due == D("2026-10-16")
    assert events_for(policy).count() == 2


def test_calendar_edits_need_staff_role(wd_world):
    for user in (wd_world.director, wd_world.unit_user, wd_world.discipline, wd_world.nobody):
        with pytest.raises(PermissionDenied):
            services.holiday_set(actor=user, date=D("2026-11-10"), kind="holiday", name="x")
        with pytest.raises(PermissionDenied):
            services.calendar_year_mark_entered(actor=user, year=2027)
    services.holiday_set(actor=wd_world.admin, date=D("2026-11-10"), kind="holiday", name="x")
    assert Holiday.objects.filter(date=D("2026-11-10")).exists()


def test_calendar_edit_validation(wd_world):
    with pytest.raises(ValidationError):
        services.holiday_set(actor=wd_world.staff, date=D("1899-01-01"), kind="holiday")
    with pytest.raises(ValidationError):
        services.holiday_set(actor=wd_world.staff, date=D("2026-11-10"), kind="party")
    with pytest.raises(ValidationError):
        services.calendar_year_mark_entered(actor=wd_world.staff, year=3000)
    with pytest.raises(ValidationError):
        services.policy_update(actor=wd_world.staff, policy_id=DeadlinePolicy.objects.first().pk, label="x",
                               unit="weeks", amount=1, roll_to_workday=False)
    assert not Event.objects.filter(action="policy_changed").exists()
