"""The members' iCal feed (renda/meetings/ical.py): RFC 5545 text (escaping, folding at 75 octets,
CRLF), only the person's announced meetings, and a token that cannot be forged and can be revoked."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from renda.ballots.world import act
from renda.meetings import ical, services
from renda.meetings.world import committee, mw

pytestmark = pytest.mark.django_db


# --- the text format -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("raw", "escaped"), [
    ("plain", "plain"),
    ("a,b", "a\\,b"),
    ("a;b", "a\\;b"),
    ("C:\\path", "C:\\\\path"),
    ("one\ntwo", "one\\ntwo"),
    ("one\r\ntwo\rthree", "one\\ntwo\\nthree"),
    ("\\,;\n", "\\\\\\,\\;\\n"),
    ("会议：第一，第二；", "会议：第一，第二；"),  # full-width punctuation is not special
])
def test_text_values_are_escaped(raw, escaped):
    assert ical.escape_text(raw) == escaped


def unfold(text: str) -> str:
    return text.replace("\r\n ", "")


def test_a_short_line_is_not_folded():
    assert ical.fold("SUMMARY:会议") == "SUMMARY:会议"
    line = "X:" + "a" * 73
    assert len(line.encode()) == 75 and ical.fold(line) == line


def test_a_long_line_folds_at_75_octets_without_splitting_a_character():
    line = "DESCRIPTION:" + "人大常委会会议" * 20
    folded = ical.fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1 and all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert parts[0].encode("utf-8")[:75].decode("utf-8") == parts[0]  # whole characters only
    assert unfold(folded) == line


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\r\n"), max_size=400))
def test_folding_keeps_the_text_and_the_limit(text):
    line = "DESCRIPTION:" + text
    folded = ical.fold(line)
    assert unfold(folded) == line
    assert all(len(p.encode("utf-8")) <= 75 for p in folded.split("\r\n"))


def test_a_calendar_has_crlf_lines_and_the_required_properties():
    start = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    event = ical.CalendarEvent(uid="meeting-1@renda.example", start=start, end=start + dt.timedelta(hours=3),
                               summary="会议, 第一; 次", location="会议室\\一", description="议程：\n1. 审议",
                               url="https://renda.example/meetings/1/")
    text = ical.calendar([event], name="我的会议", now=dt.datetime(2026, 12, 1, tzinfo=dt.UTC)).decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = unfold(text).split("\r\n")[:-1]
    assert lines[:3] == ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{ical.PRODID}"]
    assert lines[-1] == "END:VCALENDAR"
    assert "DTSTART:20261203T010000Z" in lines and "DTEND:20261203T040000Z" in lines  # 09:00 in Shanghai
    assert "DTSTAMP:20261201T000000Z" in lines and "UID:meeting-1@renda.example" in lines
    assert "SUMMARY:会议\\, 第一\\; 次" in lines and "LOCATION:会议室\\\\一" in lines
    assert "DESCRIPTION:议程：\\n1. 审议" in lines and "STATUS:CONFIRMED" in lines


# --- the feed ------------------------------------------------------------------------------------------------
def events_of(content: bytes) -> list[dict]:
    """Each VEVENT as {property name: value}, from the unfolded lines."""
    text = content.decode("utf-8")
    assert "\n" not in text.replace("\r\n", ""), "bare LF"
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n")), "line over 75 octets"
    events, current = [], None
    for line in unfold(text).split("\r\n"):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None and line:
            name, _sep, value = line.partition(":")
            current[name.split(";")[0]] = value
    return events


def feed_path(user) -> str:
    return reverse("meetings:calendar_feed", args=[ical.feed_token(user)])


@pytest.fixture
def meetings(world):
    """mw's session (the deputy's person is a member), its planned draft, a directors' meeting without
    the deputy, and a meeting cancelled after its notice and one cancelled as a draft."""
    s = mw(world)
    staff = act(world, "staff")
    directors = services.schedule(actor=staff, congress=world.city, kind="directors", title="主任会议",
                                  starts_at=timezone.now() + dt.timedelta(days=2))
    services.notify(actor=staff, meeting_id=directors.pk, short_notice_reason="紧急")
    called_off = services.schedule(actor=staff, congress=world.city, kind="standing", title="第八次会议",
                                   starts_at=timezone.now() + dt.timedelta(days=30), location="会议室, 三楼")
    services.notify(actor=staff, meeting_id=called_off.pk)
    services.cancel(actor=staff, meeting_id=called_off.pk, note="议题调整")
    never = services.schedule(actor=staff, congress=world.city, kind="standing", title="第九次会议",
                              starts_at=timezone.now() + dt.timedelta(days=40))
    services.cancel(actor=staff, meeting_id=never.pk, note="不再召开")
    return {"mw": s, "directors": directors, "called_off": called_off, "never": never}


def test_the_feed_lists_the_persons_announced_meetings(world, meetings, client):
    response = client.get(feed_path(world.users["deputy"]))  # no session: calendar apps do not sign in
    assert response.status_code == 200 and response["Content-Type"] == "text/calendar; charset=utf-8"
    events = {e["UID"]: e for e in events_of(response.content)}
    s = meetings["mw"]
    assert set(events) == {f"meeting-{s.session.pk}@testserver", f"meeting-{meetings['called_off'].pk}@testserver"}
    e = events[f"meeting-{s.session.pk}@testserver"]
    for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION", "DESCRIPTION", "URL", "STATUS"):
        assert e.get(name), name
    assert e["SUMMARY"] == "太仓市第十七届人大常委会第五次会议" and e["STATUS"] == "CONFIRMED"
    start = timezone.localtime(s.session.starts_at).replace(hour=9, minute=0)
    assert e["DTSTART"] == start.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ") and e["DTSTART"].endswith("010000Z")
    assert "关于批准2022年市级财政决算的决议（草案）（汇报人：市财政局局长）" in e["DESCRIPTION"]
    assert e["URL"] == f"http://testserver/meetings/{s.session.pk}/"
    cancelled = events[f"meeting-{meetings['called_off'].pk}@testserver"]
    assert cancelled["STATUS"] == "CANCELLED" and cancelled["SUMMARY"].startswith("【已取消】")
    assert cancelled["LOCATION"] == "会议室\\, 三楼"


def test_each_person_gets_their_own_meetings(world, meetings, client):
    director = world.users["director"]  # chairs the session and sits in the directors' meeting
    uids = {e["UID"] for e in events_of(client.get(feed_path(director)).content)}
    assert f"meeting-{meetings['directors'].pk}@testserver" in uids
    assert f"meeting-{meetings['mw'].session.pk}@testserver" in uids
    staff = world.users["staff"]  # no person: an empty calendar, still a valid one
    content = client.get(feed_path(staff)).content
    assert events_of(content) == [] and content.startswith(b"BEGIN:VCALENDAR\r\n")


def test_the_feed_costs_a_fixed_number_of_queries(world, meetings, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):  # user, reset generation, meetings, agenda (+ content type once)
        assert client.get(feed_path(world.users["director"])).status_code == 200


# --- the token -----------------------------------------------------------------------------------------------
def test_a_forged_or_tampered_token_is_404(world, client):
    deputy, staff = world.users["deputy"], world.users["staff"]
    token = ical.feed_token(deputy)
    user_id, signature = token.split(".", 1)
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    for bad in (f"{user_id}.{flipped}", f"{staff.pk}.{signature}", user_id, "abc", f"x{token}", f"{token}x",
                "99999999.AAAA", "１.AAAA"):
        assert client.get(f"/meetings/calendar/{bad}.ics").status_code == 404, bad
    assert client.get(f"/meetings/calendar/{token}.ics").status_code == 200


def test_resetting_revokes_the_old_address(world, client_for):
    client = client_for("deputy")
    old = ical.feed_token(world.users["deputy"])
    page = client.get(reverse("meetings:calendar"))
    assert page.status_code == 200 and f"/meetings/calendar/{old}.ics" in page.content.decode()
    assert client.post(reverse("meetings:calendar_reset")).status_code == 302
    new = ical.feed_token(world.users["deputy"])
    assert new != old
    assert client.get(f"/meetings/calendar/{old}.ics").status_code == 404
    assert client.get(f"/meetings/calendar/{new}.ics").status_code == 200
    assert f"/meetings/calendar/{new}.ics" in client.get(reverse("meetings:calendar")).content.decode()


def test_an_inactive_or_relinked_account_loses_its_feed(world, client):
    committee(world)
    deputy = world.users["deputy"]
    token = ical.feed_token(deputy)
    deputy.person = world.person2
    deputy.save(update_fields=["person"])
    assert client.get(f"/meetings/calendar/{token}.ics").status_code == 404
    token = ical.feed_token(deputy)
    deputy.is_active = False
    deputy.save(update_fields=["is_active"])
    assert client.get(f"/meetings/calendar/{token}.ics").status_code == 404


def test_the_calendar_page_explains_how_to_subscribe(world, meetings, client_for):
    html = client_for("deputy").get(reverse("meetings:calendar")).content.decode()
    assert "webcal://testserver/meetings/calendar/" in html and "添加已订阅的日历" in html
    assert "订阅内容现有 2 场会议" in html  # today's session and the one called off
    upcoming = html.split('data-testid="upcoming"', 1)[1].split("</ul>", 1)[0]
    assert "第八次会议" in upcoming and "已取消" in upcoming
    assert "尚未关联人员信息" not in html
    assert "尚未关联人员信息" in client_for("staff").get(reverse("meetings:calendar")).content.decode()
