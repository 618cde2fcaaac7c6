"""The meeting pages: the list, scheduling, the meeting page of every role (agenda, documents,
participants, attendance, votes, minutes), self check-in by QR code, and the chair's screen.

Views parse input, call one service, render. A form error shows the page again with the error under
the field (status 200); a conflict (somebody acted first) redirects back with a message. A meeting
outside the user's scope is 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from renda.accounts.permissions import _assignment
from renda.ballots import selectors as ballot_selectors
from renda.ballots.models import Vote
from renda.core.validation import add_errors
from renda.core.workflow import WorkflowError

from . import forms as f
from . import selectors, services
from .models import Meeting, Participant
from .workflow import MEETING_FLOW

ERR_FORM = gettext_lazy("请按提示修改后再提交。")
PAGE_SIZE = 20


def _office_congress(user):
    a = _assignment(user)
    if a is None or not user.has_perm("meetings.manage", a.congress):
        raise PermissionDenied
    return a.congress


def _meeting(request, pk: int) -> Meeting:
    return selectors.meeting_for_user(request.user, pk)


def _back(meeting: Meeting, anchor: str = "") -> str:
    return reverse("meetings:detail", args=[meeting.pk]) + (f"#{anchor}" if anchor else "")


# --- lists and scheduling ----------------------------------------------------------------------------------------


def _filtered(request):
    qs = selectors.meetings_for_user(request.user).select_related("congress", "chair").order_by("-starts_at", "-id")
    kind = request.GET.get("kind", "")
    if kind in Meeting.Kind.values:
        qs = qs.filter(kind=kind)
    status = request.GET.get("status", "")
    if status in Meeting.Status.values:
        qs = qs.filter(status=status)
    q = (request.GET.get("q") or "").strip()[:50]
    if q:
        qs = qs.filter(title__icontains=q)
    return qs, kind, status, q


@login_required
def meeting_list(request):
    """The office: its congress's meetings. Everybody else: the meetings they take part in."""
    user = request.user
    a = _assignment(user)
    manage = a is not None and user.has_perm("meetings.manage", a.congress)
    if not manage and getattr(user, "person_id", None) is None:
        raise PermissionDenied
    qs, kind, status, q = _filtered(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    seats = selectors.own_seats(user, [m.pk for m in page.object_list])
    return render(request, "meetings/list.html", {
        "page": page, "manage": manage, "seats": seats, "kinds": Meeting.Kind.choices,
        "statuses": Meeting.Status.choices, "kind": kind, "status": status, "q": q,
        "open_votes": list(ballot_selectors.open_votes_for_voter(user)[:20]),
    })


@login_required
def schedule(request):
    congress = _office_congress(request.user)
    form = f.ScheduleForm(request.POST or None, chairs=selectors.chair_choices(congress),
                          groups=selectors.group_choices(congress))
    if request.method == "POST":
        if form.is_valid():
            c = form.cleaned_data
            try:
                m = services.schedule(actor=request.user, congress=congress, kind=c["kind"], title=c["title"],
                                      starts_at=c["starts_at"], ends_at=c["ends_at"], location=c["location"],
                                      chair_id=c["chair"], group_id=c["group"], notice_days=c["notice_days"],
                                      quorum=form.quorum_rule())
            except ValidationError as e:
                add_errors(form, e)
            else:
                messages.success(request, _("已安排会议，参会人员已按会议类型列入。"))
                return redirect("meetings:detail", m.pk)
        messages.error(request, str(ERR_FORM))
    return render(request, "meetings/schedule.html", {"form": form})


# --- the meeting page --------------------------------------------------------------------------------------------


def _item_choices(items) -> list[tuple[int, str]]:
    """The agenda items as a select's choices, numbered as on the agenda."""
    return [(i.pk, f"{i.position}. {i.title}") for i in items]


def _detail_context(request, meeting: Meeting, bound: dict | None = None) -> dict:
    user = request.user
    manage = user.has_perm("meetings.manage", meeting)
    chair = user.has_perm("meetings.chair", meeting)
    seat = selectors.own_seat(user, meeting)
    items = selectors.agenda(meeting, runoffs=True)
    votes = [v for item in items for v in item.votes.all()]
    my_rolls = ballot_selectors.rolls_of(user, [v.pk for v in votes])
    for item in items:
        item.vote_rows = [{"vote": v, "result": ballot_selectors.visible_result(v), "roll": my_rolls.get(v.pk),
                           "tie": chair and ballot_selectors.tie_pending(v)} for v in item.votes.all()]
        item.visible_documents = [d for d in item.documents.all() if manage or d.published_at]
    documents = selectors.documents(meeting, drafts=manage)
    bound = bound or {}
    ctx = {
        "m": meeting, "manage": manage, "chair": chair, "seat": seat, "items": items, "documents": documents,
        "attendance": selectors.attendance(meeting),
        "actions": MEETING_FLOW.actions_for(meeting, user),
        "shortfall": services.notice_shortfall(meeting) if meeting.status == Meeting.Status.DRAFT else "",
        "timeline": MEETING_FLOW.timeline(meeting) if manage else [],
        "today": timezone.localdate(meeting.starts_at) == timezone.localdate(),
        "reply_form": bound.get("reply") or f.ReplyForm(initial={
            "attending": "0" if seat is not None and seat.reply == Participant.Reply.LEAVE else "1",
            "reason": seat.leave_reason if seat is not None else ""}),
        "notify_form": bound.get("notify") or f.NotifyForm(),
        "cancel_form": bound.get("cancel") or f.NoteForm(),
    }
    if manage:
        item_choices = _item_choices(items)
        ctx.update({
            "participants": list(selectors.participants(meeting)),
            "item_form": bound.get("item") or f.ItemForm(),
            "participant_form": bound.get("participant") or f.ParticipantForm(
                people=selectors.people_choices(meeting.congress_id)),
            "document_form": bound.get("document") or f.DocumentForm(items=item_choices),
            "vote_form": bound.get("vote") or f.VoteForm(items=item_choices),
            "unpublished": sum(1 for d in documents if not d.published_at),
        })
    return ctx


@login_required
@require_GET
def detail(request, pk: int):
    meeting = _meeting(request, pk)
    return render(request, "meetings/detail.html", _detail_context(request, meeting))


def _again(request, meeting, name, form):
    messages.error(request, str(ERR_FORM))
    return render(request, "meetings/detail.html", _detail_context(request, meeting, {name: form}))


def _run(request, meeting, name, form, call, ok, anchor=""):
    """Validate, call the service, then redirect with `ok`, or show the page again with the errors."""
    if form is not None and not form.is_valid():
        return _again(request, meeting, name, form)
    try:
        call(form.cleaned_data if form is not None else None)
    except WorkflowError as e:
        messages.error(request, str(e.message))
        return redirect(_back(meeting, anchor))
    except ValidationError as e:
        if form is None:
            messages.error(request, " ".join(e.messages))
            return redirect(_back(meeting, anchor))
        add_errors(form, e)
        return _again(request, meeting, name, form)
    messages.success(request, str(ok))
    return redirect(_back(meeting, anchor))


def _manage_only(request, meeting, perm="meetings.manage"):
    if not request.user.has_perm(perm, meeting):
        raise PermissionDenied


@login_required
@require_POST
def reply(request, pk: int):
    meeting = _meeting(request, pk)
    if selectors.own_seat(request.user, meeting) is None:
        raise PermissionDenied
    form = f.ReplyForm(request.POST)
    return _run(request, meeting, "reply", form, lambda c: services.reply(
        user=request.user, meeting_id=meeting.pk, attending=c["attending"], reason=c["reason"]),
        _("已回复。"), "reply")


@login_required
@require_POST
def notify(request, pk: int):
    meeting = _meeting(request, pk)
    _manage_only(request, meeting)
    form = f.NotifyForm(request.POST)
    return _run(request, meeting, "notify", form, lambda c: services.notify(
        actor=request.user, meeting_id=meeting.pk, short_notice_reason=c["short_notice_reason"]),
        _("会议通知已发出。"))


@login_required
@require_POST
def step(request, pk: int, action: str):
    meeting = _meeting(request, pk)
    if action not in ("convene", "adjourn"):
        raise Http404
    _manage_only(request, meeting, "meetings.chair")
    call = services.convene if action == "convene" else services.adjourn
    ok = _("已宣布开会。") if action == "convene" else _("已宣布闭会。")
    return _run(request, meeting, action, None, lambda c: call(actor=request.user, meeting_id=meeting.pk), ok)


@login_required
@require_POST
def cancel(request, pk: int):
    meeting = _meeting(request, pk)
    _manage_only(request, meeting)
    form = f.NoteForm(request.POST)
    return _run(request, meeting, "cancel", form, lambda c: services.cancel(
        actor=request.user, meeting_id=meeting.pk, note=c["note"]), _("会议已取消，已通知参会人员。"))


@login_required
@require_POST
def item_add(request, pk: int):
    meeting = _meeting(request, pk)
    _manage_only(request, meeting)
    form = f.ItemForm(request.POST)
    return _run(request, meeting, "item", form, lambda c: services.add_item(
        actor=request.user, meeting_id=meeting.pk, **c), _("已添加议题。"), "agenda")


@login_required
@require_POST
def item_move(request, pk: int, item_id: int, direction: str):
    meeting = _meeting(request, pk)
    _manage_only(request, meeting)
    if direction not in ("up", "down"):
        raise Http404
    item = selectors.item_of(meeting, item_id)
    return _run(request, meeting, "move", None, lambda c: services.move_item(
        actor=request.user, item_id=item.pk, up=direction == "up"), _("已调整议程顺序。"), "agenda")


@login_required
@require_POST
def item_remove(request, pk: int, item_id: int):
    meeting = _meeting(request, pk)
    _manage_only(request, meeting)
    item = selectors.item_of(meeting, item_id)
    return _run(request, meeting, "remove", None, lambda c: services.remove_item(actor=request.user, item_id=item.pk),
                _("已删除议题。"), "agenda")


@login_required
@require_POST
def participant_set(request, pk: int):
    meeting = _meeting(request, pk)
    _manage_only(request, meeting)
    form = f.ParticipantForm(request.POST, people=selectors.people_choices(meeting.congress_id))
    return _run(request, meeting, "participant", form, lambda c: services.set_participant(
        actor=request.user, meeting_id=meeting.pk, person_id=c["person"], role=c["role"], title=c["title"]),
        _("已更新参会人员。"), "participants")


@login_required
@require_POST
def participant_remove(request, pk: int, person_id: int):
    meeting = _meeting(request, pk)
    _manage_only(request, meeting)
    return _run(request, meeting, "remove", None, lambda c: services.remove_participant(
        actor=request.user, meeting_id=meeting.pk, person_id=person_id), _("已移除。"), "participants")


@login_required
@require_POST
def staff_check_in(request, pk: int, person_id: int):
    meeting = _meeting(request, pk)
    _manage_only(request, meeting, "meetings.chair")
    return _run(request, meeting, "checkin", None, lambda c: services.staff_check_in(
        actor=request.user, meeting_id=meeting.pk, person_id=person_id), _("已代为签到。"), "participants")


@login_required
@require_POST
def document_add(request, pk: int):
    meeting = _meeting(request, pk)
    _manage_only(request, meeting)
    items = _item_choices(selectors.items(meeting))
    form = f.DocumentForm(request.POST, request.FILES, items=items)
    return _run(request, meeting, "document", form, lambda c: services.add_document(
        actor=request.user, meeting_id=meeting.pk, title=c["title"], upload=c["file"], item_id=c["item"]),
        _("已上传会议材料（尚未发布）。"), "documents")


@login_required
@require_POST
def documents_publish(request, pk: int):
    meeting = _meeting(request, pk)
    _manage_only(request, meeting)
    return _run(request, meeting, "publish", None, lambda c: services.publish_documents(
        actor=request.user, meeting_id=meeting.pk), _("会议材料已发布给参会人员。"), "documents")


@login_required
@require_POST
def vote_add(request, pk: int):
    meeting = _meeting(request, pk)
    _manage_only(request, meeting)
    items = _item_choices(selectors.items(meeting))
    form = f.VoteForm(request.POST, items=items)
    return _run(request, meeting, "vote", form, lambda c: services.add_vote(
        actor=request.user, item_id=c["item"], **form.vote_config()), _("已添加表决事项。"), "agenda")


@login_required
@require_POST
def vote_step(request, pk: int, vote_id: int, action: str):
    meeting = _meeting(request, pk)
    calls = {"open": (services.open_vote, _("表决已开始。")),
             "close": (services.close_vote, _("表决已结束，结果待公布。")),
             "publish": (services.publish_vote, _("表决结果已公布。"))}
    if action not in calls or not selectors.has_vote(meeting, vote_id):
        raise Http404
    _manage_only(request, meeting, "meetings.chair")
    call, ok = calls[action]
    response = _run(request, meeting, action, None, lambda c: call(actor=request.user, vote_id=vote_id), ok, "agenda")
    if request.POST.get("next") == "chair":
        return redirect("meetings:chair", meeting.pk)
    return response


@login_required
def minutes(request, pk: int):
    meeting = _meeting(request, pk)
    _manage_only(request, meeting)
    items = selectors.items(meeting)
    form = f.MinutesForm(request.POST or None, items=items, initial={"minutes": meeting.minutes})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.set_minutes(actor=request.user, meeting_id=meeting.pk, minutes=form.cleaned_data["minutes"],
                                     decisions=form.decisions())
            except WorkflowError as e:
                messages.error(request, str(e.message))
                return redirect(_back(meeting))
            except ValidationError as e:
                add_errors(form, e)
            else:
                messages.success(request, _("会议纪要已保存。"))
                return redirect(_back(meeting, "minutes"))
        messages.error(request, str(ERR_FORM))
    return render(request, "meetings/minutes.html", {"m": meeting, "form": form})


# --- check-in and the chair's screen -----------------------------------------------------------------------------


@login_required
def check_in(request, pk: int, token: str):
    """The QR code shown in the hall leads here: the participant confirms on their phone."""
    meeting = _meeting(request, pk)
    seat = selectors.own_seat(request.user, meeting)
    if seat is None:
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.self_check_in(user=request.user, meeting_id=meeting.pk, token=token)
        except WorkflowError as e:
            messages.error(request, str(e.message))
        else:
            messages.success(request, _("签到成功。"))
            return redirect(_back(meeting))
    return render(request, "meetings/check_in.html", {"m": meeting, "seat": seat, "token": token,
                                                      "valid": token == meeting.checkin_token})


def _chair_context(request, meeting):
    items = selectors.agenda(meeting, runoffs=True)
    live = ballot_selectors.progress_many(v.pk for item in items for v in item.votes.all()
                                          if v.status in (Vote.Status.OPEN, Vote.Status.CLOSED))
    rows = []
    for item in items:
        for v in item.votes.all():
            rows.append({"item": item, "vote": v, "progress": live.get(v.pk),
                         "result": ballot_selectors.visible_result(v), "tie": ballot_selectors.tie_pending(v)})
    return {"m": meeting, "items": items, "rows": rows, "attendance": selectors.attendance(meeting), "in_chair": True}


@login_required
@require_GET
def chair(request, pk: int):
    meeting = _meeting(request, pk)
    _manage_only(request, meeting, "meetings.chair")
    from renda.core.qr import qr_png_data_uri

    url = request.build_absolute_uri(reverse("meetings:checkin", args=[meeting.pk, meeting.checkin_token]))
    ctx = _chair_context(request, meeting)
    ctx.update({"qr": qr_png_data_uri(url), "checkin_url": url})
    return render(request, "meetings/chair.html", ctx)


@login_required
@require_GET
def chair_status(request, pk: int):
    """The live part of the chair's screen (attendance, votes), polled every few seconds."""
    meeting = _meeting(request, pk)
    _manage_only(request, meeting, "meetings.chair")
    return render(request, "meetings/_chair_status.html", _chair_context(request, meeting))


# --- Excel ------------------------------------------------------------------------------------------------------

EXPORT_MAX_ROWS = 5000


def _local(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


@login_required
@require_GET
def export(request):
    """The office's list of meetings, with the list's filters, as .xlsx."""
    from renda.core.exports import XlsxSheet, xlsx_build, xlsx_response

    _office_congress(request.user)
    qs, _kind, _status, _q = _filtered(request)
    rows = list(qs[:EXPORT_MAX_ROWS])
    sheet = XlsxSheet(
        title=_("会议"),
        headers=[_("会议名称"), _("会议类型"), _("状态"), _("开始时间"), _("地点"), _("主持人"), _("通知时间")],
        rows=[[m.title, m.get_kind_display(), m.get_status_display(), _local(m.starts_at), m.location,
               m.chair.name if m.chair else "", _local(m.notified_at)] for m in rows],
    )
    content, _counts = xlsx_build(sheets=[sheet])
    return xlsx_response(content=content, filename=f"会议_{timezone.localdate():%Y%m%d}.xlsx")


@login_required
@require_GET
def attendance_export(request, pk: int):
    """The attendance sheet (签到表) of one meeting: members, attendees and observers."""
    from renda.core.exports import XlsxSheet, xlsx_build, xlsx_response

    meeting = _meeting(request, pk)
    _manage_only(request, meeting)
    a = selectors.attendance(meeting)
    sheet = XlsxSheet(
        title=_("签到表"),
        headers=[_("姓名"), _("职务"), _("身份"), _("回复"), _("请假理由"), _("签到时间"), _("签到方式")],
        rows=[[p.person.name, p.title, p.get_role_display(), p.get_reply_display(), p.leave_reason,
               _local(p.checked_in_at), p.get_checked_in_by_display()] for p in selectors.participants(meeting)]
        + [[], [a.explanation]],
    )
    content, _counts = xlsx_build(sheets=[sheet])
    return xlsx_response(content=content, filename=f"签到表_{timezone.localtime(meeting.starts_at):%Y%m%d}.xlsx")
