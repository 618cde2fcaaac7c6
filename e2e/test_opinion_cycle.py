"""The whole channel on a 390×844 phone, every step through the pages of the person who owns it:

a citizen finds a deputy and submits; the deputy accepts and forwards; the unit signs and replies;
the deputy answers; the citizen tracks and rates 不满意; the deputy re-handles (forwarding again) and
the unit replies again; the deputy answers again; the citizen rates 满意 and the item is closed.
"""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import axe_check, login, screenshot
from renda.opinions.models import Assignment, Opinion
from renda.testing import PASSWORD, build_world, ensure_seeded

pytestmark = pytest.mark.e2e


def _citizen_tracks(page, live_server, code):
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("voice:track"))
    page.get_by_label("查询码").fill(code)
    page.get_by_label("手机后四位").fill("2222")
    page.get_by_role("button", name="查询").tap()


def _deputy_forwards(page, live_server, opinion, unit_name, note):
    page.context.clear_cookies()
    login(page, live_server, "deputy", PASSWORD)
    page.goto(live_server.url + f"/opinions/{opinion.pk}/")
    page.locator("summary", has_text="转交承办单位").click()
    page.get_by_role("checkbox", name=unit_name).check()
    page.get_by_label("转办说明（可选）").fill(note)
    page.get_by_role("button", name="确认转交").click()
    expect(page.get_by_role("status")).to_contain_text("已转交承办单位")


def _unit_replies(page, live_server, opinion, text):
    page.context.clear_cookies()
    login(page, live_server, "unit", PASSWORD)
    page.goto(live_server.url + "/opinions/parts/")
    part = Assignment.objects.filter(opinion=opinion).order_by("-id").first()
    page.goto(live_server.url + f"/opinions/parts/{part.pk}/")
    page.get_by_role("button", name="签收").click()
    expect(page.get_by_role("status")).to_contain_text("已签收")
    page.get_by_label("单位答复").fill(text)
    page.get_by_role("button", name="提交答复").last.click()
    expect(page.get_by_role("status")).to_contain_text("已提交答复")


def _deputy_answers(page, live_server, opinion, text):
    page.context.clear_cookies()
    login(page, live_server, "deputy", PASSWORD)
    page.goto(live_server.url + f"/opinions/{opinion.pk}/")
    page.locator("summary", has_text="答复群众").click()
    page.get_by_label("答复群众").fill(text)
    page.get_by_role("button", name="提交答复").click()
    expect(page.get_by_role("status")).to_contain_text("答复")


def test_the_whole_cycle_on_a_phone(phone_page, live_server, settings):
    settings.RENDA_ANTIBOT_MIN_SECONDS = 0
    cache.clear()
    ensure_seeded()
    world = build_world()
    page = phone_page

    # 1. The citizen finds the deputy for their community and submits.
    page.goto(live_server.url + reverse("portal:find") + f"?town={world.town_place.pk}&community={world.community.pk}")
    page.get_by_role("link", name="向张建国反映意见").first.tap()
    page.get_by_label("意见类别").select_option(label="城乡建设")
    page.get_by_label("标题").fill("新港社区3号楼电梯坏了")
    page.get_by_label("具体内容").fill("电梯坏了一个月，老人上下楼困难，希望尽快维修。")
    page.get_by_label("手机号（可选）").fill("13811112222")
    page.get_by_role("button", name="提交意见").tap()
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{10}", code)
    opinion = Opinion.objects.get(tracking_code=code)

    # 2. The deputy accepts and forwards to the housing bureau.
    page.context.clear_cookies()
    login(page, live_server, "deputy", PASSWORD)
    page.goto(live_server.url + "/opinions/inbox/")
    page.get_by_role("link", name="新港社区3号楼电梯坏了").click()
    page.get_by_role("button", name="受理").click()
    expect(page.get_by_role("status")).to_contain_text("已受理")
    _deputy_forwards(page, live_server, opinion, world.unit.name, "请尽快维修")

    # 3. The unit signs and replies; 4. the deputy answers the citizen.
    _unit_replies(page, live_server, opinion, "已联系维保公司，更换电梯主板。")
    _deputy_answers(page, live_server, opinion, "住建局已安排更换电梯主板，本周内完成。")
    assert Opinion.objects.get(pk=opinion.pk).status == "replied"

    # 5. The citizen tracks and is not satisfied: the item reopens for re-handling.
    _citizen_tracks(page, live_server, code)
    expect(page.locator(".voice-reply")).to_contain_text("本周内完成")
    page.get_by_label("不满意").check()
    page.get_by_label("评价意见（可选）").fill("一周过去了还没修好")
    page.get_by_role("button", name="提交评价").tap()
    expect(page.locator(".voice-status")).to_have_text("重新办理中")
    screenshot(page, "opinion-cycle-reopened-phone")

    # 6. Re-handling: the deputy forwards again, the unit replies, the deputy answers.
    _deputy_forwards(page, live_server, opinion, world.unit.name, "群众不满意，请重新办理")
    assert Assignment.objects.filter(opinion=opinion, round=2).exists()
    _unit_replies(page, live_server, opinion, "主板已更换，电梯已恢复运行并通过检验。")
    _deputy_answers(page, live_server, opinion, "电梯已修复并通过检验，感谢您的监督。")

    # 7. The citizen rates 满意: closed, both ratings kept.
    _citizen_tracks(page, live_server, code)
    expect(page.locator(".voice-reply")).to_contain_text("通过检验")
    page.get_by_label("满意", exact=True).check()
    page.get_by_role("button", name="提交评价").tap()
    expect(page.locator(".voice-status")).to_have_text("已办结")
    axe_check(page)
    screenshot(page, "opinion-cycle-closed-phone")
    opinion.refresh_from_db()
    assert opinion.status == "closed" and opinion.rating == "satisfied" and opinion.rehandle_count == 1
    assert list(opinion.ratings.values_list("rating", flat=True)) == ["unsatisfied", "satisfied"]
