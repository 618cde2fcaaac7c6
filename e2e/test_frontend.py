"""The shared front-end pieces work under the real CSP; the harness catches what it claims to."""

import re

import pytest
from django.templatetags.static import static
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import axe_check, login, page_problems, screenshot

pytestmark = pytest.mark.e2e

TIMELINE = """
<h2 class="page-title">办理进程</h2>
<ol class="timeline">
  <li class="timeline-item is-done">
    <p class="timeline-title">已提交</p>
    <p class="timeline-meta"><time datetime="2026-03-01">2026年3月1日</time> · 张三代表</p>
  </li>
  <li class="timeline-item is-done">
    <p class="timeline-title">已交办</p>
    <p class="timeline-meta"><time datetime="2026-03-04">2026年3月4日</time> · 代表工委</p>
    <div class="timeline-body"><p>交办市住房和城乡建设局办理，期限三个月。</p></div>
  </li>
  <li class="timeline-item is-current" aria-current="step">
    <p class="timeline-title">办理中</p>
    <p class="timeline-meta">期限 <time datetime="2026-06-04">2026年6月4日</time></p>
  </li>
  <li class="timeline-item is-pending">
    <p class="timeline-title">待答复（未开始）</p>
  </li>
</ol>
<progress class="renda-job-progress" max="100" value="40" aria-label="导入进度">40%</progress>
"""


def _insert(page, html: str) -> None:
    # DOM insertion from the test, not an inline script: CSP governs the page, not the
    # DevTools protocol.
    page.evaluate("html => document.querySelector('main').insertAdjacentHTML('beforeend', html)",
                  html)


def test_axe_check_fails_on_an_unlabelled_field(phone_page, live_server):
    phone_page.goto(live_server.url + reverse("accounts:login"))
    phone_page.evaluate("() => document.querySelectorAll('label.form-label')"
                        ".forEach(l => l.remove())")

    with pytest.raises(AssertionError, match="label"):
        axe_check(phone_page)


def test_csp_refuses_inline_script_and_the_page_fixture_reports_it(phone_page, live_server):
    phone_page.goto(live_server.url + reverse("accounts:login"))
    phone_page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';"
        " document.body.append(s); }"
    )

    assert phone_page.evaluate("() => window.injected") is None
    problems = page_problems(phone_page)
    assert any("Content Security Policy" in p for p in problems), problems
    problems.clear()  # provoked on purpose: do not fail the test at teardown


def test_htmx_post_carries_the_csrf_token(desktop_page, live_server, e2e_user):
    user, password = e2e_user
    login(desktop_page, live_server, user.username, password)
    assert desktop_page.locator('meta[name="csrf-token"]').get_attribute("content")

    with desktop_page.expect_response(lambda r: r.url.endswith(reverse("accounts:logout"))) as info:
        desktop_page.evaluate(
            "url => htmx.ajax('POST', url, {target: '#main', swap: 'none'})",
            reverse("accounts:logout"),
        )

    assert info.value.status != 403  # without renda.js Django's CSRF check refuses it
    desktop_page.goto(live_server.url + reverse("accounts:home"))
    expect(desktop_page).to_have_url(re.compile(re.escape(reverse("accounts:login"))))


def test_timeline_and_progress_components(phone_page, live_server):
    phone_page.goto(live_server.url + reverse("portal:home"))
    _insert(phone_page, TIMELINE)

    marker = phone_page.locator(".timeline-item.is-current").evaluate(
        "el => getComputedStyle(el, '::before').backgroundColor"
    )
    assert marker == "rgb(155, 28, 28)"
    axe_check(phone_page)
    screenshot(phone_page, "components-timeline-phone")


def test_htmx_request_shows_the_page_progress_bar(phone_page, live_server):
    phone_page.goto(live_server.url + reverse("portal:home"))
    bar = phone_page.locator("#page-progress")
    assert bar.evaluate("el => getComputedStyle(el).opacity") == "0"
    # Hold the request so the bar can be seen while it runs.
    release = []
    url = reverse("portal:find")
    phone_page.route(f"**{url}", lambda route: release.append(route))
    phone_page.evaluate("url => { htmx.ajax('GET', url, {target: '#main', swap: 'none'}); }", url)
    phone_page.wait_for_function("() => document.querySelector('#page-progress.htmx-request')")
    expect(bar).to_have_css("opacity", "1")
    release[0].continue_()
    expect(bar).not_to_have_class("htmx-request")


def test_chart_draws_from_json_under_csp(desktop_page, live_server):
    desktop_page.goto(live_server.url + reverse("portal:home"))
    option = '{"xAxis": {"type": "category", "data": ["城厢镇", "浏河镇", "沙溪镇"]},' \
        ' "yAxis": {"type": "value"}, "series": [{"type": "bar", "data": [12, 7, 9]}]}'
    _insert(
        desktop_page,
        f'<script type="application/json" id="chart-by-town">{option}</script>'
        '<div class="renda-chart" data-chart-option="chart-by-town" role="img"'
        ' aria-label="各镇建议数"></div>',
    )
    for src in (static("vendor/echarts/echarts.min.js"), static("renda/charts.js")):
        # Same-origin files are what CSP allows ('self'), as a page's {% block scripts %} loads.
        desktop_page.evaluate(
            "src => new Promise((ok, fail) => { const s = document.createElement('script');"
            " s.src = src; s.onload = ok; s.onerror = fail; document.body.append(s); })",
            src,
        )

    chart = desktop_page.locator(".renda-chart svg")
    expect(chart).to_be_visible()
    expect(desktop_page.locator(".renda-chart")).to_contain_text("浏河镇")
    screenshot(desktop_page, "components-chart-desktop")
