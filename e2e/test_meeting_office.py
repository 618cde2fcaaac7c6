"""The office's and the chair's other meeting pages in Chromium: the list with its filters, the
schedule form's errors, the tellers' paper totals (an inconsistent total refused, then accepted),
a tie at the cut line decided by the chair with a reason, the minutes and decisions, a member's
leave request on a phone; each page checked with axe."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.helpers import axe_check, close_checked, open_as, screenshot
from renda.ballots import services as ballots
from renda.ballots.world import act, voter
from renda.meetings import services
from renda.meetings.world import mw
from renda.testing import build_world, ensure_seeded

pytestmark = pytest.mark.e2e


def test_the_office_list_paper_totals_ties_and_minutes(browser, live_server):
    ensure_seeded()
    w = build_world()
    x = mw(w)
    staff = act(w, "staff")
    tie_vote = services.add_vote(actor=staff, item_id=x.item_done.pk, kind="choice", title="2023年民生实事项目票决",
                                 max_choices=1, tie_rule="chair",
                                 options=[{"label": "老旧小区改造"}, {"label": "农贸市场提升"}])
    services.open_vote(actor=staff, vote_id=tie_vote.pk)
    a, b = tie_vote.options.order_by("position").values_list("pk", flat=True)
    for i, p in enumerate(x.committee.people[:6]):
        ballots.cast(user=voter(p), vote_id=tie_vote.pk, marks={"chosen": [a if i % 2 else b]})
    services.close_vote(actor=staff, vote_id=tie_vote.pk)

    # The list, filtered, and the schedule form's errors.
    ctx, page, problems = open_as(browser, live_server, "staff")
    page.goto(live_server.url + "/meetings/")
    page.get_by_label("会议类型").select_option(label="常委会会议")
    page.get_by_label("会议名称").fill("第五次")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_test_id("meetings")).to_contain_text(x.session.title)
    expect(page.get_by_test_id("meetings")).not_to_contain_text(x.planned.title)
    axe_check(page)
    page.get_by_role("link", name="安排会议").click()
    page.get_by_role("button", name="安排会议").click()
    expect(page.get_by_text("请填写此项。").first).to_be_visible()
    screenshot(page, "meeting-schedule-errors")
    axe_check(page)
    # Filled in, with a quorum other than the kind's: two thirds or more of all members.
    soon = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    page.get_by_label("会议类型").select_option(label="常委会会议")
    page.get_by_label("会议名称").fill("太仓市第十七届人大常委会第十次会议")
    page.get_by_label("开始时间").fill(f"{soon}T09:00")
    page.get_by_label("法定人数").select_option(label="全体组成人员三分之二以上出席")
    page.get_by_role("button", name="安排会议").click()
    expect(page.get_by_role("status")).to_contain_text("已安排会议")
    expect(page.get_by_test_id("attendance")).to_contain_text("三分之二")

    # The tellers' totals: an inconsistent total is refused and nothing typed is lost.
    page.goto(live_server.url + f"/meetings/{x.session.pk}/")
    page.get_by_role("link", name="录入计票结果").click()
    page.get_by_label("发出选票").fill("30")
    page.get_by_label("收回选票").fill("31")
    page.get_by_label("无效票").fill("0")
    key = x.vote_paper.options.get().pk
    for label, n in (("赞成", "22"), ("反对", "5"), ("弃权", "4")):
        page.get_by_label(f"{x.vote_paper.title} {label}").fill(n)
    page.get_by_role("button", name="保存计票结果").click()
    expect(page.get_by_role("alert")).to_contain_text("请填写 0 到 30 之间的整数")
    expect(page.get_by_label("发出选票")).to_have_value("30")
    expect(page.locator(f'[name="n_{key}_yes"]')).to_have_value("22")
    axe_check(page)
    page.get_by_label("发出选票").fill("33")
    page.get_by_role("button", name="保存计票结果").click()
    expect(page.get_by_role("status")).to_contain_text("计票结果已录入")
    close_checked(ctx, problems)

    # The chair: close the paper vote, decide the tie with a reason, publish both.
    ctx, page, problems = open_as(browser, live_server, "director")
    page.goto(live_server.url + f"/meetings/{x.session.pk}/chair/")
    page.get_by_test_id(f"chair-vote-{x.vote_paper.pk}").get_by_role("button", name="结束表决").click()
    page.get_by_test_id(f"chair-vote-{x.vote_paper.pk}").get_by_role("button", name="公布结果").click()
    expect(page.get_by_test_id(f"chair-vote-{x.vote_paper.pk}")).to_contain_text(
        "应到 35 人，出席 20 人，赞成 22 票，反对 5 票，弃权 4 票，超过全体组成人员 35 人的半数，通过")
    page.get_by_test_id(f"chair-vote-{tie_vote.pk}").get_by_role("link", name="处理末位并列").click()
    page.get_by_label("老旧小区改造（3 票）").check()
    page.get_by_label("决定的理由").fill("受益群众更多")
    axe_check(page)
    page.get_by_role("button", name="记录决定").click()
    expect(page.get_by_role("status")).to_contain_text("已记录主持人的决定")
    page.goto(live_server.url + f"/meetings/{x.session.pk}/chair/")
    page.get_by_test_id(f"chair-vote-{tie_vote.pk}").get_by_role("button", name="公布结果").click()
    expect(page.get_by_test_id(f"chair-vote-{tie_vote.pk}")).to_contain_text(
        "主持人决定：老旧小区改造 当选（受益群众更多）")
    screenshot(page, "meeting-chair-tie-decided")
    close_checked(ctx, problems)

    # The minutes and decisions.
    ctx, page, problems = open_as(browser, live_server, "staff")
    page.goto(live_server.url + f"/meetings/{x.session.pk}/minutes/")
    page.get_by_label("会议纪要").fill("会议审议通过了2022年市级财政决算。")
    page.get_by_label("会议决定：人事任免事项").fill("通过表决办法。")
    axe_check(page)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("会议纪要已保存")
    expect(page.locator("#minutes")).to_contain_text("会议审议通过了2022年市级财政决算。")
    expect(page.get_by_test_id("agenda")).to_contain_text("会议决定：通过表决办法。")
    close_checked(ctx, problems)

    # A member asks for leave from the next session on a phone.
    services.notify(actor=staff, meeting_id=x.planned.pk)
    ctx, page, problems = open_as(browser, live_server, "deputy", phone=True)
    page.goto(live_server.url + f"/meetings/{x.planned.pk}/")
    page.get_by_label("请假", exact=True).check()
    page.get_by_role("button", name="提交回复").click()
    expect(page.get_by_text("请假须填写理由（不超过500字）。")).to_be_visible()
    page.get_by_label("请假理由").fill("赴省参加培训")
    page.get_by_role("button", name="提交回复").click()
    expect(page.get_by_role("status")).to_contain_text("已回复")
    expect(page.locator("#reply")).to_contain_text("请假：赴省参加培训")
    screenshot(page, "meeting-leave-phone")
    axe_check(page)
    close_checked(ctx, problems)
