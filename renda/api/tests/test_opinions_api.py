"""The opinions API (renda/api/endpoints/opinions.py): the whole cycle through JSON, idempotency,
conflicts, bad input, scope, masking and the schema."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renda.opinions.models import Assignment, Category, Opinion
from renda.opinions.tests.factories import submit


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def key() -> str:
    return uuid.uuid4().hex


def submit_body(w, **kw):
    body = {"idempotency_key": key(), "category_id": Category.objects.get(code="urban").pk, "title": "小区电梯坏了",
            "text": "新港社区3号楼电梯坏了一个月，老人上下楼困难。", "deputy_id": w.deputy.pk,
            "community_id": w.community.pk, "citizen_name": "王小明", "citizen_phone": "13811112222"}
    body.update(kw)
    return body


def test_full_cycle_through_the_api(world, client_for):
    public, deputy, unit = client_for("anonymous"), client_for("deputy"), client_for("unit")

    # The citizen submits; a retry with the same key returns the first result (200, not 201).
    body = submit_body(world)
    r = post(public, "/api/public/opinions", body)
    assert r.status_code == 201, r.content
    code = r.json()["tracking_code"]
    assert r.json()["due"] and r.json()["addressee"] == "张建国" and r.json()["anonymous"] is False
    again = post(public, "/api/public/opinions", body)
    assert again.status_code == 200 and again.json()["tracking_code"] == code
    assert Opinion.objects.filter(tracking_code=code).count() == 1
    opinion = Opinion.objects.get(tracking_code=code)
    assert opinion.channel == Opinion.Channel.API

    # The deputy finds it in the list, reads it (contacts unmasked: the deputy handles it) and accepts.
    listed = deputy.get("/api/opinions?status=submitted").json()
    assert opinion.pk in [i["id"] for i in listed["items"]]
    detail = deputy.get(f"/api/opinions/{opinion.pk}").json()
    assert detail["citizen"] == {"name": "王小明", "phone": "13811112222", "email": "", "address": "",
                                 "anonymous": False, "masked": False}
    assert detail["actions"] == ["accept", "decline"]
    r = post(deputy, f"/api/opinions/{opinion.pk}/accept", {"expected_version": detail["version"]})
    assert r.status_code == 200 and r.json()["status"] == "accepted"

    # Forward to the unit; the unit signs and replies.
    r = post(deputy, f"/api/opinions/{opinion.pk}/forward", {"unit_ids": [world.unit.pk], "note": "请核实"})
    assert r.status_code == 200 and r.json()["status"] == "forwarded"
    assert [p["unit"]["name"] for p in r.json()["parts"]] == ["市住房和城乡建设局"]
    inbox = unit.get("/api/opinion-parts").json()
    part_id = inbox["items"][0]["id"]
    assert inbox["items"][0]["opinion"]["tracking_code"] == code
    assert inbox["items"][0]["actions"] == ["sign", "return", "progress"]
    r = post(unit, f"/api/opinion-parts/{part_id}/sign", {"expected_version": inbox["items"][0]["version"]})
    assert r.status_code == 200 and r.json()["status"] == "signed"
    r = post(unit, f"/api/opinion-parts/{part_id}/progress", {"text": "已派人现场查看。"})
    assert r.status_code == 200 and r.json()["opinion"]["notes"][0]["text"] == "已派人现场查看。"
    r = post(unit, f"/api/opinion-parts/{part_id}/reply", {"reply_text": "电梯已更换主板，恢复运行。"})
    assert r.status_code == 200 and r.json()["status"] == "replied"

    # The deputy answers the citizen.
    r = post(deputy, f"/api/opinions/{opinion.pk}/answer", {"reply_text": "经住建局协调，电梯已修复。"})
    assert r.status_code == 200 and r.json()["status"] == "replied"

    # The citizen tracks (wrong digits: 404, like a wrong code), then rates 不满意: re-handling.
    assert post(public, "/api/public/opinions/track", {"code": code, "phone_last4": "0000"}).status_code == 404
    assert post(public, "/api/public/opinions/track", {"code": "ZZZZZZZZZZ", "phone_last4": "2222"}).status_code == 404
    t = post(public, "/api/public/opinions/track", {"code": code.lower(), "phone_last4": "2222"})
    assert t.status_code == 200
    assert (t.json()["status"] == "replied" and t.json()["reply"] == "经住建局协调，电梯已修复。"
            and t.json()["can_rate"])
    r = post(public, "/api/public/opinions/rate", {"code": code, "phone_last4": "2222", "rating": "unsatisfied",
                                                   "comment": "晚上还是经常停。"})
    assert r.status_code == 200 and r.json()["status"] == "rehandling" and r.json()["due"]

    # Re-handling: the deputy forwards again (a new round for the unit), the unit replies, the deputy answers.
    r = post(deputy, f"/api/opinions/{opinion.pk}/forward", {"unit_ids": [world.unit.pk], "note": "群众不满意，请复查"})
    assert r.status_code == 200, r.content
    new_part = max(p["id"] for p in r.json()["parts"])
    assert post(unit, f"/api/opinion-parts/{new_part}/sign").status_code == 200
    assert post(unit, f"/api/opinion-parts/{new_part}/reply", {"reply_text": "已更换控制柜。"}).status_code == 200
    r = post(deputy, f"/api/opinions/{opinion.pk}/answer", {"reply_text": "控制柜已更换，请再观察。"})
    assert r.status_code == 200 and r.json()["status"] == "replied"

    # 满意: closed. Rating again is a conflict.
    r = post(public, "/api/public/opinions/rate", {"code": code, "phone_last4": "2222", "rating": "satisfied"})
    assert r.status_code == 200 and r.json()["status"] == "closed" and r.json()["rating"] == "satisfied"
    r = post(public, "/api/public/opinions/rate", {"code": code, "phone_last4": "2222", "rating": "satisfied"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_state"

    # Staff publish the redacted copy; the public reads it without personal data.
    staff = client_for("staff")
    r = post(staff, f"/api/opinions/{opinion.pk}/publish", {})
    assert r.status_code == 200 and r.json()["is_published"]
    pub = public.get("/api/public/published-opinions").json()
    assert opinion.pk in [i["id"] for i in pub["items"]]
    one = public.get(f"/api/public/published-opinions/{opinion.pk}").json()
    assert one["reply"] == "控制柜已更换，请再观察。" and "13811112222" not in str(one)
    timeline = staff.get(f"/api/opinions/{opinion.pk}").json()["timeline"]
    assert [e["action"] for e in timeline][:3] == ["submit", "accept", "forward"]


def test_anonymous_opinion_is_tracked_by_code_alone(world, client_for):
    public = client_for("anonymous")
    r = post(public, "/api/public/opinions", submit_body(world, citizen_phone="", citizen_name="",
                                                         deputy_id=None, station_id=world.station.pk))
    assert r.status_code == 201 and r.json()["anonymous"] is True
    t = post(public, "/api/public/opinions/track", {"code": r.json()["tracking_code"]})
    assert t.status_code == 200 and t.json()["addressee"] == "沙溪镇人大代表联络站"


def test_stale_expected_version_is_a_conflict(world, client_for):
    opinion = submit(world)
    deputy = client_for("deputy")
    r = post(deputy, f"/api/opinions/{opinion.pk}/accept", {"expected_version": opinion.version + 5})
    assert r.status_code == 409 and r.json()["error"]["code"] == "conflict"
    opinion.refresh_from_db()
    assert opinion.status == "submitted"
    # Staff reassigning bumps the version: the deputy acting on what they read before gets 409.
    read = deputy.get(f"/api/opinions/{opinion.pk}").json()["version"]
    r = post(client_for("staff"), f"/api/opinions/{opinion.pk}/reassign",
             {"deputy_id": world.deputy2.pk, "note": "李代表更熟悉该社区", "expected_version": read})
    assert r.status_code == 200
    assert post(deputy, f"/api/opinions/{opinion.pk}/accept", {"expected_version": read}).status_code == 404


def test_a_second_accept_is_a_conflict(world, client_for):
    opinion = submit(world)
    deputy = client_for("deputy")
    assert post(deputy, f"/api/opinions/{opinion.pk}/accept").status_code == 200
    r = post(client_for("staff"), f"/api/opinions/{opinion.pk}/accept")
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_state"


@pytest.mark.parametrize(("change", "loc"), [
    ({"title": "长" * 101}, "title"),
    ({"title": "   "}, "title"),
    ({"category_id": 999999}, "category_id"),
    ({"deputy_id": None}, "deputy_id"),
    ({"citizen_phone": "12345"}, "citizen_phone"),
    ({"idempotency_key": "short"}, "idempotency_key"),
    ({"text": "内容\x00"}, "text"),
    ({"deputy_id": "abc"}, "deputy_id"),
    ({"community_id": 2**63}, "community_id"),
])
def test_bad_submissions_are_422_with_the_field(change, loc, world, client_for):
    r = post(client_for("anonymous"), "/api/public/opinions", submit_body(world, **change))
    assert r.status_code == 422, r.content
    body = r.json()["error"]
    assert body["code"] == "validation_error"
    assert loc in [d["loc"][-1] for d in body["details"]]
    assert Opinion.objects.count() == 0


def test_malformed_json_is_400(world, client_for):
    r = client_for("anonymous").post("/api/public/opinions", "{not json", content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_request"


def test_script_is_stored_and_returned_as_text(world, client_for):
    script = "<script>alert('x')</script>"
    r = post(client_for("anonymous"), "/api/public/opinions", submit_body(world, title=script, text=script + "路灯"))
    assert r.status_code == 201
    opinion = Opinion.objects.get(tracking_code=r.json()["tracking_code"])
    detail = client_for("deputy").get(f"/api/opinions/{opinion.pk}")
    assert detail["Content-Type"].startswith("application/json")
    assert detail.json()["title"] == script


def test_service_validation_is_422_with_the_service_code(world, client_for):
    opinion = submit(world)
    deputy = client_for("deputy")
    post(deputy, f"/api/opinions/{opinion.pk}/accept")
    r = post(deputy, f"/api/opinions/{opinion.pk}/forward", {"unit_ids": [999999]})
    assert r.status_code == 422
    detail = r.json()["error"]["details"][0]
    assert detail["loc"] == ["body", "unit_ids"] and detail["msg"] == "所选承办单位不存在或不属于本级人大。"
    post(deputy, f"/api/opinions/{opinion.pk}/forward", {"unit_ids": [world.unit.pk]})
    r = post(deputy, f"/api/opinions/{opinion.pk}/answer", {"reply_text": "先答复"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["loc"] == ["body", "reply_text"]


def test_other_congress_is_404(world, client_for):
    city = submit(world)
    other_town = client_for("other_town_staff")
    assert other_town.get(f"/api/opinions/{city.pk}").status_code == 404
    r = post(other_town, f"/api/opinions/{city.pk}/accept")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert city.pk not in [i["id"] for i in other_town.get("/api/opinions").json()["items"]]
    city.refresh_from_db()
    assert city.status == "submitted"
    # A unit holding no part: 404; the deputy may see an answered item but not close it: 403.
    assert client_for("unit").get(f"/api/opinions/{city.pk}").status_code == 404
    deputy = client_for("deputy")
    post(deputy, f"/api/opinions/{city.pk}/accept")
    assert post(deputy, f"/api/opinions/{city.pk}/answer", {"reply_text": "已答复"}).status_code == 200
    r = post(deputy, f"/api/opinions/{city.pk}/close")
    assert r.status_code == 403 and r.json()["error"]["code"] == "permission_denied"


def test_contacts_are_masked_for_viewers_who_do_not_handle(world, client_for):
    opinion = submit(world)
    citizen = client_for("director").get(f"/api/opinions/{opinion.pk}").json()["citizen"]
    assert citizen["phone"] == "138****2222" and citizen["name"] == "王**" and citizen["masked"] is True


def test_unit_return_and_staff_reassign(world, client_for):
    opinion = submit(world)
    deputy, unit, staff = client_for("deputy"), client_for("unit"), client_for("staff")
    post(deputy, f"/api/opinions/{opinion.pk}/accept")
    post(deputy, f"/api/opinions/{opinion.pk}/forward", {"unit_ids": [world.unit.pk]})
    part = Assignment.objects.get(opinion=opinion)
    r = post(unit, f"/api/opinion-parts/{part.pk}/return", {"reason": "不属于本单位职责"})
    assert r.status_code == 200 and r.json()["status"] == "returned"
    assert post(unit, f"/api/opinion-parts/{part.pk}/reassign", {"unit_id": world.other_unit.pk, "note": "x"}
                ).status_code == 403
    r = post(staff, f"/api/opinion-parts/{part.pk}/reassign",
             {"unit_id": world.other_unit.pk, "note": "改由教育局办理"})
    assert r.status_code == 200 and r.json()["unit"]["name"] == "市教育局" and r.json()["status"] == "assigned"
    # The old unit no longer holds a part: the item is out of its scope.
    assert unit.get(f"/api/opinion-parts/{part.pk}").status_code == 404


def test_offline_entry_by_staff(world, client_for):
    staff = client_for("staff")
    body = {**submit_body(world), "offline_event": "民声茶坊", "offline_event_date": "2026-03-15"}
    r = post(staff, "/api/opinions/offline", body)
    assert r.status_code == 201, r.content
    assert r.json()["channel"] == "offline" and r.json()["offline_event"] == "民声茶坊"
    again = post(staff, "/api/opinions/offline", body)
    assert again.status_code == 200 and again.json()["id"] == r.json()["id"]
    assert post(client_for("deputy"), "/api/opinions/offline", {**body, "idempotency_key": key()}).status_code == 403
    # Town staff may not enter an item for a city deputy: refused and nothing is left behind.
    before = Opinion.objects.count()
    r = post(client_for("town_staff"), "/api/opinions/offline", {**body, "idempotency_key": key()})
    assert r.status_code == 403 and Opinion.objects.count() == before


def test_list_queries_are_bounded(world, client_for):
    for i in range(3):
        submit(world, title=f"意见{i}")
    staff = client_for("staff")
    staff.get("/api/opinions")
    with CaptureQueriesContext(connection) as few:
        staff.get("/api/opinions")
    for i in range(10):
        submit(world, title=f"更多{i}")
    with CaptureQueriesContext(connection) as many:
        r = staff.get("/api/opinions")
    assert r.json()["count"] == 13
    assert len(many) == len(few)


def test_public_write_throttle(world, client_for, settings, fresh_ip):
    settings.RENDA_API_THROTTLE_RATES = {"anon": "1000/min", "auth": None, "public_write": "2/min"}
    public = client_for("anonymous")
    codes = [public.post("/api/public/opinions/track", {"code": "ABCDEFGHJK"}, content_type="application/json",
                         REMOTE_ADDR=fresh_ip).status_code for _ in range(3)]
    assert codes == [404, 404, 429]


def test_schema_has_every_opinion_operation(client_for):
    schema = client_for("anonymous").get("/api/openapi.json").json()
    ops = {op["operationId"]: (path, method, op) for path, item in schema["paths"].items()
           for method, op in item.items()}
    expected = {"opinion_list", "opinion_get", "opinion_enter_offline", "opinion_part_list", "opinion_part_get",
                "public_opinion_categories", "public_opinion_submit", "public_opinion_track", "public_opinion_rate",
                "public_published_opinion_list", "public_published_opinion_get"}
    expected |= {f"opinion_{a}" for a in ("accept", "decline", "forward", "answer", "close", "reassign", "remind",
                                          "extend", "merge", "publish", "unpublish")}
    expected |= {f"opinion_part_{a}" for a in ("sign", "return", "reply", "progress", "reject_return", "reassign")}
    assert expected <= set(ops)
    for name in expected:
        _path, method, op = ops[name]
        assert "429" in op["responses"] and "422" in op["responses"], name
        if method == "post" and not name.startswith("public_"):
            assert {"401", "403", "404", "409"} <= set(op["responses"]) or name == "opinion_enter_offline", name
    assert set(ops["public_opinion_submit"][2]["responses"]) >= {"200", "201", "422"}


def test_detail_queries_do_not_grow_with_the_history(world, client_for):
    opinion = submit(world)
    deputy, unit = client_for("deputy"), client_for("unit")
    post(deputy, f"/api/opinions/{opinion.pk}/accept")
    post(deputy, f"/api/opinions/{opinion.pk}/forward", {"unit_ids": [world.unit.pk]})
    part = Assignment.objects.get(opinion=opinion)
    post(unit, f"/api/opinion-parts/{part.pk}/sign")
    post(unit, f"/api/opinion-parts/{part.pk}/progress", {"text": "第一次进展"})
    with CaptureQueriesContext(connection) as few:
        deputy.get(f"/api/opinions/{opinion.pk}")
    for i in range(6):
        post(unit, f"/api/opinion-parts/{part.pk}/progress", {"text": f"进展{i}"})
    with CaptureQueriesContext(connection) as many:
        r = deputy.get(f"/api/opinions/{opinion.pk}")
    assert len(r.json()["notes"]) == 7 and len(r.json()["timeline"]) >= 10
    assert len(many) == len(few)
