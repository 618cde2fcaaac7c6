import rules

from renda.accounts.permissions import is_staff_role, is_superuser

# The holiday table and the deadline policies are shared by every congress on the installation;
# committee staff (any congress) and superusers maintain them, everybody signed in may read them.
rules.add_perm("workdays.manage_calendar", is_staff_role | is_superuser)
rules.add_perm("workdays.view_calendar", rules.is_authenticated)
