"""Who may do what with an opinion. Scope is the object: the addressed deputy, the station's duty
deputies, the congress's staff, the units that hold a part. See docs/permissions.md.
"""

import rules

from renda.accounts.permissions import (
    _assignment,
    in_own_congress,
    is_committee_side,
    is_staff_role,
    is_superuser,
    is_town_staff,
    is_unit,
    role_is,
)


def _opinion_of(obj):
    return getattr(obj, "opinion", obj) if obj is not None else None


@rules.predicate
def is_addressed_deputy(user, obj) -> bool:
    """The deputy (active seat) the opinion was sent to."""
    a = _assignment(user)
    op = _opinion_of(obj)
    if a is None or a.role != "deputy" or op is None:
        return False
    return op.deputy_id is not None and op.deputy_id == a.deputy_id


@rules.predicate
def is_station_duty_deputy(user, obj) -> bool:
    """A deputy on duty at the liaison station the opinion was sent to."""
    from renda.deputies.models import StationDuty

    a = _assignment(user)
    op = _opinion_of(obj)
    if a is None or a.role != "deputy" or op is None or op.station_id is None:
        return False
    return StationDuty.objects.filter(station_id=op.station_id, deputy_id=a.deputy_id).exists()


@rules.predicate
def unit_holds_part(user, obj) -> bool:
    """The active unit has a part (not withdrawn) in this opinion."""
    from .models import Assignment

    a = _assignment(user)
    op = _opinion_of(obj)
    if a is None or a.role != "unit" or op is None:
        return False
    return Assignment.objects.filter(opinion_id=op.pk, unit_id=a.unit_id).exclude(
        status=Assignment.Status.WITHDRAWN).exists()


@rules.predicate
def is_own_assignment(user, obj) -> bool:
    a = _assignment(user)
    return a is not None and a.role == "unit" and obj is not None and getattr(obj, "unit_id", None) == a.unit_id


@rules.predicate
def opinion_in_own_congress(user, obj) -> bool:
    return in_own_congress(user, _opinion_of(obj))


office = (is_staff_role | is_town_staff) & opinion_in_own_congress
handler = is_addressed_deputy | is_station_duty_deputy | office | is_superuser

rules.add_perm("opinions.view_opinion", (is_committee_side & opinion_in_own_congress) | is_addressed_deputy
               | is_station_duty_deputy | unit_holds_part | is_superuser)
# Citizens' contact details unmasked: whoever handles the item, the units included (they call back).
rules.add_perm("opinions.view_contact", handler | unit_holds_part)
rules.add_perm("opinions.handle", handler)
rules.add_perm("opinions.manage", office | is_superuser)
rules.add_perm("opinions.view_stats", (is_committee_side & in_own_congress) | is_superuser)
rules.add_perm("opinions.handle_assignment", is_unit & is_own_assignment)
rules.add_perm("opinions.arbitrate", office | is_superuser)
# The citizen acts through renda.opinions.actors.Citizen, which holds only this permission.
rules.add_perm("opinions.rate", rules.always_deny)
# The opinions inbox/list page itself (what it lists is scoped by selectors.opinion_list_for_user).
rules.add_perm("opinions.list", role_is("staff", "director", "town_staff", "deputy", "unit") | is_superuser)
# Only renda.opinions.actors.SYSTEM holds this: merged items follow their main item.
rules.add_perm("opinions.follow_merge", rules.always_deny)
rules.add_perm("opinions.expire", rules.always_deny)
