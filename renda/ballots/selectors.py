"""Reads of the ballot engine, scoped to the user. A result is visible only once published; before
that anyone may see how many have voted, never what."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from renda.accounts.permissions import office_congress_id

from .models import Roll, Vote


def votes_for_user(user) -> QuerySet:
    """The votes this user may see: all of the active congress's for its office and directors; the
    votes whose roll names the user's person for everybody else."""
    congress_id = office_congress_id(user)
    person_id = getattr(user, "person_id", None)
    scope = Q(pk__in=[])
    if congress_id is not None:
        scope |= Q(congress_id=congress_id)
    if person_id is not None:
        scope |= Q(Exists(Roll.objects.filter(vote_id=OuterRef("pk"), person_id=person_id)))
    return Vote.objects.filter(scope)


def vote_for_user(user, vote_id: int) -> Vote:
    try:
        return votes_for_user(user).get(pk=vote_id)
    except Vote.DoesNotExist:
        raise Http404 from None


def open_votes_for_voter(user) -> QuerySet:
    """Open electronic votes where the user is on the roll, present, and has not voted yet."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return Vote.objects.none()
    return Vote.objects.filter(
        status=Vote.Status.OPEN, method=Vote.Method.ELECTRONIC,
        roll__person_id=person_id, roll__voted=False,
    ).order_by("id")


def own_roll(user, vote_id: int) -> Roll | None:
    """The user's line in this vote's roll with the vote itself, in one query by the unique
    (vote, person) index; None when the user's person is not on the roll. A person on the roll may
    see the vote (votes_for_user), so the voter's POST needs no other scope query."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return None
    return Roll.objects.select_related("vote").filter(vote_id=vote_id, person_id=person_id).first()


def rolls_of(user, vote_ids) -> dict[int, Roll]:
    """The user's own line in each of these votes' rolls (has voted or not), by vote id."""
    person_id = getattr(user, "person_id", None)
    if person_id is None or not vote_ids:
        return {}
    return {r.vote_id: r for r in Roll.objects.filter(vote_id__in=list(vote_ids), person_id=person_id)}


def visible_result(vote: Vote) -> dict | None:
    return vote.result if vote.status == Vote.Status.PUBLISHED else None


def progress(vote: Vote) -> dict:
    """Live counts for the chair's screen: entitled, present, voted (electronic)."""
    return progress_many([vote.pk]).get(vote.pk, {"entitled": 0, "present": 0, "voted": 0})


def progress_many(vote_ids) -> dict[int, dict]:
    """progress() of several votes in one query."""
    from django.db.models import Count

    rows = (Roll.objects.filter(vote_id__in=list(vote_ids)).values("vote_id")
            .annotate(entitled=Count("pk"), present=Count("pk", filter=Q(present=True)),
                      voted=Count("pk", filter=Q(voted=True))))
    return {r["vote_id"]: {"entitled": r["entitled"], "present": r["present"], "voted": r["voted"]} for r in rows}


def tie_pending(vote: Vote) -> bool:
    """A closed 票决 with options tied at the cut line that still needs the chair's decision or a runoff."""
    result = vote.result or {}
    if vote.kind != Vote.Kind.CHOICE or vote.status not in (Vote.Status.CLOSED, Vote.Status.PUBLISHED):
        return False
    if not any(r.get("tied") for r in result.get("ranking", [])):
        return False
    if vote.tie_rule == Vote.TieRule.CHAIR:
        return not result.get("decided")
    # Through .all(), so that a page that prefetched the runoffs (meetings' agenda) asks nothing more.
    return not any(r.status != Vote.Status.CANCELLED for r in vote.runoffs.all())
