import rules

from renda.accounts.permissions import (
    in_own_congress,
    is_committee_side,
    is_deputy,
    is_director,
    is_own_deputy_seat,
    is_staff_role,
    is_superuser,
    is_town_staff,
)

can_manage = ((is_staff_role | is_town_staff) & in_own_congress) | is_superuser

rules.add_perm("deputies.view_deputy", ((is_committee_side | is_deputy) & in_own_congress) | is_superuser)
# Contact details unmasked: the office that manages deputies, and the deputy themself.
rules.add_perm("deputies.view_contact", can_manage | is_own_deputy_seat)
rules.add_perm("deputies.change_deputy", can_manage)
rules.add_perm("deputies.change_status", can_manage | (is_director & in_own_congress))
rules.add_perm("deputies.import_roster", can_manage)
rules.add_perm("deputies.export_roster", can_manage | (is_director & in_own_congress))
rules.add_perm("deputies.view_station", ((is_committee_side | is_deputy) & in_own_congress) | is_superuser)
rules.add_perm("deputies.change_station", can_manage)
