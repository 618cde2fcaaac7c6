"""The whole cycle through the services: draft → co-sign → submit → accept → assign (lead + co) →
views → contact → reply B → 不满意 → re-handle → 满意 → B follow-up → solved → closed."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from renda.core.workflow import ConflictError
from renda.suggestions import services
from renda.suggestions.models import Assignment, Rating, Reply, Signer, Suggestion
from renda.suggestions.world import act, base, draft, parts, pdf, to_accepted, to_assigned, to_replied, to_submitted

pytestmark = pytest.mark.django_db


def test_a_suggestion_cannot_be_submitted_for_a_deputy_who_has_not_confirmed(world):
    base(world)
    s = draft(world)
    services.signer_invite(actor=act(world, "deputy"), suggestion_id=s.pk, deputy_ids=[world.deputy2.pk])
    with pytest.raises(ValidationError) as e:
        services.suggestion_submit(actor=act(world, "deputy"), suggestion_id=s.pk)
    assert "李秀英" in str(e.value) and e.value.error_dict["signers"][0].code == "signers_pending"
    services.signer_respond(actor=act(world, "deputy2"), suggestion_id=s.pk, confirm=True)
    s = services.suggestion_submit(actor=act(world, "deputy"), suggestion_id=s.pk)
    assert s.status == "submitted" and s.period_id == base(world).period.pk
    assert set(Signer.objects.filter(suggestion=s).values_list("status", flat=True)) == {"confirmed"}


def test_only_the_invited_deputy_confirms_and_only_the_author_invites(world):
    base(world)
    s = draft(world)
    with pytest.raises(PermissionDenied):
        services.signer_invite(actor=act(world, "deputy2"), suggestion_id=s.pk, deputy_ids=[world.deputy.pk])
    with pytest.raises(PermissionDenied):
        services.signer_respond(actor=act(world, "deputy2"), suggestion_id=s.pk, confirm=True)
    with pytest.raises(ValidationError):  # a deputy of another congress cannot co-sign
        services.signer_invite(actor=act(world, "deputy"), suggestion_id=s.pk, deputy_ids=[world.other_deputy.pk])


def test_submission_needs_an_open_window(world):
    b = base(world)
    s = draft(world)
    services.period_close(actor=act(world, "staff"), period_id=b.period.pk)
    with pytest.raises(ValidationError) as e:
        services.suggestion_submit(actor=act(world, "deputy"), suggestion_id=s.pk)
    assert e.value.error_dict["period"][0].code == "period_closed"
    services.period_open(actor=act(world, "staff"), period_id=b.period.pk,
                         closes_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(ValidationError):
        services.suggestion_submit(actor=act(world, "deputy"), suggestion_id=s.pk)


def test_withdraw_is_possible_until_review(world):
    s = to_submitted(world)
    services.suggestion_withdraw(actor=act(world, "deputy"), suggestion_id=s.pk)
    s2 = to_accepted(world, title="另一件建议")
    with pytest.raises(ConflictError):
        services.suggestion_withdraw(actor=act(world, "deputy"), suggestion_id=s2.pk)


def test_accept_numbers_the_suggestions_of_a_period_in_order(world):
    a = to_accepted(world, title="第一件")
    b = to_accepted(world, title="第二件")
    assert (a.number, b.number) == (1, 2)
    assert b.number_display == "十七届六次第002号"


def test_send_back_lets_the_author_edit_and_resubmit(world):
    s = to_submitted(world)
    services.suggestion_send_back(actor=act(world, "staff"), suggestion_id=s.pk, note="请补充具体数据。")
    s = services.suggestion_update(actor=act(world, "deputy"), suggestion_id=s.pk, category_id=base(world).category.pk,
                                   title="关于加装电梯的建议（修改稿）", proposal="补充：全市约 1200 栋。")
    assert s.title.endswith("（修改稿）")
    s = services.suggestion_submit(actor=act(world, "deputy"), suggestion_id=s.pk)
    assert s.status == "submitted"


def test_the_whole_cycle_with_rehandling_and_b_follow_up(world):
    s = to_assigned(world, cosigner=True)
    assert s.status == "handling" and s.mode == "lead"
    lead, co = parts(s)
    assert (lead.role, co.role) == ("lead", "co")
    # The 3-month clock runs from assignment; the co-unit has 1 month.
    assert s.due == lead.due and co.due < lead.due
    services.assignment_sign(actor=act(world, "unit"), assignment_id=lead.pk)
    services.assignment_sign(actor=act(world, "unit2"), assignment_id=co.pk)
    # The lead cannot reply before contacting the deputy, nor before the co-unit's views.
    with pytest.raises(ValidationError) as e:
        services.reply_send(actor=act(world, "unit"), assignment_id=lead.pk, outcome="B", text="答复", pdf=pdf(),
                            committed_date=timezone.localdate() + dt.timedelta(days=60))
    assert e.value.error_dict["contact"][0].code == "contact_required"
    services.contact_record(actor=act(world, "unit"), assignment_id=lead.pk, deputy_id=world.deputy2.pk,
                            contacted_on=timezone.localdate(), form="visit", content="登门听取意见。")
    with pytest.raises(ValidationError) as e:
        services.reply_send(actor=act(world, "unit"), assignment_id=lead.pk, outcome="B", text="答复", pdf=pdf(),
                            committed_date=timezone.localdate() + dt.timedelta(days=60))
    assert e.value.error_dict["text"][0].code == "views_pending"
    views = services.views_send(actor=act(world, "unit2"), assignment_id=co.pk, text="协办意见：纳入教育设施规划。")
    assert views.kind == "views"
    reply = services.reply_send(actor=act(world, "unit"), assignment_id=lead.pk, outcome="B", text="列入明年计划。",
                                pdf=pdf(), committed_date=timezone.localdate() + dt.timedelta(days=60))
    s.refresh_from_db()
    assert s.status == "replied" and s.outcome == "B" and s.on_time is True
    # Every signing deputy rates separately; 不满意 reopens the lead's part for re-handling.
    services.rating_submit(actor=act(world, "deputy2"), reply_id=reply.pk, value="satisfied")
    with pytest.raises(ConflictError):
        services.rating_submit(actor=act(world, "deputy2"), reply_id=reply.pk, value="basic")
    services.rating_submit(actor=act(world, "deputy"), reply_id=reply.pk, value="unsatisfied", comment="进度太慢")
    s.refresh_from_db()
    lead.refresh_from_db()
    assert s.status == "rehandling" and lead.status == "rehandling" and lead.rehandled
    # Re-handling needs a new contact before the new reply (1-month clock).
    with pytest.raises(ValidationError):
        services.reply_send(actor=act(world, "unit"), assignment_id=lead.pk, outcome="B", text="再答复", pdf=pdf(),
                            committed_date=timezone.localdate() + dt.timedelta(days=30))
    services.contact_record(actor=act(world, "unit"), assignment_id=lead.pk, deputy_id=world.deputy.pk,
                            contacted_on=timezone.localdate(), form="meeting", content="座谈。")
    again = services.reply_send(actor=act(world, "unit"), assignment_id=lead.pk, outcome="B", text="已开工。",
                                pdf=pdf(), committed_date=timezone.localdate() + dt.timedelta(days=30))
    assert again.kind == "rehandle"
    for role in ("deputy", "deputy2"):
        services.rating_submit(actor=act(world, role), reply_id=again.pk, value="satisfied")
    s.refresh_from_db()
    lead.refresh_from_db()
    assert s.status == "following" and lead.status == "following"
    services.progress_report(actor=act(world, "unit"), assignment_id=lead.pk, text="主体完工 80%。")
    solved = services.followup_solve(actor=act(world, "unit"), assignment_id=lead.pk, text="已全部完工。", pdf=pdf())
    s.refresh_from_db()
    assert s.status == "replied" and s.outcome == "A"
    for role in ("deputy", "deputy2"):
        services.rating_submit(actor=act(world, role), reply_id=solved.pk, value="satisfied")
    s.refresh_from_db()
    assert s.status == "closed" and s.closed_at is not None
    assert Rating.objects.filter(reply__suggestion=s).count() == 6


def test_a_second_unsatisfied_rating_is_recorded_and_the_item_closes(world):
    s = to_replied(world)
    lead, _co = parts(s)
    reply = s.replies.get(kind="reply")
    services.rating_submit(actor=act(world, "deputy"), reply_id=reply.pk, value="unsatisfied")
    services.contact_record(actor=act(world, "unit"), assignment_id=lead.pk, deputy_id=world.deputy.pk,
                            contacted_on=timezone.localdate(), form="phone", content="再次沟通。")
    again = services.reply_send(actor=act(world, "unit"), assignment_id=lead.pk, outcome="C", text="受条件限制。",
                                pdf=pdf())
    services.rating_submit(actor=act(world, "deputy"), reply_id=again.pk, value="unsatisfied")
    s.refresh_from_db()
    assert s.status == "closed" and s.rehandled and s.outcome == "C"


def test_merged_suggestions_are_handled_once_and_every_deputy_rates(world):
    main = to_accepted(world, title="关于老旧小区加装电梯的建议")
    # The second suggestion is by deputy2 alone.
    b = base(world)
    other = services.suggestion_create(actor=act(world, "deputy2"), category_id=b.category.pk,
                                       title="加快加装电梯", proposal="建议加大补贴。")
    services.suggestion_submit(actor=act(world, "deputy2"), suggestion_id=other.pk)
    services.suggestion_merge(actor=act(world, "staff"), suggestion_id=other.pk, into_id=main.pk, note="内容相近")
    other.refresh_from_db()
    assert other.status == "merged" and other.merged_into_id == main.pk
    assert services.signer_deputy_ids(main.pk) == sorted([world.deputy.pk, world.deputy2.pk])
    services.suggestion_assign(actor=act(world, "staff"), suggestion_id=main.pk, mode="lead",
                               lead_unit_id=world.unit.pk)
    lead, _ = parts(main)
    services.assignment_sign(actor=act(world, "unit"), assignment_id=lead.pk)
    # Contact with the merged suggestion's deputy counts.
    services.contact_record(actor=act(world, "unit"), assignment_id=lead.pk, deputy_id=world.deputy2.pk,
                            contacted_on=timezone.localdate(), form="phone", content="沟通。")
    reply = services.reply_send(actor=act(world, "unit"), assignment_id=lead.pk, outcome="A", text="已完成。",
                                pdf=pdf())
    services.rating_submit(actor=act(world, "deputy"), reply_id=reply.pk, value="satisfied")
    main.refresh_from_db()
    assert main.status == "replied"  # deputy2 has not rated yet
    services.rating_submit(actor=act(world, "deputy2"), reply_id=reply.pk, value="basic")
    main.refresh_from_db()
    other.refresh_from_db()
    assert main.status == "closed" and other.status == "closed" and other.outcome == "A"


def test_separate_handling_waits_for_every_unit_and_takes_the_weakest_class(world):
    s = to_accepted(world)
    s = services.suggestion_assign(actor=act(world, "staff"), suggestion_id=s.pk, mode="separate",
                                   unit_ids=[world.unit.pk, world.other_unit.pk])
    a1 = Assignment.objects.get(suggestion=s, unit=world.unit)
    a2 = Assignment.objects.get(suggestion=s, unit=world.other_unit)
    assert a1.role == a2.role == "separate"
    for part, role in ((a1, "unit"), (a2, "unit2")):
        services.assignment_sign(actor=act(world, role), assignment_id=part.pk)
        services.contact_record(actor=act(world, role), assignment_id=part.pk, deputy_id=world.deputy.pk,
                                contacted_on=timezone.localdate(), form="phone", content="沟通。")
    services.reply_send(actor=act(world, "unit"), assignment_id=a1.pk, outcome="A", text="已解决。", pdf=pdf())
    s.refresh_from_db()
    assert s.status == "handling"
    services.reply_send(actor=act(world, "unit2"), assignment_id=a2.pk, outcome="C", text="暂难解决。", pdf=pdf())
    s.refresh_from_db()
    assert s.status == "replied" and s.outcome == "C"
    assert set(services.current_replies(s.pk)) == {a1.pk, a2.pk}


def test_a_reply_needs_its_pdf_and_b_needs_a_committed_date(world):
    s = to_assigned(world, co=False)
    lead, _ = parts(s)
    services.assignment_sign(actor=act(world, "unit"), assignment_id=lead.pk)
    services.contact_record(actor=act(world, "unit"), assignment_id=lead.pk, deputy_id=world.deputy.pk,
                            contacted_on=timezone.localdate(), form="phone", content="沟通。")
    with pytest.raises(ValidationError) as e:
        services.reply_send(actor=act(world, "unit"), assignment_id=lead.pk, outcome="A", text="答复")
    assert e.value.error_dict["pdf"][0].code == "pdf_required"
    with pytest.raises(ValidationError) as e:
        services.reply_send(actor=act(world, "unit"), assignment_id=lead.pk, outcome="B", text="答复", pdf=pdf())
    assert e.value.error_dict["committed_date"][0].code == "committed_date"
    with pytest.raises(ValidationError):
        services.reply_send(actor=act(world, "unit"), assignment_id=lead.pk, outcome="E", text="答复", pdf=pdf())
    assert not Reply.objects.filter(suggestion=s).exists()


def test_the_co_unit_cannot_reply_and_the_lead_cannot_send_views(world):
    s = to_assigned(world)
    lead, co = parts(s)
    with pytest.raises(ValidationError):
        services.views_send(actor=act(world, "unit"), assignment_id=lead.pk, text="意见")
    with pytest.raises(ValidationError):
        services.reply_send(actor=act(world, "unit2"), assignment_id=co.pk, outcome="A", text="答复", pdf=pdf())
    with pytest.raises(PermissionDenied):  # a unit acting on another unit's part
        services.assignment_sign(actor=act(world, "unit"), assignment_id=co.pk)


def test_only_signing_deputies_rate(world):
    s = to_replied(world)
    reply = s.replies.get(kind="reply")
    with pytest.raises(PermissionDenied):
        services.rating_submit(actor=act(world, "deputy2"), reply_id=reply.pk, value="satisfied")
    with pytest.raises(ValidationError):
        services.rating_submit(actor=act(world, "deputy"), reply_id=reply.pk, value="great")
    assert Suggestion.objects.get(pk=s.pk).status == "replied"


def test_a_town_congress_handles_its_own_deputies_suggestions(world):
    """Town deputies submit to their town's period; the town's staff review and assign to a town unit."""
    from renda.org.models import Unit
    from renda.suggestions.models import Period
    from renda.testing import make_user

    base(world)
    town_unit = Unit.objects.create(congress=world.town, name="沙溪镇建设管理办公室")
    world.users["town_unit"] = make_user("town_unit", role="unit", congress=world.town, unit=town_unit)
    period = services.period_create(actor=act(world, "town_staff"), congress=world.town, kind=Period.Kind.SESSION,
                                    year=2026, name="沙溪镇十八届人大六次会议")
    services.period_open(actor=act(world, "town_staff"), period_id=period.pk)
    with pytest.raises(PermissionDenied):  # the city's staff do not run the town's windows
        services.period_close(actor=act(world, "staff"), period_id=period.pk)
    s = services.suggestion_create(actor=act(world, "town_deputy"), category_id=base(world).category.pk,
                                   title="关于沙溪老街停车难的建议", proposal="建议增设公共停车位。")
    s = services.suggestion_submit(actor=act(world, "town_deputy"), suggestion_id=s.pk)
    assert s.congress_id == world.town.pk and s.period_id == period.pk
    with pytest.raises(PermissionDenied):  # the city's office cannot accept a town's suggestion
        services.suggestion_accept(actor=act(world, "staff"), suggestion_id=s.pk)
    services.suggestion_accept(actor=act(world, "town_staff"), suggestion_id=s.pk)
    with pytest.raises(ValidationError):  # a city unit is not one of the town's units
        services.suggestion_assign(actor=act(world, "town_staff"), suggestion_id=s.pk, mode="lead",
                                   lead_unit_id=world.unit.pk)
    s = services.suggestion_assign(actor=act(world, "town_staff"), suggestion_id=s.pk, mode="lead",
                                   lead_unit_id=town_unit.pk)
    lead, _ = parts(s)
    services.assignment_sign(actor=act(world, "town_unit"), assignment_id=lead.pk)
    assert lead.unit_id == town_unit.pk and s.status == "handling"
