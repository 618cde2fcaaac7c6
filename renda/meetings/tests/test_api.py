"""The meetings and votes API (renda/api/endpoints/meetings.py): a whole session through JSON, the paper
and tie steps, bad input, scope, secrecy and the number of queries."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from renda.ballots import services as ballots
from renda.ballots.models import Ballot, Vote
from renda.ballots.world import act, make_people, voter
from renda.meetings import services
from renda.meetings.models import Document, Meeting
from renda.meetings.world import committee, mw, session

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _no_throttles(settings):
    settings.RENDA_API_THROTTLE_RATES = {"anon": None, "auth": None}


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def error(r) -> str:
    return r.json()["error"]["code"]


def details(r) -> dict:
    return {d["loc"][-1]: d["type"] for d in r.json()["error"]["details"]}


def nine_today() -> str:
    return timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0).isoformat()


def test_a_session_from_scheduling_to_the_published_result(world, client_for):
    c = committee(world)
    staff, chair, deputy = client_for("staff"), client_for("director"), client_for("deputy")

    # The office schedules today's session with the director in the chair: the committee sit in it.
    r = post(staff, "/api/meetings", {"kind": "standing", "title": "太仓市第十七届人大常委会第七次会议",
                                      "starts_at": nine_today(), "location": "市人大常委会会议室",
                                      "chair_id": c.director.pk})
    assert r.status_code == 200, r.content
    m = r.json()
    mid = m["id"]
    assert (m["status"], m["attendance"]["members"], m["chair"]["name"]) == ("draft", 35, c.director.name)
    assert m["notice_warning"].startswith("距开会仅 0 天")
    assert {"notify", "items", "participants", "cancel"} <= set(m["actions"])

    # The agenda and its votes: a secret motion, a named appointment of one judge.
    post(staff, f"/api/meetings/{mid}/items",
         {"title": "关于批准2022年市级财政决算的决议（草案）", "presenter": "市财政局局长"})
    r = post(staff, f"/api/meetings/{mid}/items", {"title": "人事任免事项"})
    first, second = [i["id"] for i in r.json()["items"]]
    r = post(staff, f"/api/meeting-items/{first}/votes", {"kind": "motion", "secret": True})
    assert r.status_code == 200, r.content
    motion = r.json()
    assert (motion["status"], motion["title"], motion["rule"]["text"]) == (
        "draft", "关于批准2022年市级财政决算的决议（草案）", "全体组成人员的过半数")
    judge = make_people(1, prefix="法官")[0]
    r = post(staff, f"/api/meeting-items/{second}/votes", {
        "kind": "appointment", "secret": False, "title": "任命审判员",
        "options": [{"label": f"任命{judge.name}为市人民法院审判员", "person_id": judge.pk}]})
    appointment = r.json()
    r = post(staff, f"/api/meeting-items/{second}/move", {"direction": "up"})
    assert [i["title"] for i in r.json()["items"]] == ["人事任免事项", "关于批准2022年市级财政决算的决议（草案）"]

    # The notice: less than the rule's 10 days needs a reason.
    r = post(staff, f"/api/meetings/{mid}/notify", {"expected_version": r.json()["version"]})
    assert r.status_code == 422 and details(r) == {"short_notice_reason": "short_notice"}
    assert "距开会仅 0 天" in r.json()["error"]["details"][0]["msg"]
    r = post(staff, f"/api/meetings/{mid}/notify", {"short_notice_reason": "审议紧急事项"})
    assert r.status_code == 200 and r.json()["status"] == "notified" and r.json()["notice_note"] == "审议紧急事项"

    # Members answer and check in; the token is on the chair's screen, not on a member's.
    r = post(deputy, f"/api/meetings/{mid}/reply", {"attending": False, "reason": ""})
    assert r.status_code == 422 and details(r) == {"reason": "invalid"}
    r = post(deputy, f"/api/meetings/{mid}/reply", {"attending": True})
    assert r.status_code == 200 and r.json()["my_seat"]["reply"] == "attending"
    assert r.json()["checkin_token"] is None and "check-in" in r.json()["actions"]
    token = chair.get(f"/api/meetings/{mid}").json()["checkin_token"]
    r = post(deputy, f"/api/meetings/{mid}/check-in", {"token": "guess"})
    assert r.status_code == 422 and error(r) == "bad_token"
    r = post(deputy, f"/api/meetings/{mid}/check-in", {"token": token})
    assert r.status_code == 200 and r.json()["my_seat"]["checked_in_by"] == "self"
    for p in c.people[:17]:
        if p != world.person:
            assert post(staff, f"/api/meetings/{mid}/staff-check-in", {"person_id": p.pk}).status_code == 200
    a = staff.get(f"/api/meetings/{mid}").json()["attendance"]
    assert (a["present"], a["quorum_met"], a["explanation"]) == (
        17, False, "出席 17 人，未超过全体组成人员 35 人的半数，不足法定人数")
    for p in c.people[17:20]:
        post(chair, f"/api/meetings/{mid}/staff-check-in", {"person_id": p.pk})
    r = post(chair, f"/api/meetings/{mid}/convene", {})
    assert r.status_code == 200 and r.json()["status"] == "in_session"
    assert r.json()["attendance"]["explanation"] == "出席 20 人，超过全体组成人员 35 人的半数，符合法定人数"

    # The chair opens the secret motion; a member who is not the chair may not.
    assert post(deputy, f"/api/votes/{motion['id']}/open").status_code == 403
    r = post(chair, f"/api/votes/{motion['id']}/open")
    assert r.status_code == 200 and r.json()["status"] == "open"
    mine = deputy.get("/api/my-votes").json()
    assert [v["id"] for v in mine] == [motion["id"]] and mine[0]["actions"] == ["cast"]
    assert mine[0]["meeting"]["id"] == mid
    option = str(mine[0]["options"][0]["id"])

    # The deputy votes once; a second attempt is refused with its own code.
    r = post(deputy, f"/api/votes/{motion['id']}/cast", {"marks": {option: "yes"}})
    assert r.status_code == 200, r.content
    assert r.json()["me"] == {"on_roll": True, "present": True, "voted": True} and r.json()["result"] is None
    r = post(deputy, f"/api/votes/{motion['id']}/cast", {"marks": {option: "no"}})
    assert r.status_code == 409 and error(r) == "already_voted"
    assert deputy.get("/api/my-votes").json() == []
    for p in c.people[2:16]:
        ballots.cast(user=voter(p), vote_id=motion["id"], marks={option: "yes"})
    for p in c.people[16:20]:
        ballots.cast(user=voter(p), vote_id=motion["id"], marks={option: "abstain"})

    # Live progress is counts only; the chair also sees the roll (who, never what).
    live = deputy.get(f"/api/votes/{motion['id']}").json()
    assert live["progress"] == {"entitled": 35, "present": 20, "voted": 19} and live["roll"] is None
    roll = chair.get(f"/api/votes/{motion['id']}").json()["roll"]
    assert len(roll) == 35 and set(roll[0]) == {"person", "present", "voted"}
    assert sum(r["voted"] for r in roll) == 19

    # Closed: the result exists but stays hidden from everybody until the chair publishes it.
    r = post(chair, f"/api/votes/{motion['id']}/close")
    assert r.status_code == 200 and r.json()["status"] == "closed" and r.json()["result"] is None
    assert r.json()["actions"] == ["publish"]
    for client in (deputy, staff, chair):
        assert client.get(f"/api/votes/{motion['id']}").json()["result"] is None
        items = client.get(f"/api/meetings/{mid}").json()["items"]
        assert all(v["result"] is None for i in items for v in i["votes"])
    assert Vote.objects.get(pk=motion["id"]).result is not None
    r = post(chair, f"/api/votes/{motion['id']}/publish")
    assert r.status_code == 200 and r.json()["status"] == "published"
    result = deputy.get(f"/api/votes/{motion['id']}").json()["result"]
    assert result["options"][0]["passed"] is False
    assert result["explanation"] == ("应到 35 人，出席 20 人，赞成 15 票，反对 0 票，弃权 4 票，未投票 1 人，"
                                     "未超过全体组成人员 35 人的半数，未通过")

    # The named appointment, the minutes, and the end of the session.
    post(chair, f"/api/votes/{appointment['id']}/open")
    key = str(appointment["options"][0]["id"])
    for p in c.people[:20]:
        ballots.cast(user=voter(p), vote_id=appointment["id"], marks={key: "yes"})
    r = post(staff, f"/api/meetings/{mid}/adjourn", {})
    assert r.status_code == 422 and error(r) == "vote_open"
    post(chair, f"/api/votes/{appointment['id']}/close")
    post(chair, f"/api/votes/{appointment['id']}/publish")
    r = post(staff, f"/api/meetings/{mid}/minutes", {
        "minutes": "会议审议通过了人事任免事项。", "decisions": [{"item_id": second, "text": f"任命{judge.name}。"}]})
    assert r.status_code == 200 and r.json()["minutes"] == "会议审议通过了人事任免事项。"
    assert r.json()["items"][0]["decision"] == f"任命{judge.name}。"
    r = post(chair, f"/api/meetings/{mid}/adjourn", {})
    assert r.status_code == 200 and r.json()["status"] == "adjourned"
    assert [t["action"] for t in r.json()["timeline"]] == ["schedule", "notify", "convene", "minutes", "adjourn"]


def test_documents_are_uploaded_checked_and_published(world, client_for):
    committee(world)
    m = session(world)
    staff, deputy = client_for("staff"), client_for("deputy")
    r = staff.post(f"/api/meetings/{m.pk}/documents",
                   {"title": "财政决算报告",
                    "file": SimpleUploadedFile("决算.pdf", PDF, content_type="application/pdf")})
    assert r.status_code == 200, r.content
    doc = r.json()["documents"][0]
    assert doc["published_at"] is None and doc["file"]["url"].startswith("/files/")
    assert deputy.get(f"/api/meetings/{m.pk}").json()["documents"] == []
    assert "publish-documents" in r.json()["actions"]
    r = post(staff, f"/api/meetings/{m.pk}/publish-documents")
    assert r.status_code == 200 and r.json()["documents"][0]["published_at"] is not None
    assert [d["title"] for d in deputy.get(f"/api/meetings/{m.pk}").json()["documents"]] == ["财政决算报告"]
    # A text file named .pdf is refused by its bytes and nothing is stored.
    r = staff.post(f"/api/meetings/{m.pk}/documents",
                   {"title": "伪装", "file": SimpleUploadedFile("x.pdf", b"<script>alert(1)</script>")})
    assert r.status_code == 422 and "file" in details(r)
    assert Document.objects.filter(meeting=m).count() == 1
    # Members may not upload.
    r = deputy.post(f"/api/meetings/{m.pk}/documents",
                    {"title": "材料", "file": SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")})
    assert r.status_code == 403


def test_participants_leave_and_cancelling(world, client_for):
    committee(world)
    m = session(world, notified=False, starts_at=timezone.now() + dt.timedelta(days=12))
    staff, deputy = client_for("staff"), client_for("deputy")
    guest = make_people(1, prefix="列席")[0]
    r = post(staff, f"/api/meetings/{m.pk}/participants", {"person_id": guest.pk, "role": "attendee",
                                                           "title": "市法院院长"})
    assert r.status_code == 200
    seat = next(s for s in r.json()["participants"] if s["person"]["id"] == guest.pk)
    assert (seat["role"], seat["title"]) == ("attendee", "市法院院长")
    assert r.json()["attendance"]["members"] == 35
    r = post(staff, f"/api/meetings/{m.pk}/remove-participant", {"person_id": guest.pk})
    assert guest.pk not in {s["person"]["id"] for s in r.json()["participants"]}
    r = post(staff, f"/api/meetings/{m.pk}/participants", {"person_id": 10**12, "role": "member"})
    assert r.status_code == 422 and details(r) == {"person_id": "invalid"}
    r = post(staff, f"/api/meetings/{m.pk}/notify", {})
    assert r.status_code == 200 and r.json()["notice_note"] == ""
    # Leave with a reason: the chair sees it, another member does not.
    r = post(deputy, f"/api/meetings/{m.pk}/reply", {"attending": False, "reason": "赴省里参加培训"})
    assert r.json()["my_seat"]["leave_reason"] == "赴省里参加培训"
    assert r.json()["attendance"]["leave"] == 1
    seats = client_for("director").get(f"/api/meetings/{m.pk}").json()["participants"]
    assert next(s for s in seats if s["person"]["id"] == world.person.pk)["leave_reason"] == "赴省里参加培训"
    services.set_participant(actor=act(world, "staff"), meeting_id=m.pk, person_id=world.person2.pk, role="member")
    from renda.accounts.models import User

    User.objects.filter(pk=world.users["unit"].pk).update(person=world.person2)
    seats = client_for("unit").get(f"/api/meetings/{m.pk}").json()["participants"]
    assert next(s for s in seats if s["person"]["id"] == world.person.pk)["leave_reason"] == ""
    # Cancelling needs a reason; afterwards nothing changes any more.
    r = post(staff, f"/api/meetings/{m.pk}/cancel", {"note": " "})
    assert r.status_code == 422
    r = post(deputy, f"/api/meetings/{m.pk}/cancel", {"note": "改期"})
    assert r.status_code == 403
    r = post(staff, f"/api/meetings/{m.pk}/cancel", {"note": "改期召开"})
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    r = post(staff, f"/api/meetings/{m.pk}/items", {"title": "议题"})
    assert r.status_code == 409 and error(r) == "invalid_state"


def test_a_paper_vote_with_the_tellers_totals(world, client_for):
    o = mw(world)
    staff, chair = client_for("staff"), client_for("director")
    r = post(staff, f"/api/meeting-items/{o.item_done.pk}/votes",
             {"kind": "appointment", "method": "paper", "secret": True, "title": "任命检察员",
              "options": [{"label": "任命李明为检察员"}, {"label": "任命王芳为检察员"}]})
    vote = r.json()
    a, b = (str(x["id"]) for x in vote["options"])
    post(chair, f"/api/votes/{vote['id']}/open")
    r = post(chair, f"/api/votes/{vote['id']}/close")
    assert r.status_code == 422 and error(r) == "counts_missing"
    # Totals that cannot be right are refused before anything is stored.
    bad = {"issued": 20, "returned": 21, "invalid": 0,
           "options": {a: {"yes": 18, "no": 1, "abstain": 1}, b: {"yes": 10, "no": 5, "abstain": 5}}}
    r = post(chair, f"/api/votes/{vote['id']}/paper-counts", bad)
    assert r.status_code == 422 and details(r) == {"returned": "invalid"}
    r = post(chair, f"/api/votes/{vote['id']}/paper-counts", {**bad, "returned": 20, "options": {
        a: {"yes": 18, "no": 2, "abstain": 1}, b: {"yes": 10, "no": 5, "abstain": 5}}})
    assert r.status_code == 422 and details(r) == {"options": "inconsistent"}
    r = post(client_for("deputy"), f"/api/votes/{vote['id']}/paper-counts", {**bad, "returned": 20})
    assert r.status_code == 403
    r = post(chair, f"/api/votes/{vote['id']}/paper-counts", {**bad, "returned": 20})
    assert r.status_code == 200 and r.json()["paper_counts_entered"] and r.json()["result"] is None
    post(chair, f"/api/votes/{vote['id']}/close")
    r = post(chair, f"/api/votes/{vote['id']}/publish")
    rows = r.json()["result"]["options"]
    assert [(x["yes"], x["passed"]) for x in rows] == [(18, True), (10, False)]


def test_a_paper_evaluation_is_entered_paper_by_paper(world, client_for):
    o = mw(world)
    staff = client_for("staff")
    r = post(staff, f"/api/meeting-items/{o.item_done.pk}/votes", {
        "kind": "score", "method": "paper", "title": "履职评议",
        "options": [{"label": "审判员甲"}, {"label": "审判员乙"}],
        "score_config": {"dimensions": [{"name": "业务能力", "weight": 1, "max_score": 100}], "trim": 0,
                         "grades": [{"min_score": 85, "label": "满意"}, {"min_score": 0, "label": "不满意"}]}})
    assert r.status_code == 200, r.content
    vote = r.json()
    a, b = (str(x["id"]) for x in vote["options"])
    post(staff, f"/api/votes/{vote['id']}/open")
    r = post(staff, f"/api/votes/{vote['id']}/paper-ballots", {"marks": {a: [90], b: [80]}})
    assert r.status_code == 422 and details(r) == {"issued": "issued_missing"}
    r = post(staff, f"/api/votes/{vote['id']}/paper-ballots", {"marks": {a: [90], b: [80]}, "issued": 2})
    assert r.status_code == 200 and r.json()["papers_entered"] == 1
    r = post(staff, f"/api/votes/{vote['id']}/paper-ballots", {"marks": {a: [100], b: [100]}})  # kept, invalid
    assert r.json()["papers_entered"] == 2
    r = post(staff, f"/api/votes/{vote['id']}/paper-ballots", {"marks": {a: [70], b: [60]}})
    assert r.status_code == 422 and details(r) == {"marks": "inconsistent"}
    post(staff, f"/api/votes/{vote['id']}/close")
    result = post(staff, f"/api/votes/{vote['id']}/publish").json()["result"]
    assert [(x["score"], x["grade"]) for x in result["options"]] == [("90.00", "满意"), ("80.00", "不满意")]
    assert result["invalid"] == {"all_full": 1}


def _tied_choice(world, client, item_id, tie_rule):
    """A 票决 of one place between two projects that tie 1:1, closed."""
    r = post(client, f"/api/meeting-items/{item_id}/votes", {
        "kind": "choice", "secret": True, "max_choices": 1, "tie_rule": tie_rule, "title": "民生实事项目票决",
        "options": [{"label": "老旧小区加装电梯"}, {"label": "农贸市场改造"}]})
    assert r.status_code == 200, r.content
    vote = r.json()
    a, b = (x["id"] for x in vote["options"])
    post(client, f"/api/votes/{vote['id']}/open")
    c = committee(world)
    ballots.cast(user=voter(c.people[2]), vote_id=vote["id"], marks={"chosen": [a]})
    ballots.cast(user=voter(c.people[3]), vote_id=vote["id"], marks={"chosen": [b]})
    post(client, f"/api/votes/{vote['id']}/close")
    return vote["id"], a, b


def test_a_tie_decided_by_the_chair(world, client_for):
    o = mw(world)
    chair = client_for("director")
    vid, a, b = _tied_choice(world, chair, o.item_done.pk, "chair")
    detail = chair.get(f"/api/votes/{vid}").json()
    assert detail["pending_tie"] == {"option_ids": [a, b], "open_places": 1, "rule": "chair"}
    assert detail["actions"] == ["decide-tie"] and detail["result"] is None
    assert client_for("deputy").get(f"/api/votes/{vid}").json()["pending_tie"] is None
    r = post(chair, f"/api/votes/{vid}/publish")
    assert r.status_code == 422 and error(r) == "tie_undecided"
    r = post(chair, f"/api/votes/{vid}/decide-tie", {"chosen": [a, b], "note": "按提交顺序"})
    assert r.status_code == 422 and details(r) == {"chosen": "invalid"}
    r = post(chair, f"/api/votes/{vid}/decide-tie", {"chosen": [b], "note": "农贸市场群众呼声更高"})
    assert r.status_code == 200 and r.json()["actions"] == ["publish"]
    result = post(chair, f"/api/votes/{vid}/publish").json()["result"]
    assert [x["selected"] for x in result["ranking"]] == [False, True]
    assert result["explanation"].endswith("主持人决定：农贸市场改造 当选（农贸市场群众呼声更高）")


def test_a_runoff_joins_the_agenda_item_and_can_be_opened(world, client_for):
    o = mw(world)
    chair = client_for("director")
    vid, a, b = _tied_choice(world, chair, o.item_done.pk, "runoff")
    post(chair, f"/api/votes/{vid}/publish")
    assert chair.get(f"/api/votes/{vid}").json()["actions"] == ["runoff"]
    r = post(chair, f"/api/votes/{vid}/runoff")
    assert r.status_code == 200, r.content
    runoff = r.json()
    assert runoff["runoff_of"] == vid and runoff["item"]["id"] == o.item_done.pk
    assert [x["label"] for x in runoff["options"]] == ["老旧小区加装电梯", "农贸市场改造"]
    assert post(chair, f"/api/votes/{vid}/runoff").status_code == 422  # once
    r = post(chair, f"/api/votes/{runoff['id']}/open")
    assert r.status_code == 200 and r.json()["status"] == "open"
    assert chair.get(f"/api/votes/{vid}").json()["runoffs"] == [runoff["id"]]


def test_all_five_kinds_can_be_added_with_their_configuration(world, client_for):
    o = mw(world)
    staff = client_for("staff")
    url = f"/api/meeting-items/{o.item_done.pk}/votes"
    people = [{"label": "王局长"}, {"label": "李局长"}]
    bodies = [
        {"kind": "motion", "rule": {"base": "present", "num": 2, "den": 3, "inclusive": True}},
        {"kind": "appointment", "options": people, "secret": False},
        {"kind": "choice", "options": people, "max_choices": 1, "places": 1, "tie_rule": "chair",
         "rule": {"base": "cast", "num": 1, "den": 2}},
        {"kind": "score", "options": people},
        {"kind": "satisfaction", "options": people, "method": "paper"},
    ]
    for body in bodies:
        r = post(staff, url, body)
        assert r.status_code == 200, (body, r.content)
        assert r.json()["kind"] == body["kind"] and r.json()["status"] == "draft"
    assert post(staff, url, bodies[0]).json()["rule"]["text"] == "出席人员的三分之二以上"
    score = Vote.objects.filter(kind="score").latest("id")
    assert [d["name"] for d in score.score_config["dimensions"]][:2] == ["政治能力", "业务能力"]


@pytest.mark.parametrize(("method", "path", "body", "status", "code", "field"), [
    ("post", "/api/meetings", {"kind": "party", "title": "会", "starts_at": "2026-12-01T09:00"}, 422,
     "validation_error", "kind"),
    ("post", "/api/meetings", {"kind": "standing", "title": "会", "starts_at": "3026-12-01T09:00"}, 422,
     "validation_error", "starts_at"),
    ("post", "/api/meetings", {"kind": "standing", "title": "会", "starts_at": "not a date"}, 422,
     "validation_error", "starts_at"),
    ("post", "/api/meetings", {"kind": "standing", "title": "会" * 201, "starts_at": "2026-12-01T09:00"}, 422,
     "validation_error", "title"),
    ("post", "/api/meetings", {"kind": "standing", "title": "会\u0000", "starts_at": "2026-12-01T09:00"}, 422,
     "validation_error", "title"),
    ("post", "/api/meetings", {"kind": "standing", "title": "会", "starts_at": "2026-12-01T09:00",
                               "chair_id": 10**12}, 422, "validation_error", "chair_id"),
    ("post", "/api/meetings", {"kind": "joint", "title": "联席会议", "starts_at": "2026-12-01T09:00"}, 422,
     "validation_error", "group_id"),
    ("post", "/api/meetings", {"kind": "standing", "title": "会", "starts_at": "2026-12-01T09:00",
                               "quorum": {"base": "present", "num": 1, "den": 2}}, 422, "validation_error", "quorum"),
    ("post", "/api/meetings", {"kind": "standing", "title": "会", "starts_at": "2026-12-01T09:00",
                               "quorum": {"base": "seated", "num": 3, "den": 2}}, 422, "validation_error", "quorum"),
    ("get", "/api/meetings/999999", None, 404, "not_found", None),
    ("get", f"/api/meetings/{2**63}", None, 422, "validation_error", "meeting_id"),
    ("get", "/api/votes/999999", None, 404, "not_found", None),
    ("get", "/api/meetings?cursor=abc", None, 422, "validation_error", "cursor"),
    ("post", "/api/meeting-items/{item}/votes", {"kind": "choice", "options": [{"label": "甲"}]}, 422,
     "validation_error", "max_choices"),
    ("post", "/api/meeting-items/{item}/votes", {"kind": "score", "options": [{"label": "甲"}],
                                                 "score_config": {"dimensions": []}}, 422, "validation_error",
     "dimensions"),
    ("post", "/api/meeting-items/{item}/votes", {"kind": "appointment"}, 422, "validation_error", "options"),
    ("post", "/api/meeting-items/{item}/votes", {"kind": "motion", "options": [{"label": "甲"}, {"label": "乙"}]},
     422, "validation_error", "options"),
    ("post", "/api/votes/{open}/cast", {"marks": {"999999": "yes"}}, 422, "validation_error", "marks"),
    ("post", "/api/votes/{open}/cast", {"marks": {"chosen": [1]}}, 422, "validation_error", "marks"),
    ("post", "/api/votes/{open}/cast", {"marks": "yes"}, 422, "validation_error", "marks"),
    ("post", "/api/votes/{open}/cast", {"marks": {"{option}": "maybe"}}, 422, "validation_error", "marks"),
    ("post", "/api/votes/{published}/cast", {"marks": {"{option}": "yes"}}, 409, "not_open", None),
    ("post", "/api/votes/{open}/paper-counts", {"issued": 1, "returned": 1, "options": {}}, 422, "not_paper", None),
    ("post", "/api/votes/{published}/open", None, 409, "invalid_state", None),
    ("post", "/api/votes/{open}/decide-tie", {"chosen": [1], "note": "理由"}, 422, "no_tie", None),
    ("post", "/api/meeting-items/{done}/remove", None, 409, "invalid_state", None),
    ("post", "/api/meetings/{session}/reply", {"attending": "maybe"}, 422, "validation_error", "attending"),
    ("post", "/api/meetings/{session}/staff-check-in", {"person_id": 10**12}, 422, "validation_error", "person_id"),
    ("post", "/api/meetings/{session}/notify", {"short_notice_reason": "临时"}, 409, "invalid_state", None),
    ("post", "/api/meetings/{session}/convene", {"expected_version": 0}, 409, "conflict", None),
    ("post", "/api/meetings/{session}/minutes", {"decisions": [{"item_id": 10**12, "text": "决定"}]}, 422,
     "validation_error", "decisions"),
    ("post", "/api/meeting-items/{item}/move", {"direction": "sideways"}, 422, "validation_error", "direction"),
])
def test_bad_input_is_a_4xx_with_a_stable_code(method, path, body, status, code, field, world, client_for):
    o = mw(world)
    option = str(o.vote_open.options.get().pk)
    path = path.format(item=o.item_open.pk, open=o.vote_open.pk, published=o.vote_published.pk,
                       done=o.item_done.pk, session=o.session.pk)
    if isinstance(body, dict):
        body = json.loads(json.dumps(body).replace("{option}", option))
    client = client_for("director") if "/votes/" in path or "check-in" in path else client_for("staff")
    r = post(client, path, body) if method == "post" else client.get(path)
    assert r.status_code == status, r.content
    assert error(r) == code
    if field:
        assert field in {part for d in r.json()["error"]["details"] for part in d["loc"] if isinstance(part, str)}


def test_scope_outside_is_404_and_a_list_for_nobody_is_403(world, client_for):
    o = mw(world)
    for role in ("town_staff", "unit", "discipline", "evaluatee", "norole"):
        c = client_for(role)
        assert c.get(f"/api/meetings/{o.session.pk}").status_code == 404
        assert c.get(f"/api/votes/{o.vote_open.pk}").status_code == 404
        assert post(c, f"/api/votes/{o.vote_open.pk}/cast", {"marks": {"1": "yes"}}).status_code == 404
    assert client_for("unit").get("/api/meetings").status_code == 403
    assert client_for("unit").get("/api/my-votes").status_code == 403
    assert client_for("town_staff").get("/api/meetings").json()["items"][0]["id"] == o.town_meeting.pk
    # A member sees the draft vote of the meeting they sit in, without being on its (future) roll.
    r = client_for("deputy").get(f"/api/votes/{o.vote_draft.pk}")
    assert r.status_code == 200 and r.json()["me"]["on_roll"] is False and r.json()["actions"] == []


def test_the_list_pages_by_cursor(world, client_for):
    committee(world)
    staff = act(world, "staff")
    start = timezone.now() + dt.timedelta(days=30)
    for i in range(5):
        services.schedule(actor=staff, congress=world.city, kind="directors", title=f"主任会议{i}",
                          starts_at=start + dt.timedelta(days=i))
    client = client_for("staff")
    seen, cursor = [], ""
    for _ in range(3):
        page = client.get(f"/api/meetings?limit=2&cursor={cursor}").json()
        seen += [m["title"] for m in page["items"]]
        cursor = page["next_cursor"]
        assert page["count"] == 5
    assert seen == [f"主任会议{i}" for i in (4, 3, 2, 1, 0)] and cursor == ""
    assert client.get("/api/meetings?kind=standing").json()["count"] == 0
    assert client.get("/api/meetings?status=draft").json()["count"] == 5


def test_a_secret_vote_exposes_no_voter_anywhere(world, client_for):
    o = mw(world)
    c = o.committee
    key = str(o.vote_open.options.get().pk)
    deputy = client_for("deputy")
    post(deputy, f"/api/votes/{o.vote_open.pk}/cast", {"marks": {key: "no"}})
    for p in c.people[2:20]:
        ballots.cast(user=voter(p), vote_id=o.vote_open.pk, marks={key: "yes"})
    chair = client_for("director")
    post(chair, f"/api/votes/{o.vote_open.pk}/close")
    post(chair, f"/api/votes/{o.vote_open.pk}/publish")
    assert not Ballot.objects.filter(vote=o.vote_open).exclude(voter=None).exists()
    for client in (deputy, chair, client_for("staff")):
        for url in (f"/api/votes/{o.vote_open.pk}", f"/api/meetings/{o.session.pk}", "/api/my-votes"):
            text = client.get(url).content.decode()
            assert "voter" not in text and "marks" not in text and "ballot" not in text
    detail = chair.get(f"/api/votes/{o.vote_open.pk}").json()
    assert detail["result"]["options"][0]["no"] == 1
    # The roll says who voted, never what: a row has the person and two flags only.
    assert all(set(r) == {"person", "present", "voted"} for r in detail["roll"])


def test_the_detail_costs_the_same_number_of_queries_with_more_on_it(world, client_for):
    o = mw(world)
    staff = client_for("staff")
    url = f"/api/meetings/{o.session.pk}"
    staff.get(url)
    with CaptureQueriesContext(connection) as few:
        staff.get(url)
    actor = act(world, "staff")
    for i in range(3):
        item = services.add_item(actor=actor, meeting_id=o.session.pk, title=f"议题{i}")
        services.add_vote(actor=actor, item_id=item.pk, kind="satisfaction", options=[{"label": "甲"}, {"label": "乙"}])
        services.add_document(actor=actor, meeting_id=o.session.pk, title=f"材料{i}", item_id=item.pk,
                              upload=SimpleUploadedFile(f"{i}.pdf", PDF + str(i).encode(),
                                                        content_type="application/pdf"))
    for p in make_people(5, prefix="列席"):
        services.set_participant(actor=actor, meeting_id=o.session.pk, person_id=p.pk, role="attendee")
    with CaptureQueriesContext(connection) as many:
        r = staff.get(url)
    assert len(r.json()["items"]) == 5 and len(r.json()["participants"]) == 40
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    # The list: a page costs the same with more meetings.
    with CaptureQueriesContext(connection) as few:
        staff.get("/api/meetings")
    services.schedule(actor=actor, congress=world.city, kind="directors", title="主任会议",
                      starts_at=timezone.now() + dt.timedelta(days=3))
    with CaptureQueriesContext(connection) as many:
        staff.get("/api/meetings")
    assert len(many) == len(few)


def test_html_in_text_is_returned_as_data(world, client_for):
    o = mw(world)
    r = post(client_for("staff"), f"/api/meetings/{o.session.pk}/items", {"title": "<script>alert(1)</script>议题"})
    assert r.status_code == 200 and r.json()["items"][-1]["title"] == "<script>alert(1)</script>议题"
    assert r["Content-Type"].startswith("application/json")


def test_check_in_is_only_on_the_day(world, client_for):
    committee(world)
    m = session(world, starts_at=timezone.now() + dt.timedelta(days=2))
    r = post(client_for("deputy"), f"/api/meetings/{m.pk}/check-in", {"token": m.checkin_token})
    assert r.status_code == 422 and error(r) == "not_today"
    assert Meeting.objects.get(pk=m.pk).participants.filter(checked_in_at__isnull=False).count() == 0
