"""Who may do what with a meeting. See docs/permissions.md.

The office (and for a town, its staff) prepares meetings; directors may too. The chair runs the
meeting on the day. Participants see the meetings they sit in; nobody else does."""

import rules

from renda.accounts.permissions import in_own_congress, is_committee_side, is_director, is_staff_role, is_town_staff
from renda.ballots.rules_perms import can_manage as ballots_can_manage

can_manage = (is_staff_role | is_town_staff | is_director) & in_own_congress


def _meeting_of(obj):
    return getattr(obj, "meeting", obj) if obj is not None else None


@rules.predicate
def is_chair(user, obj) -> bool:
    meeting = _meeting_of(obj)
    person_id = getattr(user, "person_id", None)
    return meeting is not None and person_id is not None and getattr(meeting, "chair_id", None) == person_id


@rules.predicate
def is_participant(user, obj) -> bool:
    meeting = _meeting_of(obj)
    person_id = getattr(user, "person_id", None)
    if meeting is None or person_id is None or not getattr(meeting, "pk", None):
        return False
    from .models import Participant

    return Participant.objects.filter(meeting_id=meeting.pk, person_id=person_id).exists()


@rules.predicate
def chairs_the_vote(user, vote) -> bool:
    """The chair of the meeting whose agenda holds this vote opens, closes and publishes it."""
    from renda.ballots.models import Vote

    person_id = getattr(user, "person_id", None)
    if not isinstance(vote, Vote) or person_id is None or not vote.pk:
        return False
    from .models import Meeting

    return Meeting.objects.filter(items__votes=vote, chair_id=person_id).exists()


@rules.predicate
def may_view_document(user, doc) -> bool:
    if doc is None:
        return False
    if can_manage(user, doc.meeting):
        return True
    return doc.published_at is not None and is_participant(user, doc.meeting)


rules.add_perm("meetings.manage", can_manage)
rules.add_perm("meetings.view_document", may_view_document)
# The ballot engine lets the office and directors run votes; a meeting's chair runs that meeting's.
rules.set_perm("ballots.manage", ballots_can_manage | chairs_the_vote)
rules.add_perm("meetings.chair", can_manage | is_chair)
rules.add_perm("meetings.view", (is_committee_side & in_own_congress) | is_participant)
