"""The demo's citizens' opinions: every state, real events and deadlines, dated 2022–2026, idempotent."""

from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from renda.core.models import Event
from renda.core.search.models import SearchDocument
from renda.demo.opinions import DEMO_PHONE, demo_opinions_delete, load_demo_opinions
from renda.demo.services import load_demo
from renda.opinions import selectors
from renda.opinions.models import Assignment, Category, Opinion, RatingRecord

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        out = StringIO()
        summary = load_demo_opinions(stdout=out)
        try:
            yield summary, out.getvalue()
        finally:
            transaction.set_rollback(True)


def test_every_state_and_part_state(demo):
    assert set(Opinion.objects.values_list("status", flat=True)) == set(Opinion.Status.values)
    assert set(Assignment.objects.values_list("status", flat=True)) >= {"assigned", "signed", "returned", "replied"}
    closed = Opinion.objects.filter(status="closed")
    assert set(closed.values_list("rating", flat=True)) == {"satisfied", "basic", "unsatisfied", ""}
    assert Opinion.objects.filter(rehandle_count=1).count() >= 3
    assert Opinion.objects.filter(merged_into__isnull=False).count() == 2


def test_spread_over_years_towns_categories_and_channels(demo):
    years = {d.year for d in Opinion.objects.values_list("submitted_at", flat=True)}
    assert years >= {2022, 2023, 2024, 2025, 2026}
    assert Opinion.objects.values("town").distinct().count() >= 8
    assert Opinion.objects.values("category").distinct().count() == Category.objects.count()
    offline = Opinion.objects.filter(channel="offline")
    assert {o.offline_event[:4] for o in offline} >= {"民声茶坊", "民生夜话"}
    assert all(o.offline_event_date for o in offline)
    assert Opinion.objects.filter(channel="open311").exists()
    assert Opinion.objects.filter(channel="open311", deputy=None, station=None).exists()


def test_published_copies_and_overdue_items(demo):
    published = Opinion.objects.filter(is_published=True)
    assert published.count() >= 5
    assert all(o.published_title and o.published_reply for o in published)
    today = timezone.localdate()
    assert Opinion.objects.filter(status__in=["submitted", "accepted", "forwarded", "rehandling"],
                                  current_due__lt=today).count() >= 3


def test_timelines_follow_the_backdated_dates(demo):
    ct = ContentType.objects.get_for_model(Opinion)
    for o in Opinion.objects.all():
        times = list(Event.objects.filter(content_type=ct, object_id=o.pk).order_by("id")
                     .values_list("created_at", flat=True))
        assert times and times[0] == o.submitted_at, o.tracking_code
        assert times == sorted(times)
        if o.closed_at:
            assert o.submitted_at <= o.closed_at <= timezone.now()
    assert SearchDocument.objects.filter(content_type=ct).count() == Opinion.objects.count()
    assert RatingRecord.objects.count() >= Opinion.objects.exclude(rating="").count()


def test_known_item_and_summary_line(demo):
    summary, out = demo
    assert summary.phone_last4 == "1234"
    assert f"群众意见 {summary.total} 条；示例查询码 {summary.code}，手机后四位 1234" in out
    opinion = selectors.opinion_track(code=summary.code, phone_last4="1234")
    assert opinion is not None and opinion.citizen_phone == DEMO_PHONE and opinion.status == "closed"


def test_second_run_adds_nothing_and_delete_clears(demo):
    before = Opinion.objects.count()
    load_demo_opinions()
    assert Opinion.objects.count() == before
    with transaction.atomic():
        demo_opinions_delete()
        assert not Opinion.objects.exists()
        transaction.set_rollback(True)


def test_statistics_are_ready_for_every_demo_month(demo):
    from renda.opinions.models import MonthlyStat

    months = {d.replace(day=1) for d in (timezone.localdate(s) for s in
                                         Opinion.objects.values_list("submitted_at", flat=True))}
    stat_months = set(MonthlyStat.objects.values_list("month", flat=True))
    assert months and months <= stat_months
