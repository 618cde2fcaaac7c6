"""Writes: deadlines, calendar edits (which recompute open deadlines) and the scheduled checks.

Every calendar edit runs in one transaction that changes the table, changes the calendar's
revision token, writes an event and recomputes every open deadline whose window touches the
changed year, so no reader ever sees the new calendar with old due dates.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core.models import Event
from renda.core.notify.services import notify_users
from renda.core.workflow import record_event

from .calendar import CALENDAR_MAX_YEAR, CALENDAR_MIN_YEAR, WorkCalendar, compute_due
from .models import CalendarRevision, CalendarYear, Deadline, DeadlinePolicy, Holiday
from .selectors import calendar_load
from .signals import deadlines_changed

PERM_MANAGE = "workdays.manage_calendar"

# Keep in step with CALENDAR_MIN_YEAR / CALENDAR_MAX_YEAR (a test checks it).
ERR_DATE_RANGE = gettext_lazy("日期须在 2000 年至 2100 年之间。")
ERR_KIND = gettext_lazy("请选择“休”或“调休上班”。")
ERR_NOT_OPEN = gettext_lazy("该期限已完成或已取消。")
ERR_AMOUNT = gettext_lazy("期限须为 0 至 999 之间的整数。")
ERR_UNIT = gettext_lazy("请选择计算单位。")

DEFAULT_WARN_DAYS = 2
DEFAULT_ESCALATION = {"office_after_days": 3, "director_after_days": 5}
DEFAULT_CHANNELS = ("inbox", "sms")
LEVEL_OFFICE = 1
LEVEL_DIRECTOR = 2


def _check_manage(actor) -> None:
    # actor=None is the system itself (migrations, management commands); people must hold the perm.
    if actor is not None and not actor.has_perm(PERM_MANAGE):
        raise PermissionDenied


def _check_date(day: datetime.date) -> None:
    if not isinstance(day, datetime.date) or not (CALENDAR_MIN_YEAR <= day.year <= CALENDAR_MAX_YEAR):
        raise ValidationError(ERR_DATE_RANGE, code="date_range")


def _bump_revision() -> None:
    token = CalendarRevision.new_token()
    if not CalendarRevision.objects.update(token=token):
        CalendarRevision.objects.create(token=token)


def _year_row(year: int) -> CalendarYear:
    row, _created = CalendarYear.objects.get_or_create(year=year)
    return row


# --- deadlines ---------------------------------------------------------------------------------------
def deadline_create(
    *,
    obj,
    policy_code: str,
    start: datetime.date,
    owner_user=None,
    owner_unit=None,
    supervising_office=None,
    congress=None,
    calendar: WorkCalendar | None = None,
) -> Deadline:
    """Start the clock of one step of ``obj`` under a policy; the due date explains itself.

    Raises DeadlinePolicy.DoesNotExist for an unknown code and ValidationError for a start date
    outside the calendar's years.
    """
    _check_date(start)
    policy = DeadlinePolicy.objects.get(code=policy_code)
    due, explanation = compute_due(start=start, unit=policy.unit, amount=policy.amount,
                                   roll_to_workday=policy.roll_to_workday, calendar=calendar or calendar_load())
    congress_id = getattr(congress, "pk", congress) or getattr(obj, "congress_id", None)
    return Deadline.objects.create(
        congress_id=congress_id,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        policy=policy,
        unit=policy.unit,
        amount=policy.amount,
        roll_to_workday=policy.roll_to_workday,
        start=start,
        due=due,
        explanation=str(explanation),
        provisional=explanation.provisional,
        owner_user=owner_user,
        owner_unit=owner_unit,
        supervising_office=supervising_office,
    )


def _close(*, deadline: Deadline, state: str, actor, on: datetime.date | None, note: str, action: str) -> Deadline:
    with transaction.atomic():
        locked = Deadline.objects.select_for_update().get(pk=deadline.pk)
        if locked.state != Deadline.State.OPEN:
            raise ValidationError(ERR_NOT_OPEN, code="not_open")
        locked.state = state
        locked.met_on = on if state == Deadline.State.MET else None
        locked.save(update_fields=["state", "met_on", "updated_at"])
        record_event(obj=locked, action=action, actor=actor, from_state=Deadline.State.OPEN, to_state=state,
                     note=note)
    return locked


def deadline_met(*, deadline: Deadline, actor=None, on: datetime.date | None = None, note: str = "") -> Deadline:
    """The step was done (on ``on``, default today); the clock stops and no reminder follows."""
    return _close(deadline=deadline, state=Deadline.State.MET, actor=actor, on=on or timezone.localdate(),
                  note=note, action="deadline_met")


def deadline_cancel(*, deadline: Deadline, actor=None, note: str = "") -> Deadline:
    return _close(deadline=deadline, state=Deadline.State.CANCELLED, actor=actor, on=None, note=note,
                  action="deadline_cancelled")


def deadlines_open(obj, *codes: str):
    """The open deadlines of one item (of these policies; all when none is named)."""
    qs = Deadline.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk,
                                 state=Deadline.State.OPEN)
    return qs.filter(policy__code__in=codes) if codes else qs


def deadlines_meet(obj, *codes: str, actor=None, note: str = "") -> None:
    """The item's step is done: its open deadlines (of these policies) stop."""
    for d in deadlines_open(obj, *codes):
        deadline_met(deadline=d, actor=actor, note=note)


def deadlines_cancel(obj, *codes: str, actor=None, note: str = "") -> None:
    """The item's step will not be done by its owner (withdrawn, merged): its open deadlines stop."""
    for d in deadlines_open(obj, *codes):
        deadline_cancel(deadline=d, actor=actor, note=note)


def deadlines_on_time(obj, *codes: str, today: datetime.date) -> bool:
    """Done on time: none of the item's open deadlines (of these policies) is past due today."""
    return not deadlines_open(obj, *codes).filter(due__lt=today).exists()


ERR_EXTEND_AMOUNT = gettext_lazy("延期须为 1 至 999 之间的整数。")
ERR_EXTEND_REASON = gettext_lazy("请填写延期理由。")


def deadline_extend(*, deadline: Deadline, extra: int, reason: str, actor=None) -> Deadline:
    """Lengthen one open deadline by ``extra`` units of its own rule (working days or months).

    The start stays; the amount grows, so the explanation still tells the whole computation, and
    the reason is kept as an event on the deadline. Reminders follow the new due date.
    """
    if not isinstance(extra, int) or not 1 <= extra <= 999:
        raise ValidationError(ERR_EXTEND_AMOUNT, code="extend_amount")
    if not (reason or "").strip():
        raise ValidationError(ERR_EXTEND_REASON, code="reason_required")
    with transaction.atomic():
        d = Deadline.objects.select_for_update().get(pk=deadline.pk)
        if d.state != Deadline.State.OPEN:
            raise ValidationError(ERR_NOT_OPEN, code="not_open")
        if d.amount + extra > 999:
            raise ValidationError(ERR_EXTEND_AMOUNT, code="extend_amount")
        old_due = d.due
        d.amount += extra
        due, explanation = compute_due(start=d.start, unit=d.unit, amount=d.amount,
                                       roll_to_workday=d.roll_to_workday, calendar=calendar_load())
        d.due, d.explanation, d.provisional = due, str(explanation), explanation.provisional
        d.warned_at = None
        if due >= timezone.localdate():
            d.overdue_at, d.escalation_level, d.escalated_at = None, 0, None
        d.save()
        record_event(obj=d, action="deadline_extended", actor=actor,
                     note=_("%(reason)s：截止日 %(old)s → %(new)s。%(text)s") % {
                         "reason": reason.strip(), "old": old_due.isoformat(), "new": due.isoformat(),
                         "text": d.explanation})
        deadlines_changed.send(sender=Deadline, deadlines=[d])
    return d


def _recompute(deadlines: Iterable[Deadline], *, calendar: WorkCalendar, actor, reason: str,
               today: datetime.date) -> int:
    """Recompute due dates; returns how many changed. Reminders follow the new due date."""
    changed: list[Deadline] = []
    events: list[Event] = []
    ct = ContentType.objects.get_for_model(Deadline)
    for d in deadlines:
        due, explanation = compute_due(start=d.start, unit=d.unit, amount=d.amount,
                                       roll_to_workday=d.roll_to_workday, calendar=calendar)
        text = str(explanation)
        if (due, text, explanation.provisional) == (d.due, d.explanation, d.provisional):
            continue
        old_due = d.due
        d.due, d.explanation, d.provisional = due, text, explanation.provisional
        if due != old_due:
            # A new due date gets its own reminder; a deadline pushed back into the future is
            # no longer overdue and starts escalating afresh if it lapses again.
            d.warned_at = None
            if due >= today:
                d.overdue_at, d.escalation_level, d.escalated_at = None, 0, None
        changed.append(d)
        events.append(Event(
            congress_id=d.congress_id, content_type=ct, object_id=d.pk, action="deadline_recomputed",
            actor=actor if getattr(actor, "pk", None) else None,
            actor_role=getattr(actor, "active_role", "") or "",
            note=_("%(reason)s：截止日 %(old)s → %(new)s。%(text)s") % {
                "reason": reason, "old": old_due.isoformat(), "new": due.isoformat(), "text": text},
        ))
    now = timezone.now()
    for d in changed:
        d.updated_at = now
    Deadline.objects.bulk_update(
        changed, ["due", "explanation", "provisional", "warned_at", "overdue_at", "escalation_level",
                  "escalated_at", "updated_at"], batch_size=500)
    Event.objects.bulk_create(events, batch_size=500)
    if changed:
        deadlines_changed.send(sender=Deadline, deadlines=changed)
    return len(changed)


def deadlines_recompute_for_years(*, years: Iterable[int], actor=None, reason: str = "",
                                  today: datetime.date | None = None) -> int:
    """Recompute every open deadline whose window [start, due] touches one of ``years``."""
    touch = Q()
    for year in set(years):
        touch |= Q(start__lte=datetime.date(year, 12, 31), due__gte=datetime.date(year, 1, 1))
    qs = Deadline.objects.filter(touch, state=Deadline.State.OPEN).order_by("id")
    return _recompute(qs.iterator(chunk_size=1000), calendar=calendar_load(), actor=actor,
                      reason=reason or _("节假日安排调整"), today=today or timezone.localdate())


# --- calendar edits -----------------------------------------------------------------------------------------
@transaction.atomic
def holiday_set(*, actor, date: datetime.date, kind: str, name: str = "") -> Holiday:
    """Create or change the entry for one date, then recompute open deadlines of that year."""
    _check_manage(actor)
    _check_date(date)
    if kind not in Holiday.Kind.values:
        raise ValidationError(ERR_KIND, code="kind")
    holiday, created = Holiday.objects.update_or_create(
        date=date, defaults={"kind": kind, "name": (name or "").strip()[:60], "source": Holiday.Source.MANUAL})
    _bump_revision()
    record_event(obj=_year_row(date.year), action="holiday_added" if created else "holiday_changed", actor=actor,
                 note=str(holiday))
    deadlines_recompute_for_years(years=[date.year], actor=actor, reason=_("节假日安排调整（%(day)s）") % {
        "day": date.isoformat()})
    return holiday


@transaction.atomic
def holiday_delete(*, actor, holiday_id: int) -> None:
    _check_manage(actor)
    holiday = Holiday.objects.select_for_update().get(pk=holiday_id)
    year, text = holiday.date.year, str(holiday)
    holiday.delete()
    _bump_revision()
    record_event(obj=_year_row(year), action="holiday_deleted", actor=actor, note=text)
    deadlines_recompute_for_years(years=[year], actor=actor, reason=_("节假日安排调整（删除 %(day)s）") % {
        "day": text.split(" ")[0]})


@transaction.atomic
def calendar_year_mark_entered(*, actor, year: int, entered: bool = True) -> CalendarYear:
    """Declare a year's State Council schedule complete (or not); provisional deadlines follow."""
    _check_manage(actor)
    if not isinstance(year, int) or not CALENDAR_MIN_YEAR <= year <= CALENDAR_MAX_YEAR:
        raise ValidationError(ERR_DATE_RANGE, code="date_range")
    row = _year_row(year)
    if row.entered != entered:
        row.entered = entered
        row.save(update_fields=["entered", "updated_at"])
        _bump_revision()
        record_event(obj=row, action="year_entered" if entered else "year_unentered", actor=actor,
                     from_state=str(not entered).lower(), to_state=str(entered).lower())
        deadlines_recompute_for_years(years=[year], actor=actor, reason=_("%(year)s年节假日安排%(what)s") % {
            "year": year, "what": _("已录入") if entered else _("改为未录入")})
    return row


@transaction.atomic
def policy_update(*, actor, policy_id: int, label: str, unit: str, amount: int, roll_to_workday: bool,
                  apply_to_open: bool = False) -> tuple[DeadlinePolicy, int]:
    """Change a policy. Open deadlines keep the rule they started under unless ``apply_to_open``.

    Returns the policy and how many open deadlines changed their due date or explanation.
    """
    _check_manage(actor)
    if unit not in DeadlinePolicy.Unit.values:
        raise ValidationError(ERR_UNIT, code="unit")
    if not isinstance(amount, int) or not 0 <= amount <= 999:
        raise ValidationError(ERR_AMOUNT, code="amount")
    policy = DeadlinePolicy.objects.select_for_update().get(pk=policy_id)
    before = f"{policy.label} {policy.amount_display} roll={policy.roll_to_workday}"
    policy.label, policy.unit, policy.amount, policy.roll_to_workday = label.strip(), unit, amount, roll_to_workday
    policy.save(update_fields=["label", "unit", "amount", "roll_to_workday", "updated_at"])
    record_event(obj=policy, action="policy_changed", actor=actor,
                 note=f"{before} → {policy.label} {policy.amount_display} roll={policy.roll_to_workday}"
                      + (" (apply_to_open)" if apply_to_open else ""))
    changed = 0
    if apply_to_open:
        open_qs = Deadline.objects.filter(policy=policy, state=Deadline.State.OPEN)
        open_qs.update(unit=unit, amount=amount, roll_to_workday=roll_to_workday)
        changed = _recompute(open_qs.order_by("id").iterator(chunk_size=1000), calendar=calendar_load(),
                             actor=actor, reason=_("期限规则调整"), today=timezone.localdate())
    return policy, changed


def deadline_calculate(*, start: datetime.date, policy: DeadlinePolicy):
    """The calculator page: what a deadline started today under this policy would be (no write)."""
    _check_date(start)
    return compute_due(start=start, unit=policy.unit, amount=policy.amount,
                       roll_to_workday=policy.roll_to_workday, calendar=calendar_load())


# --- scheduled checks -------------------------------------------------------------------------------------
def _setting(name: str, default):
    return getattr(settings, name, default)


def _escalation_config() -> dict[str, int]:
    return {**DEFAULT_ESCALATION, **_setting("RENDA_ESCALATION", {})}


# model -> callable(item) -> users: who owns a deadline that names no single user or unit (a liaison
# station's opinion belongs to its duty deputies and the town's staff).
OWNER_RESOLVERS: dict = {}


def register_deadline_owners(model, resolver) -> None:
    OWNER_RESOLVERS[model] = resolver


def _owners(deadline: Deadline) -> list:
    from renda.org.selectors import unit_users

    if deadline.owner_user_id:
        return [deadline.owner_user]
    if deadline.owner_unit_id:
        return unit_users(deadline.owner_unit_id)
    resolver = OWNER_RESOLVERS.get(deadline.content_type.model_class())
    item = deadline.item if resolver else None
    return list(resolver(item)) if item is not None else []


def _supervisors(deadline: Deadline) -> list:
    from renda.accounts.models import User

    scope = Q(assignments__role="staff", assignments__is_active=True)
    if deadline.supervising_office_id:
        scope &= Q(assignments__office_id=deadline.supervising_office_id)
    else:
        scope &= Q(assignments__office__supervises=True, assignments__congress_id=deadline.congress_id)
    return list(User.objects.filter(scope, is_active=True).distinct())


def _directors(deadline: Deadline) -> list:
    from renda.accounts.models import User

    return list(User.objects.filter(is_active=True, assignments__role="director", assignments__is_active=True,
                                    assignments__congress_id=deadline.congress_id).distinct())


def _item_text(deadline: Deadline) -> tuple[str, str]:
    item = deadline.item
    if item is None:
        return _("（事项已删除）"), ""
    url = item.get_absolute_url() if hasattr(item, "get_absolute_url") else ""
    return str(item), url


def _notify(deadline: Deadline, *, users: list, kind: str, subject: str, body: str) -> None:
    if not users:
        return
    _text, url = _item_text(deadline)
    notify_users(users=users, subject=subject, body=body, url=url,
                 channels=_setting("RENDA_DEADLINE_CHANNELS", DEFAULT_CHANNELS),
                 dedupe_key=f"deadline:{deadline.pk}:{kind}:{deadline.due.isoformat()}",
                 congress=deadline.congress_id)


def _body(deadline: Deadline, template: str, **extra) -> str:
    item, _url = _item_text(deadline)
    text = template % {"item": item, "step": deadline.policy.label, "due": deadline.due.isoformat(), **extra}
    text += "\n" + _("计算说明：%(explanation)s") % {"explanation": deadline.explanation}
    return text


def deadlines_warn_upcoming(*, today: datetime.date, now: datetime.datetime | None = None,
                            days: int | None = None) -> int:
    """Tell owners once, ``days`` working days (RENDA_DEADLINE_WARN_DAYS, default 2) before due.

    "Once" holds across re-runs and parallel workers: warned_at is claimed with a conditional
    UPDATE and the notification carries a dedupe key, both in one transaction.
    """
    now = now or timezone.now()
    days = _setting("RENDA_DEADLINE_WARN_DAYS", DEFAULT_WARN_DAYS) if days is None else days
    cal = calendar_load()
    # A calendar window wide enough for `days` working days across the longest holiday.
    horizon = today + datetime.timedelta(days=days * 2 + 14)
    candidates = (Deadline.objects.filter(state=Deadline.State.OPEN, warned_at__isnull=True, overdue_at__isnull=True,
                                          due__gte=today, due__lte=horizon)
                  .select_related("policy", "owner_user").order_by("due", "id"))
    warned = 0
    for d in candidates:
        if cal.working_days_after(today, d.due) > days:
            continue
        with transaction.atomic():
            if not Deadline.objects.filter(pk=d.pk, warned_at__isnull=True, state=Deadline.State.OPEN).update(
                    warned_at=now):
                continue
            _notify(d, users=_owners(d), kind="warn", subject=_("办理期限提醒：%(step)s") % {"step": d.policy.label},
                    body=_body(d, _("“%(item)s”的“%(step)s”将于 %(due)s 到期，请抓紧办理。")))
            record_event(obj=d, action="deadline_warned", note=d.due.isoformat())
        warned += 1
    return warned


def deadlines_mark_overdue(*, today: datetime.date, now: datetime.datetime | None = None) -> int:
    """Flag open deadlines whose due date has passed, and tell their owners, once each."""
    now = now or timezone.now()
    marked = 0
    candidates = (Deadline.objects.filter(state=Deadline.State.OPEN, overdue_at__isnull=True, due__lt=today)
                  .select_related("policy", "owner_user").order_by("due", "id"))
    for d in candidates:
        with transaction.atomic():
            if not Deadline.objects.filter(pk=d.pk, overdue_at__isnull=True, state=Deadline.State.OPEN,
                                           due__lt=today).update(overdue_at=now):
                continue
            _notify(d, users=_owners(d), kind="overdue", subject=_("办理已逾期：%(step)s") % {"step": d.policy.label},
                    body=_body(d, _("“%(item)s”的“%(step)s”已于 %(due)s 到期，现已逾期，请尽快办理。")))
            record_event(obj=d, action="deadline_overdue", from_state="open", to_state="overdue",
                         note=d.due.isoformat())
        marked += 1
    return marked


def deadlines_escalate(*, today: datetime.date, now: datetime.datetime | None = None) -> int:
    """Escalate overdue deadlines: to the supervising office after X working days overdue, to the
    directors after Y more (settings.RENDA_ESCALATION). Each level happens once per due date."""
    now = now or timezone.now()
    cfg = _escalation_config()
    office_after = int(cfg["office_after_days"])
    director_after = office_after + int(cfg["director_after_days"])
    cal = calendar_load()
    steps = 0
    candidates = (Deadline.objects.filter(state=Deadline.State.OPEN, due__lt=today,
                                          escalation_level__lt=LEVEL_DIRECTOR)
                  .select_related("policy", "owner_user", "owner_unit").order_by("due", "id"))
    for d in candidates:
        late = cal.working_days_after(d.due, today)
        target = LEVEL_DIRECTOR if late >= director_after else LEVEL_OFFICE if late >= office_after else 0
        level = d.escalation_level
        while level < target:
            with transaction.atomic():
                if not Deadline.objects.filter(pk=d.pk, escalation_level=level, state=Deadline.State.OPEN).update(
                        escalation_level=level + 1, escalated_at=now):
                    break  # another worker escalated it first
                level += 1
                d.escalation_level = level
                owner = d.owner_unit or d.owner_user
                who = _directors(d) if level == LEVEL_DIRECTOR else _supervisors(d)
                _notify(d, users=who, kind=f"escalate{level}",
                        subject=_("逾期督办：%(step)s") % {"step": d.policy.label},
                        body=_body(d, _("“%(item)s”的“%(step)s”于 %(due)s 到期，已逾期 %(late)s 个工作日，"
                                        "责任方：%(owner)s。请督办。"), late=late, owner=owner or _("未指定")))
                record_event(obj=d, action="deadline_escalated", to_state=str(level),
                             note=_("逾期 %(late)s 个工作日，升级至%(whom)s") % {
                                 "late": late, "whom": _("主任会议成员") if level == LEVEL_DIRECTOR else _("督办部门")})
            steps += 1
    return steps
