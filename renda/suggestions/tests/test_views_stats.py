"""The statistics page, its exports, the units' open lists and the document downloads."""

import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook

from renda.suggestions.documents import DOCX_MIME
from renda.suggestions.tests.test_stats import YEAR, data  # noqa: F401  (the shared data fixture)
from renda.suggestions.world import base, sw

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def kpi(html: str, name: str) -> str:
    m = re.search(rf'data-testid="kpi-{name}">([^<]*)<', html)
    assert m, name
    return m.group(1)


def sheet_rows(content: bytes, title: str) -> list[tuple]:
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return [tuple(r) for r in wb[title].iter_rows(values_only=True)]


# --- the page ---------------------------------------------------------------------------------------------
def test_staff_read_the_figures_with_solved_rate_next_to_satisfaction(world, data, client_for):  # noqa: F811
    r = client_for("staff").get(f"/suggestions/stats/?year={YEAR}")
    assert r.status_code == 200
    html = r.content.decode()
    assert (kpi(html, "submitted"), kpi(html, "answered"), kpi(html, "solved"), kpi(html, "satisfaction"),
            kpi(html, "on-time"), kpi(html, "rehandled")) == ("12", "5", "20.0%", "75.0%", "80.0%", "2")
    # The solved rate comes right before the satisfaction rate.
    assert html.index('data-testid="kpi-solved"') < html.index('data-testid="kpi-satisfaction"')
    for chart in ("chart-outcomes", "chart-categories", "chart-units"):
        assert f'id="{chart}" type="application/json"' in html and f'data-chart-option="{chart}"' in html
    assert "vendor/echarts/echarts.min.js" in html and "<script>" not in html  # no inline script
    assert "己：学校交通" in html and "李秀英" in html  # the key suggestion and its leader
    assert "沙溪镇" in html and "未分组" in html and "交通运输" in html
    assert r.context["report"].scope.year == YEAR


def test_the_filter_by_period_and_by_dates(world, data, client_for):  # noqa: F811
    from django.utils import timezone

    c = client_for("staff")
    period = base(world).period
    r = c.get(f"/suggestions/stats/?period={period.pk}")
    assert r.context["report"].scope.period == period and kpi(r.content.decode(), "submitted") == "12"
    today = timezone.localdate()
    r = c.get(f"/suggestions/stats/?start={today:%Y-%m-%d}&end={today:%Y-%m-%d}")
    assert r.context["report"].scope.kind == "range" and kpi(r.content.decode(), "submitted") == "12"
    r = c.get(f"/suggestions/stats/?year={YEAR - 1}")
    assert kpi(r.content.decode(), "submitted") == "0" and kpi(r.content.decode(), "solved") == "—"


def test_a_bad_filter_shows_the_error_and_the_default_figures(world, data, client_for):  # noqa: F811
    r = client_for("staff").get("/suggestions/stats/?start=2026-05-01&end=2026-01-01&period=999999")
    assert r.status_code == 200
    html = r.content.decode()
    assert "起始日期不能晚于结束日期。" in html and 'aria-invalid="true"' in html
    assert r.context["report"].scope.kind == "year"
    r = client_for("staff").get("/suggestions/stats/?start=<script>alert(1)</script>")
    assert r.status_code == 200 and "<script>alert(1)" not in r.content.decode()


def test_the_page_costs_a_bounded_number_of_queries(
        world, data, client_for, django_assert_max_num_queries):  # noqa: F811
    c = client_for("staff")
    c.get(f"/suggestions/stats/?year={YEAR}")
    with django_assert_max_num_queries(18):
        assert c.get(f"/suggestions/stats/?year={YEAR}").status_code == 200


@pytest.mark.parametrize(("role", "code"), [("deputy", 403), ("unit", 403), ("discipline", 403), ("norole", 403),
                                            ("anonymous", 302), ("director", 200), ("town_staff", 200)])
def test_who_reads_the_figures(world, client_for, role, code):
    assert client_for(role).get("/suggestions/stats/").status_code == code


def test_town_staff_see_their_own_congress_only(world, data, client_for):  # noqa: F811
    r = client_for("town_staff").get(f"/suggestions/stats/?year={YEAR}")
    assert r.status_code == 200 and kpi(r.content.decode(), "submitted") == "0"


# --- exports ----------------------------------------------------------------------------------------------
def test_excel_export_has_the_figures_and_every_open_part(world, data, client_for):  # noqa: F811
    r = client_for("staff").get(f"/suggestions/stats/export/?year={YEAR}")
    assert r.status_code == 200 and r["Content-Type"] == XLSX
    assert "attachment" in r["Content-Disposition"]
    content = r.content
    wb = load_workbook(io.BytesIO(content), read_only=True)
    assert wb.sheetnames == ["总体", "办成率与满意率", "办理结果", "按类别", "按承办单位", "按镇（街道）", "重点督办",
                             "在办和超期", "在办明细"]
    summary = dict(r[:2] for r in sheet_rows(content, "总体")[1:])
    assert summary["收到建议"] == 12 and summary["立案"] == 8 and summary["重新办理"] == 2
    rates = {r[0]: r[1:] for r in sheet_rows(content, "办成率与满意率")[1:]}
    assert rates["办成率（A类÷已答复）"] == (1, 5, 20.0)
    assert rates["满意率（满意和基本满意÷评价）"] == (3, 4, 75.0)
    units = {r[0]: r for r in sheet_rows(content, "按承办单位")[1:]}
    assert units["市住房和城乡建设局"][1:7] == (6, 0, 0, 5, 4, 80.0)
    towns = {r[0]: r for r in sheet_rows(content, "按镇（街道）")[1:]}
    assert towns["沙溪镇"][1] == 11 and towns["未分组"][1] == 1
    open_rows = sheet_rows(content, "在办明细")[1:]
    assert sorted((r[0], r[2]) for r in open_rows) == sorted([
        ("市住房和城乡建设局", "乙：公交线路"), ("市住房和城乡建设局", "丁：菜场改造"),
        ("市住房和城乡建设局", "己：学校交通"), ("市教育局", "己：学校交通")])


def test_export_is_refused_like_the_page(world, client_for):
    assert client_for("deputy").get("/suggestions/stats/export/").status_code == 403
    assert client_for("unit").get("/suggestions/stats/export/").status_code == 403


# --- the units' open lists ------------------------------------------------------------------------------
def test_a_unit_sees_and_exports_its_own_open_list_only(world, data, client_for):  # noqa: F811
    c = client_for("unit")
    r = c.get("/suggestions/stats/units/")
    assert r.status_code == 302 and r["Location"] == f"/suggestions/stats/units/{world.unit.pk}/"
    r = c.get(f"/suggestions/stats/units/{world.unit.pk}/")
    assert r.status_code == 200
    titles = [p.title for p in r.context["rows"]]
    assert sorted(titles) == sorted(["乙：公交线路", "丁：菜场改造", "己：学校交通"])
    assert c.get(f"/suggestions/stats/units/{world.other_unit.pk}/").status_code == 404
    assert c.get(f"/suggestions/stats/units/{world.other_unit.pk}/export/").status_code == 404
    r = c.get(f"/suggestions/stats/units/{world.unit.pk}/export/")
    assert r.status_code == 200 and r["Content-Type"] == XLSX
    rows = sheet_rows(r.content, "在办和超期")
    assert rows[0][:3] == ("承办单位", "建议编号", "标题") and len(rows) == 4
    assert {row[0] for row in rows[1:]} == {"市住房和城乡建设局"}


def test_the_office_sees_every_unit_of_its_congress(world, data, client_for):  # noqa: F811
    c = client_for("staff")
    r = c.get("/suggestions/stats/units/")
    assert r.status_code == 200
    assert {u.name: (u.open, u.overdue) for u in r.context["loads"]} == {
        "市住房和城乡建设局": (3, 0), "市教育局": (1, 0)}
    r = c.get(f"/suggestions/stats/units/{world.other_unit.pk}/")
    assert r.status_code == 200 and [p.title for p in r.context["rows"]] == ["己：学校交通"] and r.context["open"] == 1
    assert client_for("town_staff").get(f"/suggestions/stats/units/{world.unit.pk}/").status_code == 404
    assert client_for("deputy").get(f"/suggestions/stats/units/{world.unit.pk}/").status_code == 403
    assert c.get("/suggestions/stats/units/999999/").status_code == 404


# --- documents ----------------------------------------------------------------------------------------------
def test_annual_report_download(world, data, client_for):  # noqa: F811
    r = client_for("director").get(f"/suggestions/report/{YEAR}/")
    assert r.status_code == 200 and r["Content-Type"] == DOCX_MIME
    assert "attachment" in r["Content-Disposition"] and ".docx" in r["Content-Disposition"]
    doc = Document(io.BytesIO(r.content))
    assert doc.paragraphs[0].text.endswith("2026年度代表建议办理情况的报告")
    assert client_for("deputy").get(f"/suggestions/report/{YEAR}/").status_code == 403
    assert client_for("staff").get("/suggestions/report/1999/").status_code == 404


def test_assignment_letter_for_the_office_and_the_part_s_unit(world, client_for):
    o = sw(world)
    lead, co = o.lead, o.co
    for role in ("staff", "director", "unit"):
        r = client_for(role).get(f"/suggestions/parts/{lead.pk}/letter/")
        assert r.status_code == 200 and r["Content-Type"] == DOCX_MIME, role
    assert "市住房和城乡建设局：" in [p.text for p in Document(io.BytesIO(r.content)).paragraphs]
    assert client_for("unit").get(f"/suggestions/parts/{co.pk}/letter/").status_code == 404  # another unit's part
    assert client_for("town_staff").get(f"/suggestions/parts/{lead.pk}/letter/").status_code == 404
    assert client_for("deputy").get(f"/suggestions/parts/{lead.pk}/letter/").status_code == 403
    assert client_for("staff").get("/suggestions/parts/999999/letter/").status_code == 404


def test_reply_form_for_the_signing_deputies_and_the_office(world, client_for):
    o = sw(world)
    s = o.replied  # co-signed by deputy2
    r = client_for("deputy").get(f"/suggestions/{s.pk}/reply-form/")
    assert r.status_code == 200 and r["Content-Type"] == DOCX_MIME
    rows = {row.cells[0].text: row.cells[1].text for row in Document(io.BytesIO(r.content)).tables[0].rows}
    assert rows["征询代表"] == "张建国" and rows["联名代表"] == "李秀英"
    staff = client_for("staff")
    r = staff.get(f"/suggestions/{s.pk}/reply-form/?deputy={world.deputy2.pk}")
    rows = {row.cells[0].text: row.cells[1].text for row in Document(io.BytesIO(r.content)).tables[0].rows}
    assert rows["征询代表"] == "李秀英"
    assert staff.get(f"/suggestions/{s.pk}/reply-form/?deputy={world.other_deputy.pk}").status_code == 404
    assert staff.get(f"/suggestions/{s.pk}/reply-form/?deputy=x").status_code == 404
    assert staff.get(f"/suggestions/{o.accepted.pk}/reply-form/").status_code == 404  # not assigned yet
    assert client_for("deputy").get(f"/suggestions/{o.draft.pk}/reply-form/").status_code == 404
    assert client_for("unit").get(f"/suggestions/{s.pk}/reply-form/").status_code == 403
    assert client_for("town_staff").get(f"/suggestions/{s.pk}/reply-form/").status_code == 404


def test_reply_form_for_a_deputy_who_did_not_sign_is_not_found(world, client_for):
    from renda.suggestions.world import to_replied

    s = to_replied(world, title="另一件建议")  # w.deputy alone: deputy2 (added by the helpers) did not sign
    c = client_for("anonymous")
    c.force_login(world.users["deputy2"], backend="django.contrib.auth.backends.ModelBackend")
    assert c.get(f"/suggestions/{s.pk}/reply-form/").status_code == 404
    assert client_for("deputy").get(f"/suggestions/{s.pk}/reply-form/").status_code == 200
