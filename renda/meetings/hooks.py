"""Meeting documents are downloaded through the shared attachment view with their own permission; a
runoff joins the agenda item of the vote it settles (its electorate is the meeting's members)."""

from django.dispatch import receiver

from renda.ballots.signals import runoff_created
from renda.core.attachments import register_attachment_owner

from .models import Document

register_attachment_owner(Document, "meetings.view_document")


@receiver(runoff_created, dispatch_uid="meetings.runoff_on_item")
def _runoff_on_item(sender, vote, runoff, **kwargs):
    for item in vote.agenda_items.all():
        item.votes.add(runoff)
