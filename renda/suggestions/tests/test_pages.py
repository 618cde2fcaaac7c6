"""The pages, driven like a person would: each role's forms post to one service and the page shows the result."""

import pytest
from django.utils import timezone

from renda.suggestions.models import Assignment, Rating, Signer, Suggestion
from renda.suggestions.world import base, parts, pdf, sw, to_accepted, to_assigned, to_submitted

pytestmark = pytest.mark.django_db


def test_a_deputy_drafts_invites_and_submits(world, client_for):
    b = base(world)
    deputy = client_for("deputy")
    r = deputy.post("/suggestions/new/", {
        "title": "关于加快老旧小区加装电梯的建议", "category": b.category.pk, "situation": "现状", "problem": "问题",
        "proposal": "建议简化审批。", "units": [world.unit.pk]})
    s = Suggestion.objects.get(title="关于加快老旧小区加装电梯的建议")
    assert r.status_code == 302 and r["Location"] == f"/suggestions/{s.pk}/"
    page = deputy.get(f"/suggestions/{s.pk}/")
    assert page.status_code == 200 and "邀请联名" in page.content.decode()
    deputy.post(f"/suggestions/{s.pk}/do/invite/", {"invite-deputies": [world.deputy2.pk]})
    assert Signer.objects.filter(suggestion=s, deputy=world.deputy2, status="invited").exists()
    # Submitting now is refused with the co-signer's name.
    r = deputy.post(f"/suggestions/{s.pk}/do/submit/", {"submit-version": s.version})
    assert r.status_code == 200 and "李秀英" in r.content.decode()
    client_for("deputy2").post(f"/suggestions/{s.pk}/do/respond/", {"respond-confirm": "1"})
    assert Signer.objects.get(suggestion=s, deputy=world.deputy2).status == "confirmed"
    s.refresh_from_db()
    r = deputy.post(f"/suggestions/{s.pk}/do/submit/", {"submit-version": s.version})
    assert r.status_code == 302
    s.refresh_from_db()
    assert s.status == "submitted"


def test_the_draft_page_shows_similar_suggestions(world, client_for):
    earlier = to_accepted(world, title="关于老旧小区加装电梯的建议")
    r = client_for("deputy").get("/suggestions/similar/", {"title": "加装电梯", "proposal": "老旧小区加装电梯补贴"})
    assert r.status_code == 200 and earlier.title in r.content.decode()
    r = client_for("deputy").get("/suggestions/similar/", {"title": "城市绿化", "proposal": "增加街头绿地"})
    assert earlier.title not in r.content.decode()


def test_staff_review_and_assign_to_a_lead_and_a_co_unit(world, client_for):
    s = to_submitted(world)
    staff = client_for("staff")
    assert staff.post(f"/suggestions/{s.pk}/do/accept/", {"accept-version": s.version}).status_code == 302
    s.refresh_from_db()
    assert s.status == "accepted" and s.number == 1
    r = staff.post(f"/suggestions/{s.pk}/do/assign/", {
        "assign-version": s.version, "assign-mode": "lead", "assign-lead_unit": world.unit.pk,
        "assign-co_units": [world.other_unit.pk], "assign-note": "请认真办理"})
    assert r.status_code == 302
    lead, co = parts(s)
    assert (lead.unit_id, co.unit_id) == (world.unit.pk, world.other_unit.pk)


def test_assign_form_errors_show_under_the_field(world, client_for):
    s = to_accepted(world)
    r = client_for("staff").post(f"/suggestions/{s.pk}/do/assign/", {
        "assign-version": s.version, "assign-mode": "separate", "assign-units": [world.unit.pk]})
    assert r.status_code == 200 and "分别办理须选择至少两个承办单位" in r.content.decode()
    assert not Assignment.objects.filter(suggestion=s).exists()


def test_a_stale_version_gets_a_conflict_message(world, client_for):
    s = to_submitted(world)
    r = client_for("staff").post(f"/suggestions/{s.pk}/do/accept/", {"accept-version": s.version + 5}, follow=True)
    assert "已被他人处理" in r.content.decode()
    s.refresh_from_db()
    assert s.status == "submitted"


def test_the_unit_signs_contacts_and_replies_with_its_pdf(world, client_for):
    s = to_assigned(world, co=False)
    lead, _ = parts(s)
    unit = client_for("unit")
    assert unit.get("/suggestions/unit/").status_code == 200
    assert unit.post(f"/suggestions/parts/{lead.pk}/do/sign/", {"sign-version": lead.version}).status_code == 302
    lead.refresh_from_db()
    # Without contact the reply is refused and the page says why.
    data = {"reply-version": lead.version, "reply-outcome": "A", "reply-text": "已解决。", "reply-pdf": pdf()}
    r = unit.post(f"/suggestions/parts/{lead.pk}/do/reply/", data)
    assert r.status_code == 200 and "办前联系" in r.content.decode()
    unit.post(f"/suggestions/parts/{lead.pk}/do/contact/", {
        "contact-deputy": world.deputy.pk, "contact-contacted_on": timezone.localdate().isoformat(),
        "contact-form": "phone", "contact-content": "电话沟通。"})
    data["reply-pdf"] = pdf()
    r = unit.post(f"/suggestions/parts/{lead.pk}/do/reply/", data)
    assert r.status_code == 302
    s.refresh_from_db()
    assert s.status == "replied" and s.outcome == "A"


def test_the_deputy_rates_on_the_item_page(world, client_for):
    o = sw(world)
    reply = o.reply
    deputy = client_for("deputy")
    page = deputy.get(f"/suggestions/{o.replied.pk}/").content.decode()
    assert 'data-testid="rating-form"' in page
    r = deputy.post(f"/suggestions/{o.replied.pk}/rate/{reply.pk}/", {
        f"rate-{reply.pk}-reply": reply.pk, f"rate-{reply.pk}-value": "basic", f"rate-{reply.pk}-comment": "尽快落实"})
    assert r.status_code == 302
    assert Rating.objects.get(reply=reply, deputy=world.deputy).value == "basic"


def test_published_suggestions_are_public_and_redacted(world, client):
    o = sw(world)
    r = client.get("/suggestions/public/")
    assert r.status_code == 200 and "关于菜市场改造的建议" in r.content.decode()
    r = client.get(f"/suggestions/public/{o.closed.pk}/")
    assert "已列入计划" in r.content.decode()
    assert client.get(f"/suggestions/public/{o.replied.pk}/").status_code == 404


def test_the_office_list_reads_a_bounded_number_of_queries(world, client_for, django_assert_max_num_queries):
    sw(world)
    for i in range(5):
        to_assigned(world, title=f"第{i}件")
    staff = client_for("staff")
    staff.get("/suggestions/office/")
    with django_assert_max_num_queries(25):
        r = staff.get("/suggestions/office/?status=handling")
    assert r.status_code == 200 and r.content.decode().count('href="/suggestions/') >= 6


def test_bulk_assignment_reports_each_item(world, client_for):
    a1 = to_accepted(world, title="甲")
    a2 = to_accepted(world, title="乙")
    r = client_for("staff").post("/suggestions/office/assign/", {
        "suggestions": [a1.pk, a2.pk], "mode": "lead", "lead_unit": world.unit.pk}, follow=True)
    assert "已交办 2 件建议" in r.content.decode()
    assert set(Suggestion.objects.filter(pk__in=[a1.pk, a2.pk]).values_list("status", flat=True)) == {"handling"}


def test_the_office_list_exports_to_excel_with_its_filters(world, client_for):
    import io

    from openpyxl import load_workbook

    o = sw(world)
    r = client_for("staff").get("/suggestions/office/export/?status=handling")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][1] == "标题" and [row[1] for row in rows[1:]] == [o.assigned.title]
    assert "市住房和城乡建设局" in rows[1][6] and "市教育局（协办）" in rows[1][6]
    assert client_for("deputy").get("/suggestions/office/export/").status_code == 403


def test_a_key_suggestions_milestone_is_marked_done_by_the_office(world, client_for):
    import datetime as dt

    from renda.suggestions import services
    from renda.suggestions.world import act

    s = to_assigned(world)
    key = services.key_mark(actor=act(world, "director"), suggestion_id=s.pk, leader_id=base(world).leader.pk,
                            meeting_date=dt.date(2026, 3, 1), milestones=[(dt.date(2026, 6, 30), "完成立项")])
    m = key.milestones.get()
    assert client_for("deputy").post(f"/suggestions/{s.pk}/milestones/{m.pk}/done/").status_code == 403
    r = client_for("staff").post(f"/suggestions/{s.pk}/milestones/{m.pk}/done/")
    m.refresh_from_db()
    assert r.status_code == 302 and m.done_on == timezone.localdate()
    assert "完成立项" in client_for("deputy").get(f"/suggestions/{s.pk}/").content.decode()


def test_the_return_panel_is_offered_only_while_the_window_is_open(world, client_for):
    import datetime as dt

    from renda.core.workdays.services import deadlines_open
    from renda.suggestions import services
    from renda.suggestions.world import act

    base(world)
    s = to_assigned(world, co=False)
    lead = Assignment.objects.filter(suggestion=s, unit=world.unit).get()
    url = f"/suggestions/parts/{lead.pk}/"
    assert 'data-action="return"' in client_for("unit").get(url).content.decode()
    # The window passes unused: no panel (the service would refuse).
    deadlines_open(lead, "suggestion_sign").update(
        due=timezone.localdate() - dt.timedelta(days=1))
    assert 'data-action="return"' not in client_for("unit").get(url).content.decode()
    # Asked in time and refused by the office: the window is spent.
    deadlines_open(lead, "suggestion_sign").update(
        due=timezone.localdate() + dt.timedelta(days=3))
    services.assignment_return(actor=act(world, "unit"), assignment_id=lead.pk, reason="不属于本单位职责。")
    services.assignment_reject_return(actor=act(world, "staff"), assignment_id=lead.pk, note="请继续办理。")
    assert 'data-action="return"' not in client_for("unit").get(url).content.decode()
