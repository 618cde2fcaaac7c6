"""The suggestions API (renda/api/endpoints/suggestions.py): the whole cycle through JSON, every
office step, bad input, conflicts, scope and the schema."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from renda.suggestions import services
from renda.suggestions.models import Assignment, Extension, Rating, Reply, Suggestion
from renda.suggestions.world import PDF, act, base, draft, parts, sw, to_accepted, to_assigned, to_replied, to_submitted


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def upload(client, url, data, pdf=None):
    """A multipart POST (the reply and solve steps carry the signed PDF)."""
    body = {k: v for k, v in data.items() if v is not None}
    body["pdf"] = pdf if pdf is not None else SimpleUploadedFile("答复函.pdf", PDF, content_type="application/pdf")
    return client.post(url, body)


def draft_body(w, **kw):
    body = {"category_id": base(w).category.pk, "title": "关于加快老旧小区加装电梯的建议",
            "situation": "我市老旧小区多为六层以下住宅。", "problem": "老年居民上下楼困难。",
            "proposal": "一、简化审批；二、加大补贴。", "unit_ids": [w.unit.pk]}
    body.update(kw)
    return body


def errors(r) -> dict:
    return {d["loc"][-1]: d["type"] for d in r.json()["error"]["details"]}


def fields(r) -> set:
    """Every name in the details' locations (a list item's location ends with its index)."""
    return {part for d in r.json()["error"]["details"] for part in d["loc"] if isinstance(part, str)}


def test_the_whole_cycle_through_the_api(world, client_for):
    base(world)
    deputy, deputy2, staff = client_for("deputy"), client_for("deputy2"), client_for("staff")
    unit, unit2 = client_for("unit"), client_for("unit2")

    # The deputy drafts and invites a co-signer; submitting waits for the co-signer's answer.
    r = post(deputy, "/api/suggestions", draft_body(world))
    assert r.status_code == 200, r.content
    s = r.json()
    sid = s["id"]
    assert s["status"] == "draft" and s["author"]["name"] == "张建国" and s["proposed_units"][0]["id"] == world.unit.pk
    assert {"edit", "invite", "submit"} <= set(s["actions"])
    r = post(deputy, f"/api/suggestions/{sid}/invite", {"deputy_ids": [world.deputy2.pk]})
    assert [(x["deputy"]["name"], x["status"]) for x in r.json()["signers"]] == [("张建国", "confirmed"),
                                                                                ("李秀英", "invited")]
    r = post(deputy, f"/api/suggestions/{sid}/submit", {"expected_version": r.json()["version"]})
    assert r.status_code == 422 and errors(r) == {"signers": "signers_pending"}
    tasks = deputy2.get("/api/suggestion-tasks").json()
    assert [i["suggestion_id"] for i in tasks["invitations"]] == [sid]
    assert "respond" in deputy2.get(f"/api/suggestions/{sid}").json()["actions"]
    r = post(deputy2, f"/api/suggestions/{sid}/respond", {"confirm": True})
    assert r.status_code == 200 and r.json()["status"] == "confirmed" and r.json()["suggestion"]["id"] == sid
    version = deputy.get(f"/api/suggestions/{sid}").json()["version"]
    r = post(deputy, f"/api/suggestions/{sid}/submit", {"expected_version": version})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "submitted" and r.json()["period"]["id"] == base(world).period.pk

    # The office finds it, accepts it (numbered) and assigns it: lead and co-unit.
    listed = staff.get("/api/suggestions?status=submitted").json()
    assert [i["id"] for i in listed["items"]] == [sid]
    detail = staff.get(f"/api/suggestions/{sid}").json()
    assert {"accept", "decline", "to-reference", "send-back", "merge"} <= set(detail["actions"])
    r = post(staff, f"/api/suggestions/{sid}/accept", {"expected_version": detail["version"]})
    assert r.status_code == 200 and r.json()["number_display"] == "十七届六次第001号"
    r = post(staff, f"/api/suggestions/{sid}/assign", {"mode": "lead", "lead_unit_id": world.unit.pk,
                                                       "co_unit_ids": [world.other_unit.pk], "note": "请认真办理",
                                                       "expected_version": r.json()["version"]})
    assert r.status_code == 200, r.content
    s = r.json()
    assert s["status"] == "handling" and set(s["units_label"].split("、")) == {"市住房和城乡建设局", "市教育局（协办）"}
    lead = next(p for p in s["parts"] if p["role"] == "lead")
    co = next(p for p in s["parts"] if p["role"] == "co")
    assert lead["due"] == s["due"] and co["due"] < lead["due"]
    assert {d["label"] for d in lead["deadlines"]} and all(d["explanation"] for d in lead["deadlines"])

    # Each unit sees its own part in its inbox; the lead signs, contacts the deputy, and waits for the views.
    inbox = unit.get("/api/suggestion-parts").json()
    assert [i["id"] for i in inbox["items"]] == [lead["id"]]
    assert inbox["items"][0]["suggestion"]["title"] == "关于加快老旧小区加装电梯的建议"
    assert inbox["items"][0]["actions"] == ["sign", "return", "extension"]
    assert [i["id"] for i in unit2.get("/api/suggestion-parts").json()["items"]] == [co["id"]]
    r = post(unit, f"/api/suggestion-parts/{lead['id']}/sign", {"expected_version": lead["version"]})
    assert r.status_code == 200 and r.json()["status"] == "signed"
    assert "contact" in r.json()["actions"] and "reply" in r.json()["actions"]
    r = post(unit, f"/api/suggestion-parts/{lead['id']}/contact", {
        "deputy_id": world.deputy2.pk, "contacted_on": timezone.localdate().isoformat(), "form": "visit",
        "content": "登门听取代表意见。"})
    assert r.status_code == 200 and r.json()["contacts"][0]["form_label"] == "登门走访"
    r = upload(unit, f"/api/suggestion-parts/{lead['id']}/reply", {"outcome": "A", "text": "已列入计划。"})
    assert r.status_code == 422 and errors(r) == {"text": "views_pending"}
    assert post(unit2, f"/api/suggestion-parts/{co['id']}/sign").status_code == 200
    r = post(unit2, f"/api/suggestion-parts/{co['id']}/views", {"text": "建议纳入城市更新计划。"})
    assert r.status_code == 200 and r.json()["status"] == "answered"

    # The lead replies with the signed PDF: the deputies rate it.
    r = upload(unit, f"/api/suggestion-parts/{lead['id']}/reply", {"outcome": "A", "text": "已列入年度计划。"})
    assert r.status_code == 200, r.content
    assert r.json()["suggestion"]["status"] == "replied" and r.json()["suggestion"]["outcome"] == "A"
    reply = next(x for x in r.json()["replies"] if x["kind"] == "reply")
    assert reply["is_current"] and [f["mime_type"] for f in reply["files"]] == ["application/pdf"]
    assert deputy.get(reply["files"][0]["url"]).status_code == 200
    assert [t["reply_id"] for t in deputy.get("/api/suggestion-tasks").json()["to_rate"]] == [reply["id"]]
    assert "rate" in deputy.get(f"/api/suggestions/{sid}").json()["actions"]
    r = post(deputy, f"/api/suggestions/{sid}/rate", {"reply_id": reply["id"], "value": "satisfied"})
    assert r.status_code == 200 and r.json()["status"] == "replied" and "rate" not in r.json()["actions"]
    r = post(deputy2, f"/api/suggestions/{sid}/rate", {"reply_id": reply["id"], "value": "basic",
                                                       "comment": "希望加快进度"})
    assert r.status_code == 200 and r.json()["status"] == "closed"
    closed_reply = next(x for x in r.json()["parts"][0]["replies"] if x["kind"] == "reply")
    assert closed_reply["is_current"] is False  # nothing is rated any more once closed
    rated = closed_reply["ratings"]
    assert [(x["deputy"]["name"], x["value"]) for x in rated] == [("张建国", "satisfied"), ("李秀英", "basic")]
    actions = [e["action"] for e in r.json()["timeline"]]
    assert actions[:3] == ["create", "invite", "cosign"]
    assert {"submit", "accept", "assign", "all_answered", "rate", "all_rated"} <= set(actions)
    assert deputy.get("/api/suggestion-tasks").json() == {"invitations": [], "to_rate": []}


def test_unsatisfied_rehandling_and_b_follow_up(world, client_for):
    s = to_replied(world, outcome="B")
    lead, _co = parts(s)
    deputy, unit = client_for("deputy"), client_for("unit")
    reply = s.replies.get(kind="reply")
    assert reply.committed_date > timezone.localdate()
    r = post(deputy, f"/api/suggestions/{s.pk}/rate", {"reply_id": reply.pk, "value": "unsatisfied",
                                                       "comment": "进度太慢"})
    assert r.status_code == 200 and r.json()["status"] == "rehandling"
    part = unit.get(f"/api/suggestion-parts/{lead.pk}").json()
    assert part["status"] == "rehandling" and "contact" in part["actions"] and "reply" in part["actions"]
    post(unit, f"/api/suggestion-parts/{lead.pk}/contact", {"deputy_id": world.deputy.pk, "form": "meeting",
                                                            "contacted_on": timezone.localdate().isoformat(),
                                                            "content": "座谈。"})
    # B needs a committed date after today.
    r = upload(unit, f"/api/suggestion-parts/{lead.pk}/reply", {"outcome": "B", "text": "已开工。"})
    assert r.status_code == 422 and errors(r) == {"committed_date": "committed_date"}
    later = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    r = upload(unit, f"/api/suggestion-parts/{lead.pk}/reply", {"outcome": "B", "text": "已开工。",
                                                                "committed_date": later})
    assert r.status_code == 200 and r.json()["replies"][-1]["kind"] == "rehandle"
    again = r.json()["replies"][-1]["id"]
    r = post(deputy, f"/api/suggestions/{s.pk}/rate", {"reply_id": again, "value": "satisfied"})
    assert r.status_code == 200 and r.json()["status"] == "following"
    r = post(unit, f"/api/suggestion-parts/{lead.pk}/progress", {"text": "主体完工 80%。"})
    assert r.status_code == 200 and r.json()["replies"][-1]["kind"] == "progress"
    r = upload(unit, f"/api/suggestion-parts/{lead.pk}/solve", {"text": "已全部完工。"})
    assert r.status_code == 200 and r.json()["suggestion"]["status"] == "replied"
    assert r.json()["suggestion"]["outcome"] == "A"
    solved = r.json()["replies"][-1]["id"]
    r = post(deputy, f"/api/suggestions/{s.pk}/rate", {"reply_id": solved, "value": "satisfied"})
    assert r.status_code == 200 and r.json()["status"] == "closed"


@pytest.mark.parametrize(("change", "loc"), [
    ({"title": "长" * 101}, "title"),
    ({"title": "   "}, "title"),
    ({"proposal": "建" * 5001}, "proposal"),
    ({"situation": "况" * 3001}, "situation"),
    ({"category_id": 999999}, "category_id"),
    ({"category_id": "abc"}, "category_id"),
    ({"category_id": 2**63}, "category_id"),
    ({"unit_ids": [999999]}, "unit_ids"),
    ({"unit_ids": "1"}, "unit_ids"),
    ({"proposal": "建议\x00"}, "proposal"),
])
def test_bad_drafts_are_422_with_the_field(change, loc, world, client_for):
    r = post(client_for("deputy"), "/api/suggestions", draft_body(world, **change))
    assert r.status_code == 422, r.content
    assert r.json()["error"]["code"] == "validation_error"
    assert loc in fields(r)
    assert Suggestion.objects.count() == 0


def test_html_in_text_fields_is_returned_as_data(world, client_for):
    script = "<script>alert('x')</script>"
    deputy = client_for("deputy")
    r = post(deputy, "/api/suggestions", draft_body(world, title=script, proposal=script + "<b>加装</b>",
                                                    problem="<img src=x onerror=alert(1)>"))
    assert r.status_code == 200
    got = deputy.get(f"/api/suggestions/{r.json()['id']}")
    assert got["Content-Type"].startswith("application/json")
    body = got.json()
    assert body["title"] == script and body["proposal"] == script + "<b>加装</b>"
    assert body["problem"] == "<img src=x onerror=alert(1)>"


def test_a_disguised_pdf_is_refused_and_nothing_is_stored(world, client_for):
    s = to_assigned(world, co=False)
    lead, _ = parts(s)
    services.assignment_sign(actor=act(world, "unit"), assignment_id=lead.pk)
    services.contact_record(actor=act(world, "unit"), assignment_id=lead.pk, deputy_id=world.deputy.pk,
                            contacted_on=timezone.localdate(), form="phone", content="沟通。")
    unit = client_for("unit")
    fake = SimpleUploadedFile("答复函.pdf", b"MZ\x90\x00 this is an executable", content_type="application/pdf")
    r = upload(unit, f"/api/suggestion-parts/{lead.pk}/reply", {"outcome": "A", "text": "已解决。"}, pdf=fake)
    assert r.status_code == 422, r.content
    assert errors(r) == {"pdf": "content_mismatch"}
    assert not Reply.objects.filter(suggestion=s).exists()
    lead.refresh_from_db()
    assert lead.status == "signed"
    # Without the file at all: 422 from the schema.
    r = unit.post(f"/api/suggestion-parts/{lead.pk}/reply", {"outcome": "A", "text": "已解决。"})
    assert r.status_code == 422 and "pdf" in [d["loc"][-1] for d in r.json()["error"]["details"]]
    # A JSON body is not accepted for the multipart step.
    assert post(unit, f"/api/suggestion-parts/{lead.pk}/reply", {"outcome": "A", "text": "x"}).status_code == 422


@pytest.mark.parametrize(("path", "body", "loc"), [
    ("assign", {"mode": "lead"}, "lead_unit_id"),
    ("assign", {"mode": "lead", "lead_unit_id": 999999}, "lead_unit_id"),
    ("assign", {"mode": "lead", "lead_unit_id": 1, "co_unit_ids": ["x"]}, "co_unit_ids"),
    ("assign", {"mode": "separate", "unit_ids": []}, "unit_ids"),
    ("assign", {"mode": "together"}, "mode"),
    ("decline", {"reason": "   "}, "reason"),
    ("decline", {"reason": "理" * 2001}, "reason"),
    ("merge", {"into_id": 999999, "note": "同一问题"}, "into_id"),
    ("key", {"leader_id": 999999, "meeting_date": "2026-03-01"}, "leader_id"),
    ("key", {"leader_id": 1, "meeting_date": "2026-02-30"}, "meeting_date"),
    ("note", {"kind": "remind", "text": "请抓紧", "part_id": 999999}, "part_id"),
    ("accept", {"expected_version": "one"}, "expected_version"),
])
def test_bad_office_input_is_422_with_the_field(path, body, loc, world, client_for):
    o = sw(world)
    target = {"assign": o.accepted, "decline": o.submitted, "merge": o.submitted, "key": o.accepted,
              "note": o.assigned, "accept": o.submitted}[path]
    before = Suggestion.objects.get(pk=target.pk).version
    r = post(client_for("staff"), f"/api/suggestions/{target.pk}/{path}", body)
    assert r.status_code == 422, r.content
    assert loc in fields(r)
    assert Suggestion.objects.get(pk=target.pk).version == before


def test_stale_expected_version_is_a_conflict(world, client_for):
    s = to_submitted(world)
    staff, deputy = client_for("staff"), client_for("deputy")
    read = deputy.get(f"/api/suggestions/{s.pk}").json()["version"]
    r = post(staff, f"/api/suggestions/{s.pk}/accept", {"expected_version": read + 1})
    assert r.status_code == 409 and r.json()["error"]["code"] == "conflict"
    assert Suggestion.objects.get(pk=s.pk).status == "submitted"
    # Staff send it back (the version moves); the author's withdrawal based on the old read is refused.
    assert post(staff, f"/api/suggestions/{s.pk}/send-back", {"note": "请补充数据", "expected_version": read}
                ).status_code == 200
    r = post(deputy, f"/api/suggestions/{s.pk}/withdraw", {"expected_version": read})
    assert r.status_code == 409 and r.json()["error"]["code"] == "conflict"
    # Editing with the old version: 409; with the new one the author edits and resubmits.
    r = post(deputy, f"/api/suggestions/{s.pk}/edit", {**draft_body(world, title="修改稿"), "expected_version": read})
    assert r.status_code == 409
    now = deputy.get(f"/api/suggestions/{s.pk}").json()
    assert now["status"] == "revising" and now["review_note"] == "请补充数据" and "edit" in now["actions"]
    r = post(deputy, f"/api/suggestions/{s.pk}/edit", {**draft_body(world, title="修改稿"),
                                                       "expected_version": now["version"]})
    assert r.status_code == 200 and r.json()["title"] == "修改稿"
    assert post(deputy, f"/api/suggestions/{s.pk}/submit").json()["status"] == "submitted"


def test_an_action_no_longer_possible_is_invalid_state(world, client_for):
    s = to_submitted(world)
    staff = client_for("staff")
    assert post(staff, f"/api/suggestions/{s.pk}/accept").status_code == 200
    r = post(staff, f"/api/suggestions/{s.pk}/accept")
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_state"
    r = post(client_for("deputy"), f"/api/suggestions/{s.pk}/withdraw")
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_state"
    r = post(staff, f"/api/suggestions/{s.pk}/finish")
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_state"


def test_scope(world, client_for):
    o = sw(world)
    other_town, unit, unit2 = client_for("other_town_staff"), client_for("unit"), client_for("unit2")
    # Another town's staff: the city's items do not exist for them, read or write.
    for url in (f"/api/suggestions/{o.submitted.pk}", f"/api/suggestion-parts/{o.lead.pk}"):
        r = other_town.get(url)
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert post(other_town, f"/api/suggestions/{o.submitted.pk}/accept").status_code == 404
    assert post(other_town, f"/api/suggestion-parts/{o.lead.pk}/reassign",
                {"unit_id": world.other_unit.pk, "note": "改交"}).status_code == 404
    assert other_town.get("/api/suggestions").json()["items"] == []
    assert Suggestion.objects.get(pk=o.submitted.pk).status == "submitted"
    # A unit sees only the suggestions it holds a part of, and its inbox only its own parts.
    assert unit.get(f"/api/suggestions/{o.submitted.pk}").status_code == 404
    listed = {i["id"] for i in unit.get("/api/suggestions").json()["items"]}
    assert listed == {o.assigned.pk, o.replied.pk, o.closed.pk}
    assert {p["unit"]["id"] for p in unit.get("/api/suggestion-parts").json()["items"]} == {world.unit.pk}
    assert {p["unit"]["id"] for p in unit2.get("/api/suggestion-parts").json()["items"]} == {world.other_unit.pk}
    # The lead unit may read the co-unit's part (it takes in its views) but not act on it.
    assert unit.get(f"/api/suggestion-parts/{o.co.pk}").json()["actions"] == []
    r = post(unit, f"/api/suggestion-parts/{o.co.pk}/sign")
    assert r.status_code == 403 and r.json()["error"]["code"] == "permission_denied"
    # A draft is its author's alone; the office sees a suggestion once submitted.
    assert client_for("staff").get(f"/api/suggestions/{o.draft.pk}").status_code == 404
    assert client_for("deputy2").get(f"/api/suggestions/{o.draft.pk}").status_code == 404
    # Visible but not allowed: the director reads a submitted item but may not accept it; the
    # deputy may not accept its own.
    assert client_for("director").get(f"/api/suggestions/{o.submitted.pk}").status_code == 200
    assert post(client_for("director"), f"/api/suggestions/{o.submitted.pk}/accept").status_code == 403
    assert post(client_for("deputy"), f"/api/suggestions/{o.submitted.pk}/accept").status_code == 403
    # Lists a role may not use: 403.
    for role, url in (("discipline", "/api/suggestions"), ("staff", "/api/suggestion-parts"),
                      ("unit", "/api/suggestion-tasks"), ("unit", "/api/suggestion-periods")):
        assert client_for(role).get(url).status_code == 403, (role, url)


def test_office_steps(world, client_for):
    o = sw(world)
    staff, director = client_for("staff"), client_for("director")
    # Decline and to_reference carry the reason to the deputies.
    s1 = to_submitted(world, title="第二件")
    r = post(staff, f"/api/suggestions/{s1.pk}/decline", {"reason": "不属于本级人大职权"})
    assert r.status_code == 200 and r.json()["status"] == "declined" and r.json()["review_note"] == "不属于本级人大职权"
    s2 = to_submitted(world, title="第三件")
    r = post(staff, f"/api/suggestions/{s2.pk}/to-reference", {"reason": "供参考"})
    assert r.json()["status"] == "reference"
    # Merge into an accepted suggestion.
    r = post(staff, f"/api/suggestions/{o.submitted.pk}/merge", {"into_id": o.accepted.pk, "note": "内容相近"})
    assert r.status_code == 200 and r.json()["status"] == "merged" and r.json()["merged_into"] == o.accepted.pk
    assert [m["id"] for m in staff.get(f"/api/suggestions/{o.accepted.pk}").json()["merged_items"]] == [o.submitted.pk]
    # Key supervision (the director too), milestones, then notes to the units.
    r = post(director, f"/api/suggestions/{o.assigned.pk}/key", {
        "leader_id": o.base.leader.pk, "meeting_date": "2026-03-01", "note": "主任会议确定",
        "milestones": [{"due": "2026-06-30", "text": "完成立项"}]})
    assert r.status_code == 200, r.content
    key = r.json()["key"]
    assert r.json()["is_key"] and key["leader"]["name"] == "李秀英" and "milestone-done" in r.json()["actions"]
    r = post(director, f"/api/suggestions/{o.assigned.pk}/milestone-done",
             {"milestone_id": key["milestones"][0]["id"], "done_on": "2026-06-20"})
    assert r.json()["key"]["milestones"][0]["done_on"] == "2026-06-20"
    assert "milestone-done" not in r.json()["actions"]
    assert post(client_for("deputy"), f"/api/suggestions/{o.assigned.pk}/milestone-done",
                {"milestone_id": key["milestones"][0]["id"]}).status_code == 403
    assert staff.get("/api/suggestions?key=true").json()["items"][0]["id"] == o.assigned.pk
    r = post(staff, f"/api/suggestions/{o.assigned.pk}/unkey", {"reason": "已取消"})
    assert r.json()["key"] is None and not r.json()["is_key"]
    r = post(staff, f"/api/suggestions/{o.assigned.pk}/note", {"kind": "remind", "text": "请抓紧办理",
                                                               "part_id": o.lead.pk})
    assert r.status_code == 200 and r.json()["notes"][0]["unit"] == "市住房和城乡建设局"
    # Finish a replied item whose deputies have not all rated; publish the redacted copy and take it back.
    r = post(staff, f"/api/suggestions/{o.replied.pk}/finish", {"expected_version": o.replied.version})
    assert r.status_code == 200 and r.json()["status"] == "closed"
    r = post(staff, f"/api/suggestions/{o.replied.pk}/publish", {"title": "关于公交线路优化的建议"})
    assert r.status_code == 200 and r.json()["is_published"] and r.json()["published_reply"]
    assert "unpublish" in r.json()["actions"]
    r = post(staff, f"/api/suggestions/{o.replied.pk}/unpublish")
    assert r.status_code == 200 and not r.json()["is_published"]


def test_bulk_assign_reports_each_item(world, client_for):
    a = to_accepted(world, title="第一件")
    b = to_accepted(world, title="第二件")
    submitted = to_submitted(world, title="第三件")
    staff = client_for("staff")
    r = post(staff, "/api/suggestions/bulk-assign", {"suggestion_ids": [a.pk, b.pk, submitted.pk, 999999],
                                                     "mode": "lead", "lead_unit_id": world.unit.pk})
    assert r.status_code == 200, r.content
    assert sorted(s["id"] for s in r.json()["assigned"]) == [a.pk, b.pk]
    assert {f["id"] for f in r.json()["failed"]} == {submitted.pk, 999999}
    assert all(f["message"] for f in r.json()["failed"])
    assert Suggestion.objects.get(pk=submitted.pk).status == "submitted"
    assert post(client_for("director"), "/api/suggestions/bulk-assign",
                {"suggestion_ids": [a.pk], "mode": "lead", "lead_unit_id": world.unit.pk}).status_code == 403


def test_units_return_extension_and_the_office_decides(world, client_for):
    o = sw(world)
    unit, staff = client_for("unit"), client_for("staff")
    # Extension: asked by the unit, decided by the office; the deadline moves.
    r = post(unit, f"/api/suggestion-parts/{o.lead.pk}/extension", {"months": 2, "reason": "需跨年度资金安排"})
    assert r.status_code == 200 and r.json()["extensions"][0]["status"] == "requested"
    assert "extension" not in r.json()["actions"]
    due_before = r.json()["due"]
    assert post(unit, f"/api/suggestion-parts/{o.lead.pk}/extension", {"months": 4, "reason": "x"}).status_code == 422
    ext = r.json()["extensions"][0]["id"]
    sup = staff.get("/api/suggestion-supervision").json()
    assert [e["id"] for e in sup["extensions"]] == [ext]
    part = staff.get(f"/api/suggestion-parts/{o.lead.pk}").json()
    assert "decide-extension" in part["actions"]
    assert post(unit, f"/api/suggestion-parts/{o.lead.pk}/decide-extension",
                {"extension_id": ext, "approve": True}).status_code == 403
    r = post(staff, f"/api/suggestion-parts/{o.lead.pk}/decide-extension", {"extension_id": ext, "approve": False})
    assert r.status_code == 422 and errors(r) == {"note": "invalid"}
    r = post(staff, f"/api/suggestion-parts/{o.lead.pk}/decide-extension", {"extension_id": ext, "approve": True})
    assert r.status_code == 200 and r.json()["extensions"][0]["status"] == "approved"
    assert r.json()["due"] > due_before and r.json()["extended_months"] == 2
    r = post(staff, f"/api/suggestion-parts/{o.lead.pk}/decide-extension", {"extension_id": ext, "approve": True})
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_state"
    assert Extension.objects.get(pk=ext).status == "approved"
    # Return, refused by the office; then the office reassigns the co part to another unit.
    r = post(unit, f"/api/suggestion-parts/{o.lead.pk}/return", {"reason": "非本单位职责"})
    assert r.status_code == 200 and r.json()["status"] == "returned"
    assert [p["part_id"] for p in staff.get("/api/suggestion-supervision").json()["returns"]] == [o.lead.pk]
    r = post(staff, f"/api/suggestion-parts/{o.lead.pk}/reject-return", {"note": "属于本单位职责"})
    assert r.status_code == 200 and r.json()["status"] == "assigned"
    r = post(staff, f"/api/suggestion-parts/{o.co.pk}/reassign", {"unit_id": world.unit.pk, "note": "调整"})
    assert r.status_code == 422 and errors(r) == {"unit_id": "unit_duplicate"}
    from renda.org.models import Unit

    third = Unit.objects.create(congress=world.city, name="市水务局")
    r = post(staff, f"/api/suggestion-parts/{o.co.pk}/reassign", {"unit_id": third.pk, "note": "调整承办单位"})
    assert r.status_code == 200 and r.json()["unit"]["name"] == "市水务局" and r.json()["id"] != o.co.pk
    # The old co-unit no longer holds a part: the suggestion is out of its scope.
    assert client_for("unit2").get(f"/api/suggestion-parts/{o.co.pk}").status_code == 404


def test_periods(world, client_for):
    o = sw(world)
    staff, deputy, director = client_for("staff"), client_for("deputy"), client_for("director")
    r = post(staff, "/api/suggestion-periods", {"kind": "recess", "year": 2026, "name": "2026年闭会期间",
                                                "number_prefix": "闭会"})
    assert r.status_code == 200 and r.json()["is_open"] is False
    new = r.json()["id"]
    r = post(staff, "/api/suggestion-periods", {"kind": "recess", "year": 2026, "name": "2026年闭会期间"})
    assert r.status_code == 422 and errors(r) == {"name": "duplicate"}
    assert post(deputy, "/api/suggestion-periods", {"kind": "recess", "year": 2026, "name": "x"}).status_code == 403
    assert post(director, f"/api/suggestion-periods/{new}/open").status_code == 403
    r = post(staff, f"/api/suggestion-periods/{new}/open", {"closes_at": "2099-01-01T00:00:00"})
    assert r.status_code == 200 and r.json()["accepts_submissions"]
    assert {p["id"] for p in deputy.get("/api/suggestion-periods").json()} == {o.period.pk, new}
    # With two open periods a draft goes into the one named.
    s = draft(world, title="闭会期间的建议")
    r = post(deputy, f"/api/suggestions/{s.pk}/submit", {"period_id": new})
    assert r.status_code == 200 and r.json()["period"]["id"] == new
    r = post(staff, f"/api/suggestion-periods/{new}/close")
    assert r.status_code == 200 and not r.json()["is_open"]
    s = draft(world, title="截止后的建议")
    r = post(deputy, f"/api/suggestions/{s.pk}/submit", {"period_id": new})
    assert r.status_code == 422 and errors(r) == {"period_id": "period_closed"}
    assert [p["id"] for p in deputy.get("/api/suggestion-periods").json()] == [o.period.pk]
    assert len(staff.get("/api/suggestion-periods").json()) == 2
    # Another congress's period does not exist for the town staff.
    assert post(client_for("town_staff"), f"/api/suggestion-periods/{new}/open").status_code == 404


def test_invitations_declined_and_withdrawn(world, client_for):
    base(world)
    s = draft(world)
    deputy, deputy2 = client_for("deputy"), client_for("deputy2")
    post(deputy, f"/api/suggestions/{s.pk}/invite", {"deputy_ids": [world.deputy2.pk]})
    r = post(deputy, f"/api/suggestions/{s.pk}/invite", {"deputy_ids": [world.deputy2.pk]})
    assert r.status_code == 422 and errors(r) == {"deputy_ids": "duplicate"}
    r = post(deputy, f"/api/suggestions/{s.pk}/uninvite", {"deputy_id": world.deputy2.pk})
    assert r.status_code == 200 and [x["is_author"] for x in r.json()["signers"]] == [True]
    assert deputy2.get(f"/api/suggestions/{s.pk}").status_code == 404
    post(deputy, f"/api/suggestions/{s.pk}/invite", {"deputy_ids": [world.deputy2.pk]})
    r = post(deputy2, f"/api/suggestions/{s.pk}/respond", {"confirm": False})
    assert r.status_code == 200 and r.json() == {"status": "declined", "status_label": "已谢绝", "suggestion": None}
    assert deputy2.get(f"/api/suggestions/{s.pk}").status_code == 404
    r = post(deputy, f"/api/suggestions/{s.pk}/invite", {"deputy_ids": [world.other_deputy.pk]})
    assert r.status_code == 422 and errors(r) == {"deputy_ids": "deputy_unknown"}
    # Only the author invites; the co-signer who is asked cannot invite others.
    post(deputy, f"/api/suggestions/{s.pk}/invite", {"deputy_ids": [world.deputy2.pk]})
    assert post(deputy2, f"/api/suggestions/{s.pk}/invite", {"deputy_ids": [world.deputy.pk]}).status_code == 403


def test_rating_checks(world, client_for):
    o = sw(world)
    deputy, staff = client_for("deputy"), client_for("staff")
    r = post(deputy, f"/api/suggestions/{o.replied.pk}/rate", {"reply_id": 999999, "value": "satisfied"})
    assert r.status_code == 422 and errors(r) == {"reply_id": "reply_unknown"}
    r = post(deputy, f"/api/suggestions/{o.replied.pk}/rate", {"reply_id": o.reply.pk, "value": "great"})
    assert r.status_code == 422
    assert post(staff, f"/api/suggestions/{o.replied.pk}/rate",
                {"reply_id": o.reply.pk, "value": "satisfied"}).status_code == 403
    assert post(deputy, f"/api/suggestions/{o.replied.pk}/rate",
                {"reply_id": o.reply.pk, "value": "satisfied"}).status_code == 200
    r = post(deputy, f"/api/suggestions/{o.replied.pk}/rate", {"reply_id": o.reply.pk, "value": "basic"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "already_rated"
    assert Rating.objects.filter(reply=o.reply).count() == 1


def test_list_filters_and_keyset_pages(world, client_for):
    o = sw(world)
    staff = client_for("staff")
    everything = staff.get("/api/suggestions").json()
    ids = [i["id"] for i in everything["items"]]
    assert everything["count"] == 5 and everything["next_cursor"] == "" and o.draft.pk not in ids
    seen, cursor = [], ""
    for _ in range(5):
        page = staff.get(f"/api/suggestions?limit=2&cursor={cursor}").json()
        assert len(page["items"]) <= 2 and page["count"] == 5
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    else:
        pytest.fail("the pages never end")
    assert seen == ids
    assert [i["id"] for i in staff.get(f"/api/suggestions?status=handling&unit={world.unit.pk}").json()["items"]] \
        == [o.assigned.pk]
    assert [i["id"] for i in staff.get("/api/suggestions?outcome=A&year=2026").json()["items"]] \
        == [o.closed.pk, o.replied.pk]
    assert [i["id"] for i in staff.get(f"/api/suggestions?deputy={world.deputy2.pk}").json()["items"]] \
        == [o.replied.pk]
    assert [i["id"] for i in staff.get("/api/suggestions?q=公交").json()["items"]] == [o.replied.pk]
    for bad in ("cursor=abc", "year=1999", "status=nonsense", "limit=0", "limit=201", "q=" + "长" * 51):
        r = staff.get(f"/api/suggestions?{bad}")
        assert r.status_code == 422, bad
    # The deputy's own list includes the draft.
    assert o.draft.pk in [i["id"] for i in client_for("deputy").get("/api/suggestions").json()["items"]]


def test_list_and_detail_queries_are_bounded(world, client_for):
    o = sw(world)
    staff = client_for("staff")
    staff.get("/api/suggestions")
    with CaptureQueriesContext(connection) as few:
        staff.get("/api/suggestions")
    for i in range(4):
        to_assigned(world, title=f"更多{i}")
    with CaptureQueriesContext(connection) as many:
        r = staff.get("/api/suggestions")
    assert r.json()["count"] == 9 and len(many) == len(few)
    # The detail: more history (ratings, notes, contacts) does not cost more queries.
    with CaptureQueriesContext(connection) as few:
        staff.get(f"/api/suggestions/{o.assigned.pk}")
    for i in range(5):
        services.note_add(actor=act(world, "staff"), suggestion_id=o.assigned.pk, kind="remind", text=f"催办{i}")
    with CaptureQueriesContext(connection) as many:
        r = staff.get(f"/api/suggestions/{o.assigned.pk}")
    assert len(r.json()["notes"]) == 5 and len(many) == len(few)
    # The unit's inbox: one page costs the same with more parts.
    unit = client_for("unit")
    with CaptureQueriesContext(connection) as many:
        r = unit.get("/api/suggestion-parts")
    assert r.json()["count"] == 7
    to_assigned(world, title="再多一件")
    with CaptureQueriesContext(connection) as more:
        unit.get("/api/suggestion-parts")
    assert len(more) == len(many)


def test_inbox_actions_match_the_part_page(world, client_for):
    """The inbox reads pending extensions once per page; its actions must be the detail's."""
    o = sw(world)
    unit, staff = client_for("unit"), client_for("staff")
    services.extension_request(actor=act(world, "unit"), assignment_id=o.lead.pk, months=1, reason="需要时间")
    for p in unit.get("/api/suggestion-parts").json()["items"]:
        assert p["actions"] == unit.get(f"/api/suggestion-parts/{p['id']}").json()["actions"], p["id"]
    inbox = {p["id"]: p["actions"] for p in unit.get("/api/suggestion-parts").json()["items"]}
    assert "extension" not in inbox[o.lead.pk]
    assert "decide-extension" in staff.get(f"/api/suggestion-parts/{o.lead.pk}").json()["actions"]


def test_similar_suggestions_while_drafting(world, client_for):
    o = sw(world)
    r = client_for("deputy").get("/api/suggestions/similar?text=关于公交线路优化")
    assert r.status_code == 200
    hit = next(x for x in r.json() if x["id"] == o.replied.pk)
    assert hit["reply"]["unit"] == "市住房和城乡建设局" and hit["reply"]["outcome"] == "A"
    assert o.draft.pk not in [x["id"] for x in r.json()]
    assert client_for("deputy").get("/api/suggestions/similar?text=公交").json() == []
    assert client_for("unit").get("/api/suggestions/similar?text=公交线路").status_code == 403


def test_schema_has_every_suggestion_operation(client_for):
    schema = client_for("anonymous").get("/api/openapi.json").json()
    ops = {op["operationId"]: (path, method, op) for path, item in schema["paths"].items()
           for method, op in item.items()}
    reads = {"suggestion_list", "suggestion_get", "suggestion_similar", "suggestion_part_list",
             "suggestion_part_get", "suggestion_period_list", "suggestion_tasks", "suggestion_supervision"}
    writes = {f"suggestion_{a}" for a in ("create", "bulk_assign", "edit", "invite", "uninvite", "respond", "submit",
                                          "withdraw", "rate", "accept", "decline", "to_reference", "send_back",
                                          "merge", "assign", "finish", "note", "key", "unkey", "milestone_done",
                                          "publish", "unpublish")}
    writes |= {f"suggestion_part_{a}" for a in ("sign", "return", "reject_return", "reassign", "contact", "views",
                                                "reply", "progress", "solve", "extension", "decide_extension")}
    writes |= {"suggestion_period_create", "suggestion_period_open", "suggestion_period_close"}
    assert reads | writes <= set(ops)
    for name in reads | writes:
        path, method, op = ops[name]
        assert {"200", "400", "401", "422", "429"} <= set(op["responses"]), name
        assert ("403" in op["responses"]) or ("404" in op["responses"]), name
        if method == "post" and "{" in path:
            assert {"403", "404", "409"} <= set(op["responses"]), name
    reply = ops["suggestion_part_reply"][2]["requestBody"]["content"]
    assert list(reply) == ["multipart/form-data"]
    assert reply["multipart/form-data"]["schema"]["properties"]["pdf"]["format"] == "binary"


def test_a_part_not_answering_gets_no_reply_button(world, client_for):
    s = to_assigned(world)
    _lead, co = parts(s)
    services.assignment_sign(actor=act(world, "unit2"), assignment_id=co.pk)
    part = client_for("unit2").get(f"/api/suggestion-parts/{co.pk}").json()
    assert part["role"] == "co" and "views" in part["actions"] and "reply" not in part["actions"]
    r = upload(client_for("unit2"), f"/api/suggestion-parts/{co.pk}/reply", {"outcome": "A", "text": "答复"})
    assert r.status_code == 422 and errors(r) == {"text": "wrong_role"}
    assert Assignment.objects.get(pk=co.pk).status == "signed"


@pytest.mark.parametrize(("role", "expected"), [
    ("unit", 200), ("admin", 200), ("staff", 403), ("director", 403), ("deputy", 403), ("unit2", 404),
    ("town_staff", 404), ("discipline", 404), ("norole", 404), ("anonymous", 401),
])
def test_reply_and_solve_by_role(role, expected, world, client_for):
    """The multipart steps (the permission matrix posts JSON, so their roles are checked here)."""
    s = to_replied(world, outcome="B", co=False)
    lead, _ = parts(s)
    services.rating_submit(actor=act(world, "deputy"), reply_id=s.replies.get(kind="reply").pk, value="satisfied")
    client = client_for(role)
    r = upload(client, f"/api/suggestion-parts/{lead.pk}/solve", {"text": "已全部完工。"})
    assert r.status_code == expected, r.content
    assert Reply.objects.filter(suggestion=s, kind="solved").exists() == (expected == 200)
    other = to_assigned(world, co=False, title="另一件")
    part, _ = parts(other)
    services.assignment_sign(actor=act(world, "unit"), assignment_id=part.pk)
    services.contact_record(actor=act(world, "unit"), assignment_id=part.pk, deputy_id=world.deputy.pk,
                            contacted_on=timezone.localdate(), form="phone", content="沟通。")
    r = upload(client, f"/api/suggestion-parts/{part.pk}/reply", {"outcome": "C", "text": "暂难解决。"})
    assert r.status_code == expected, r.content
    assert Reply.objects.filter(suggestion=other, kind="reply").exists() == (expected == 200)


def test_schema_names_do_not_collide_with_other_api_modules():
    """The OpenAPI components are named after the classes: a second class of the same name in another
    schemas module would silently replace the first one's shape in the schema."""
    import inspect

    from ninja import Schema

    from renda.api import errors, schemas, schemas_opinions, schemas_suggestions

    def names(module):
        return {n for n, c in inspect.getmembers(module, inspect.isclass)
                if issubclass(c, Schema) and c.__module__ == module.__name__}

    others = names(schemas) | names(schemas_opinions) | names(errors)
    assert names(schemas_suggestions) and not names(schemas_suggestions) & others


def test_a_deputys_drafts_are_reached_through_the_pages(world, client_for):
    base(world)
    d = draft(world, title="草稿")
    submitted = [to_submitted(world, title=f"已提交{i}").pk for i in range(2)]
    deputy = client_for("deputy")
    seen, cursor = [], ""
    for _ in range(5):
        page = deputy.get(f"/api/suggestions?limit=1&cursor={cursor}").json()
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted([d.pk, *submitted])


def test_every_action_of_the_pages_has_an_endpoint(client_for):
    """The `actions` come from the pages' table (renda/suggestions/actions.py): each of its actions needs an
    API endpoint, named in the endpoint module's segment tables, and that endpoint must exist."""
    from renda.api.endpoints import suggestions as endpoint
    from renda.suggestions import actions

    assert {a.name for a in actions.SUGGESTION_ACTIONS} <= set(endpoint.SUGGESTION_SEGMENTS)
    assert {a.name for a in actions.PART_ACTIONS} <= set(endpoint.PART_SEGMENTS)
    paths = set(client_for("anonymous").get("/api/openapi.json").json()["paths"])
    extra = {"edit", "uninvite", "milestone-done", "rate"}
    for segment in {*endpoint.SUGGESTION_SEGMENTS.values(), *extra}:
        assert f"/api/suggestions/{{suggestion_id}}/{segment}" in paths, segment
    for segment in endpoint.PART_SEGMENTS.values():
        assert f"/api/suggestion-parts/{{part_id}}/{segment}" in paths, segment


def test_files_are_added_to_a_draft_and_to_co_unit_views_not_to_a_sent_reply(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from renda.core.attachments import attachments_for
    from renda.suggestions.world import PDF, sw

    o = sw(world)
    deputy, unit2 = client_for("deputy"), client_for("unit2")
    pdf = SimpleUploadedFile("调研报告.pdf", PDF, content_type="application/pdf")
    r = deputy.post(f"/api/suggestions/{o.draft.pk}/files", {"files": [pdf]})
    assert r.status_code == 200, r.content
    assert [f["name"] for f in r.json()["files"]] == ["调研报告.pdf"]
    assert attachments_for(owner=o.draft).count() == 1
    # Not the author: refused; a submitted suggestion: no more files.
    other = SimpleUploadedFile("x.pdf", PDF, content_type="application/pdf")
    assert client_for("staff").post(f"/api/suggestions/{o.submitted.pk}/files", {"files": [other]}).status_code == 403
    # The co-unit adds a file to its own views; the lead cannot, and a sent reply takes none.
    r = unit2.post(f"/api/suggestion-replies/{o.co_views.pk}/files",
                   {"files": [SimpleUploadedFile("意见.pdf", PDF, content_type="application/pdf")]})
    assert r.status_code == 200, r.content
    r = client_for("unit").post(f"/api/suggestion-replies/{o.co_views.pk}/files",
                                {"files": [SimpleUploadedFile("意见.pdf", PDF, content_type="application/pdf")]})
    assert r.status_code == 403
    r = client_for("unit").post(f"/api/suggestion-replies/{o.reply.pk}/files",
                                {"files": [SimpleUploadedFile("补充.pdf", PDF, content_type="application/pdf")]})
    assert r.status_code == 409
    disguised = SimpleUploadedFile("假.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="application/pdf")
    r = deputy.post(f"/api/suggestions/{o.draft.pk}/files", {"files": [disguised]})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["loc"][-1] == "files"


def test_the_public_reads_published_replies_only(world, client):
    from renda.suggestions.world import sw

    o = sw(world)
    r = client.get("/api/public/published-suggestions")
    assert r.status_code == 200 and [i["id"] for i in r.json()["items"]] == [o.closed.pk]
    r = client.get(f"/api/public/published-suggestions/{o.closed.pk}")
    assert r.json()["reply"] == "已列入计划。" and "author" not in r.json()
    assert client.get(f"/api/public/published-suggestions/{o.replied.pk}").status_code == 404
