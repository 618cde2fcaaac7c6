"""The meeting and ballot pages the other walks leave out, in Chromium, each by the person who uses it:

staff upload a meeting document (a fake PDF refused first, the title kept) and publish the documents
in one step, and a member downloads it on a phone; staff check a member in (代签到), add an observer
(旁听) and an attendee (列席), who are counted apart from the members; staff cancel a notified
meeting with a reason and the members see it cancelled; a member's calendar page (the feed URL, its
copy button, the feed itself, a new URL); a secret score ballot on a phone (full marks and identical
scores refused with the typed values kept, then a valid paper); a 票决 on a phone (too many choices
refused, then accepted); a tie at the cut line settled by a runoff the chair starts from the page;
the tellers' score papers entered one by one (a guard-breaking paper counted invalid, an incomplete
one refused) and the published totals. Each page checked with axe.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.helpers import axe_check, close_checked, open_as, screenshot
from renda.ballots import services as ballots
from renda.ballots.models import Ballot, Roll, Vote
from renda.ballots.world import act, voter
from renda.core.notify.models import Message
from renda.deputies.models import Deputy, Person
from renda.meetings import services
from renda.meetings.models import Document, Meeting, Participant
from renda.meetings.world import mw, session
from renda.testing import build_world, ensure_seeded

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SCORE_CONFIG = {
    "dimensions": [{"name": "履职实绩", "weight": 2, "max_score": 100},
                   {"name": "群众评价", "weight": 1, "max_score": 100}],
    "trim": 0,
    "grades": [{"min_score": 85, "label": "满意"}, {"min_score": 60, "label": "基本满意"},
               {"min_score": 0, "label": "不满意"}],
}


def _session_vote(**config):
    """mw's session of today (the deputy user a checked-in member, the director its chair) with one
    more vote on its second item, opened: (world, mw, staff, vote)."""
    ensure_seeded()
    w = build_world()
    x = mw(w)
    staff = act(w, "staff")
    vote = services.add_vote(actor=staff, item_id=x.item_done.pk, **config)
    return w, x, staff, services.open_vote(actor=staff, vote_id=vote.pk)


def _attendance(page, label: str):
    """The number beside `label` in the meeting page's attendance card."""
    return page.get_by_test_id("attendance").locator(f"dt:text-is('{label}') + dd")


def _fill_scores(page, papers: dict[str, list]) -> None:
    """Type one paper of SCORE_CONFIG: {target: [履职实绩, 群众评价]} ("" leaves a box empty)."""
    for target, (merit, opinion) in papers.items():
        group = page.get_by_role("group", name=target)
        group.get_by_label("履职实绩（0–100）").fill(str(merit))
        group.get_by_label("群众评价（0–100）").fill(str(opinion))


def test_staff_upload_and_publish_a_document_and_a_member_downloads_it(browser, live_server):
    ensure_seeded()
    w = build_world()
    x = mw(w)
    url = live_server.url + f"/meetings/{x.session.pk}/"

    # Staff upload: a text file named .pdf is refused and the title typed is kept; then the real PDF.
    ctx, page, problems = open_as(browser, live_server, "staff")
    page.goto(url)
    page.locator("summary", has_text="上传材料").click()
    page.get_by_label("材料名称").fill("关于2022年市级财政决算的审议意见")
    page.get_by_label("所属议题").select_option(label=f"1. {x.item_open.title}")
    page.get_by_label("文件（PDF、Word、Excel 或图片）").set_input_files(
        {"name": "审议意见.pdf", "mimeType": "application/pdf", "buffer": "这不是PDF，是一段文字。".encode()})
    page.get_by_role("button", name="上传", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("请按提示修改后再提交。")
    expect(page.locator("#documents").get_by_role("alert")).to_contain_text(
        "文件“审议意见.pdf”的内容是纯文本（如 CSV），不是PDF 文档，已拒绝。")
    expect(page.get_by_label("材料名称")).to_have_value("关于2022年市级财政决算的审议意见")
    expect(page.get_by_label("所属议题")).to_have_value(str(x.item_open.pk))
    assert not Document.objects.filter(title="关于2022年市级财政决算的审议意见").exists()
    axe_check(page)
    page.get_by_label("文件（PDF、Word、Excel 或图片）").set_input_files(
        {"name": "审议意见.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.get_by_role("button", name="上传", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("已上传会议材料（尚未发布）。")
    doc = Document.objects.get(title="关于2022年市级财政决算的审议意见")
    assert doc.item_id == x.item_open.pk and doc.published_at is None
    expect(page.get_by_test_id("documents").get_by_role("listitem").filter(has_text=doc.title)).to_contain_text("未发布")

    # Before publication a member cannot fetch it.
    mctx, phone, mproblems = open_as(browser, live_server, "deputy", phone=True)
    assert phone.request.get(live_server.url + f"/files/{doc.attachment_id}/").status == 404

    # One step publishes both unpublished documents (this one and the session's draft).
    page.get_by_role("button", name="发布 2 份材料给参会人员").click()
    expect(page.get_by_role("status")).to_contain_text("会议材料已发布给参会人员。")
    expect(page.get_by_test_id("documents")).not_to_contain_text("未发布")
    expect(page.get_by_role("button", name="发布 2 份材料给参会人员")).to_have_count(0)
    assert not Document.objects.filter(meeting=x.session, published_at__isnull=True).exists()
    assert Message.objects.filter(recipient=w.users["deputy"], subject=f"会议材料已发布：{x.session.title}").exists()
    screenshot(page, "meeting-documents-staff")
    axe_check(page)
    close_checked(ctx, problems)

    # The member finds it on the phone, under its agenda item and in the list, and downloads it.
    phone.goto(url)
    expect(phone.get_by_test_id("agenda").get_by_role("link", name=doc.title)).to_be_visible()
    link = phone.get_by_test_id("documents").get_by_role("link", name=doc.title)
    response = phone.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert "attachment" in response.headers["content-disposition"]
    with phone.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "审议意见.pdf"
    with open(download.value.path(), "rb") as fh:
        assert fh.read() == PDF
    screenshot(phone, "meeting-documents-phone")
    axe_check(phone)
    close_checked(mctx, mproblems)


def test_staff_check_a_member_in_and_add_an_observer_and_an_attendee(browser, live_server):
    ensure_seeded()
    w = build_world()
    x = mw(w)
    member = x.committee.people[20]  # not checked in yet
    judge = Person.objects.create(name="钱法官")
    Deputy.objects.create(congress=w.city, term=w.city_term, person=judge, district=w.city_district)

    ctx, page, problems = open_as(browser, live_server, "staff")
    page.goto(live_server.url + f"/meetings/{x.session.pk}/")
    expect(_attendance(page, "已签到")).to_have_text("20")
    people = page.get_by_test_id("participants")

    # 代签到: the member is present, and present in the vote open now.
    page.get_by_role("button", name=f"代签到：{member.name}").click()
    expect(page.get_by_role("status")).to_contain_text("已代为签到。")
    expect(people.get_by_role("row").filter(has_text=member.name)).to_contain_text("工作人员代签到")
    expect(page.get_by_role("button", name=f"代签到：{member.name}")).to_have_count(0)
    expect(_attendance(page, "已签到")).to_have_text("21")
    seat = Participant.objects.get(meeting=x.session, person=member)
    assert seat.checked_in_by == "staff" and seat.reply == "attending"
    assert Roll.objects.get(vote=x.vote_open, person=member).present

    # An observer (旁听) and an attendee (列席) through the participants form.
    for person, role, title in ((w.person2, "旁听", "太仓市第一人民医院医生"), (judge, "列席", "市人民法院院长")):
        page.locator("summary", has_text="添加或调整参会人员（列席、旁听）").click()
        page.get_by_label("人员", exact=True).select_option(label=person.name)
        page.get_by_label("身份", exact=True).select_option(label=role)
        page.get_by_label("职务", exact=True).fill(title)
        page.get_by_role("button", name="保存", exact=True).click()
        expect(page.get_by_role("status")).to_contain_text("已更新参会人员。")
        row = people.get_by_role("row").filter(has_text=person.name)
        expect(row).to_contain_text(role)
        expect(row).to_contain_text(title)
    assert Participant.objects.get(meeting=x.session, person=w.person2).role == "observer"
    assert Participant.objects.get(meeting=x.session, person=judge).role == "attendee"
    # Listed after the 35 members: the attendee, then the observer.
    roles = people.locator("tbody tr td:nth-child(2) > span").all_inner_texts()
    assert roles == ["组成人员"] * 35 + ["列席", "旁听"], roles

    # The observer checks in too: counted apart, the members' count and the quorum unchanged.
    page.get_by_role("button", name=f"代签到：{w.person2.name}").click()
    expect(page.get_by_role("status")).to_contain_text("已代为签到。")
    expect(_attendance(page, "组成人员")).to_have_text("35")
    expect(_attendance(page, "已签到")).to_have_text("21")
    expect(_attendance(page, "列席、旁听已签到")).to_have_text("1")
    expect(page.get_by_test_id("attendance")).to_contain_text("出席 21 人，超过全体组成人员 35 人的半数，符合法定人数")
    assert Participant.objects.filter(meeting=x.session, role="member").count() == 35
    screenshot(page, "meeting-participants-staff")
    axe_check(page)
    close_checked(ctx, problems)


def test_staff_cancel_a_notified_meeting_with_a_reason(browser, live_server):
    ensure_seeded()
    w = build_world()
    x = mw(w)
    staff = act(w, "staff")
    services.notify(actor=staff, meeting_id=x.planned.pk)
    url = live_server.url + f"/meetings/{x.planned.pk}/"

    ctx, page, problems = open_as(browser, live_server, "staff")
    page.goto(url)
    page.locator("summary", has_text="取消会议").click()
    # Spaces only pass the browser's `required` check; the server refuses them.
    page.get_by_label("理由", exact=True).fill("   ")
    page.get_by_role("button", name="确认取消会议").click()
    expect(page.get_by_role("status")).to_contain_text("请按提示修改后再提交。")
    # The form comes back open with its error and the reason's box.
    expect(page.get_by_text("请填写理由。")).to_be_visible()
    x.planned.refresh_from_db()
    assert x.planned.status == Meeting.Status.NOTIFIED
    axe_check(page)
    page.get_by_label("理由", exact=True).fill("因议程调整，会议推迟，另行通知")
    page.get_by_role("button", name="确认取消会议").click()
    expect(page.get_by_role("status")).to_contain_text("会议已取消，已通知参会人员。")
    expect(page.locator("h1 + .badge")).to_have_text("已取消")
    expect(page.get_by_role("button", name="确认取消会议")).to_have_count(0)
    expect(page.locator("summary", has_text="上传材料")).to_have_count(0)
    expect(page.locator(".timeline")).to_contain_text("因议程调整，会议推迟，另行通知")
    expect(page.get_by_role("link", name="会议纪要与决定")).to_have_count(0)  # no minutes for a cancelled meeting
    x.planned.refresh_from_db()
    assert x.planned.status == Meeting.Status.CANCELLED
    screenshot(page, "meeting-cancelled-staff")
    axe_check(page)
    close_checked(ctx, problems)

    # A member is told why, sees the meeting cancelled, and no longer replies to it.
    told = Message.objects.get(recipient=w.users["deputy"], subject=f"会议取消：{x.planned.title}")
    assert told.body == "因议程调整，会议推迟，另行通知"
    ctx, page, problems = open_as(browser, live_server, "deputy", phone=True)
    page.goto(url)
    expect(page.locator("h1 + .badge")).to_have_text("已取消")
    expect(page.get_by_role("button", name="提交回复")).to_have_count(0)
    axe_check(page)
    close_checked(ctx, problems)


def test_a_member_subscribes_to_the_meeting_calendar(browser, live_server):
    ensure_seeded()
    w = build_world()
    staff = act(w, "staff")
    starts = timezone.localtime().replace(hour=14, minute=30, second=0, microsecond=0) + dt.timedelta(days=7)
    m = session(w, title="太仓市第十七届人大常委会第七次会议", starts_at=starts)
    services.add_item(actor=staff, meeting_id=m.pk, title="关于城市更新工作情况的报告",
                      presenter="市住房和城乡建设局局长")

    ctx, page, problems = open_as(browser, live_server, "deputy", phone=True)
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(live_server.url + "/meetings/")
    page.get_by_role("link", name="我的会议日历").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的会议日历")
    feed = page.get_by_label("个人订阅地址（请勿转发给他人）")
    feed_url = feed.input_value()
    assert feed_url.startswith(live_server.url + "/meetings/calendar/") and feed_url.endswith(".ics")
    expect(page.get_by_role("link", name="在日历应用中订阅")).to_have_attribute(
        "href", "webcal://" + feed_url.split("://", 1)[1])
    expect(page.get_by_test_id("upcoming").get_by_role("listitem").filter(has_text=m.title)).to_contain_text(
        f"{starts:%Y}年{starts.month}月{starts.day}日 14:30 · 市人大常委会会议室")

    screenshot(page, "meeting-calendar-phone")

    # The copy button puts the URL on the clipboard and says so, then turns back.
    page.get_by_role("button", name="复制", exact=True).click()
    expect(page.get_by_role("button", name="已复制", exact=True)).to_be_visible()
    expect(page.locator("[aria-live=polite]").filter(has_text="已复制")).to_have_count(1)  # what a screen reader hears
    assert page.evaluate("() => navigator.clipboard.readText()") == feed_url
    axe_check(page)
    expect(page.get_by_role("button", name="复制", exact=True)).to_be_visible()

    # A calendar app fetches the feed without signing in.
    anon = browser.new_context()
    fetched = anon.request.get(feed_url)
    assert fetched.status == 200
    assert fetched.headers["content-type"] == "text/calendar; charset=utf-8"
    body = fetched.text().replace("\r\n ", "")  # unfold (RFC 5545 3.1)
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert f"SUMMARY:{m.title}\r\n" in body
    assert "关于城市更新工作情况的报告（汇报人：市住房和城乡建设局局长）" in body

    # A new address: the old one stops working, the new one works.
    page.get_by_role("button", name="更换订阅地址").click()
    expect(page.get_by_role("status")).to_contain_text("订阅地址已更换，原地址已失效。")
    expect(feed).not_to_have_value(feed_url)
    assert anon.request.get(feed_url).status == 404
    assert anon.request.get(feed.input_value()).status == 200
    anon.close()
    axe_check(page)
    close_checked(ctx, problems)


def test_a_member_scores_on_a_phone_and_the_guards_refuse_a_bad_paper(browser, live_server):
    targets = ["市住房和城乡建设局", "市教育局", "市卫生健康委员会"]
    w, x, staff, vote = _session_vote(kind="score", secret=True, title="2024年度部门工作评议测评",
                                      options=[{"label": t} for t in targets], score_config=SCORE_CONFIG)

    ctx, page, problems = open_as(browser, live_server, "deputy", phone=True)
    page.goto(live_server.url + f"/meetings/{x.session.pk}/")
    page.get_by_test_id(f"vote-{vote.pk}").get_by_role("link", name="投票").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(vote.title)
    axe_check(page)

    # Full marks everywhere: refused, everything typed still there.
    _fill_scores(page, {t: [100, 100] for t in targets})
    page.get_by_role("button", name="提交选票").click()
    expect(page.get_by_role("alert")).to_have_text("所有维度均为满分的测评票无效，请如实评分。")
    for t in targets:
        expect(page.get_by_role("group", name=t).get_by_label("履职实绩（0–100）")).to_have_value("100")
        expect(page.get_by_role("group", name=t).get_by_label("群众评价（0–100）")).to_have_value("100")
    screenshot(page, "ballot-score-refused-phone")
    axe_check(page)

    # The same score for every target: refused too.
    _fill_scores(page, {t: [90, 80] for t in targets})
    page.get_by_role("button", name="提交选票").click()
    expect(page.get_by_role("alert")).to_have_text("对每个测评对象打出相同分数的测评票无效，请如实评分。")
    expect(page.get_by_role("group", name=targets[2]).get_by_label("群众评价（0–100）")).to_have_value("80")
    assert not Ballot.objects.filter(vote=vote).exists()
    assert not Roll.objects.get(vote=vote, person=w.person).voted

    # An honest paper is accepted, once, and kept without the voter.
    _fill_scores(page, {targets[0]: [95, 90], targets[1]: [85, 80], targets[2]: [70, 75]})
    page.get_by_role("button", name="提交选票").click()
    expect(page.get_by_role("status").filter(has_text="投票成功")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="您已投票")).to_contain_text("本次表决不记名")
    expect(page.get_by_role("button", name="提交选票")).to_have_count(0)
    paper = Ballot.objects.get(vote=vote)
    ids = list(vote.options.order_by("position").values_list("pk", flat=True))
    assert paper.voter_id is None
    assert paper.marks == {str(ids[0]): [95, 90], str(ids[1]): [85, 80], str(ids[2]): [70, 75]}
    assert Roll.objects.get(vote=vote, person=w.person).voted
    axe_check(page)
    close_checked(ctx, problems)


def test_a_member_chooses_at_most_k_projects_on_a_phone(browser, live_server):
    projects = ["老旧小区改造", "农贸市场提升", "城区道路微循环", "社区养老服务中心"]
    w, x, staff, vote = _session_vote(kind="choice", title="2025年民生实事项目票决", max_choices=2,
                                      options=[{"label": p} for p in projects])

    ctx, page, problems = open_as(browser, live_server, "deputy", phone=True)
    page.goto(live_server.url + f"/meetings/{x.session.pk}/")
    page.get_by_test_id(f"vote-{vote.pk}").get_by_role("link", name="投票").click()
    expect(page.get_by_role("group", name="最多选 2 项")).to_be_visible()
    for p in projects[:3]:
        page.get_by_label(p).check()
    page.get_by_role("button", name="提交选票").click()
    expect(page.get_by_role("alert")).to_have_text("最多只能选 2 项。")
    for p in projects[:3]:
        expect(page.get_by_label(p)).to_be_checked()
    expect(page.get_by_label(projects[3])).not_to_be_checked()
    assert not Ballot.objects.filter(vote=vote).exists()
    screenshot(page, "ballot-choice-refused-phone")
    axe_check(page)

    page.get_by_label(projects[1]).uncheck()
    page.get_by_role("button", name="提交选票").click()
    expect(page.get_by_role("status").filter(has_text="投票成功")).to_be_visible()
    expect(page.get_by_role("button", name="提交选票")).to_have_count(0)
    ids = dict(vote.options.values_list("label", "pk"))
    assert Ballot.objects.get(vote=vote).marks == {"chosen": sorted([ids[projects[0]], ids[projects[2]]])}
    axe_check(page)
    close_checked(ctx, problems)


def test_the_chair_starts_a_runoff_for_a_tie_at_the_cut_line(browser, live_server):
    projects = ["娄江新城污水处理厂", "沿江公路改建", "市体育中心"]
    w, x, staff, vote = _session_vote(kind="choice", title="2025年市级重点工程票决", max_choices=1,
                                      tie_rule="runoff", options=[{"label": p} for p in projects])
    a, b, c = vote.options.order_by("position").values_list("pk", flat=True)
    for i, p in enumerate(x.committee.people[2:9]):
        ballots.cast(user=voter(p), vote_id=vote.pk, marks={"chosen": [[a, b][i % 2] if i < 6 else c]})
    services.close_vote(actor=staff, vote_id=vote.pk)

    ctx, page, problems = open_as(browser, live_server, "director")
    page.goto(live_server.url + f"/meetings/{x.session.pk}/")
    page.get_by_test_id(f"vote-{vote.pk}").get_by_role("link", name="处理末位并列").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"末位得票并列：{vote.title}")
    expect(page.get_by_text("以下得票相同者争夺剩余 1 个名额：")).to_be_visible()
    expect(page.get_by_role("main").get_by_role("listitem")).to_have_text([f"{p}（3 票）" for p in projects[:2]])
    screenshot(page, "ballot-runoff-tie")
    axe_check(page)
    page.get_by_role("button", name="对并列者再次投票").click()
    expect(page.get_by_role("status")).to_contain_text("已建立对并列者的再次投票，请在议程中开始表决。")

    # The runoff sits on the same agenda item, in draft, among the two tied projects only.
    runoff = Vote.objects.get(runoff_of=vote)
    assert list(runoff.options.order_by("position").values_list("label", flat=True)) == projects[:2]
    assert runoff.max_choices == 1 and runoff.agenda_items.get() == x.item_done
    block = page.get_by_test_id(f"vote-{runoff.pk}")
    expect(block).to_contain_text("2025年市级重点工程票决（并列者再次投票）")
    expect(block).to_contain_text("待表决")
    expect(page.get_by_test_id(f"vote-{vote.pk}").get_by_role("link", name="处理末位并列")).to_have_count(0)
    block.get_by_role("button", name="开始表决").click()
    expect(page.get_by_role("status")).to_contain_text("表决已开始。")
    expect(page.get_by_test_id(f"vote-{runoff.pk}")).to_contain_text("表决中")
    screenshot(page, "meeting-runoff-agenda")
    axe_check(page)
    close_checked(ctx, problems)

    # A member votes in the runoff on a phone.
    ctx, page, problems = open_as(browser, live_server, "deputy", phone=True)
    page.goto(live_server.url + f"/meetings/{x.session.pk}/")
    page.get_by_test_id(f"vote-{runoff.pk}").get_by_role("link", name="投票").click()
    expect(page.get_by_role("checkbox")).to_have_count(2)
    expect(page.get_by_label(projects[2])).to_have_count(0)
    page.get_by_label(projects[1]).check()
    page.get_by_role("button", name="提交选票").click()
    expect(page.get_by_role("status").filter(has_text="投票成功")).to_be_visible()
    assert Ballot.objects.filter(vote=runoff).count() == 1
    axe_check(page)
    close_checked(ctx, problems)


def test_tellers_enter_score_papers_one_by_one_and_the_totals_are_published(browser, live_server):
    targets = ["市住房和城乡建设局", "市教育局"]
    w, x, staff, vote = _session_vote(kind="score", method="paper", title="2024年度部门工作评议测评（纸质票）",
                                      options=[{"label": t} for t in targets], score_config=SCORE_CONFIG)

    ctx, page, problems = open_as(browser, live_server, "staff")
    page.goto(live_server.url + f"/meetings/{x.session.pk}/")
    page.get_by_test_id(f"vote-{vote.pk}").get_by_role("link", name="录入计票结果").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"录入计票结果：{vote.title}")
    expect(page.get_by_test_id("paper-form")).to_contain_text("已录入 0 张测评票。")
    axe_check(page)

    # A paper with full marks everywhere breaks a guard: entered, and counted invalid at closing.
    page.get_by_label("发出选票（张）").fill("3")
    _fill_scores(page, {t: [100, 100] for t in targets})
    page.get_by_role("button", name="录入这张票").click()
    expect(page.get_by_role("status")).to_contain_text("已录入一张测评票。")
    expect(page.get_by_test_id("paper-form")).to_contain_text("已录入 1 张测评票。")
    expect(page.get_by_label("发出选票（张）")).to_have_value("3")

    # A paper with a box left empty is refused and what was typed stays.
    _fill_scores(page, {targets[0]: [90, 80], targets[1]: [70, ""]})
    page.get_by_role("button", name="录入这张票").click()
    expect(page.get_by_role("alert")).to_contain_text("每个维度的分数须为 0 到满分之间的整数。")
    expect(page.get_by_role("group", name=targets[0]).get_by_label("履职实绩（0–100）")).to_have_value("90")
    expect(page.get_by_role("group", name=targets[1]).get_by_label("履职实绩（0–100）")).to_have_value("70")
    expect(page.get_by_test_id("paper-form")).to_contain_text("已录入 1 张测评票。")
    assert Ballot.objects.filter(vote=vote).count() == 1
    screenshot(page, "ballot-paper-score-refused")
    axe_check(page)
    page.get_by_role("group", name=targets[1]).get_by_label("群众评价（0–100）").fill("60")
    page.get_by_role("button", name="录入这张票").click()
    expect(page.get_by_role("status")).to_contain_text("已录入一张测评票。")
    expect(page.get_by_test_id("paper-form")).to_contain_text("已录入 2 张测评票。")
    assert Ballot.objects.filter(vote=vote).count() == 2

    # Close and publish from the meeting page: two papers, one valid.
    page.goto(live_server.url + f"/meetings/{x.session.pk}/")
    block = page.get_by_test_id(f"vote-{vote.pk}")
    block.get_by_role("button", name="结束表决").click()
    expect(page.get_by_role("status")).to_contain_text("表决已结束，结果待公布。")
    page.get_by_test_id(f"vote-{vote.pk}").get_by_role("button", name="公布结果").click()
    expect(page.get_by_role("status")).to_contain_text("表决结果已公布。")
    expect(page.get_by_test_id(f"vote-{vote.pk}").get_by_test_id("result")).to_have_text(
        "收回测评票 2 张，有效 1 张，无效 1 张；各维度加权后取平均")
    vote.refresh_from_db()
    assert vote.result["invalid"] == {"all_full": 1}
    # Each target's score and grade under the explanation: (90×2 + 80) / 3 = 86.67, (70×2 + 60) / 3 = 66.67.
    scores = page.get_by_test_id(f"vote-{vote.pk}").get_by_role("listitem")
    expect(scores).to_have_text(["市住房和城乡建设局：86.67 分 满意", "市教育局：66.67 分 基本满意"])
    page.get_by_test_id(f"vote-{vote.pk}").scroll_into_view_if_needed()
    screenshot(page, "meeting-score-result-staff")
    # The vote's own page says the same, and leads back to the agenda; staff are not told they are off the roll.
    page.goto(live_server.url + f"/ballots/{vote.pk}/")
    scores = page.get_by_role("region", name="表决结果").get_by_role("listitem")
    expect(scores).to_have_text(["市住房和城乡建设局：86.67 分 满意", "市教育局：66.67 分 基本满意"])
    expect(page.get_by_text("您不在本次表决的名单中。")).to_have_count(0)
    expect(page.get_by_role("link", name="返回会议议程")).to_be_visible()
    screenshot(page, "ballot-paper-score-result")
    axe_check(page)
    close_checked(ctx, problems)
