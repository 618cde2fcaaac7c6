from ninja import Router

from renda.accounts.selectors import assignments_for_user

from .. import presenters
from ..errors import AUTH_ERRORS, errors_for
from ..schemas import MeOut

router = Router(tags=["me"])


@router.get(
    "/me",
    response={200: MeOut, **errors_for(*AUTH_ERRORS)},
    operation_id="me",
    summary="当前用户与身份",
    url_name="me",
)
def me(request):
    """The caller, every role they hold, and the role this request acts as."""
    user = request.auth
    active = user.active_assignment
    return {
        "id": user.pk, "username": user.username, "display_name": str(user), "is_superuser": user.is_superuser,
        "roles": [presenters.assignment(a) for a in assignments_for_user(user=user)],
        "active_role": presenters.assignment(active) if active else None,
    }
