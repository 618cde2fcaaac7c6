"""Permission-matrix rows for the opinions handle URLs (added to renda/permission_matrix.py).

The items (ow(w)) belong to the city congress, addressed to w.deputy; the station item belongs to the
town congress (沙溪镇), whose station w.deputy is on duty at. Outside one's scope an item is 404.
"""

from renda.permission_matrix import ROLES, Row, page, public  # noqa: F401

from ..matrix_world import ow

HIDDEN = {r: 404 for r in ROLES if r != "anonymous"}
CITY_ITEM = page(HIDDEN, staff=200, director=200, deputy=200, admin=200)
CITY_PART = page(HIDDEN, staff=200, director=200, deputy=200, unit=200, admin=200)
# Who may press a handler's button on a city item: the addressed deputy, the office, the superuser.
CITY_HANDLE_POST = page(HIDDEN, staff=302, deputy=302, admin=302, director=403)

ROWS: list[Row] = [
    Row("opinions:inbox", "群众意见收件箱", lambda w: "/opinions/inbox/",
        page(staff=200, director=200, deputy=200, town_staff=200, admin=200, unit=302)),
    Row("opinions:inbox", "收件箱（待受理、超期）", lambda w: "/opinions/inbox/?tab=pending&overdue=1",
        page(staff=200, director=200, deputy=200, town_staff=200, admin=200, unit=302)),
    Row("opinions:unit_inbox", "承办单位的转办件", lambda w: "/opinions/parts/", page(unit=200, admin=403)),
    Row("opinions:detail", "意见详情（发给代表）", lambda w: f"/opinions/{ow(w).submitted.pk}/", CITY_ITEM),
    Row("opinions:detail", "意见详情（已转办，承办单位可见）", lambda w: f"/opinions/{ow(w).forwarded.pk}/",
        page(CITY_ITEM, unit=200)),
    Row("opinions:detail", "意见详情（镇联络站）", lambda w: f"/opinions/{ow(w).station_opinion.pk}/",
        page(HIDDEN, deputy=200, town_staff=200, admin=200)),
    Row("opinions:detail", "意见详情（其他镇的代表）", lambda w: f"/opinions/{ow(w).other_town_opinion.pk}/",
        page(HIDDEN, admin=200)),
    Row("opinions:act", "受理", lambda w: f"/opinions/{ow(w).submitted.pk}/act/accept/", CITY_HANDLE_POST,
        method="post", data=lambda w: {"accept-version": ow(w).submitted.version}),
    Row("opinions:act", "不予受理（附理由）", lambda w: f"/opinions/{ow(w).submitted.pk}/act/decline/",
        CITY_HANDLE_POST, method="post",
        data=lambda w: {"decline-version": ow(w).submitted.version, "decline-reason": "不属于本级人大职权范围"}),
    Row("opinions:act", "转交另一承办单位", lambda w: f"/opinions/{ow(w).forwarded.pk}/act/forward/",
        page(CITY_HANDLE_POST, unit=403), method="post",
        data=lambda w: {"forward-version": ow(w).forwarded.version, "forward-units": [w.other_unit.pk],
                        "forward-note": "请会同办理"}),
    Row("opinions:act", "答复群众（尚未受理：冲突提示后返回）", lambda w: f"/opinions/{ow(w).submitted.pk}/act/answer/",
        CITY_HANDLE_POST, method="post",
        data=lambda w: {"answer-version": ow(w).submitted.version, "answer-reply_text": "已协调解决。"}),
    Row("opinions:act", "办结（群众未评价）", lambda w: f"/opinions/{ow(w).replied.pk}/act/close/",
        page(HIDDEN, staff=302, admin=302, director=403, deputy=403), method="post",
        data=lambda w: {"close-version": ow(w).replied.version}),
    Row("opinions:act", "受理（镇联络站的意见）", lambda w: f"/opinions/{ow(w).station_opinion.pk}/act/accept/",
        page(HIDDEN, deputy=302, town_staff=302, admin=302), method="post",
        data=lambda w: {"accept-version": ow(w).station_opinion.version}),
    Row("opinions:part", "承办单位办理页", lambda w: f"/opinions/parts/{ow(w).part.pk}/", CITY_PART),
    Row("opinions:part_act", "签收", lambda w: f"/opinions/parts/{ow(w).part.pk}/act/sign/",
        page(HIDDEN, unit=302, admin=302, staff=403, director=403, deputy=403), method="post",
        data=lambda w: {"sign-version": ow(w).part.version}),
    Row("opinions:part_act", "申请退回（附理由）", lambda w: f"/opinions/parts/{ow(w).part.pk}/act/return/",
        page(HIDDEN, unit=302, admin=302, staff=403, director=403, deputy=403), method="post",
        data=lambda w: {"return-version": ow(w).part.version, "return-reason": "不属于本单位职责"}),
    Row("opinions:part_act", "办理进展", lambda w: f"/opinions/parts/{ow(w).part.pk}/act/progress/",
        page(HIDDEN, unit=302, admin=302, staff=403, director=403, deputy=403), method="post",
        data=lambda w: {"progress-text": "已到现场查看"}),
]
