"""Writes of the citizen's pages that services.py does not do in one call.

The public form has already checked each photo's content (`renda_checked`); the photos are attached
here, in the same transaction as the opinion, with that check passed on (a file is read once). An
opinion never exists without the photos its citizen sent, and an idempotent retry attaches nothing
twice.
"""

from collections.abc import Sequence

from django.db import transaction

from renda.core.attachments import IMAGES, attachment_create

from .models import Opinion
from .services import opinion_submit


def opinion_submit_public(*, photos: Sequence = (), **kwargs) -> tuple[Opinion, bool]:
    """services.opinion_submit for the public form, photos included. Returns (opinion, created)."""
    with transaction.atomic():
        opinion, created = opinion_submit(photos=(), **kwargs)
        if created:
            for upload in photos:
                attachment_create(upload=upload, allowed=IMAGES, uploaded_by=None, congress=opinion.congress,
                                  owner=opinion, checked=getattr(upload, "renda_checked", None))
    return opinion, created
