"""The legal clocks of a suggestion's parts, through the services and the real (seeded) calendar.

The services start every clock on the day they run (`suggestion_assign`, `rating_submit` take no
date), so a test that needs another assignment day restarts the part's open clocks on that day
through the workdays services (`restart`): exactly what `_create_part` and `_reopen` do, with a
chosen start. `assignment_return` takes `today=`.
"""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from renda.core.models import Event
from renda.core.notify.models import Message
from renda.core.workdays.calendar import compute_due
from renda.core.workdays.models import Deadline, DeadlinePolicy, Holiday
from renda.core.workdays.selectors import calendar_load
from renda.core.workdays.services import deadline_cancel, deadline_create, holiday_delete, holiday_set
from renda.core.workflow import ConflictError
from renda.suggestions import services
from renda.suggestions.models import Assignment, Extension, Suggestion
from renda.suggestions.world import act, parts, to_assigned, to_replied

pytestmark = pytest.mark.django_db
D = dt.date


# --- helpers ----------------------------------------------------------------------------------------------
def clocks(part, *codes, state="open"):
    qs = Deadline.objects.filter(content_type=ContentType.objects.get_for_model(Assignment), object_id=part.pk,
                                 state=state)
    return qs.filter(policy__code__in=codes) if codes else qs


def clock(part, code, state="open") -> Deadline:
    return clocks(part, code, state=state).get()


def restart(part, start: dt.date, *codes: str) -> None:
    """Cancel the part's open clocks (those of `codes`, or all) and start them again on `start`."""
    for d in list(clocks(part, *codes).select_related("policy")):
        deadline_cancel(deadline=d, note="测试：改为指定交办日")
        deadline_create(obj=part, policy_code=d.policy.code, start=start, owner_unit=part.unit,
                        congress=part.congress_id)
    services.sync_due(part.suggestion_id)


def expected(start: dt.date, code: str, extra: int = 0) -> dt.date:
    p = DeadlinePolicy.objects.get(code=code)
    due, _ = compute_due(start=start, unit=p.unit, amount=p.amount + extra, roll_to_workday=p.roll_to_workday,
                         calendar=calendar_load())
    return due


def fresh(*objs):
    return [type(o).objects.get(pk=o.pk) for o in objs]


def events(obj, action):
    return Event.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk,
                                action=action)


# --- the clocks started by assignment --------------------------------------------------------------------
def test_assignment_starts_every_clock_today_and_copies_the_answer_due_dates(world):
    s = to_assigned(world)
    lead, co = parts(s)
    today = timezone.localdate()
    assert {d.policy.code for d in clocks(lead)} == {"suggestion_sign", "suggestion_reply"}
    assert {d.policy.code for d in clocks(co)} == {"suggestion_sign", "coop_views"}
    assert all(d.start == today for d in clocks(lead) | clocks(co))
    assert clock(lead, "suggestion_sign").due == expected(today, "suggestion_sign")
    assert lead.due == clock(lead, "suggestion_reply").due == expected(today, "suggestion_reply")
    assert co.due == clock(co, "coop_views").due == expected(today, "coop_views")
    # The suggestion shows the answering units' deadline, not the co-unit's earlier one.
    assert s.due == lead.due and co.due < s.due


# The 3-month reply deadline: month ends, leap years, weekends and festivals.
REPLY_CASES = [
    # start, due, explanation contains
    (D(2025, 11, 30), D(2026, 2, 28), "取该月最后一日 2026-02-28，截止 2026-02-28"),  # Saturday, 调休 working day
    (D(2023, 11, 30), D(2024, 2, 29), "取该月最后一日 2024-02-29"),  # leap year
    (D(2024, 11, 30), D(2025, 2, 28), "取该月最后一日 2025-02-28"),
    (D(2025, 8, 31), D(2025, 12, 1), "2025-11-30 为休息日"),  # 11-31 → 11-30, a Sunday
    (D(2026, 8, 31), D(2026, 11, 30), "取该月最后一日 2026-11-30，截止 2026-11-30"),  # a Monday
    (D(2025, 11, 16), D(2026, 2, 24), "顺延至 2026-02-24"),  # 02-16 in the Spring Festival
    (D(2026, 7, 1), D(2026, 10, 8), "顺延至 2026-10-08"),  # 10-01 National Day
    (D(2026, 7, 3), D(2026, 10, 8), "顺延至 2026-10-08"),  # 10-03 inside the National Day holiday
    (D(2027, 11, 30), D(2028, 2, 29), "暂按双休日计算"),  # leap year, 2028 not entered: provisional
]


@pytest.mark.parametrize(("start", "due", "why"), REPLY_CASES, ids=[c[0].isoformat() for c in REPLY_CASES])
def test_the_reply_deadline_is_three_calendar_months_rolled_to_a_working_day(world, start, due, why):
    s = to_assigned(world, co=False)
    lead, _ = parts(s)
    restart(lead, start, "suggestion_reply")
    d = clock(lead, "suggestion_reply")
    s, lead = fresh(s, lead)
    assert (d.start, d.due) == (start, due)
    assert lead.due == s.due == due
    assert why in d.explanation
    assert d.provisional == (due.year == 2028)


def test_the_festival_name_explains_a_rolled_due_date(world):
    s = to_assigned(world, co=False)
    lead, _ = parts(s)
    restart(lead, D(2025, 11, 16), "suggestion_reply")
    assert Holiday.objects.get(date=D(2026, 2, 16)).kind == "holiday"
    assert "2026-02-16 为休息日（春节）" in clock(lead, "suggestion_reply").explanation


def test_the_co_units_month_ends_on_the_last_day_of_a_short_month(world):
    s = to_assigned(world)
    lead, co = parts(s)
    restart(co, D(2026, 1, 31), "coop_views")
    restart(lead, D(2026, 1, 31), "suggestion_reply")
    s, lead, co = fresh(s, lead, co)
    assert co.due == D(2026, 2, 28)  # a Saturday that is a 调休 working day: not moved
    assert lead.due == s.due == D(2026, 4, 30)


# --- the 7-working-day window to return a part ------------------------------------------------------------
RETURN_CASES = [
    # assigned on, asked to return on, accepted?
    (D(2026, 9, 28), D(2026, 10, 9), True),  # 10 calendar days later, the 4th working day
    (D(2026, 9, 28), D(2026, 10, 10), True),  # a Saturday worked (调休)
    (D(2026, 9, 28), D(2026, 10, 13), True),  # the 7th working day
    (D(2026, 9, 28), D(2026, 10, 14), False),
    (D(2025, 9, 26), D(2025, 10, 13), True),  # 09-28 and 10-11 are 调休 working days, 10-01..10-08 off
    (D(2025, 9, 26), D(2025, 10, 14), False),
    (D(2026, 2, 13), D(2026, 3, 2), True),  # across the Spring Festival
    (D(2026, 2, 13), D(2026, 3, 3), False),
]


@pytest.mark.parametrize(("assigned", "day", "ok"), RETURN_CASES,
                         ids=[f"{a:%Y-%m-%d}->{d:%m-%d}" for a, d, _ in RETURN_CASES])
def test_a_return_is_possible_until_the_seventh_working_day(world, assigned, day, ok):
    s = to_assigned(world, co=False)
    lead, _ = parts(s)
    restart(lead, assigned, "suggestion_sign")
    window = clock(lead, "suggestion_sign")
    assert window.due == expected(assigned, "suggestion_sign")
    if ok:
        part = services.assignment_return(actor=act(world, "unit"), assignment_id=lead.pk, reason="非本单位职责",
                                          today=day)
        assert part.status == "returned" and part.return_reason == "非本单位职责"
        assert clock(lead, "suggestion_sign", state="met").pk == window.pk
    else:
        with pytest.raises(ValidationError) as e:
            services.assignment_return(actor=act(world, "unit"), assignment_id=lead.pk, reason="非本单位职责",
                                       today=day)
        err = e.value.error_dict["reason"][0]
        assert err.code == "return_late" and window.due.isoformat() in err.message
        assert Assignment.objects.get(pk=lead.pk).status == "assigned"
        assert not events(lead, "return").exists()
        assert clock(lead, "suggestion_sign").pk == window.pk  # still open


def test_the_national_day_window_is_explained(world):
    s = to_assigned(world, co=False)
    lead, _ = parts(s)
    restart(lead, D(2026, 9, 28), "suggestion_sign")
    d = clock(lead, "suggestion_sign")
    assert d.due == D(2026, 10, 13)
    assert "跳过 10-01..10-07（国庆节）" in d.explanation and "含调休上班日 10-10" in d.explanation


# --- extensions ---------------------------------------------------------------------------------------------
def _extend(w, part, months, *, approve=True, note=""):
    ext = services.extension_request(actor=act(w, "unit"), assignment_id=part.pk, months=months,
                                     reason=f"需协调市财政安排资金，申请延期{months}个月")
    return services.extension_decide(actor=act(w, "staff"), extension_id=ext.pk, approve=approve, note=note)


def test_extensions_up_to_six_months_in_all_and_not_a_day_more(world):
    s = to_assigned(world, co=False)
    lead, _ = parts(s)
    restart(lead, D(2025, 11, 30), "suggestion_reply")
    assert fresh(lead)[0].due == D(2026, 2, 28)
    _extend(world, lead, 1)
    s, lead = fresh(s, lead)
    # Recomputed from the day of assignment: 11-30 + 4 months = 03-30, not 02-28 + 1 month.
    assert lead.due == s.due == D(2026, 3, 30) and lead.extended_months == 1
    _extend(world, lead, 2)
    s, lead = fresh(s, lead)
    # 11-30 + 6 months = 05-30, a Saturday → Monday 06-01.
    assert lead.due == s.due == D(2026, 6, 1) == expected(D(2025, 11, 30), "suggestion_reply", extra=3)
    assert lead.extended_months == 3 and clock(lead, "suggestion_reply").amount == 6
    n = Extension.objects.count()
    with pytest.raises(ValidationError) as e:  # a 7th month
        services.extension_request(actor=act(world, "unit"), assignment_id=lead.pk, months=1, reason="再延一个月")
    err = e.value.error_dict["months"][0]
    assert err.code == "months" and "已延期 3 个月" in err.message
    assert Extension.objects.count() == n and fresh(lead)[0].due == D(2026, 6, 1)


def test_more_than_three_extra_months_at_once_is_refused(world):
    s = to_assigned(world, co=False)
    lead, _ = parts(s)
    with pytest.raises(ValidationError) as e:
        services.extension_request(actor=act(world, "unit"), assignment_id=lead.pk, months=4, reason="工程量大")
    assert e.value.error_dict["months"][0].code == "months"
    assert not Extension.objects.filter(assignment=lead).exists()


def test_an_approval_rechecks_the_limit(world):
    """Two requests decided one after the other cannot pass 6 months: the second approval is refused."""
    s = to_assigned(world, co=False)
    lead, _ = parts(s)
    first = services.extension_request(actor=act(world, "unit"), assignment_id=lead.pk, months=2, reason="资金")
    services.extension_decide(actor=act(world, "staff"), extension_id=first.pk, approve=True)
    second = services.extension_request(actor=act(world, "unit"), assignment_id=lead.pk, months=1, reason="资金")
    Assignment.objects.filter(pk=lead.pk).update(extended_months=3)  # as if another approval came in between
    with pytest.raises(ValidationError):
        services.extension_decide(actor=act(world, "staff"), extension_id=second.pk, approve=True)
    assert Extension.objects.get(pk=second.pk).status == "requested"
    assert clock(lead, "suggestion_reply").amount == 5


def test_an_approved_extension_tells_the_deputies_why(world, django_capture_on_commit_callbacks):
    s = to_assigned(world, co=False, cosigner=True)
    lead, _ = parts(s)
    restart(lead, D(2026, 3, 10), "suggestion_reply")
    with django_capture_on_commit_callbacks(execute=True):
        _extend(world, lead, 2)
    s, lead = fresh(s, lead)
    assert lead.due == s.due == D(2026, 8, 10)
    ev = events(s, "extend").get()
    assert "需协调市财政安排资金" in ev.note and "2 个月" in ev.note
    for role in ("deputy", "deputy2"):
        msg = Message.objects.get(recipient=world.users[role], subject__contains="延期")
        assert "需协调市财政安排资金" in msg.body
    d = clock(lead, "suggestion_reply")
    assert Event.objects.filter(content_type=ContentType.objects.get_for_model(Deadline), object_id=d.pk,
                                action="deadline_extended", note__contains="需协调市财政安排资金").exists()


def test_a_rejected_extension_leaves_the_due_date(world, django_capture_on_commit_callbacks):
    s = to_assigned(world, co=False)
    lead, _ = parts(s)
    restart(lead, D(2026, 3, 10), "suggestion_reply")
    with django_capture_on_commit_callbacks(execute=True):
        ext = _extend(world, lead, 2, approve=False, note="理由不充分，请按期答复")
    s, lead = fresh(s, lead)
    assert ext.status == "rejected" and ext.decision_note == "理由不充分，请按期答复"
    assert lead.due == s.due == D(2026, 6, 10) and lead.extended_months == 0
    assert clock(lead, "suggestion_reply").amount == 3
    assert not events(s, "extend").exists()
    assert events(lead, "extension_reject").get().note == "理由不充分，请按期答复"
    assert Message.objects.filter(recipient=world.users["unit"], subject__contains="未同意",
                                  body="理由不充分，请按期答复").exists()
    # The unit may ask again.
    services.extension_request(actor=act(world, "unit"), assignment_id=lead.pk, months=1, reason="补充理由")


def test_a_rejection_needs_a_note(world):
    s = to_assigned(world, co=False)
    lead, _ = parts(s)
    ext = services.extension_request(actor=act(world, "unit"), assignment_id=lead.pk, months=1, reason="资金")
    with pytest.raises(ValidationError) as e:
        services.extension_decide(actor=act(world, "staff"), extension_id=ext.pk, approve=False, note="")
    assert "note" in e.value.error_dict
    assert Extension.objects.get(pk=ext.pk).status == "requested"


def test_no_extension_once_replied(world):
    s = to_replied(world, co=False)
    lead, _ = parts(s)
    with pytest.raises(ConflictError):
        services.extension_request(actor=act(world, "unit"), assignment_id=lead.pk, months=1, reason="资金")


# --- re-handling ------------------------------------------------------------------------------------------------
def test_rehandling_has_one_month_from_the_unsatisfied_rating(world, django_capture_on_commit_callbacks):
    s = to_replied(world, co=False)
    lead, _ = parts(s)
    assert fresh(s)[0].due is None  # nothing open while the deputies rate
    reply = s.replies.get(kind="reply")
    with django_capture_on_commit_callbacks(execute=True):
        services.rating_submit(actor=act(world, "deputy"), reply_id=reply.pk, value="unsatisfied", comment="未解决")
    today = timezone.localdate()
    d = clock(lead, "suggestion_rehandle")
    s, lead = fresh(s, lead)
    assert d.start == today and d.due == expected(today, "suggestion_rehandle")
    assert lead.due == s.due == d.due
    assert clocks(lead, "suggestion_reply", state="met").count() == 1
    msg = Message.objects.get(recipient=world.users["unit"], subject__contains="重新办理")
    assert d.due.isoformat() in msg.body and "未解决" in msg.body


@pytest.mark.parametrize(("rated_on", "due"), [
    (D(2025, 12, 31), D(2026, 2, 2)),  # 01-31 is a Saturday
    (D(2026, 1, 16), D(2026, 2, 24)),  # 02-16 in the Spring Festival
    (D(2026, 1, 31), D(2026, 2, 28)),  # month end, a 调休 working Saturday
    (D(2026, 9, 1), D(2026, 10, 8)),  # 10-01 National Day
])
def test_the_rehandling_month_across_month_ends_and_festivals(world, rated_on, due):
    s = to_replied(world, co=False)
    lead, _ = parts(s)
    services.rating_submit(actor=act(world, "deputy"), reply_id=s.replies.get(kind="reply").pk, value="unsatisfied")
    restart(lead, rated_on, "suggestion_rehandle")
    s, lead = fresh(s, lead)
    assert lead.due == s.due == due


def test_the_rehandled_reply_is_late_after_the_month(world):
    s = to_replied(world, co=False)
    lead, _ = parts(s)
    services.rating_submit(actor=act(world, "deputy"), reply_id=s.replies.get(kind="reply").pk, value="unsatisfied")
    restart(lead, D(2025, 12, 31), "suggestion_rehandle")  # due 2026-02-02, long past
    services.contact_record(actor=act(world, "unit"), assignment_id=lead.pk, deputy_id=world.deputy.pk,
                            contacted_on=timezone.localdate(), form="phone", content="再次沟通。")
    from renda.suggestions.world import pdf

    services.reply_send(actor=act(world, "unit"), assignment_id=lead.pk, outcome="C", text="受条件限制。", pdf=pdf())
    s, lead = fresh(s, lead)
    assert lead.on_time is False and s.on_time is False and s.due is None
    assert clock(lead, "suggestion_rehandle", state="met").due == D(2026, 2, 2)


# --- calendar edits -----------------------------------------------------------------------------------------------
def test_a_holiday_added_moves_open_deadlines_and_their_copies(world):
    s = to_assigned(world)
    lead, co = parts(s)
    restart(lead, D(2026, 3, 10))
    restart(co, D(2026, 3, 10))
    services.assignment_sign(actor=act(world, "unit2"), assignment_id=co.pk)  # the co-unit's window is met
    s, lead, co = fresh(s, lead, co)
    assert (lead.due, co.due, s.due) == (D(2026, 6, 10), D(2026, 4, 10), D(2026, 6, 10))
    assert clock(lead, "suggestion_sign").due == clock(co, "suggestion_sign", state="met").due == D(2026, 3, 19)
    staff = act(world, "staff")
    holiday_set(actor=staff, date=D(2026, 6, 10), kind="holiday", name="临时休假")
    s, lead, co = fresh(s, lead, co)
    assert lead.due == s.due == D(2026, 6, 11) and co.due == D(2026, 4, 10)
    holiday_set(actor=staff, date=D(2026, 4, 10), kind="holiday", name="临时休假")
    s, lead, co = fresh(s, lead, co)
    assert co.due == D(2026, 4, 13) and s.due == D(2026, 6, 11)
    # A holiday inside the 7 working days moves the open window and leaves the met one alone.
    holiday_set(actor=staff, date=D(2026, 3, 16), kind="holiday", name="临时休假")
    assert clock(lead, "suggestion_sign").due == D(2026, 3, 20)
    assert clock(co, "suggestion_sign", state="met").due == D(2026, 3, 19)
    d = clock(lead, "suggestion_reply")
    assert Event.objects.filter(content_type=ContentType.objects.get_for_model(Deadline), object_id=d.pk,
                                action="deadline_recomputed", note__contains="2026-06-10 → 2026-06-11").exists()


def test_a_weekend_made_a_working_day_brings_the_due_date_back(world):
    s = to_assigned(world, co=False)
    lead, _ = parts(s)
    restart(lead, D(2026, 3, 7))  # + 3 months = Sunday 06-07 → Monday 06-08
    s, lead = fresh(s, lead)
    assert lead.due == s.due == D(2026, 6, 8)
    h = holiday_set(actor=act(world, "staff"), date=D(2026, 6, 7), kind="workday", name="调休上班")
    s, lead = fresh(s, lead)
    assert lead.due == s.due == D(2026, 6, 7)
    holiday_delete(actor=act(world, "staff"), holiday_id=h.pk)
    s, lead = fresh(s, lead)
    assert lead.due == s.due == D(2026, 6, 8)


def test_entering_a_year_turns_provisional_due_dates_into_exact_ones(world):
    from renda.core.workdays.services import calendar_year_mark_entered

    s = to_assigned(world, co=False)
    lead, _ = parts(s)
    restart(lead, D(2027, 7, 1), "suggestion_reply")  # 10-01-2027 is a Friday: not rolled while 2027 is unknown
    assert clock(lead, "suggestion_reply").due == D(2027, 10, 1)
    staff = act(world, "staff")
    for day in range(1, 8):
        holiday_set(actor=staff, date=D(2027, 10, day), kind="holiday", name="国庆节")
    calendar_year_mark_entered(actor=staff, year=2027)
    d = clock(lead, "suggestion_reply")
    s, lead = fresh(s, lead)
    assert d.due == lead.due == s.due == D(2027, 10, 8) and not d.provisional


def test_a_closed_suggestion_keeps_its_dates_when_the_calendar_changes(world):
    s = to_replied(world, co=False)
    lead, _ = parts(s)
    met = clock(lead, "suggestion_reply", state="met")
    holiday_set(actor=act(world, "staff"), date=met.due, kind="holiday", name="临时休假")
    assert Deadline.objects.get(pk=met.pk).due == met.due
    assert Suggestion.objects.get(pk=s.pk).due is None
