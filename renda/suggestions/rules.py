"""Who may do what with a suggestion. Scope is the object: its author and co-signers (and those of the
suggestions merged into it), the congress's office, the units that hold a part. See docs/permissions.md.

A draft is private to its author and the deputies invited to co-sign it: the office sees a
suggestion only once it has been submitted.
"""

import rules

from renda.accounts.permissions import (
    _assignment,
    in_own_congress,
    is_committee_side,
    is_director,
    is_staff_role,
    is_superuser,
    is_town_staff,
    is_unit,
    role_is,
)


def _suggestion_of(obj):
    return getattr(obj, "suggestion", obj) if obj is not None else None


def _seat(user) -> int | None:
    a = _assignment(user)
    return a.deputy_id if a is not None and a.role == "deputy" else None


def signed_q(suggestion_id: int):
    """Signatures on this suggestion or on one merged into it (their deputies get its replies)."""
    from django.db.models import Q

    return Q(suggestion_id=suggestion_id) | Q(suggestion__merged_into_id=suggestion_id)


@rules.predicate
def is_author(user, obj) -> bool:
    """The author deputy (领衔代表), acting in that seat."""
    s = _suggestion_of(obj)
    seat = _seat(user)
    return seat is not None and s is not None and s.author_id == seat


@rules.predicate
def is_signer(user, obj) -> bool:
    """A deputy who signed or was invited to sign this suggestion or one merged into it."""
    from .models import Signer

    s = _suggestion_of(obj)
    seat = _seat(user)
    if seat is None or s is None:
        return False
    return Signer.objects.filter(deputy_id=seat).exclude(status=Signer.Status.DECLINED).filter(
        signed_q(s.pk)).exists()


@rules.predicate
def is_own_signature(user, obj) -> bool:
    """The deputy a signature (Signer) belongs to, acting in that seat."""
    seat = _seat(user)
    return seat is not None and obj is not None and getattr(obj, "deputy_id", None) == seat


@rules.predicate
def is_submitted(user, obj) -> bool:
    s = _suggestion_of(obj)
    return s is None or s.status != "draft"


@rules.predicate
def suggestion_in_own_congress(user, obj) -> bool:
    return in_own_congress(user, _suggestion_of(obj))


@rules.predicate
def unit_holds_part(user, obj) -> bool:
    """The active unit has a part (not withdrawn) in this suggestion."""
    from .models import Assignment

    a = _assignment(user)
    s = _suggestion_of(obj)
    if a is None or a.role != "unit" or s is None:
        return False
    return Assignment.objects.filter(suggestion_id=s.pk, unit_id=a.unit_id).exclude(
        status=Assignment.Status.WITHDRAWN).exists()


@rules.predicate
def is_own_assignment(user, obj) -> bool:
    a = _assignment(user)
    return a is not None and a.role == "unit" and obj is not None and getattr(obj, "unit_id", None) == a.unit_id


office = (is_staff_role | is_town_staff) & suggestion_in_own_congress

rules.add_perm("suggestions.view_suggestion", (is_committee_side & suggestion_in_own_congress & is_submitted)
               | is_signer | unit_holds_part | is_superuser)
# Drafting, inviting co-signers, submitting and withdrawing: the author only.
rules.add_perm("suggestions.author", is_author)
rules.add_perm("suggestions.draft", role_is("deputy"))
# Confirming or declining a co-signature: the invited deputy only (a personal transition of SIGNER_FLOW).
rules.add_perm("suggestions.cosign", is_own_signature)
rules.add_perm("suggestions.review", office | is_superuser)
rules.add_perm("suggestions.arbitrate", office | is_superuser)
rules.add_perm("suggestions.key", office | (is_director & suggestion_in_own_congress) | is_superuser)
rules.add_perm("suggestions.handle_assignment", is_unit & is_own_assignment)
rules.add_perm("suggestions.view_stats", (is_committee_side & in_own_congress) | is_superuser)
rules.add_perm("suggestions.manage_periods", ((is_staff_role | is_town_staff) & in_own_congress) | is_superuser)
rules.add_perm("suggestions.list", role_is("staff", "director", "town_staff", "deputy", "unit") | is_superuser)
# Only renda.suggestions.workflow.SYSTEM holds this: the suggestion follows answers and ratings.
rules.add_perm("suggestions.follow", rules.always_deny)
