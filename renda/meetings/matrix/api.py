"""Permission-matrix rows for the meetings and votes JSON API (renda/api/endpoints/meetings.py).

Codes as for the rest of the API: 401 without credentials, 403 for a list the role may not use or an
item it may see but not change, 404 for an item outside its scope. The objects come from mw(w): today's
city session in progress, chaired by the world's director user, with the deputy user as a member
(checked in); `planned` is a city session in preparation, which members do not see before the notice;
`town_meeting` belongs to the town congress. The superuser holds no role and sits in no meeting: it
sees none (404) and may not schedule (403). Rows whose action needs a particular state build it in
their `url` (each case runs on a fresh world).

Uploading a document takes multipart/form-data; the matrix posts JSON, so that row shows the schema's
422 for everybody signed in. Who may upload is tested with real files in
renda/meetings/tests/test_api.py (test_documents_are_uploaded_checked_and_published).
"""

from renda.ballots import services as ballots
from renda.ballots.world import act, voter
from renda.permission_matrix import ROLES, Row, public

from .. import services
from ..world import mw

NONE = {**{r: 404 for r in ROLES}, "anonymous": 401}


def gate(**allowed: int) -> dict[str, int]:
    """A list or a creation: 403 unless allowed, 401 without credentials."""
    return {**{r: 403 for r in ROLES}, "anonymous": 401, **allowed}


# The city session: its office, its chair (the director) and its members (the deputy) see it.
SESSION = {**NONE, "staff": 200, "director": 200, "deputy": 200}
# The office's and the chair's steps on it: a member who sees it gets 403.
OFFICE = {**SESSION, "deputy": 403}
# The planned session (in preparation): the office only.
PLANNED = {**NONE, "staff": 200, "director": 200}
# A participant's own step: the staff user sees the meeting but has no seat in it.
OWN_SEAT = {**SESSION, "staff": 403}
MULTIPART = {**{r: 422 for r in ROLES}, "anonymous": 401}


def _s(w):
    return mw(w).session


def _notified_planned(w) -> int:
    """The planned session after its notice: its members see it now."""
    o = mw(w)
    services.notify(actor=act(w, "staff"), meeting_id=o.planned.pk)
    return o.planned.pk


def _spare_item(w) -> int:
    """An agenda item without votes on today's session (one that may be removed)."""
    return services.add_item(actor=act(w, "staff"), meeting_id=_s(w).pk,
                             title="听取和审议市政府关于防汛工作情况的报告").pk


def _closed(w) -> int:
    """Today's secret motion, closed (its result stored, not published)."""
    o = mw(w)
    services.close_vote(actor=act(w, "staff"), vote_id=o.vote_open.pk)
    return o.vote_open.pk


def _nothing_open(w) -> int:
    """Today's session with no vote open any more: the secret motion closed, any other open vote cancelled."""
    from renda.ballots.models import Vote

    o = mw(w)
    _closed(w)
    for vote_id in Vote.objects.filter(agenda_items__meeting=o.session, status=Vote.Status.OPEN).values_list(
            "pk", flat=True):
        ballots.cancel(actor=act(w, "staff"), vote_id=vote_id, note="表决器故障")
    return o.session.pk


def _deputy_voted(w) -> int:
    o = mw(w)
    ballots.cast(user=voter(w.person), vote_id=o.vote_open.pk, marks={_option(w): "yes"})
    return o.vote_open.pk


def _option(w) -> str:
    return str(mw(w).vote_open.options.get().pk)


def _open_vote(w, **config):
    """A new vote on the session's second item, opened; its option ids kept on the world for the data."""
    o = mw(w)
    staff = act(w, "staff")
    vote = services.add_vote(actor=staff, item_id=o.item_done.pk, **config)
    services.open_vote(actor=staff, vote_id=vote.pk)
    w._options = [str(x) for x in vote.options.order_by("position").values_list("pk", flat=True)]
    return vote


def _paper_motion(w) -> int:
    return _open_vote(w, kind="motion", method="paper", title="关于批准财政决算的决议").pk


def _paper_scores(w) -> int:
    return _open_vote(w, kind="score", method="paper", title="履职评议",
                      options=[{"label": "审判员甲"}, {"label": "审判员乙"}]).pk


def _tied(w, tie_rule: str, *, publish: bool = False) -> int:
    """A 票决 of one place that ends 1:1, closed (and published for a runoff)."""
    vote = _open_vote(w, kind="choice", max_choices=1, tie_rule=tie_rule, title="民生实事项目票决",
                      options=[{"label": "加装电梯"}, {"label": "农贸市场改造"}])
    a, b = (int(x) for x in w._options)
    people = mw(w).committee.people
    ballots.cast(user=voter(people[2]), vote_id=vote.pk, marks={"chosen": [a]})
    ballots.cast(user=voter(people[3]), vote_id=vote.pk, marks={"chosen": [b]})
    staff = act(w, "staff")
    services.close_vote(actor=staff, vote_id=vote.pk)
    if publish:
        services.publish_vote(actor=staff, vote_id=vote.pk)
    return vote.pk


def _post(name, action, url, expect, data=None):
    return Row(f"api:{name}", action, url, expect, method="post", data=data or (lambda w: {}), api=True)


def _get(name, action, url, expect):
    return Row(f"api:{name}", action, url, expect, api=True)


ROWS: list[Row] = [
    # Reads.
    _get("meeting_list", "API 会议列表（机关：本级全部；参会人员：所参加的）", lambda w: (mw(w), "/api/meetings")[1],
         gate(staff=200, director=200, town_staff=200, deputy=200)),
    _get("meeting_list", "API 会议列表（筛选）", lambda w: (mw(w), "/api/meetings?kind=standing&status=in_session")[1],
         gate(staff=200, director=200, town_staff=200, deputy=200)),
    _get("meeting_get", "API 会议详情（进行中的常委会会议）", lambda w: f"/api/meetings/{_s(w).pk}", SESSION),
    _get("meeting_get", "API 会议详情（筹备中：仅机关）", lambda w: f"/api/meetings/{mw(w).planned.pk}", PLANNED),
    _get("meeting_get", "API 会议详情（镇人大主席团会议）", lambda w: f"/api/meetings/{mw(w).town_meeting.pk}",
         {**NONE, "town_staff": 200}),
    _get("vote_get", "API 表决详情（表决中）", lambda w: f"/api/votes/{mw(w).vote_open.pk}", SESSION),
    _get("vote_get", "API 表决详情（待表决：参会人员经会议可见）", lambda w: f"/api/votes/{mw(w).vote_draft.pk}",
         SESSION),
    _get("vote_get", "API 表决详情（已公布）", lambda w: f"/api/votes/{mw(w).vote_published.pk}", SESSION),
    _get("my_vote_list", "API 我的待投票表决（有人员身份的用户）", lambda w: (mw(w), "/api/my-votes")[1],
         gate(director=200, deputy=200)),
    # Preparation (the office; directors too).
    _post("meeting_schedule", "API 安排会议", lambda w: "/api/meetings", gate(staff=200, director=200, town_staff=200),
          lambda w: {"kind": "directors", "title": "主任会议", "starts_at": "2030-06-03T09:00:00+08:00"}),
    _post("meeting_participant_set", "API 增加旁听人员", lambda w: f"/api/meetings/{_s(w).pk}/participants", OFFICE,
          lambda w: {"person_id": w.person2.pk, "role": "observer"}),
    _post("meeting_participant_remove", "API 移除参会人员（筹备中的会议）",
          lambda w: f"/api/meetings/{mw(w).planned.pk}/remove-participant", PLANNED,
          lambda w: {"person_id": mw(w).committee.people[30].pk}),
    _post("meeting_item_add", "API 添加议题", lambda w: f"/api/meetings/{_s(w).pk}/items", OFFICE,
          lambda w: {"title": "听取和审议市政府关于防汛工作情况的报告"}),
    _post("meeting_item_move", "API 议题上移", lambda w: f"/api/meeting-items/{mw(w).item_done.pk}/move", OFFICE,
          lambda w: {"direction": "up"}),
    _post("meeting_item_remove", "API 删除议题（未表决）", lambda w: f"/api/meeting-items/{_spare_item(w)}/remove",
          OFFICE),
    _post("meeting_item_vote_add", "API 为议题设置表决", lambda w: f"/api/meeting-items/{mw(w).item_done.pk}/votes",
          OFFICE, lambda w: {"kind": "motion", "secret": True, "title": "关于接受辞职的决定"}),
    _post("meeting_document_add", "API 上传会议材料（JSON 请求：须 multipart）",
          lambda w: f"/api/meetings/{_s(w).pk}/documents", MULTIPART, lambda w: {"title": "会议议程"}),
    _post("meeting_documents_publish", "API 发布会议材料", lambda w: f"/api/meetings/{_s(w).pk}/publish-documents",
          OFFICE),
    _post("meeting_notify", "API 发出会议通知（筹备中的会议）", lambda w: f"/api/meetings/{mw(w).planned.pk}/notify",
          PLANNED),
    _post("meeting_cancel", "API 取消会议（筹备中的会议）", lambda w: f"/api/meetings/{mw(w).planned.pk}/cancel",
          PLANNED, lambda w: {"note": "改期召开"}),
    # The participants' own steps.
    _post("meeting_reply", "API 请假（已通知的会议，本人）", lambda w: f"/api/meetings/{_notified_planned(w)}/reply",
          OWN_SEAT, lambda w: {"attending": False, "reason": "赴省里参加培训"}),
    _post("meeting_check_in", "API 扫码签到（本人，已签到）", lambda w: f"/api/meetings/{_s(w).pk}/check-in", OWN_SEAT,
          lambda w: {"token": _s(w).checkin_token}),
    # On the day (the office and the chair).
    _post("meeting_staff_check_in", "API 代为签到", lambda w: f"/api/meetings/{_s(w).pk}/staff-check-in", OFFICE,
          lambda w: {"person_id": mw(w).committee.people[25].pk}),
    _post("meeting_convene", "API 宣布开会（已通知的会议）", lambda w: f"/api/meetings/{_notified_planned(w)}/convene",
          OFFICE),
    _post("meeting_adjourn", "API 宣布闭会（表决均已结束）", lambda w: f"/api/meetings/{_nothing_open(w)}/adjourn",
          OFFICE),
    _post("meeting_minutes", "API 会议纪要与决定", lambda w: f"/api/meetings/{_s(w).pk}/minutes", OFFICE,
          lambda w: {"minutes": "会议审议了财政决算。",
                     "decisions": [{"item_id": mw(w).item_done.pk, "text": "同意。"}]}),
    # Votes: the chair and the office run them; members vote.
    _post("vote_open", "API 开始表决", lambda w: f"/api/votes/{mw(w).vote_draft.pk}/open", OFFICE),
    _post("vote_close", "API 结束表决", lambda w: f"/api/votes/{mw(w).vote_open.pk}/close", OFFICE),
    _post("vote_publish", "API 公布表决结果", lambda w: f"/api/votes/{_closed(w)}/publish", OFFICE),
    _post("vote_cancel", "API 取消表决", lambda w: f"/api/votes/{mw(w).vote_open.pk}/cancel", OFFICE,
          lambda w: {"note": "表决器故障"}),
    _post("vote_cast", "API 投票（本人，一次）", lambda w: f"/api/votes/{mw(w).vote_open.pk}/cast", OWN_SEAT,
          lambda w: {"marks": {_option(w): "yes"}}),
    _post("vote_cast", "API 再次投票（代表已投过：409）", lambda w: f"/api/votes/{_deputy_voted(w)}/cast",
          {**OWN_SEAT, "deputy": 409}, lambda w: {"marks": {_option(w): "no"}}),
    _post("vote_paper_counts", "API 录入纸质票计票结果", lambda w: f"/api/votes/{_paper_motion(w)}/paper-counts",
          OFFICE,
          lambda w: {"issued": 20, "returned": 20, "invalid": 0,
                     "options": {w._options[0]: {"yes": 15, "no": 3, "abstain": 2}}}),
    _post("vote_paper_ballot", "API 逐张录入纸质测评票", lambda w: f"/api/votes/{_paper_scores(w)}/paper-ballots",
          OFFICE,
          lambda w: {"marks": {w._options[0]: [80] * 6, w._options[1]: [70] * 6}, "issued": 20}),
    _post("vote_decide_tie", "API 主持人决定末位并列", lambda w: f"/api/votes/{_tied(w, 'chair')}/decide-tie", OFFICE,
          lambda w: {"chosen": [int(w._options[1])], "note": "群众呼声更高"}),
    _post("vote_runoff", "API 对并列者再次投票", lambda w: f"/api/votes/{_tied(w, 'runoff', publish=True)}/runoff",
          OFFICE),
    # The public Popolo export.
    _get("public_popolo", "API 公开：Popolo 数据导出", lambda w: (mw(w), f"/api/public/popolo/{w.city.pk}")[1],
         public(200)),
    _get("public_popolo", "API 公开：Popolo 数据导出（不存在的人大）", lambda w: "/api/public/popolo/999999",
         public(404)),
]
