"""Who is calling: a Django session (with CSRF on unsafe methods) or an API token.

Either way the request ends with `request.user` set and `user.active_assignment` chosen the way
the web pages choose it (renda.accounts.selectors.assignment_active_for): the session's choice or
the user's first assignment, unless the `X-Renda-Role: <assignment id>` header picks another of the
user's own assignments.
"""

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from renda.accounts.middleware import SESSION_KEY
from renda.accounts.selectors import assignment_active_for, assignments_for_user

from .errors import ERR_CSRF, ERR_INVALID_ROLE, ERR_NOT_AUTHENTICATED, ApiError
from .selectors import token_authenticate

ROLE_HEADER = "X-Renda-Role"


def activate_role(request: HttpRequest, user, *, default_id=None) -> None:
    """Set user.active_assignment for this request, honouring the X-Renda-Role header."""
    wanted = request.headers.get(ROLE_HEADER)
    if wanted is None:
        user.active_assignment = assignment_active_for(user=user, wanted_id=default_id)
        return
    try:
        wanted_id = int(wanted.strip())
    except ValueError:
        raise ApiError(400, "invalid_role", ERR_INVALID_ROLE) from None
    if wanted_id not in {a.pk for a in assignments_for_user(user=user)}:
        raise ApiError(400, "invalid_role", ERR_INVALID_ROLE)
    user.active_assignment = assignment_active_for(user=user, wanted_id=wanted_id)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`. A token that is presented but wrong or revoked is a 401,
    even when a session cookie is also present: a caller that sends a token means that token."""

    def authenticate(self, request: HttpRequest, token: str):
        api_token = token_authenticate(key=token.strip())
        if api_token is None:
            raise ApiError(401, "not_authenticated", ERR_NOT_AUTHENTICATED)
        user = api_token.user
        request.user = user
        activate_role(request, user)
        return user


class SessionAuth(APIKeyCookie):
    """The web session. Unsafe methods need the CSRF token (X-CSRFToken header), as for forms."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None  # no session: a 401, not a CSRF failure
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise ApiError(403, "csrf_failed", ERR_CSRF)
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        activate_role(request, user, default_id=request.session.get(SESSION_KEY))
        return user


token_auth = TokenAuth()
session_auth = SessionAuth()
API_AUTH = [token_auth, session_auth]
