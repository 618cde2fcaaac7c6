"""A unit's overdue part goes up the foundation's escalation: the unit is told, then the office that
supervises suggestions (代表工委), then the director meeting's members."""

import datetime as dt

import pytest

from renda.core.notify.models import Message
from renda.core.workdays.services import deadlines_escalate, deadlines_mark_overdue
from renda.suggestions.world import parts, to_assigned

pytestmark = pytest.mark.django_db


def test_an_overdue_reply_reaches_the_unit_then_the_office_then_the_directors(world):
    s = to_assigned(world, co=False)
    lead, _ = parts(s)
    late = s.due + dt.timedelta(days=20)
    assert deadlines_mark_overdue(today=late) >= 1
    assert Message.objects.filter(recipient=world.users["unit"], subject__contains="逾期").exists()
    deadlines_escalate(today=late)
    # The deadline names the 代表工委 as its supervising office: its staff are told, then the directors.
    assert Message.objects.filter(recipient=world.users["staff"], body__contains=s.title).exists()
    assert Message.objects.filter(recipient=world.users["director"], body__contains=s.title).exists()
