"""Writes of the handlers' workspace that carry files: the service's step and its attachments in one
transaction (either both are stored or neither).

The services accept files too; the pages come through here because their forms have already
checked each upload's content (`renda_checked`), which is passed on so a file is read and checked
once.
"""

from collections.abc import Sequence

from django.db import transaction

from renda.core.attachments import DOCUMENTS, attachment_create

from . import services
from .models import Assignment, Note, Opinion


def _attach(owner, uploads: Sequence, *, actor) -> None:
    for upload in uploads:
        attachment_create(upload=upload, allowed=DOCUMENTS, uploaded_by=actor, congress=owner.congress, owner=owner,
                          checked=getattr(upload, "renda_checked", None))


@transaction.atomic
def opinion_answer_with_files(*, opinion_id: int, actor, reply_text: str, attachments: Sequence = (),
                              expected_version: int | None = None) -> Opinion:
    opinion = services.opinion_answer(opinion_id=opinion_id, actor=actor, reply_text=reply_text,
                                      expected_version=expected_version)
    _attach(opinion, attachments, actor=actor)
    return opinion


@transaction.atomic
def assignment_progress_with_files(*, assignment_id: int, actor, text: str, attachments: Sequence = ()) -> Note:
    note = services.assignment_progress(assignment_id=assignment_id, actor=actor, text=text)
    _attach(Assignment.objects.select_related("congress").get(pk=assignment_id), attachments, actor=actor)
    return note


@transaction.atomic
def assignment_reply_with_files(*, assignment_id: int, actor, reply_text: str, attachments: Sequence = (),
                                expected_version: int | None = None) -> Assignment:
    part = services.assignment_reply(assignment_id=assignment_id, actor=actor, reply_text=reply_text,
                                     expected_version=expected_version)
    _attach(Assignment.objects.select_related("congress").get(pk=assignment_id), attachments, actor=actor)
    return part
