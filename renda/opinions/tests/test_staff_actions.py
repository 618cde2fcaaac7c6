"""Staff actions on one item, through the pages: reassign, remind, extend, merge, arbitrate, publish."""

import pytest

from renda.core.notify.models import Message
from renda.opinions import services
from renda.opinions.matrix_world import ow
from renda.opinions.models import Assignment, Note, Opinion
from renda.opinions.tests.factories import as_role, submit


def _back(response, opinion) -> None:
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == f"/opinions/{opinion.pk}/"


def test_reassign_to_another_deputy(world, client_for):
    o = ow(world).submitted
    response = client_for("staff").post(f"/opinions/{o.pk}/reassign/", {
        "addressee": f"d:{world.deputy2.pk}", "note": "李代表更熟悉该社区", "version": o.version})
    _back(response, o)
    o.refresh_from_db()
    assert o.deputy == world.deputy2 and o.station is None


def test_reassign_errors_keep_the_input_escaped(world, client_for):
    o = ow(world).forwarded  # forwarded items can no longer be reassigned
    response = client_for("staff").post(f"/opinions/{o.pk}/reassign/", {
        "addressee": f"d:{world.deputy2.pk}", "note": "<script>alert(1)</script>"})
    html = response.content.decode()
    assert response.status_code == 200
    assert str(services.ERR_REASSIGN_STATE) in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    bad = client_for("staff").post(f"/opinions/{ow(world).submitted.pk}/reassign/", {
        "addressee": "d:abc", "note": "x"})
    assert bad.status_code == 200 and "invalid-feedback" in bad.content.decode()


def test_stale_version_gives_a_conflict_message(world, client_for):
    o = ow(world).submitted
    response = client_for("staff").post(f"/opinions/{o.pk}/reassign/", {
        "addressee": f"d:{world.deputy2.pk}", "note": "改派", "version": o.version + 5})
    assert response.status_code == 200 and "已被他人处理" in response.content.decode()
    o.refresh_from_db()
    assert o.deputy == world.deputy


def test_remind_writes_a_note_and_notifies_the_unit(world, client_for, django_capture_on_commit_callbacks):
    o = ow(world).forwarded
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("staff").post(f"/opinions/{o.pk}/remind/", {"text": "请本周内答复"})
    _back(response, o)
    assert Note.objects.filter(opinion=o, kind=Note.Kind.REMINDER, text="请本周内答复").exists()
    assert Message.objects.filter(recipient=world.users["unit"], subject__contains="催办").exists()


def test_remind_needs_text(world, client_for):
    o = ow(world).forwarded
    response = client_for("staff").post(f"/opinions/{o.pk}/remind/", {"text": ""})
    assert response.status_code == 200 and not Note.objects.filter(opinion=o, kind="reminder").exists()


def test_extend_moves_the_due_date(world, client_for):
    o = ow(world).submitted
    before = o.current_due
    response = client_for("staff").post(f"/opinions/{o.pk}/extend/", {"extra_days": 5, "reason": "需实地查看"})
    _back(response, o)
    o.refresh_from_db()
    assert o.current_due > before


def test_extend_one_units_part(world, client_for):
    w = ow(world)
    before = w.part.due
    response = client_for("staff").post(f"/opinions/{w.forwarded.pk}/extend/", {
        "extra_days": 3, "reason": "涉及多个部门", "assignment": w.part.pk})
    _back(response, w.forwarded)
    w.part.refresh_from_db()
    assert w.part.due > before


@pytest.mark.parametrize("data", [{"extra_days": 0, "reason": "x"}, {"extra_days": "abc", "reason": "x"},
                                  {"extra_days": 5, "reason": ""}, {"extra_days": 5, "reason": "x", "assignment": 99}])
def test_extend_bad_input(world, client_for, data):
    o = ow(world).submitted
    response = client_for("staff").post(f"/opinions/{o.pk}/extend/", data)
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()


def test_merge_by_tracking_code(world, client_for):
    w = ow(world)
    response = client_for("staff").post(f"/opinions/{w.submitted.pk}/merge/", {
        "into_code": w.anonymous.tracking_code.lower(), "note": "同一部电梯", "version": w.submitted.version})
    _back(response, w.submitted)
    w.submitted.refresh_from_db()
    assert w.submitted.status == Opinion.Status.MERGED and w.submitted.merged_into_id == w.anonymous.pk


@pytest.mark.parametrize("code", ["NOSUCHCODE", "", "self", "other_town"])
def test_merge_bad_target(world, client_for, code):
    w = ow(world)
    code = {"self": w.submitted.tracking_code, "other_town": w.other_town_opinion.tracking_code}.get(code, code)
    response = client_for("staff").post(f"/opinions/{w.submitted.pk}/merge/", {"into_code": code, "note": "重复"})
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    w.submitted.refresh_from_db()
    assert w.submitted.status == Opinion.Status.SUBMITTED


def _returned_part(world):
    w = ow(world)
    services.assignment_return(assignment_id=w.part.pk, actor=as_role(world, "unit"), reason="不属于本单位职责")
    w.part.refresh_from_db()
    return w


def test_arbitration_keeps_the_part_with_the_unit(world, client_for):
    w = _returned_part(world)
    page = client_for("staff").get(f"/opinions/parts/{w.part.pk}/keep/").content.decode()
    assert "status-returned" in page  # the returned part's state is shown next to its unit
    response = client_for("staff").post(f"/opinions/parts/{w.part.pk}/keep/", {
        "note": "属于住建局职责", "version": w.part.version})
    _back(response, w.forwarded)
    w.part.refresh_from_db()
    assert w.part.status == Assignment.Status.ASSIGNED and w.part.return_reason == "不属于本单位职责"


def test_arbitration_reassigns_to_another_unit(world, client_for):
    w = _returned_part(world)
    response = client_for("staff").post(f"/opinions/parts/{w.part.pk}/reassign/", {
        "unit": world.other_unit.pk, "note": "改由教育局办理", "version": w.part.version})
    _back(response, w.forwarded)
    w.part.refresh_from_db()
    assert w.part.status == Assignment.Status.WITHDRAWN
    assert Assignment.objects.get(opinion=w.forwarded, unit=world.other_unit).status == Assignment.Status.ASSIGNED


def test_arbitration_refuses_the_same_or_unknown_unit(world, client_for):
    w = _returned_part(world)
    for unit in (world.unit.pk, 999999, "x"):
        response = client_for("staff").post(f"/opinions/parts/{w.part.pk}/reassign/", {"unit": unit, "note": "改派"})
        assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    w.part.refresh_from_db()
    assert w.part.status == Assignment.Status.RETURNED


def test_panel_shows_the_arbitration_forms(world, client_for):
    """The panel the item page includes: rendered here with the context that page gives it."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from renda.opinions.selectors import assignments_of

    w = _returned_part(world)
    request = RequestFactory().get("/")
    request.user = world.users["staff"]
    html = render_to_string("opinions/staff/actions.html", {
        "opinion": w.forwarded, "parts": assignments_of(w.forwarded), "units": [world.unit, world.other_unit],
        "request": request})
    assert f"/opinions/parts/{w.part.pk}/keep/" in html and f"/opinions/parts/{w.part.pk}/reassign/" in html
    assert "不属于本单位职责" in html and f'value="{world.other_unit.pk}"' in html
    assert f"/opinions/{w.forwarded.pk}/remind/" in html and "/merge/" not in html
    # Without `units` in the context, the reassign form is a link to its own page.
    html = render_to_string("opinions/staff/actions.html", {
        "opinion": w.forwarded, "parts": assignments_of(w.forwarded), "request": request})
    assert f'href="/opinions/parts/{w.part.pk}/reassign/"' in html


def test_publish_page_suggests_a_redacted_copy(world, client_for):
    o = submit(world, title="13912345678 的意见", text="我是王小明，电话13912345678，身份证320585199001011234。")
    services.opinion_accept(opinion_id=o.pk, actor=as_role(world, "deputy"))
    services.opinion_answer(opinion_id=o.pk, actor=as_role(world, "deputy"), reply_text="已联系王小明处理。")
    html = client_for("staff").get(f"/opinions/{o.pk}/publish/").content.decode()
    form_part = html.split('id="public-title"')[1]
    assert "139****5678" in form_part and "13912345678" not in form_part
    assert "320585********1234" in form_part and "王**" in form_part
    assert "13912345678" in html  # the original, for staff, on the left


def test_publish_then_unpublish(world, client_for):
    o = ow(world).replied
    response = client_for("staff").post(f"/opinions/{o.pk}/publish/", {
        "title": "学校门口拥堵", "text": "上下学时段拥堵，联系电话139****5678。", "reply": "已协调交警疏导。"})
    _back(response, o)
    o.refresh_from_db()
    assert o.is_published and "13912345678" not in o.published_text and o.published_reply == "已协调交警疏导。"
    response = client_for("staff").post(f"/opinions/{o.pk}/unpublish/")
    _back(response, o)
    o.refresh_from_db()
    assert not o.is_published


def test_publish_refused_before_a_reply(world, client_for):
    o = ow(world).submitted
    response = client_for("staff").post(f"/opinions/{o.pk}/publish/", {"title": "t", "text": "x", "reply": "y"})
    assert response.status_code == 200 and str(services.ERR_PUBLISH_STATE) in response.content.decode()
    o.refresh_from_db()
    assert not o.is_published


@pytest.mark.parametrize("path", ["remind/", "extend/", "merge/", "reassign/", "publish/", "unpublish/"])
def test_town_staff_cannot_act_on_city_items(world, client_for, path):
    o = ow(world).replied if path.startswith(("publish", "unpublish")) else ow(world).submitted
    response = client_for("town_staff").post(f"/opinions/{o.pk}/{path}", {"text": "x", "note": "x"})
    assert response.status_code == 404


def test_town_staff_acts_on_their_station_items(world, client_for):
    o = ow(world).station_opinion
    response = client_for("town_staff").post(f"/opinions/{o.pk}/extend/", {"extra_days": 2, "reason": "活动较多"})
    _back(response, o)


def test_director_sees_but_cannot_act(world, client_for):
    o = ow(world).submitted
    assert client_for("director").post(f"/opinions/{o.pk}/remind/", {"text": "x"}).status_code == 403


def test_offline_entry_for_another_congress_deputy_is_refused_and_writes_nothing(world):
    import datetime as dt

    from django.core.exceptions import PermissionDenied

    from renda.opinions.models import Category

    before = Opinion.objects.count()
    with pytest.raises(PermissionDenied):
        services.opinion_enter_offline(
            actor=as_role(world, "staff"), congress=world.city, offline_event="民声茶坊",
            offline_event_date=dt.date(2026, 1, 5), category_id=Category.objects.first().pk,
            title="停车难", text="小区停车位不足。", deputy_id=world.other_deputy.pk)
    assert Opinion.objects.count() == before
