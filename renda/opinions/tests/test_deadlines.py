"""The foundation's reminders, overdue marking and calendar recomputation reach every opinion step."""

import datetime

import pytest

from renda.core.notify.models import Message
from renda.core.workdays.models import Deadline
from renda.core.workdays.services import deadlines_mark_overdue, deadlines_warn_upcoming, holiday_set
from renda.opinions import services
from renda.opinions.models import Assignment, Opinion
from renda.opinions.selectors import OpinionFilters, opinion_list_for_user

from .factories import as_role, submit

pytestmark = pytest.mark.django_db


def test_station_item_warning_reaches_town_staff(world):
    op = submit(world, to="station")
    d = Deadline.objects.get(object_id=op.pk, policy__code="opinion_accept")
    assert d.owner_user is None
    deadlines_warn_upcoming(today=d.start)
    assert Message.objects.filter(recipient=world.users["town_staff"], subject__contains="期限").exists()


def test_unit_part_overdue_is_marked_and_listed(world):
    deputy = as_role(world, "deputy")
    op = submit(world)
    services.opinion_accept(opinion_id=op.pk, actor=deputy)
    services.opinion_forward(opinion_id=op.pk, actor=deputy, unit_ids=[world.unit.pk])
    part = Assignment.objects.get(opinion=op)
    later = part.due + datetime.timedelta(days=1)
    assert deadlines_mark_overdue(today=later) >= 1
    assert Message.objects.filter(recipient=world.users["unit"], subject__contains="逾期").exists()
    # The staff list's overdue filter uses current_due, which is the part's due date.
    assert Opinion.objects.get(pk=op.pk).current_due == part.due


def test_overdue_filter(world):
    op = submit(world)
    staff = as_role(world, "staff")
    Opinion.objects.filter(pk=op.pk).update(current_due=datetime.date(2020, 1, 2))
    assert list(opinion_list_for_user(user=staff, filters=OpinionFilters(overdue=True))) == [
        Opinion.objects.get(pk=op.pk)]


def test_calendar_edit_moves_current_due(world):
    deputy = as_role(world, "deputy")
    op = submit(world)
    services.opinion_accept(opinion_id=op.pk, actor=deputy)
    op.refresh_from_db()
    d = Deadline.objects.get(object_id=op.pk, policy__code="opinion_reply", state="open")
    old_due = d.due
    assert op.current_due == old_due
    # A new holiday on a working day inside the window pushes the due date one working day later.
    day = d.start + datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    holiday_set(actor=as_role(world, "admin"), date=day, kind="holiday", name="临时休假")
    d.refresh_from_db()
    op.refresh_from_db()
    assert d.due > old_due and op.current_due == d.due
