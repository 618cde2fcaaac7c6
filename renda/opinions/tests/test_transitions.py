"""Every allowed transition of both tables, through its service: one event, the right notifications.

Plus a sample of forbidden ones (wrong state → conflict, wrong person → refused).
"""

import pytest
from django.core.exceptions import PermissionDenied

from renda.core.models import Event
from renda.core.notify.models import Message, OutboxMessage
from renda.core.workflow import ConflictError
from renda.opinions import services
from renda.opinions.actors import Citizen
from renda.opinions.models import Assignment, Opinion
from renda.opinions.workflow import ASSIGNMENT_FLOW, OPINION_FLOW

from .factories import as_role, submit

pytestmark = pytest.mark.django_db


def n_events(obj, action):
    return Event.objects.filter(object_id=obj.pk, content_type__model=obj._meta.model_name, action=action).count()


# --- builders: an item in a given state -------------------------------------------------------------
def submitted(w):
    return submit(w)


def accepted(w):
    op = submit(w)
    return services.opinion_accept(opinion_id=op.pk, actor=as_role(w, "deputy"))


def forwarded(w):
    op = accepted(w)
    return services.opinion_forward(opinion_id=op.pk, actor=as_role(w, "deputy"), unit_ids=[w.unit.pk])


def replied(w):
    op = accepted(w)
    return services.opinion_answer(opinion_id=op.pk, actor=as_role(w, "deputy"), reply_text="答复")


def rehandling(w):
    op = replied(w)
    return services.opinion_rate(opinion_id=op.pk, citizen=Citizen(op.pk), rating="unsatisfied")


def replied_again(w):
    op = rehandling(w)
    return services.opinion_answer(opinion_id=op.pk, actor=as_role(w, "deputy"), reply_text="再答复")


def merged(w):
    main = submit(w, title="主意见")
    op = submit(w, phone="13800001111")
    services.opinion_merge(opinion_id=op.pk, into_id=main.pk, actor=as_role(w, "staff"), note="相同")
    op.refresh_from_db()
    op.main = main
    return op


def part_in(w, state):
    op = forwarded(w)
    part = Assignment.objects.get(opinion=op)
    unit = as_role(w, "unit")
    if state in ("signed", "replied"):
        services.assignment_sign(assignment_id=part.pk, actor=unit)
    if state == "replied":
        services.assignment_reply(assignment_id=part.pk, actor=unit, reply_text="单位答复")
    if state == "returned":
        services.assignment_return(assignment_id=part.pk, actor=unit, reason="非本单位职责")
    part.refresh_from_db()
    return part


# --- the opinion table ------------------------------------------------------------------------------
OPINION_CASES = {
    "accept": (submitted, lambda w, op: services.opinion_accept(opinion_id=op.pk, actor=as_role(w, "deputy"))),
    "decline": (submitted, lambda w, op: services.opinion_decline(opinion_id=op.pk, actor=as_role(w, "deputy"),
                                                                  reason="不属于人大代表职责范围")),
    "forward": (accepted, lambda w, op: services.opinion_forward(opinion_id=op.pk, actor=as_role(w, "deputy"),
                                                                 unit_ids=[w.unit.pk, w.other_unit.pk])),
    "answer": (accepted, lambda w, op: services.opinion_answer(opinion_id=op.pk, actor=as_role(w, "deputy"),
                                                               reply_text="已答复")),
    "close": (replied, lambda w, op: services.opinion_close(opinion_id=op.pk, actor=as_role(w, "staff"))),
    "expire": (replied, lambda w, op: services.opinions_expire_unrated(
        today=op.replied_at.date() + __import__("datetime").timedelta(days=40))),
    "rate_satisfied": (replied, lambda w, op: services.opinion_rate(opinion_id=op.pk, citizen=Citizen(op.pk),
                                                                    rating="satisfied")),
    "rate_basic": (replied, lambda w, op: services.opinion_rate(opinion_id=op.pk, citizen=Citizen(op.pk),
                                                                rating="basic")),
    "rate_unsatisfied": (replied, lambda w, op: services.opinion_rate(opinion_id=op.pk, citizen=Citizen(op.pk),
                                                                      rating="unsatisfied")),
    "rate_unsatisfied_final": (replied_again, lambda w, op: services.opinion_rate(
        opinion_id=op.pk, citizen=Citizen(op.pk), rating="unsatisfied")),
    "merge": (submitted, lambda w, op: services.opinion_merge(opinion_id=op.pk, into_id=submit(w).pk,
                                                              actor=as_role(w, "staff"), note="重复")),
    "merged_reply": (merged, lambda w, op: (
        services.opinion_accept(opinion_id=op.main.pk, actor=as_role(w, "deputy")),
        services.opinion_answer(opinion_id=op.main.pk, actor=as_role(w, "deputy"), reply_text="一并答复"))),
    "merged_decline": (merged, lambda w, op: services.opinion_decline(opinion_id=op.main.pk,
                                                                      actor=as_role(w, "deputy"), reason="重复反映")),
}


def test_every_opinion_transition_has_a_case():
    assert set(OPINION_CASES) == {t.action for t in OPINION_FLOW.transitions}


@pytest.mark.parametrize("action", sorted(OPINION_CASES))
def test_opinion_transition(action, world, django_capture_on_commit_callbacks):
    build, do = OPINION_CASES[action]
    op = build(world)
    t = OPINION_FLOW.transition(action)
    assert op.status in t.source
    before = Message.objects.count() + OutboxMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        do(world, op)
    op = Opinion.objects.get(pk=op.pk)
    assert op.status == t.target
    assert n_events(op, action) == 1
    notified = Message.objects.count() + OutboxMessage.objects.count() - before
    # Every step tells somebody, except the ones that end the matter (ratings that close it, close).
    if action in ("accept", "decline", "forward", "answer", "rate_unsatisfied", "merged_reply", "merged_decline"):
        assert notified > 0, action


# --- the unit part table ------------------------------------------------------------------------------
ASSIGNMENT_CASES = {
    "sign": ("assigned", lambda w, p: services.assignment_sign(assignment_id=p.pk, actor=as_role(w, "unit"))),
    "return": ("signed", lambda w, p: services.assignment_return(assignment_id=p.pk, actor=as_role(w, "unit"),
                                                                 reason="非本单位职责")),
    "reply": ("signed", lambda w, p: services.assignment_reply(assignment_id=p.pk, actor=as_role(w, "unit"),
                                                               reply_text="已办理")),
    "reject_return": ("returned", lambda w, p: services.assignment_reject_return(
        assignment_id=p.pk, actor=as_role(w, "staff"), note="属于本单位职责，请继续办理")),
    "withdraw": ("returned", lambda w, p: services.assignment_reassign(
        assignment_id=p.pk, actor=as_role(w, "staff"), unit_id=w.other_unit.pk, note="改由教育局办理")),
}


def test_every_assignment_transition_has_a_case():
    assert set(ASSIGNMENT_CASES) == {t.action for t in ASSIGNMENT_FLOW.transitions}


@pytest.mark.parametrize("action", sorted(ASSIGNMENT_CASES))
def test_assignment_transition(action, world, django_capture_on_commit_callbacks):
    state, do = ASSIGNMENT_CASES[action]
    part = part_in(world, state)
    before = Message.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        do(world, part)
    part.refresh_from_db()
    assert part.status == ASSIGNMENT_FLOW.transition(action).target
    assert n_events(part, action) == 1
    if action in ("return", "reply", "reject_return", "withdraw"):
        assert Message.objects.count() > before, action


# --- forbidden ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("build", "action"), [
    (submitted, "answer"), (submitted, "forward"), (accepted, "accept"), (replied, "decline"),
    (forwarded, "merge"), (replied, "answer"),
])
def test_wrong_state_is_a_conflict(world, build, action):
    op = build(world)
    deputy = as_role(world, "deputy")
    calls = {
        "answer": lambda: services.opinion_answer(opinion_id=op.pk, actor=deputy, reply_text="x"),
        "forward": lambda: services.opinion_forward(opinion_id=op.pk, actor=deputy, unit_ids=[world.other_unit.pk]),
        "accept": lambda: services.opinion_accept(opinion_id=op.pk, actor=deputy),
        "decline": lambda: services.opinion_decline(opinion_id=op.pk, actor=deputy, reason="x"),
        "merge": lambda: services.opinion_merge(opinion_id=op.pk, into_id=submit(world).pk,
                                                actor=as_role(world, "staff"), note="x"),
    }
    before = n_events(op, action)
    with pytest.raises(ConflictError):
        calls[action]()
    assert n_events(Opinion.objects.get(pk=op.pk), action) == before


@pytest.mark.parametrize("role", ["unit", "director", "discipline", "evaluatee", "town_staff"])
def test_others_cannot_accept(world, role):
    op = submitted(world)
    with pytest.raises(PermissionDenied):
        services.opinion_accept(opinion_id=op.pk, actor=as_role(world, role))
    assert Opinion.objects.get(pk=op.pk).status == "submitted"


def test_other_unit_cannot_sign(world):
    from renda.testing import make_user

    part = part_in(world, "assigned")
    stranger = make_user("edu", role="unit", congress=world.city, unit=world.other_unit)
    stranger.active_assignment = stranger.assignments.first()
    with pytest.raises(PermissionDenied):
        services.assignment_sign(assignment_id=part.pk, actor=stranger)


def test_deputy_cannot_use_staff_actions(world):
    op = submitted(world)
    with pytest.raises(PermissionDenied):
        services.opinion_reassign(opinion_id=op.pk, actor=as_role(world, "deputy"), deputy_id=world.deputy2.pk,
                                  note="x")
    with pytest.raises(PermissionDenied):
        services.opinion_remind(opinion_id=op.pk, actor=as_role(world, "deputy"), text="x")
