"""The workflow engine itself: a personal transition is tested by its rule alone."""

import datetime as dt

import pytest
import rules
from django.core.exceptions import PermissionDenied

from renda.core.models import Event
from renda.core.workdays.models import Deadline
from renda.core.workdays.services import deadline_create
from renda.core.workflow import Transition, Workflow, events_for, has_permission

PERM = "core.test_close_own_deadline"


@rules.predicate
def owns_deadline(user, deadline) -> bool:
    return deadline is not None and deadline.owner_user_id == getattr(user, "pk", None)


rules.set_perm(PERM, owns_deadline)

# A table on a core model, so the engine is tested without any domain app: its owner closes a deadline
# personally (the superuser may not), and anybody holding the permission cancels it.
FLOW = Workflow(Deadline, state_field="state", transitions=[
    Transition("close", source=["open"], target="met", permission=PERM, label="close", personal=True),
    Transition("drop", source=["open"], target="cancelled", permission=PERM, label="drop"),
])


@pytest.fixture
def deadline(world):
    return deadline_create(obj=world.users["deputy"], policy_code="suggestion_sign", start=dt.date(2026, 3, 2),
                           owner_user=world.users["deputy"], congress=world.city)


def test_a_personal_transition_refuses_a_superuser(world, deadline):
    admin = world.users["admin"]
    assert admin.is_superuser and admin.has_perm(PERM, deadline)  # the blanket permission would let it through
    assert [t.action for t in FLOW.actions_for(deadline, admin)] == ["drop"]
    assert not FLOW.permits("close", admin, deadline)
    with pytest.raises(PermissionDenied):
        FLOW.apply(obj_id=deadline.pk, action="close", actor=admin)
    deadline.refresh_from_db()
    assert deadline.state == "open" and not events_for(deadline).filter(action="close").exists()


def test_a_personal_transition_allows_its_person(world, deadline):
    owner = world.users["deputy"]
    assert [t.action for t in FLOW.actions_for(deadline, owner)] == ["close", "drop"]
    before = Event.objects.count()
    closed = FLOW.apply(obj_id=deadline.pk, action="close", actor=owner)
    assert closed.state == "met" and Event.objects.count() == before + 1
    assert events_for(closed).get(action="close").actor == owner


def test_a_personal_transition_refuses_another_user(world, deadline):
    with pytest.raises(PermissionDenied):
        FLOW.apply(obj_id=deadline.pk, action="close", actor=world.users["staff"])
    assert FLOW.actions_for(deadline, world.users["staff"]) == []


def test_has_permission_outside_a_table(world, deadline):
    admin, owner = world.users["admin"], world.users["deputy"]
    assert has_permission(admin, PERM, deadline) and not has_permission(admin, PERM, deadline, personal=True)
    assert has_permission(owner, PERM, deadline, personal=True)
