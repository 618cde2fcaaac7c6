"""Actors that are not logged-in users: the citizen (verified by tracking code) and the system.

The workflow engine checks ``actor.has_perm(permission, obj)`` for every transition; these two
objects hold exactly the permissions their role needs, so the check stays inside the operation.
"""

from dataclasses import dataclass

from renda.core.workflow import SystemActor


@dataclass(frozen=True)
class Citizen:
    """The person who submitted one opinion, proven by its tracking code (and phone digits)."""

    opinion_id: int
    pk = None
    active_role = "public"
    is_authenticated = False

    def has_perm(self, perm: str, obj=None) -> bool:
        return perm == "opinions.rate" and obj is not None and obj.pk == self.opinion_id


# Automatic steps: a merged item following its main item; closing items the citizen never rated.
SYSTEM = SystemActor(frozenset({"opinions.follow_merge", "opinions.expire"}))
