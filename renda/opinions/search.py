"""Opinions are searchable (title + text), per congress. Indexed explicitly by opinion_submit in the
submission's own transaction (the text never changes afterwards), so no save signal is connected."""

from renda.core.attachments import register_attachment_owner
from renda.core.search.services import register

from .models import Assignment, Opinion

register(Opinion, title=lambda o: o.title, text=lambda o: o.text, auto_index=False)
register_attachment_owner(Opinion, "opinions.view_opinion")
register_attachment_owner(Assignment, "opinions.view_opinion")
