"""The office reads the opinions statistics: figures, charts, hot topics, a filter, the Excel export."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.helpers import axe_check, login, screenshot
from renda.opinions import services, stats
from renda.opinions.actors import Citizen
from renda.opinions.models import Assignment, Opinion
from renda.opinions.tests.factories import as_role, submit
from renda.testing import PASSWORD

pytestmark = pytest.mark.e2e

TOPICS = [
    ("老旧小区加装电梯进展缓慢", "老小区没有电梯，老人上下楼困难，希望加快加装电梯审批。"),
    ("小区电梯频繁故障困人", "小区电梯使用十几年了，多次故障困人，物业说没有维修资金。"),
    ("小区路灯损坏多日无人修", "主干道路灯坏了一个多月，晚上一片漆黑，老人孩子出行不安全。"),
    ("道路坑洼积水影响出行", "道路坑洼不平，一下雨就积水，电动车经常摔倒。"),
    ("菜市场周边占道经营", "菜市场周边占道经营严重，早高峰交通拥堵。"),
    ("学校门口接送拥堵", "学校门口放学时段接送车辆拥堵，存在安全隐患。"),
    ("河道垃圾漂浮", "村里河道垃圾漂浮，夏天有异味，希望定期清理河道。"),
]


def _demo_data(world):
    """About forty opinions over six months, moved through the states a real month has."""
    deputy, unit = as_role(world, "deputy"), as_role(world, "unit")
    today = timezone.localdate()
    for i in range(42):
        title, text = TOPICS[i % len(TOPICS)] if i % 3 else TOPICS[i % 2]
        op = submit(world, title=title, text=text, phone=f"1381111{i:04d}")
        step = i % 6
        if step >= 1:
            services.opinion_accept(opinion_id=op.pk, actor=deputy)
        if step == 2:
            services.opinion_forward(opinion_id=op.pk, actor=deputy, unit_ids=[world.unit.pk], note="请办理")
            part = Assignment.objects.get(opinion=op)
            services.assignment_sign(assignment_id=part.pk, actor=unit)
            services.assignment_reply(assignment_id=part.pk, actor=unit, reply_text="已安排")
        if step >= 2:
            services.opinion_answer(opinion_id=op.pk, actor=deputy, reply_text="已答复")
        if step >= 3:
            rating = {3: "satisfied", 4: "basic", 5: "unsatisfied"}[step]
            services.opinion_rate(opinion_id=op.pk, citizen=Citizen(op.pk), rating=rating)
        months_back = i % 6 if i >= 12 else 0  # the current month holds the most
        when = timezone.now() - dt.timedelta(days=31 * months_back)
        if months_back:
            Opinion.objects.filter(pk=op.pk).update(submitted_at=when, handling_days=(i % 9) + 2)
    submit(world, to="station", title="镇上停车难", text="镇区停车位太少。")
    stats.stats_rebuild()
    return today


def test_staff_reads_the_statistics(desktop_page, live_server, world):
    today = _demo_data(world)
    page = desktop_page
    login(page, live_server, "staff", PASSWORD)
    page.goto(live_server.url + "/opinions/stats/?start=" + stats.month_add(stats.month_start(today), -5)
              .strftime("%Y-%m"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("群众意见统计")
    expect(page.get_by_test_id("computed-at")).to_contain_text("统计截至")
    expect(page.get_by_test_id("kpi-total")).to_have_text("42")
    expect(page.get_by_test_id("hot-terms")).to_contain_text("电梯")
    # The charts are drawn (SVG renderer) from the json_script data, without inline script.
    for chart in ("chart-status", "chart-trend", "chart-terms"):
        expect(page.locator(f'[data-chart-option="{chart}"] svg')).to_have_count(1)
    expect(page.get_by_test_id("by-unit")).to_contain_text("市住房和城乡建设局")
    axe_check(page)
    screenshot(page, "opinion-stats-desktop", full_page=True)

    page.get_by_label("承办单位", exact=True).select_option(str(world.unit.pk))
    page.get_by_role("button", name="统计").click()
    expect(page.get_by_test_id("kpi-total")).to_have_text("7")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
