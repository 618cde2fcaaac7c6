"""Meeting documents are downloaded through the shared attachment view with their own permission."""

from renda.core.attachments import register_attachment_owner

from .models import Document

register_attachment_owner(Document, "meetings.view_document")
