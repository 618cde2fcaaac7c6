"""The office reads the suggestion statistics (办成率 next to 满意率, charts, tables), downloads the Excel
export and the annual report; a unit reads its own open list on a phone and downloads an assignment letter."""

import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from e2e.helpers import axe_check, login, screenshot
from renda.suggestions.tests.test_stats import YEAR, data  # noqa: F401  (builds a year of suggestions)
from renda.testing import PASSWORD

pytestmark = pytest.mark.e2e


def test_staff_read_the_suggestion_statistics(desktop_page, live_server, world, data):  # noqa: F811
    page = desktop_page
    login(page, live_server, "staff", PASSWORD)
    page.goto(f"{live_server.url}/suggestions/stats/?year={YEAR}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("代表建议统计")
    expect(page.get_by_test_id("kpi-submitted")).to_have_text("12")
    expect(page.get_by_test_id("kpi-solved")).to_have_text("20.0%")
    expect(page.get_by_test_id("kpi-satisfaction")).to_have_text("75.0%")
    expect(page.get_by_test_id("kpi-on-time")).to_have_text("80.0%")
    # The charts are drawn (SVG renderer) from json_script data, without inline script.
    for chart in ("chart-outcomes", "chart-categories", "chart-units"):
        expect(page.locator(f'[data-chart-option="{chart}"] svg')).to_have_count(1)
    expect(page.get_by_test_id("by-unit")).to_contain_text("市住房和城乡建设局")
    expect(page.get_by_test_id("by-town")).to_contain_text("未分组")
    expect(page.get_by_test_id("key-items")).to_contain_text("李秀英")
    axe_check(page)
    screenshot(page, "suggestion-stats-desktop", full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    wb = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()), read_only=True)
    assert "按承办单位" in wb.sheetnames and "在办明细" in wb.sheetnames
    with page.expect_download() as download:
        page.get_by_role("link", name=f"{YEAR}年度办理情况报告（Word）").click()
    assert download.value.suggested_filename.endswith(".docx")
    doc = Document(io.BytesIO(open(download.value.path(), "rb").read()))
    assert doc.paragraphs[0].text.endswith(f"{YEAR}年度代表建议办理情况的报告")

    # A filter by dates that makes no sense shows the error beside the field.
    page.get_by_label("提交日期起").fill(f"{YEAR}-12-31")
    page.get_by_label("提交日期止").fill(f"{YEAR}-01-01")
    page.get_by_role("button", name="统计").click()
    expect(page.get_by_text("起始日期不能晚于结束日期。")).to_be_visible()

    page.get_by_test_id("by-unit").get_by_role("link", name="市教育局").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("市教育局")
    expect(page.get_by_test_id("open-parts")).to_contain_text("己：学校交通")


def test_a_unit_reads_its_open_list_on_a_phone(phone_page, live_server, world, data):  # noqa: F811
    page = phone_page
    login(page, live_server, "unit", PASSWORD)
    page.goto(f"{live_server.url}/suggestions/stats/units/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("市住房和城乡建设局")
    items = page.get_by_test_id("open-parts-list").locator("li")  # a list on phones, a table on desktops
    expect(items).to_have_count(3)
    expect(items.first).to_contain_text("丁：菜场改造")  # soonest due first: its 1-month re-handling clock
    expect(page.get_by_test_id("open-parts-list")).not_to_contain_text("甲：加装电梯")  # answered and closed
    axe_check(page)
    screenshot(page, "suggestion-stats-unit-phone", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("下载交办函.*己：学校交通")).click()
    doc = Document(download.value.path())
    assert "市住房和城乡建设局：" in [p.text for p in doc.paragraphs]
    # The figures themselves are not the unit's to read.
    response = page.goto(f"{live_server.url}/suggestions/stats/")
    assert response.status == 403
