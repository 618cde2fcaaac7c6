"""Named predicates shared by every app's rules.py. Compose them with | and &.

Scope is object level: a predicate receives the object and compares its congress, unit or
deputy with the user's *active* role assignment, never with any role the user might hold.
"""

import rules


def _assignment(user):
    return getattr(user, "active_assignment", None) if getattr(user, "is_authenticated", False) else None


# The roles that run a congress's business: its office (常委会办公室 and 代表工委), its directors, a
# town's congress staff. They see all of their congress's meetings and votes.
OFFICE_ROLES = frozenset({"staff", "director", "town_staff"})


def office_congress_id(user) -> int | None:
    """The congress whose business the user runs in their active role (OFFICE_ROLES); None for anyone else."""
    a = _assignment(user)
    return a.congress_id if a is not None and a.role in OFFICE_ROLES else None


def role_is(*roles: str):
    name = "role_is_" + "_".join(roles)

    @rules.predicate(name=name)
    def predicate(user) -> bool:
        a = _assignment(user)
        return a is not None and a.role in roles

    return predicate


is_staff_role = role_is("staff")
is_director = role_is("director")
is_deputy = role_is("deputy")
is_unit = role_is("unit")
is_discipline = role_is("discipline")
is_town_staff = role_is("town_staff")
is_evaluatee = role_is("evaluatee")
is_committee_side = role_is("staff", "director", "town_staff")
is_superuser = rules.is_superuser


def congress_id_of(obj) -> int | None:
    if obj is None:
        return None
    if hasattr(obj, "congress_id"):
        return obj.congress_id
    if obj.__class__.__name__ == "Congress":
        return obj.pk
    return None


@rules.predicate
def in_own_congress(user, obj) -> bool:
    """True for objects of the active assignment's congress; True for model-level checks (obj None)."""
    a = _assignment(user)
    if a is None:
        return False
    if obj is None:
        return True
    return congress_id_of(obj) == a.congress_id


@rules.predicate
def is_own_unit(user, obj) -> bool:
    a = _assignment(user)
    if a is None or a.unit_id is None:
        return False
    if obj is None:
        return True
    unit_id = obj.pk if obj.__class__.__name__ == "Unit" else getattr(obj, "unit_id", None)
    return unit_id == a.unit_id


@rules.predicate
def is_own_deputy_seat(user, obj) -> bool:
    a = _assignment(user)
    if a is None or obj is None:
        return False
    if obj.__class__.__name__ == "Deputy":
        return a.deputy_id == obj.pk or (user.person_id is not None and obj.person_id == user.person_id)
    return False
