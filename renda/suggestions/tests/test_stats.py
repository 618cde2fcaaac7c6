"""The suggestion figures (renda/suggestions/stats.py), computed from data built through the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from renda.core.workdays.models import Deadline
from renda.suggestions import services, stats
from renda.suggestions.models import Assignment, Category, Suggestion
from renda.suggestions.world import act, base, parts, pdf, to_accepted, to_assigned, to_replied, to_submitted

pytestmark = pytest.mark.django_db
YEAR = 2026  # the world's period (renda/suggestions/world.py)


def rate_(world, reply_of, value):
    reply = reply_of.replies.filter(kind__in=["reply", "rehandle"]).order_by("id").last()
    return services.rating_submit(actor=act(world, "deputy"), reply_id=reply.pk, value=value)


def rehandle(world, s, *, outcome: str):
    lead, _co = parts(s)
    services.contact_record(actor=act(world, "unit"), assignment_id=lead.pk, deputy_id=world.deputy.pk,
                            contacted_on=timezone.localdate(), form="visit", content="再次上门沟通。")
    services.reply_send(actor=act(world, "unit"), assignment_id=lead.pk, outcome=outcome, text="重新办理答复。",
                        pdf=pdf())
    s.refresh_from_db()
    return s


def replied_late(world, *, title: str, outcome: str = "C"):
    """Assigned to w.unit alone; its reply deadline is moved to yesterday before it replies."""
    s = to_assigned(world, co=False, title=title)
    lead, _co = parts(s)
    Deadline.objects.filter(content_type=ContentType.objects.get_for_model(Assignment), object_id=lead.pk,
                            policy__code="suggestion_reply").update(due=timezone.localdate() - dt.timedelta(days=1))
    services.assignment_sign(actor=act(world, "unit"), assignment_id=lead.pk)
    services.contact_record(actor=act(world, "unit"), assignment_id=lead.pk, deputy_id=world.deputy.pk,
                            contacted_on=timezone.localdate(), form="phone", content="电话沟通。")
    services.reply_send(actor=act(world, "unit"), assignment_id=lead.pk, outcome=outcome, text="答复。", pdf=pdf())
    s.refresh_from_db()
    return s


@pytest.fixture
def data(world):
    """A year of suggestions:
    - A (rated 满意, closed), B (rated 基本满意, follow-up), C (不满意 → re-handled C → 满意),
      D (不满意 → re-handling; the latest rating is 不满意), all of them with w.other_unit as co-unit;
    - one answered late (C, w.unit alone, not rated), one assigned and unanswered (key suggestion);
    - one 立案 not yet assigned, one pending review, one declined, one 参阅件, one merged, one withdrawn;
    - one by deputy2 whose delegation group has no town (未分组), in category 交通运输.
    """
    w = world
    staff = act(w, "staff")
    b = base(w)
    d = {}
    d["a"] = to_replied(w, outcome="A", title="甲：加装电梯")
    rate_(w, d["a"], "satisfied")
    d["b"] = to_replied(w, outcome="B", title="乙：公交线路")
    rate_(w, d["b"], "basic")
    d["c"] = to_replied(w, outcome="C", title="丙：河道整治")
    rate_(w, d["c"], "unsatisfied")
    rehandle(w, d["c"], outcome="C")
    rate_(w, d["c"], "satisfied")
    d["d"] = to_replied(w, outcome="D", title="丁：菜场改造")
    rate_(w, d["d"], "unsatisfied")
    d["late"] = replied_late(w, title="戊：路灯维修")
    d["open"] = to_assigned(w, title="己：学校交通")
    services.key_mark(actor=staff, suggestion_id=d["open"].pk, leader_id=b.leader.pk,
                      meeting_date=dt.date(2026, 3, 1), milestones=[(dt.date(2026, 6, 30), "完成方案"),
                                                                     (dt.date(2026, 12, 31), "完成建设")])
    d["accepted"] = to_accepted(w, title="庚：助餐点")
    d["pending"] = to_submitted(w, title="辛：停车难")
    d["declined"] = services.suggestion_decline(actor=staff, suggestion_id=to_submitted(w, title="壬").pk,
                                                reason="不属于本级人大职权。")
    d["reference"] = services.suggestion_to_reference(actor=staff, suggestion_id=to_submitted(w, title="癸").pk,
                                                      reason="作为参阅件。")
    d["merged"] = services.suggestion_merge(actor=staff, suggestion_id=to_submitted(w, title="并：助餐点").pk,
                                            into_id=d["accepted"].pk, note="内容相同。")
    services.suggestion_withdraw(actor=act(w, "deputy"), suggestion_id=to_submitted(w, title="撤回的").pk)
    # deputy2, in a group without a town, writes about transport.
    from renda.deputies.models import DelegationGroup, Deputy

    loose = DelegationGroup.objects.create(congress=w.city, term=w.city_term, name="机关代表小组")
    Deputy.objects.filter(pk=w.deputy2.pk).update(group=loose)
    transport = Category.objects.get(code="transport")
    s = services.suggestion_create(actor=act(w, "deputy2"), category_id=transport.pk, title="关于增开公交的建议",
                                   proposal="增开公交。")
    s = services.suggestion_submit(actor=act(w, "deputy2"), suggestion_id=s.pk)
    d["loose"] = services.suggestion_accept(actor=staff, suggestion_id=s.pk)
    for user in w.users.values():
        user.active_assignment = None
    return d


def report_for(world, **scope):
    return stats.stats_report(congress=world.city, scope=stats.StatsScope(**(scope or {"year": YEAR})))


# --- rates ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("n", "d", "expected"), [
    (0, 0, None), (0, 3, Decimal("0.0")), (1, 3, Decimal("33.3")), (2, 3, Decimal("66.7")), (1, 16, Decimal("6.3")),
    (3, 3, Decimal("100.0")), (1, 8, Decimal("12.5")),
])
def test_rate_rounds_half_up_and_has_no_division_by_zero(n, d, expected):
    assert stats.rate(n, d) == expected


@pytest.mark.parametrize(("n", "d"), [(4, 3), (-1, 3), (1, -2)])
def test_rate_refuses_impossible_counts(n, d):
    with pytest.raises(ValueError):
        stats.rate(n, d)


@given(st.integers(min_value=1, max_value=10**6), st.data())
def test_rate_is_a_percentage_within_bounds(d, data):
    n = data.draw(st.integers(min_value=0, max_value=d))
    r = stats.rate(n, d)
    assert Decimal("0") <= r <= Decimal("100")
    assert abs(r - Decimal(n) * 100 / Decimal(d)) <= Decimal("0.05")


def test_percent_text_shows_a_dash_when_nothing_to_divide():
    assert stats.percent_text(stats.rate(0, 0)) == "—"
    assert stats.percent_text(stats.rate(1, 4)) == "25.0%"


# --- figures --------------------------------------------------------------------------------------------------
def test_totals_count_every_review_outcome_and_leave_withdrawn_out(world, data):
    o = report_for(world).overall
    # a, b, c, d, late, open, accepted, loose = 8 accepted; pending; declined; reference; merged (withdrawn: out)
    assert (o.submitted, o.accepted, o.pending, o.declined, o.reference, o.merged) == (12, 8, 1, 1, 1, 1)
    assert o.key == 1


def test_outcome_shares_solved_rate_and_satisfaction_rate(world, data):
    r = report_for(world)
    o = r.overall
    assert o.answered == 5  # a, b, c, d, late
    assert o.outcomes == {"A": 1, "B": 1, "C": 2, "D": 1}
    assert o.share("C") == Decimal("40.0") and o.share("A") == Decimal("20.0")
    assert o.solved_rate == Decimal("20.0")  # 办成率: A ÷ answered
    # The latest rating of each deputy per suggestion: a 满意, b 基本满意, c 满意 (after 不满意), d 不满意.
    assert (o.rated, o.satisfied) == (4, 3)
    assert o.satisfaction_rate == Decimal("75.0")
    assert r.texts()["solved_rate"] == "20.0%" and r.texts()["satisfaction_rate"] == "75.0%"


def test_on_time_rate_counts_answering_parts_only(world, data):
    r = report_for(world)
    # Answering parts that answered: a, b, c (re-handled in time), d, late → 4 of 5 on time; co-units' views
    # (also answered) are not counted.
    assert (r.parts_on_time, r.parts_answered) == (4, 5)
    assert r.on_time_rate == Decimal("80.0")


def test_rehandled_counts_suggestions_reopened_after_unsatisfied(world, data):
    assert report_for(world).overall.rehandled == 2  # c and d


def test_by_unit(world, data):
    units = {u.unit_id: u for u in report_for(world).by_unit}
    lead, co = units[world.unit.pk], units[world.other_unit.pk]
    assert (lead.lead, lead.separate, lead.co, lead.answered, lead.on_time) == (6, 0, 0, 5, 4)
    assert lead.outcomes == {"A": 1, "B": 1, "C": 2, "D": 1}
    assert (lead.rated, lead.satisfied, lead.rehandled) == (4, 3, 2)
    assert lead.texts() == {"on_time_rate": "80.0%", "solved_rate": "20.0%", "satisfaction_rate": "75.0%"}
    assert (co.lead, co.co, co.answered, co.rated) == (0, 5, 0, 0)  # a, b, c, d, open as co-unit
    assert co.texts()["on_time_rate"] == "—"


def test_by_category_and_by_town(world, data):
    r = report_for(world)
    cats = {b.label: b.figures for b in r.by_category}
    assert cats["交通运输"].submitted == 1 and cats["交通运输"].accepted == 1
    assert cats["城乡建设"].submitted == 11 and cats["城乡建设"].answered == 5
    towns = {b.label: b.figures for b in r.by_town}
    assert set(towns) == {"沙溪镇", "未分组"}
    assert towns["沙溪镇"].submitted == 11 and towns["沙溪镇"].satisfied == 3
    assert towns["未分组"].submitted == 1 and towns["未分组"].answered == 0
    assert r.by_town[-1].label == "未分组"  # listed last


def test_a_place_that_is_not_a_town_counts_as_ungrouped(world, data):
    from renda.deputies.models import DelegationGroup

    DelegationGroup.objects.filter(pk=world.group.pk).update(place=world.community)
    towns = {b.label: b.figures.submitted for b in report_for(world).by_town}
    assert towns == {"未分组": 12}


def test_key_items_carry_leader_status_and_milestones(world, data):
    (k,) = report_for(world).key_items
    assert (k.title, k.leader, k.status, k.milestones, k.milestones_done) == ("己：学校交通", "李秀英", "办理中", 2, 0)
    assert "市住房和城乡建设局（主办）" in k.units and "市教育局（协办）" in k.units


def test_open_and_overdue_parts_per_unit(world, data):
    today = timezone.localdate()
    loads = {u.unit_id: u for u in stats.unit_load(congress_id=world.city.pk, today=today)}
    # w.unit: b (B follow-up) and d (re-handling) and open; w.other_unit: open (co)
    assert loads[world.unit.pk].open == 3 and loads[world.unit.pk].overdue == 0
    assert loads[world.other_unit.pk].open == 1
    later = today + dt.timedelta(days=200)  # past every 1- and 3-month clock
    loads = {u.unit_id: u for u in stats.unit_load(congress_id=world.city.pk, today=later)}
    assert loads[world.unit.pk].overdue == 2  # d's re-handling clock and open's reply clock; b has no clock
    rows = stats.open_parts(congress_id=world.city.pk, unit_id=world.unit.pk, today=later)
    assert [r.title for r in rows if r.days_overdue] == ["丁：菜场改造", "己：学校交通"]
    assert rows[-1].due is None  # the B item under follow-up has no answer clock


def test_scope_by_period_by_date_range_and_an_empty_year(world, data):
    today = timezone.localdate()
    assert report_for(world, period=base(world).period).overall.submitted == 12
    assert report_for(world, start=today, end=today).overall.submitted == 12
    assert report_for(world, start=today + dt.timedelta(days=1)).overall.submitted == 0
    empty = report_for(world, year=YEAR - 1)
    assert empty.overall.submitted == 0 and empty.texts()["solved_rate"] == "—" and empty.by_unit == []


def test_another_congress_figures_are_not_mixed_in(world, data):
    r = stats.stats_report(congress=world.town, scope=stats.StatsScope(year=YEAR))
    assert r.overall.submitted == 0 and r.by_unit == [] and r.key_items == []


def test_merged_suggestion_that_closes_with_its_main_one_stays_merged(world, data):
    Suggestion.objects.filter(pk=data["merged"].pk).update(status="closed", outcome="A")
    o = report_for(world).overall
    assert (o.merged, o.accepted, o.answered, o.outcomes["A"]) == (1, 8, 5, 1)


def test_report_query_count_does_not_grow_with_the_data(world, data):
    with CaptureQueriesContext(connection) as first:
        report_for(world)
    for i in range(3):
        s = to_replied(world, outcome="A", title=f"更多建议{i}")
        rate_(world, s, "satisfied")
    with CaptureQueriesContext(connection) as second:
        r = report_for(world)
    assert r.overall.answered == 8
    assert len(first) == len(second) <= 10


def test_the_statistics_are_for_the_committee_side_only(world):
    from django.core.exceptions import PermissionDenied

    stats.stats_check(user=act(world, "staff"), congress=world.city)
    stats.stats_check(user=act(world, "director"), congress=world.city)
    for role in ("deputy", "unit", "discipline", "evaluatee"):
        with pytest.raises(PermissionDenied):
            stats.stats_check(user=act(world, role), congress=world.city)
    with pytest.raises(PermissionDenied):  # town staff: their own town only
        stats.stats_check(user=act(world, "town_staff"), congress=world.city)
