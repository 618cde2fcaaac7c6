"""Statistics: the rates, the precomputed tables against a direct count, the page, the export, the scope."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from renda.opinions import services, stats
from renda.opinions.actors import Citizen
from renda.opinions.models import Assignment, MonthlyStat, Opinion, TermStat

from .factories import as_role, submit

# --- rates ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "d", "expected"), [
    (0, 0, None),  # nothing answered: "—", never a division by zero
    (5, 0, None),
    (0, 5, Decimal("0.0")),
    (1, 1, Decimal("100.0")),
    (1, 3, Decimal("33.3")),
    (2, 3, Decimal("66.7")),  # half up
    (1, 8, Decimal("12.5")),
    (1, 16, Decimal("6.3")),  # 6.25 → 6.3, not banker's 6.2
    (999_999, 1_000_000, Decimal("100.0")),
])
def test_rate_table(n, d, expected):
    assert stats.rate(n, d) == expected


@pytest.mark.parametrize(("n", "d"), [(4, 3), (-1, 3), (1, -3)])
def test_rate_refuses_impossible_counts(n, d):
    with pytest.raises(ValueError):
        stats.rate(n, d)


@pytest.mark.parametrize(("total", "n", "expected"), [
    (0, 0, None), (10, 0, None), (0, 3, Decimal("0.0")), (10, 4, Decimal("2.5")), (10, 3, Decimal("3.3")),
    (5, 2, Decimal("2.5")), (1, 6, Decimal("0.2")),
])
def test_average_table(total, n, expected):
    assert stats.average(total, n) == expected


def test_texts_show_a_dash_for_nothing():
    assert stats.percent_text(None) == "—" and stats.number_text(None) == "—"
    assert stats.percent_text(Decimal("85.0")) == "85.0%"
    assert stats.Figures().texts() == {"on_time_rate": "—", "satisfaction_rate": "—", "reopened_rate": "—",
                                       "average_days": "—"}


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=10**9))
def test_rate_is_a_percentage_or_none(a, b):
    n, d = min(a, b), max(a, b)
    r = stats.rate(n, d)
    if d == 0:
        assert r is None
    else:
        assert Decimal(0) <= r <= Decimal(100)
        assert abs(r - Decimal(n) * 100 / d) <= Decimal("0.05")


@pytest.mark.parametrize(("start", "end", "count"), [
    (dt.date(2026, 1, 1), dt.date(2026, 1, 1), 1), (dt.date(2025, 11, 1), dt.date(2026, 2, 1), 4),
    (dt.date(2026, 3, 1), dt.date(2026, 2, 1), 0),
])
def test_month_range(start, end, count):
    months = stats.month_range(start, end)
    assert len(months) == count and all(m.day == 1 for m in months)


def test_month_add_crosses_years():
    assert stats.month_add(dt.date(2026, 1, 1), -1) == dt.date(2025, 12, 1)
    assert stats.month_add(dt.date(2025, 12, 1), 1) == dt.date(2026, 1, 1)
    assert stats.month_add(dt.date(2026, 5, 1), -17) == dt.date(2024, 12, 1)


# --- hot topics -----------------------------------------------------------------------------------------

def test_topic_terms_keep_topics_and_drop_noise():
    terms = stats.topic_terms("希望尽快解决小区电梯的问题，3号楼电梯坏了一个月，我们反映过2次")
    assert "电梯" in terms and "小区" in terms
    assert not terms & {"希望", "问题", "我们", "反映", "一个", "的", "了"}
    assert not any(ch.isdigit() for t in terms for ch in t)
    assert all(len(t) >= 2 for t in terms)


def test_hot_terms_count_documents_not_repetitions():
    top = stats.hot_terms_count(["电梯电梯电梯坏了", "小区电梯坏了", "路灯不亮"])
    assert dict(top)["电梯"] == 2  # two texts mention it, however often


# --- the tables against a direct count ------------------------------------------------------------------


def _build(world):
    """One opinion in each interesting state of the city congress, and one of the town's station."""
    deputy, unit = as_role(world, "deputy"), as_role(world, "unit")
    ops = {}
    ops["submitted"] = submit(world, title="路灯不亮", text="新港路路灯坏了")
    op = submit(world, title="电梯噪音", text="小区电梯噪音很大")
    services.opinion_accept(opinion_id=op.pk, actor=deputy)
    services.opinion_answer(opinion_id=op.pk, actor=deputy, reply_text="已联系物业")
    ops["satisfied"] = services.opinion_rate(opinion_id=op.pk, citizen=Citizen(op.pk), rating="satisfied")
    op = submit(world, title="不属于职责", text="咨询房价")
    ops["declined"] = services.opinion_decline(opinion_id=op.pk, actor=deputy, reason="不属于代表职责范围")
    op = submit(world, title="电梯坏了", text="3号楼电梯坏了一个月")
    services.opinion_accept(opinion_id=op.pk, actor=deputy)
    services.opinion_forward(opinion_id=op.pk, actor=deputy, unit_ids=[world.unit.pk], note="请核实")
    part = Assignment.objects.get(opinion=op)
    services.assignment_sign(assignment_id=part.pk, actor=unit)
    services.assignment_reply(assignment_id=part.pk, actor=unit, reply_text="已安排维修")
    services.opinion_answer(opinion_id=op.pk, actor=deputy, reply_text="单位已安排维修")
    ops["reopened"] = services.opinion_rate(opinion_id=op.pk, citizen=Citizen(op.pk), rating="unsatisfied")
    op = submit(world, title="加装电梯", text="老小区加装电梯进度")
    services.opinion_accept(opinion_id=op.pk, actor=deputy)
    services.opinion_answer(opinion_id=op.pk, actor=deputy, reply_text="已纳入计划")
    ops["basic"] = services.opinion_rate(opinion_id=op.pk, citizen=Citizen(op.pk), rating="basic")
    ops["station"] = submit(world, to="station", title="路灯不亮", text="镇上路灯坏了，电梯也坏了")
    return ops


def _direct(congress_id):
    """The same figures counted straight from the opinions, in Python: the reference."""
    ops = list(Opinion.objects.filter(congress_id=congress_id))
    return {
        "total": len(ops),
        "finished": sum(o.status in ("closed", "declined") for o in ops),
        "on_time": sum(o.on_time is True for o in ops),
        "answered": sum(o.on_time is not None for o in ops),
        "rated": sum(bool(o.rating) for o in ops),
        "satisfied": sum(o.rating in ("satisfied", "basic") for o in ops),
        "reopened": sum(o.rehandle_count > 0 for o in ops),
        "handling_days_sum": sum(o.handling_days or 0 for o in ops),
        "handling_days_n": sum(o.handling_days is not None for o in ops),
        "by_status": {s: sum(o.status == s for o in ops) for s in {o.status for o in ops}},
    }


def _summed(congress_id, **filters):
    f = stats.Figures()
    for row in MonthlyStat.objects.filter(congress_id=congress_id, **filters):
        f.add(row)
    return f


@pytest.mark.django_db
def test_rebuild_matches_a_direct_count(world):
    _build(world)
    stats.stats_rebuild()
    for congress in (world.city, world.town):
        f = _summed(congress.pk, unit_id=0)
        direct = _direct(congress.pk)
        assert {name: getattr(f, name) for name in direct} == direct
    city = _summed(world.city.pk, unit_id=0)
    # The hand count, so the reference itself is checked: 5 city opinions, 3 finished (2 closed + declined),
    # 3 answered on time, 3 rated of which 2 satisfied (满意 + 基本满意) and 1 re-opened.
    assert (city.total, city.finished, city.on_time, city.answered, city.rated, city.satisfied, city.reopened) == (
        5, 3, 3, 3, 3, 2, 1)
    assert city.by_status == {"submitted": 1, "closed": 2, "declined": 1, "rehandling": 1}
    assert (city.on_time_rate, city.satisfaction_rate, city.reopened_rate) == (
        Decimal("100.0"), Decimal("66.7"), Decimal("33.3"))
    # The unit's row: its one part, replied on time, of an opinion rated 不满意 and re-opened.
    part = _summed(world.city.pk, unit_id=world.unit.pk)
    assert (part.total, part.finished, part.on_time, part.answered, part.rated, part.satisfied, part.reopened) == (
        1, 1, 1, 1, 1, 0, 1)
    assert part.by_status == {"replied": 1}
    # Town and category are kept: every city row is of the town of the deputy's community.
    assert set(MonthlyStat.objects.filter(congress=world.city).values_list("town_id", flat=True)) == {
        world.town_place.pk}


@pytest.mark.django_db
def test_rebuild_is_idempotent_and_follows_changes(world):
    ops = _build(world)
    stats.stats_rebuild()
    first = sorted(MonthlyStat.objects.values_list("congress_id", "town_id", "category_id", "unit_id", "total",
                                                   "finished"))
    stats.stats_rebuild()
    assert sorted(MonthlyStat.objects.values_list("congress_id", "town_id", "category_id", "unit_id", "total",
                                                  "finished")) == first
    services.opinion_decline(opinion_id=ops["submitted"].pk, actor=as_role(world, "deputy"), reason="重复反映")
    assert stats.stats_rebuild_recent() > 0
    assert _summed(world.city.pk, unit_id=0).finished == 4


@pytest.mark.django_db
def test_rebuild_removes_months_without_opinions(world):
    MonthlyStat.objects.create(congress=world.city, month=dt.date(2020, 1, 1), total=9)
    TermStat.objects.create(congress=world.city, month=dt.date(2020, 1, 1), term="旧词", count=9)
    stats.stats_rebuild()
    assert not MonthlyStat.objects.filter(month=dt.date(2020, 1, 1)).exists()
    assert not TermStat.objects.filter(month=dt.date(2020, 1, 1)).exists()


@pytest.mark.django_db
def test_rebuild_queries_do_not_grow_with_opinions(world):
    """Counting is GROUP BY in the database: more opinions, same number of queries."""
    month = stats.month_start(timezone.localdate())
    submit(world)
    with CaptureQueriesContext(connection) as few:
        stats.stats_rebuild_month(month=month)
    for i in range(8):
        submit(world, title=f"第{i}件", text="电梯坏了")
    with CaptureQueriesContext(connection) as many:
        stats.stats_rebuild_month(month=month)
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.django_db
def test_hot_topics_contain_the_common_word(world):
    _build(world)
    stats.stats_rebuild()
    month = stats.month_start(timezone.localdate())
    city_terms = dict(TermStat.objects.filter(congress=world.city, month=month).values_list("term", "count"))
    assert city_terms["电梯"] == 3  # 电梯噪音, 电梯坏了, 加装电梯 (the station's is the town's)
    assert "问题" not in city_terms and "希望" not in city_terms
    assert dict(TermStat.objects.filter(congress=world.town, month=month).values_list("term", "count"))["路灯"] == 1


@pytest.mark.django_db
def test_rebuild_one_congress_leaves_the_others(world):
    _build(world)
    stats.stats_rebuild()
    town_rows = MonthlyStat.objects.filter(congress=world.town).count()
    MonthlyStat.objects.filter(congress=world.city).delete()
    stats.stats_rebuild(congress_id=world.city.pk)
    assert MonthlyStat.objects.filter(congress=world.city).exists()
    assert MonthlyStat.objects.filter(congress=world.town).count() == town_rows


@pytest.mark.django_db
def test_management_command_rebuilds_with_progress(world):
    _build(world)
    out, err = io.StringIO(), io.StringIO()
    call_command("opinion_stats_rebuild", stdout=out, stderr=err)
    assert "已重建 1 个月" in out.getvalue()
    assert MonthlyStat.objects.filter(congress=world.city, unit_id=0).exists()
    call_command("opinion_stats_rebuild", "--recent", stdout=out, stderr=err)


def test_tasks_are_scheduled():
    from crontask import scheduler

    import renda.opinions.tasks  # noqa: F401

    names = {job.name for job in scheduler.get_jobs()}
    assert {"opinion_stats_refresh", "opinion_stats_rebuild_all"} <= names


@pytest.mark.django_db
def test_task_runs_through_the_task_backend(world):
    from renda.opinions import tasks

    submit(world)
    result = tasks.opinion_stats_refresh.enqueue()
    assert result.status == "SUCCESSFUL" and result.return_value > 0


# --- the page -------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_page_shows_the_figures(world, client_for):
    _build(world)
    stats.stats_rebuild()
    response = client_for("staff").get("/opinions/stats/")
    assert response.status_code == 200
    html = response.content.decode()
    report = response.context["report"]
    assert report.overall.total == 5 and report.overall.finished == 3
    assert 'data-testid="kpi-total">5<' in html
    assert 'data-testid="kpi-satisfaction">66.7%<' in html
    assert 'data-testid="kpi-reopened">33.3%<' in html
    assert 'data-testid="kpi-on-time">100.0%<' in html
    assert "统计截至" in html and report.computed_at is not None
    assert "市住房和城乡建设局" in html and "沙溪镇" in html and "电梯" in html
    assert [b.label for b in report.by_unit] == ["市住房和城乡建设局"]
    assert 'id="chart-trend"' in html and 'id="chart-terms"' in html and "echarts.min.js" in html
    assert "<script>" not in html  # no inline script: CSP


@pytest.mark.django_db
def test_page_without_data_shows_dashes(world, client_for):
    html = client_for("director").get("/opinions/stats/").content.decode()
    assert 'data-testid="kpi-satisfaction">—<' in html and 'data-testid="kpi-total">0<' in html
    assert "本月暂无热词" in html


@pytest.mark.django_db
def test_page_query_count_is_bounded(world, client_for, django_assert_max_num_queries):
    _build(world)
    stats.stats_rebuild()
    client = client_for("staff")
    url = "/opinions/stats/?year=2026&lower=on"
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(6):
        submit(world, title=f"第{i}件", text="路灯不亮")
    stats.stats_rebuild()
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
    with django_assert_max_num_queries(12):  # the session, the user, its roles, 3 filter lists, 3 reads…
        client.get("/opinions/stats/")


@pytest.mark.django_db
def test_filters_narrow_the_figures(world, client_for):
    _build(world)
    stats.stats_rebuild()
    client = client_for("staff")
    r = client.get("/opinions/stats/", {"unit": world.unit.pk})
    assert r.context["report"].overall.total == 1
    assert dict((v, n) for v, _l, n in r.context["report"].status_labels)["replied"] == 1
    r = client.get("/opinions/stats/", {"town": world.other_town_place.pk})
    assert r.status_code == 200  # another town: a valid choice of the city, with nothing in it
    r = client.get("/opinions/stats/", {"start": "2001-01", "end": "2001-12"})
    assert r.context["report"].overall.total == 0 and len(r.context["report"].by_month) == 12


@pytest.mark.django_db
@pytest.mark.parametrize("query", [
    {"start": "abc"}, {"start": "2026-13"}, {"start": "2026-05", "end": "2026-01"}, {"start": "1900-01"},
    {"year": "x"}, {"town": "99999999"}, {"unit": "<script>"}, {"category": "1.5"}, {"start": "2026-01" * 50},
])
def test_bad_filters_get_a_form_error_not_a_500(world, client_for, query):
    r = client_for("staff").get("/opinions/stats/", query)
    assert r.status_code == 200
    assert r.context["form"].errors
    assert "<script>" not in r.content.decode().split("</header>", 1)[1]


@pytest.mark.django_db
def test_other_congress_figures_are_not_included(world, client_for):
    _build(world)
    stats.stats_rebuild()
    city = client_for("staff").get("/opinions/stats/").context["report"]
    assert city.overall.total == 5  # not the town station's opinion
    town = client_for("town_staff").get("/opinions/stats/").context["report"]
    assert town.overall.total == 1 and town.by_unit == []
    assert dict(town.hot_terms).get("电梯") == 1
    other = client_for("other_town_staff")  # the other town's staff sees nothing of either
    assert other.get("/opinions/stats/").context["report"].overall.total == 0
    # The roll-up is opt-in for the city: its own figures plus the towns'.
    rollup = client_for("staff").get("/opinions/stats/", {"lower": "on"}).context["report"]
    assert rollup.overall.total == 6


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["deputy", "unit", "discipline", "evaluatee", "norole"])
def test_roles_outside_the_office_get_403(world, client_for, role):
    client = client_for(role)
    assert client.get("/opinions/stats/").status_code == 403
    assert client.get("/opinions/stats/export/").status_code == 403


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    assert client.get("/opinions/stats/").status_code == 302


@pytest.mark.django_db
def test_export_has_the_tables_and_no_personal_data(world, client_for):
    _build(world)
    stats.stats_rebuild()
    r = client_for("staff").get("/opinions/stats/export/")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["总体", "按镇（街道）", "按承办单位", "按类别", "按月份", "热词"]
    town = list(wb["按镇（街道）"].iter_rows(values_only=True))
    assert town[1][0] == "沙溪镇" and town[1][1] == 5
    units = list(wb["按承办单位"].iter_rows(values_only=True))
    assert units[1][0] == "市住房和城乡建设局" and units[1][1] == 1
    cells = " ".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    assert "王小明" not in cells and "13811112222" not in cells
    assert "电梯" in cells


@pytest.mark.django_db
def test_report_checks_permission_itself(world):
    from django.core.exceptions import PermissionDenied

    filters = stats.StatsFilters(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 1))
    for role in ("unit", "deputy"):
        with pytest.raises(PermissionDenied):
            stats.stats_report(user=as_role(world, role), congress=world.city, filters=filters, towns={},
                               categories={}, units={})
    with pytest.raises(PermissionDenied):  # staff of the city reading a town's figures
        stats.stats_report(user=as_role(world, "staff"), congress=world.town, filters=filters, towns={},
                           categories={}, units={})


@pytest.mark.parametrize(("query", "start", "end"), [
    ({}, dt.date(2026, 1, 1), dt.date(2026, 11, 1)),  # this year so far
    ({"year": "2025"}, dt.date(2025, 1, 1), dt.date(2025, 12, 1)),
    ({"start": "2025-10"}, dt.date(2025, 10, 1), dt.date(2026, 11, 1)),
    ({"end": "2025-03"}, dt.date(2025, 1, 1), dt.date(2025, 3, 1)),
    ({"year": "2025", "start": "2024-12", "end": "2025-02"}, dt.date(2024, 12, 1), dt.date(2025, 2, 1)),
    ({"start": "2010-01"}, dt.date(2016, 12, 1), dt.date(2026, 11, 1)),  # capped at 120 months
    ({"start": "2026-05", "end": "2026-01"}, dt.date(2026, 1, 1), dt.date(2026, 11, 1)),  # invalid: default
])
def test_filter_form_period(query, start, end):
    from renda.opinions.forms_stats import StatsFilterForm

    form = StatsFilterForm(query or None, towns={}, categories={}, units={}, today=dt.date(2026, 11, 28))
    f = form.filters()
    assert (f.start, f.end) == (start, end)


@pytest.mark.django_db
def test_export_with_bad_filters_still_answers(world, client_for):
    r = client_for("town_staff").get("/opinions/stats/export/", {"start": "zzz", "town": "x"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
