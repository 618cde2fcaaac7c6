"""A citizen on a phone: find the deputy, submit an opinion, keep the code, track it, rate the reply.

Also the axe check on the public pages of the channel (submit, receipt, track, item, published).
"""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import axe_check, screenshot
from renda.testing import build_world, ensure_seeded

pytestmark = pytest.mark.e2e


def test_citizen_submits_tracks_and_rates_on_a_phone(phone_page, live_server, settings):
    settings.RENDA_ANTIBOT_MIN_SECONDS = 0
    cache.clear()
    ensure_seeded()
    world = build_world()
    page = phone_page

    page.goto(live_server.url + reverse("portal:find") + f"?town={world.town_place.pk}&community={world.community.pk}")
    page.get_by_role("link", name="向张建国反映意见").first.tap()
    expect(page).to_have_url(re.compile(rf"/deputy/{world.deputy.pk}/write/\?community={world.community.pk}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("反映意见")
    expect(page.get_by_label("您所在的村（社区）")).to_have_value(str(world.community.pk))
    expect(page.locator("main")).to_contain_text("办理人员可以看到您的联系方式，公众永远看不到")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    axe_check(page)
    screenshot(page, "opinion-1-submit-phone")

    page.get_by_label("意见类别").select_option(label="城乡建设")
    page.get_by_label("标题").fill("新港社区3号楼电梯坏了")
    page.get_by_label("具体内容").fill("电梯坏了一个月，老人上下楼困难，希望尽快维修。")
    page.get_by_label("姓名（可选）").fill("王小明")
    page.get_by_label("手机号（可选）").fill("13811112222")
    page.get_by_role("button", name="提交意见").tap()

    expect(page.get_by_role("heading", level=1)).to_have_text("意见已提交")
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{10}", code)
    expect(page.locator("main")).to_contain_text("凭查询码和手机后四位查询")
    axe_check(page)
    screenshot(page, "opinion-2-receipt-phone")

    # The deputy answers (their pages are another helper's work: use the service directly).
    from renda.opinions import services
    from renda.opinions.models import Opinion
    from renda.opinions.tests.factories import as_role

    opinion = Opinion.objects.get(tracking_code=code)
    deputy = as_role(world, "deputy")
    services.opinion_accept(opinion_id=opinion.pk, actor=deputy)
    services.opinion_answer(opinion_id=opinion.pk, actor=deputy, reply_text="已联系物业，本周内维修。")

    # A fresh phone (no session): the code and the last four digits open the item.
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("voice:track"))
    axe_check(page)
    screenshot(page, "opinion-3-track-phone")
    page.get_by_label("查询码").fill(code.lower())
    page.get_by_label("手机后四位").fill("2222")
    page.get_by_role("button", name="查询").tap()
    expect(page.locator(".voice-status")).to_have_text("已答复待评价")
    expect(page.locator(".voice-reply")).to_contain_text("已联系物业")
    expect(page.locator("main")).not_to_contain_text("13811112222")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    axe_check(page)
    screenshot(page, "opinion-4-item-phone")

    page.get_by_label("不满意").check()
    page.get_by_label("评价意见（可选）").fill("还没有修好")
    page.get_by_role("button", name="提交评价").tap()
    expect(page.locator(".voice-status")).to_have_text("重新办理中")
    expect(page.get_by_role("status").filter(has_text="感谢您的评价")).to_be_visible()

    page.goto(live_server.url + reverse("voice:published"))
    expect(page.get_by_role("heading", level=1)).to_have_text("群众意见公开")
    axe_check(page)
