"""Registers suggestions with the shared mechanisms: search (title + the three sections, per congress;
indexed by suggestion_submit in its own transaction: drafts are private and not indexed),
attachments (a suggestion's files and a reply's signed PDF are seen by whoever sees the suggestion),
deadline owners (a part's clocks belong to its unit, set on each Deadline row)."""

from renda.core.attachments import register_attachment_owner
from renda.core.search.services import register

from .models import Reply, Suggestion

register(Suggestion, title=lambda s: s.title, text=lambda s: s.body, auto_index=False)
register_attachment_owner(Suggestion, "suggestions.view_suggestion")
register_attachment_owner(Reply, "suggestions.view_suggestion")
