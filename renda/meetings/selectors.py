"""Reads of the meetings, scoped to the user: the office sees its congress's meetings, a participant
the meetings they sit in. A miss is 404."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from renda.accounts.permissions import _assignment
from renda.ballots.rules import Counts, quorum_met

from .models import Meeting, Participant
from .services import quorum_rule


def meetings_for_user(user) -> QuerySet:
    """The office (and directors) see their congress's meetings; participants the meetings they
    sit in, from the notice on."""
    a = _assignment(user)
    person_id = getattr(user, "person_id", None)
    scope = Q(pk__in=[])
    if a is not None and a.role in ("staff", "director", "town_staff"):
        scope |= Q(congress_id=a.congress_id)
    if person_id is not None:
        # Participants see a meeting once it is notified: its preparation is the office's.
        scope |= Q(Exists(Participant.objects.filter(meeting_id=OuterRef("pk"), person_id=person_id))) & ~Q(
            status=Meeting.Status.DRAFT)
    return Meeting.objects.filter(scope)


def meeting_for_user(user, meeting_id: int) -> Meeting:
    try:
        return meetings_for_user(user).select_related("congress", "chair", "group").get(pk=meeting_id)
    except Meeting.DoesNotExist:
        raise Http404 from None


def own_seat(user, meeting: Meeting) -> Participant | None:
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return None
    return Participant.objects.filter(meeting=meeting, person_id=person_id).first()


@dataclass(frozen=True)
class Attendance:
    members: int
    present: int
    leave: int
    attending: int
    pending: int
    attendees_present: int
    quorum_met: bool
    explanation: str


def attendance(meeting: Meeting) -> Attendance:
    """Members (the voters) against the quorum; attendees and observers are counted apart."""
    from renda.ballots.rules import explain_quorum

    rows = Participant.objects.filter(meeting=meeting).aggregate(
        members=Count("pk", filter=Q(role="member")),
        present=Count("pk", filter=Q(role="member", checked_in_at__isnull=False)),
        leave=Count("pk", filter=Q(role="member", reply="leave")),
        attending=Count("pk", filter=Q(role="member", reply="attending")),
        pending=Count("pk", filter=Q(role="member", reply="pending")),
        others=Count("pk", filter=~Q(role="member") & Q(checked_in_at__isnull=False)),
    )
    rule = quorum_rule(meeting)
    counts = Counts(seated=rows["members"], entitled=rows["members"], present=rows["present"], cast=0)
    ok = quorum_met(rows["present"], rows["members"], rule) if rule.base.value in ("seated", "entitled") \
        else rule.met(rows["present"], counts)
    return Attendance(members=rows["members"], present=rows["present"], leave=rows["leave"],
                      attending=rows["attending"], pending=rows["pending"], attendees_present=rows["others"],
                      quorum_met=ok, explanation=explain_quorum(rows["present"], rows["members"], rule))


def participants(meeting: Meeting) -> QuerySet:
    return Participant.objects.filter(meeting=meeting).select_related("person").order_by("role", "id")


def agenda(meeting: Meeting) -> list:
    """Items with their votes (one query each for items and votes)."""
    items = list(meeting.items.prefetch_related("votes", "documents").order_by("position"))
    return items
