"""Every write of the meetings: schedule, participants, agenda, documents, notice, replies, check-in,
votes on agenda items, minutes. Votes go through the ballot engine (renda/ballots/services.py)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.ballots import services as ballots
from renda.ballots.models import Vote
from renda.ballots.rules import Threshold
from renda.core.attachments import DOCUMENTS, attachment_create
from renda.core.notify.services import notify_users
from renda.core.validation import clean_text, field_error
from renda.core.workflow import ConflictError, InvalidTransition, record_event

from .kinds import KINDS, default_members
from .models import AgendaItem, Document, Meeting, Participant
from .workflow import MEETING_FLOW

M = Meeting.Status
MAX_PARTICIPANTS = 5000


def _check(actor, obj, perm: str = "meetings.manage") -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied


def _meeting(meeting_id, *, lock: bool = False) -> Meeting:
    qs = Meeting.objects.select_for_update() if lock else Meeting.objects
    if type(meeting_id) is not int:
        raise Meeting.DoesNotExist
    return qs.get(pk=meeting_id)


def _when(value, field: str) -> dt.datetime:
    if isinstance(value, str):
        from django.utils.dateparse import parse_datetime

        try:
            value = parse_datetime(value)
        except ValueError:
            value = None
    if not isinstance(value, dt.datetime) or not 2000 <= value.year <= 2100:
        raise field_error(field, _("请填写有效的日期和时间。"))
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def notice_shortfall(meeting: Meeting, now: dt.datetime | None = None) -> str:
    """A warning when members would get less notice than the rule ("" when there is enough)."""
    now = now or timezone.now()
    days = (timezone.localdate(meeting.starts_at) - timezone.localdate(now)).days
    if days >= meeting.notice_days:
        return ""
    return _("距开会仅 %(days)s 天，少于%(kind)s规定的提前 %(rule)s 天通知。") % {
        "days": max(days, 0), "kind": meeting.get_kind_display(), "rule": meeting.notice_days}


def schedule(*, actor, congress, kind: str, title: str, starts_at, location: str = "", ends_at=None,
             chair_id: int | None = None, group_id: int | None = None, notice_days: int | None = None,
             quorum: dict | None = None) -> Meeting:
    """A meeting in preparation with its kind's members as participants (staff can change the list)."""
    _check(actor, congress)
    if kind not in Meeting.Kind.values:
        raise field_error("kind", _("会议类型无效。"))
    title = clean_text(title, max_length=200, field="title", error=_("请填写会议名称（不超过200字）。"))
    location = clean_text(location, max_length=200, field="location", required=False, error=_("地点不超过200字。"))
    starts_at = _when(starts_at, "starts_at")
    if ends_at is not None:
        ends_at = _when(ends_at, "ends_at")
        if ends_at <= starts_at:
            raise field_error("ends_at", _("结束时间须晚于开始时间。"))
    rule = KINDS[kind]
    if notice_days is None:
        notice_days = rule.notice_days
    if type(notice_days) is not int or not 0 <= notice_days <= 90:
        raise field_error("notice_days", _("提前通知天数须为 0 到 90 之间的整数。"))
    quorum = ballots._threshold(quorum, "quorum", quorum=True) if quorum is not None else rule.quorum.to_dict()
    from renda.deputies.models import DelegationGroup, Person

    if group_id is not None and not DelegationGroup.objects.filter(pk=group_id, congress=congress).exists():
        raise field_error("group_id", _("代表小组不存在。"))
    if rule.members == "group" and group_id is None:
        raise field_error("group_id", _("联席会议和协调会议须选择参会的代表小组。"))
    if chair_id is not None and not Person.objects.filter(pk=chair_id).exists():
        raise field_error("chair_id", _("主持人不存在。"))
    members = default_members(kind, congress.pk, group_id=group_id, on=timezone.localdate(starts_at))
    with transaction.atomic():
        meeting = Meeting.objects.create(
            congress=congress, kind=kind, title=title, starts_at=starts_at, ends_at=ends_at, location=location,
            chair_id=chair_id, group_id=group_id, quorum=quorum, notice_days=notice_days,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        Participant.objects.bulk_create([Participant(meeting=meeting, person_id=p, title=t[:100]) for p, t in members],
                                        batch_size=500)
        if chair_id is not None and chair_id not in {p for p, _t in members}:
            Participant.objects.create(meeting=meeting, person_id=chair_id, role=Participant.Role.MEMBER)
        record_event(obj=meeting, action="schedule", actor=actor, to_state=M.DRAFT, note=meeting.title)
    return meeting


def _editable(meeting: Meeting) -> None:
    if meeting.status in (M.ADJOURNED, M.CANCELLED):
        raise ConflictError(_("会议已结束或已取消，不能再修改。"), code="invalid_state")


def set_participant(*, actor, meeting_id: int, person_id: int, role: str, title: str = "") -> Participant:
    """Add a person, or change their role: 组成人员 (votes), 列席 or 旁听 (never vote)."""
    if role not in Participant.Role.values:
        raise field_error("role", _("身份无效。"))
    title = clean_text(title, max_length=100, field="title", required=False, error=_("职务不超过100字。"))
    from renda.deputies.models import Person

    with transaction.atomic():
        meeting = _meeting(meeting_id, lock=True)
        _check(actor, meeting)
        _editable(meeting)
        if type(person_id) is not int or not Person.objects.filter(pk=person_id).exists():
            raise field_error("person_id", _("人员不存在。"))
        if meeting.participants.count() >= MAX_PARTICIPANTS:
            raise field_error("person_id", _("参会人员过多。"))
        p, _created = Participant.objects.update_or_create(meeting=meeting, person_id=person_id,
                                                           defaults={"role": role, "title": title})
    return p


def remove_participant(*, actor, meeting_id: int, person_id: int) -> None:
    with transaction.atomic():
        meeting = _meeting(meeting_id, lock=True)
        _check(actor, meeting)
        _editable(meeting)
        if meeting.status == M.IN_SESSION:
            raise ConflictError(_("会议进行中，不能移除参会人员。"), code="invalid_state")
        Participant.objects.filter(meeting=meeting, person_id=person_id).delete()


def add_item(*, actor, meeting_id: int, title: str, presenter: str = "", description: str = "") -> AgendaItem:
    title = clean_text(title, max_length=300, field="title", error=_("请填写议题（不超过300字）。"))
    presenter = clean_text(presenter, max_length=100, field="presenter", required=False, error=_("汇报人不超过100字。"))
    description = clean_text(description, max_length=5000, field="description", required=False,
                             error=_("说明不超过5000字。"))
    with transaction.atomic():
        meeting = _meeting(meeting_id, lock=True)
        _check(actor, meeting)
        _editable(meeting)
        position = (meeting.items.aggregate(m=Max("position"))["m"] or 0) + 1
        return AgendaItem.objects.create(meeting=meeting, position=position, title=title, presenter=presenter,
                                         description=description)


def move_item(*, actor, item_id: int, up: bool) -> None:
    """Swap an agenda item with its neighbour."""
    with transaction.atomic():
        item = AgendaItem.objects.select_related("meeting").get(pk=item_id)
        meeting = _meeting(item.meeting_id, lock=True)
        _check(actor, meeting)
        _editable(meeting)
        items = list(meeting.items.order_by("position"))
        i = next(n for n, x in enumerate(items) if x.pk == item.pk)
        j = i - 1 if up else i + 1
        if not 0 <= j < len(items):
            return
        a, b = items[i], items[j]
        a.position, b.position = b.position, a.position
        # Through a free slot: (meeting, position) is unique.
        top = max(x.position for x in items) + 1
        AgendaItem.objects.filter(pk=a.pk).update(position=top)
        AgendaItem.objects.filter(pk=b.pk).update(position=b.position)
        AgendaItem.objects.filter(pk=a.pk).update(position=a.position)


def remove_item(*, actor, item_id: int) -> None:
    with transaction.atomic():
        item = AgendaItem.objects.get(pk=item_id)
        meeting = _meeting(item.meeting_id, lock=True)
        _check(actor, meeting)
        _editable(meeting)
        if item.votes.exclude(status__in=[Vote.Status.DRAFT, Vote.Status.CANCELLED]).exists():
            raise ConflictError(_("该议题已进行表决，不能删除。"), code="invalid_state")
        item.votes.filter(status=Vote.Status.DRAFT).delete()
        item.delete()


def add_document(*, actor, meeting_id: int, title: str, upload, item_id: int | None = None) -> Document:
    title = clean_text(title, max_length=200, field="title", error=_("请填写材料名称（不超过200字）。"))
    with transaction.atomic():
        meeting = _meeting(meeting_id, lock=True)
        _check(actor, meeting)
        _editable(meeting)
        if item_id is not None and not meeting.items.filter(pk=item_id).exists():
            raise field_error("item_id", _("议题不存在。"))
        doc = Document(meeting=meeting, title=title, item_id=item_id)
        att = attachment_create(upload=upload, allowed=DOCUMENTS, uploaded_by=actor, congress=meeting.congress_id)
        doc.attachment = att
        doc.save()
        from django.contrib.contenttypes.models import ContentType

        type(att).objects.filter(pk=att.pk).update(content_type=ContentType.objects.get_for_model(Document),
                                                   object_id=doc.pk)
    return doc


def publish_documents(*, actor, meeting_id: int) -> int:
    """Publish every unpublished document to the participants; tells them once."""
    with transaction.atomic():
        meeting = _meeting(meeting_id, lock=True)
        _check(actor, meeting)
        n = meeting.documents.filter(published_at__isnull=True).update(published_at=timezone.now())
        if n:
            _tell(meeting, _("会议材料已发布：%(title)s") % {"title": meeting.title},
                  _("%(title)s 的会议材料已发布，请登录查阅。") % {"title": meeting.title},
                  key=f"docs:{timezone.now():%s}")
    return n


def _users_of(meeting: Meeting):
    from renda.accounts.models import User

    return User.objects.filter(person__meeting_seats__meeting=meeting, is_active=True)


def _tell(meeting: Meeting, subject: str, body: str, key: str) -> None:
    users = list(_users_of(meeting))
    transaction.on_commit(lambda: notify_users(
        users=users, subject=subject, body=body, url=f"/meetings/{meeting.pk}/", congress=meeting.congress_id,
        dedupe_key=f"meeting:{meeting.pk}:{key}"))


def notify(*, actor, meeting_id: int, short_notice_reason: str = "", expected_version: int | None = None,
           now: dt.datetime | None = None) -> Meeting:
    """Send the notice. With less notice than the rule, a reason is required and recorded."""
    meeting = _meeting(meeting_id)
    shortfall = notice_shortfall(meeting, now)
    reason = clean_text(short_notice_reason, max_length=500, field="short_notice_reason", required=bool(shortfall),
                        error=_("通知时间不足：%(why)s请说明理由。") % {"why": shortfall} if shortfall
                        else _("说明不超过500字。"), code="short_notice" if shortfall else "invalid")
    with transaction.atomic():
        meeting = MEETING_FLOW.apply(obj_id=meeting_id, action="notify", actor=actor, expected_version=expected_version,
                                     note=(shortfall + reason) if shortfall else "",
                                     extra_updates={"notified_at": now or timezone.now(),
                                                    "notice_note": reason if shortfall else ""})
        local = timezone.localtime(meeting.starts_at)
        _tell(meeting, _("会议通知：%(title)s") % {"title": meeting.title},
              _("定于%(when)s在%(where)s召开%(title)s，请确认出席或请假。") % {
                  "when": f"{local:%Y年%m月%d日 %H:%M}", "where": meeting.location or _("另行通知的地点"),
                  "title": meeting.title}, key="notice")
    return meeting


def _own_seat(user, meeting_id: int, *, lock: bool = True) -> Participant:
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        raise PermissionDenied
    qs = Participant.objects.select_related("meeting")
    if lock:
        qs = qs.select_for_update()
    try:
        return qs.get(meeting_id=meeting_id, person_id=person_id)
    except Participant.DoesNotExist:
        raise PermissionDenied from None


def reply(*, user, meeting_id: int, attending: bool, reason: str = "") -> Participant:
    """A participant confirms attendance or asks for leave (请假, with a reason). Personal."""
    if not isinstance(attending, bool):
        raise field_error("attending", _("请选择出席或请假。"))
    reason = clean_text(reason, max_length=500, field="reason", required=not attending,
                        error=_("请假须填写理由（不超过500字）。"))
    with transaction.atomic():
        seat = _own_seat(user, meeting_id)
        if seat.meeting.status not in (M.NOTIFIED, M.IN_SESSION):
            raise ConflictError(_("会议未发出通知或已结束。"), code="invalid_state")
        if seat.checked_in_at is not None:
            raise ConflictError(_("您已签到。"), code="checked_in")
        seat.reply = Participant.Reply.ATTENDING if attending else Participant.Reply.LEAVE
        seat.leave_reason = "" if attending else reason
        seat.save(update_fields=["reply", "leave_reason"])
    return seat


def _check_in(seat: Participant, how: str) -> Participant:
    meeting = seat.meeting
    if meeting.status not in (M.NOTIFIED, M.IN_SESSION):
        raise ConflictError(_("会议未在签到时间。"), code="invalid_state")
    if timezone.localdate(meeting.starts_at) != timezone.localdate():
        raise InvalidTransition(_("只能在开会当天签到。"), code="not_today")
    if seat.checked_in_at is not None:
        return seat
    seat.checked_in_at = timezone.now()
    seat.checked_in_by = how
    seat.reply = Participant.Reply.ATTENDING
    seat.save(update_fields=["checked_in_at", "checked_in_by", "reply"])
    if seat.role == Participant.Role.MEMBER:
        # A member who arrives while a vote is open can take part in it.
        ballots.arrived(person_id=seat.person_id, votes=Vote.objects.filter(agenda_items__meeting=meeting))
    return seat


def self_check_in(*, user, meeting_id: int, token: str) -> Participant:
    """The QR code on the hall's screen: a participant checks in on their own phone. Personal."""
    with transaction.atomic():
        seat = _own_seat(user, meeting_id)
        if not isinstance(token, str) or token != seat.meeting.checkin_token:
            raise InvalidTransition(_("签到二维码无效或已更换，请扫描会场的二维码。"), code="bad_token")
        return _check_in(seat, Participant.CheckIn.SELF)


def staff_check_in(*, actor, meeting_id: int, person_id: int) -> Participant:
    with transaction.atomic():
        meeting = _meeting(meeting_id)
        _check(actor, meeting, "meetings.chair")
        try:
            seat = Participant.objects.select_related("meeting").select_for_update().get(meeting=meeting,
                                                                                        person_id=person_id)
        except Participant.DoesNotExist:
            raise field_error("person_id", _("此人不是本次会议的参会人员。")) from None
        return _check_in(seat, Participant.CheckIn.STAFF)


def convene(*, actor, meeting_id: int, expected_version: int | None = None) -> Meeting:
    return MEETING_FLOW.apply(obj_id=meeting_id, action="convene", actor=actor, expected_version=expected_version)


def adjourn(*, actor, meeting_id: int, expected_version: int | None = None) -> Meeting:
    meeting = _meeting(meeting_id)
    if Vote.objects.filter(agenda_items__meeting=meeting, status=Vote.Status.OPEN).exists():
        raise InvalidTransition(_("还有表决未结束，不能闭会。"), code="vote_open")
    return MEETING_FLOW.apply(obj_id=meeting_id, action="adjourn", actor=actor, expected_version=expected_version,
                              extra_updates={"ends_at": meeting.ends_at or timezone.now()})


def cancel(*, actor, meeting_id: int, note: str) -> Meeting:
    note = clean_text(note, max_length=500, field="note", error=_("请填写取消的理由（不超过500字）。"))
    meeting = MEETING_FLOW.apply(obj_id=meeting_id, action="cancel", actor=actor, note=note)
    _tell(meeting, _("会议取消：%(title)s") % {"title": meeting.title}, note, key="cancel")
    return meeting


# --- votes on agenda items ------------------------------------------------------------------------------------


def add_vote(*, actor, item_id: int, **config) -> Vote:
    """A vote on an agenda item; its quorum is the meeting's and its base the meeting's members."""
    with transaction.atomic():
        item = AgendaItem.objects.select_related("meeting").get(pk=item_id)
        meeting = _meeting(item.meeting_id, lock=True)
        _check(actor, meeting)
        _editable(meeting)
        config.setdefault("title", item.title)
        seated = meeting.participants.filter(role=Participant.Role.MEMBER).count()
        vote = ballots.create_vote(actor=actor, congress=meeting.congress, quorum=meeting.quorum, seated=seated,
                                   **config)
        item.votes.add(vote)
    return vote


def _meeting_of_vote(vote_id: int) -> tuple[Vote, Meeting]:
    vote = Vote.objects.get(pk=vote_id)
    item = vote.agenda_items.select_related("meeting").first()
    if item is None:
        raise InvalidTransition(_("该表决不属于任何会议议程。"), code="no_meeting")
    return vote, item.meeting


def open_vote(*, actor, vote_id: int) -> Vote:
    """The chair opens an item's vote: the members are the electorate, those checked in are present."""
    vote, meeting = _meeting_of_vote(vote_id)
    _check(actor, meeting, "meetings.chair")
    if meeting.status != M.IN_SESSION:
        raise InvalidTransition(_("会议尚未开始，不能表决。"), code="not_in_session")
    members = meeting.participants.filter(role=Participant.Role.MEMBER)
    electorate = list(members.values_list("person_id", flat=True))
    present = list(members.filter(checked_in_at__isnull=False).values_list("person_id", flat=True))
    return ballots.open_vote(actor=actor, vote_id=vote_id, electorate=electorate,
                             present=present, seated=len(electorate))


def close_vote(*, actor, vote_id: int) -> Vote:
    vote, meeting = _meeting_of_vote(vote_id)
    _check(actor, meeting, "meetings.chair")
    return ballots.close_vote(actor=actor, vote_id=vote_id)


def publish_vote(*, actor, vote_id: int) -> Vote:
    vote, meeting = _meeting_of_vote(vote_id)
    _check(actor, meeting, "meetings.chair")
    return ballots.publish(actor=actor, vote_id=vote_id)


def set_minutes(*, actor, meeting_id: int, minutes: str, decisions: dict[int, str] | None = None) -> Meeting:
    """The minutes and each item's decision (会议决定)."""
    minutes = clean_text(minutes, max_length=50_000, field="minutes", required=False, error=_("纪要不超过5万字。"))
    with transaction.atomic():
        meeting = _meeting(meeting_id, lock=True)
        _check(actor, meeting)
        if meeting.status == M.CANCELLED:
            raise ConflictError(_("会议已取消。"), code="invalid_state")
        items = {i.pk: i for i in meeting.items.all()}
        for item_id, text in (decisions or {}).items():
            if item_id not in items:
                raise field_error("decisions", _("议题不存在。"))
            items[item_id].decision = clean_text(text, max_length=5000, field="decisions", required=False,
                                                 error=_("会议决定不超过5000字。"))
        AgendaItem.objects.bulk_update([items[i] for i in decisions or {}], ["decision"])
        meeting.minutes = minutes
        meeting.save(update_fields=["minutes"])
        record_event(obj=meeting, action="minutes", actor=actor, from_state=meeting.status, to_state=meeting.status)
    return meeting


def quorum_rule(meeting: Meeting) -> Threshold:
    return Threshold.from_dict(meeting.quorum)
