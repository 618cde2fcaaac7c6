"""The meeting pages for each role: what they show, what their forms do, and bounded queries."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from renda.ballots.models import Ballot, Roll
from renda.meetings.models import Meeting, Participant
from renda.meetings.world import mw

pytestmark = pytest.mark.django_db


def login(world, role):
    c = Client()
    c.force_login(world.users[role], backend="django.contrib.auth.backends.ModelBackend")
    return c


def test_the_office_schedules_a_session_from_the_form(world):
    mw(world)
    c = login(world, "staff")
    r = c.get("/meetings/new/")
    assert r.status_code == 200 and "安排会议" in r.content.decode()
    r = c.post("/meetings/new/", {"kind": "standing", "title": "", "starts_at": "2026-13-01T09:00"})
    body = r.content.decode()
    assert r.status_code == 200 and "请填写此项。" in body and "请填写有效的日期和时间。" in body
    soon = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    r = c.post("/meetings/new/", {"kind": "standing", "title": "第八次会议", "starts_at": f"{soon}T09:00",
                                  "location": "第一会议室"})
    m = Meeting.objects.get(title="第八次会议")
    assert r.status_code == 302 and r["Location"] == f"/meetings/{m.pk}/"
    assert m.participants.count() == 35
    page = c.get(f"/meetings/{m.pk}/").content.decode()
    assert "发出会议通知" in page and "距开会仅 5 天，少于常委会会议规定的提前 10 天通知" in page
    r = c.post(f"/meetings/{m.pk}/notify/", {"notify-short_notice_reason": ""})
    assert r.status_code == 200 and "请说明理由" in r.content.decode()
    r = c.post(f"/meetings/{m.pk}/notify/", {"notify-short_notice_reason": "年底集中审议"})
    assert r.status_code == 302
    m.refresh_from_db()
    assert m.status == "notified" and m.notice_note == "年底集中审议"


def test_the_schedule_form_takes_a_quorum_other_than_the_kinds(world):
    mw(world)
    c = login(world, "staff")
    soon = (timezone.localdate() + dt.timedelta(days=15)).isoformat()
    data = {"kind": "standing", "title": "第九次会议（修改议事规则）", "starts_at": f"{soon}T09:00"}
    r = c.post("/meetings/new/", {**data, "quorum": "most"})
    assert r.status_code == 200 and "法定人数" in r.content.decode() and not Meeting.objects.filter(title=data["title"])
    assert 'value="第九次会议（修改议事规则）"' in r.content.decode()  # nothing typed is lost
    r = c.post("/meetings/new/", {**data, "quorum": "two_thirds"})
    m = Meeting.objects.get(title=data["title"])
    assert r.status_code == 302
    assert m.quorum == {"base": "seated", "num": 2, "den": 3, "inclusive": True}
    assert "三分之二" in c.get(f"/meetings/{m.pk}/").content.decode()
    r = c.post("/meetings/new/", {**data, "title": "第十次会议"})
    assert Meeting.objects.get(title="第十次会议").quorum == {"base": "seated", "num": 1, "den": 2, "inclusive": False}


def test_the_meeting_page_for_the_office(world, django_assert_max_num_queries):
    x = mw(world)
    c = login(world, "staff")
    with django_assert_max_num_queries(40):
        r = c.get(f"/meetings/{x.session.pk}/")
    body = r.content.decode()
    assert r.status_code == 200
    assert "关于批准2022年市级财政决算的决议（草案）" in body and "代签到" in body
    assert "出席 20 人，超过全体组成人员 35 人的半数，符合法定人数" in body
    assert x.vote_published.result["explanation"] in body
    assert "审议意见（草稿）" in body  # the office sees unpublished documents


def test_a_member_sees_published_documents_replies_and_votes(world):
    x = mw(world)
    c = login(world, "deputy")
    body = c.get(f"/meetings/{x.session.pk}/").content.decode()
    assert "财政决算报告" in body and "审议意见（草稿）" not in body
    assert "代签到" not in body and "添加议题" not in body
    assert f'href="/ballots/{x.vote_open.pk}/"' in body
    r = c.post(f"/meetings/{x.planned.pk}/reply/", {"reply-attending": "0", "reply-reason": ""})
    assert r.status_code == 404  # a meeting in preparation is the office's until the notice


def test_leave_needs_a_reason(world):
    x = mw(world)
    from renda.ballots.world import act
    from renda.meetings import services

    services.notify(actor=act(world, "staff"), meeting_id=x.planned.pk)
    c = login(world, "deputy")
    r = c.post(f"/meetings/{x.planned.pk}/reply/", {"reply-attending": "0", "reply-reason": ""})
    assert r.status_code == 200 and "请假须填写理由" in r.content.decode()
    r = c.post(f"/meetings/{x.planned.pk}/reply/", {"reply-attending": "0", "reply-reason": "出差"})
    assert r.status_code == 302
    assert Participant.objects.get(meeting=x.planned, person=world.person).leave_reason == "出差"


def test_a_member_votes_once_on_the_phone_page(world):
    x = mw(world)
    c = login(world, "deputy")
    page = c.get(f"/ballots/{x.vote_open.pk}/").content.decode()
    assert "提交选票" in page and "赞成" in page
    key = x.vote_open.options.get().pk
    r = c.post(f"/ballots/{x.vote_open.pk}/", {})
    assert r.status_code == 200 and "请对每一个表决对象作出选择" in r.content.decode()
    assert not Roll.objects.get(vote=x.vote_open, person=world.person).voted
    r = c.post(f"/ballots/{x.vote_open.pk}/", {f"opt_{key}": "yes"})
    assert r.status_code == 302
    page = c.get(f"/ballots/{x.vote_open.pk}/").content.decode()
    assert "您已投票" in page and "提交选票" not in page
    r = c.post(f"/ballots/{x.vote_open.pk}/", {f"opt_{key}": "no"}, follow=True)
    assert "您已投过票，不能重复投票。" in r.content.decode()
    assert Ballot.objects.filter(vote=x.vote_open).count() == 1


def test_self_check_in_by_qr_code(world):
    x = mw(world)
    c = login(world, "deputy")
    Participant.objects.filter(meeting=x.session, person=world.person).update(checked_in_at=None)
    page = c.get(f"/meetings/{x.session.pk}/check-in/{x.session.checkin_token}/").content.decode()
    assert "确认签到" in page
    bad = c.get(f"/meetings/{x.session.pk}/check-in/wrong/").content.decode()
    assert "签到二维码无效" in bad and "确认签到" not in bad
    r = c.post(f"/meetings/{x.session.pk}/check-in/{x.session.checkin_token}/")
    assert r.status_code == 302
    seat = Participant.objects.get(meeting=x.session, person=world.person)
    assert seat.checked_in_by == "self"


def test_the_chair_screen_shows_the_quorum_and_runs_votes(world):
    x = mw(world)
    c = login(world, "director")
    page = c.get(f"/meetings/{x.session.pk}/chair/").content.decode()
    assert "扫码签到" in page and "data:image/png;base64," in page
    assert "20 / 35" in page and "结束表决" in page
    r = c.post(f"/meetings/{x.session.pk}/votes/{x.vote_open.pk}/close/", {"next": "chair"})
    assert r.status_code == 302 and r["Location"] == f"/meetings/{x.session.pk}/chair/"
    status = c.get(f"/meetings/{x.session.pk}/chair/status/").content.decode()
    assert "公布结果" in status and "出席 20 人" in status
    c.post(f"/meetings/{x.session.pk}/votes/{x.vote_open.pk}/publish/", {"next": "chair"})
    status = c.get(f"/meetings/{x.session.pk}/chair/status/").content.decode()
    assert "未超过全体组成人员 35 人的半数，未通过" in status  # nobody voted yes


def test_the_office_adds_items_votes_documents_and_minutes(world):
    x = mw(world)
    c = login(world, "staff")
    m = x.planned
    r = c.post(f"/meetings/{m.pk}/items/", {"item-title": "听取和审议市政府关于老旧小区改造工作情况的报告",
                                            "item-presenter": "市住建局局长"})
    assert r.status_code == 302
    item = m.items.get()
    r = c.post(f"/meetings/{m.pk}/votes/", {"vote-item": item.pk, "vote-kind": "choice", "vote-secret": "1",
                                            "vote-method": "electronic", "vote-options": "项目一\n项目二\n项目三",
                                            "vote-max_choices": "5", "vote-tie_rule": "runoff"})
    assert r.status_code == 200 and "请填写 1 到 3 之间的整数" in r.content.decode()
    r = c.post(f"/meetings/{m.pk}/votes/", {"vote-item": item.pk, "vote-kind": "choice", "vote-secret": "1",
                                            "vote-method": "electronic", "vote-options": "项目一\n项目二\n项目三",
                                            "vote-max_choices": "2", "vote-tie_rule": "runoff"})
    assert r.status_code == 302 and item.votes.get().options.count() == 3
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = c.post(f"/meetings/{m.pk}/documents/", {"doc-title": "伪装的文件",
                                                "doc-file": SimpleUploadedFile("a.pdf", b"MZ\x90\x00not a pdf")})
    assert r.status_code == 200 and m.documents.count() == 0
    r = c.post(f"/meetings/{m.pk}/minutes/", {"minutes": "会议听取了报告。", f"decision_{item.pk}": "同意报告。"})
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.decision == "同意报告。"


def test_outsiders_get_404(world):
    x = mw(world)
    for role in ("unit", "town_staff", "evaluatee"):
        assert login(world, role).get(f"/meetings/{x.session.pk}/").status_code == 404
        assert login(world, role).get(f"/ballots/{x.vote_open.pk}/").status_code == 404


def test_the_list_for_the_office_and_for_a_member(world):
    x = mw(world)
    body = login(world, "staff").get("/meetings/?kind=standing&q=第五次").content.decode()
    assert x.session.title in body and x.planned.title not in body
    body = login(world, "deputy").get("/meetings/").content.decode()
    assert "正在表决，请投票" in body and x.session.title in body


def test_paper_totals_are_entered_on_a_page_and_checked(world):
    from renda.ballots.world import act
    from renda.meetings import services

    x = mw(world)
    staff = act(world, "staff")
    vote = services.add_vote(actor=staff, item_id=x.item_done.pk, kind="motion", method="paper", title="纸质票表决")
    services.open_vote(actor=staff, vote_id=vote.pk)
    c = login(world, "staff")
    assert "录入计票结果" in c.get(f"/meetings/{x.session.pk}/").content.decode()
    key = vote.options.get().pk
    page = c.get(f"/ballots/{vote.pk}/paper/").content.decode()
    assert "保存计票结果" in page and "应到 35 人" in page
    bad = {"issued": "30", "returned": "31", "invalid": "0", f"n_{key}_yes": "20", f"n_{key}_no": "5",
           f"n_{key}_abstain": "5"}
    r = c.post(f"/ballots/{vote.pk}/paper/", bad)
    assert r.status_code == 200 and "请填写 0 到 30 之间的整数" in r.content.decode()
    good = dict(bad, issued="33", returned="31", invalid="1")
    r = c.post(f"/ballots/{vote.pk}/paper/", good)
    assert r.status_code == 302
    vote.refresh_from_db()
    assert vote.paper_counts["returned"] == 31 and vote.paper_counts["options"][str(key)]["yes"] == 20
    assert login(world, "deputy").get(f"/ballots/{vote.pk}/paper/").status_code == 403
    assert c.get(f"/ballots/{x.vote_open.pk}/paper/").status_code == 404  # an electronic vote


def test_the_chair_decides_a_tie_on_a_page(world):
    from renda.ballots import services as ballots
    from renda.ballots.world import act, voter
    from renda.meetings import services

    x = mw(world)
    staff = act(world, "staff")
    vote = services.add_vote(actor=staff, item_id=x.item_done.pk, kind="choice", title="票决", max_choices=1,
                             tie_rule="chair", options=[{"label": "甲"}, {"label": "乙"}])
    services.open_vote(actor=staff, vote_id=vote.pk)
    a, b = vote.options.order_by("position").values_list("pk", flat=True)
    for i, p in enumerate(x.committee.people[:4]):
        ballots.cast(user=voter(p), vote_id=vote.pk, marks={"chosen": [a if i % 2 else b]})
    services.close_vote(actor=staff, vote_id=vote.pk)
    c = login(world, "director")
    assert "处理末位并列" in c.get(f"/meetings/{x.session.pk}/chair/").content.decode()
    r = c.post(f"/ballots/{vote.pk}/tie/", {"chosen": [str(a)], "note": ""})
    assert r.status_code == 200 and "请填写决定的理由" in r.content.decode()
    r = c.post(f"/ballots/{vote.pk}/tie/", {"chosen": [str(a)], "note": "甲项目惠及人口更多"})
    assert r.status_code == 302
    vote.refresh_from_db()
    assert vote.tie_decision["chosen"] == [a] and vote.result["decided"]


def test_excel_exports_of_the_list_and_the_attendance_sheet(world):
    import io

    from openpyxl import load_workbook

    x = mw(world)
    c = login(world, "staff")
    r = c.get("/meetings/export/?kind=standing")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    titles = [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert x.session.title in titles and x.town_meeting.title not in titles
    r = c.get(f"/meetings/{x.session.pk}/attendance.xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert sum(1 for row in rows if row and row[5] is not None) == 20  # checked in
    assert any(row and row[0] == "出席 20 人，超过全体组成人员 35 人的半数，符合法定人数" for row in rows)


def test_text_is_escaped_everywhere(world):
    from renda.ballots.world import act
    from renda.meetings import services

    x = mw(world)
    services.add_item(actor=act(world, "staff"), meeting_id=x.session.pk, title="<script>alert(1)</script>议题",
                      presenter="<b>汇报人</b>")
    body = login(world, "staff").get(f"/meetings/{x.session.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;议题" in body
    assert "<b>汇报人</b>" not in body


@pytest.mark.parametrize("path", ["/meetings/{pk}/", "/meetings/{pk}/chair/status/", "/meetings/"])
def test_pages_read_a_bounded_number_of_queries(world, path):
    """More items, votes, documents and participants do not mean more queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from renda.ballots.world import act, make_people
    from renda.meetings import services

    x = mw(world)
    c = login(world, "staff")
    url = path.format(pk=x.session.pk)
    c.get(url)
    with CaptureQueriesContext(connection) as before:
        assert c.get(url).status_code == 200
    staff = act(world, "staff")
    for i in range(4):
        item = services.add_item(actor=staff, meeting_id=x.session.pk, title=f"议题{i}")
        v = services.add_vote(actor=staff, item_id=item.pk, kind="motion")
        services.open_vote(actor=staff, vote_id=v.pk)
    for p in make_people(30, prefix="列席"):
        services.set_participant(actor=staff, meeting_id=x.session.pk, person_id=p.pk, role="attendee")
    with CaptureQueriesContext(connection) as after:
        assert c.get(url).status_code == 200
    assert len(after) == len(before), [q["sql"][:120] for q in after.captured_queries]


def test_the_chair_screen_costs_the_same_for_one_tie_or_three(world):
    """Each closed 票决 tied at the cut line asks whether a runoff exists: from the agenda's
    prefetch, not one query per vote."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from renda.ballots import services as ballots
    from renda.ballots.world import act, voter
    from renda.meetings import services

    x = mw(world)
    staff = act(world, "staff")
    c = login(world, "director")

    def tied_vote(n):
        vote = services.add_vote(actor=staff, item_id=x.item_done.pk, kind="choice", title=f"票决{n}",
                                 max_choices=1, tie_rule="runoff", options=[{"label": "甲"}, {"label": "乙"}])
        services.open_vote(actor=staff, vote_id=vote.pk)
        a, b = vote.options.order_by("position").values_list("pk", flat=True)
        for i, p in enumerate(x.committee.people[2:6]):
            ballots.cast(user=voter(p), vote_id=vote.pk, marks={"chosen": [a if i % 2 else b]})
        services.close_vote(actor=staff, vote_id=vote.pk)

    tied_vote(1)
    c.get(f"/meetings/{x.session.pk}/chair/status/")  # warm caches (role, session)
    with CaptureQueriesContext(connection) as one:
        r = c.get(f"/meetings/{x.session.pk}/chair/status/")
    assert r.status_code == 200 and r.content.decode().count("处理末位并列") == 1
    tied_vote(2)
    tied_vote(3)
    with CaptureQueriesContext(connection) as three:
        r = c.get(f"/meetings/{x.session.pk}/chair/status/")
    assert r.content.decode().count("处理末位并列") == 3
    assert len(three.captured_queries) == len(one.captured_queries)
