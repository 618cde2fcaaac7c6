"""Pages render in a real browser, in Chinese, with CSP on and no serious accessibility fault."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import axe_check, login, screenshot
from renda.accounts.models import RoleAssignment
from renda.testing import PASSWORD

pytestmark = pytest.mark.e2e


def test_login_page_on_a_phone(phone_page, live_server):
    page = phone_page
    page.goto(live_server.url + reverse("accounts:login"))

    expect(page).to_have_title("登录 · 智慧人大")
    expect(page.get_by_role("heading", level=1)).to_have_text("登录工作台")
    # Collapsed behind the toggler on a phone; Bootstrap's script (nonce-loaded) opens it.
    expect(page.get_by_role("link", name="找代表")).to_be_hidden()
    page.get_by_role("button", name="菜单").click()
    expect(page.get_by_role("link", name="找代表")).to_be_visible()
    # The stylesheet applied: the header is the Renda red, not Bootstrap's default.
    header_bg = page.locator("header").evaluate("el => getComputedStyle(el).backgroundColor")
    assert header_bg == "rgb(155, 28, 28)"
    axe_check(page)
    screenshot(page, "smoke-login-phone")


def test_sign_in_switch_role_on_a_phone(phone_page, live_server, world):
    user = world.users["staff"]
    RoleAssignment.objects.create(user=user, role="director", congress=world.city)
    page = phone_page
    login(page, live_server, user.username, PASSWORD)

    expect(page).to_have_url(live_server.url + reverse("accounts:home"))
    expect(page.get_by_role("heading", level=1)).to_have_text("工作台")
    page.get_by_role("button", name="菜单").click()
    switcher = page.get_by_label("切换身份")
    expect(switcher).to_be_visible()
    axe_check(page)
    screenshot(page, "smoke-workspace-menu-phone")

    other = switcher.locator("option:not([selected])").first
    switcher.select_option(other.get_attribute("value"))
    page.get_by_role("button", name="切换", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("已切换身份。")
    axe_check(page)


def test_portal_home_on_a_phone(phone_page, live_server):
    phone_page.goto(live_server.url + reverse("portal:home"))

    expect(phone_page).to_have_title(re.compile(r"^\S.* · 智慧人大$"))
    expect(phone_page.get_by_role("banner").get_by_role("link", name="智慧人大")).to_be_visible()
    expect(phone_page.get_by_role("heading", level=1)).to_be_visible()
    # Chinese text is drawn with the CJK font the stylesheet asks for, not a fallback.
    font = phone_page.locator("body").evaluate("el => getComputedStyle(el).fontFamily")
    assert font.startswith('"Noto Sans CJK SC"')
    check = "() => document.fonts.check('16px \"Noto Sans CJK SC\"', '智慧人大')"
    assert phone_page.evaluate(check)
    axe_check(phone_page)
    screenshot(phone_page, "smoke-portal-phone")
