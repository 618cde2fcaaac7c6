"""Attaches the user's active role (one of their RoleAssignments) to every request."""

from .selectors import assignment_active_for

SESSION_KEY = "renda_role_assignment"


class ActiveRoleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user.active_assignment = assignment_active_for(user=user, wanted_id=request.session.get(SESSION_KEY))
        return self.get_response(request)
