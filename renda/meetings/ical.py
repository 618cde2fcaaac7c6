"""Each person's meetings as an iCalendar feed (RFC 5545) that a phone or Outlook subscribes to.

The feed URL carries a token instead of a session: calendar apps fetch it without signing in.

Token: `<user id>.<HMAC>` made by `django.core.signing.Signer` (SECRET_KEY, SHA-256) with a salt that
holds the user id, the user's person id and a *generation*: the id of the user's latest
`calendar_feed_reset` Event (0 before the first reset). Resetting appends that event, which changes
the salt, so every earlier URL stops working; linking the account to another person does the same.
No column is needed (the Event log already exists and records who reset when); the cost is one
indexed query per fetch. A token that does not verify, or names an inactive or unknown user, is 404.

Which meetings: those the user's person sits in (member, attendee or observer) that have been
announced (notified, in session, adjourned) and start at most `FEED_PAST_DAYS` ago; a meeting
cancelled after its notice stays in the feed with STATUS:CANCELLED so that calendars drop it;
drafts never appear (their time is not settled and nobody has been told).

The text format is written here rather than with a package (the `icalendar` package is not a
dependency): CRLF line ends, lines folded at 75 octets without splitting a UTF-8 character, and
TEXT values escaped (backslash, semicolon, comma, newline).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.models import Event
from renda.core.workflow import record_event

from .models import AgendaItem, Meeting

RESET_ACTION = "calendar_feed_reset"
SALT = "renda.meetings.ical"
SEP = "."  # not in the signature's URL-safe base64 alphabet, and plain in a URL path
FEED_PAST_DAYS = 365
FEED_LIMIT = 500
DEFAULT_LENGTH = dt.timedelta(hours=3)  # when a meeting has no end time yet: half a day
MAX_OCTETS = 75
CRLF = "\r\n"
PRODID = "-//Renda//智慧人大 会议//ZH"

M = Meeting.Status
ANNOUNCED = (M.NOTIFIED, M.IN_SESSION, M.ADJOURNED)


# --- the token --------------------------------------------------------------------------------------------
def _generation(user_id: int) -> int:
    ct = ContentType.objects.get_for_model(get_user_model())
    return (Event.objects.filter(content_type=ct, object_id=user_id, action=RESET_ACTION)
            .order_by("-id").values_list("id", flat=True).first()) or 0


def _signer(user_id: int, person_id: int | None) -> signing.Signer:
    return signing.Signer(salt=f"{SALT}:{user_id}:{person_id or 0}:{_generation(user_id)}", sep=SEP)


def feed_token(user) -> str:
    return _signer(user.pk, user.person_id).sign(str(user.pk))


def user_for_token(token: str):
    """The active user whose current token this is, or None (forged, reset, or user gone)."""
    user_id, sep, _signature = token.partition(SEP)
    if not sep or not user_id.isascii() or not user_id.isdigit() or len(user_id) > 18:
        return None
    user = get_user_model().objects.filter(pk=int(user_id), is_active=True).first()
    if user is None:
        return None
    try:
        _signer(user.pk, user.person_id).unsign(token)
    except signing.BadSignature:
        return None
    return user


def feed_reset(*, user) -> str:
    """A new feed URL for the user; every earlier one stops working. Returns the new token."""
    # The event's content type comes from type(obj): the concrete class, not request.user's lazy wrapper.
    owner = get_user_model()(pk=user.pk)
    record_event(obj=owner, action=RESET_ACTION, actor=owner, note=_("重置会议日历订阅地址"))
    return feed_token(user)


# --- the meetings -----------------------------------------------------------------------------------------
def feed_meetings(person_id: int | None, *, now: dt.datetime | None = None) -> QuerySet:
    """The person's announced meetings of the last year and ahead, newest first (two queries)."""
    if person_id is None:
        return Meeting.objects.none()
    now = now or timezone.now()
    announced = Q(status__in=ANNOUNCED) | Q(status=M.CANCELLED, notified_at__isnull=False)
    return (Meeting.objects.filter(announced, participants__person_id=person_id,
                                   starts_at__gte=now - dt.timedelta(days=FEED_PAST_DAYS))
            .select_related("congress")
            .prefetch_related(Prefetch("items", queryset=AgendaItem.objects.order_by("position")))
            .order_by("-starts_at", "-id")[:FEED_LIMIT])


def upcoming(meetings: Iterable[Meeting], *, now: dt.datetime | None = None) -> list[Meeting]:
    """Those of `meetings` that have not ended yet, soonest first."""
    now = now or timezone.now()
    return sorted((m for m in meetings if (m.ends_at or m.starts_at + DEFAULT_LENGTH) >= now),
                  key=lambda m: (m.starts_at, m.pk))


# --- RFC 5545 ---------------------------------------------------------------------------------------------
def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, newlines as \\n (RFC 5545 3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """A content line folded into lines of at most 75 octets; each continuation starts with a space
    (which counts), and a UTF-8 character is never split (RFC 5545 3.1)."""
    out, current, size = [], [], 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > MAX_OCTETS:
            out.append("".join(current))
            current, size = [" "], 1
        current.append(ch)
        size += n
    out.append("".join(current))
    return CRLF.join(out)


def utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    start: dt.datetime
    end: dt.datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False
    sequence: int = 0


def calendar(events: Iterable[CalendarEvent], *, name: str, now: dt.datetime | None = None) -> bytes:
    stamp = utc(now or timezone.now())
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape_text(name)}", "X-WR-TIMEZONE:Asia/Shanghai",
             "REFRESH-INTERVAL;VALUE=DURATION:PT1H", "X-PUBLISHED-TTL:PT1H"]
    for e in events:
        lines += ["BEGIN:VEVENT", f"UID:{e.uid}", f"DTSTAMP:{stamp}", f"DTSTART:{utc(e.start)}", f"DTEND:{utc(e.end)}",
                  f"SEQUENCE:{e.sequence}", f"SUMMARY:{escape_text(e.summary)}",
                  "STATUS:CANCELLED" if e.cancelled else "STATUS:CONFIRMED"]
        if e.location:
            lines.append(f"LOCATION:{escape_text(e.location)}")
        if e.description:
            lines.append(f"DESCRIPTION:{escape_text(e.description)}")
        if e.url:
            lines.append(f"URL:{e.url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return (CRLF.join(fold(line) for line in lines) + CRLF).encode("utf-8")


def _description(meeting: Meeting, items: Sequence[AgendaItem], url: str) -> str:
    lines = []
    if meeting.status == M.CANCELLED:
        lines.append(_("本次会议已取消。"))
    lines.append(_("会议类型：%(kind)s") % {"kind": meeting.get_kind_display()})
    if items:
        lines.append(_("议程："))
        for i, item in enumerate(items, start=1):
            presenter = _("（汇报人：%(who)s）") % {"who": item.presenter} if item.presenter else ""
            lines.append(f"{i}. {item.title}{presenter}")
    lines.append(_("详情：%(url)s") % {"url": url})
    return "\n".join(lines)


def meeting_event(meeting: Meeting, *, base_url: str, host: str) -> CalendarEvent:
    url = base_url + reverse("meetings:detail", args=[meeting.pk])
    cancelled = meeting.status == M.CANCELLED
    summary = (_("【已取消】%(title)s") % {"title": meeting.title}) if cancelled else meeting.title
    return CalendarEvent(
        uid=f"meeting-{meeting.pk}@{host}", start=meeting.starts_at,
        end=meeting.ends_at or meeting.starts_at + DEFAULT_LENGTH, summary=summary, location=meeting.location,
        description=_description(meeting, list(meeting.items.all()), url), url=url, cancelled=cancelled,
        sequence=meeting.version)


def feed_ics(user, *, base_url: str, host: str, now: dt.datetime | None = None) -> bytes:
    """The user's feed. base_url: scheme and host of this site ("https://renda.example"); host names the
    UIDs, so they stay the same from one fetch to the next."""
    meetings = feed_meetings(user.person_id, now=now)
    return calendar((meeting_event(m, base_url=base_url, host=host) for m in meetings),
                    name=_("我的会议"), now=now)
