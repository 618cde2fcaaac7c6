from .models import RoleAssignment


def assignments_for_user(*, user) -> list[RoleAssignment]:
    if not getattr(user, "pk", None):
        return []
    cached = getattr(user, "_assignments_cache", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user, is_active=True)
            .select_related("congress", "office", "unit", "deputy")
            .order_by("id")
        )
        user._assignments_cache = cached
    return cached


def assignment_active_for(*, user, wanted_id=None) -> RoleAssignment | None:
    """The assignment chosen in the session, else the user's first one."""
    assignments = assignments_for_user(user=user)
    for a in assignments:
        if a.pk == wanted_id:
            return a
    return assignments[0] if assignments else None
