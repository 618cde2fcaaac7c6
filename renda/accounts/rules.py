import rules

from .permissions import is_superuser, role_is

# Any signed-in user holding at least one role may use the workspace.
rules.add_perm("accounts.use_workspace", role_is("staff", "director", "deputy", "unit", "discipline",
                                                 "town_staff", "evaluatee") | is_superuser)
