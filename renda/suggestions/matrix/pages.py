"""Permission-matrix rows for the suggestion pages (renda/suggestions/urls_work.py).

The items (sw(w)) belong to the city congress and are written by w.deputy; w.unit leads the assigned
ones and w.other_unit co-handles. A draft is the author's alone; outside one's scope an item is 404.
"""

from renda.permission_matrix import ROLES, Row, page, public

from ..world import sw

HIDDEN = {r: 404 for r in ROLES if r != "anonymous"}
CITY_ITEM = page(HIDDEN, staff=200, director=200, deputy=200, admin=200)
OFFICE = dict(staff=200, director=200, town_staff=200)
# The office's buttons on a city item: staff and the superuser; others who see it get 403.
REVIEW_POST = page(HIDDEN, staff=302, admin=302, director=403, deputy=403)
# A unit's buttons on its own part.
UNIT_POST = page(HIDDEN, unit=302, admin=302, staff=403, director=403, deputy=403)

ROWS: list[Row] = [
    Row("suggestions:home", "我的建议（代表）；其他角色转到各自列表", lambda w: "/suggestions/",
        page(deputy=200, staff=302, director=302, town_staff=302, unit=302, admin=302)),
    Row("suggestions:new", "起草建议", lambda w: "/suggestions/new/", page(deputy=200, admin=403)),
    Row("suggestions:new", "保存草稿（内容不全：表单提示）", lambda w: "/suggestions/new/",
        page(deputy=200, admin=403), method="post", data=lambda w: {"title": "关于增设公交站的建议"}),
    Row("suggestions:similar", "相似建议（起草时）", lambda w: "/suggestions/similar/?title=加装电梯",
        page(deputy=200, staff=200, director=200, town_staff=200, admin=403)),
    Row("suggestions:office", "建议管理（代表工委）", lambda w: "/suggestions/office/", page(OFFICE, admin=200)),
    Row("suggestions:office", "建议管理（筛选、搜索）",
        lambda w: "/suggestions/office/?status=handling&key=1&overdue=1&q=电梯", page(OFFICE, admin=200)),
    Row("suggestions:office_export", "导出建议列表（Excel）", lambda w: "/suggestions/office/export/?status=handling",
        page(OFFICE, admin=200)),
    Row("suggestions:bulk_assign", "批量交办（未勾选：提示后返回）", lambda w: "/suggestions/office/assign/",
        page(staff=302, town_staff=302, admin=403), method="post", data=lambda w: {"mode": "lead"}),
    Row("suggestions:unit_inbox", "承办单位的交办建议", lambda w: "/suggestions/unit/", page(unit=200, admin=403)),
    Row("suggestions:periods", "征集期", lambda w: "/suggestions/periods/", page(OFFICE, admin=403)),
    Row("suggestions:periods", "新建征集期", lambda w: "/suggestions/periods/",
        page(OFFICE, staff=302, town_staff=302, director=403, admin=403), method="post",
        data=lambda w: {"kind": "recess", "year": 2026, "name": "2026年闭会期间"}),
    Row("suggestions:period_toggle", "结束市人大的征集期", lambda w: f"/suggestions/periods/{sw(w).period.pk}/close/",
        page(staff=302, director=403, town_staff=404, admin=403), method="post"),
    Row("suggestions:supervision", "督办与逾期", lambda w: "/suggestions/supervision/", page(OFFICE, admin=403)),
    Row("suggestions:published", "公开的建议答复", lambda w: "/suggestions/public/", public(200)),
    Row("suggestions:published_detail", "公开的建议答复详情", lambda w: f"/suggestions/public/{sw(w).closed.pk}/",
        public(200)),
    Row("suggestions:published_detail", "未公开的建议", lambda w: f"/suggestions/public/{sw(w).replied.pk}/",
        public(404)),
    Row("suggestions:detail", "建议详情（已提交）", lambda w: f"/suggestions/{sw(w).submitted.pk}/", CITY_ITEM),
    Row("suggestions:detail", "建议详情（草稿：仅领衔代表）", lambda w: f"/suggestions/{sw(w).draft.pk}/",
        page(HIDDEN, deputy=200, admin=200)),
    Row("suggestions:detail", "建议详情（已交办：承办单位可见）", lambda w: f"/suggestions/{sw(w).assigned.pk}/",
        page(CITY_ITEM, unit=200)),
    Row("suggestions:edit", "修改草稿", lambda w: f"/suggestions/{sw(w).draft.pk}/edit/",
        page(HIDDEN, deputy=200, admin=403)),
    Row("suggestions:act", "提交草稿", lambda w: f"/suggestions/{sw(w).draft.pk}/do/submit/",
        page(HIDDEN, deputy=302, admin=403), method="post", data=lambda w: {"submit-version": sw(w).draft.version}),
    Row("suggestions:act", "立案", lambda w: f"/suggestions/{sw(w).submitted.pk}/do/accept/", REVIEW_POST,
        method="post", data=lambda w: {"accept-version": sw(w).submitted.version}),
    Row("suggestions:act", "不予立案（附理由）", lambda w: f"/suggestions/{sw(w).submitted.pk}/do/decline/",
        REVIEW_POST, method="post",
        data=lambda w: {"decline-version": sw(w).submitted.version, "decline-note": "不属于本级人大职权范围"}),
    Row("suggestions:act", "交办", lambda w: f"/suggestions/{sw(w).accepted.pk}/do/assign/", REVIEW_POST,
        method="post", data=lambda w: {"assign-version": sw(w).accepted.version, "assign-mode": "lead",
                                       "assign-lead_unit": w.unit.pk}),
    Row("suggestions:act", "催办", lambda w: f"/suggestions/{sw(w).assigned.pk}/do/note/",
        page(REVIEW_POST, unit=403), method="post", data=lambda w: {"note-kind": "remind", "note-text": "请抓紧办理"}),
    Row("suggestions:act", "列为重点督办", lambda w: f"/suggestions/{sw(w).assigned.pk}/do/key/",
        page(REVIEW_POST, director=302, unit=403), method="post",
        data=lambda w: {"key-leader": sw(w).base.leader.pk, "key-meeting_date": "2026-03-01"}),
    Row("suggestions:act", "未知操作", lambda w: f"/suggestions/{sw(w).submitted.pk}/do/nonsense/",
        page(HIDDEN, staff=404, director=404, deputy=404, admin=404), method="post"),
    Row("suggestions:rate", "评价答复", lambda w: f"/suggestions/{sw(w).replied.pk}/rate/{sw(w).reply.pk}/",
        page(HIDDEN, deputy=302, staff=403, director=403, unit=403, admin=403), method="post",
        data=lambda w: {f"rate-{sw(w).reply.pk}-reply": sw(w).reply.pk, f"rate-{sw(w).reply.pk}-value": "satisfied"}),
    Row("suggestions:uninvite", "取消联名邀请", lambda w: f"/suggestions/{sw(w).draft.pk}/uninvite/{w.deputy2.pk}/",
        page(HIDDEN, deputy=302, admin=403), method="post"),
    Row("suggestions:milestone_done", "标记督办节点完成（不存在的节点）",
        lambda w: f"/suggestions/{sw(w).assigned.pk}/milestones/999999/done/",
        page(HIDDEN, staff=404, director=404, admin=404, deputy=403, unit=403), method="post"),
    Row("suggestions:part", "承办任务页（主办）", lambda w: f"/suggestions/parts/{sw(w).lead.pk}/",
        page(CITY_ITEM, unit=200)),
    Row("suggestions:part_act", "签收", lambda w: f"/suggestions/parts/{sw(w).lead.pk}/do/sign/", UNIT_POST,
        method="post", data=lambda w: {"sign-version": sw(w).lead.version}),
    Row("suggestions:part_act", "申请退回（附理由）", lambda w: f"/suggestions/parts/{sw(w).lead.pk}/do/return/",
        UNIT_POST, method="post",
        data=lambda w: {"return-version": sw(w).lead.version, "return-reason": "非本单位职责"}),
    Row("suggestions:part_act", "申请延期", lambda w: f"/suggestions/parts/{sw(w).lead.pk}/do/extension/",
        UNIT_POST, method="post", data=lambda w: {"extension-months": 1, "extension-reason": "需跨年度资金安排"}),
    Row("suggestions:part_act", "改交其他单位", lambda w: f"/suggestions/parts/{sw(w).co.pk}/do/reassign/",
        page(HIDDEN, staff=302, admin=302, director=403, deputy=403, unit=403), method="post",
        data=lambda w: {"reassign-version": sw(w).co.version, "reassign-unit": sw(w).base.third_unit.pk,
                        "reassign-note": "调整承办单位"}),
]
