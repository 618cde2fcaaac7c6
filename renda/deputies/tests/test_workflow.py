import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import close_old_connections

from renda.accounts.selectors import assignment_active_for
from renda.core.models import Event
from renda.core.workflow import ConflictError, InvalidTransition, events_for
from renda.deputies.models import Deputy
from renda.deputies.workflow import DEPUTY_FLOW, deputy_change_status


def _as(user):
    user.active_assignment = assignment_active_for(user=user)
    return user


def test_suspend_writes_one_event(world):
    staff = _as(world.users["staff"])
    before = Event.objects.count()
    d = deputy_change_status(deputy_id=world.deputy.pk, action="suspend", actor=staff, note="涉嫌违法，依法暂停")
    assert d.status == Deputy.Status.SUSPENDED
    assert Event.objects.count() == before + 1
    ev = events_for(d).last()
    assert (ev.from_state, ev.to_state, ev.actor, ev.note) == ("active", "suspended", staff, "涉嫌违法，依法暂停")
    assert ev.actor_role == "staff"


def test_note_required(world):
    with pytest.raises(InvalidTransition):
        deputy_change_status(deputy_id=world.deputy.pk, action="suspend", actor=_as(world.users["staff"]), note=" ")


def test_forbidden_from_state(world):
    with pytest.raises(ConflictError):
        deputy_change_status(deputy_id=world.deputy.pk, action="resume", actor=_as(world.users["staff"]), note="x")


def test_other_congress_staff_cannot_change(world):
    with pytest.raises(PermissionDenied):
        deputy_change_status(deputy_id=world.deputy.pk, action="suspend", actor=_as(world.users["town_staff"]),
                             note="x")
    world.deputy.refresh_from_db()
    assert world.deputy.status == "active"


def test_deputy_cannot_change_own_status(world):
    with pytest.raises(PermissionDenied):
        deputy_change_status(deputy_id=world.deputy.pk, action="terminate", actor=_as(world.users["deputy"]),
                             note="x")


def test_stale_version_conflicts(world):
    staff = _as(world.users["staff"])
    deputy_change_status(deputy_id=world.deputy.pk, action="suspend", actor=staff, note="a", expected_version=0)
    with pytest.raises(ConflictError):
        deputy_change_status(deputy_id=world.deputy.pk, action="terminate", actor=staff, note="b", expected_version=0)


def test_buttons_follow_the_table(world):
    staff = _as(world.users["staff"])
    assert [t.action for t in DEPUTY_FLOW.actions_for(world.deputy, staff)] == ["suspend", "terminate"]
    assert DEPUTY_FLOW.actions_for(world.deputy, _as(world.users["deputy"])) == []


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_actions_exactly_one_wins():
    from renda.testing import build_world

    w = build_world()
    results: list[str] = []
    barrier = threading.Barrier(2)

    def act(action):
        try:
            staff = _as(type(w.users["staff"]).objects.get(username="staff"))
            barrier.wait()
            deputy_change_status(deputy_id=w.deputy.pk, action=action, actor=staff, note=action, expected_version=0)
            results.append("ok")
        except ConflictError:
            results.append("conflict")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=act, args=(a,)) for a in ("suspend", "terminate")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["conflict", "ok"]
    assert events_for(Deputy.objects.get(pk=w.deputy.pk)).count() == 1
