"""Status badges of meetings and votes."""

from django import template
from django.utils.html import format_html

register = template.Library()

MEETING = {"draft": "secondary", "notified": "info", "in_session": "success", "adjourned": "dark",
           "cancelled": "danger"}
VOTE = {"draft": "secondary", "open": "success", "closed": "warning", "published": "primary", "cancelled": "danger"}


@register.simple_tag
def meeting_badge(meeting):
    return format_html('<span class="badge text-bg-{}">{}</span>', MEETING.get(meeting.status, "secondary"),
                       meeting.get_status_display())


@register.simple_tag
def vote_badge(vote):
    return format_html('<span class="badge text-bg-{}">{}</span>', VOTE.get(vote.status, "secondary"),
                       vote.get_status_display())


@register.simple_tag
def seat_label(seats, meeting):
    """The signed-in person's reply to this meeting, as a small badge ("" when not a participant)."""
    seat = seats.get(meeting.pk)
    if seat is None:
        return ""
    if seat.checked_in_at:
        from django.utils.translation import gettext

        return format_html('<span class="badge text-bg-success">{}</span>', gettext("已签到"))
    css = {"pending": "warning", "attending": "success", "leave": "secondary"}[seat.reply]
    return format_html('<span class="badge text-bg-{}">{}</span>', css, seat.get_reply_display())
