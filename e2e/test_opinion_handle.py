"""On a phone: the deputy accepts an opinion and forwards it to a unit; the unit signs and replies;
the deputy sees the unit's reply above the answer box."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from e2e.helpers import axe_check, login, screenshot
from renda.opinions.models import Assignment, Opinion
from renda.opinions.tests.factories import submit
from renda.opinions.tests.test_handle import _png
from renda.testing import PASSWORD

pytestmark = pytest.mark.e2e


def test_deputy_forwards_and_unit_replies_on_a_phone(phone_page, live_server, world):
    page = phone_page
    opinion = submit(world, title="新港社区3号楼电梯坏了",
                     photos=[SimpleUploadedFile("电梯.png", _png(), content_type="image/png")])

    login(page, live_server, "deputy", PASSWORD)
    page.goto(live_server.url + "/opinions/inbox/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("群众意见")
    page.get_by_role("link", name="新港社区3号楼电梯坏了").click()
    expect(page.get_by_test_id("citizen-phone")).to_contain_text("13811112222")
    expect(page.get_by_role("img", name="群众上传的照片 1")).to_be_visible()
    page.get_by_role("button", name="受理").click()
    expect(page.get_by_role("status")).to_contain_text("已受理")
    expect(page.locator(".deadline-explain").first).to_be_visible()

    page.locator("summary", has_text="转交承办单位").click()
    page.get_by_label(world.unit.name).check()
    page.get_by_label("转办说明（可选）").fill("请尽快维修")
    page.get_by_role("button", name="确认转交").click()
    expect(page.get_by_role("status")).to_contain_text("已转交承办单位")
    expect(page.locator(".timeline")).to_contain_text("转交承办单位")
    axe_check(page)
    screenshot(page, "opinion-detail-phone")

    page.context.clear_cookies()
    login(page, live_server, "unit", PASSWORD)
    page.goto(live_server.url + "/opinions/parts/")
    page.get_by_role("link", name="新港社区3号楼电梯坏了").click()
    expect(page.get_by_test_id("citizen-phone")).to_contain_text("13811112222")
    page.get_by_role("button", name="签收").click()
    expect(page.get_by_role("status")).to_contain_text("已签收")
    page.get_by_label("单位答复").fill("已更换电梯主板，恢复运行。<b>谢谢</b>")
    page.get_by_role("button", name="提交答复").last.click()
    expect(page.get_by_role("status")).to_contain_text("已提交答复")
    expect(page.locator(".part-card").first).to_contain_text("已更换电梯主板，恢复运行。<b>谢谢</b>")
    axe_check(page)
    screenshot(page, "opinion-part-phone")

    page.context.clear_cookies()
    login(page, live_server, "deputy", PASSWORD)
    page.goto(live_server.url + f"/opinions/{opinion.pk}/")
    expect(page.get_by_text("已更换电梯主板，恢复运行。<b>谢谢</b>").first).to_be_visible()
    assert Assignment.objects.get(opinion=opinion).status == Assignment.Status.REPLIED
    assert Opinion.objects.get(pk=opinion.pk).status == Opinion.Status.FORWARDED
