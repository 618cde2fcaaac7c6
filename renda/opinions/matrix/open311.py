"""Permission-matrix rows for Open311 (/open311/v2/) and its key pages (/opinions/keys/)."""

from renda.permission_matrix import Row, page, public

from ..matrix_world import ow

KEY_PAGES = dict(staff=200, town_staff=200, admin=403)  # keys belong to the active role's congress

ROWS: list[Row] = [
    Row("open311:discovery", "Open311 服务发现", lambda w: "/open311/v2/discovery.json", public(200)),
    Row("open311:services", "Open311 服务（类别）列表", lambda w: "/open311/v2/services.xml", public(200)),
    Row("open311:service_definition", "Open311 服务定义", lambda w: "/open311/v2/services/urban.json", public(200)),
    Row("open311:requests", "Open311 诉求列表（无密钥：仅已公开）", lambda w: "/open311/v2/requests.json", public(200)),
    Row("open311:requests", "Open311 提交诉求（无密钥）", lambda w: "/open311/v2/requests.json", public(403),
        method="post", data=lambda w: {"service_code": "urban", "address_string": "沙溪镇", "description": "测试"}),
    Row("open311:requests", "Open311 提交诉求（已吊销或错误的密钥）", lambda w: "/open311/v2/requests.xml",
        public(403), method="post",
        data=lambda w: {"api_key": "o311_wrong", "service_code": "urban", "address_string": "沙溪镇",
                        "description": "测试"}),
    Row("open311:request", "Open311 单条诉求（查询码）",
        lambda w: f"/open311/v2/requests/{ow(w).submitted.tracking_code}.json", public(200)),
    Row("open311:request", "Open311 不存在的诉求", lambda w: "/open311/v2/requests/NOSUCHCODE.json", public(404)),
    Row("open311:request_singular", "Open311 单条诉求（单数路径）",
        lambda w: f"/open311/v2/request/{ow(w).submitted.tracking_code}.xml", public(200)),
    Row("opinions:open311_keys", "Open311 接口密钥列表", lambda w: "/opinions/keys/", page(KEY_PAGES)),
    Row("opinions:open311_key_create", "新建 Open311 接口密钥（表单）", lambda w: "/opinions/keys/new/",
        page(KEY_PAGES)),
    Row("opinions:open311_key_create", "新建 Open311 接口密钥（提交，显示一次原文）", lambda w: "/opinions/keys/new/",
        page(KEY_PAGES), method="post", data=lambda w: {"name": "12345 热线"}),
    Row("opinions:open311_key_revoke", "吊销市人大的接口密钥", lambda w: f"/opinions/keys/{ow(w).key.pk}/revoke/",
        page(staff=302, town_staff=404, admin=403), method="post"),
]
