"""Reads for the handlers' workspace (inbox, item page, unit part page); scoped like selectors.py.

Kept out of selectors.py (owned by the lead) because they only shape what the workspace pages show:
the inbox tabs, the units offered for forwarding, and the parts with their notes and files in a
fixed number of queries.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, IntegerField, QuerySet, Value, When

from renda.core.masking import mask_address, mask_email, mask_name, mask_phone
from renda.core.models import Attachment
from renda.core.workdays.models import Deadline

from .models import Assignment, Opinion
from .selectors import OpinionFilters, notes_of, opinion_list_for_user

S = Opinion.Status
A = Assignment.Status

# The inbox tabs: code → the statuses it lists ("" = all). Open work first in every tab.
INBOX_TABS = {
    "pending": (S.SUBMITTED,),
    "handling": (S.ACCEPTED, S.FORWARDED, S.REHANDLING, S.MERGED),
    "replied": (S.REPLIED,),
    "all": (),
}
# Items that wait for the handler come first in "all", then the rest, newest first.
WAITING = (S.SUBMITTED, S.ACCEPTED, S.FORWARDED, S.REHANDLING, S.REPLIED)


def handle_inbox(*, user, tab: str = "all", overdue: bool = False, q: str = "") -> QuerySet[Opinion]:
    """The opinions this user handles or oversees (deputy: own seat and duty stations; staff and
    town staff: their congress), filtered by tab; waiting items first, then the earliest due."""
    statuses = INBOX_TABS.get(tab, ())
    qs = opinion_list_for_user(user=user, filters=OpinionFilters(overdue=overdue, q=q))
    if statuses:
        qs = qs.filter(status__in=statuses)
    if q:
        return qs  # ranked by the search
    waiting = Case(When(status__in=WAITING, then=Value(0)), default=Value(1), output_field=IntegerField())
    return qs.annotate(waiting=waiting).order_by("waiting", "-submitted_at", "-id")


def units_for_forward(opinion: Opinion):
    """The active units of the opinion's congress (services._units_for checks the same again)."""
    from renda.org.models import Unit

    return Unit.objects.filter(congress_id=opinion.congress_id, is_active=True).order_by("kind", "name", "id")


@dataclass
class Contact:
    name: str
    phone: str
    email: str
    address: str
    masked: bool


def opinion_contact_for(*, user, opinion: Opinion) -> Contact:
    """The citizen's contact details, unmasked only with opinions.view_contact."""
    if user.has_perm("opinions.view_contact", opinion):
        return Contact(opinion.citizen_name, opinion.citizen_phone, opinion.citizen_email, opinion.address, False)
    return Contact(mask_name(opinion.citizen_name), mask_phone(opinion.citizen_phone),
                   mask_email(opinion.citizen_email), mask_address(opinion.address), True)


def _files_of(model, ids) -> dict[int, list[Attachment]]:
    out: dict[int, list[Attachment]] = defaultdict(list)
    if not ids:
        return out
    ct = ContentType.objects.get_for_model(model)
    for att in Attachment.objects.filter(content_type=ct, object_id__in=list(ids)).order_by("id"):
        att.is_image = att.mime_type.startswith("image/")
        out[att.object_id].append(att)
    return out


def opinion_files(opinion: Opinion) -> tuple[list[Attachment], list[Attachment]]:
    """(the citizen's photos, the files attached to the answer)."""
    files = _files_of(Opinion, [opinion.pk]).get(opinion.pk, [])
    photos = [a for a in files if a.uploaded_by_id is None]
    return photos, [a for a in files if a.uploaded_by_id is not None]


def parts_with_details(opinion: Opinion, parts: list[Assignment]) -> list[Assignment]:
    """Each part gets .progress (its notes) and .files (its attachments): three queries in all."""
    notes = defaultdict(list)
    for n in notes_of(opinion):
        notes[n.assignment_id].append(n)
    files = _files_of(Assignment, [p.pk for p in parts])
    for p in parts:
        p.progress = notes.get(p.pk, [])
        p.files = files.get(p.pk, [])
    return parts


def open_deadlines(obj) -> list[Deadline]:
    """The open deadlines of one item, with their explanation (how the date was computed)."""
    ct = ContentType.objects.get_for_model(type(obj))
    return list(Deadline.objects.filter(content_type=ct, object_id=obj.pk, state=Deadline.State.OPEN)
                .select_related("policy").order_by("due", "id"))


def unit_part_get(*, user, assignment_id) -> Assignment:
    """A unit's own part (another unit's part: DoesNotExist, like a missing one); the handlers and
    the office reach any part of an item they may see."""
    from renda.accounts.permissions import _assignment

    from .selectors import assignment_get_for_user

    part = assignment_get_for_user(user=user, assignment_id=assignment_id)
    a = _assignment(user)
    if a is not None and a.role == "unit" and part.unit_id != a.unit_id:
        raise Assignment.DoesNotExist
    if part.status == A.WITHDRAWN and a is not None and a.role == "unit":
        raise Assignment.DoesNotExist
    return part
