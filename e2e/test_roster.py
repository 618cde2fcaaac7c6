"""Staff walk the roster: filter, open a deputy, suspend with a reason, see the timeline."""

import pytest
from playwright.sync_api import expect

from e2e.helpers import axe_check, login, screenshot
from renda.testing import PASSWORD

pytestmark = pytest.mark.e2e


def test_staff_filters_and_suspends_a_deputy(desktop_page, live_server, world):
    page = desktop_page
    login(page, live_server, "staff", PASSWORD)
    page.goto(live_server.url + "/deputies/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("代表名册")
    page.get_by_label("界别").select_option("professional")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_role("link", name="李秀英")).to_be_visible()
    expect(page.get_by_role("link", name="张建国")).to_have_count(0)
    axe_check(page)
    screenshot(page, "roster-list-desktop", full_page=False)

    page.goto(live_server.url + f"/deputies/{world.deputy.pk}/")
    expect(page.get_by_test_id("phone")).to_contain_text("13812345678")
    page.get_by_label("理由（必填）").fill("因涉嫌违法被依法暂停")
    page.get_by_role("button", name="暂停执行代表职务").click()
    expect(page.get_by_role("status")).to_contain_text("已更新代表状态")
    expect(page.locator(".timeline")).to_contain_text("暂停执行代表职务")
    expect(page.locator(".timeline")).to_contain_text("因涉嫌违法被依法暂停")
    expect(page.get_by_role("button", name="恢复执行代表职务")).to_be_visible()
    axe_check(page)
    screenshot(page, "roster-deputy-suspended-desktop", full_page=False)
    world.deputy.refresh_from_db()
    assert world.deputy.status == "suspended"
