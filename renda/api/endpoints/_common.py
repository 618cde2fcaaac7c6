from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from ..schemas import PageParams


def require_perm(user, perm: str) -> None:
    """Model-level gate for list endpoints (the role may use this list at all); objects are then
    scoped by the selectors."""
    if not user.has_perm(perm):
        raise PermissionDenied


def paginate(qs: QuerySet | list, page: PageParams, present) -> dict:
    if isinstance(qs, list):
        count, rows = len(qs), qs[page.offset: page.offset + page.limit]
    else:
        count, rows = qs.count(), qs[page.offset: page.offset + page.limit]
    return {"count": count, "limit": page.limit, "offset": page.offset, "items": [present(r) for r in rows]}
