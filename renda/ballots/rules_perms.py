"""Who may run a vote and who may see it. Casting a ballot is not a permission: it is a personal
act of a person on the vote's roll (services.cast checks the roll), so nobody, a superuser
included, can vote on someone's behalf. See docs/permissions.md."""

import rules

from renda.accounts.permissions import in_own_congress, is_committee_side, is_director, is_staff_role, is_town_staff

# The office that runs the congress's meetings, and the directors (the chair of a session is one).
can_manage = (is_staff_role | is_town_staff | is_director) & in_own_congress


@rules.predicate
def on_roll(user, vote) -> bool:
    if vote is None or getattr(user, "person_id", None) is None:
        return False
    from .models import Roll

    return Roll.objects.filter(vote_id=vote.pk, person_id=user.person_id).exists()


rules.add_perm("ballots.manage", can_manage)
rules.add_perm("ballots.view", (is_committee_side & in_own_congress) | on_roll)
