"""Helpers for browser tests: sign in, check accessibility, take screenshots, read browser errors.

    from e2e.helpers import axe_check, login, screenshot
"""

from __future__ import annotations

import re
import weakref
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page, expect

AXE_PATH = Path(settings.BASE_DIR) / "renda" / "static" / "vendor" / "axe" / "axe.min.js"
SCREENSHOT_DIR = Path(settings.BASE_DIR) / "var" / "screenshots"
BLOCKING_IMPACTS = ("serious", "critical")

# Subresources whose failure breaks a page. Failed fetch/xhr responses are left to the test: a 409
# or 404 from htmx may be exactly what it checks.
ASSET_TYPES = {"script", "stylesheet", "image", "font", "media"}

_problems: weakref.WeakKeyDictionary[Page, list[str]] = weakref.WeakKeyDictionary()


def watch_page(page: Page) -> list[str]:
    """Record what a person would never see but is still broken: CSP refusals, uncaught script
    errors, missing assets. The page fixtures call this and fail the test on anything recorded."""
    problems: list[str] = []
    _problems[page] = problems

    def on_console(message) -> None:
        # A 404 main document is logged as "Failed to load resource" too; assets are checked below.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"console: {message.text}")

    def on_response(response) -> None:
        if response.status >= 400 and response.request.resource_type in ASSET_TYPES:
            problems.append(f"{response.status} {response.request.resource_type}: {response.url}")

    def on_request_failed(request) -> None:
        if request.resource_type in ASSET_TYPES:
            problems.append(f"failed {request.resource_type}: {request.url} ({request.failure})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    return problems


def page_problems(page: Page) -> list[str]:
    """The list watch_page fills; a test that provokes an error on purpose may clear it."""
    return _problems.setdefault(page, [])


def login(page: Page, live_server, username: str, password: str) -> None:
    """Sign in through the real login form, as a person would, and wait for the workspace."""
    page.goto(live_server.url + reverse("accounts:login"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page).not_to_have_url(re.compile(re.escape(reverse("accounts:login"))))


@cache
def _axe_source() -> str:
    return AXE_PATH.read_text(encoding="utf-8")


def axe_check(
    page: Page, *, impacts: tuple[str, ...] = BLOCKING_IMPACTS, context: str | None = None
) -> list[dict]:
    """Run axe-core on the page; fail on any violation of the given impacts.

    axe is evaluated through the DevTools protocol, which CSP does not govern: add_script_tag would
    insert an inline <script> that the page's CSP (rightly) refuses. Returns every violation, the
    minor and moderate ones included, for a test that wants to look at them.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    results = page.evaluate(
        "async (context) => await window.axe.run(context || document,"
        " {resultTypes: ['violations']})",
        context,
    )
    violations = results["violations"]
    blocking = [v for v in violations if v["impact"] in impacts]
    assert not blocking, f"axe on {page.url}:\n" + "\n".join(_describe(v) for v in blocking)
    return violations


def _describe(violation: dict) -> str:
    targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
    return f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({targets})"


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save var/screenshots/<name>.png (gitignored) and return its path, to look at it."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def open_as(browser, live_server, username: str, *, phone: bool = False):
    """A fresh browser context (a phone's or a desktop's) signed in as `username`, its page watched.

    Returns (context, page, problems); close it with close_checked. For one person at a time,
    `with signed_in(...) as page` does both."""
    from e2e.conftest import COMMON, DESKTOP, PHONE, TIMEOUT_MS
    from renda.testing import PASSWORD

    context = browser.new_context(**COMMON, **(PHONE if phone else DESKTOP))
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems = watch_page(page)
    login(page, live_server, username, PASSWORD)
    return context, page, problems


def close_checked(context, problems: list[str]) -> None:
    """Close the context; fail on anything its browser reported."""
    context.close()
    assert not problems, "the browser reported:\n" + "\n".join(problems)


@contextmanager
def signed_in(browser, live_server, username: str, *, phone: bool = False):
    """`open_as` for a with-block: yields the page, closes the context, fails on what the browser reported."""
    context, page, problems = open_as(browser, live_server, username, phone=phone)
    try:
        yield page
    finally:
        context.close()
    assert not problems, "the browser reported:\n" + "\n".join(problems)
