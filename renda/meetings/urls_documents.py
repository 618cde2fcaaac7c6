"""Minutes as .docx and PDF, and the members' iCal feed."""

urlpatterns: list = []
