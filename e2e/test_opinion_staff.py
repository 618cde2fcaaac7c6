"""The office walks the all-opinions list and publishes an answered opinion after redaction."""

import pytest
from playwright.sync_api import expect

from e2e.helpers import axe_check, login, screenshot
from renda.opinions import services
from renda.opinions.matrix_world import ow
from renda.opinions.tests.factories import as_role, submit
from renda.testing import PASSWORD

pytestmark = pytest.mark.e2e


def test_staff_filters_the_list_and_publishes_with_redaction(desktop_page, live_server, world):
    page = desktop_page
    o = ow(world)
    answered = submit(world, title="小区停车难", text="我是王小明，电话13912345678，晚上车位不够。")
    services.opinion_accept(opinion_id=answered.pk, actor=as_role(world, "deputy"))
    services.opinion_answer(opinion_id=answered.pk, actor=as_role(world, "deputy"), reply_text="已协调增加夜间车位。")
    login(page, live_server, "staff", PASSWORD)
    page.goto(live_server.url + "/opinions/all/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("群众意见管理")
    page.get_by_label("状态").select_option("replied")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_role("link", name="小区停车难")).to_be_visible()
    expect(page.get_by_role("link", name=o.submitted.title)).to_have_count(0)
    expect(page.get_by_text("期限设置")).to_be_visible()
    axe_check(page)
    screenshot(page, "opinion-staff-list-desktop", full_page=False)

    page.goto(live_server.url + f"/opinions/{answered.pk}/publish/")
    text = page.get_by_label("公开内容")
    expect(text).to_have_value("我是王**，电话139****5678，晚上车位不够。")
    axe_check(page)
    screenshot(page, "opinion-staff-publish-desktop", full_page=False)
    page.get_by_role("button", name="公开", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("已公开")
    answered.refresh_from_db()
    assert answered.is_published and "13912345678" not in answered.published_text
