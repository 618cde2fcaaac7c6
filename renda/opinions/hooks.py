"""Registers opinions with the shared mechanisms: search (title + text, per congress; indexed explicitly
by opinion_submit in its own transaction, the text never changes), attachments, deadline owners."""

from renda.core.attachments import register_attachment_owner
from renda.core.search.services import register
from renda.core.workdays.services import register_deadline_owners

from .models import Assignment, Opinion

register(Opinion, title=lambda o: o.title, text=lambda o: o.text, auto_index=False)
register_attachment_owner(Opinion, "opinions.view_opinion")
register_attachment_owner(Assignment, "opinions.view_opinion")


def _deadline_owners(opinion):
    from .services import handler_users

    return handler_users(opinion)


register_deadline_owners(Opinion, _deadline_owners)
