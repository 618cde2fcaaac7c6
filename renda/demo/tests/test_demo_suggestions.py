"""The demo's deputies' suggestions: every state, merged groups, key suggestions, B follow-up,
extensions, dated 2022–2026 through the services, idempotent."""

from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from renda.core.models import Event
from renda.core.search.models import SearchDocument
from renda.core.workdays.models import Deadline
from renda.demo.selectors import demo_city_congress
from renda.demo.services import load_demo
from renda.demo.suggestions import demo_suggestions_delete, load_demo_suggestions
from renda.suggestions.models import (
    Assignment,
    Extension,
    KeySupervision,
    Period,
    Rating,
    Reply,
    Signer,
    Suggestion,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        out = StringIO()
        summary = load_demo_suggestions(stdout=out)
        try:
            yield summary, out.getvalue()
        finally:
            transaction.set_rollback(True)


def test_every_state_of_suggestions_and_of_units_parts(demo):
    assert set(Suggestion.objects.values_list("status", flat=True)) == set(Suggestion.Status.values)
    assert set(Assignment.objects.values_list("status", flat=True)) == set(Assignment.Status.values)
    assert set(Assignment.objects.values_list("role", flat=True)) == {"lead", "co", "separate"}
    closed = Suggestion.objects.filter(status="closed", merged_into__isnull=True)
    assert set(closed.values_list("outcome", flat=True)) >= {"A", "C", "D"}
    # 不满意, re-handled, then closed; and an item still being re-handled.
    assert Rating.objects.filter(value="unsatisfied").exists()
    assert closed.filter(rehandled=True).exists()
    assert Reply.objects.filter(kind="rehandle").exists()
    # Handling both ways: a lead with co-units, and units handling separately.
    handling = Suggestion.objects.filter(status="handling")
    assert handling.filter(mode="lead", assignments__role="co").exists()
    assert handling.filter(mode="separate").exists()


def test_periods_of_every_year_for_the_city_and_a_town(demo):
    city = demo_city_congress()
    periods = Period.objects.filter(congress=city)
    assert {(p.year, p.kind) for p in periods} == {(y, k) for y in range(2022, 2027) for k in ("session", "recess")}
    assert list(Period.objects.filter(congress=city, is_open=True).values_list("year", "kind")) == [(2026, "recess")]
    town_periods = Period.objects.exclude(congress=city)
    assert town_periods.exists() and Suggestion.objects.filter(congress__parent=city).exists()
    years = {d.year for d in Suggestion.objects.exclude(submitted_at=None).values_list("submitted_at", flat=True)}
    assert years == {2022, 2023, 2024, 2025, 2026}
    # Numbers run per period from 1, as accepting does.
    for p in Period.objects.filter(last_number__gt=0):
        numbers = sorted(Suggestion.objects.filter(period=p).exclude(number=None).values_list("number", flat=True))
        assert numbers == list(range(1, p.last_number + 1))


def test_merged_groups_and_every_deputy_rates_the_main_reply(demo):
    merged = Suggestion.objects.filter(merged_into__isnull=False).select_related("merged_into")
    assert merged.filter(status="merged", merged_into__status="handling").exists()
    closed_group = [m for m in merged if m.status == "closed"]
    assert closed_group
    for child in closed_group:
        assert child.merged_into.status == "closed" and child.outcome == child.merged_into.outcome
        reply = Reply.objects.filter(suggestion=child.merged_into, kind__in=Reply.RATED).order_by("id").last()
        assert Rating.objects.filter(reply=reply, deputy_id=child.author_id).exists()


def test_key_suggestions_have_a_leader_and_milestones(demo):
    keys = KeySupervision.objects.select_related("suggestion", "leader")
    assert keys.count() >= 3
    for key in keys:
        assert key.suggestion.is_key and key.leader.congress_id == key.suggestion.congress_id
        assert key.milestones.count() == 3
    assert keys.filter(milestones__done_on__isnull=False).exists()


def test_b_items_under_follow_up_report_progress(demo):
    following = Suggestion.objects.filter(status="following")
    assert following.count() >= 3 and set(following.values_list("outcome", flat=True)) == {"B"}
    assert Reply.objects.filter(suggestion__in=following, kind="progress").exists()
    assert Assignment.objects.filter(suggestion__in=following, status="following").count() >= following.count()
    # And B items solved later: a final reply, rated, closed as A.
    solved = Suggestion.objects.filter(status="closed", replies__kind="solved").distinct()
    assert solved.exists() and set(solved.values_list("outcome", flat=True)) == {"A"}


def test_extensions_are_approved_with_reasons_and_move_the_deadline(demo):
    approved = Extension.objects.filter(status="approved").select_related("assignment")
    assert approved.count() >= 2
    ct = ContentType.objects.get_for_model(Assignment)
    for ext in approved:
        assert ext.reason and ext.decided_at and ext.assignment.extended_months == ext.months
        d = Deadline.objects.get(content_type=ct, object_id=ext.assignment_id, policy__code="suggestion_reply")
        assert d.amount == 3 + ext.months


def test_timelines_and_clocks_are_dated_when_things_happened(demo):
    ct = ContentType.objects.get_for_model(Suggestion)
    now = timezone.now()
    for s in Suggestion.objects.all():
        times = list(Event.objects.filter(content_type=ct, object_id=s.pk).order_by("id")
                     .values_list("created_at", flat=True))
        assert times == sorted(times) and times[-1] <= now, s.title
        if s.submitted_at:
            assert s.submitted_at in times
    # The reply clock starts on the day of assignment, three calendar months long.
    ct_a = ContentType.objects.get_for_model(Assignment)
    for part in Assignment.objects.filter(role="lead", suggestion__period__year=2022)[:5]:
        d = Deadline.objects.get(content_type=ct_a, object_id=part.pk, policy__code="suggestion_reply")
        assert d.start == timezone.localdate(part.assigned_at) and d.state == "met"
    overdue = Suggestion.objects.filter(status="handling", due__lt=timezone.localdate())
    assert overdue.exists()
    # Submitted suggestions are findable (similar suggestions while typing read this index).
    indexed = set(SearchDocument.objects.filter(content_type=ct).values_list("object_id", flat=True))
    assert set(Suggestion.objects.exclude(status="draft").values_list("id", flat=True)) <= indexed


def test_co_signers_invitations_and_published_replies(demo):
    assert Signer.objects.filter(is_author=False, status="confirmed").count() >= 20
    assert Signer.objects.filter(status="invited", suggestion__status="draft").exists()
    published = Suggestion.objects.filter(is_published=True)
    assert published.count() >= 5
    assert all(s.published_reply and s.status in ("closed", "following") for s in published)


def test_summary_line_second_run_adds_nothing_and_delete_clears(demo):
    summary, out = demo
    assert f"代表建议 {summary.total} 件" in out and summary.total == Suggestion.objects.count()
    before = (Suggestion.objects.count(), Event.objects.count(), Period.objects.count())
    again = StringIO()
    load_demo_suggestions(stdout=again)
    assert (Suggestion.objects.count(), Event.objects.count(), Period.objects.count()) == before
    assert "载入完成" not in again.getvalue()
    with transaction.atomic():
        demo_suggestions_delete()
        assert not Suggestion.objects.exists() and not Period.objects.exists()
        transaction.set_rollback(True)


def test_the_command_resets_a_demo_with_opinions_and_suggestions(demo):
    """Their events, deadline events and notifications name the demo's users and congresses: a reset
    removes them first instead of refusing."""
    from django.core.management import call_command

    from renda.core.notify.models import OutboxMessage
    from renda.demo.opinions import load_demo_opinions
    from renda.demo.selectors import demo_city_congress

    load_demo_opinions(stdout=StringIO())
    load_demo_suggestions(stdout=StringIO())
    old = demo_city_congress().pk
    # What the workflows' notifications leave once their transactions commit (tests never commit).
    OutboxMessage.objects.create(congress_id=old, channel="sms", to_address="13800000000", subject="建议已交办",
                                 body="请办理。")
    call_command("demo_data", "--reset", stdout=StringIO())
    assert demo_city_congress().pk != old
    assert Suggestion.objects.filter(congress=demo_city_congress()).exists()
