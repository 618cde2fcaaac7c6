"""Minutes as .docx and PDF, and the members' iCal feed (docs/meetings-documents.md)."""

from django.urls import path

from . import views_documents as v

urlpatterns: list = [
    path("<int:pk>/minutes.docx", v.minutes_file, {"fmt": "docx"}, name="minutes_docx"),
    path("<int:pk>/minutes.pdf", v.minutes_file, {"fmt": "pdf"}, name="minutes_pdf"),
    path("calendar/", v.calendar_page, name="calendar"),
    path("calendar/reset/", v.calendar_reset, name="calendar_reset"),
    path("calendar/<str:token>.ics", v.calendar_feed, name="calendar_feed"),
]
