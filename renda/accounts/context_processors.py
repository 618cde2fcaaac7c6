from .selectors import assignments_for_user


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"role_assignments": assignments_for_user(user=user), "active_assignment": user.active_assignment}
