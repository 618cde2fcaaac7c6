"""One error shape for the whole API: {"error": {"code", "message", "details"}}.

Codes are stable identifiers clients may branch on; messages are Chinese text for people and may
change. Every operation declares the error statuses it can return (see `errors_for`) so that the
OpenAPI schema is honest and schemathesis can hold the API to it.
"""

import logging

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from renda.core.workflow import ConflictError, InvalidTransition, WorkflowError

logger = logging.getLogger(__name__)

ERR_BAD_REQUEST = _("请求格式有误。")
ERR_NOT_AUTHENTICATED = _("请先登录，或提供有效的 API 令牌。")
ERR_PERMISSION_DENIED = _("没有权限执行此操作。")
ERR_CSRF = _("CSRF 校验失败，请刷新页面后重试。")
ERR_NOT_FOUND = _("未找到。")
ERR_VALIDATION = _("请求参数有误。")
ERR_THROTTLED = _("请求过于频繁，请稍后再试。")
ERR_SERVER = _("服务器内部错误，请稍后再试。")
ERR_INVALID_ROLE = _("X-Renda-Role 不是当前用户的有效身份。")

# HTTP status -> (code, message) for errors that carry no code of their own.
STATUS_CODES = {
    400: ("bad_request", ERR_BAD_REQUEST),
    401: ("not_authenticated", ERR_NOT_AUTHENTICATED),
    403: ("permission_denied", ERR_PERMISSION_DENIED),
    404: ("not_found", ERR_NOT_FOUND),
    409: ("conflict", ""),
    422: ("validation_error", ERR_VALIDATION),
    429: ("throttled", ERR_THROTTLED),
}


class ApiError(Exception):
    """Raise from an endpoint or auth class to answer with this status, code and message."""

    def __init__(self, status: int, code: str, message, details=None):
        super().__init__(str(message))
        self.status = status
        self.code = code
        self.message = message
        self.details = details


# --- schemas ----------------------------------------------------------------------------------
class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ErrorBody(Schema):
    code: str
    message: str
    details: list[FieldError] | None = None


class ErrorOut(Schema):
    error: ErrorBody


def errors_for(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The `response=` entries for these error statuses, plus 429 (every operation is throttled)."""
    return {s: ErrorOut for s in sorted({*statuses, 429})}


# Every authenticated operation can answer these: bad X-Renda-Role (400), no credentials (401),
# bad query or path values (422), too many requests (429).
AUTH_ERRORS = (400, 401, 422)


# --- handlers -----------------------------------------------------------------------------------
def _body(code: str, message, details=None) -> dict:
    return {"error": {"code": code, "message": str(message), "details": details}}


def _field_errors(errors: list[dict]) -> list[dict]:
    out = []
    for e in errors:
        loc = [p if isinstance(p, int) else str(p) for p in e.get("loc", ())]
        out.append({"loc": loc, "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))})
    return out


def install(api) -> None:
    """Register the handlers on a NinjaAPI (replacing ninja's {"detail": …} defaults)."""

    def respond(request: HttpRequest, status: int, code: str, message, details=None) -> HttpResponse:
        return api.create_response(request, _body(code, message, details), status=status)

    def api_error(request, exc: ApiError):
        return respond(request, exc.status, exc.code, exc.message, exc.details)

    def validation_error(request, exc: NinjaValidationError):
        return respond(request, 422, "validation_error", ERR_VALIDATION, _field_errors(exc.errors))

    def http_error(request, exc: HttpError):
        code, message = STATUS_CODES.get(exc.status_code, ("error", exc.message))
        return respond(request, exc.status_code, code, message or exc.message)

    def not_authenticated(request, exc):
        return respond(request, 401, "not_authenticated", ERR_NOT_AUTHENTICATED)

    def throttled(request, exc):
        return respond(request, 429, "throttled", ERR_THROTTLED)

    def not_found(request, exc):
        # "Not allowed" and "does not exist" look the same from outside.
        return respond(request, 404, "not_found", ERR_NOT_FOUND)

    def permission_denied(request, exc):
        return respond(request, 403, "permission_denied", ERR_PERMISSION_DENIED)

    def conflict(request, exc: ConflictError):
        return respond(request, 409, exc.code, exc.message)

    def invalid_transition(request, exc: InvalidTransition):
        return respond(request, 422, exc.code, exc.message)

    def workflow_error(request, exc: WorkflowError):
        return respond(request, 400, exc.code, exc.message)

    def suspicious(request, exc):
        return respond(request, 400, "bad_request", ERR_BAD_REQUEST)

    def server_error(request, exc):
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        return respond(request, 500, "server_error", ERR_SERVER)

    for exc_class, handler in [
        (Exception, server_error),
        (ApiError, api_error),
        (NinjaValidationError, validation_error),
        (HttpError, http_error),
        (AuthenticationError, not_authenticated),
        (Throttled, throttled),
        (Http404, not_found),
        (ObjectDoesNotExist, not_found),
        (PermissionDenied, permission_denied),
        (WorkflowError, workflow_error),
        (ConflictError, conflict),
        (InvalidTransition, invalid_transition),
        (SuspiciousOperation, suspicious),
    ]:
        api.add_exception_handler(exc_class, handler)
