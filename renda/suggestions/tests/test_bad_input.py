"""Bad input to every service: a ValidationError naming the field with a code (or PermissionDenied /
DoesNotExist where that is the answer), never another exception, and nothing written.

Over-long text, wrong types (dict, list, int instead of str; strings for numbers), unknown ids, dates
outside the calendar (1900, 2200), HTML and script kept verbatim and shown escaped, a disguised PDF.
Each case was first written against the services as they were; those that failed then (dates outside the
calendar, datetimes as dates, non-ids, truthy strings as yes/no, strings as files, ids too big for SQLite)
were fixed in renda/suggestions/services.py.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from renda.core.attachments import Attachment
from renda.core.models import Event
from renda.core.notify.models import Message
from renda.core.workdays.models import Deadline
from renda.suggestions import services
from renda.suggestions.models import (
    Assignment,
    Contact,
    Extension,
    KeySupervision,
    Milestone,
    Note,
    Period,
    Rating,
    Reply,
    Signer,
    Suggestion,
)
from renda.suggestions.world import (
    PDF,
    act,
    base,
    draft,
    parts,
    pdf,
    to_accepted,
    to_assigned,
    to_replied,
    to_submitted,
)

pytestmark = pytest.mark.django_db

MODELS = (Suggestion, Signer, Assignment, Reply, Rating, Contact, Extension, Note, KeySupervision, Milestone, Period,
          Deadline, Event, Attachment, Message)
# The PNG signature and IHDR chunk of a 1×1 image, then padding: a picture named 答复函.pdf.
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00\x00\x00\x01" * 2 + b"\x08\x02\x00\x00\x00\x90wS\xde"
       + b"\x00" * 64)
HUGE = 10**30  # beyond any database integer
D1900, D2200 = dt.date(1900, 1, 1), dt.date(2200, 1, 1)


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def snapshot_states() -> dict:
    return {"s": dict(Suggestion.objects.values_list("pk", "status")),
            "a": dict(Assignment.objects.values_list("pk", "status")),
            "v": dict(Suggestion.objects.values_list("pk", "version"))}


@pytest.fixture
def o(world):
    """A suggestion in each state the services need, by the world's deputy; the lead of `assigned` is
    ready to reply (signed, contacted, the co-unit's views in), `pending` has an extension request and is
    a key suggestion with a milestone."""
    b = base(world)
    x = SimpleNamespace(b=b)
    x.draft = draft(world, title="草稿")
    x.submitted = to_submitted(world, title="待审查")
    x.accepted = to_accepted(world, title="已立案")
    x.assigned = to_assigned(world, title="办理中")
    x.lead, x.co = parts(x.assigned)
    services.assignment_sign(actor=act(world, "unit"), assignment_id=x.lead.pk)
    services.assignment_sign(actor=act(world, "unit2"), assignment_id=x.co.pk)
    services.views_send(actor=act(world, "unit2"), assignment_id=x.co.pk, text="协办意见")
    services.contact_record(actor=act(world, "unit"), assignment_id=x.lead.pk, deputy_id=world.deputy.pk,
                            contacted_on=timezone.localdate(), form="phone", content="电话沟通。")
    x.replied = to_replied(world, title="已答复", co=False)
    x.reply = x.replied.replies.get(kind="reply")
    x.pending = to_assigned(world, title="申请延期", co=False)
    x.plead, _ = parts(x.pending)
    x.ext = services.extension_request(actor=act(world, "unit"), assignment_id=x.plead.pk, months=1, reason="资金")
    x.key = services.key_mark(actor=act(world, "staff"), suggestion_id=x.pending.pk, leader_id=b.leader.pk,
                              meeting_date=dt.date(2026, 3, 1), milestones=[(dt.date(2026, 6, 30), "完成设计")])
    x.milestone = x.key.milestones.get()
    return x


def refused(call, field: str, code: str | None):
    """The call is refused with a field error; nothing is written."""
    before, states = counts(), snapshot_states()
    with pytest.raises(ValidationError) as e:
        call()
    assert hasattr(e.value, "error_dict"), f"no field named: {e.value!r}"
    assert field in e.value.error_dict, e.value.error_dict
    got = e.value.error_dict[field][0].code
    assert got and (code is None or got == code), got
    assert counts() == before and snapshot_states() == states


def _long(n: int) -> str:
    return "长" * n


# --- over-long text ----------------------------------------------------------------------------------------
def _create(w, o, **kw):
    fields = dict(category_id=o.b.category.pk, title="标题", proposal="建议内容")
    fields.update(kw)
    return lambda: services.suggestion_create(actor=act(w, "deputy"), **fields)


TOO_LONG = {
    "create_title": (lambda w, o: _create(w, o, title=_long(101)), "title"),
    "create_situation": (lambda w, o: _create(w, o, situation=_long(3001)), "situation"),
    "create_problem": (lambda w, o: _create(w, o, problem=_long(3001)), "problem"),
    "create_proposal": (lambda w, o: _create(w, o, proposal=_long(5001)), "proposal"),
    "update_proposal": (lambda w, o: lambda: services.suggestion_update(
        actor=act(w, "deputy"), suggestion_id=o.draft.pk, category_id=o.b.category.pk, title="标题",
        proposal=_long(5001)), "proposal"),
    "decline_reason": (lambda w, o: lambda: services.suggestion_decline(
        actor=act(w, "staff"), suggestion_id=o.submitted.pk, reason=_long(2001)), "note"),
    "send_back_note": (lambda w, o: lambda: services.suggestion_send_back(
        actor=act(w, "staff"), suggestion_id=o.submitted.pk, note=_long(2001)), "note"),
    "merge_note": (lambda w, o: lambda: services.suggestion_merge(
        actor=act(w, "staff"), suggestion_id=o.submitted.pk, into_id=o.accepted.pk, note=_long(2001)), "note"),
    "assign_note": (lambda w, o: lambda: services.suggestion_assign(
        actor=act(w, "staff"), suggestion_id=o.accepted.pk, mode="lead", lead_unit_id=w.unit.pk,
        note=_long(2001)), "note"),
    "return_reason": (lambda w, o: lambda: services.assignment_return(
        actor=act(w, "unit"), assignment_id=o.plead.pk, reason=_long(2001)), "reason"),
    "reassign_note": (lambda w, o: lambda: services.assignment_reassign(
        actor=act(w, "staff"), assignment_id=o.plead.pk, unit_id=o.b.third_unit.pk, note=_long(2001)), "note"),
    "contact_content": (lambda w, o: lambda: services.contact_record(
        actor=act(w, "unit"), assignment_id=o.lead.pk, deputy_id=w.deputy.pk, contacted_on=timezone.localdate(),
        form="phone", content=_long(2001)), "content"),
    "views_text": (lambda w, o: lambda: services.views_send(actor=act(w, "unit2"), assignment_id=o.co.pk,
                                                            text=_long(10001)), "text"),
    "reply_text": (lambda w, o: lambda: services.reply_send(actor=act(w, "unit"), assignment_id=o.lead.pk,
                                                            outcome="A", text=_long(10001), pdf=pdf()), "text"),
    "solve_text": (lambda w, o: lambda: services.followup_solve(actor=act(w, "unit"), assignment_id=o.lead.pk,
                                                                text=_long(10001), pdf=pdf()), "text"),
    "rating_comment": (lambda w, o: lambda: services.rating_submit(
        actor=act(w, "deputy"), reply_id=o.reply.pk, value="unsatisfied", comment=_long(2001)), "comment"),
    "extension_reason": (lambda w, o: lambda: services.extension_request(
        actor=act(w, "unit"), assignment_id=o.lead.pk, months=1, reason=_long(2001)), "reason"),
    "extension_note": (lambda w, o: lambda: services.extension_decide(
        actor=act(w, "staff"), extension_id=o.ext.pk, approve=False, note=_long(2001)), "note"),
    "note_text": (lambda w, o: lambda: services.note_add(actor=act(w, "staff"), suggestion_id=o.assigned.pk,
                                                         kind="remind", text=_long(2001)), "text"),
    "key_note": (lambda w, o: lambda: services.key_mark(
        actor=act(w, "staff"), suggestion_id=o.accepted.pk, leader_id=o.b.leader.pk,
        meeting_date=dt.date(2026, 3, 1), note=_long(2001)), "note"),
    "key_milestone": (lambda w, o: lambda: services.key_mark(
        actor=act(w, "staff"), suggestion_id=o.accepted.pk, leader_id=o.b.leader.pk,
        meeting_date=dt.date(2026, 3, 1), milestones=[(dt.date(2026, 6, 1), _long(201))]), "milestones"),
    "unkey_reason": (lambda w, o: lambda: services.key_unmark(actor=act(w, "staff"), suggestion_id=o.pending.pk,
                                                              reason=_long(2001)), "reason"),
    "publish_title": (lambda w, o: lambda: services.suggestion_publish(
        actor=act(w, "staff"), suggestion_id=o.replied.pk, title=_long(101), text="x", reply="y"), "title"),
    "publish_text": (lambda w, o: lambda: services.suggestion_publish(
        actor=act(w, "staff"), suggestion_id=o.replied.pk, title="x", text=_long(5001), reply="y"), "text"),
    "publish_reply": (lambda w, o: lambda: services.suggestion_publish(
        actor=act(w, "staff"), suggestion_id=o.replied.pk, title="x", text="y", reply=_long(10001)), "reply"),
    "period_name": (lambda w, o: lambda: services.period_create(
        actor=act(w, "staff"), congress=w.city, kind="recess", year=2026, name=_long(101)), "name"),
}


@pytest.mark.parametrize("case", sorted(TOO_LONG))
def test_over_long_text_is_a_field_error(world, o, case):
    build, field = TOO_LONG[case]
    refused(build(world, o), field, "invalid")


def test_text_at_the_limit_is_accepted(world, o):
    s = _create(world, o, title=_long(100), situation=_long(3000), problem=_long(3000), proposal=_long(5000))()
    assert (len(s.title), len(s.proposal)) == (100, 5000)


# --- wrong types ----------------------------------------------------------------------------------------------
WRONG_TYPES = {
    "title_dict": (lambda w, o: _create(w, o, title={"zh": "标题"}), "title", "invalid"),
    "title_list": (lambda w, o: _create(w, o, title=["标题"]), "title", "invalid"),
    "title_int": (lambda w, o: _create(w, o, title=12345), "title", "invalid"),
    "proposal_list": (lambda w, o: _create(w, o, proposal=["建议"]), "proposal", "invalid"),
    "category_str": (lambda w, o: _create(w, o, category_id="urban"), "category", "category"),
    "category_dict": (lambda w, o: _create(w, o, category_id={"id": 1}), "category", "category"),
    "units_int": (lambda w, o: _create(w, o, unit_ids=5), "proposed_units", "unknown"),
    "units_words": (lambda w, o: _create(w, o, unit_ids=["住建局"]), "proposed_units", "unknown"),
    "invite_dicts": (lambda w, o: lambda: services.signer_invite(
        actor=act(w, "deputy"), suggestion_id=o.draft.pk, deputy_ids=[{"id": 1}]), "deputies", "unknown"),
    "submit_period_dict": (lambda w, o: lambda: services.suggestion_submit(
        actor=act(w, "deputy"), suggestion_id=o.draft.pk, period_id={"id": 1}), "period", "period_closed"),
    "assign_mode_list": (lambda w, o: lambda: services.suggestion_assign(
        actor=act(w, "staff"), suggestion_id=o.accepted.pk, mode=["lead"], lead_unit_id=w.unit.pk), "mode", "mode"),
    "assign_lead_dict": (lambda w, o: lambda: services.suggestion_assign(
        actor=act(w, "staff"), suggestion_id=o.accepted.pk, mode="lead", lead_unit_id={"id": w.unit.pk}),
        "lead_unit", "unknown"),
    "assign_lead_list": (lambda w, o: lambda: services.suggestion_assign(
        actor=act(w, "staff"), suggestion_id=o.accepted.pk, mode="lead", lead_unit_id=[w.unit.pk, 2]),
        "lead_unit", "unknown"),
    "assign_co_int": (lambda w, o: lambda: services.suggestion_assign(
        actor=act(w, "staff"), suggestion_id=o.accepted.pk, mode="lead", lead_unit_id=w.unit.pk, co_unit_ids=5),
        "co_units", "unknown"),
    "assign_units_str": (lambda w, o: lambda: services.suggestion_assign(
        actor=act(w, "staff"), suggestion_id=o.accepted.pk, mode="separate", unit_ids="abc"), "units", "unknown"),
    "assign_note_dict": (lambda w, o: lambda: services.suggestion_assign(
        actor=act(w, "staff"), suggestion_id=o.accepted.pk, mode="lead", lead_unit_id=w.unit.pk,
        note={"text": "x"}), "note", "invalid"),
    "return_reason_int": (lambda w, o: lambda: services.assignment_return(
        actor=act(w, "unit"), assignment_id=o.plead.pk, reason=404), "reason", "invalid"),
    "reassign_unit_word": (lambda w, o: lambda: services.assignment_reassign(
        actor=act(w, "staff"), assignment_id=o.plead.pk, unit_id="交通局", note="改交"), "unit", "unknown"),
    "contact_form_list": (lambda w, o: lambda: services.contact_record(
        actor=act(w, "unit"), assignment_id=o.lead.pk, deputy_id=w.deputy.pk, contacted_on=timezone.localdate(),
        form=["phone"], content="x"), "form", "invalid"),
    "contact_date_str": (lambda w, o: lambda: services.contact_record(
        actor=act(w, "unit"), assignment_id=o.lead.pk, deputy_id=w.deputy.pk,
        contacted_on=timezone.localdate().isoformat(), form="phone", content="x"), "contacted_on", "date"),
    "contact_deputy_dict": (lambda w, o: lambda: services.contact_record(
        actor=act(w, "unit"), assignment_id=o.lead.pk, deputy_id={"id": 1}, contacted_on=timezone.localdate(),
        form="phone", content="x"), "deputy", "deputy_unknown"),
    "reply_outcome_list": (lambda w, o: lambda: services.reply_send(
        actor=act(w, "unit"), assignment_id=o.lead.pk, outcome=["A"], text="x", pdf=pdf()), "outcome", "outcome"),
    "reply_committed_str": (lambda w, o: lambda: services.reply_send(
        actor=act(w, "unit"), assignment_id=o.lead.pk, outcome="B", text="x", pdf=pdf(),
        committed_date="2027-06-30"), "committed_date", "committed_date"),
    "reply_text_dict": (lambda w, o: lambda: services.reply_send(
        actor=act(w, "unit"), assignment_id=o.lead.pk, outcome="A", text={"text": "x"}, pdf=pdf()),
        "text", "invalid"),
    "views_text_list": (lambda w, o: lambda: services.views_send(actor=act(w, "unit2"), assignment_id=o.co.pk,
                                                                 text=["x"]), "text", "invalid"),
    "rating_value_list": (lambda w, o: lambda: services.rating_submit(
        actor=act(w, "deputy"), reply_id=o.reply.pk, value=["satisfied"]), "value", "rating"),
    "rating_value_int": (lambda w, o: lambda: services.rating_submit(
        actor=act(w, "deputy"), reply_id=o.reply.pk, value=1), "value", "rating"),
    "rating_comment_dict": (lambda w, o: lambda: services.rating_submit(
        actor=act(w, "deputy"), reply_id=o.reply.pk, value="basic", comment={"c": 1}), "comment", "invalid"),
    "months_str": (lambda w, o: lambda: services.extension_request(
        actor=act(w, "unit"), assignment_id=o.lead.pk, months="2", reason="x"), "months", "months"),
    "months_float": (lambda w, o: lambda: services.extension_request(
        actor=act(w, "unit"), assignment_id=o.lead.pk, months=2.0, reason="x"), "months", "months"),
    "months_bool": (lambda w, o: lambda: services.extension_request(
        actor=act(w, "unit"), assignment_id=o.lead.pk, months=True, reason="x"), "months", "months"),
    "months_none": (lambda w, o: lambda: services.extension_request(
        actor=act(w, "unit"), assignment_id=o.lead.pk, months=None, reason="x"), "months", "months"),
    "note_kind_list": (lambda w, o: lambda: services.note_add(
        actor=act(w, "staff"), suggestion_id=o.assigned.pk, kind=["remind"], text="x"), "kind", "invalid"),
    "key_date_str": (lambda w, o: lambda: services.key_mark(
        actor=act(w, "staff"), suggestion_id=o.accepted.pk, leader_id=o.b.leader.pk, meeting_date="2026-03-01"),
        "meeting_date", "date"),
    "key_leader_word": (lambda w, o: lambda: services.key_mark(
        actor=act(w, "staff"), suggestion_id=o.accepted.pk, leader_id="李秀英", meeting_date=dt.date(2026, 3, 1)),
        "leader", "leader"),
    "key_milestone_str_date": (lambda w, o: lambda: services.key_mark(
        actor=act(w, "staff"), suggestion_id=o.accepted.pk, leader_id=o.b.leader.pk,
        meeting_date=dt.date(2026, 3, 1), milestones=[("2026-06-30", "完成设计")]), "milestones", "date"),
    "publish_reply_list": (lambda w, o: lambda: services.suggestion_publish(
        actor=act(w, "staff"), suggestion_id=o.replied.pk, title="x", text="y", reply=["z"]), "reply", "invalid"),
    "period_year_str": (lambda w, o: lambda: services.period_create(
        actor=act(w, "staff"), congress=w.city, kind="recess", year="2026", name="闭会期间"), "year", "invalid"),
    "period_kind_list": (lambda w, o: lambda: services.period_create(
        actor=act(w, "staff"), congress=w.city, kind=["recess"], year=2026, name="闭会期间"), "kind", "invalid"),
}


@pytest.mark.parametrize("case", sorted(WRONG_TYPES))
def test_a_wrong_type_is_a_field_error(world, o, case):
    build, field, code = WRONG_TYPES[case]
    refused(build(world, o), field, code)


def test_ids_given_as_numeric_strings_are_taken(world, o):
    """What a form or a query string gives: "12" is the id 12."""
    s = services.suggestion_accept(actor=act(world, "staff"), suggestion_id=str(o.submitted.pk))
    assert s.status == "accepted"
    s = services.suggestion_assign(actor=act(world, "staff"), suggestion_id=str(o.accepted.pk), mode="lead",
                                   lead_unit_id=str(world.unit.pk), co_unit_ids=[str(world.other_unit.pk)])
    assert set(s.assignments.values_list("unit_id", "role")) == {(world.unit.pk, "lead"), (world.other_unit.pk, "co")}


# --- unknown ids ------------------------------------------------------------------------------------------------
UNKNOWN_FIELD = {
    "create_category": (lambda w, o: _create(w, o, category_id=999999), "category", "category"),
    "create_unit": (lambda w, o: _create(w, o, unit_ids=[999999]), "proposed_units", "unit_unknown"),
    "create_unit_of_another_congress": (lambda w, o: _create(w, o, unit_ids=[_town_unit(w).pk]), "proposed_units",
                                        "unit_unknown"),
    "invite_deputy": (lambda w, o: lambda: services.signer_invite(
        actor=act(w, "deputy"), suggestion_id=o.draft.pk, deputy_ids=[999999]), "deputies", "deputy_unknown"),
    "invite_terminated_deputy": (lambda w, o: lambda: services.signer_invite(
        actor=act(w, "deputy"), suggestion_id=o.draft.pk, deputy_ids=[w.terminated_deputy.pk]), "deputies",
        "deputy_unknown"),
    "uninvite_deputy": (lambda w, o: lambda: services.signer_uninvite(
        actor=act(w, "deputy"), suggestion_id=o.draft.pk, deputy_id=999999), "deputy", "deputy_unknown"),
    "submit_period": (lambda w, o: lambda: services.suggestion_submit(
        actor=act(w, "deputy"), suggestion_id=o.draft.pk, period_id=999999), "period", "period_closed"),
    "merge_into": (lambda w, o: lambda: services.suggestion_merge(
        actor=act(w, "staff"), suggestion_id=o.submitted.pk, into_id=999999, note="相近"), "into", "merge_target"),
    "assign_lead": (lambda w, o: lambda: services.suggestion_assign(
        actor=act(w, "staff"), suggestion_id=o.accepted.pk, mode="lead", lead_unit_id=999999),
        "lead_unit", "unit_unknown"),
    "assign_town_unit": (lambda w, o: lambda: services.suggestion_assign(
        actor=act(w, "staff"), suggestion_id=o.accepted.pk, mode="lead", lead_unit_id=_town_unit(w).pk),
        "lead_unit", "unit_unknown"),
    "assign_units": (lambda w, o: lambda: services.suggestion_assign(
        actor=act(w, "staff"), suggestion_id=o.accepted.pk, mode="separate", unit_ids=[w.unit.pk, 999999]),
        "units", "unit_unknown"),
    "reassign_unit": (lambda w, o: lambda: services.assignment_reassign(
        actor=act(w, "staff"), assignment_id=o.plead.pk, unit_id=999999, note="改交"), "unit", "unit_unknown"),
    "contact_deputy": (lambda w, o: lambda: services.contact_record(
        actor=act(w, "unit"), assignment_id=o.lead.pk, deputy_id=999999, contacted_on=timezone.localdate(),
        form="phone", content="x"), "deputy", "deputy_unknown"),
    "contact_deputy_not_a_signer": (lambda w, o: lambda: services.contact_record(
        actor=act(w, "unit"), assignment_id=o.lead.pk, deputy_id=w.deputy2.pk, contacted_on=timezone.localdate(),
        form="phone", content="x"), "deputy", "deputy_unknown"),
    "note_part": (lambda w, o: lambda: services.note_add(
        actor=act(w, "staff"), suggestion_id=o.assigned.pk, kind="remind", text="x", assignment_id=999999),
        "assignment", "unknown"),
    "key_leader": (lambda w, o: lambda: services.key_mark(
        actor=act(w, "staff"), suggestion_id=o.accepted.pk, leader_id=999999, meeting_date=dt.date(2026, 3, 1)),
        "leader", "leader"),
}


def _town_unit(w):
    from renda.org.models import Unit

    return Unit.objects.get_or_create(congress=w.town, name="沙溪镇建设管理办公室")[0]


@pytest.mark.parametrize("case", sorted(UNKNOWN_FIELD))
def test_an_unknown_id_in_a_field_is_a_field_error(world, o, case):
    build, field, code = UNKNOWN_FIELD[case]
    refused(build(world, o), field, code)


UNKNOWN_OBJECT = {
    "accept": lambda w: services.suggestion_accept(actor=act(w, "staff"), suggestion_id=999999),
    "withdraw": lambda w: services.suggestion_withdraw(actor=act(w, "deputy"), suggestion_id=999999),
    "assign": lambda w: services.suggestion_assign(actor=act(w, "staff"), suggestion_id=999999, mode="lead",
                                                   lead_unit_id=w.unit.pk),
    "sign": lambda w: services.assignment_sign(actor=act(w, "unit"), assignment_id=999999),
    "return": lambda w: services.assignment_return(actor=act(w, "unit"), assignment_id=999999, reason="x"),
    "reply": lambda w: services.reply_send(actor=act(w, "unit"), assignment_id=999999, outcome="A", text="x",
                                           pdf=pdf()),
    "rate": lambda w: services.rating_submit(actor=act(w, "deputy"), reply_id=999999, value="satisfied"),
    "extension_decide": lambda w: services.extension_decide(actor=act(w, "staff"), extension_id=999999,
                                                            approve=True),
    "milestone_done": lambda w: services.milestone_done(actor=act(w, "staff"), milestone_id=999999),
    "publish": lambda w: services.suggestion_publish(actor=act(w, "staff"), suggestion_id=999999, title="x",
                                                     text="y", reply="z"),
    "period_open": lambda w: services.period_open(actor=act(w, "staff"), period_id=999999),
}


@pytest.mark.parametrize("case", sorted(UNKNOWN_OBJECT))
def test_an_unknown_object_does_not_exist(world, o, case):
    before = counts()
    with pytest.raises(ObjectDoesNotExist):
        UNKNOWN_OBJECT[case](world)
    assert counts() == before


# --- dates outside the calendar -----------------------------------------------------------------------------
OUT_OF_CALENDAR = {
    "contact_1900": (lambda w, o: lambda: services.contact_record(
        actor=act(w, "unit"), assignment_id=o.lead.pk, deputy_id=w.deputy.pk, contacted_on=D1900, form="phone",
        content="x"), "contacted_on", "date"),
    "contact_2200": (lambda w, o: lambda: services.contact_record(
        actor=act(w, "unit"), assignment_id=o.lead.pk, deputy_id=w.deputy.pk, contacted_on=D2200, form="phone",
        content="x"), "contacted_on", "date"),
    "committed_1900": (lambda w, o: lambda: services.reply_send(
        actor=act(w, "unit"), assignment_id=o.lead.pk, outcome="B", text="x", pdf=pdf(), committed_date=D1900),
        "committed_date", "committed_date"),
    "period_1900": (lambda w, o: lambda: services.period_create(
        actor=act(w, "staff"), congress=w.city, kind="recess", year=1900, name="闭会期间"), "year", "invalid"),
    "period_2200": (lambda w, o: lambda: services.period_create(
        actor=act(w, "staff"), congress=w.city, kind="recess", year=2200, name="闭会期间"), "year", "invalid"),
}


@pytest.mark.parametrize("case", sorted(OUT_OF_CALENDAR))
def test_a_date_outside_the_calendar_is_a_field_error(world, o, case):
    build, field, code = OUT_OF_CALENDAR[case]
    refused(build(world, o), field, code)


OUT_OF_CALENDAR_ACCEPTED = {
    "committed_2200": (lambda w, o: lambda: services.reply_send(
        actor=act(w, "unit"), assignment_id=o.lead.pk, outcome="B", text="x", pdf=pdf(), committed_date=D2200),
        "committed_date"),
    "key_meeting_1900": (lambda w, o: lambda: services.key_mark(
        actor=act(w, "staff"), suggestion_id=o.accepted.pk, leader_id=o.b.leader.pk, meeting_date=D1900),
        "meeting_date"),
    "key_milestone_2200": (lambda w, o: lambda: services.key_mark(
        actor=act(w, "staff"), suggestion_id=o.accepted.pk, leader_id=o.b.leader.pk,
        meeting_date=dt.date(2026, 3, 1), milestones=[(D2200, "完成")]), "milestones"),
    "milestone_done_1900": (lambda w, o: lambda: services.milestone_done(
        actor=act(w, "staff"), milestone_id=o.milestone.pk, done_on=D1900), "done_on"),
}


@pytest.mark.parametrize("case", sorted(OUT_OF_CALENDAR_ACCEPTED))
def test_dates_outside_the_calendar_in_commitments_and_key_timelines_are_refused(world, o, case):
    build, field = OUT_OF_CALENDAR_ACCEPTED[case]
    refused(build(world, o), field, None)


def test_a_datetime_for_the_contact_date_is_a_field_error(world, o):
    refused(lambda: services.contact_record(
        actor=act(world, "unit"), assignment_id=o.lead.pk, deputy_id=world.deputy.pk,
        contacted_on=timezone.now().replace(tzinfo=None), form="phone", content="x"), "contacted_on", "date")


# --- ids that are not numbers, or too big for the database --------------------------------------------------------
NOT_AN_ID = {
    "merge_into_word": lambda w, o: lambda: services.suggestion_merge(
        actor=act(w, "staff"), suggestion_id=o.submitted.pk, into_id="第二件", note="相近"),
    "note_part_word": lambda w, o: lambda: services.note_add(
        actor=act(w, "staff"), suggestion_id=o.assigned.pk, kind="remind", text="x", assignment_id="住建局"),
    "uninvite_dict": lambda w, o: lambda: services.signer_uninvite(
        actor=act(w, "deputy"), suggestion_id=o.draft.pk, deputy_id={"id": 1}),
    "accept_word": lambda w, o: lambda: services.suggestion_accept(actor=act(w, "staff"), suggestion_id="abc"),
    "rate_word": lambda w, o: lambda: services.rating_submit(actor=act(w, "deputy"), reply_id="abc",
                                                              value="satisfied"),
    "decide_list": lambda w, o: lambda: services.extension_decide(actor=act(w, "staff"), extension_id=[o.ext.pk],
                                                                   approve=True),
}


@pytest.mark.parametrize("case", sorted(NOT_AN_ID))
def test_an_id_that_is_not_a_database_id_is_refused_cleanly(world, o, case):
    call = NOT_AN_ID[case](world, o)
    before = counts()
    with pytest.raises((ValidationError, ObjectDoesNotExist)):
        call()
    assert counts() == before


HUGE_ID = {
    "assign_lead": lambda w, o: lambda: services.suggestion_assign(
        actor=act(w, "staff"), suggestion_id=o.accepted.pk, mode="lead", lead_unit_id=HUGE),
    "create_unit": lambda w, o: _create(w, o, unit_ids=[HUGE]),
    "invite_deputy": lambda w, o: lambda: services.signer_invite(
        actor=act(w, "deputy"), suggestion_id=o.draft.pk, deputy_ids=[HUGE]),
}


@pytest.mark.parametrize("case", sorted(HUGE_ID))
def test_an_id_too_big_for_the_database_is_a_field_error(world, o, case):
    field = {"assign_lead": "lead_unit", "create_unit": "proposed_units", "invite_deputy": "deputies"}[case]
    refused(HUGE_ID[case](world, o), field, None)


@pytest.mark.parametrize("case", ["approve", "confirm"])
def test_a_yes_no_answer_must_be_a_bool(world, o, case):
    if case == "approve":
        refused(lambda: services.extension_decide(actor=act(world, "staff"), extension_id=o.ext.pk, approve="false",
                                                  note="不同意"), "approve", None)
    else:
        services.signer_invite(actor=act(world, "deputy"), suggestion_id=o.draft.pk, deputy_ids=[world.deputy2.pk])
        refused(lambda: services.signer_respond(actor=act(world, "deputy2"), suggestion_id=o.draft.pk,
                                                confirm="false"), "confirm", None)


# --- the reply letter -------------------------------------------------------------------------------------------
def test_a_disguised_pdf_is_refused_and_nothing_is_written(world, o):
    """PNG bytes named 答复函.pdf: refused by content. The refusal is the upload's own ValidationError
    (AttachmentRejected, code content_mismatch); the API and the form put it under the `pdf` field."""
    from renda.core.attachments import AttachmentRejected

    before, states = counts(), snapshot_states()
    fake = SimpleUploadedFile("答复函.pdf", PNG, content_type="application/pdf")
    with pytest.raises(AttachmentRejected) as e:
        services.reply_send(actor=act(world, "unit"), assignment_id=o.lead.pk, outcome="A", text="答复", pdf=fake)
    assert e.value.code == "content_mismatch" and "PNG" in e.value.messages[0]
    assert counts() == before and snapshot_states() == states
    assert Assignment.objects.get(pk=o.lead.pk).status == "signed"


@pytest.mark.parametrize(("name", "content", "code"), [("答复函.pdf", b"", "empty"), ("答复函.docx", PDF, None)])
def test_an_empty_or_misnamed_reply_letter_is_refused(world, o, name, content, code):
    from renda.core.attachments import AttachmentRejected

    before = counts()
    with pytest.raises(AttachmentRejected) as e:
        services.reply_send(actor=act(world, "unit"), assignment_id=o.lead.pk, outcome="A", text="答复",
                            pdf=SimpleUploadedFile(name, content))
    assert code is None or e.value.code == code
    assert counts() == before


def test_the_solved_reply_needs_its_letter_too(world, o):
    refused(lambda: services.followup_solve(actor=act(world, "unit"), assignment_id=o.lead.pk, text="已解决"),
            "pdf", "pdf_required")


@pytest.mark.parametrize("case", ["pdf_str", "pdf_bytes", "attachments_str"])
def test_a_letter_that_is_not_a_file_is_a_field_error(world, o, case):
    kw = {"pdf_str": {"pdf": "答复函.pdf"}, "pdf_bytes": {"pdf": PDF},
          "attachments_str": {"pdf": pdf(), "attachments": "答复函.pdf"}}[case]
    refused(lambda: services.reply_send(actor=act(world, "unit"), assignment_id=o.lead.pk, outcome="A", text="x",
                                        **kw), "attachments" if case == "attachments_str" else "pdf", None)


# --- HTML and script: kept verbatim, shown escaped --------------------------------------------------------------
SCRIPT = '<script>alert("建议")</script>'
IMG = '<img src=x onerror="alert(1)"> & 加装电梯'


def test_html_is_stored_verbatim_and_rendered_escaped(world, o, client_for):
    s = services.suggestion_create(actor=act(world, "deputy"), category_id=o.b.category.pk, title=SCRIPT,
                                   proposal=IMG, situation="a\x00b")
    s = Suggestion.objects.get(pk=s.pk)
    assert (s.title, s.proposal) == (SCRIPT, IMG)
    assert s.situation == "ab"  # NUL bytes are the only thing taken out
    html = client_for("deputy").get(f"/suggestions/{s.pk}/").content.decode()
    assert SCRIPT not in html and IMG not in html
    assert "&lt;script&gt;alert(&quot;建议&quot;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; 加装电梯" in html


def test_html_in_a_reply_and_a_published_copy_is_shown_escaped(world, o, client_for):
    reply = services.reply_send(actor=act(world, "unit"), assignment_id=o.lead.pk, outcome="A", text=SCRIPT,
                                pdf=pdf())
    assert Reply.objects.get(pk=reply.pk).text == SCRIPT
    html = client_for("unit").get(f"/suggestions/{o.assigned.pk}/").content.decode()
    assert SCRIPT not in html and "&lt;script&gt;alert(&quot;建议&quot;)&lt;/script&gt;" in html
    services.suggestion_publish(actor=act(world, "staff"), suggestion_id=o.assigned.pk, title=SCRIPT, text=IMG,
                                reply=SCRIPT)
    public = client_for("anonymous").get(f"/suggestions/public/{o.assigned.pk}/")
    assert public.status_code == 200
    page = public.content.decode()
    assert SCRIPT not in page and IMG not in page and "&lt;script&gt;" in page
