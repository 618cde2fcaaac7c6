"""Meetings (会议) and their votes (表决) over JSON: every step of every role, and the public Popolo export.

A thin shell over renda/meetings/selectors.py and renda/ballots/selectors.py (what the caller may see:
outside it is 404) and renda/meetings/services.py / renda/ballots/services.py (every write, with its own
permission and input checks: visible but not allowed is 403). The services' ValidationError is answered
as `422 validation_error` with one detail per field (see _common.py); their ConflictError (a stale
version, a step no longer possible, a second ballot) is a 409 with its code, their InvalidTransition
(not today, not in session, no quorum…) a 422 with its code (renda/api/errors.py).

Secrecy (docs/ballots.md): a result appears only once published (`ballots.selectors.visible_result`);
before that anyone who sees the vote sees how many have voted, never what. Nothing here reads a
ballot: the caller's own status comes from the roll (on it, present, voted), and the roll itself is
shown only to those who may run the vote, never joined to ballots.

Paths: /api/meetings… (a meeting and its steps), /api/meeting-items/{id}/… (an agenda item's steps and
its votes), /api/votes/{id}… (one vote and its steps), /api/my-votes (what the caller may vote on now),
/api/public/popolo/{congress_id} (the public export, renda/meetings/popolo.py).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from ninja import File, Form, Path, Query, Router
from ninja.files import UploadedFile

from renda.accounts.permissions import _assignment
from renda.ballots import selectors as ballot_selectors
from renda.ballots import services as ballots
from renda.ballots.models import Roll, Vote
from renda.ballots.rules import Threshold
from renda.core.paging import Cursor, count_capped
from renda.meetings import selectors, services
from renda.meetings.models import AgendaItem, Meeting, Participant
from renda.meetings.popolo import popolo_export
from renda.meetings.workflow import MEETING_FLOW

from ..errors import AUTH_ERRORS, errors_for
from ..schemas import MAX_ID
from ._common import _service, files_as, ref, value
from .schemas_meetings import (
    AgendaItemIn,
    AgendaMoveIn,
    CastIn,
    CheckInIn,
    DecideTieIn,
    DocumentFormIn,
    MeetingCancelIn,
    MeetingDetailOut,
    MeetingNotifyIn,
    MeetingPage,
    MeetingQuery,
    MeetingScheduleIn,
    MeetingVersionIn,
    MinutesIn,
    MyVoteOut,
    PaperBallotIn,
    PaperCountsIn,
    ParticipantIn,
    PersonIn,
    PopoloExport,
    ReplyIn,
    VoteAddIn,
    VoteCancelIn,
    VoteDetailOut,
)

router = Router(tags=["meetings"])

M = Meeting.Status
V = Vote.Status
ACTION_ERRORS = errors_for(*AUTH_ERRORS, 403, 404, 409)
LIST_ERRORS = errors_for(*AUTH_ERRORS, 403)
MEETING_ID = Path(..., gt=0, le=MAX_ID)
ITEM_ID = Path(..., gt=0, le=MAX_ID)
VOTE_ID = Path(..., gt=0, le=MAX_ID)
OFFICE_ROLES = ("staff", "director", "town_staff")
LIVE = (M.NOTIFIED, M.IN_SESSION)
COUNT_CAP = 10_000  # as the other keyset lists


# --- helpers --------------------------------------------------------------------------------------------
def _threshold(rule: dict | None) -> dict | None:
    if not rule:
        return None
    t = Threshold.from_dict(rule)
    return {**t.to_dict(), "text": t.describe()}


def _is_office(user) -> bool:
    a = _assignment(user)
    return a is not None and a.role in OFFICE_ROLES


def _visible(user, meeting_id: int) -> Meeting:
    """404 outside the caller's scope, before any service runs (a service's refusal is then a 403)."""
    return selectors.meeting_for_user(user, meeting_id)


def _visible_item(user, item_id: int) -> AgendaItem:
    item = AgendaItem.objects.filter(pk=item_id, meeting__in=selectors.meetings_for_user(user)).first()
    if item is None:
        raise Http404
    return item


def _visible_vote(user, vote_id: int) -> tuple[Vote, AgendaItem | None]:
    """A vote the caller may see: one the ballot engine shows them (the office's congress, or their
    name on its roll), or one on the agenda of a meeting they see (a draft vote has no roll yet)."""
    vote = Vote.objects.filter(pk=vote_id).first()
    if vote is None:
        raise Http404
    item = vote.agenda_items.select_related("meeting").order_by("id").first()
    if ballot_selectors.votes_for_user(user).filter(pk=vote_id).exists():
        return vote, item
    if item is not None and selectors.meetings_for_user(user).filter(pk=item.meeting_id).exists():
        return vote, item
    raise Http404


def _seat(s: Participant, *, show_reason: bool) -> dict:
    return {"person": ref(s.person), "role": s.role, "role_label": str(s.get_role_display()), "title": s.title,
            "reply": s.reply, "reply_label": str(s.get_reply_display()),
            "leave_reason": s.leave_reason if show_reason else "", "checked_in_at": s.checked_in_at,
            "checked_in_by": s.checked_in_by}


def meeting_summary(m: Meeting) -> dict:
    return {
        "id": m.pk, "congress": ref(m.congress), "kind": m.kind, "kind_label": str(m.get_kind_display()),
        "title": m.title, "status": m.status, "status_label": str(m.get_status_display()), "starts_at": m.starts_at,
        "ends_at": m.ends_at, "location": m.location, "chair": ref(m.chair), "group": ref(m.group),
        "notified_at": m.notified_at, "version": m.version,
    }


def _today(m: Meeting) -> bool:
    return timezone.localdate(m.starts_at) == timezone.localdate()


# --- votes: what the caller sees and may do ---------------------------------------------------------------
def _tied(v: Vote) -> list[int]:
    """The options tied at the cut line of a closed 票决, from the stored result (for those who run it)."""
    if v.kind != Vote.Kind.CHOICE or not v.result:
        return []
    return [r["id"] for r in v.result.get("ranking", []) if r.get("tied")]


def _pending_tie(v: Vote, *, has_runoff: bool) -> dict | None:
    tied = _tied(v)
    if not tied:
        return None
    if v.tie_rule == Vote.TieRule.CHAIR and v.status == V.CLOSED and not v.tie_decision:
        return {"option_ids": tied, "open_places": v.result.get("open_places", 0), "rule": "chair"}
    if v.tie_rule == Vote.TieRule.RUNOFF and v.status in (V.CLOSED, V.PUBLISHED) and not has_runoff:
        return {"option_ids": tied, "open_places": v.result.get("open_places", 0), "rule": "runoff"}
    return None


def vote_actions(v: Vote, *, can_run: bool, me: dict, in_session: bool, has_runoff: bool) -> list[str]:
    """What the caller may do with the vote now, named like the last segment of the action's URL."""
    out = []
    if can_run:
        if v.status == V.DRAFT and in_session:
            out.append("open")
        if v.status == V.OPEN:
            out.append("close")
            if v.method == Vote.Method.PAPER:
                out.append("paper-ballots" if v.kind == Vote.Kind.SCORE else "paper-counts")
        pending = _pending_tie(v, has_runoff=has_runoff)
        if v.status == V.CLOSED and not (pending and pending["rule"] == "chair"):
            out.append("publish")
        if pending:
            out.append("decide-tie" if pending["rule"] == "chair" else "runoff")
        if v.status in (V.DRAFT, V.OPEN):
            out.append("cancel")
    if v.status == V.OPEN and v.method == Vote.Method.ELECTRONIC and me["on_roll"] and me["present"] \
            and not me["voted"]:
        out.append("cast")
    return out


def _my_rolls(user, vote_ids: list[int]) -> dict[int, dict]:
    person_id = getattr(user, "person_id", None)
    if person_id is None or not vote_ids:
        return {}
    rows = Roll.objects.filter(vote_id__in=vote_ids, person_id=person_id).values("vote_id", "present", "voted")
    return {r["vote_id"]: {"on_roll": True, "present": r["present"], "voted": r["voted"]} for r in rows}


def _runoff_parents(vote_ids: list[int]) -> set[int]:
    if not vote_ids:
        return set()
    return set(Vote.objects.filter(runoff_of_id__in=vote_ids).exclude(status=V.CANCELLED)
               .values_list("runoff_of_id", flat=True))


NOT_ON_ROLL = {"on_roll": False, "present": False, "voted": False}


def vote_summary(v: Vote, *, can_run: bool, me: dict, in_session: bool, has_runoff: bool) -> dict:
    """A vote without its roll or ballots; `result` only once published."""
    return {
        "id": v.pk, "title": v.title, "kind": v.kind, "kind_label": str(v.get_kind_display()), "method": v.method,
        "method_label": str(v.get_method_display()), "secret": v.secret, "status": v.status,
        "status_label": str(v.get_status_display()),
        "options": [{"id": o.pk, "position": o.position, "label": o.label, "person_id": o.person_id,
                     "description": o.description} for o in sorted(v.options.all(), key=lambda o: o.position)],
        "max_choices": v.max_choices, "places": v.places, "tie_rule": v.tie_rule, "opened_at": v.opened_at,
        "closed_at": v.closed_at, "published_at": v.published_at, "result": ballot_selectors.visible_result(v),
        "me": me, "version": v.version,
        "actions": vote_actions(v, can_run=can_run, me=me, in_session=in_session, has_runoff=has_runoff),
    }


def _can_run(user, vote: Vote, meeting: Meeting | None) -> bool:
    """The meeting's chair and its organisers run a vote on its agenda (the services' own test)."""
    if meeting is not None:
        return user.has_perm("meetings.chair", meeting)
    return user.has_perm("ballots.manage", vote)


def vote_detail(user, vote_id: int) -> dict:
    vote, item = _visible_vote(user, vote_id)
    prefetch_related_objects([vote], "options")
    meeting = item.meeting if item is not None else None
    can_run = _can_run(user, vote, meeting)
    me = _my_rolls(user, [vote.pk]).get(vote.pk, NOT_ON_ROLL)
    runoffs = list(vote.runoffs.exclude(status=V.CANCELLED).order_by("id").values_list("id", flat=True))
    in_session = meeting is not None and meeting.status == M.IN_SESSION
    roll = None
    if can_run:
        # Who is entitled, present and has voted: never what (the roll has no link to any ballot).
        roll = [{"person": {"id": r.person_id, "name": r.person.name}, "present": r.present, "voted": r.voted}
                for r in Roll.objects.filter(vote=vote).select_related("person").order_by("id")]
    paper_score = vote.method == Vote.Method.PAPER and vote.kind == Vote.Kind.SCORE
    return {
        **vote_summary(vote, can_run=can_run, me=me, in_session=in_session, has_runoff=bool(runoffs)),
        "meeting": ref(meeting, meeting.title) if meeting else None,
        "item": ref(item, item.title) if item else None,
        "rule": _threshold(vote.rule), "quorum": _threshold(vote.quorum), "score_config": vote.score_config,
        "seated": vote.seated, "progress": ballot_selectors.progress(vote), "roll": roll, "issued": vote.issued,
        "paper_counts_entered": vote.paper_counts is not None,
        "papers_entered": vote.ballots.count() if paper_score and can_run else None,
        "pending_tie": _pending_tie(vote, has_runoff=bool(runoffs)) if can_run else None,
        "runoff_of": vote.runoff_of_id, "runoffs": runoffs,
    }


# --- meetings: the detail ---------------------------------------------------------------------------------
def meeting_actions(m: Meeting, user, *, can_manage: bool, can_chair: bool, mine: Participant | None,
                    open_votes: bool, unpublished_docs: bool) -> list[str]:
    out = [t.action for t in MEETING_FLOW.actions_for(m, user) if not (t.action == "adjourn" and open_votes)]
    editable = m.status not in (M.ADJOURNED, M.CANCELLED)
    if can_manage and editable:
        out += ["participants", "items", "documents"]
        if m.status != M.IN_SESSION:
            out.append("remove-participant")
    if can_manage and unpublished_docs:
        out.append("publish-documents")
    if can_manage and m.status != M.CANCELLED:
        out.append("minutes")
    if m.status in LIVE:
        if can_chair and _today(m):
            out.append("staff-check-in")
        if mine is not None and mine.checked_in_at is None:
            out.append("reply")
            if _today(m):
                out.append("check-in")
    return out


def meeting_detail(m: Meeting, *, user) -> dict:
    can_manage = user.has_perm("meetings.manage", m)
    can_chair = can_manage or user.has_perm("meetings.chair", m)
    seats = list(selectors.participants(m))
    person_id = getattr(user, "person_id", None)
    mine = next((s for s in seats if s.person_id == person_id), None) if person_id else None
    items = selectors.agenda(m)
    votes = [v for i in items for v in i.votes.all()]
    prefetch_related_objects(votes, "options")
    vote_ids = [v.pk for v in votes]
    rolls = _my_rolls(user, vote_ids)
    with_runoff = _runoff_parents(vote_ids)
    in_session = m.status == M.IN_SESSION
    docs = list(m.documents.select_related("attachment").order_by("id"))
    if not can_manage:
        docs = [d for d in docs if d.published_at is not None]
    att = selectors.attendance(m)
    return {
        **meeting_summary(m),
        "quorum": _threshold(m.quorum), "notice_days": m.notice_days, "notice_note": m.notice_note,
        "notice_warning": services.notice_shortfall(m) if m.status == M.DRAFT and can_manage else "",
        "attendance": {"members": att.members, "present": att.present, "leave": att.leave,
                       "attending": att.attending, "pending": att.pending,
                       "attendees_present": att.attendees_present, "quorum_met": att.quorum_met,
                       "explanation": att.explanation},
        "my_seat": _seat(mine, show_reason=True) if mine else None,
        "participants": [_seat(s, show_reason=can_chair or s is mine) for s in seats],
        "items": [{"id": i.pk, "position": i.position, "title": i.title, "presenter": i.presenter,
                   "description": i.description, "decision": i.decision,
                   "votes": [vote_summary(v, can_run=can_chair, me=rolls.get(v.pk, NOT_ON_ROLL), in_session=in_session,
                                          has_runoff=v.pk in with_runoff) for v in i.votes.all()]}
                  for i in items],
        "documents": [{"id": d.pk, "title": d.title, "item_id": d.item_id, "published_at": d.published_at,
                       "file": {"id": d.attachment.pk, "name": d.attachment.original_name,
                                "mime_type": d.attachment.mime_type, "size": d.attachment.size,
                                "url": reverse("core:attachment", args=[d.attachment.pk])}} for d in docs],
        "minutes": m.minutes,
        "checkin_token": m.checkin_token if can_chair else None,
        "timeline": [{"at": t.event.created_at, "actor": str(t.event.actor) if t.event.actor_id else "",
                      "action": t.event.action, "action_label": t.action_label, "from_state": t.event.from_state,
                      "from_label": t.from_label, "to_state": t.event.to_state, "to_label": t.to_label,
                      "note": t.event.note} for t in MEETING_FLOW.timeline(m)],
        "actions": meeting_actions(m, user, can_manage=can_manage, can_chair=can_chair, mine=mine,
                                   open_votes=any(v.status == V.OPEN for v in votes),
                                   unpublished_docs=any(d.published_at is None for d in docs)),
    }


def _detail(user, meeting_id: int) -> dict:
    return meeting_detail(_visible(user, meeting_id), user=user)


# --- meetings: reads --------------------------------------------------------------------------------------
@router.get(
    "/meetings",
    response={200: MeetingPage, **LIST_ERRORS},
    operation_id="meeting_list",
    summary="会议列表",
    url_name="meeting_list",
)
def meeting_list(request, query: Query[MeetingQuery]):
    """The meetings the caller may see, latest start first: the office (staff, directors, town staff) its
    congress's; anybody else the meetings they take part in. Keyset pages: pass `next_cursor` back as
    `cursor` (empty on the last page); `count` stops at 10,000. A role that sits in no meeting and is not
    the office (no person, e.g. a unit's account) gets 403."""
    user = request.auth
    if not (_is_office(user) or getattr(user, "person_id", None)):
        raise PermissionDenied
    qs = selectors.meetings_for_user(user)
    if query.status:
        qs = qs.filter(status=value(query.status))
    if query.kind:
        qs = qs.filter(kind=value(query.kind))
    qs = qs.order_by("-starts_at", "-id")
    c = Cursor.decode(query.cursor) if query.cursor else None
    page_qs = qs.filter(c.older_q("starts_at")) if c is not None else qs
    rows = list(page_qs.select_related("congress", "chair", "group")[: query.limit + 1])
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    count = count_capped(qs, COUNT_CAP)
    return {"count": min(count, COUNT_CAP), "count_capped": count > COUNT_CAP, "limit": query.limit,
            "next_cursor": Cursor(rows[-1].starts_at, rows[-1].pk).encode() if more and rows else "",
            "items": [meeting_summary(m) for m in rows]}


@router.get(
    "/meetings/{meeting_id}",
    response={200: MeetingDetailOut, **errors_for(*AUTH_ERRORS, 404)},
    operation_id="meeting_get",
    summary="会议详情",
    url_name="meeting_get",
)
def meeting_get(request, meeting_id: int = MEETING_ID):
    """One meeting: its quorum rule and live attendance against it (with the explanation), the
    participants (leave reasons only for the organisers and the chair), the agenda with each item's
    votes (status; the result once published), the documents (members: published ones), the minutes,
    the timeline, `version`, and the actions the caller may take now. The check-in token (the QR
    code's content) only for the organisers and the chair."""
    return _detail(request.auth, meeting_id)


# --- meetings: preparation ----------------------------------------------------------------------------------
@router.post(
    "/meetings",
    response={200: MeetingDetailOut, **LIST_ERRORS},
    operation_id="meeting_schedule",
    summary="安排会议",
    url_name="meeting_schedule",
)
def meeting_schedule(request, payload: MeetingScheduleIn):
    """A meeting of the caller's congress in preparation (staff, directors, town staff; others 403), with
    the kind's members as participants (a joint or zone meeting: the group's deputies, `group_id`
    required). Notice period and quorum default to the kind's rule."""
    user = request.auth
    a = _assignment(user)
    if a is None:
        raise PermissionDenied
    with _service():
        m = services.schedule(actor=user, congress=a.congress, kind=value(payload.kind), title=payload.title,
                              starts_at=payload.starts_at, ends_at=payload.ends_at, location=payload.location,
                              chair_id=payload.chair_id, group_id=payload.group_id, notice_days=payload.notice_days,
                              quorum=payload.quorum.dict() if payload.quorum else None)
    return _detail(user, m.pk)


def _action(path: str, name: str, summary: str):
    """Declare one POST action on a meeting (same error responses for all)."""
    return router.post(f"/meetings/{{meeting_id}}/{path}", response={200: MeetingDetailOut, **ACTION_ERRORS},
                       operation_id=f"meeting_{name}", summary=summary, url_name=f"meeting_{name}")


@_action("participants", "participant_set", "添加参会人员或更改身份")
def meeting_participant_set(request, payload: ParticipantIn, meeting_id: int = MEETING_ID):
    """Add a person, or change their role: `member` 组成人员 (votes, counts for the quorum), `attendee` 列席
    or `observer` 旁听 (never vote). Not after the meeting ended or was cancelled (409)."""
    user = request.auth
    _visible(user, meeting_id)
    with _service():
        services.set_participant(actor=user, meeting_id=meeting_id, person_id=payload.person_id,
                                 role=value(payload.role), title=payload.title)
    return _detail(user, meeting_id)


@_action("remove-participant", "participant_remove", "移除参会人员")
def meeting_participant_remove(request, payload: PersonIn, meeting_id: int = MEETING_ID):
    """Not while the meeting is in session (409)."""
    user = request.auth
    _visible(user, meeting_id)
    with _service():
        services.remove_participant(actor=user, meeting_id=meeting_id, person_id=payload.person_id)
    return _detail(user, meeting_id)


@_action("items", "item_add", "添加议题")
def meeting_item_add(request, payload: AgendaItemIn, meeting_id: int = MEETING_ID):
    """A new agenda item at the end of the agenda."""
    user = request.auth
    _visible(user, meeting_id)
    with _service():
        services.add_item(actor=user, meeting_id=meeting_id, title=payload.title, presenter=payload.presenter,
                          description=payload.description)
    return _detail(user, meeting_id)


@router.post(
    "/meetings/{meeting_id}/documents",
    response={200: MeetingDetailOut, **ACTION_ERRORS},
    operation_id="meeting_document_add",
    summary="上传会议材料",
    url_name="meeting_document_add",
)
def meeting_document_add(request, file: File[UploadedFile], payload: Form[DocumentFormIn],
                         meeting_id: int = MEETING_ID):
    """multipart/form-data: `file` (PDF, Word, Excel or a picture; its bytes are checked), `title`, and
    optionally the agenda item `item_id`. Members see it once published (…/publish-documents)."""
    user = request.auth
    _visible(user, meeting_id)
    with _service(), files_as("file"):
        services.add_document(actor=user, meeting_id=meeting_id, title=payload.title, upload=file,
                              item_id=payload.item_id)
    return _detail(user, meeting_id)


@_action("publish-documents", "documents_publish", "发布会议材料")
def meeting_documents_publish(request, meeting_id: int = MEETING_ID):
    """Publish every unpublished document to the participants (they are told once)."""
    user = request.auth
    _visible(user, meeting_id)
    services.publish_documents(actor=user, meeting_id=meeting_id)
    return _detail(user, meeting_id)


@_action("notify", "notify", "发出会议通知")
def meeting_notify(request, payload: MeetingNotifyIn, meeting_id: int = MEETING_ID):
    """Send the notice to the participants. With less notice than the rule (e.g. 10 days for a
    standing-committee session) `short_notice_reason` is required (422 `short_notice` names the
    shortfall) and recorded."""
    user = request.auth
    m = _visible(user, meeting_id)
    if not MEETING_FLOW.permits("notify", user, m):
        raise PermissionDenied
    with _service():
        services.notify(actor=user, meeting_id=meeting_id, short_notice_reason=payload.short_notice_reason,
                        expected_version=payload.expected_version)
    return _detail(user, meeting_id)


@_action("cancel", "cancel", "取消会议")
def meeting_cancel(request, payload: MeetingCancelIn, meeting_id: int = MEETING_ID):
    """Cancel a meeting in preparation or notified, with the reason the participants are told."""
    user = request.auth
    m = _visible(user, meeting_id)
    if not MEETING_FLOW.permits("cancel", user, m):
        raise PermissionDenied
    with _service():
        services.cancel(actor=user, meeting_id=meeting_id, note=payload.note)
    return _detail(user, meeting_id)


# --- meetings: the participants' own steps ----------------------------------------------------------------
@_action("reply", "reply", "确认出席或请假")
def meeting_reply(request, payload: ReplyIn, meeting_id: int = MEETING_ID):
    """A participant's own answer to the notice: attend, or ask for leave (请假) with a reason. Personal:
    nobody answers for anybody else (403 for those not taking part). 409 before the notice, after the
    meeting, or once checked in (`checked_in`)."""
    user = request.auth
    _visible(user, meeting_id)
    with _service():
        services.reply(user=user, meeting_id=meeting_id, attending=payload.attending, reason=payload.reason)
    return _detail(user, meeting_id)


@_action("check-in", "check_in", "扫码签到")
def meeting_check_in(request, payload: CheckInIn, meeting_id: int = MEETING_ID):
    """A participant checks in on their own phone with the token of the hall's QR code, on the day of the
    meeting (422 `not_today`, `bad_token`). Checking in twice changes nothing."""
    user = request.auth
    _visible(user, meeting_id)
    with _service():
        services.self_check_in(user=user, meeting_id=meeting_id, token=payload.token)
    return _detail(user, meeting_id)


# --- meetings: on the day ----------------------------------------------------------------------------------
@_action("staff-check-in", "staff_check_in", "工作人员代签到")
def meeting_staff_check_in(request, payload: PersonIn, meeting_id: int = MEETING_ID):
    """The organisers or the chair check a participant in (on the day)."""
    user = request.auth
    _visible(user, meeting_id)
    with _service():
        services.staff_check_in(actor=user, meeting_id=meeting_id, person_id=payload.person_id)
    return _detail(user, meeting_id)


@_action("convene", "convene", "宣布开会")
def meeting_convene(request, payload: MeetingVersionIn, meeting_id: int = MEETING_ID):
    """The chair (or the organisers) open the notified meeting; votes can then be opened."""
    user = request.auth
    m = _visible(user, meeting_id)
    if not MEETING_FLOW.permits("convene", user, m):
        raise PermissionDenied
    services.convene(actor=user, meeting_id=meeting_id, expected_version=payload.expected_version)
    return _detail(user, meeting_id)


@_action("adjourn", "adjourn", "宣布闭会")
def meeting_adjourn(request, payload: MeetingVersionIn, meeting_id: int = MEETING_ID):
    """Close the meeting; refused (422 `vote_open`) while a vote is open."""
    user = request.auth
    m = _visible(user, meeting_id)
    if not MEETING_FLOW.permits("adjourn", user, m):
        raise PermissionDenied
    services.adjourn(actor=user, meeting_id=meeting_id, expected_version=payload.expected_version)
    return _detail(user, meeting_id)


@_action("minutes", "minutes", "会议纪要和会议决定")
def meeting_minutes(request, payload: MinutesIn, meeting_id: int = MEETING_ID):
    """Replace the minutes, and set the decision (会议决定) of the agenda items listed in `decisions`."""
    user = request.auth
    _visible(user, meeting_id)
    decisions = {d.item_id: d.text for d in payload.decisions}
    with _service():
        services.set_minutes(actor=user, meeting_id=meeting_id, minutes=payload.minutes, decisions=decisions)
    return _detail(user, meeting_id)


# --- agenda items ---------------------------------------------------------------------------------------
def _item_action(path: str, name: str, summary: str, response=MeetingDetailOut):
    return router.post(f"/meeting-items/{{item_id}}/{path}", response={200: response, **ACTION_ERRORS},
                       operation_id=f"meeting_item_{name}", summary=summary, url_name=f"meeting_item_{name}")


@_item_action("move", "move", "调整议题顺序")
def meeting_item_move(request, payload: AgendaMoveIn, item_id: int = ITEM_ID):
    """Swap the item with its neighbour above (`up`) or below (`down`); at either end nothing changes.
    The answer is the meeting."""
    user = request.auth
    item = _visible_item(user, item_id)
    services.move_item(actor=user, item_id=item_id, up=payload.direction == "up")
    return _detail(user, item.meeting_id)


@_item_action("remove", "remove", "删除议题")
def meeting_item_remove(request, item_id: int = ITEM_ID):
    """Remove an item with its draft votes; an item that has been voted on stays (409)."""
    user = request.auth
    item = _visible_item(user, item_id)
    services.remove_item(actor=user, item_id=item_id)
    return _detail(user, item.meeting_id)


@_item_action("votes", "vote_add", "为议题设置表决", response=VoteDetailOut)
def meeting_item_vote_add(request, payload: VoteAddIn, item_id: int = ITEM_ID):
    """A vote on the item, in draft, with the meeting's quorum and its members as the base: `motion`
    (yes/no/abstain on the item), `appointment` (one option per person, each decided on its own),
    `choice` (choose at most `max_choices` of the options for `places`, ties by `tie_rule`), `score`
    (`score_config`: weighted dimensions, trimmed mean, grades) or `satisfaction`; `secret` or named,
    `electronic` or `paper`. `rule`: the share needed to pass (motions and appointments default to more
    than half of all members). The answer is the new vote."""
    user = request.auth
    _visible_item(user, item_id)
    config = {"kind": value(payload.kind), "method": value(payload.method), "secret": payload.secret,
              "options": [o.dict() for o in payload.options], "rule": payload.rule.dict() if payload.rule else None,
              "max_choices": payload.max_choices, "places": payload.places, "tie_rule": value(payload.tie_rule),
              "score_config": payload.score_config.dict() if payload.score_config else None}
    if payload.title.strip():
        config["title"] = payload.title
    with _service():
        vote = services.add_vote(actor=user, item_id=item_id, **config)
    return vote_detail(user, vote.pk)


# --- votes ------------------------------------------------------------------------------------------------------
@router.get(
    "/votes/{vote_id}",
    response={200: VoteDetailOut, **errors_for(*AUTH_ERRORS, 404)},
    operation_id="vote_get",
    summary="表决详情",
    url_name="vote_get",
)
def vote_get(request, vote_id: int = VOTE_ID):
    """One vote: its options and rules, live `progress` (entitled, present, voted: counts only), the
    caller's own status (`me`), the result with its explanation once published (null before). Those
    who run it also get the roll (who is present and has voted, never what) and a pending tie."""
    return vote_detail(request.auth, vote_id)


@router.get(
    "/my-votes",
    response={200: list[MyVoteOut], **LIST_ERRORS},
    operation_id="my_vote_list",
    summary="我的待投票表决",
    url_name="my_vote_list",
)
def my_vote_list(request):
    """Open electronic votes with the caller on the roll who has not voted yet (check in first: `me.present`),
    with their options, to cast with …/cast. Accounts without a person (e.g. a unit's) get 403."""
    user = request.auth
    if getattr(user, "person_id", None) is None:
        raise PermissionDenied
    votes = list(ballot_selectors.open_votes_for_voter(user).prefetch_related("options"))
    items = {}
    for link in AgendaItem.votes.through.objects.filter(vote__in=votes).select_related("agendaitem__meeting") \
            .order_by("id"):
        items.setdefault(link.vote_id, link.agendaitem)
    rolls = _my_rolls(user, [v.pk for v in votes])
    out = []
    for v in votes:
        item = items.get(v.pk)
        me = rolls.get(v.pk, NOT_ON_ROLL)
        out.append({**vote_summary(v, can_run=False, me=me, in_session=True, has_runoff=False),
                    "meeting": ref(item.meeting, item.meeting.title) if item else None,
                    "item": ref(item, item.title) if item else None})
    return out


def _vote_action(path: str, name: str, summary: str):
    return router.post(f"/votes/{{vote_id}}/{path}", response={200: VoteDetailOut, **ACTION_ERRORS},
                       operation_id=f"vote_{name}", summary=summary, url_name=f"vote_{name}")


@_vote_action("open", "open", "开始表决")
def vote_open(request, vote_id: int = VOTE_ID):
    """The chair opens a vote of the meeting in session: its members are the electorate, those checked
    in are present; the quorum is checked (422 `no_quorum`)."""
    user = request.auth
    _visible_vote(user, vote_id)
    with _service():
        services.open_vote(actor=user, vote_id=vote_id)
    return vote_detail(user, vote_id)


@_vote_action("close", "close", "结束表决")
def vote_close(request, vote_id: int = VOTE_ID):
    """Nobody can vote any more; the result is computed and stored, hidden until published. A paper
    vote needs its counts first (422 `counts_missing`)."""
    user = request.auth
    _visible_vote(user, vote_id)
    services.close_vote(actor=user, vote_id=vote_id)
    return vote_detail(user, vote_id)


@_vote_action("publish", "publish", "公布表决结果")
def vote_publish(request, vote_id: int = VOTE_ID):
    """The result becomes visible to everybody who sees the vote (and in the Popolo export). A tie the
    chair must decide comes first (422 `tie_undecided`)."""
    user = request.auth
    _visible_vote(user, vote_id)
    services.publish_vote(actor=user, vote_id=vote_id)
    return vote_detail(user, vote_id)


@_vote_action("cancel", "cancel", "取消表决")
def vote_cancel(request, payload: VoteCancelIn, vote_id: int = VOTE_ID):
    """Cancel a vote in draft or open (a fault in the hall): its papers are discarded with it."""
    user = request.auth
    vote, _item = _visible_vote(user, vote_id)
    if not user.has_perm("ballots.manage", vote):
        raise PermissionDenied
    with _service():
        ballots.cancel(actor=user, vote_id=vote_id, note=payload.note)
    return vote_detail(user, vote_id)


@_vote_action("cast", "cast", "投票")
def vote_cast(request, payload: CastIn, vote_id: int = VOTE_ID):
    """The caller's own ballot, once, while the vote is open and the caller is on its roll and checked in.
    A second attempt is `409 already_voted`; not present `422 not_present`; not on the roll 403; a paper
    vote `422 paper_vote`. `marks`: see the schema; a paper that is incomplete or malformed is a 422
    (`marks`). The answer never shows the ballot."""
    user = request.auth
    _visible_vote(user, vote_id)
    with _service():
        ballots.cast(user=user, vote_id=vote_id, marks=payload.marks)
    return vote_detail(user, vote_id)


@_vote_action("paper-counts", "paper_counts", "录入纸质票计票结果")
def vote_paper_counts(request, payload: PaperCountsIn, vote_id: int = VOTE_ID):
    """The tellers' totals of an open paper vote (not score papers): checked for consistency (returned ≤
    issued ≤ entitled; each option's counts ≤ the valid papers: 422 `inconsistent`) before anything is
    stored. Entering again replaces them."""
    user = request.auth
    _visible_vote(user, vote_id)
    with _service():
        ballots.enter_paper_counts(actor=user, vote_id=vote_id, issued=payload.issued, returned=payload.returned,
                                   invalid=payload.invalid, options=payload.options)
    return vote_detail(user, vote_id)


@_vote_action("paper-ballots", "paper_ballot", "逐张录入纸质测评票")
def vote_paper_ballot(request, payload: PaperBallotIn, vote_id: int = VOTE_ID):
    """One counted score paper of an open paper evaluation (anonymous like every paper); `issued` with
    the first. A paper that breaks a guard (all full marks, the same score for all) is kept as invalid."""
    user = request.auth
    _visible_vote(user, vote_id)
    with _service():
        ballots.enter_paper_ballot(actor=user, vote_id=vote_id, marks=payload.marks, issued=payload.issued)
    return vote_detail(user, vote_id)


@_vote_action("decide-tie", "decide_tie", "主持人决定末位并列")
def vote_decide_tie(request, payload: DecideTieIn, vote_id: int = VOTE_ID):
    """For a closed 票决 whose tie rule is the chair's decision: choose `open_places` of the tied options
    (`pending_tie`), with the reason recorded in the result."""
    user = request.auth
    _visible_vote(user, vote_id)
    with _service():
        ballots.decide_tie(actor=user, vote_id=vote_id, chosen=payload.chosen, note=payload.note)
    return vote_detail(user, vote_id)


@_vote_action("runoff", "runoff", "对并列者再次投票")
def vote_runoff(request, vote_id: int = VOTE_ID):
    """For a closed or published 票决 whose tie rule is a runoff: a new vote among the tied options for
    the places left, on the same agenda item. The answer is the new vote (open it with …/open)."""
    user = request.auth
    _visible_vote(user, vote_id)
    # The runoff joins the agenda item of the vote it settles (renda/meetings/hooks.py).
    runoff = ballots.start_runoff(actor=user, vote_id=vote_id)
    return vote_detail(user, runoff.pk)


# --- the public: Popolo ------------------------------------------------------------------------------------------
public_router = Router(tags=["meetings-public"])


@public_router.get(
    "/popolo/{congress_id}",
    auth=None,
    response={200: PopoloExport, **errors_for(404, 422)},
    exclude_none=True,
    operation_id="public_popolo",
    summary="Popolo 数据导出：人员、机构、会议与表决（公开）",
    url_name="public_popolo",
)
def popolo(request, congress_id: int = Path(..., gt=0, le=MAX_ID)):
    """One congress as a Popolo JSON document (http://www.popoloproject.com/specs/): `persons` (public
    profile only), `organizations` (the congress, its standing committee or presidium, its delegation
    groups), `memberships`, `posts`, `events` (announced meetings, agenda items as `children`),
    `motions` and `vote_events` of published votes only. A secret vote has counts only, never voters;
    a named vote lists each voter's option in `votes`. Non-Popolo fields are under `extra`."""
    return popolo_export(congress_id=congress_id)
