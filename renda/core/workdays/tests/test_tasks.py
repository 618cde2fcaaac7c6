"""Reminders, overdue marking and escalation: each happens exactly once, on the right day."""

import datetime

import pytest

from renda.core.models import Event
from renda.core.notify.models import Message, OutboxMessage
from renda.core.workdays import services, tasks

D = datetime.date.fromisoformat


@pytest.fixture
def due_1123(wd_world):
    """opinion_reply started 2026-11-02: due Monday 2026-11-23."""
    d = services.deadline_create(obj=wd_world.unit, policy_code="opinion_reply", start=D("2026-11-02"),
                                 owner_user=wd_world.unit_user, supervising_office=wd_world.office,
                                 congress=wd_world.congress)
    assert d.due == D("2026-11-23")
    return d


def _inbox(user, prefix):
    return list(Message.objects.filter(recipient=user, subject__startswith=prefix))


def test_warn_two_working_days_before_and_only_once(wd_world, due_1123):
    assert services.deadlines_warn_upcoming(today=D("2026-11-18"), days=2) == 0  # 3 working days left
    assert services.deadlines_warn_upcoming(today=D("2026-11-19"), days=2) == 1
    assert services.deadlines_warn_upcoming(today=D("2026-11-19"), days=2) == 0
    assert services.deadlines_warn_upcoming(today=D("2026-11-20"), days=2) == 0
    msgs = _inbox(wd_world.unit_user, "办理期限提醒")
    assert len(msgs) == 1 and "2026-11-23" in msgs[0].body and "计算说明" in msgs[0].body
    assert OutboxMessage.objects.filter(recipient=wd_world.unit_user, channel="sms").count() == 1
    assert Event.objects.filter(action="deadline_warned", object_id=due_1123.pk).count() == 1
    due_1123.refresh_from_db()
    assert due_1123.warned_at is not None


def test_warn_setting_and_met_deadlines(wd_world, due_1123, settings):
    settings.RENDA_DEADLINE_WARN_DAYS = 5
    assert services.deadlines_warn_upcoming(today=D("2026-11-12")) == 0  # 7 working days left
    services.deadline_met(deadline=due_1123)
    assert services.deadlines_warn_upcoming(today=D("2026-11-16")) == 0
    assert services.deadlines_mark_overdue(today=D("2026-12-01")) == 0
    assert not Message.objects.exists()


def test_warn_goes_to_the_owner_units_users_without_owner_user(wd_world):
    d = services.deadline_create(obj=wd_world.unit, policy_code="opinion_accept", start=D("2026-11-19"),
                                 owner_unit=wd_world.unit, congress=wd_world.congress)
    assert services.deadlines_warn_upcoming(today=D("2026-11-19"), days=2) == 1
    assert [m.recipient for m in Message.objects.all()] == [wd_world.unit_user]
    assert d.due == D("2026-11-20")


def test_mark_overdue_the_day_after_due_once(wd_world, due_1123):
    assert services.deadlines_mark_overdue(today=D("2026-11-23")) == 0
    assert services.deadlines_mark_overdue(today=D("2026-11-24")) == 1
    assert services.deadlines_mark_overdue(today=D("2026-11-25")) == 0
    due_1123.refresh_from_db()
    assert due_1123.is_overdue
    assert len(_inbox(wd_world.unit_user, "办理已逾期")) == 1
    assert Event.objects.filter(action="deadline_overdue", object_id=due_1123.pk).count() == 1
    # A warning that never went out before the due date is not sent after it.
    assert services.deadlines_warn_upcoming(today=D("2026-11-25"), days=2) == 0


def test_escalate_to_office_then_directors_each_once(wd_world, due_1123):
    # Default: office after 3 working days overdue (11-24, 11-25, 11-26), directors after 5 more.
    assert services.deadlines_escalate(today=D("2026-11-25")) == 0
    assert services.deadlines_escalate(today=D("2026-11-26")) == 1
    assert services.deadlines_escalate(today=D("2026-11-26")) == 0
    assert len(_inbox(wd_world.staff, "逾期督办")) == 1
    assert _inbox(wd_world.rep_staff, "逾期督办") == []      # another office
    assert _inbox(wd_world.town_staff, "逾期督办") == []     # another congress
    assert _inbox(wd_world.director, "逾期督办") == []
    assert services.deadlines_escalate(today=D("2026-12-02")) == 0  # 7 working days overdue
    assert services.deadlines_escalate(today=D("2026-12-03")) == 1  # 8
    assert services.deadlines_escalate(today=D("2026-12-31")) == 0
    assert len(_inbox(wd_world.director, "逾期督办")) == 1
    assert len(_inbox(wd_world.staff, "逾期督办")) == 1
    due_1123.refresh_from_db()
    assert due_1123.escalation_level == 2
    assert Event.objects.filter(action="deadline_escalated", object_id=due_1123.pk).count() == 2


def test_escalation_catches_up_and_falls_back_to_supervising_offices(wd_world, settings):
    settings.RENDA_ESCALATION = {"office_after_days": 1, "director_after_days": 1}
    d = services.deadline_create(obj=wd_world.unit, policy_code="opinion_reply", start=D("2026-11-02"),
                                 owner_user=wd_world.unit_user, congress=wd_world.congress)
    assert services.deadlines_escalate(today=D("2026-11-25")) == 2  # both levels at once, each once
    assert services.deadlines_escalate(today=D("2026-11-26")) == 0
    assert len(_inbox(wd_world.staff, "逾期督办")) == 1  # 办公室 has supervises=True
    assert len(_inbox(wd_world.director, "逾期督办")) == 1
    d.refresh_from_db()
    assert d.escalation_level == 2


def test_tasks_run_through_the_task_backend(seeded):
    for t in (tasks.deadlines_warn, tasks.deadlines_mark_overdue, tasks.deadlines_escalate):
        result = t.enqueue()
        assert result.status == "SUCCESSFUL" and result.return_value == 0


def test_tasks_are_scheduled():
    from crontask import scheduler

    import renda.core.notify.tasks  # noqa: F401

    names = {job.name for job in scheduler.get_jobs()}
    assert {"deadlines_warn", "deadlines_mark_overdue", "deadlines_escalate", "outbox_send"} <= names
