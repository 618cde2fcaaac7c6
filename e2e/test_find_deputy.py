"""找代表 on a phone: town, then community, then the deputy and the station (issue 2's proof)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import axe_check, screenshot
from renda.testing import build_world

pytestmark = pytest.mark.e2e


def test_find_deputy_from_town_to_station(phone_page, live_server):
    # Built after the live server started: it serves from the same (transactional) database.
    world = build_world()
    world.person.public_bio = "长期从事社区工作，关注老旧小区改造和养老服务。"
    world.person.save()
    page = phone_page

    page.goto(live_server.url + reverse("portal:home"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe_check(page)
    screenshot(page, "find-deputy-1-home-phone")

    page.locator("main").get_by_role("link", name=re.compile("^找代表")).first.click()
    expect(page).to_have_url(live_server.url + reverse("portal:find"))
    expect(page.get_by_role("heading", name=re.compile("第一步"))).to_be_visible()
    axe_check(page)
    screenshot(page, "find-deputy-2-towns-phone")

    # Each step is swapped in place by htmx: the URL still follows, so it can be shared or reloaded.
    page.get_by_role("link", name="沙溪镇", exact=True).tap()
    expect(page.get_by_role("heading", name=re.compile("第二步"))).to_be_visible()
    expect(page).to_have_url(re.compile(rf"\?town={world.town_place.pk}$"))
    expect(page.get_by_role("heading", name=re.compile("第二步"))).to_be_focused()
    expect(page.get_by_role("link", name="浏家港社区")).to_have_count(0)
    axe_check(page)
    screenshot(page, "find-deputy-3-communities-phone")

    page.get_by_role("link", name="新港社区", exact=True).tap()
    results = rf"\?town={world.town_place.pk}&community={world.community.pk}$"
    expect(page).to_have_url(re.compile(results))
    expect(page).to_have_title("新港社区 · 沙溪镇 · 找代表 · 智慧人大")
    def group(title: str):
        heading = page.get_by_role("heading", name=re.compile("^" + title))
        return page.locator("section.congress-group", has=heading)

    city, town = group("太仓市人大代表"), group("沙溪镇人大代表")
    expect(city.get_by_role("link", name="张建国", exact=True)).to_be_visible()
    expect(city.get_by_role("link", name="李秀英", exact=True)).to_be_visible()
    expect(town.get_by_role("link", name="张建国", exact=True)).to_be_visible()
    expect(town.get_by_role("link", name="李秀英", exact=True)).to_have_count(0)
    station = page.locator(".station-card", has_text="沙溪镇人大代表联络站")
    expect(station).to_contain_text("每月15日 9:00-11:30")
    expect(station).to_contain_text("联督问政")
    expect(page.locator("main")).not_to_contain_text("13812345678")
    # Nothing is wider than the phone: no sideways scrolling.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    axe_check(page)
    screenshot(page, "find-deputy-4-results-phone")

    city.get_by_role("link", name="张建国", exact=True).tap()
    expect(page).to_have_url(live_server.url + reverse("portal:deputy", args=[world.deputy.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("张建国")
    seats = page.locator(".seat-list")
    expect(seats).to_contain_text("太仓市人大代表")
    expect(seats).to_contain_text("沙溪镇人大代表")
    expect(page.locator(".profile-bio")).to_contain_text("老旧小区改造")
    axe_check(page)
    screenshot(page, "find-deputy-5-profile-phone")

    page.get_by_role("link", name="沙溪镇人大代表联络站").tap()
    expect(page).to_have_url(live_server.url + reverse("portal:station", args=[world.station.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("沙溪镇人大代表联络站")
    expect(page.locator(".station-reception")).to_have_text("每月15日 9:00-11:30")
    expect(page.locator("main").get_by_role("link", name="张建国", exact=True)).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    axe_check(page)
    screenshot(page, "find-deputy-6-station-phone")

    # Back through the history: htmx keeps no page copies, so the step is reloaded from the server.
    page.go_back()
    page.go_back()
    expect(page.get_by_role("heading", name=re.compile("新港社区的代表"))).to_be_visible()


def test_find_deputy_without_javascript(browser, live_server):
    """The same steps are plain links: a phone with JavaScript off still gets there."""
    world = build_world()
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844},
                                  locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(live_server.url + reverse("portal:find"))
        page.get_by_role("link", name="沙溪镇", exact=True).click()
        page.get_by_role("link", name="新港社区", exact=True).click()
        expect(page).to_have_url(re.compile(rf"community={world.community.pk}$"))
        expect(page.locator("section.congress-group")).to_have_count(2)
        expect(page.locator(".station-card")).to_contain_text("每月15日")
    finally:
        context.close()
