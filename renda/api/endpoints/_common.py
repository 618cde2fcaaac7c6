"""Helpers shared by the endpoint modules: the list gate, offset pages, references, and the services'
errors (field errors and refused uploads)."""

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet

from renda.core.attachments import AttachmentRejected

from ..errors import ERR_VALIDATION, ApiError
from ..schemas import PageParams

# Service field names -> API field names, for the details of a 422 (a service names a foreign key
# by the model field; the API's bodies carry its id). An endpoint adds its own with _service(**rename).
FIELD_NAMES = {"deputy": "deputy_id", "station": "station_id", "community": "community_id",
               "category": "category_id", "units": "unit_ids", "into": "into_id", "assignment": "part_id"}


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


def _invalid(e: ValidationError, rename: dict[str, str]) -> ApiError:
    details = []
    if hasattr(e, "error_dict"):
        for field, errors in e.error_dict.items():
            name = rename.get(field, FIELD_NAMES.get(field, field))
            for err in errors:
                details.append({"loc": ["body", name], "msg": "；".join(err.messages), "type": err.code or "invalid"})
    else:
        for err in e.error_list:
            details.append({"loc": ["body"], "msg": "；".join(err.messages), "type": err.code or "invalid"})
    return ApiError(422, "validation_error", ERR_VALIDATION, details)


@contextmanager
def _service(**rename: str):
    """Run a service call; its ValidationError becomes the API's 422 with field details."""
    try:
        yield
    except ValidationError as e:
        raise _invalid(e, rename) from None


@contextmanager
def files_as(field: str):
    """A service's refusal of an upload (disguised, empty or oversize) as that field's 422 detail."""
    try:
        yield
    except AttachmentRejected as e:
        raise _invalid(ValidationError({field: [e]}), {}) from None


def ref(obj, name=None) -> dict | None:
    """{"id", "name"} of a related object (None stays None)."""
    if obj is None:
        return None
    return {"id": obj.pk, "name": name if name is not None else obj.name}


def value(choice):
    """An enum member from a schema as the plain string the services compare with."""
    return getattr(choice, "value", choice)
