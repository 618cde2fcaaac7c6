"""Permission-matrix rows for the opinions JSON API (renda/api/endpoints/opinions.py).

Codes as for the rest of the API: 401 without credentials, 403 for a list the role may not use or
an item it may see but not change, 404 for an item outside its scope. Rows whose action needs a
particular state build that state in their `url` (each matrix case runs on a fresh world).
"""

from renda.permission_matrix import ROLES, Row, public

from ..matrix_world import ow

NONE = {**{r: 404 for r in ROLES}, "anonymous": 401}
LIST_ROLES = {**{r: 403 for r in ROLES}, "anonymous": 401, "admin": 200, "staff": 200, "director": 200,
              "deputy": 200, "unit": 200, "town_staff": 200}
CITY_ITEM = {**NONE, "admin": 200, "staff": 200, "director": 200, "deputy": 200}
# Handling (受理、答复…): the addressed deputy and the congress's office; the director sees but may not.
HANDLE = {**NONE, "admin": 200, "staff": 200, "director": 403, "deputy": 200}
# Staff actions (办结、改派、催办、延期、合并、公开): the office only; others who see the item get 403.
MANAGE = {**NONE, "admin": 200, "staff": 200, "director": 403, "deputy": 403}
# A unit's steps on its own part; everyone else who sees the item gets 403.
UNIT_STEP = {**NONE, "admin": 200, "staff": 403, "director": 403, "deputy": 403, "unit": 200}
# Arbitration of a part (不同意退回、改派单位): the office.
ARBITRATE = {**NONE, "admin": 200, "staff": 200, "director": 403, "deputy": 403, "unit": 403}


def _actor(w, role):
    user = w.users[role]
    user.active_assignment = user.assignments.filter(is_active=True).first()
    return user


def _accepted(w):
    """A city deputy's opinion, accepted (ready to answer)."""
    from renda.opinions import services

    o = ow(w)
    services.opinion_accept(opinion_id=o.submitted.pk, actor=_actor(w, "deputy"))
    w.users["deputy"].active_assignment = None
    return o.submitted.pk


def _signed_part(w):
    from renda.opinions import services

    o = ow(w)
    services.assignment_sign(assignment_id=o.part.pk, actor=_actor(w, "unit"))
    w.users["unit"].active_assignment = None
    return o.part.pk


def _returned_part(w):
    from renda.opinions import services

    o = ow(w)
    services.assignment_return(assignment_id=o.part.pk, actor=_actor(w, "unit"), reason="不属于本单位职责")
    w.users["unit"].active_assignment = None
    return o.part.pk


def _submit_body(w):
    o = ow(w)
    return {"idempotency_key": "matrix-0000-0000-0001", "category_id": o.category.pk, "title": "路面塌陷",
            "text": "新港社区门口路面塌陷。", "deputy_id": w.deputy.pk, "community_id": w.community.pk,
            "citizen_phone": "13800001234"}


def _post(name, action, url, expect, data=None):
    return Row(name, action, url, expect, method="post", data=data or (lambda w: {}), api=True)


ROWS: list[Row] = [
    Row("api:opinion_list", "API 群众意见列表", lambda w: "/api/opinions", LIST_ROLES, api=True),
    Row("api:opinion_get", "API 市代表收到的意见", lambda w: f"/api/opinions/{ow(w).submitted.pk}", CITY_ITEM,
        api=True),
    Row("api:opinion_get", "API 已转办的意见（承办单位可见）", lambda w: f"/api/opinions/{ow(w).forwarded.pk}",
        {**CITY_ITEM, "unit": 200}, api=True),
    Row("api:opinion_get", "API 镇联络站收到的意见", lambda w: f"/api/opinions/{ow(w).station_opinion.pk}",
        {**NONE, "admin": 200, "deputy": 200, "town_staff": 200}, api=True),
    Row("api:opinion_get", "API 其他镇的意见", lambda w: f"/api/opinions/{ow(w).other_town_opinion.pk}",
        {**NONE, "admin": 200}, api=True),
    _post("api:opinion_enter_offline", "API 代录线下意见（市代表）", lambda w: "/api/opinions/offline",
          {**{r: 403 for r in ROLES}, "anonymous": 401, "admin": 201, "staff": 201},
          lambda w: {**_submit_body(w), "offline_event": "民声茶坊", "offline_event_date": "2026-03-15"}),
    _post("api:opinion_accept", "API 受理", lambda w: f"/api/opinions/{ow(w).submitted.pk}/accept", HANDLE),
    _post("api:opinion_accept", "API 受理其他镇的意见", lambda w: f"/api/opinions/{ow(w).other_town_opinion.pk}/accept",
          {**NONE, "admin": 200}),
    _post("api:opinion_decline", "API 不予受理", lambda w: f"/api/opinions/{ow(w).submitted.pk}/decline", HANDLE,
          lambda w: {"reason": "不属于代表职责范围"}),
    _post("api:opinion_forward", "API 转交承办单位", lambda w: f"/api/opinions/{ow(w).forwarded.pk}/forward",
          {**HANDLE, "unit": 403}, lambda w: {"unit_ids": [w.other_unit.pk], "note": "请协同办理"}),
    _post("api:opinion_answer", "API 答复群众", lambda w: f"/api/opinions/{_accepted(w)}/answer", HANDLE,
          lambda w: {"reply_text": "已协调解决。"}),
    _post("api:opinion_close", "API 办结", lambda w: f"/api/opinions/{ow(w).replied.pk}/close", MANAGE),
    _post("api:opinion_reassign", "API 改派代表", lambda w: f"/api/opinions/{ow(w).submitted.pk}/reassign", MANAGE,
          lambda w: {"deputy_id": w.deputy2.pk, "note": "李代表更熟悉该社区"}),
    _post("api:opinion_remind", "API 催办", lambda w: f"/api/opinions/{ow(w).forwarded.pk}/remind",
          {**MANAGE, "unit": 403}, lambda w: {"text": "请尽快办理"}),
    _post("api:opinion_extend", "API 延长期限", lambda w: f"/api/opinions/{ow(w).submitted.pk}/extend", MANAGE,
          lambda w: {"extra_days": 2, "reason": "需现场勘查"}),
    _post("api:opinion_merge", "API 合并相同意见", lambda w: f"/api/opinions/{ow(w).anonymous.pk}/merge", MANAGE,
          lambda w: {"into_id": ow(w).submitted.pk, "note": "同一问题"}),
    _post("api:opinion_publish", "API 公开（脱敏）", lambda w: f"/api/opinions/{ow(w).replied.pk}/publish", MANAGE),
    _post("api:opinion_unpublish", "API 撤回公开", lambda w: f"/api/opinions/{ow(w).closed.pk}/unpublish", MANAGE),
    Row("api:opinion_part_list", "API 承办单位收件箱", lambda w: "/api/opinion-parts",
        {**{r: 403 for r in ROLES}, "anonymous": 401, "unit": 200}, api=True),
    Row("api:opinion_part_get", "API 承办单位办理件", lambda w: f"/api/opinion-parts/{ow(w).part.pk}",
        {**CITY_ITEM, "unit": 200}, api=True),
    _post("api:opinion_part_sign", "API 签收", lambda w: f"/api/opinion-parts/{ow(w).part.pk}/sign", UNIT_STEP),
    _post("api:opinion_part_return", "API 申请退回", lambda w: f"/api/opinion-parts/{ow(w).part.pk}/return",
          UNIT_STEP, lambda w: {"reason": "不属于本单位职责"}),
    _post("api:opinion_part_reply", "API 单位答复", lambda w: f"/api/opinion-parts/{_signed_part(w)}/reply",
          UNIT_STEP, lambda w: {"reply_text": "已修复。"}),
    _post("api:opinion_part_progress", "API 办理进展", lambda w: f"/api/opinion-parts/{ow(w).part.pk}/progress",
          UNIT_STEP, lambda w: {"text": "已派人现场查看。"}),
    _post("api:opinion_part_reject_return", "API 不同意退回",
          lambda w: f"/api/opinion-parts/{_returned_part(w)}/reject-return", ARBITRATE,
          lambda w: {"note": "属于本单位职责，请继续办理"}),
    _post("api:opinion_part_reassign", "API 改派承办单位", lambda w: f"/api/opinion-parts/{ow(w).part.pk}/reassign",
          ARBITRATE, lambda w: {"unit_id": w.other_unit.pk, "note": "改由教育局办理"}),
    Row("api:public_opinion_categories", "API 公开：意见类别", lambda w: "/api/public/categories", public(200),
        api=True),
    _post("api:public_opinion_submit", "API 公开：提交意见", lambda w: "/api/public/opinions", public(201),
          _submit_body),
    _post("api:public_opinion_track", "API 公开：查询进度（匿名意见）", lambda w: "/api/public/opinions/track",
          public(200), lambda w: {"code": ow(w).anonymous.tracking_code}),
    _post("api:public_opinion_track", "API 公开：查询进度（手机号不符）", lambda w: "/api/public/opinions/track",
          public(404), lambda w: {"code": ow(w).submitted.tracking_code, "phone_last4": "0000"}),
    _post("api:public_opinion_rate", "API 公开：评价答复", lambda w: "/api/public/opinions/rate", public(200),
          lambda w: {"code": ow(w).replied.tracking_code, "phone_last4": "2222", "rating": "satisfied"}),
    Row("api:public_published_opinion_list", "API 公开：已公开的意见", lambda w: "/api/public/published-opinions",
        public(200), api=True),
    Row("api:public_published_opinion_get", "API 公开：已公开的意见详情",
        lambda w: f"/api/public/published-opinions/{ow(w).closed.pk}", public(200), api=True),
    Row("api:public_published_opinion_get", "API 公开：未公开的意见",
        lambda w: f"/api/public/published-opinions/{ow(w).replied.pk}", public(404), api=True),
]
