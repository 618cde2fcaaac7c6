"""Minutes as .docx and PDF, the "my calendar" page and the iCal feed (docs/meetings-documents.md).

Views scope the meeting (`selectors.meeting_for_user`: outside the user's scope is 404), check who may
download (`documents.minutes_check`: 403), and hand the content to documents.py or ical.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from renda.core.exports import download_response

from . import documents, ical, selectors

UPCOMING_SHOWN = 10


FORMATS = {
    "docx": (documents.minutes_docx, documents.DOCX_MIME),
    "pdf": (documents.minutes_pdf, documents.PDF_MIME),
}


@login_required
@require_GET
def minutes_file(request, pk: int, fmt: str):
    """The minutes as `fmt` (urls_documents names one URL per format)."""
    meeting = selectors.meeting_for_user(request.user, pk)
    documents.minutes_check(request.user, meeting)
    minutes = documents.minutes_content(meeting)
    build, content_type = FORMATS[fmt]
    return download_response(build(minutes), content_type=content_type, filename=documents.filename(minutes, fmt))


# --- the calendar -----------------------------------------------------------------------------------------
def _feed_url(request, token: str) -> str:
    return request.build_absolute_uri(reverse("meetings:calendar_feed", args=[token]))


@login_required
@require_GET
def calendar_page(request):
    """The user's own feed URL, how to subscribe, and the meetings the feed holds now."""
    url = _feed_url(request, ical.feed_token(request.user))
    meetings = list(ical.feed_meetings(request.user.person_id))
    return render(request, "meetings/documents/calendar.html", {
        "feed_url": url,
        "webcal_url": "webcal://" + url.split("://", 1)[1],
        "has_person": request.user.person_id is not None,
        "upcoming": ical.upcoming(meetings)[:UPCOMING_SHOWN],
        "count": len(meetings),
    })


@login_required
@require_POST
def calendar_reset(request):
    ical.feed_reset(user=request.user)
    messages.success(request, _("订阅地址已更换，原地址已失效。请在日历应用中用新地址重新订阅。"))
    return redirect("meetings:calendar")


@require_GET
def calendar_feed(request, token: str):
    """The feed itself: no session, the token is the credential. Any bad token is 404."""
    user = ical.user_for_token(token)
    if user is None:
        raise Http404
    base = request.build_absolute_uri("/").rstrip("/")
    content = ical.feed_ics(user, base_url=base, host=request.get_host())
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=False, filename="meetings.ics")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
