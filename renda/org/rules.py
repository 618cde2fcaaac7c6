import rules

from renda.accounts.permissions import (
    in_own_congress,
    is_committee_side,
    is_own_unit,
    is_staff_role,
    is_superuser,
    is_town_staff,
    role_is,
)

# The organisation (offices, members, units, places) is visible inside one's own congress.
can_view_org = (role_is("staff", "director", "town_staff", "deputy", "discipline") & in_own_congress) | (
    role_is("unit") & in_own_congress) | is_superuser
rules.add_perm("org.view_org", can_view_org)
rules.add_perm("org.change_org", ((is_staff_role | is_town_staff) & in_own_congress) | is_superuser)
rules.add_perm("org.view_unit_contacts", (is_committee_side & in_own_congress) | is_own_unit | is_superuser)
