"""The role × action matrix: every page and endpoint, and what each role gets.

This one table is the source of docs/permissions.md (`manage.py permissions_doc`) and of the test
renda/accounts/tests/test_permission_matrix.py, which also fails when a URL exists that the table
does not name. Codes: 200 ok, 302 redirect (to login for anonymous, or after a successful POST),
401 API without credentials, 403 forbidden, 404 not found or not allowed (existence is private).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ["anonymous", "norole", "admin", "staff", "director", "deputy", "unit", "discipline", "town_staff",
         "evaluatee"]

ROLE_LABELS = {
    "anonymous": "未登录/群众", "norole": "无角色用户", "admin": "系统管理员", "staff": "机关工作人员",
    "director": "主任会议成员", "deputy": "人大代表", "unit": "承办单位", "discipline": "纪委监委联络人",
    "town_staff": "镇人大工作人员", "evaluatee": "被评议人员",
}


@dataclass
class Row:
    name: str  # URL name, e.g. "deputies:detail"
    action: str  # what the row checks, in Chinese for the doc
    url: Callable  # world -> path
    expect: dict[str, int]
    method: str = "get"
    data: Callable | None = None  # world -> POST data
    api: bool = False
    extra_names: list[str] = field(default_factory=list)  # other URL names this row also covers


def page(*layers: dict[str, int], **overrides: int) -> dict[str, int]:
    """A workspace page: anonymous is sent to login; the rest default to 403 unless given.

    Later layers win, so `page(ROSTER, CITY_OBJECT_HIDDEN)` reads "the roster roles see it, and
    these roles get 404 because the object is outside their scope".
    """
    out = {r: 403 for r in ROLES}
    out.update(anonymous=302, admin=200)
    for layer in layers:
        out.update(layer)
    out.update(overrides)
    return out


def public(code=200) -> dict[str, int]:
    return {r: code for r in ROLES}


ALL_WORKSPACE = dict(staff=200, director=200, deputy=200, unit=200, discipline=200, town_staff=200, evaluatee=200,
                     norole=200)
ROSTER = dict(staff=200, director=200, deputy=200, town_staff=200)
CITY_OBJECT_HIDDEN = dict(unit=404, discipline=404, evaluatee=404, norole=404, town_staff=404)

MATRIX: list[Row] = [
    Row("accounts:login", "登录页", lambda w: "/accounts/login/", {**public(302), "anonymous": 200}),
    Row("accounts:home", "工作台", lambda w: "/accounts/", page(ALL_WORKSPACE)),
    Row("accounts:switch_role", "切换身份（他人的角色）", lambda w: "/accounts/switch-role/",
        {**{r: 404 for r in ROLES}, "anonymous": 302}, method="post",
        data=lambda w: {"assignment": 999999}),
    Row("deputies:list", "代表名册", lambda w: "/deputies/", page(ROSTER)),
    Row("deputies:detail", "市代表详情", lambda w: f"/deputies/{w.deputy.pk}/",
        page(ROSTER, CITY_OBJECT_HIDDEN)),
    Row("deputies:status", "暂停市代表资格", lambda w: f"/deputies/{w.deputy.pk}/status/",
        page(CITY_OBJECT_HIDDEN, staff=302, director=302, deputy=403, admin=302), method="post",
        data=lambda w: {"action": "suspend", "note": "依法暂停", "version": 0}),
    Row("deputies:stations", "联络站列表", lambda w: "/deputies/stations/", page(ROSTER)),
    Row("deputies:station", "镇联络站详情", lambda w: f"/deputies/stations/{w.station.pk}/",
        page(staff=404, director=404, deputy=404, unit=404, discipline=404, evaluatee=404, norole=404,
             town_staff=200)),
    Row("org:overview", "组织机构", lambda w: "/org/",
        page(staff=200, director=200, deputy=200, unit=200, discipline=200, town_staff=200)),
    Row("org:unit", "承办单位详情", lambda w: f"/org/units/{w.unit.pk}/",
        page(staff=200, director=200, deputy=200, unit=200, discipline=200, town_staff=404, evaluatee=404,
             norole=404)),
    Row("org:unit", "其他承办单位（对承办单位）", lambda w: f"/org/units/{w.other_unit.pk}/",
        page(staff=200, director=200, deputy=200, unit=404, discipline=200, town_staff=404, evaluatee=404,
             norole=404)),
]

MATRIX += [
    Row("roster:import", "Excel 导入名册", lambda w: "/deputies/roster/import/",
        page(staff=200, town_staff=200, admin=403)),
    Row("roster:import_confirm", "确认导入（无效令牌）", lambda w: "/deputies/roster/import/confirm/",
        page(staff=404, town_staff=404, admin=403), method="post", data=lambda w: {"token": "not-a-token"}),
    Row("roster:template", "下载导入模板", lambda w: "/deputies/roster/template/",
        page(staff=200, town_staff=200, admin=403)),
    Row("roster:export", "导出名册（理由页）", lambda w: "/deputies/roster/export/",
        page(staff=200, director=200, town_staff=200, admin=403)),
    Row("roster:export", "导出名册（提交）", lambda w: "/deputies/roster/export/",
        page(staff=200, director=200, town_staff=200, admin=403), method="post", data=lambda w: {"reason": "核对名册"}),
    Row("core:attachment", "无权查看的附件", lambda w: "/files/999999/", {r: 404 for r in ROLES}),
    Row("core:export_log", "个人信息导出记录", lambda w: "/files/exports/",
        page(staff=200, director=200, town_staff=200, admin=200)),
]

MATRIX += [
    Row("portal:home", "门户首页", lambda w: "/", public(200)),
    Row("portal:find", "找代表（镇→社区→代表）", lambda w: f"/find/?town={w.town_place.pk}&community={w.community.pk}",
        public(200)),
    Row("portal:deputy", "代表公开信息", lambda w: f"/deputy/{w.deputy.pk}/", public(200)),
    Row("portal:deputy", "终止资格代表（不公开）", lambda w: f"/deputy/{w.terminated_deputy.pk}/", public(404)),
    Row("portal:station", "联络站公开信息", lambda w: f"/station/{w.station.pk}/", public(200)),
]

MATRIX += [
    Row("workdays:calendar", "工作日历", lambda w: "/calendar/", page(ALL_WORKSPACE)),
    Row("workdays:calculator", "期限计算器", lambda w: "/calendar/calculator/", page(ALL_WORKSPACE)),
    Row("workdays:policies", "期限规则", lambda w: "/calendar/policies/", page(ALL_WORKSPACE)),
    Row("workdays:holiday_add", "新增节假日", lambda w: "/calendar/holidays/add/", page(staff=200)),
    Row("workdays:holiday_edit", "修改节假日", lambda w: f"/calendar/holidays/{w.holiday.pk}/edit/", page(staff=200)),
    Row("workdays:holiday_delete", "删除节假日", lambda w: f"/calendar/holidays/{w.holiday.pk}/delete/",
        page(staff=200)),
    Row("workdays:year_entered", "标记年度安排已录入", lambda w: "/calendar/years/2027/entered/",
        page(staff=302, admin=302), method="post"),
    Row("workdays:policy_edit", "修改期限规则", lambda w: f"/calendar/policies/{w.policy.pk}/edit/",
        page(staff=200)),
    Row("notify:inbox", "消息", lambda w: "/inbox/", page(ALL_WORKSPACE)),
    Row("notify:message", "他人的消息", lambda w: f"/inbox/{w.message.pk}/", page({r: 404 for r in ROLES},
                                                                                 anonymous=302, staff=200)),
    Row("notify:read", "标记他人消息已读", lambda w: f"/inbox/{w.message.pk}/read/",
        page({r: 404 for r in ROLES}, anonymous=302, staff=302), method="post"),
    Row("notify:read_all", "全部标记已读", lambda w: "/inbox/read-all/",
        page({r: 302 for r in ROLES}), method="post"),
]

# --- JSON API (renda/api): 401 without credentials; a list the role may not use is 403; an item
# outside the caller's scope is 404 (see docs/api.md).
API_SIGNED_IN = {**{r: 200 for r in ROLES}, "anonymous": 401}
API_ORG = {**API_SIGNED_IN, "norole": 403, "evaluatee": 403}
API_ROSTER = {**{r: 403 for r in ROLES}, "anonymous": 401, "admin": 200, "staff": 200, "director": 200,
              "deputy": 200, "town_staff": 200}
API_HIDDEN = {**{r: 404 for r in ROLES}, "anonymous": 401}

MATRIX += [
    Row("api:me", "API 当前用户", lambda w: "/api/me", API_SIGNED_IN, api=True),
    Row("api:congress_list", "API 人大列表", lambda w: "/api/congresses", API_SIGNED_IN, api=True),
    Row("api:place_list", "API 地域", lambda w: "/api/places", API_ORG, api=True),
    Row("api:office_list", "API 工作机构", lambda w: "/api/offices", API_ORG, api=True),
    Row("api:committee_member_list", "API 常委会组成人员", lambda w: "/api/committee-members", API_ORG, api=True),
    Row("api:unit_list", "API 承办单位列表", lambda w: "/api/units", API_ORG, api=True),
    Row("api:unit_get", "API 承办单位详情", lambda w: f"/api/units/{w.unit.pk}",
        {**API_ORG, "norole": 404, "evaluatee": 404, "town_staff": 404}, api=True),
    Row("api:unit_get", "API 其他承办单位（对承办单位）", lambda w: f"/api/units/{w.other_unit.pk}",
        {**API_ORG, "norole": 404, "evaluatee": 404, "town_staff": 404, "unit": 404}, api=True),
    Row("api:deputy_list", "API 代表名册", lambda w: "/api/deputies", API_ROSTER, api=True),
    Row("api:deputy_get", "API 市代表详情", lambda w: f"/api/deputies/{w.deputy.pk}",
        {**API_HIDDEN, "admin": 200, "staff": 200, "director": 200, "deputy": 200}, api=True),
    Row("api:deputy_change_status", "API 暂停市代表资格", lambda w: f"/api/deputies/{w.deputy.pk}/status",
        {**API_HIDDEN, "admin": 200, "staff": 200, "director": 200, "deputy": 403}, method="post",
        data=lambda w: {"action": "suspend", "note": "依法暂停", "expected_version": 0}, api=True),
    Row("api:station_list", "API 联络站列表", lambda w: "/api/stations", API_ROSTER, api=True),
    Row("api:station_get", "API 镇联络站详情", lambda w: f"/api/stations/{w.station.pk}",
        {**API_HIDDEN, "admin": 200, "town_staff": 200}, api=True),
    Row("api:public_town_list", "API 公开：镇（街道）", lambda w: "/api/public/towns", public(200), api=True),
    Row("api:public_community_list", "API 公开：村（社区）",
        lambda w: f"/api/public/towns/{w.town_place.pk}/communities", public(200), api=True),
    Row("api:public_representatives", "API 公开：找代表",
        lambda w: f"/api/public/communities/{w.community.pk}/representatives", public(200), api=True),
    Row("api:openapi-json", "API 接口描述（OpenAPI）", lambda w: "/api/openapi.json", public(200), api=True),
    Row("api:openapi-view", "API 文档页（本地 Swagger UI）", lambda w: "/api/docs", public(200), api=True),
]

# The citizens' channel (renda/opinions/matrix/*.py, one file per area).
from renda.opinions.matrix import api as _o_api  # noqa: E402
from renda.opinions.matrix import handle as _o_handle  # noqa: E402
from renda.opinions.matrix import open311 as _o_open311  # noqa: E402
from renda.opinions.matrix import public as _o_public  # noqa: E402
from renda.opinions.matrix import staff as _o_staff  # noqa: E402
from renda.opinions.matrix import stats as _o_stats  # noqa: E402

MATRIX += _o_public.ROWS + _o_handle.ROWS + _o_staff.ROWS + _o_stats.ROWS + _o_api.ROWS + _o_open311.ROWS

# Deputies' suggestions (renda/suggestions/matrix/*.py).
from renda.suggestions.matrix import api as _s_api  # noqa: E402
from renda.suggestions.matrix import pages as _s_pages  # noqa: E402
from renda.suggestions.matrix import stats as _s_stats  # noqa: E402

MATRIX += _s_pages.ROWS + _s_stats.ROWS + _s_api.ROWS

# Meetings and the ballot engine (renda/meetings/matrix/*.py).
from renda.meetings.matrix import api as _m_api  # noqa: E402
from renda.meetings.matrix import documents as _m_documents  # noqa: E402
from renda.meetings.matrix import pages as _m_pages  # noqa: E402

MATRIX += _m_pages.ROWS + _m_documents.ROWS + _m_api.ROWS

# URL names that are deliberately outside the matrix, with the reason.
EXEMPT = {
    "accounts:logout": "退出登录对任何人都可用",
    "api:api-root": "ninja 的占位根地址（/api/），总是 404",
}
EXEMPT_PREFIXES = ("admin:",)  # Django admin: superusers only, guarded by Django itself
