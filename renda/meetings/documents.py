"""Minutes of a meeting (会议纪要) as a Word document and as a PDF, with the results of its votes.

`minutes_content` reads the meeting once into a `Minutes` value; `minutes_docx` and `minutes_pdf`
only lay that value out, so the two files cannot disagree. The Word file uses the GB/T 9704 house
style of renda/suggestions/documents.py (its helpers, imported, not copied: they set `w:eastAsia` on
every style and run). The PDF is an HTML template rendered by WeasyPrint with Debian's Noto CJK
fonts; its fetcher allows only `data:` URLs, so rendering never reaches the network or the disk.

A vote's figures appear only once its result is published (`ballots.selectors.visible_result`);
any other vote is listed as 结果未公布 with its status and nothing else.

Who may download (`minutes_check`): those who manage the meeting (`meetings.manage`: the office,
directors, a town's staff for its own meetings) at any time, the draft included; its participants
(members, attendees, observers) once it is adjourned. Outside the user's scope the meeting is 404
(`selectors.meeting_for_user`, called by the view before this check).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.ballots.models import Vote
from renda.ballots.selectors import visible_result
from renda.core import docx as D
from renda.core.docx import (  # noqa: F401  (DOCX_MIME re-exported for the views)
    BODY_FONT,
    DOCX_MIME,
    HEADING_FONT,
    STYLE_BODY,
    STYLE_PLAIN,
)

from . import selectors
from .models import Meeting, Participant

PDF_MIME = "application/pdf"
KAI_FONT = "楷体_GB2312"  # GB/T 9704: second-level headings (（一）…) in 楷体
DASH = "—"
NAME_SEPARATOR = "、"


# --- what the minutes say ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class VoteBlock:
    title: str
    method: str  # 议案表决，记名，电子表决
    published: bool
    explanation: str  # the engine's explanation when published; 结果未公布（…） otherwise
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class ItemBlock:
    number: str  # （一）
    title: str
    presenter: str
    decision: str
    votes: tuple[VoteBlock, ...]


@dataclass(frozen=True)
class Minutes:
    title: str
    meeting_title: str
    congress: str
    kind: str
    status: str
    adjourned: bool
    when: str
    place: str
    chair: str
    members: int
    present: tuple[str, ...]
    leave: tuple[tuple[str, str], ...]  # (name, reason)
    absent: tuple[str, ...]
    attendees: tuple[str, ...]  # 列席, checked in
    attendees_absent: tuple[str, ...]
    observers: int  # 旁听: counted, not named (they may be members of the public)
    quorum: str
    items: tuple[ItemBlock, ...]
    text: tuple[str, ...]  # the minutes' paragraphs
    generated: str  # when this file was made (shown on a draft)
    signed: str  # the date under the signature

    @property
    def attendance_line(self) -> str:
        return _("应出席组成人员 %(n)s 人，出席 %(p)s 人，请假 %(l)s 人，缺席 %(a)s 人。") % {
            "n": self.members, "p": len(self.present), "l": len(self.leave), "a": len(self.absent)}

    @property
    def present_text(self) -> str:
        return NAME_SEPARATOR.join(self.present) or _("无")

    @property
    def absent_text(self) -> str:
        return NAME_SEPARATOR.join(self.absent) or _("无")

    @property
    def attendees_text(self) -> str:
        return NAME_SEPARATOR.join(self.attendees) or _("无")

    @property
    def attendees_absent_text(self) -> str:
        return NAME_SEPARATOR.join(self.attendees_absent)

    @property
    def observers_text(self) -> str:
        return _("%(n)s 人") % {"n": self.observers} if self.observers else ""

    @property
    def quorum_line(self) -> str:
        return _("法定人数：%(text)s。") % {"text": self.quorum}

    @property
    def leave_text(self) -> str:
        return "；".join(f"{name}（{reason}）" if reason else name for name, reason in self.leave) or _("无")


def _when(meeting: Meeting) -> str:
    start = timezone.localtime(meeting.starts_at)
    text = f"{D.date_text(start.date())} {start:%H:%M}"
    if meeting.ends_at:
        end = timezone.localtime(meeting.ends_at)
        text += f"—{end:%H:%M}" if end.date() == start.date() else f"—{D.date_text(end.date())} {end:%H:%M}"
    return text


def _method(vote: Vote) -> str:
    parts = [vote.get_kind_display(), _("无记名") if vote.secret else _("记名")]
    if vote.method == Vote.Method.PAPER:
        parts.append(vote.get_method_display())
    return "，".join(str(p) for p in parts)


def _choice_outcome(row: dict) -> str:
    if row["selected"]:
        return _("当选")
    if row["tied"]:
        return _("得票相同，待定")
    if row["below_threshold"]:
        return _("未达到当选票数")
    return _("未当选")


def result_table(result: dict) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """A published result as a table (headers, rows) for the kinds that have one: several
    appointments, a choice (票决), scores and satisfaction; a single motion is its explanation alone."""
    kind = result.get("kind")
    if kind in ("motion", "appointment") and len(result.get("options", [])) > 1:
        return ((_("表决对象"), _("赞成"), _("反对"), _("弃权"), _("结果")),
                tuple((o["label"], str(o["yes"]), str(o["no"]), str(o["abstain"]),
                       _("通过") if o["passed"] else _("未通过")) for o in result["options"]))
    if kind == "choice":
        return ((_("序号"), _("名称"), _("得票"), _("结果")),
                tuple((str(i), r["label"], str(r["votes"]), _choice_outcome(r))
                      for i, r in enumerate(result["ranking"], start=1)))
    if kind == "score":
        return ((_("测评对象"), _("得分"), _("等次"), _("计分票数")),
                tuple((o["label"], o["score"], o["grade"] or DASH, str(o["papers"])) for o in result["options"]))
    if kind == "satisfaction":
        return ((_("测评对象"), _("满意"), _("基本满意"), _("不满意"), _("无效"), _("满意率")),
                tuple((o["label"], str(o["satisfied"]), str(o["basic"]), str(o["unsatisfied"]), str(o["invalid"]),
                       o["rate"] + "%" if o["rate"] != DASH else DASH) for o in result["options"]))
    return (), ()


def vote_block(vote: Vote) -> VoteBlock:
    result = visible_result(vote)
    if result is None:
        status = _("已取消") if vote.status == Vote.Status.CANCELLED else vote.get_status_display()
        return VoteBlock(title=vote.title, method=_method(vote), published=False,
                         explanation=_("结果未公布（%(status)s）") % {"status": status})
    headers, rows = result_table(result)
    return VoteBlock(title=vote.title, method=_method(vote), published=True, explanation=result["explanation"],
                     headers=headers, rows=rows)


def minutes_content(meeting: Meeting) -> Minutes:
    """Everything the minutes print, in five queries (participants, attendance, items, votes, documents)
    for a meeting read by `selectors.meeting_for_user` (congress and chair joined)."""
    seats = list(selectors.participants(meeting))
    members = [s for s in seats if s.role == Participant.Role.MEMBER]
    attendees = [s for s in seats if s.role == Participant.Role.ATTENDEE]
    present = tuple(s.person.name for s in members if s.checked_in_at)
    leave = tuple((s.person.name, s.leave_reason) for s in members
                  if not s.checked_in_at and s.reply == Participant.Reply.LEAVE)
    absent = tuple(s.person.name for s in members if not s.checked_in_at and s.reply != Participant.Reply.LEAVE)
    items = []
    for i, item in enumerate(selectors.agenda(meeting)):
        votes = sorted(item.votes.all(), key=lambda v: v.pk)
        items.append(ItemBlock(number=f"（{D.numbered(i)}）", title=item.title, presenter=item.presenter,
                               decision=item.decision, votes=tuple(vote_block(v) for v in votes)))
    now = timezone.localtime()
    adjourned = meeting.status == Meeting.Status.ADJOURNED
    return Minutes(
        title=_("%(title)s纪要") % {"title": meeting.title},
        meeting_title=meeting.title,
        congress=f"{meeting.congress.short_name}{meeting.congress.body_name}",
        kind=meeting.get_kind_display(),
        status=meeting.get_status_display(),
        adjourned=adjourned,
        when=_when(meeting),
        place=meeting.location or DASH,
        chair=meeting.chair.name if meeting.chair else DASH,
        members=len(members),
        present=present,
        leave=leave,
        absent=absent,
        attendees=tuple(s.person.name for s in attendees if s.checked_in_at),
        attendees_absent=tuple(s.person.name for s in attendees if not s.checked_in_at),
        observers=sum(1 for s in seats if s.role == Participant.Role.OBSERVER and s.checked_in_at),
        quorum=selectors.attendance(meeting).explanation,
        items=tuple(items),
        text=tuple(line.strip() for line in meeting.minutes.splitlines() if line.strip()),
        generated=f"{D.date_text(now.date())} {now:%H:%M}",
        signed=D.date_text(timezone.localdate(meeting.ends_at) if adjourned and meeting.ends_at else now.date()),
    )


def minutes_check(user, meeting: Meeting) -> None:
    """PermissionDenied unless the user manages the meeting, or sits in it and it is adjourned.

    The meeting must already be scoped to the user (selectors.meeting_for_user: a miss is 404)."""
    if user.has_perm("meetings.manage", meeting):
        return
    if meeting.status == Meeting.Status.ADJOURNED and selectors.own_seat(user, meeting) is not None:
        return
    raise PermissionDenied


def filename(minutes: Minutes, ext: str) -> str:
    return f"{minutes.title}.{ext}"


# --- Word -------------------------------------------------------------------------------------------------
def _labelled(doc, label: str, value: str) -> None:
    """时间：… with the label in 黑体, the value in 仿宋."""
    p = D.add_para(doc, style=STYLE_PLAIN)
    D.add_run(p, label, font=HEADING_FONT)
    D.add_run(p, value, font=BODY_FONT)


def _docx_vote(doc, vote: VoteBlock) -> None:
    p = D.add_para(doc, style=STYLE_BODY)
    D.add_run(p, _("表决：%(title)s（%(method)s）。") % {"title": vote.title, "method": vote.method}, font=KAI_FONT)
    D.add_run(p, _("表决结果：%(text)s。") % {"text": vote.explanation})
    if vote.rows:
        D.add_table(doc, vote.headers, vote.rows)


def minutes_docx(minutes: Minutes) -> bytes:
    doc = D.new_document(title=minutes.title)
    D.add_title(doc, minutes.title)
    if not minutes.adjourned:
        D.add_para(doc, _("（会议状态：%(status)s。本纪要生成于%(at)s，以闭会后的纪要为准。）") % {
            "status": minutes.status, "at": minutes.generated}, style=STYLE_PLAIN)
    _labelled(doc, _("时间："), minutes.when)
    _labelled(doc, _("地点："), minutes.place)
    _labelled(doc, _("主持人："), minutes.chair)

    D.add_heading(doc, _("一、出席情况"))
    D.add_para(doc, minutes.attendance_line + minutes.quorum_line)
    _labelled(doc, _("出席："), minutes.present_text)
    _labelled(doc, _("请假："), minutes.leave_text)
    _labelled(doc, _("缺席："), minutes.absent_text)
    _labelled(doc, _("列席："), minutes.attendees_text)
    if minutes.attendees_absent:
        _labelled(doc, _("列席未到："), minutes.attendees_absent_text)
    if minutes.observers:
        _labelled(doc, _("旁听："), minutes.observers_text)

    D.add_heading(doc, _("二、议程和会议决定"))
    if not minutes.items:
        D.add_para(doc, _("本次会议未列议程。"))
    for item in minutes.items:
        D.add_para(doc, item.number + item.title, font=KAI_FONT)
        if item.presenter:
            D.add_para(doc, _("汇报人：%(who)s。") % {"who": item.presenter})
        if item.decision:
            D.add_para(doc, _("会议决定：%(text)s") % {"text": item.decision})
        for vote in item.votes:
            _docx_vote(doc, vote)

    if minutes.text:
        D.add_heading(doc, _("三、会议纪要"))
        for line in minutes.text:
            D.add_para(doc, line)
    D.add_signature(doc, [minutes.congress, minutes.signed])
    return D.to_bytes(doc)


# --- PDF --------------------------------------------------------------------------------------------------
def pdf_fetcher():
    """WeasyPrint's fetcher limited to data: URLs: no http(s), ftp or file access while rendering."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)


def minutes_html(minutes: Minutes) -> str:
    return render_to_string("meetings/documents/minutes_pdf.html", {"m": minutes})


def minutes_pdf_document(minutes: Minutes):
    """The laid-out WeasyPrint document (its pages carry the text; the tests read them)."""
    from weasyprint import HTML

    return HTML(string=minutes_html(minutes), url_fetcher=pdf_fetcher(), base_url="data:,").render()


def minutes_pdf(minutes: Minutes) -> bytes:
    return minutes_pdf_document(minutes).write_pdf()

