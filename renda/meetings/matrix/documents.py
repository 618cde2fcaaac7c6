"""Permission-matrix rows (see renda/permission_matrix.py) for the minutes and the calendar
(renda/meetings/urls_documents.py).

Minutes (.docx and PDF): the congress's office and directors at any time; the meeting's participants
(the deputy user is a member) once it is adjourned, 403 before; a town's staff for its own town's
meetings; everyone else 404, the superuser too (no congress, no seat: `meeting_for_user`).
The calendar page and the reset: every signed-in user. The feed: whoever holds a valid token (calendar
apps do not sign in), 404 for a forged one.
"""

from types import SimpleNamespace

from django.utils import timezone

from renda.permission_matrix import ALL_WORKSPACE, ROLES, Row, page, public

from ..world import committee, mw, session, voter_of


def adjourned(w) -> SimpleNamespace:
    """An adjourned standing-committee session of today, built once per world: 22 of the 35 members
    checked in (the deputy user's person among them, the director user chairs), one member on leave
    (因公出差), one agenda item with a published named motion (20 yes, 1 no: the deputy user's person,
    1 not voting: passed) and a closed appointment whose result is not published (7 no), the minutes
    text and the item's decision."""
    cached = getattr(w, "_minutes_meeting", None)
    if cached is not None:
        return cached
    from renda.ballots import services as ballots
    from renda.ballots.world import act

    from .. import services

    staff = act(w, "staff")
    c = committee(w)
    m = session(w, title="太仓市第十七届人大常委会第四次会议",
                starts_at=timezone.localtime().replace(hour=8, minute=30, second=0, microsecond=0))
    services.reply(user=voter_of(c.people[-1]), meeting_id=m.pk, attending=False, reason="因公出差")
    m = services.convene(actor=staff, meeting_id=m.pk)
    for p in c.people[:22]:
        services.staff_check_in(actor=staff, meeting_id=m.pk, person_id=p.pk)
    item = services.add_item(actor=staff, meeting_id=m.pk, title="关于接受辞职请求的审议",
                             presenter="市人大常委会人事代表工作委员会主任")
    motion = services.add_vote(actor=staff, item_id=item.pk, kind="motion", secret=False,
                               title="关于接受张某某辞去市人大代表职务的决定")
    hidden = services.add_vote(actor=staff, item_id=item.pk, kind="appointment", secret=True,
                               title="任命人民陪审员", options=[{"label": "任命李秀英为市人民法院人民陪审员"}])
    services.open_vote(actor=staff, vote_id=motion.pk)
    key = str(motion.options.get().pk)
    for i, p in enumerate(c.people[:21]):
        ballots.cast(user=voter_of(p), vote_id=motion.pk, marks={key: "no" if i == 1 else "yes"})
    services.close_vote(actor=staff, vote_id=motion.pk)
    motion = services.publish_vote(actor=staff, vote_id=motion.pk)
    services.open_vote(actor=staff, vote_id=hidden.pk)
    hidden_key = str(hidden.options.get().pk)
    for p in c.people[1:8]:
        ballots.cast(user=voter_of(p), vote_id=hidden.pk, marks={hidden_key: "no"})
    hidden = services.close_vote(actor=staff, vote_id=hidden.pk)
    services.set_minutes(actor=staff, meeting_id=m.pk, minutes="会议听取了有关辞职请求的说明。\n会议依法进行了表决。",
                         decisions={item.pk: "同意接受张某某辞去市人大代表职务。"})
    m = services.adjourn(actor=staff, meeting_id=m.pk)
    w._minutes_meeting = SimpleNamespace(meeting=m, item=item, motion=motion, hidden=hidden, committee=c)
    return w._minutes_meeting


def _feed(w) -> str:
    from ..ical import feed_token

    return f"/meetings/calendar/{feed_token(w.users['deputy'])}.ics"


def _tampered(w) -> str:
    from ..ical import feed_token

    signature = feed_token(w.users["deputy"]).split(".", 1)[1]
    return f"/meetings/calendar/{w.users['staff'].pk}.{signature}.ics"  # the deputy's signature, the staff's id


OUTSIDE = {r: 404 for r in ROLES}
MANAGERS = dict(OUTSIDE, anonymous=302, staff=200, director=200)  # the session is in the city congress
IN_SESSION = dict(MANAGERS, deputy=403)  # a participant, before the meeting is adjourned
ADJOURNED = dict(MANAGERS, deputy=200)
TOWN = dict(OUTSIDE, anonymous=302, town_staff=200)

ROWS: list[Row] = [
    Row("meetings:minutes_docx", "会议纪要 Word（会议进行中）",
        lambda w: f"/meetings/{mw(w).session.pk}/minutes.docx", IN_SESSION),
    Row("meetings:minutes_docx", "会议纪要 Word（已闭会）",
        lambda w: f"/meetings/{adjourned(w).meeting.pk}/minutes.docx", ADJOURNED),
    Row("meetings:minutes_docx", "镇人大主席团会议纪要 Word",
        lambda w: f"/meetings/{mw(w).town_meeting.pk}/minutes.docx", TOWN),
    Row("meetings:minutes_pdf", "会议纪要 PDF（会议进行中）",
        lambda w: f"/meetings/{mw(w).session.pk}/minutes.pdf", IN_SESSION),
    Row("meetings:minutes_pdf", "会议纪要 PDF（已闭会）",
        lambda w: f"/meetings/{adjourned(w).meeting.pk}/minutes.pdf", ADJOURNED),
    Row("meetings:minutes_docx", "不存在的会议纪要", lambda w: "/meetings/999999/minutes.docx",
        dict(OUTSIDE, anonymous=302)),
    Row("meetings:calendar", "我的会议日历（订阅地址）", lambda w: "/meetings/calendar/",
        page(ALL_WORKSPACE)),
    Row("meetings:calendar_reset", "更换日历订阅地址", lambda w: "/meetings/calendar/reset/",
        {r: 302 for r in ROLES}, method="post"),
    Row("meetings:calendar_feed", "会议日历订阅（iCal，有效令牌）", _feed, public(200)),
    Row("meetings:calendar_feed", "会议日历订阅（篡改的令牌）", _tampered, public(404)),
]
