"""The handlers' workspace through its pages: inbox, item page and its actions, the unit's part page."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from renda.opinions import services
from renda.opinions.models import Assignment, Note, Opinion
from renda.opinions.tests.factories import as_role, submit

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"


def _msgs(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _follow(client, url, data):
    return client.post(url, data, follow=True)


def _forwarded(world):
    opinion = submit(world)
    deputy = as_role(world, "deputy")
    services.opinion_accept(opinion_id=opinion.pk, actor=deputy)
    services.opinion_forward(opinion_id=opinion.pk, actor=deputy, unit_ids=[world.unit.pk], note="请核实")
    opinion.refresh_from_db()
    return opinion, Assignment.objects.get(opinion=opinion)


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"\x00\xff\x00\x00"
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


# --- inbox -------------------------------------------------------------------------------------------------
def test_deputy_inbox_lists_own_items_with_overdue_flag(world, client_for):
    mine = submit(world, title="我的意见")
    station_item = submit(world, to="station", title="联络站的意见")
    Opinion.objects.filter(pk=mine.pk).update(current_due=timezone.localdate() - datetime.timedelta(days=2))
    r = client_for("deputy").get("/opinions/inbox/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "我的意见" in html and "联络站的意见" in html  # duty station's items too
    assert mine.tracking_code in html and station_item.tracking_code in html
    assert "due-overdue" in html


def test_inbox_tabs_filter_by_status(world, client_for):
    submit(world, title="待受理的")
    accepted = submit(world, title="已受理的")
    services.opinion_accept(opinion_id=accepted.pk, actor=as_role(world, "deputy"))
    c = client_for("deputy")
    pending = c.get("/opinions/inbox/?tab=pending").content.decode()
    handling = c.get("/opinions/inbox/?tab=handling").content.decode()
    assert "待受理的" in pending and "已受理的" not in pending
    assert "已受理的" in handling and "待受理的" not in handling
    r = c.get("/opinions/inbox/?tab=nonsense&page=abc&q=" + "<b>" * 30)
    assert r.status_code == 200 and r.context["tab"] == "all"
    found = c.get("/opinions/inbox/?q=" + "电梯").context["page"].object_list
    assert {o.title for o in found} == {"待受理的", "已受理的"}  # both texts mention the lift


def test_inbox_query_count_is_bounded(world, client_for, django_assert_max_num_queries):
    for i in range(25):
        submit(world, title=f"意见{i}")
    c = client_for("deputy")
    c.get("/opinions/inbox/")  # warm caches (content types, sessions)
    with django_assert_max_num_queries(8):
        r = c.get("/opinions/inbox/")
    assert r.status_code == 200 and len(r.context["page"].object_list) == 20


def test_unit_inbox_query_count_is_bounded(world, client_for, django_assert_max_num_queries):
    deputy = as_role(world, "deputy")
    for i in range(22):
        o = submit(world, title=f"意见{i}")
        services.opinion_accept(opinion_id=o.pk, actor=deputy)
        services.opinion_forward(opinion_id=o.pk, actor=deputy, unit_ids=[world.unit.pk])
    c = client_for("unit")
    c.get("/opinions/parts/")
    with django_assert_max_num_queries(8):
        r = c.get("/opinions/parts/")
    assert len(r.context["page"].object_list) == 20


def test_town_staff_inbox_has_the_station_items_only(world, client_for):
    submit(world, to="station", title="联络站的意见")
    submit(world, title="市代表的意见")
    html = client_for("town_staff").get("/opinions/inbox/").content.decode()
    assert "联络站的意见" in html and "市代表的意见" not in html


def test_detail_shows_photo_thumbnails(world, client_for):
    opinion = submit(world, photos=[SimpleUploadedFile("电梯.png", _png(), content_type="image/png")])
    r = client_for("deputy").get(f"/opinions/{opinion.pk}/")
    att = r.context["photos"][0]
    assert f'<img src="/files/{att.pk}/"' in r.content.decode()
    assert client_for("deputy").get(f"/files/{att.pk}/").status_code == 200


def test_unit_inbox_lists_only_the_units_parts(world, client_for):
    _opinion, part = _forwarded(world)
    r = client_for("unit").get("/opinions/parts/")
    assert r.status_code == 200
    assert f"/opinions/parts/{part.pk}/" in r.content.decode()
    assert client_for("unit").get("/opinions/inbox/").status_code == 302  # units go to their own inbox


def test_unit_inbox_overdue_filter(world, client_for):
    _opinion, part = _forwarded(world)
    c = client_for("unit")
    assert f"/opinions/parts/{part.pk}/" not in c.get("/opinions/parts/?overdue=1").content.decode()
    Assignment.objects.filter(pk=part.pk).update(due=timezone.localdate() - datetime.timedelta(days=1))
    html = c.get("/opinions/parts/?overdue=1").content.decode()
    assert f"/opinions/parts/{part.pk}/" in html and "due-overdue" in html


# --- item page and actions -------------------------------------------------------------------------------
def test_detail_shows_contact_to_handler_and_masks_it_for_director(world, client_for):
    opinion = submit(world)
    deputy_html = client_for("deputy").get(f"/opinions/{opinion.pk}/").content.decode()
    assert "13811112222" in deputy_html
    r = client_for("director").get(f"/opinions/{opinion.pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "13811112222" not in html and "已脱敏" in html
    assert "accept" not in r.context["forms"]  # the director only looks


def test_detail_is_404_outside_scope(world, client_for):
    opinion = submit(world)
    assert client_for("unit").get(f"/opinions/{opinion.pk}/").status_code == 404
    assert client_for("evaluatee").get(f"/opinions/{opinion.pk}/").status_code == 404


def test_accept_through_the_page(world, client_for):
    opinion = submit(world)
    r = _follow(client_for("deputy"), f"/opinions/{opinion.pk}/act/accept/", {"accept-version": opinion.version})
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.ACCEPTED
    assert "已受理。" in _msgs(r)
    assert opinion.current_due is not None
    assert "deadline-explain" in r.content.decode()  # the reply deadline with how it was computed


def test_stale_version_shows_conflict_message(world, client_for):
    opinion = submit(world)
    stale = opinion.version
    services.opinion_accept(opinion_id=opinion.pk, actor=as_role(world, "staff"))
    r = _follow(client_for("deputy"), f"/opinions/{opinion.pk}/act/decline/",
                {"decline-version": stale, "decline-reason": "不属于职权范围"})
    assert r.status_code == 200
    assert any("刷新" in m or "已被" in m or "状态" in m for m in _msgs(r)), _msgs(r)
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.ACCEPTED


def test_decline_needs_a_reason_and_escapes_it(world, client_for):
    opinion = submit(world)
    c = client_for("deputy")
    r = c.post(f"/opinions/{opinion.pk}/act/decline/", {"decline-version": opinion.version, "decline-reason": "  "})
    assert r.status_code == 200
    assert r.context["forms"]["decline"].errors["reason"]
    r = _follow(c, f"/opinions/{opinion.pk}/act/decline/", {"decline-version": opinion.version,
                                                            "decline-reason": SCRIPT})
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.DECLINED and opinion.decline_reason == SCRIPT
    html = r.content.decode()
    assert SCRIPT not in html and "&lt;script&gt;" in html


def test_forward_to_units(world, client_for):
    opinion = submit(world)
    services.opinion_accept(opinion_id=opinion.pk, actor=as_role(world, "deputy"))
    opinion.refresh_from_db()
    r = _follow(client_for("deputy"), f"/opinions/{opinion.pk}/act/forward/",
                {"forward-version": opinion.version, "forward-units": [world.unit.pk], "forward-note": "请尽快"})
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.FORWARDED
    assert "已转交承办单位。" in _msgs(r)
    assert Assignment.objects.filter(opinion=opinion, unit=world.unit).exists()
    assert world.unit.name in r.content.decode()


@pytest.mark.parametrize("units", [["999999"], ["abc"], []])
def test_forward_bad_units_is_a_form_error(world, client_for, units):
    opinion = submit(world)
    services.opinion_accept(opinion_id=opinion.pk, actor=as_role(world, "deputy"))
    opinion.refresh_from_db()
    r = client_for("deputy").post(f"/opinions/{opinion.pk}/act/forward/",
                                  {"forward-version": opinion.version, "forward-units": units})
    assert r.status_code == 200
    assert r.context["forms"]["forward"].errors["units"]
    assert Opinion.objects.get(pk=opinion.pk).status == Opinion.Status.ACCEPTED


def test_forward_to_a_unit_of_another_congress_is_refused(world, client_for):
    from renda.org.models import Unit

    foreign = Unit.objects.create(congress=world.other_town, name="浏河镇政府")
    opinion = submit(world)
    services.opinion_accept(opinion_id=opinion.pk, actor=as_role(world, "deputy"))
    opinion.refresh_from_db()
    r = client_for("deputy").post(f"/opinions/{opinion.pk}/act/forward/",
                                  {"forward-version": opinion.version, "forward-units": [foreign.pk]})
    assert r.status_code == 200
    assert r.context["forms"]["forward"].errors["units"]
    assert not Assignment.objects.filter(opinion=opinion).exists()


def test_answer_directly_escaped_and_too_long_refused(world, client_for):
    opinion = submit(world)
    services.opinion_accept(opinion_id=opinion.pk, actor=as_role(world, "deputy"))
    opinion.refresh_from_db()
    c = client_for("deputy")
    r = c.post(f"/opinions/{opinion.pk}/act/answer/", {"answer-version": opinion.version,
                                                        "answer-reply_text": "长" * 5001})
    assert r.status_code == 200 and r.context["forms"]["answer"].errors["reply_text"]
    r = _follow(c, f"/opinions/{opinion.pk}/act/answer/", {"answer-version": opinion.version,
                                                           "answer-reply_text": SCRIPT + "已处理"})
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.REPLIED
    assert "已答复群众。" in _msgs(r)
    html = r.content.decode()
    assert SCRIPT not in html and "&lt;script&gt;alert" in html


def test_answer_with_a_disguised_upload_is_a_form_error(world, client_for):
    opinion = submit(world)
    services.opinion_accept(opinion_id=opinion.pk, actor=as_role(world, "deputy"))
    opinion.refresh_from_db()
    fake = SimpleUploadedFile("答复.pdf", b"MZ\x90\x00 this is an exe", content_type="application/pdf")
    r = client_for("deputy").post(f"/opinions/{opinion.pk}/act/answer/", {
        "answer-version": opinion.version, "answer-reply_text": "已处理", "answer-attachments": fake})
    assert r.status_code == 200
    assert r.context["forms"]["answer"].errors["attachments"]
    assert Opinion.objects.get(pk=opinion.pk).status == Opinion.Status.ACCEPTED


def test_answer_waits_for_units(world, client_for):
    opinion, _part = _forwarded(world)
    r = client_for("deputy").post(f"/opinions/{opinion.pk}/act/answer/", {
        "answer-version": opinion.version, "answer-reply_text": "已处理"})
    assert r.status_code == 200
    assert "还有承办单位未答复" in str(r.context["forms"]["answer"].errors)


def test_unknown_action_and_unrelated_user(world, client_for):
    opinion = submit(world)
    assert client_for("deputy").post(f"/opinions/{opinion.pk}/act/explode/", {}).status_code == 404
    assert client_for("unit").post(f"/opinions/{opinion.pk}/act/accept/",
                                   {"accept-version": opinion.version}).status_code == 404
    assert client_for("director").post(f"/opinions/{opinion.pk}/act/accept/",
                                       {"accept-version": opinion.version}).status_code == 403
    r = client_for("deputy").post(f"/opinions/{opinion.pk}/act/accept/", {"accept-version": "x"})
    assert r.status_code == 200 and r.context["forms"]["accept"].errors
    assert Opinion.objects.get(pk=opinion.pk).status == Opinion.Status.SUBMITTED


# --- the unit's part page -------------------------------------------------------------------------------
def test_unit_signs_reports_progress_and_replies(world, client_for):
    opinion, part = _forwarded(world)
    c = client_for("unit")
    page = c.get(f"/opinions/parts/{part.pk}/")
    assert page.status_code == 200 and "13811112222" in page.content.decode()  # units call back
    r = _follow(c, f"/opinions/parts/{part.pk}/act/sign/", {"sign-version": part.version})
    part.refresh_from_db()
    assert part.status == Assignment.Status.SIGNED and "已签收。" in _msgs(r)
    photo = SimpleUploadedFile("现场.png", _png(), content_type="image/png")
    r = _follow(c, f"/opinions/parts/{part.pk}/act/progress/", {"progress-text": "已到现场查看",
                                                                  "progress-attachments": photo})
    assert "已记录办理进展。" in _msgs(r)
    assert Note.objects.filter(assignment=part, text="已到现场查看").exists()
    assert "现场.png" in r.content.decode()
    r = _follow(c, f"/opinions/parts/{part.pk}/act/reply/", {"reply-version": part.version,
                                                               "reply-reply_text": SCRIPT + "已修复"})
    part.refresh_from_db()
    assert part.status == Assignment.Status.REPLIED and "已提交答复。" in _msgs(r)
    assert SCRIPT not in r.content.decode()
    # The deputy now sees the unit's reply above the answer box.
    r = client_for("deputy").get(f"/opinions/{opinion.pk}/")
    assert "answer" in r.context["forms"] and r.context["replied_parts"][0].pk == part.pk


def test_unit_return_needs_a_reason(world, client_for):
    _opinion, part = _forwarded(world)
    c = client_for("unit")
    r = c.post(f"/opinions/parts/{part.pk}/act/return/", {"return-version": part.version, "return-reason": ""})
    assert r.status_code == 200 and r.context["forms"]["return"].errors["reason"]
    r = _follow(c, f"/opinions/parts/{part.pk}/act/return/", {"return-version": part.version,
                                                                "return-reason": "不属于本单位职责"})
    part.refresh_from_db()
    assert part.status == Assignment.Status.RETURNED and part.return_reason == "不属于本单位职责"


def test_unit_stale_version_conflict(world, client_for):
    _opinion, part = _forwarded(world)
    stale = part.version
    services.assignment_sign(assignment_id=part.pk, actor=as_role(world, "unit"))
    r = _follow(client_for("unit"), f"/opinions/parts/{part.pk}/act/sign/", {"sign-version": stale})
    assert r.status_code == 200 and _msgs(r)
    assert r.redirect_chain[-1][0] == f"/opinions/parts/{part.pk}/"


def test_other_unit_sees_404_on_a_part(world, client_for):
    from renda.org.models import Unit

    opinion, part = _forwarded(world)
    # A second unit of the same congress on the same item sees the item but not the first unit's part page.
    second = Unit.objects.create(congress=world.city, name="市交通局")
    deputy = as_role(world, "deputy")
    services.opinion_forward(opinion_id=opinion.pk, actor=deputy, unit_ids=[second.pk])
    other_part = Assignment.objects.get(opinion=opinion, unit=second)
    c = client_for("unit")
    assert c.get(f"/opinions/parts/{other_part.pk}/").status_code == 404
    assert c.post(f"/opinions/parts/{other_part.pk}/act/sign/", {"sign-version": 0}).status_code == 404
    # …but the other unit's part is listed on its own part page (units see each other's parts).
    html = c.get(f"/opinions/parts/{part.pk}/").content.decode()
    assert "市交通局" in html
    assert client_for("deputy").get(f"/opinions/parts/{part.pk}/").status_code == 200
    assert client_for("evaluatee").get(f"/opinions/parts/{part.pk}/").status_code == 404


def test_progress_too_long_is_a_form_error(world, client_for):
    _opinion, part = _forwarded(world)
    r = client_for("unit").post(f"/opinions/parts/{part.pk}/act/progress/", {"progress-text": "字" * 2001})
    assert r.status_code == 200 and r.context["forms"]["progress"].errors["text"]
    assert not Note.objects.filter(assignment=part).exists()


def test_too_many_files_is_a_form_error(world, client_for):
    _opinion, part = _forwarded(world)
    services.assignment_sign(assignment_id=part.pk, actor=as_role(world, "unit"))
    part.refresh_from_db()
    files = [SimpleUploadedFile(f"{i}.png", _png(), content_type="image/png") for i in range(6)]
    r = client_for("unit").post(f"/opinions/parts/{part.pk}/act/reply/", {
        "reply-version": part.version, "reply-reply_text": "已修复", "reply-attachments": files})
    assert r.status_code == 200 and r.context["forms"]["reply"].errors["attachments"]
