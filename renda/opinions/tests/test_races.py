"""Two people at once: exactly one wins, the other gets a conflict, and nothing is written twice.

Real threads and real transactions (SQLite IMMEDIATE / PostgreSQL SELECT … FOR UPDATE).
"""

import pytest

from renda.core.models import Event
from renda.opinions import services
from renda.opinions.models import Assignment, Opinion
from renda.testing_races import acting, run_concurrently

pytestmark = pytest.mark.django_db(transaction=True)


def _world():
    from renda.testing import build_world, make_user

    w = build_world()
    make_user("unit2", role="unit", congress=w.city, unit=w.unit)
    make_user("edu", role="unit", congress=w.city, unit=w.other_unit)
    return w


def _forwarded(w, unit_ids):
    from .factories import submit

    op = submit(w)
    services.opinion_accept(opinion_id=op.pk, actor=acting("deputy"))
    services.opinion_forward(opinion_id=op.pk, actor=acting("deputy"), unit_ids=unit_ids)
    return op


def test_two_users_of_one_unit_sign_the_same_part():
    w = _world()
    op = _forwarded(w, [w.unit.pk])
    part = Assignment.objects.get(opinion=op)
    results = run_concurrently(
        lambda: services.assignment_sign(assignment_id=part.pk, actor=acting("unit"), expected_version=0),
        lambda: services.assignment_sign(assignment_id=part.pk, actor=acting("unit2"), expected_version=0))
    assert sorted(results) == ["conflict", "ok"], results
    assert Event.objects.filter(content_type__model="assignment", object_id=part.pk, action="sign").count() == 1


def test_two_units_sign_their_own_parts_at_once():
    w = _world()
    op = _forwarded(w, [w.unit.pk, w.other_unit.pk])
    mine, theirs = Assignment.objects.filter(opinion=op).order_by("unit_id")
    by_unit = {mine.unit_id: mine, theirs.unit_id: theirs}
    results = run_concurrently(
        lambda: services.assignment_sign(assignment_id=by_unit[w.unit.pk].pk, actor=acting("unit")),
        lambda: services.assignment_sign(assignment_id=by_unit[w.other_unit.pk].pk, actor=acting("edu")))
    assert results == ["ok", "ok"], results
    assert set(Assignment.objects.filter(opinion=op).values_list("status", flat=True)) == {"signed"}


def test_deputy_accepts_while_staff_reassign():
    from .factories import submit

    w = _world()
    op = submit(w)
    results = run_concurrently(
        lambda: services.opinion_accept(opinion_id=op.pk, actor=acting("deputy"), expected_version=0),
        lambda: services.opinion_reassign(opinion_id=op.pk, actor=acting("staff"), deputy_id=w.deputy2.pk,
                                          note="按选区改派", expected_version=0))
    assert sorted(results) == ["conflict", "ok"], results
    op = Opinion.objects.get(pk=op.pk)
    if results[0] == "ok":
        assert op.status == "accepted" and op.deputy_id == w.deputy.pk
    else:
        assert op.status == "submitted" and op.deputy_id == w.deputy2.pk
    assert op.version == 1


def test_same_submission_twice_at_once_creates_one():
    from .factories import submit

    w = _world()
    ids = []
    results = run_concurrently(lambda: ids.append(submit(w, key="same-key").pk),
                               lambda: ids.append(submit(w, key="same-key").pk))
    assert results == ["ok", "ok"], results
    assert len(set(ids)) == 1 and Opinion.objects.count() == 1
