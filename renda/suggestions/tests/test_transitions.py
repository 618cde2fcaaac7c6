"""Every step a person takes, for every role: allowed ones change the state and write one event,
forbidden ones are refused and write nothing; the page's button (actions.py) is shown exactly when
the service accepts. Then the loops the tables allow: assignment patterns, return and arbitration,
re-handling once, B follow-up, merged suggestions.

Roles: the author deputy, a co-signer, another deputy of the same congress, staff (代表工委) of the
city, town staff (of another congress), the director, the lead unit, the co-unit, another unit, and a
superuser.
"""

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from renda.core.models import Event
from renda.core.notify.models import Message
from renda.core.workdays.models import Deadline
from renda.core.workflow import ConflictError
from renda.suggestions import services
from renda.suggestions.actions import PART_ACTION_BY_NAME, SUGGESTION_ACTION_BY_NAME
from renda.suggestions.models import Assignment, Contact, Extension, Note, Rating, Reply, Suggestion
from renda.suggestions.selectors import current_replies, deputy_tasks
from renda.suggestions.workflow import ASSIGNMENT_FLOW, SUGGESTION_FLOW
from renda.suggestions.world import act, base, draft, parts, pdf, to_accepted, to_assigned, to_replied, to_submitted

pytestmark = pytest.mark.django_db

ROLES = {
    "author": "deputy",
    "cosigner": "deputy2",
    "other_deputy": "deputy3",
    "staff": "staff",
    "town_staff": "town_staff",  # staff of the town congress, not of the suggestion's (city) congress
    "director": "director",
    "lead_unit": "unit",
    "co_unit": "unit2",
    "other_unit": "unit3",
    "superuser": "admin",
}
OFFICE = {"staff", "superuser"}


def people(w) -> SimpleNamespace:
    """The base of world.py plus a third deputy and a user for the third unit."""
    from renda.deputies.models import Deputy, Person
    from renda.testing import make_user

    b = base(w)
    if "deputy3" not in w.users:
        person = Person.objects.create(name="王志强", gender="male", phone="13611112222")
        w.deputy3 = Deputy.objects.create(congress=w.city, term=w.city_term, person=person, district=w.city_district)
        w.users["deputy3"] = make_user("deputy3", role="deputy", congress=w.city, deputy=w.deputy3)
        w.users["unit3"] = make_user("unit3", role="unit", congress=w.city, unit=b.third_unit)
    return b


def who(w, role: str):
    people(w)
    return act(w, ROLES[role])


def events(obj, action: str | None = None):
    qs = Event.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)
    return qs.filter(action=action) if action else qs


def contact(w, part, role="unit", deputy=None):
    services.contact_record(actor=act(w, role), assignment_id=part.pk, deputy_id=(deputy or w.deputy).pk,
                            contacted_on=timezone.localdate(), form="phone", content="电话沟通办理思路。")


def later(days=60):
    return timezone.localdate() + dt.timedelta(days=days)


# --- builders: the object of a step in its source state ----------------------------------------------------
def b_draft(w):
    people(w)
    s = draft(w, cosigner=True)
    return SimpleNamespace(s=s, obj=s)


def b_submitted(w):
    people(w)
    s = to_submitted(w, cosigner=True)
    return SimpleNamespace(s=s, obj=s, target=to_accepted(w, title="关于电梯加装补贴的建议"))


def b_accepted(w):
    people(w)
    s = to_accepted(w, cosigner=True)
    return SimpleNamespace(s=s, obj=s)


def b_assigned(w):
    people(w)
    s = to_assigned(w, cosigner=True)
    lead, co = parts(s)
    return SimpleNamespace(s=s, obj=lead, lead=lead, co=co)


def b_co_signed(w):
    o = b_assigned(w)
    services.assignment_sign(actor=act(w, "unit2"), assignment_id=o.co.pk)
    o.obj = Assignment.objects.get(pk=o.co.pk)
    return o


def b_lead_ready(w):
    """The lead has signed and contacted the deputy; the co-unit has sent its views."""
    o = b_assigned(w)
    services.assignment_sign(actor=act(w, "unit"), assignment_id=o.lead.pk)
    services.assignment_sign(actor=act(w, "unit2"), assignment_id=o.co.pk)
    services.views_send(actor=act(w, "unit2"), assignment_id=o.co.pk, text="协办意见。")
    contact(w, o.lead)
    o.obj = Assignment.objects.get(pk=o.lead.pk)
    return o


def b_returned(w):
    o = b_assigned(w)
    o.obj = services.assignment_return(actor=act(w, "unit"), assignment_id=o.lead.pk, reason="非本单位职责")
    return o


def b_extension(w):
    o = b_assigned(w)
    o.ext = services.extension_request(actor=act(w, "unit"), assignment_id=o.lead.pk, months=2, reason="需统筹资金")
    return o


def b_replied(w, outcome="A"):
    people(w)
    s = to_replied(w, cosigner=True, outcome=outcome)
    lead, co = parts(s)
    return SimpleNamespace(s=s, obj=s, lead=lead, co=co, reply=s.replies.get(kind="reply"))


def b_rehandling(w):
    o = b_replied(w)
    services.rating_submit(actor=act(w, "deputy"), reply_id=o.reply.pk, value="unsatisfied", comment="不满意")
    contact(w, o.lead)
    o.obj = Assignment.objects.get(pk=o.lead.pk)
    return o


def b_following(w):
    o = b_replied(w, outcome="B")
    for role in ("deputy", "deputy2"):
        services.rating_submit(actor=act(w, role), reply_id=o.reply.pk, value="satisfied")
    o.obj = Assignment.objects.get(pk=o.lead.pk)
    assert o.obj.status == "following"
    return o


# --- the role matrix ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    name: str
    build: object
    call: object  # (w, o, user) -> anything
    allowed: frozenset
    transition: str = ""  # the table's action it takes (on o.obj), if any
    button: str = ""  # the action panel of actions.py that offers it
    done: object = None  # (o) -> bool, for steps that are not transitions


def _case(name, build, call, allowed, *, transition="", button="", done=None):
    return Case(name, build, call, frozenset(allowed), transition, button, done)


CASES = [
    # The author's own acts.
    _case("submit", b_draft, lambda w, o, u: services.suggestion_submit(actor=u, suggestion_id=o.s.pk),
          {"author"}, transition="submit", button="submit"),
    _case("withdraw", b_submitted, lambda w, o, u: services.suggestion_withdraw(actor=u, suggestion_id=o.s.pk),
          {"author"}, transition="withdraw", button="withdraw"),
    _case("invite", b_draft, lambda w, o, u: services.signer_invite(actor=u, suggestion_id=o.s.pk,
                                                                   deputy_ids=[w.deputy3.pk]),
          {"author"}, button="invite", done=lambda o: o.s.signers.filter(status="invited").exists()),
    # The office's review and assignment.
    _case("accept", b_submitted, lambda w, o, u: services.suggestion_accept(actor=u, suggestion_id=o.s.pk),
          OFFICE, transition="accept", button="accept"),
    _case("decline", b_submitted, lambda w, o, u: services.suggestion_decline(actor=u, suggestion_id=o.s.pk,
                                                                              reason="不属于本级职权范围"),
          OFFICE, transition="decline", button="decline"),
    _case("to_reference", b_submitted, lambda w, o, u: services.suggestion_to_reference(
        actor=u, suggestion_id=o.s.pk, reason="属于意见建议，转有关部门参阅"), OFFICE, transition="to_reference",
        button="to_reference"),
    _case("send_back", b_submitted, lambda w, o, u: services.suggestion_send_back(actor=u, suggestion_id=o.s.pk,
                                                                                  note="请补充具体措施"),
          OFFICE, transition="send_back", button="send_back"),
    _case("merge", b_submitted, lambda w, o, u: services.suggestion_merge(actor=u, suggestion_id=o.s.pk,
                                                                          into_id=o.target.pk, note="内容相近"),
          OFFICE, transition="merge", button="merge"),
    _case("assign", b_accepted, lambda w, o, u: services.suggestion_assign(
        actor=u, suggestion_id=o.s.pk, mode="lead", lead_unit_id=w.unit.pk, co_unit_ids=[w.other_unit.pk]),
        OFFICE, transition="assign", button="assign"),
    _case("finish", b_replied, lambda w, o, u: services.suggestion_finish(actor=u, suggestion_id=o.s.pk),
          OFFICE, transition="close", button="finish"),
    _case("note", b_assigned, lambda w, o, u: services.note_add(actor=u, suggestion_id=o.s.pk, kind="remind",
                                                                text="请加快办理进度"),
          OFFICE, button="note", done=lambda o: Note.objects.filter(suggestion=o.s).exists()),
    _case("key", b_accepted, lambda w, o, u: services.key_mark(actor=u, suggestion_id=o.s.pk,
                                                               leader_id=base(w).leader.pk,
                                                               meeting_date=dt.date(2026, 3, 1)),
          OFFICE | {"director"}, button="key", done=lambda o: Suggestion.objects.get(pk=o.s.pk).is_key),
    _case("publish", b_replied, lambda w, o, u: services.suggestion_publish(
        actor=u, suggestion_id=o.s.pk, title="关于加装电梯的建议", text="建议加快加装电梯。", reply="已列入计划。"),
        OFFICE, button="publish", done=lambda o: Suggestion.objects.get(pk=o.s.pk).is_published),
    # The units.
    _case("sign", b_assigned, lambda w, o, u: services.assignment_sign(actor=u, assignment_id=o.lead.pk),
          {"lead_unit", "superuser"}, transition="sign", button="sign"),
    _case("return", b_assigned, lambda w, o, u: services.assignment_return(actor=u, assignment_id=o.lead.pk,
                                                                           reason="非本单位职责"),
          {"lead_unit", "superuser"}, transition="return", button="return"),
    _case("views", b_co_signed, lambda w, o, u: services.views_send(actor=u, assignment_id=o.co.pk, text="协办意见"),
          {"co_unit", "superuser"}, transition="send_views", button="views"),
    _case("contact", b_lead_ready, lambda w, o, u: services.contact_record(
        actor=u, assignment_id=o.lead.pk, deputy_id=w.deputy2.pk, contacted_on=timezone.localdate(), form="visit",
        content="登门听取意见"), {"lead_unit", "superuser"}, button="contact",
        done=lambda o: Contact.objects.filter(assignment=o.lead).count() == 2),
    _case("reply", b_lead_ready, lambda w, o, u: services.reply_send(actor=u, assignment_id=o.lead.pk, outcome="A",
                                                                     text="已办结。", pdf=pdf()),
          {"lead_unit", "superuser"}, transition="reply", button="reply"),
    _case("rehandle_reply", b_rehandling, lambda w, o, u: services.reply_send(
        actor=u, assignment_id=o.lead.pk, outcome="A", text="重新办理，已解决。", pdf=pdf()),
        {"lead_unit", "superuser"}, transition="rehandle_reply", button="reply"),
    _case("progress", b_following, lambda w, o, u: services.progress_report(actor=u, assignment_id=o.lead.pk,
                                                                            text="已完成 60%"),
          {"lead_unit", "superuser"}, button="progress",
          done=lambda o: Reply.objects.filter(assignment=o.lead, kind="progress").exists()),
    _case("solve", b_following, lambda w, o, u: services.followup_solve(actor=u, assignment_id=o.lead.pk,
                                                                        text="已全部完成", pdf=pdf()),
          {"lead_unit", "superuser"}, transition="solve", button="solve"),
    _case("extension", b_assigned, lambda w, o, u: services.extension_request(
        actor=u, assignment_id=o.lead.pk, months=1, reason="需统筹资金"), {"lead_unit", "superuser"},
        button="extension", done=lambda o: Extension.objects.filter(assignment=o.lead).exists()),
    # The office's arbitration.
    _case("reject_return", b_returned, lambda w, o, u: services.assignment_reject_return(
        actor=u, assignment_id=o.lead.pk, note="属于本单位职责，请继续办理"), OFFICE, transition="reject_return",
        button="reject_return"),
    _case("reassign", b_returned, lambda w, o, u: services.assignment_reassign(
        actor=u, assignment_id=o.lead.pk, unit_id=base(w).third_unit.pk, note="改由交通运输局办理"),
        OFFICE, transition="withdraw", button="reassign"),
    _case("decide_extension", b_extension, lambda w, o, u: services.extension_decide(
        actor=u, extension_id=o.ext.pk, approve=True), OFFICE, button="decide_extension",
        done=lambda o: Extension.objects.get(pk=o.ext.pk).status == "approved"),
    # The deputies' ratings (a page of its own, not an action panel).
    _case("rate", b_replied, lambda w, o, u: services.rating_submit(actor=u, reply_id=o.reply.pk, value="satisfied"),
          {"author", "cosigner"}, done=lambda o: Rating.objects.filter(reply=o.reply).exists()),
]
CASE = {c.name: c for c in CASES}
MATRIX = [(c.name, role) for c in CASES for role in ROLES]


def test_every_step_a_person_takes_has_a_case():
    personal = {t.action for flow in (SUGGESTION_FLOW, ASSIGNMENT_FLOW) for t in flow.transitions
                if t.permission != "suggestions.follow"}
    covered = {c.transition for c in CASES if c.transition}
    # close_to_follow_up is `finish` on a B item (test_staff_finish_puts_b_items_under_follow_up).
    assert personal - covered == {"close_to_follow_up"}


SUGGESTION_STEPS = {"submit", "withdraw", "invite", "accept", "decline", "to_reference", "send_back", "merge",
                    "assign", "finish", "note", "key", "publish", "rate"}


def target(case: Case, o):
    """The suggestion for the suggestion's steps, the unit's part (o.obj) for the parts' steps."""
    return o.s if case.name in SUGGESTION_STEPS else o.obj


def _button(case: Case, o, user) -> bool:
    table = SUGGESTION_ACTION_BY_NAME if case.name in SUGGESTION_STEPS else PART_ACTION_BY_NAME
    return table[case.button].available(target(case, o), user)


@pytest.mark.parametrize(("name", "role"), MATRIX, ids=[f"{n}-{r}" for n, r in MATRIX])
def test_who_may_take_each_step(world, name, role):
    case = CASE[name]
    o = case.build(world)
    user = who(world, role)
    obj = target(case, o)
    obj_model = type(obj)
    state = obj.status
    n_events, n_messages = Event.objects.count(), Message.objects.count()
    allowed = role in case.allowed
    if case.button:
        assert _button(case, o, user) is allowed, "the page offers the step exactly when the service takes it"
    if allowed:
        case.call(world, o, user)
        obj = obj_model.objects.get(pk=obj.pk)
        if case.transition:
            flow = SUGGESTION_FLOW if obj_model is Suggestion else ASSIGNMENT_FLOW
            assert obj.status == flow.transition(case.transition).target
            assert events(obj, case.transition).count() == 1
        if case.done:
            assert case.done(o)
    else:
        with pytest.raises(PermissionDenied):
            case.call(world, o, user)
        assert obj_model.objects.get(pk=obj.pk).status == state
        assert Event.objects.count() == n_events and Message.objects.count() == n_messages
        if case.done:
            assert not case.done(o)


# --- wrong state: a conflict, nothing written ----------------------------------------------------------------
WRONG_STATE = [
    ("submit", b_submitted), ("withdraw", b_accepted), ("accept", b_accepted), ("assign", b_submitted),
    ("decline", b_accepted), ("sign", b_co_signed), ("reject_return", b_assigned), ("finish", b_assigned),
    ("publish", b_assigned), ("views", b_lead_ready), ("solve", b_replied), ("progress", b_replied),
]


@pytest.mark.parametrize(("name", "build"), WRONG_STATE, ids=[n for n, _ in WRONG_STATE])
def test_a_step_in_the_wrong_state_is_a_conflict(world, name, build):
    case = CASE[name]
    o = build(world)
    if name == "sign":  # the co-unit's part is signed already; sign it again
        case = _case("sign", build, lambda w, o, u: services.assignment_sign(actor=u, assignment_id=o.co.pk),
                     {"co_unit"})
    if name == "views":  # the co-unit has sent its views already
        case = _case("views", build, lambda w, o, u: services.views_send(actor=u, assignment_id=o.co.pk, text="x"),
                     {"co_unit"})
    role = sorted(case.allowed - {"superuser"})[0]
    n_events = Event.objects.count()
    with pytest.raises(ConflictError):
        case.call(world, o, who(world, role))
    assert Event.objects.count() == n_events


# --- assignment patterns --------------------------------------------------------------------------------------
def test_a_lead_with_two_co_units_replies_after_both_views(world, django_capture_on_commit_callbacks):
    b = people(world)
    s = to_accepted(world)
    s = services.suggestion_assign(actor=act(world, "staff"), suggestion_id=s.pk, mode="lead",
                                   lead_unit_id=world.unit.pk, co_unit_ids=[world.other_unit.pk, b.third_unit.pk])
    lead = Assignment.objects.get(suggestion=s, role="lead")
    co2, co3 = (Assignment.objects.get(suggestion=s, unit=u) for u in (world.other_unit, b.third_unit))
    assert {co2.role, co3.role} == {"co"} and lead.unit_id == world.unit.pk
    for part, role in ((lead, "unit"), (co2, "unit2"), (co3, "unit3")):
        services.assignment_sign(actor=act(world, role), assignment_id=part.pk)
    contact(world, lead)
    services.views_send(actor=act(world, "unit2"), assignment_id=co2.pk, text="协办意见一")
    with pytest.raises(ValidationError) as e:
        services.reply_send(actor=act(world, "unit"), assignment_id=lead.pk, outcome="A", text="答复", pdf=pdf())
    assert e.value.error_dict["text"][0].code == "views_pending" and b.third_unit.name in str(e.value)
    assert world.other_unit.name not in str(e.value)
    services.views_send(actor=act(world, "unit3"), assignment_id=co3.pk, text="协办意见二")
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.reply_send(actor=act(world, "unit"), assignment_id=lead.pk, outcome="A", text="答复",
                                    pdf=pdf())
    s.refresh_from_db()
    assert s.status == "replied" and set(current_replies(s.pk)) == {lead.pk}
    assert current_replies(s.pk)[lead.pk] == reply
    # The co-units' views are not rated: they are not current replies.
    views = Reply.objects.get(assignment=co2)
    with pytest.raises(ConflictError):
        services.rating_submit(actor=act(world, "deputy"), reply_id=views.pk, value="satisfied")
    assert Message.objects.filter(recipient=world.users["deputy"], subject__contains="请评价").exists()


@pytest.mark.parametrize(("plan", "field", "code"), [
    ({"mode": "separate", "unit_ids": ["UNIT"]}, "units", "too_few_units"),
    ({"mode": "lead", "lead_unit_id": "UNIT", "co_unit_ids": ["UNIT"]}, "co_units", "co_is_lead"),
    ({"mode": "lead"}, "lead_unit", "required"),
    ({"mode": "both", "lead_unit_id": "UNIT"}, "mode", "mode"),
])
def test_an_impossible_assignment_plan_is_refused(world, plan, field, code):
    s = to_accepted(world)
    plan = {k: ([world.unit.pk] if v == ["UNIT"] else world.unit.pk if v == "UNIT" else v) for k, v in plan.items()}
    with pytest.raises(ValidationError) as e:
        services.suggestion_assign(actor=act(world, "staff"), suggestion_id=s.pk, **plan)
    assert e.value.error_dict[field][0].code == code
    assert Suggestion.objects.get(pk=s.pk).status == "accepted" and not Assignment.objects.filter(suggestion=s).exists()


def test_separate_units_each_reply_and_one_unsatisfied_reopens_only_that_unit(world):
    b = people(world)
    s = to_accepted(world)
    s = services.suggestion_assign(actor=act(world, "staff"), suggestion_id=s.pk, mode="separate",
                                   unit_ids=[world.unit.pk, world.other_unit.pk, b.third_unit.pk])
    mine = {p.unit_id: p for p in Assignment.objects.filter(suggestion=s)}
    assert {p.role for p in mine.values()} == {"separate"} and s.mode == "separate"
    replies = {}
    for unit, role, outcome in ((world.unit, "unit", "A"), (world.other_unit, "unit2", "A"),
                                (b.third_unit, "unit3", "D")):
        part = mine[unit.pk]
        services.assignment_sign(actor=act(world, role), assignment_id=part.pk)
        contact(world, part, role)
        replies[role] = services.reply_send(actor=act(world, role), assignment_id=part.pk, outcome=outcome,
                                            text="答复", pdf=pdf())
        assert Suggestion.objects.get(pk=s.pk).status == ("replied" if role == "unit3" else "handling")
    s.refresh_from_db()
    assert s.outcome == "D"  # the weakest class of the units
    services.rating_submit(actor=act(world, "deputy"), reply_id=replies["unit2"].pk, value="unsatisfied")
    statuses = dict(Assignment.objects.filter(suggestion=s).values_list("unit_id", "status"))
    assert statuses == {world.unit.pk: "answered", world.other_unit.pk: "rehandling", b.third_unit.pk: "answered"}
    assert Suggestion.objects.get(pk=s.pk).status == "rehandling"
    # The other units' replies can still be rated meanwhile.
    services.rating_submit(actor=act(world, "deputy"), reply_id=replies["unit"].pk, value="satisfied")
    services.rating_submit(actor=act(world, "deputy"), reply_id=replies["unit3"].pk, value="basic")
    contact(world, mine[world.other_unit.pk], "unit2")
    again = services.reply_send(actor=act(world, "unit2"), assignment_id=mine[world.other_unit.pk].pk, outcome="A",
                                text="重新答复", pdf=pdf())
    assert Suggestion.objects.get(pk=s.pk).status == "replied"
    services.rating_submit(actor=act(world, "deputy"), reply_id=again.pk, value="satisfied")
    s.refresh_from_db()
    assert s.status == "closed" and s.rehandled


# --- return and arbitration -----------------------------------------------------------------------------------
def test_return_then_kept_then_signed(world, django_capture_on_commit_callbacks):
    o = b_assigned(world)
    reply_clock = Deadline.objects.get(object_id=o.lead.pk, content_type__model="assignment",
                                       policy__code="suggestion_reply")
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_return(actor=act(world, "unit"), assignment_id=o.lead.pk, reason="非本单位职责")
    assert Message.objects.filter(recipient=world.users["staff"], subject__contains="申请退回").exists()
    assert Suggestion.objects.get(pk=o.s.pk).status == "handling"
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_reject_return(actor=act(world, "staff"), assignment_id=o.lead.pk, note="属于本单位职责")
    assert Message.objects.filter(recipient=world.users["unit"], subject__contains="退回申请未获同意",
                                  body="属于本单位职责").exists()
    # The arbitration is final: the window to return was used.
    with pytest.raises(ValidationError) as e:
        services.assignment_return(actor=act(world, "unit"), assignment_id=o.lead.pk, reason="仍不属于本单位")
    assert e.value.error_dict["reason"][0].code == "return_late"
    part = services.assignment_sign(actor=act(world, "unit"), assignment_id=o.lead.pk)
    assert part.status == "signed" and part.return_reason == "非本单位职责"
    assert [e.action for e in events(part).exclude(action="assign")] == ["return", "reject_return", "sign"]
    # The reply clock kept running from the assignment, untouched.
    kept = Deadline.objects.get(pk=reply_clock.pk)
    assert (kept.state, kept.start, kept.due) == ("open", reply_clock.start, reply_clock.due)


def test_return_then_reassigned_to_another_unit_whose_clocks_start_anew(world, django_capture_on_commit_callbacks):
    from renda.core.workdays.services import deadline_cancel, deadline_create

    b = people(world)
    o = b_assigned(world)
    # As if assigned months ago: the old unit's clocks started on 2026-03-10.
    for d in Deadline.objects.filter(object_id=o.lead.pk, content_type__model="assignment", state="open"):
        deadline_cancel(deadline=d)
        deadline_create(obj=o.lead, policy_code=d.policy.code, start=dt.date(2026, 3, 10), owner_unit=o.lead.unit)
    services.sync_due(o.s.pk)
    assert Suggestion.objects.get(pk=o.s.pk).due == dt.date(2026, 6, 10)
    services.assignment_return(actor=act(world, "unit"), assignment_id=o.lead.pk, reason="非本单位职责",
                               today=dt.date(2026, 3, 12))
    with django_capture_on_commit_callbacks(execute=True):
        new = services.assignment_reassign(actor=act(world, "staff"), assignment_id=o.lead.pk,
                                           unit_id=b.third_unit.pk, note="改由交通运输局主办")
    old = Assignment.objects.get(pk=o.lead.pk)
    assert old.status == "withdrawn" and old.due is None
    assert not Deadline.objects.filter(object_id=old.pk, content_type__model="assignment", state="open").exists()
    assert (new.role, new.unit_id, new.status) == ("lead", b.third_unit.pk, "assigned")
    today = timezone.localdate()
    fresh = {d.policy.code: d for d in Deadline.objects.filter(object_id=new.pk, content_type__model="assignment")}
    assert set(fresh) == {"suggestion_sign", "suggestion_reply"}
    assert all(d.start == today and d.state == "open" for d in fresh.values())
    s = Suggestion.objects.get(pk=o.s.pk)
    assert s.due == fresh["suggestion_reply"].due > dt.date(2026, 6, 10) and s.status == "handling"
    assert events(s, "reassign").count() == 1
    assert Message.objects.filter(recipient=world.users["unit"], subject__contains="已撤回").exists()
    assert Message.objects.filter(recipient=world.users["unit3"], subject__contains="交办").exists()
    # The old unit no longer sees the suggestion; the new one does, and signs.
    assert not act(world, "unit").has_perm("suggestions.view_suggestion", s)
    assert act(world, "unit3").has_perm("suggestions.view_suggestion", s)
    with pytest.raises(PermissionDenied):
        services.assignment_sign(actor=act(world, "unit"), assignment_id=new.pk)
    services.assignment_sign(actor=act(world, "unit3"), assignment_id=new.pk)


def test_a_part_cannot_be_reassigned_to_a_unit_already_handling_the_suggestion(world):
    o = b_returned(world)
    with pytest.raises(ValidationError) as e:
        services.assignment_reassign(actor=act(world, "staff"), assignment_id=o.lead.pk, unit_id=world.other_unit.pk,
                                     note="改由教育局主办")
    assert e.value.error_dict["units"][0].code == "unit_duplicate"
    assert Assignment.objects.get(pk=o.lead.pk).status == "returned"
    assert Assignment.objects.filter(suggestion=o.s).count() == 2


def test_a_reassigned_co_unit_must_send_views_before_the_lead_replies(world):
    b = people(world)
    o = b_assigned(world)
    services.assignment_sign(actor=act(world, "unit"), assignment_id=o.lead.pk)
    services.assignment_return(actor=act(world, "unit2"), assignment_id=o.co.pk, reason="非本单位职责")
    new = services.assignment_reassign(actor=act(world, "staff"), assignment_id=o.co.pk, unit_id=b.third_unit.pk,
                                       note="改由交通运输局协办")
    assert new.role == "co"
    contact(world, o.lead)
    with pytest.raises(ValidationError) as e:
        services.reply_send(actor=act(world, "unit"), assignment_id=o.lead.pk, outcome="A", text="答复", pdf=pdf())
    assert e.value.error_dict["text"][0].code == "views_pending" and b.third_unit.name in str(e.value)
    services.assignment_sign(actor=act(world, "unit3"), assignment_id=new.pk)
    services.views_send(actor=act(world, "unit3"), assignment_id=new.pk, text="协办意见")
    services.reply_send(actor=act(world, "unit"), assignment_id=o.lead.pk, outcome="A", text="答复", pdf=pdf())
    assert Suggestion.objects.get(pk=o.s.pk).status == "replied"


# --- re-handling once ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("first", "second", "status", "rehandled"), [
    ("satisfied", None, "closed", False),
    ("basic", None, "closed", False),
    ("unsatisfied", "satisfied", "closed", True),
    ("unsatisfied", "unsatisfied", "closed", True),
])
def test_unsatisfied_reopens_once(world, first, second, status, rehandled):
    s = to_replied(world, co=False)
    lead, _ = parts(s)
    services.rating_submit(actor=act(world, "deputy"), reply_id=s.replies.get(kind="reply").pk, value=first)
    if second:
        assert Suggestion.objects.get(pk=s.pk).status == "rehandling"
        contact(world, lead)
        again = services.reply_send(actor=act(world, "unit"), assignment_id=lead.pk, outcome="C", text="再答复",
                                    pdf=pdf())
        assert again.kind == "rehandle"
        services.rating_submit(actor=act(world, "deputy"), reply_id=again.pk, value=second)
    s.refresh_from_db()
    lead.refresh_from_db()
    assert (s.status, s.rehandled, lead.rehandled) == (status, rehandled, rehandled)
    assert events(s, "reopen").count() == (1 if rehandled else 0)
    assert events(lead, "reopen").count() == (1 if rehandled else 0)
    assert events(s, "all_rated").count() == 1


def test_rehandling_with_a_co_signer(world, django_capture_on_commit_callbacks):
    o = b_replied(world)
    services.rating_submit(actor=act(world, "deputy"), reply_id=o.reply.pk, value="unsatisfied", comment="进展慢")
    # Once reopened, the first reply is no longer the one to rate.
    with pytest.raises(ConflictError) as e:
        services.rating_submit(actor=act(world, "deputy2"), reply_id=o.reply.pk, value="satisfied")
    assert e.value.code == "not_current"
    # A new contact (round 2) comes before the re-handled reply.
    with pytest.raises(ValidationError) as e:
        services.reply_send(actor=act(world, "unit"), assignment_id=o.lead.pk, outcome="A", text="再答复", pdf=pdf())
    assert e.value.error_dict["contact"][0].code == "contact_required"
    contact(world, o.lead, deputy=world.deputy2)
    assert Contact.objects.filter(assignment=o.lead, round=2).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        again = services.reply_send(actor=act(world, "unit"), assignment_id=o.lead.pk, outcome="A", text="已解决",
                                    pdf=pdf())
    for role in ("deputy", "deputy2"):
        assert Message.objects.filter(recipient=world.users[role], subject__contains="请评价").exists()
    services.rating_submit(actor=act(world, "deputy2"), reply_id=again.pk, value="unsatisfied")
    assert Suggestion.objects.get(pk=o.s.pk).status == "replied"  # no second re-handling; the author has not rated
    services.rating_submit(actor=act(world, "deputy"), reply_id=again.pk, value="basic")
    s = Suggestion.objects.get(pk=o.s.pk)
    assert s.status == "closed" and events(s, "reopen").count() == 1
    assert Rating.objects.filter(reply=again).count() == 2


# --- B follow-up --------------------------------------------------------------------------------------------------
def test_b_items_are_followed_until_solved_and_rated_again(world, django_capture_on_commit_callbacks):
    o = b_replied(world, outcome="B")
    assert o.reply.committed_date is not None
    services.rating_submit(actor=act(world, "deputy"), reply_id=o.reply.pk, value="satisfied")
    assert Suggestion.objects.get(pk=o.s.pk).status == "replied"
    with pytest.raises(ConflictError):  # not under follow-up yet
        services.progress_report(actor=act(world, "unit"), assignment_id=o.lead.pk, text="进展")
    services.rating_submit(actor=act(world, "deputy2"), reply_id=o.reply.pk, value="basic")
    s, lead = Suggestion.objects.get(pk=o.s.pk), Assignment.objects.get(pk=o.lead.pk)
    assert (s.status, lead.status) == ("following", "following")
    assert events(s, "follow_up").count() == 1 and events(lead, "follow_up").count() == 1
    assert not events(s, "all_rated").exists()
    with django_capture_on_commit_callbacks(execute=True):
        progress = services.progress_report(actor=act(world, "unit"), assignment_id=o.lead.pk, text="主体完工 80%")
    for role in ("deputy", "deputy2"):
        assert Message.objects.filter(recipient=world.users[role], body__contains="主体完工 80%").exists()
    with pytest.raises(ConflictError):  # progress reports are not rated
        services.rating_submit(actor=act(world, "deputy"), reply_id=progress.pk, value="satisfied")
    with pytest.raises(PermissionDenied):
        services.followup_solve(actor=act(world, "unit2"), assignment_id=o.lead.pk, text="已完成", pdf=pdf())
    with django_capture_on_commit_callbacks(execute=True):
        solved = services.followup_solve(actor=act(world, "unit"), assignment_id=o.lead.pk, text="已全部完工",
                                         pdf=pdf())
    s = Suggestion.objects.get(pk=o.s.pk)
    assert (s.status, s.outcome, solved.kind, solved.outcome) == ("replied", "A", "solved", "A")
    assert events(s, "solved").count() == 1
    assert set(current_replies(s.pk).values()) == {solved}
    services.rating_submit(actor=act(world, "deputy"), reply_id=solved.pk, value="satisfied")
    assert Suggestion.objects.get(pk=o.s.pk).status == "replied"
    services.rating_submit(actor=act(world, "deputy2"), reply_id=solved.pk, value="satisfied")
    s = Suggestion.objects.get(pk=o.s.pk)
    assert s.status == "closed" and s.closed_at is not None and events(s, "all_rated").count() == 1


def test_an_unsatisfied_b_reply_is_rehandled_before_follow_up(world):
    o = b_replied(world, outcome="B")
    services.rating_submit(actor=act(world, "deputy"), reply_id=o.reply.pk, value="unsatisfied")
    contact(world, o.lead)
    again = services.reply_send(actor=act(world, "unit"), assignment_id=o.lead.pk, outcome="B", text="已开工",
                                pdf=pdf(), committed_date=later(30))
    for role in ("deputy", "deputy2"):
        services.rating_submit(actor=act(world, role), reply_id=again.pk, value="satisfied")
    assert Suggestion.objects.get(pk=o.s.pk).status == "following"
    assert Assignment.objects.get(pk=o.lead.pk).status == "following"


def test_staff_finish_puts_b_items_under_follow_up(world):
    o = b_replied(world, outcome="B")
    s = services.suggestion_finish(actor=act(world, "staff"), suggestion_id=o.s.pk)
    assert s.status == "following" and events(s, "close_to_follow_up").count() == 1
    assert Assignment.objects.get(pk=o.lead.pk).status == "following"
    o2 = b_replied(world, outcome="C")
    s2 = services.suggestion_finish(actor=act(world, "staff"), suggestion_id=o2.s.pk)
    assert s2.status == "closed" and events(s2, "close").count() == 1


# --- merging ---------------------------------------------------------------------------------------------------
def _merged(w):
    """main: by the author alone, accepted. other: by deputy2 with deputy3 co-signing, merged into main."""
    b = people(w)
    main = to_accepted(w, title="关于老旧小区加装电梯的建议")
    other = services.suggestion_create(actor=act(w, "deputy2"), category_id=b.category.pk, title="加快加装电梯",
                                       proposal="建议加大补贴。")
    services.signer_invite(actor=act(w, "deputy2"), suggestion_id=other.pk, deputy_ids=[w.deputy3.pk])
    services.signer_respond(actor=act(w, "deputy3"), suggestion_id=other.pk, confirm=True)
    services.suggestion_submit(actor=act(w, "deputy2"), suggestion_id=other.pk)
    services.suggestion_merge(actor=act(w, "staff"), suggestion_id=other.pk, into_id=main.pk, note="内容相近")
    return main, Suggestion.objects.get(pk=other.pk)


def test_every_deputy_of_a_merged_suggestion_is_told_rates_and_gets_the_rating_slip(
        world, client, django_capture_on_commit_callbacks):
    main, other = _merged(world)
    raters = {world.deputy.pk: "deputy", world.deputy2.pk: "deputy2", world.deputy3.pk: "deputy3"}
    assert other.status == "merged" and other.merged_into_id == main.pk
    assert services.signer_deputy_ids(main.pk) == sorted(raters)
    with django_capture_on_commit_callbacks(execute=True):
        services.suggestion_assign(actor=act(world, "staff"), suggestion_id=main.pk, mode="lead",
                                   lead_unit_id=world.unit.pk)
    lead, _ = parts(main)
    services.assignment_sign(actor=act(world, "unit"), assignment_id=lead.pk)
    contact(world, lead, deputy=world.deputy3)  # a merged suggestion's co-signer may be the one contacted
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.reply_send(actor=act(world, "unit"), assignment_id=lead.pk, outcome="A", text="已完成",
                                    pdf=pdf())
    for role in raters.values():
        user = world.users[role]
        assert Message.objects.filter(recipient=user, subject__contains="建议已交办").exists(), role
        replied = Message.objects.get(recipient=user, subject__contains="请评价")
        assert "征询意见表" in replied.body and replied.url == main.get_absolute_url()
        assert reply in deputy_tasks(user=act(world, role))["to_rate"], role
        assert act(world, role).has_perm("suggestions.view_suggestion", main)
        # The rating slip (征询意见表) of the main suggestion, for this deputy.
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        r = client.get(f"/suggestions/{main.pk}/reply-form/")
        assert r.status_code == 200 and r["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.wordprocessingml"), role
    for role in ("deputy", "deputy2"):
        services.rating_submit(actor=act(world, role), reply_id=reply.pk, value="satisfied")
        assert Suggestion.objects.get(pk=main.pk).status == "replied"
    services.rating_submit(actor=act(world, "deputy3"), reply_id=reply.pk, value="basic")
    main, other = Suggestion.objects.get(pk=main.pk), Suggestion.objects.get(pk=other.pk)
    assert main.status == other.status == "closed" and other.outcome == "A"
    assert events(other, "merged_close").count() == 1
    assert set(Rating.objects.filter(reply=reply).values_list("deputy_id", flat=True)) == set(raters)


def test_a_merged_suggestions_deputy_can_send_it_back_for_rehandling(world):
    main, _other = _merged(world)
    services.suggestion_assign(actor=act(world, "staff"), suggestion_id=main.pk, mode="lead",
                               lead_unit_id=world.unit.pk)
    lead, _ = parts(main)
    services.assignment_sign(actor=act(world, "unit"), assignment_id=lead.pk)
    contact(world, lead)
    reply = services.reply_send(actor=act(world, "unit"), assignment_id=lead.pk, outcome="A", text="已完成", pdf=pdf())
    services.rating_submit(actor=act(world, "deputy3"), reply_id=reply.pk, value="unsatisfied", comment="未落实")
    assert Suggestion.objects.get(pk=main.pk).status == "rehandling"
    assert Assignment.objects.get(pk=lead.pk).status == "rehandling"


def test_a_suggestion_merged_into_one_being_merged_follows_the_new_main_one(world):
    main, other = _merged(world)
    top = to_accepted(world, title="关于城市更新的建议")
    services.suggestion_merge(actor=act(world, "staff"), suggestion_id=main.pk, into_id=top.pk, note="一并办理")
    assert Suggestion.objects.get(pk=other.pk).merged_into_id == top.pk
    assert services.signer_deputy_ids(top.pk) == sorted([world.deputy.pk, world.deputy2.pk, world.deputy3.pk])


@pytest.mark.parametrize("target", ["self", "submitted", "other_congress"])
def test_merging_needs_an_accepted_target_of_the_same_congress(world, target):
    people(world)
    s = to_submitted(world)
    if target == "self":
        into, code = s, "merge_self"
    elif target == "submitted":
        into, code = to_submitted(world, title="另一件"), "merge_target"
    else:
        from renda.suggestions.models import Period

        period = Period.objects.create(congress=world.town, kind="session", year=2026, name="镇六次会议",
                                       is_open=True)
        into = services.suggestion_create(actor=act(world, "town_deputy"), category_id=base(world).category.pk,
                                          title="镇里的建议", proposal="建议。")
        services.suggestion_submit(actor=act(world, "town_deputy"), suggestion_id=into.pk, period_id=period.pk)
        into = services.suggestion_accept(actor=act(world, "town_staff"), suggestion_id=into.pk)
        code = "merge_target"
    with pytest.raises(ValidationError) as e:
        services.suggestion_merge(actor=act(world, "staff"), suggestion_id=s.pk, into_id=into.pk, note="相近")
    assert e.value.error_dict["into"][0].code == code
    assert Suggestion.objects.get(pk=s.pk).status == "submitted"
