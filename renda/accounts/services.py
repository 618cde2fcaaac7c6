from django.core.exceptions import PermissionDenied

from .middleware import SESSION_KEY
from .selectors import assignments_for_user


def role_switch(*, request, assignment_id: int) -> None:
    """Make one of the user's own assignments the active role for this session."""
    for a in assignments_for_user(user=request.user):
        if a.pk == assignment_id:
            request.session[SESSION_KEY] = a.pk
            request.user.active_assignment = a
            return
    raise PermissionDenied
