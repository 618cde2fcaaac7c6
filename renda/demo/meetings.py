"""The Taicang demo's meetings and votes (议事规则、会议与表决), made through the real services.

What it builds (texts in meeting_texts.py, after the 2022 work review in ../shared/seed):
- the six sessions of the 17th standing committee in 2022 (第二次 to 第七次会议, about every two
  months): agenda, documents, notice, replies and leave, check-in, resolutions as named motions and
  appointments of the court's 10 judges and the procuratorate's 6 prosecutors (secret, one option
  per person; the last one on paper), published results, minutes and decisions, adjourned;
- two director meetings (主任会议), one of them with a simple motion;
- the high-tech zone's joint meeting of 31 August 2022 with its 45 deputies, a motion and a
  satisfaction vote (满意度测评) on two items;
- the 2023 congress session with the livelihood-project vote (票决: 10 of 20) of all city deputies;
- one upcoming standing-committee session, notified, with its agenda and documents, open to replies.

Every step goes through renda/meetings/services.py (and the ballot engine's services for casting
and the tellers' totals), each at its own moment under ``demo_clock`` (see suggestions.py): so
check-in happens on the meeting's day, notices are dated and the events carry those times. Like the
suggestions, the load is not one transaction (notifications go out as each step commits); if it
fails half-way, what it made is deleted before the error goes up. Idempotent: nothing happens when
the demo city already has meetings.
"""

import datetime as dt
import io
import operator
import random
import re
import time
import zipfile
from dataclasses import dataclass
from functools import reduce
from types import SimpleNamespace
from typing import TextIO
from xml.sax.saxutils import escape

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.demo import meeting_texts as T
from renda.demo.suggestions import demo_clock

SEED = 2208
CHECKIN_SELF_SHARE = 0.8  # the rest are checked in by staff at the door
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _cn(n: int) -> str:
    from renda.ballots.rules import chinese_number

    return chinese_number(n)


# --- presence, summary, deletion -----------------------------------------------------------------------------
def _tree(city):
    from renda.org.models import Congress

    return Congress.objects.filter(path__startswith=city.path)


def demo_meetings_exist(city) -> bool:
    from renda.meetings.models import Meeting

    return Meeting.objects.filter(congress__in=_tree(city)).exists()


def demo_meetings_delete() -> None:
    """Remove the demo's meetings, their votes and everything hanging off them (before a demo reset).

    The stored files stay: attachments share files by content (their path is the SHA-256)."""
    from renda.ballots.models import Vote
    from renda.core.models import Attachment, Event
    from renda.core.notify.models import Message, OutboxMessage
    from renda.demo.selectors import demo_city_congress
    from renda.meetings.models import Document, Meeting

    city = demo_city_congress()
    if city is None:
        return
    with transaction.atomic():
        meetings = Meeting.objects.filter(congress__in=_tree(city))
        ids = list(meetings.values_list("id", flat=True))
        vote_ids = list(Vote.objects.filter(agenda_items__meeting_id__in=ids).values_list("id", flat=True).distinct())
        cts = {m: ContentType.objects.get_for_model(m) for m in (Meeting, Vote, Document)}
        Event.objects.filter(content_type=cts[Meeting], object_id__in=ids).delete()
        Event.objects.filter(content_type=cts[Vote], object_id__in=vote_ids).delete()
        docs = Document.objects.filter(meeting_id__in=ids)
        attachment_ids = list(docs.values_list("attachment_id", flat=True))
        docs.delete()
        Attachment.objects.filter(pk__in=attachment_ids).delete()
        meetings.delete()  # participants and agenda items go with them
        if ids:  # the notices and "documents published" messages, keyed by meeting
            keys = reduce(operator.or_, (Q(dedupe_key__startswith=f"meeting:{pk}:") for pk in ids))
            Message.objects.filter(keys).delete()
            OutboxMessage.objects.filter(keys).delete()
        Vote.objects.filter(pk__in=vote_ids).delete()  # options, roll and ballots go with them


@dataclass
class DemoMeetingSummary:
    total: int
    by_kind: dict[str, int]
    votes: int
    published: int


def demo_meeting_summary(city) -> DemoMeetingSummary:
    from django.db.models import Count

    from renda.ballots.models import Vote
    from renda.meetings.models import Meeting

    rows = Meeting.objects.filter(congress__in=_tree(city)).values("kind").annotate(n=Count("id"))
    by_kind = {r["kind"]: r["n"] for r in rows}
    votes = Vote.objects.filter(agenda_items__meeting__congress__in=_tree(city)).distinct()
    return DemoMeetingSummary(total=sum(by_kind.values()), by_kind=by_kind, votes=votes.count(),
                              published=votes.filter(status=Vote.Status.PUBLISHED).count())


def load_demo_meetings(*, stdout: TextIO | None = None) -> DemoMeetingSummary | None:
    """Create the demo's meetings unless there are some already; print one summary line."""
    from renda.demo.selectors import demo_city_congress

    city = demo_city_congress()
    if city is None:
        return None
    if not demo_meetings_exist(city):
        started = time.monotonic()
        try:
            _Maker(city).run()
        except BaseException:
            demo_meetings_delete()  # no half-built demo: the next run starts again
            raise
        if stdout is not None:
            stdout.write(_("会议与表决载入完成，用时 %(s).1f 秒。") % {"s": time.monotonic() - started} + "\n")
    summary = demo_meeting_summary(city)
    if stdout is not None:
        stdout.write(_("会议 %(n)s 次（常委会会议 %(s)s 次），表决 %(v)s 项（已公布 %(p)s 项）") % {
            "n": summary.total, "s": summary.by_kind.get("standing", 0), "v": summary.votes,
            "p": summary.published} + "\n")
    return summary


# --- documents ------------------------------------------------------------------------------------------------
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '</Types>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>')


def _docx(title: str, paragraphs: list[str], day: dt.date) -> bytes:
    """A small Word document (title in 方正小标宋, body in 仿宋), written directly as WordprocessingML:
    a few hundred microseconds instead of python-docx's tens of milliseconds, and the same bytes for
    the same text (the zip entries carry the meeting's date), so a reload stores no new file."""

    def para(text: str, *, font: str, size: int, center: bool = False, indent: bool = False) -> str:
        ppr = "<w:pPr>" + ('<w:jc w:val="center"/>' if center else "") + (
            '<w:ind w:firstLineChars="200" w:firstLine="640"/>' if indent else "") + "</w:pPr>"
        rpr = (f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}"/>'
               f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>')
        return f'<w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'

    body = para(title, font="方正小标宋简体", size=44, center=True)
    body += "".join(para(p, font="仿宋_GB2312", size=32, indent=True) for p in paragraphs)
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f'<w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
                '<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" '
                'w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>')
    out = io.BytesIO()
    stamp = (day.year, day.month, day.day, 9, 0, 0)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _RELS),
                           ("word/document.xml", document)):
            zf.writestr(zipfile.ZipInfo(name, date_time=stamp), text.encode("utf-8"),
                        compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


# --- who acts -------------------------------------------------------------------------------------------------
def _voter(person_id: int) -> SimpleNamespace:
    """What replying, self check-in and casting read from a signed-in user: the person."""
    return SimpleNamespace(person_id=person_id, pk=None, is_authenticated=True)


@dataclass
class _Spec:
    """One meeting to build: when, who, what."""

    kind: str
    title: str
    day: dt.date
    start: dt.time
    end: dt.time
    location: str
    items: tuple
    notice_days: int  # notified this many days before the day
    leave: int = 0
    summary: str = ""
    chair_id: int | None = None
    group_id: int | None = None
    attendees: list | None = None  # [(person id, title)]
    extra_members: list | None = None  # [(person id, title)]
    vote_day: dt.date | None = None  # a congress votes on its last day
    fmt: dict | None = None


class _Maker:
    def __init__(self, city):
        from renda.accounts.models import RoleAssignment, User
        from renda.deputies.models import DelegationGroup, Deputy, Person
        from renda.org.models import CommitteeMember

        self.city = city
        self.rng = random.Random(SEED)
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.tz = timezone.get_current_timezone()
        self.last: dt.datetime | None = None

        def acting(username: str, role: str):
            user = User.objects.filter(username=username).first()
            ra = RoleAssignment.objects.filter(user=user, congress=city, role=role, is_active=True).first() \
                if user else None
            if ra is None:  # the demo accounts are missing: act as an unsaved user in that role
                user = User(username=f"demo-{role}", display_name="")
                ra = RoleAssignment(role=role, congress=city)
            user.active_assignment = ra
            return user

        self.staff = acting("staff", "staff")
        self.director_user = acting("director", "director")
        members = list(CommitteeMember.objects.filter(congress=city, end_date__isnull=True)
                       .select_related("person", "office").order_by("post", "id"))
        Post = CommitteeMember.Post
        self.director = next(m.person for m in members if m.post == Post.DIRECTOR)
        self.vices = [m.person for m in members if m.post == Post.VICE_DIRECTOR]
        secretary = next((m.person for m in members if m.post == Post.SECRETARY_GENERAL), self.director)
        self.heads = {m.office.code: m for m in members if m.post == Post.MEMBER and m.office_id}
        if self.director_user.person_id != self.director.pk:
            self.director_user = acting("staff", "staff")  # no director account: the office runs the votes
        self.names = {"director": f"市人大常委会主任 {self.director.name}",
                      "secretary": f"市人大常委会秘书长 {secretary.name}"}
        self.zone_group = DelegationGroup.objects.filter(congress=city, is_joint_meeting=True).order_by("id").first()
        self.city_deputies = list(Deputy.objects.filter(congress=city, status=Deputy.Status.ACTIVE)
                                  .select_related("person").order_by("id"))
        committee_ids = {m.person_id for m in members}
        demo_seat = RoleAssignment.objects.filter(user__username="deputy", congress=city, deputy__isnull=False) \
            .select_related("deputy__person").first()
        self.demo_deputy = demo_seat.deputy.person if demo_seat else None
        self.invitable = [d.person for d in self.city_deputies
                          if d.person_id not in committee_ids and d.person != self.demo_deputy]
        # The court's and the procuratorate's people of the base demo (the persons later evaluated).
        self.appointees = {
            "judge": list(Person.objects.filter(occupation__startswith="太仓市人民法院").order_by("id")),
            "prosecutor": list(Person.objects.filter(occupation__startswith="太仓市人民检察院").order_by("id")),
        }

    # --- clock -------------------------------------------------------------------------------------------
    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        """A moment of `day`, after the previous step of the same meeting, never later than a minute ago."""
        moment = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.tz)
        if self.last is not None and moment <= self.last:
            moment = self.last + dt.timedelta(minutes=1)
        moment = min(moment, self.now - dt.timedelta(minutes=1))
        self.last = moment
        return moment

    def later(self, minutes: int) -> dt.datetime:
        self.last = min(self.last + dt.timedelta(minutes=minutes), self.now - dt.timedelta(minutes=1))
        return self.last

    # --- text --------------------------------------------------------------------------------------------
    def fill(self, text: str, extra: dict | None = None) -> str:
        def one(m: re.Match) -> str:
            key = m.group(1)
            if key.startswith("office:"):
                head = self.heads.get(key.split(":", 1)[1])
                return f"{head.office.name}主任 {head.person.name}" if head else "市人大常委会办公室"
            if key == "vice":
                return self.vices[0].name if self.vices else self.director.name
            if extra and key in extra:
                return str(extra[key])
            return self.names.get(key, m.group(0))

        return re.sub(r"\{([a-z:]+)\}", one, text)

    # --- the whole demo ----------------------------------------------------------------------------------
    def run(self) -> None:
        from renda.meetings.models import Meeting

        K = Meeting.Kind
        heads = [(m.person_id, f"{m.office.name}主任") for m in self.heads.values()]
        for dm in T.DIRECTOR_MEETINGS:
            self.meeting(_Spec(
                kind=K.DIRECTORS, title=T.DIRECTORS_TITLE.format(n=_cn(dm.number)), day=dm.day,
                start=dt.time(15, 0), end=dt.time(17, 0), location=T.DIRECTORS_ROOM, items=dm.items, notice_days=3,
                summary=dm.summary, chair_id=self.director.pk, attendees=heads))
        for n, s in enumerate(T.SESSIONS_2022):
            invited = self.rng.sample(self.invitable, s.deputies_attending)
            if s.number == 6 and self.demo_deputy is not None:
                invited[0] = self.demo_deputy  # the demo deputy attended the session on the suggestions
            self.meeting(_Spec(
                kind=K.STANDING, title=T.COMMITTEE_TITLE.format(n=_cn(s.number)), day=s.day, start=dt.time(9, 0),
                end=dt.time(11, 30), location=T.COMMITTEE_HALL, items=s.items, notice_days=s.notice_days + n % 3,
                leave=s.leave, summary=s.summary, chair_id=self.director.pk,
                attendees=[(p.pk, _("列席代表")) for p in invited]))
        self.zone_meeting()
        self.congress_session()
        self.upcoming()

    def zone_meeting(self) -> None:
        from renda.deputies.models import Deputy
        from renda.meetings.models import Meeting

        if self.zone_group is None:
            return
        seats = list(Deputy.objects.filter(group=self.zone_group).select_related("person").order_by("id"))
        # The seats' statuses are today's: on 31 August 2022 all 45 deputies held their seats and attended
        # (the review), so those whose seats ended later are added to the list by hand.
        later_ended = [(d.person_id, _("人大代表")) for d in seats if d.status != Deputy.Status.ACTIVE]
        convenor = next((d for d in seats if d.status == Deputy.Status.ACTIVE and d.sector == "cadre"),
                        next(d for d in seats if d.status == Deputy.Status.ACTIVE))
        in_group = {d.person_id for d in seats}
        vice = next((p for p in reversed(self.vices) if p.pk not in in_group), None)
        self.meeting(_Spec(
            kind=Meeting.Kind.JOINT, title=T.ZONE_TITLE, day=dt.date(2022, 8, 31), start=dt.time(14, 0),
            end=dt.time(16, 30), location=T.ZONE_HALL, items=T.ZONE_ITEMS, notice_days=7, summary=T.ZONE_SUMMARY,
            chair_id=convenor.person_id, group_id=self.zone_group.pk, extra_members=later_ended,
            attendees=[(vice.pk, _("市人大常委会副主任"))] if vice else []))

    def congress_session(self) -> None:
        from renda.meetings.models import Meeting

        self.meeting(_Spec(
            kind=Meeting.Kind.CONGRESS, title=T.CONGRESS_TITLE, day=dt.date(2023, 1, 7), start=dt.time(9, 0),
            end=dt.time(11, 30), location=T.CONGRESS_HALL, items=T.CONGRESS_ITEMS, notice_days=31,
            leave=9, summary=T.CONGRESS_SUMMARY, chair_id=self.director.pk, vote_day=dt.date(2023, 1, 10)))

    def upcoming(self) -> None:
        """The next session: in 11 or more days (a weekday), notified yesterday, a few replies in."""
        from renda.meetings.models import Meeting

        day = self.today + dt.timedelta(days=11)
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        number = 1 + 6 * (day.year - 2022) + (day.month + 1) // 2  # 2022: 二 (Feb) … 七 (Dec)
        self.meeting(_Spec(
            kind=Meeting.Kind.STANDING, title=T.COMMITTEE_TITLE.format(n=_cn(number)), day=day, start=dt.time(9, 0),
            end=dt.time(11, 30), location=T.COMMITTEE_HALL, items=T.UPCOMING_ITEMS,
            notice_days=(day - self.today).days + 1, leave=2, chair_id=self.director.pk,
            attendees=[(self.demo_deputy.pk, _("列席代表"))] if self.demo_deputy else [],
            fmt={"year": day.year}), future=True)

    # --- one meeting's life ------------------------------------------------------------------------------
    def meeting(self, spec: _Spec, *, future: bool = False):
        from renda.meetings import services
        from renda.meetings.models import Participant

        rng = self.rng
        self.last = None
        staff = self.staff
        notified = spec.day - dt.timedelta(days=spec.notice_days)
        starts = dt.datetime.combine(spec.day, spec.start, tzinfo=self.tz)
        ends = dt.datetime.combine(spec.vote_day or spec.day, spec.end, tzinfo=self.tz)

        # Preparation: schedule, agenda with its prepared votes, documents, who else attends.
        with demo_clock(self.at(notified - dt.timedelta(days=2), 10)):
            m = services.schedule(actor=staff, congress=self.city, kind=spec.kind, title=spec.title, starts_at=starts,
                                  ends_at=ends, location=spec.location, chair_id=spec.chair_id, group_id=spec.group_id)
            for person_id, title in spec.extra_members or []:
                services.set_participant(actor=staff, meeting_id=m.pk, person_id=person_id, role="member", title=title)
            for person_id, title in spec.attendees or []:
                services.set_participant(actor=staff, meeting_id=m.pk, person_id=person_id, role="attendee",
                                         title=title)
        planned = []  # (item, its spec, its vote)
        with demo_clock(self.at(notified - dt.timedelta(days=1), 15)):
            for it in spec.items:
                item = services.add_item(actor=staff, meeting_id=m.pk, title=self.fill(it.title, spec.fmt),
                                         presenter=self.fill(it.presenter, spec.fmt),
                                         description=self.fill(it.description, spec.fmt))
                vote = self.prepare_vote(item, it, spec) if it.vote else None
                if it.document:
                    title = self.fill(it.document, spec.fmt)
                    paragraphs = [self.fill(p, {"meeting": spec.title, "description": it.description})
                                  for p in T.DOC_BODY if it.description or "{description}" not in p]
                    services.add_document(actor=staff, meeting_id=m.pk, title=title, item_id=item.pk,
                                          upload=SimpleUploadedFile(f"{title[:60]}.docx",
                                                                    _docx(title, paragraphs, notified),
                                                                    content_type=DOCX_MIME))
                planned.append((item, it, vote))
            if spec.kind == "joint":  # the satisfaction vote on the two reports, as the last item
                item = planned[-1][0]
                planned[-1] = (item, planned[-1][1], services.add_vote(
                    actor=staff, item_id=item.pk, kind="satisfaction", secret=True, title=_("满意度测评"),
                    options=[{"label": label} for label in T.ZONE_SATISFACTION]))

        # The notice, the documents, the replies.
        moment = self.at(notified, 9, 30)
        with demo_clock(moment):
            services.notify(actor=staff, meeting_id=m.pk, now=moment)
        with demo_clock(self.at(notified, 10, 15)):
            services.publish_documents(actor=staff, meeting_id=m.pk)
        seats = list(Participant.objects.filter(meeting=m).order_by("role", "id").values_list("person_id", "role"))
        members = [p for p, role in seats if role == "member"]
        attendees = [p for p, role in seats if role != "member"]
        on_leave = set(rng.sample([p for p in members if p != spec.chair_id], spec.leave))
        window = max((spec.day - notified).days - 1, 1)
        if future:  # by now (a day after the notice) a few have answered; the chair and the attendees not yet
            others = [p for p in members if p not in on_leave and p != spec.chair_id]
            replies = [(1, p, False) for p in on_leave] + [(1, p, True) for p in rng.sample(others, 3)]
        else:
            # Members confirm in advance about half the time; deputies coming to the congress just check in.
            confirming = 0.0 if spec.kind == "congress" else 0.5
            replies = [(rng.randint(1, window), p, p not in on_leave) for p in members + attendees
                       if p in on_leave or rng.random() < confirming]
        reasons = iter(rng.sample(T.LEAVE_REASONS, len(T.LEAVE_REASONS)) * 40)
        for days, person_id, attending in sorted(replies):
            with demo_clock(self.at(notified + dt.timedelta(days=days), rng.randint(9, 17), rng.randrange(60))):
                services.reply(user=_voter(person_id), meeting_id=m.pk, attending=attending,
                               reason="" if attending else next(reasons))
        if future:
            return m

        # On the day: check-in at the door (QR code or staff), the chair convenes.
        arriving = [p for p in members + attendees if p not in on_leave]
        rng.shuffle(arriving)
        first = spec.start.hour * 60 + spec.start.minute - 35
        for k, person_id in enumerate(arriving):
            minute = first + k * 30 // len(arriving)
            with demo_clock(self.at(spec.day, minute // 60, minute % 60)):
                if rng.random() < CHECKIN_SELF_SHARE:
                    services.self_check_in(user=_voter(person_id), meeting_id=m.pk, token=m.checkin_token)
                else:
                    services.staff_check_in(actor=staff, meeting_id=m.pk, person_id=person_id)
        chair = self.chair_user(spec)
        with demo_clock(self.at(spec.day, spec.start.hour, spec.start.minute)):
            services.convene(actor=chair, meeting_id=m.pk)
        present = [p for p in members if p not in on_leave]
        decisions = {}
        for item, it, vote in planned:
            self.later(rng.randint(15, 35))
            if vote is not None:
                if spec.vote_day is not None:
                    self.at(spec.vote_day, 9, 30)
                vote = self.run_vote(vote, chair, present)
            text = self.fill(it.decision, spec.fmt)
            if vote is not None:
                text = f"{text}（{vote.result['explanation']}）" if text else vote.result["explanation"]
            decisions[item.pk] = text
        with demo_clock(self.at(spec.vote_day or spec.day, spec.end.hour, spec.end.minute)):
            services.adjourn(actor=chair, meeting_id=m.pk)
        with demo_clock(self.at((spec.vote_day or spec.day) + dt.timedelta(days=2), 16)):
            services.set_minutes(actor=staff, meeting_id=m.pk, minutes=self.minutes(spec, m, present, on_leave),
                                 decisions=decisions)
        return m

    def chair_user(self, spec: _Spec):
        """The director chairs the committee's meetings and the congress; the joint meeting's convenor (a
        deputy without an account) chairs as an unsaved user: the permission check (the meeting's chair)
        is the real one, and the events record the role."""
        from renda.accounts.models import RoleAssignment, User
        from renda.deputies.models import Deputy

        if spec.chair_id == self.director.pk:
            return self.director_user
        seat = Deputy.objects.filter(congress=self.city, person_id=spec.chair_id).first()
        user = User(username=f"demo-chair-{spec.chair_id}", display_name="", person_id=spec.chair_id)
        user.active_assignment = RoleAssignment(role="deputy", congress=self.city, deputy=seat)
        return user

    def minutes(self, spec: _Spec, m, present: list[int], on_leave: set[int]) -> str:
        from renda.ballots.rules import explain_quorum
        from renda.deputies.models import Person
        from renda.meetings.services import quorum_rule

        seated = len(present) + len(on_leave)
        names = dict(Person.objects.filter(pk__in=on_leave).values_list("pk", "name"))
        local = timezone.localtime(m.starts_at)
        who = {"standing": _("常委会组成人员"), "directors": _("主任会议组成人员"), "joint": _("代表"),
               "congress": _("代表")}.get(spec.kind, _("组成人员"))
        lines = [_("%(title)s于%(y)s年%(mo)s月%(d)s日在%(where)s举行。应到%(who)s %(n)s 人，%(quorum)s。") % {
            "title": spec.title, "y": local.year, "mo": local.month, "d": local.day, "where": spec.location,
            "who": who, "n": seated, "quorum": explain_quorum(len(present), seated, quorum_rule(m))}]
        if len(names) > 8:
            lines.append(_("%(n)s 人请假。") % {"n": len(names)})
        elif names:
            lines.append(_("%(names)s请假。") % {"names": "、".join(names[p] for p in sorted(names))})
        lines.append(_("会议议程：") + "；".join(f"{i}. {self.fill(it.title, spec.fmt)}"
                                             for i, it in enumerate(spec.items, start=1)) + "。")
        if spec.summary:
            lines.append(spec.summary)
        return "\n\n".join(lines)

    # --- votes -------------------------------------------------------------------------------------------
    def prepare_vote(self, item, it: T.Item, spec: _Spec):
        from renda.meetings import services

        title = self.fill(it.vote_title, spec.fmt) or item.title
        method = "paper" if it.paper else "electronic"
        if it.vote == "motion":
            return services.add_vote(actor=self.staff, item_id=item.pk, kind="motion", secret=it.secret,
                                     method=method, title=title)
        if it.vote == "appointment":
            options = []
            for which, count in it.appoint:
                for person in self.appointees[which][:count]:
                    options.append({"label": _("任命%(name)s为%(post)s") % {"name": person.name,
                                                                          "post": person.occupation},
                                    "person_id": person.pk})
                del self.appointees[which][:count]
            if not options:
                return None
            return services.add_vote(actor=self.staff, item_id=item.pk, kind="appointment", secret=it.secret,
                                     method=method, title=title, options=options)
        # choice: the livelihood projects, k of n, elected with more than half of the valid papers
        options = [{"label": p.name, "description": _("实施单位：%(owner)s；估算投资 %(budget)s 万元") % {
            "owner": p.owner, "budget": f"{p.budget:,}"}} for p in T.PROJECTS_2023]
        return services.add_vote(actor=self.staff, item_id=item.pk, kind="choice", secret=True, method=method,
                                 title=title, options=options, max_choices=10, places=10,
                                 rule={"base": "cast", "num": 1, "den": 2, "inclusive": False})

    def run_vote(self, vote, chair, present: list[int]):
        from renda.ballots import services as ballots
        from renda.meetings import services

        rng = self.rng
        with demo_clock(self.later(2)):
            vote = services.open_vote(actor=chair, vote_id=vote.pk)
        option_ids = list(vote.options.order_by("position").values_list("id", flat=True))
        voters = list(present)
        rng.shuffle(voters)
        if vote.method == "paper":
            with demo_clock(self.later(12)):
                counts = {}
                for oid in option_ids:
                    no, abstain = rng.choice((0, 0, 1)), rng.choice((0, 1, 1, 2))
                    counts[str(oid)] = {"yes": len(voters) - no - abstain, "no": no, "abstain": abstain}
                ballots.enter_paper_counts(actor=chair, vote_id=vote.pk, issued=len(voters), returned=len(voters),
                                           options=counts)
        else:
            if vote.kind in ("motion", "appointment") and rng.random() < 0.3:
                voters = voters[:-1]  # one member present did not press the button
            papers = self.papers(vote.kind, option_ids, len(voters))
            with demo_clock(self.later(3)):
                for person_id, marks in zip(voters, papers, strict=True):
                    ballots.cast(user=_voter(person_id), vote_id=vote.pk, marks=marks)
        with demo_clock(self.later(1)):
            services.close_vote(actor=chair, vote_id=vote.pk)
        with demo_clock(self.later(1)):
            return services.publish_vote(actor=chair, vote_id=vote.pk)

    def papers(self, kind: str, option_ids: list[int], n: int) -> list[dict]:
        """n ballots as members mark them: motions and appointments pass with a few 反对 and 弃权;
        satisfaction mostly 满意; the projects by their popularity (T.Project.weight)."""
        rng = self.rng
        if kind == "choice":
            weights = [p.weight for p in T.PROJECTS_2023]
            out = []
            for _n in range(n):
                # Weighted sampling without replacement: the k largest u^(1/w) (Efraimidis–Spirakis).
                keys = sorted(range(len(option_ids)), key=lambda i: -rng.random() ** (1 / weights[i]))
                k = 10 if rng.random() < 0.93 else rng.randint(6, 9)
                out.append({"chosen": [option_ids[i] for i in keys[:k]]})
            return out
        if kind == "satisfaction":
            return [{str(o): rng.choices(("satisfied", "basic", "unsatisfied"), (80, 18, 2))[0] for o in option_ids}
                    for _n in range(n)]
        out = [{str(o): "yes" for o in option_ids} for _n in range(n)]
        for o in option_ids:
            dissent = min(rng.choice((0, 0, 1, 1, 2)) + rng.choice((0, 1, 1, 2)), n // 8)
            others = rng.sample(range(n), dissent)
            for j, idx in enumerate(others):
                out[idx][str(o)] = "no" if j % 3 == 2 else "abstain"
        return out
