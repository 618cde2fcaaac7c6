"""Two people at once on one suggestion: exactly one wins, the other gets a conflict, nothing is
written twice. Real threads and real transactions (SQLite IMMEDIATE / PostgreSQL SELECT … FOR UPDATE);
run on both (docs/workflows/suggestions.md).
"""

import pytest

from renda.core.models import Event
from renda.core.workdays.models import Deadline
from renda.suggestions import services
from renda.suggestions.models import Assignment, Period, Rating, Suggestion
from renda.testing_races import acting, run_concurrently

pytestmark = pytest.mark.django_db(transaction=True)


def _world():
    from renda.suggestions.world import base
    from renda.testing import build_world, make_user

    w = build_world()
    base(w)
    make_user("staff2", role="staff", congress=w.city, office=w.office)
    return w


def _n(obj, action):
    return Event.objects.filter(content_type__model=obj._meta.model_name, object_id=obj.pk, action=action).count()


@pytest.mark.parametrize("versioned", [False, True], ids=["no_version", "same_version"])
def test_two_staff_assign_the_same_suggestion(versioned):
    from renda.suggestions.world import base, to_accepted

    w = _world()
    s = to_accepted(w)
    version = s.version if versioned else None
    third = base(w).third_unit
    results = run_concurrently(
        lambda: services.suggestion_assign(actor=acting("staff"), suggestion_id=s.pk, mode="lead",
                                           lead_unit_id=w.unit.pk, co_unit_ids=[w.other_unit.pk],
                                           expected_version=version),
        lambda: services.suggestion_assign(actor=acting("staff2"), suggestion_id=s.pk, mode="separate",
                                           unit_ids=[w.other_unit.pk, third.pk], expected_version=version))
    assert sorted(results) == ["conflict", "ok"], results
    s = Suggestion.objects.get(pk=s.pk)
    assert s.status == "handling" and _n(s, "assign") == 1
    plan = sorted(Assignment.objects.filter(suggestion=s).values_list("unit_id", "role"))
    if results[0] == "ok":
        assert s.mode == "lead" and plan == sorted([(w.unit.pk, "lead"), (w.other_unit.pk, "co")])
    else:
        assert s.mode == "separate" and plan == sorted([(w.other_unit.pk, "separate"), (third.pk, "separate")])
    # One set of clocks: a sign window and an answer clock per part, no more.
    part_ids = list(Assignment.objects.filter(suggestion=s).values_list("pk", flat=True))
    assert Deadline.objects.filter(content_type__model="assignment", object_id__in=part_ids).count() == 4
    assert Event.objects.filter(content_type__model="assignment", object_id__in=part_ids, action="assign").count() == 2


def test_the_last_two_ratings_at_once_close_the_suggestion_once():
    from renda.suggestions.world import to_replied

    w = _world()
    s = to_replied(w, cosigner=True)
    reply = s.replies.get(kind="reply")
    results = run_concurrently(
        lambda: services.rating_submit(actor=acting("deputy"), reply_id=reply.pk, value="satisfied"),
        lambda: services.rating_submit(actor=acting("deputy2"), reply_id=reply.pk, value="basic"))
    assert results == ["ok", "ok"], results
    s = Suggestion.objects.get(pk=s.pk)
    assert s.status == "closed" and s.closed_at is not None
    assert _n(s, "all_rated") == 1 and _n(s, "rate") == 2
    assert Rating.objects.filter(reply=reply).count() == 2


def test_one_deputy_rating_twice_at_once_counts_once():
    from renda.suggestions.world import to_replied

    w = _world()
    s = to_replied(w, cosigner=True)
    reply = s.replies.get(kind="reply")
    results = run_concurrently(
        lambda: services.rating_submit(actor=acting("deputy"), reply_id=reply.pk, value="satisfied"),
        lambda: services.rating_submit(actor=acting("deputy"), reply_id=reply.pk, value="unsatisfied"))
    assert sorted(results) == ["conflict", "ok"], results
    assert Rating.objects.filter(reply=reply, deputy=w.deputy).count() == 1
    s = Suggestion.objects.get(pk=s.pk)
    unsatisfied_won = results[1] == "ok"
    assert s.status == ("rehandling" if unsatisfied_won else "replied")
    assert _n(s, "rate") == 1


def test_two_acceptances_at_once_get_numbers_one_and_two():
    from renda.suggestions.world import base, to_submitted

    w = _world()
    a = to_submitted(w, title="第一件")
    b = to_submitted(w, title="第二件")
    results = run_concurrently(lambda: services.suggestion_accept(actor=acting("staff"), suggestion_id=a.pk),
                    lambda: services.suggestion_accept(actor=acting("staff2"), suggestion_id=b.pk))
    assert results == ["ok", "ok"], results
    numbers = sorted(Suggestion.objects.filter(pk__in=[a.pk, b.pk]).values_list("number", flat=True))
    assert numbers == [1, 2]
    assert Period.objects.get(pk=base(w).period.pk).last_number == 2


def test_accepting_the_same_suggestion_twice_at_once_uses_one_number():
    from renda.suggestions.world import base, to_submitted

    w = _world()
    a = to_submitted(w)
    results = run_concurrently(lambda: services.suggestion_accept(actor=acting("staff"), suggestion_id=a.pk),
                    lambda: services.suggestion_accept(actor=acting("staff2"), suggestion_id=a.pk))
    assert sorted(results) == ["conflict", "ok"], results
    assert Suggestion.objects.get(pk=a.pk).number == 1
    assert Period.objects.get(pk=base(w).period.pk).last_number == 1
    assert _n(a, "accept") == 1
