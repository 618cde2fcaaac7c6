"""Reads of the meetings, scoped to the user: the office sees its congress's meetings, a participant
the meetings they sit in. A miss is 404."""

from dataclasses import dataclass

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.http import Http404

from renda.accounts.permissions import office_congress_id
from renda.ballots.rules import Counts, quorum_met

from .models import Meeting, Participant
from .services import quorum_rule


def meetings_for_user(user) -> QuerySet:
    """The office (and directors) see their congress's meetings; participants the meetings they
    sit in, from the notice on."""
    congress_id = office_congress_id(user)
    person_id = getattr(user, "person_id", None)
    scope = Q(pk__in=[])
    if congress_id is not None:
        scope |= Q(congress_id=congress_id)
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


def own_seats(user, meeting_ids) -> dict[int, Participant]:
    """The user's own seat in each of these meetings, by meeting id (for a list's 'my reply' column)."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return {}
    return {p.meeting_id: p for p in Participant.objects.filter(person_id=person_id, meeting_id__in=list(meeting_ids))}


def people_choices(congress_id: int, limit: int = 3000) -> list[tuple[int, str]]:
    """Who can be added to a meeting of this congress: its deputies (at most `limit`) and its
    standing committee, by name."""
    from renda.deputies.models import Person

    deputies = Person.objects.filter(memberships__congress_id=congress_id).distinct().order_by("name", "id")
    committee = Person.objects.filter(committee_posts__congress_id=congress_id).distinct()
    people = {p.pk: p.name for p in [*deputies.only("id", "name")[:limit], *committee.only("id", "name")]}
    return sorted(((pk, name) for pk, name in people.items()), key=lambda x: (x[1], x[0]))


def chair_choices(congress) -> list[tuple[int, str]]:
    """Who can chair: the committee's director and vice directors."""
    from renda.deputies.models import Person

    return [(p.pk, p.name) for p in Person.objects.filter(
        committee_posts__congress=congress, committee_posts__post__in=["director", "vice_director"]).distinct()
        .only("id", "name")]


def group_choices(congress) -> list[tuple[int, str]]:
    """The congress's delegation groups (a joint meeting's members are one group's deputies)."""
    from renda.deputies.models import DelegationGroup

    return [(g.pk, g.name) for g in DelegationGroup.objects.filter(congress=congress).order_by("id").only("id", "name")]


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
    """Members first (the voters), then 列席, then 旁听; each in the order they were listed."""
    R = Participant.Role
    order = Case(When(role=R.MEMBER, then=Value(0)), When(role=R.ATTENDEE, then=Value(1)), default=Value(2))
    return Participant.objects.filter(meeting=meeting).select_related("person").order_by(order, "id")


def agenda(meeting: Meeting, *, runoffs: bool = False) -> list:
    """Items with their votes and documents (one query each); with `runoffs`, the votes' runoffs
    too, for the pages that ask ballots.selectors.tie_pending of every vote."""
    votes = "votes__runoffs" if runoffs else "votes"
    return list(meeting.items.prefetch_related(votes, "documents").order_by("position"))


def items(meeting: Meeting) -> list:
    """The agenda's items alone, in order (the minutes form)."""
    return list(meeting.items.order_by("position"))


def item_of(meeting: Meeting, item_id: int):
    """One of the meeting's items, or 404."""
    item = meeting.items.filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item


def has_vote(meeting: Meeting, vote_id: int) -> bool:
    """Is this vote on one of the meeting's items?"""
    from renda.ballots.models import Vote

    return Vote.objects.filter(pk=vote_id, agenda_items__meeting=meeting).exists()


def documents(meeting: Meeting, *, drafts: bool) -> list:
    """The meeting's documents in upload order; unpublished ones only for those who prepare it."""
    return [d for d in meeting.documents.select_related("attachment").order_by("id") if drafts or d.published_at]
