"""A standing-committee session in the browser, every step by the person who owns it:

staff schedule the session, add an agenda item with a secret appointment vote, send the notice and
open the meeting; members check in on their phones by the hall's QR link until the quorum is met;
the chair opens the vote from the chair's screen; members vote on their phones (a second attempt
is refused); the chair closes and publishes; the meeting page and its minutes show the explained
result.
"""

import re

import pytest
from playwright.sync_api import expect

from e2e.helpers import axe_check, close_checked, open_as, screenshot
from renda.ballots.models import Ballot
from renda.meetings.models import Meeting
from renda.meetings.world import committee
from renda.testing import build_world, ensure_seeded, make_user

pytestmark = pytest.mark.e2e


def test_a_session_checks_in_votes_secretly_and_explains_the_result(browser, live_server):
    ensure_seeded()
    w = build_world()
    c = committee(w, n=7)  # quorum: more than half of 7, so 4 present
    members = []
    for i, person in enumerate(c.people[2:7]):
        user = make_user(f"member{i}")
        user.person = person
        user.save(update_fields=["person"])
        members.append(user.username)

    # 1. Staff schedule the session for today, add the agenda item and its vote, notify, open it.
    ctx, page, problems = open_as(browser, live_server, "staff")
    page.goto(live_server.url + "/meetings/new/")
    page.get_by_label("会议类型").select_option(label="常委会会议")
    page.get_by_label("会议名称").fill("太仓市第十七届人大常委会第九次会议")
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    page.get_by_label("开始时间").fill(f"{today}T09:00")
    page.get_by_label("地点").fill("市人大常委会会议室")
    page.get_by_label("主持人").select_option(label=c.director.name)
    page.get_by_role("button", name="安排会议").click()
    expect(page.get_by_role("status")).to_contain_text("已安排会议")
    meeting = Meeting.objects.get(title="太仓市第十七届人大常委会第九次会议")
    expect(page.get_by_test_id("shortfall")).to_contain_text("少于常委会会议规定的提前 10 天通知")
    page.locator("summary", has_text="添加议题").click()
    page.get_by_label("议题").first.fill("人事任免事项")
    page.get_by_label("汇报人").fill("市中级人民法院院长")
    page.get_by_role("button", name="添加", exact=True).click()
    expect(page.get_by_test_id("agenda")).to_contain_text("人事任免事项")
    page.locator("summary", has_text="添加表决事项").click()
    page.get_by_label("表决类型").select_option(label="任免表决")
    page.get_by_label("表决事项").fill("任命审判员")
    page.get_by_label("表决对象（每行一个）").fill("任命王建国为市人民法院审判员")
    page.get_by_role("button", name="添加表决").click()
    expect(page.get_by_test_id("agenda")).to_contain_text("任命审判员")
    page.get_by_label("通知时间不足的理由").fill("审议紧急人事任免")
    page.get_by_role("button", name="发出会议通知").click()
    expect(page.get_by_role("status")).to_contain_text("会议通知已发出")
    page.get_by_role("button", name="宣布开会").click()
    expect(page.get_by_role("status")).to_contain_text("已宣布开会")
    screenshot(page, "meeting-staff-desktop")
    axe_check(page)
    close_checked(ctx, problems)

    # 2. The chair's screen shows the QR link and the attendance.
    chair_ctx, chair, chair_problems = open_as(browser, live_server, "director")
    chair.goto(live_server.url + f"/meetings/{meeting.pk}/chair/")
    expect(chair.get_by_test_id("chair-attendance")).to_contain_text("0 / 7")
    checkin_url = chair.locator("#qr-title ~ p").inner_text().strip()
    assert checkin_url.endswith(f"/meetings/{meeting.pk}/check-in/{meeting.checkin_token}/")
    axe_check(chair)

    # 3. Members check in on their phones until the quorum is met.
    phones = []
    for n, username in enumerate(members):
        mctx, mpage, mproblems = open_as(browser, live_server, username, phone=True)
        mpage.goto(checkin_url)
        if n == 0:
            screenshot(mpage, "meeting-checkin-phone")
            axe_check(mpage)
        mpage.get_by_role("button", name="确认签到").click()
        expect(mpage.get_by_role("status")).to_contain_text("签到成功")
        phones.append((mctx, mpage, mproblems))
        if n == 2:  # three of seven: no quorum yet; the screen refreshes itself
            expect(chair.get_by_test_id("chair-attendance")).to_contain_text("未达到法定人数")
    expect(chair.get_by_test_id("chair-attendance")).to_contain_text("5 / 7", timeout=8000)
    expect(chair.get_by_test_id("chair-attendance")).to_contain_text(
        "出席 5 人，超过全体组成人员 7 人的半数，符合法定人数")

    # 4. The chair opens the secret appointment vote.
    chair.get_by_role("button", name="开始表决").click()
    expect(chair.get_by_role("button", name="结束表决")).to_be_visible()
    screenshot(chair, "meeting-chair-screen")

    # 5. Members vote on their phones: four yes, one abstains; a second attempt is refused.
    for n, (_ctx, mpage, _p) in enumerate(phones):
        mpage.goto(live_server.url + f"/meetings/{meeting.pk}/")
        mpage.get_by_role("link", name="投票").click()
        choice = "弃权" if n == 4 else "赞成"
        mpage.get_by_text(choice, exact=True).click()
        if n == 0:
            screenshot(mpage, "meeting-ballot-phone")
            axe_check(mpage)
        mpage.get_by_role("button", name="提交选票").click()
        expect(mpage.get_by_role("status").filter(has_text="投票成功")).to_be_visible()
        expect(mpage.get_by_role("status").filter(has_text="您已投票")).to_contain_text("本次表决不记名")
    first = phones[0][1]
    expect(first.get_by_role("button", name="提交选票")).to_have_count(0)
    first.goto(first.url)
    expect(first.get_by_text("您已投票。")).to_be_visible()
    assert Ballot.objects.filter(vote__agenda_items__meeting=meeting).count() == 5
    assert set(Ballot.objects.filter(vote__agenda_items__meeting=meeting).values_list("voter", flat=True)) == {None}
    expect(chair.get_by_test_id(re.compile(r"chair-vote-\d+"))).to_contain_text("已投票 5 人")

    # 6. The chair closes and publishes; the result explains itself.
    chair.get_by_role("button", name="结束表决").click()
    expect(chair.get_by_role("button", name="公布结果")).to_be_visible()
    chair.get_by_role("button", name="公布结果").click()
    explained = ("任命王建国为市人民法院审判员：应到 7 人，出席 5 人，赞成 4 票，反对 0 票，弃权 1 票，"
                 "超过全体组成人员 7 人的半数，通过")
    expect(chair.get_by_test_id("chair-result")).to_have_text(explained)
    screenshot(chair, "meeting-chair-result")
    close_checked(chair_ctx, chair_problems)

    # 7. The members' meeting page shows the explained result.
    mctx, mpage, mproblems = phones[1]
    mpage.goto(live_server.url + f"/meetings/{meeting.pk}/")
    expect(mpage.get_by_test_id("result")).to_have_text(explained)
    screenshot(mpage, "meeting-result-phone")
    axe_check(mpage)
    for mctx, _page, mproblems in phones:
        close_checked(mctx, mproblems)
