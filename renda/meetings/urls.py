"""The URLs of meetings (/meetings/…), one namespace, assembled from urls_pages (the meeting pages,
check-in, the chair's screen) and urls_documents (minutes as .docx and PDF, the iCal feed)."""

from . import urls_documents, urls_pages

app_name = "meetings"
urlpatterns = [*urls_documents.urlpatterns, *urls_pages.urlpatterns]
