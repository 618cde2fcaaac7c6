"""Permission-matrix rows for the suggestions JSON API (renda/api/endpoints/suggestions.py).

Codes as for the rest of the API: 401 without credentials, 403 for a list the role may not use or an
item it may see but not change, 404 for an item outside its scope. The items (sw(w)) belong to the
city congress and are written by w.deputy; w.unit leads the assigned ones and w.other_unit co-handles.
Rows whose action needs a particular state build it in their `url` (each case runs on a fresh world).

The reply and solve steps take multipart/form-data (the signed PDF); the matrix posts JSON, so their
rows show the schema's 422 for everybody signed in. Who may reply and solve is tested with real
uploads in renda/api/tests/test_suggestions_api.py (test_reply_and_solve_by_role).
"""

import datetime as dt

from django.utils import timezone

from renda.permission_matrix import ROLES, Row, public

from ..world import act, base, sw, to_accepted, to_replied

NONE = {**{r: 404 for r in ROLES}, "anonymous": 401}


def gate(**allowed: int) -> dict[str, int]:
    """A list or a creation: 403 unless allowed, 401 without credentials."""
    return {**{r: 403 for r in ROLES}, "anonymous": 401, **allowed}


LIST = gate(admin=200, staff=200, director=200, deputy=200, unit=200, town_staff=200)
# A submitted city suggestion: the office, its author and the superuser see it.
CITY = {**NONE, "admin": 200, "staff": 200, "director": 200, "deputy": 200}
ASSIGNED = {**CITY, "unit": 200}
# The author's own acts on a draft: nobody else, the superuser included, does them for the deputy.
AUTHOR = {**NONE, "deputy": 200, "admin": 403}
# The office's steps (staff and the superuser); others who see the item get 403.
REVIEW = {**CITY, "director": 403, "deputy": 403}
REVIEW_ASSIGNED = {**REVIEW, "unit": 403}
KEY = {**REVIEW_ASSIGNED, "director": 200}
# A unit's steps on its own part.
UNIT_STEP = {**ASSIGNED, "staff": 403, "director": 403, "deputy": 403}
# The office's arbitration of a part.
ARBITRATE = {**ASSIGNED, "director": 403, "deputy": 403, "unit": 403}
MULTIPART = {**{r: 422 for r in ROLES}, "anonymous": 401}
# A city period: staff manage it; others of the city congress may not (403); other congresses: 404.
PERIOD = {**{r: 403 for r in ROLES}, "anonymous": 401, "staff": 200, "town_staff": 404, "norole": 404,
          "admin": 404}


def _done(w, *roles):
    for role in roles:
        w.users[role].active_assignment = None


def _invited_by_deputy2(w):
    """A draft by deputy2 inviting w.deputy to co-sign."""
    from renda.suggestions import services

    b = base(w)
    s = services.suggestion_create(actor=act(w, "deputy2"), category_id=b.category.pk, title="关于增设公交站的建议",
                                   proposal="建议在新港社区增设公交站。")
    services.signer_invite(actor=act(w, "deputy2"), suggestion_id=s.pk, deputy_ids=[w.deputy.pk])
    _done(w, "deputy2")
    return s.pk


def _draft_inviting_deputy2(w):
    from renda.suggestions import services

    o = sw(w)
    services.signer_invite(actor=act(w, "deputy"), suggestion_id=o.draft.pk, deputy_ids=[w.deputy2.pk])
    _done(w, "deputy")
    return o.draft.pk


def _keyed(w):
    """The assigned suggestion under key supervision, with one milestone."""
    from renda.suggestions import services

    o = sw(w)
    key = services.key_mark(actor=act(w, "staff"), suggestion_id=o.assigned.pk, leader_id=o.base.leader.pk,
                            meeting_date=dt.date(2026, 3, 1), milestones=[(dt.date(2026, 6, 30), "完成立项")])
    _done(w, "staff")
    w._milestone = key.milestones.get().pk
    return o.assigned.pk


def _signed_lead(w):
    from renda.suggestions import services

    o = sw(w)
    services.assignment_sign(actor=act(w, "unit"), assignment_id=o.lead.pk)
    _done(w, "unit")
    return o.lead.pk


def _returned_lead(w):
    from renda.suggestions import services

    o = sw(w)
    services.assignment_return(actor=act(w, "unit"), assignment_id=o.lead.pk, reason="非本单位职责")
    _done(w, "unit")
    return o.lead.pk


def _unit_is_co(w):
    """A suggestion led by w.other_unit with w.unit as the co-unit, which has signed."""
    from renda.suggestions import services
    from renda.suggestions.models import Assignment

    sw(w)
    s = to_accepted(w, title="关于学校周边停车的建议")
    services.suggestion_assign(actor=act(w, "staff"), suggestion_id=s.pk, mode="lead", lead_unit_id=w.other_unit.pk,
                               co_unit_ids=[w.unit.pk])
    co = Assignment.objects.get(suggestion=s, unit=w.unit)
    services.assignment_sign(actor=act(w, "unit"), assignment_id=co.pk)
    _done(w, "staff", "unit")
    return co.pk


def _following_lead(w):
    """A B reply rated by its only deputy: the lead's part is under follow-up."""
    from renda.suggestions import services
    from renda.suggestions.world import parts

    sw(w)
    s = to_replied(w, outcome="B", title="关于农贸市场改造的建议", co=False)
    services.rating_submit(actor=act(w, "deputy"), reply_id=s.replies.get(kind="reply").pk, value="satisfied")
    _done(w, "deputy", "unit", "staff")
    return parts(s)[0].pk


def _extension_requested(w):
    from renda.suggestions import services

    o = sw(w)
    w._extension = services.extension_request(actor=act(w, "unit"), assignment_id=o.lead.pk, months=1,
                                              reason="需跨年度资金安排").pk
    _done(w, "unit")
    return o.lead.pk


def _third_unit(w) -> int:
    from renda.org.models import Unit

    return Unit.objects.get_or_create(congress=w.city, name="市水务局")[0].pk


def _post(name, action, url, expect, data=None):
    return Row(f"api:{name}", action, url, expect, method="post", data=data or (lambda w: {}), api=True)


def _get(name, action, url, expect):
    return Row(f"api:{name}", action, url, expect, api=True)


ROWS: list[Row] = [
    # Reads.
    _get("suggestion_list", "API 代表建议列表", lambda w: "/api/suggestions", LIST),
    _get("suggestion_get", "API 建议详情（已提交）", lambda w: f"/api/suggestions/{sw(w).submitted.pk}", CITY),
    _get("suggestion_get", "API 建议详情（草稿：仅领衔代表）", lambda w: f"/api/suggestions/{sw(w).draft.pk}",
         {**NONE, "deputy": 200, "admin": 200}),
    _get("suggestion_get", "API 建议详情（已交办：承办单位可见）", lambda w: f"/api/suggestions/{sw(w).assigned.pk}",
         ASSIGNED),
    _get("suggestion_similar", "API 相似建议", lambda w: "/api/suggestions/similar?text=加装电梯",
         gate(deputy=200, staff=200, director=200, town_staff=200)),
    _get("suggestion_tasks", "API 代表待办（联名邀请、待评价答复）", lambda w: "/api/suggestion-tasks",
         gate(deputy=200)),
    _get("suggestion_supervision", "API 督办：逾期、退回与延期", lambda w: "/api/suggestion-supervision",
         gate(staff=200, director=200, town_staff=200)),
    _get("suggestion_period_list", "API 征集期（代表：正在征集的）", lambda w: "/api/suggestion-periods",
         gate(staff=200, director=200, town_staff=200, deputy=200)),
    _get("suggestion_part_list", "API 承办单位的交办建议", lambda w: "/api/suggestion-parts", gate(unit=200)),
    _get("suggestion_part_get", "API 承办任务（主办）", lambda w: f"/api/suggestion-parts/{sw(w).lead.pk}", ASSIGNED),
    # The deputies.
    _post("suggestion_create", "API 起草建议", lambda w: "/api/suggestions", gate(deputy=200),
          lambda w: {"category_id": base(w).category.pk, "title": "关于增设社区助餐点的建议",
                     "proposal": "建议在每个社区设助餐点。"}),
    _post("suggestion_edit", "API 修改草稿", lambda w: f"/api/suggestions/{sw(w).draft.pk}/edit", AUTHOR,
          lambda w: {"category_id": base(w).category.pk, "title": "修改稿", "proposal": "补充内容。"}),
    _post("suggestion_invite", "API 邀请联名", lambda w: f"/api/suggestions/{sw(w).draft.pk}/invite", AUTHOR,
          lambda w: {"deputy_ids": [w.deputy2.pk]}),
    _post("suggestion_uninvite", "API 取消联名邀请",
          lambda w: f"/api/suggestions/{_draft_inviting_deputy2(w)}/uninvite", AUTHOR,
          lambda w: {"deputy_id": w.deputy2.pk}),
    _post("suggestion_respond", "API 确认联名（被邀请的代表）",
          lambda w: f"/api/suggestions/{_invited_by_deputy2(w)}/respond", {**NONE, "deputy": 200, "admin": 403},
          lambda w: {"confirm": True}),
    _post("suggestion_submit", "API 提交建议", lambda w: f"/api/suggestions/{sw(w).draft.pk}/submit", AUTHOR),
    _post("suggestion_withdraw", "API 撤回建议", lambda w: f"/api/suggestions/{sw(w).submitted.pk}/withdraw",
          {**CITY, "staff": 403, "director": 403, "admin": 403}),
    _post("suggestion_rate", "API 评价答复", lambda w: f"/api/suggestions/{sw(w).replied.pk}/rate",
          {**ASSIGNED, "staff": 403, "director": 403, "unit": 403, "admin": 403},
          lambda w: {"reply_id": sw(w).reply.pk, "value": "satisfied"}),
    # The office.
    _post("suggestion_accept", "API 立案", lambda w: f"/api/suggestions/{sw(w).submitted.pk}/accept", REVIEW),
    _post("suggestion_decline", "API 不予立案", lambda w: f"/api/suggestions/{sw(w).submitted.pk}/decline", REVIEW,
          lambda w: {"reason": "不属于本级人大职权范围"}),
    _post("suggestion_to_reference", "API 转为参阅件",
          lambda w: f"/api/suggestions/{sw(w).submitted.pk}/to-reference", REVIEW, lambda w: {"reason": "供参考"}),
    _post("suggestion_send_back", "API 退回修改", lambda w: f"/api/suggestions/{sw(w).submitted.pk}/send-back",
          REVIEW, lambda w: {"note": "请补充具体数据"}),
    _post("suggestion_merge", "API 并案办理", lambda w: f"/api/suggestions/{sw(w).submitted.pk}/merge", REVIEW,
          lambda w: {"into_id": sw(w).accepted.pk, "note": "内容相近"}),
    _post("suggestion_assign", "API 交办", lambda w: f"/api/suggestions/{sw(w).accepted.pk}/assign", REVIEW,
          lambda w: {"mode": "lead", "lead_unit_id": w.unit.pk, "co_unit_ids": [w.other_unit.pk]}),
    _post("suggestion_bulk_assign", "API 批量交办", lambda w: "/api/suggestions/bulk-assign",
          gate(staff=200, town_staff=200),
          lambda w: {"suggestion_ids": [sw(w).accepted.pk], "mode": "lead", "lead_unit_id": w.unit.pk}),
    _post("suggestion_finish", "API 办结（代表未全部评价）", lambda w: f"/api/suggestions/{sw(w).replied.pk}/finish",
          REVIEW_ASSIGNED),
    _post("suggestion_note", "API 催办", lambda w: f"/api/suggestions/{sw(w).assigned.pk}/note", REVIEW_ASSIGNED,
          lambda w: {"kind": "remind", "text": "请抓紧办理"}),
    _post("suggestion_key", "API 列为重点督办", lambda w: f"/api/suggestions/{sw(w).assigned.pk}/key", KEY,
          lambda w: {"leader_id": sw(w).base.leader.pk, "meeting_date": "2026-03-01"}),
    _post("suggestion_unkey", "API 取消重点督办", lambda w: f"/api/suggestions/{_keyed(w)}/unkey", KEY,
          lambda w: {"reason": "已解决"}),
    _post("suggestion_milestone_done", "API 督办节点已完成", lambda w: f"/api/suggestions/{_keyed(w)}/milestone-done",
          KEY, lambda w: {"milestone_id": w._milestone}),
    _post("suggestion_publish", "API 公开答复（脱敏）", lambda w: f"/api/suggestions/{sw(w).replied.pk}/publish",
          REVIEW_ASSIGNED),
    _post("suggestion_unpublish", "API 撤回公开", lambda w: f"/api/suggestions/{sw(w).closed.pk}/unpublish",
          REVIEW_ASSIGNED),
    # Periods.
    _post("suggestion_period_create", "API 新建征集期", lambda w: "/api/suggestion-periods",
          gate(staff=200, town_staff=200), lambda w: {"kind": "recess", "year": 2026, "name": "2026年闭会期间"}),
    _post("suggestion_period_open", "API 开始征集（市人大的征集期）",
          lambda w: f"/api/suggestion-periods/{sw(w).period.pk}/open", PERIOD),
    _post("suggestion_period_close", "API 结束征集（市人大的征集期）",
          lambda w: f"/api/suggestion-periods/{sw(w).period.pk}/close", PERIOD),
    # The units, and the office's arbitration of their parts.
    _post("suggestion_part_sign", "API 签收", lambda w: f"/api/suggestion-parts/{sw(w).lead.pk}/sign", UNIT_STEP),
    _post("suggestion_part_return", "API 申请退回", lambda w: f"/api/suggestion-parts/{sw(w).lead.pk}/return",
          UNIT_STEP, lambda w: {"reason": "非本单位职责"}),
    _post("suggestion_part_extension", "API 申请延期答复",
          lambda w: f"/api/suggestion-parts/{sw(w).lead.pk}/extension", UNIT_STEP,
          lambda w: {"months": 1, "reason": "需跨年度资金安排"}),
    _post("suggestion_part_contact", "API 办前联系", lambda w: f"/api/suggestion-parts/{_signed_lead(w)}/contact",
          UNIT_STEP, lambda w: {"deputy_id": w.deputy.pk, "contacted_on": timezone.localdate().isoformat(),
                                "form": "phone", "content": "电话沟通办理思路。"}),
    _post("suggestion_part_views", "API 协办意见", lambda w: f"/api/suggestion-parts/{_unit_is_co(w)}/views",
          {**UNIT_STEP, "unit": 200}, lambda w: {"text": "建议纳入城市更新计划。"}),
    _post("suggestion_part_reply", "API 答复代表（JSON 请求：须 multipart 附 PDF）",
          lambda w: f"/api/suggestion-parts/{sw(w).lead.pk}/reply", MULTIPART,
          lambda w: {"outcome": "A", "text": "已解决。"}),
    _post("suggestion_part_progress", "API B类办理进展",
          lambda w: f"/api/suggestion-parts/{_following_lead(w)}/progress", UNIT_STEP,
          lambda w: {"text": "主体完工 80%。"}),
    _post("suggestion_part_solve", "API B类办结答复（JSON 请求：须 multipart 附 PDF）",
          lambda w: f"/api/suggestion-parts/{sw(w).lead.pk}/solve", MULTIPART, lambda w: {"text": "已完工。"}),
    _post("suggestion_part_reject_return", "API 不同意退回",
          lambda w: f"/api/suggestion-parts/{_returned_lead(w)}/reject-return", ARBITRATE,
          lambda w: {"note": "属于本单位职责"}),
    _post("suggestion_part_reassign", "API 改交其他单位", lambda w: f"/api/suggestion-parts/{sw(w).co.pk}/reassign",
          ARBITRATE, lambda w: {"unit_id": _third_unit(w), "note": "调整承办单位"}),
    _post("suggestion_part_decide_extension", "API 审批延期申请",
          lambda w: f"/api/suggestion-parts/{_extension_requested(w)}/decide-extension", ARBITRATE,
          lambda w: {"extension_id": w._extension, "approve": True}),
]

# Files added afterwards (multipart; a JSON request is the schema's 422) and the public's published replies.
ROWS += [
    _post("suggestion_files_add", "API 为草稿添加附件（JSON 请求：须 multipart）",
          lambda w: f"/api/suggestions/{sw(w).draft.pk}/files", MULTIPART),
    _post("suggestion_reply_files_add", "API 为协办意见添加附件（JSON 请求：须 multipart）",
          lambda w: f"/api/suggestion-replies/{sw(w).co_views.pk}/files", MULTIPART),
    _get("public_published_suggestion_list", "API 公开：建议答复", lambda w: "/api/public/published-suggestions",
         public(200)),
    _get("public_published_suggestion_get", "API 公开：建议答复详情",
         lambda w: f"/api/public/published-suggestions/{sw(w).closed.pk}", public(200)),
    _get("public_published_suggestion_get", "API 公开：未公开的建议",
         lambda w: f"/api/public/published-suggestions/{sw(w).replied.pk}", public(404)),
]
