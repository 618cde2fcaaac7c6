"""The JSON API: /api/ (OpenAPI at /api/openapi.json, Swagger UI at /api/docs). See docs/api.md."""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from . import errors
from .auth import API_AUTH
from .docs import LocalSwagger
from .endpoints import deputies, me, opinions, org, public
from .throttles import AnonThrottle, UserThrottle


class UnicodeJSONRenderer(JSONRenderer):
    # ninja's default escapes every Chinese character as \uXXXX, doubling the payload.
    json_dumps_params = {"ensure_ascii": False}


# Shown at the top of /api/docs and in the schema (for developers; see docs/api.md).
DESCRIPTION = (
    "智慧人大 JSON API。认证：浏览器会话（非安全方法需 X-CSRFToken），或 `Authorization: Bearer <令牌>`"
    "（`manage.py api_token_create <用户名> <名称>` 生成）。可用 `X-Renda-Role: <角色编号>` 选择身份。"
    "错误统一为 {\"error\": {\"code\", \"message\", \"details\"}}。"
)

api = NinjaAPI(
    title="Renda 智慧人大 API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=API_AUTH,
    throttle=[AnonThrottle(), UserThrottle()],
    renderer=UnicodeJSONRenderer(),
    docs=LocalSwagger(),
)
errors.install(api)

api.add_router("", me.router)
api.add_router("", org.router)
api.add_router("", deputies.router)
api.add_router("/public", public.router, auth=None)
api.add_router("", opinions.router)
api.add_router("/public", opinions.public_router, auth=None)
api.add_router("", "renda.api.endpoints.suggestions.router")
api.add_router("/public", "renda.api.endpoints.suggestions.public_router", auth=None)
api.add_router("", "renda.api.endpoints.meetings.router")
api.add_router("/public", "renda.api.endpoints.meetings.public_router", auth=None)
