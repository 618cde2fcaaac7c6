"""Browser-test fixtures: a live server, Debian's Chromium driven by Playwright, phone and
desktop pages.

Every test here is marked e2e (skip them with `-m "not e2e"`). See docs/frontend.md.
"""

import os

import pytest

# An IP address, not "localhost": Chromium would try ::1 first and the server listens on IPv4.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
COMMON = {"locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
TIMEOUT_MS = 10_000


BROWSER_FIXTURES = {"browser", "phone_page", "desktop_page"}


def pytest_collection_modifyitems(config, items):
    # A browser test without the marker would still run under `-m "not e2e"`; mark it anyway.
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.e2e)


ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


# Per module, not per session: while Playwright runs, the variable below must be set, and it must
# not outlive the browser tests. Set for the whole run, it would reach every other test and the
# subprocesses they start (`manage.py check --deploy` rightly fails on it: async.E001).
@pytest.fixture(scope="module")
def playwright_instance():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs it with apt")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; Django's ORM refuses to
    # run beside one unless told that this is deliberate.
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            yield playwright
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture(scope="module")
def browser(playwright_instance):
    """One Chromium per test module; each test gets its own context (cookies, storage)."""
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _page(browser, options):
    from e2e.helpers import watch_page

    context = browser.new_context(**COMMON, **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems = watch_page(page)
    return context, page, problems


@pytest.fixture
def phone_page(browser, live_server):
    """A 390x844 phone (the layout is mobile first). Fails the test on a CSP refusal, a script
    error or a missing asset seen while it ran."""
    context, page, problems = _page(browser, PHONE)
    yield page
    context.close()
    assert not problems, "the browser reported:\n" + "\n".join(problems)


@pytest.fixture
def desktop_page(browser, live_server):
    """A 1366x900 desktop window; the same checks as phone_page."""
    context, page, problems = _page(browser, DESKTOP)
    yield page
    context.close()
    assert not problems, "the browser reported:\n" + "\n".join(problems)


@pytest.fixture
def e2e_user(django_user_model):
    """A plain signed-up user with no role; returns (user, password)."""
    password = "renda-e2e-Pass-1"
    user = django_user_model.objects.create_user(username="e2e_user", password=password)
    return user, password
