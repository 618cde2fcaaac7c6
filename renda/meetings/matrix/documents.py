"""Permission-matrix rows (see renda/permission_matrix.py) for the minutes and the calendar
(renda/meetings/urls_documents.py).

Minutes (.docx and PDF): the congress's office and directors at any time; the meeting's participants
(the deputy user is a member) once it is adjourned, 403 before; a town's staff for its own town's
meetings; everyone else 404, the superuser too (no congress, no seat: `meeting_for_user`).
The calendar page and the reset: every signed-in user. The feed: whoever holds a valid token (calendar
apps do not sign in), 404 for a forged one.
"""

from renda.permission_matrix import ALL_WORKSPACE, ROLES, Row, page, public

from ..world import adjourned, mw


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
