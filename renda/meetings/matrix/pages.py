"""Permission-matrix rows for the meeting pages (renda/meetings/urls_pages.py) and the voter's pages
(renda/ballots/urls.py).

The objects come from mw(w): today's city session in progress, chaired by the world's director user
(the director's person), with the deputy user as a member (checked in); `planned` is a city session
in preparation (visible to the office only); `town_meeting` belongs to the town congress. Outside
one's scope a meeting is 404; a participant who is not the office or the chair gets 403 on the
office's buttons. The superuser holds no role and sits in no meeting: it sees none (404).
"""

from renda.permission_matrix import ROLES, Row, page

from ..world import mw

HIDDEN = {r: 404 for r in ROLES if r != "anonymous"}
OFFICE_ROLES = dict(staff=200, director=200, town_staff=200)
# The city session: its office, its chair (the director) and its members (the deputy).
SESSION = page(HIDDEN, staff=200, director=200, deputy=200)
# The office's and the chair's buttons on the city session.
OFFICE_POST = page(HIDDEN, staff=302, director=302, deputy=403)
OFFICE_FORM_ERROR = page(HIDDEN, staff=200, director=200, deputy=403)
# Buttons on the planned session: the office only (members do not see it before the notice).
PLANNED_POST = page(HIDDEN, staff=302, director=302)


def _s(w):
    return mw(w).session


ROWS: list[Row] = [
    Row("meetings:list", "会议列表（机关：本级全部；代表：所参加的）", lambda w: (mw(w), "/meetings/")[1],
        page(OFFICE_ROLES, deputy=200, admin=403)),
    Row("meetings:list", "会议列表（筛选）", lambda w: (mw(w), "/meetings/?kind=standing&status=in_session&q=会议")[1],
        page(OFFICE_ROLES, deputy=200, admin=403)),
    Row("meetings:new", "安排会议", lambda w: "/meetings/new/", page(OFFICE_ROLES, admin=403)),
    Row("meetings:export", "导出会议列表（Excel）", lambda w: (mw(w), "/meetings/export/?kind=standing")[1],
        page(OFFICE_ROLES, admin=403)),
    Row("meetings:attendance_export", "导出签到表（Excel）", lambda w: f"/meetings/{_s(w).pk}/attendance.xlsx",
        page(HIDDEN, staff=200, director=200, deputy=403)),
    Row("meetings:new", "安排会议（内容不全：表单提示）", lambda w: "/meetings/new/",
        page(OFFICE_ROLES, admin=403), method="post", data=lambda w: {"kind": "standing", "title": ""}),
    Row("meetings:detail", "市人大常委会会议", lambda w: f"/meetings/{_s(w).pk}/", SESSION),
    Row("meetings:detail", "镇人大主席团会议", lambda w: f"/meetings/{mw(w).town_meeting.pk}/",
        page(HIDDEN, town_staff=200)),
    Row("meetings:reply", "回复出席（已签到：提示后返回）", lambda w: f"/meetings/{_s(w).pk}/reply/",
        page(HIDDEN, staff=403, director=302, deputy=302), method="post", data=lambda w: {"reply-attending": "1"}),
    Row("meetings:notify", "发出会议通知（筹备中的会议）", lambda w: f"/meetings/{mw(w).planned.pk}/notify/",
        PLANNED_POST, method="post"),
    Row("meetings:cancel", "取消会议", lambda w: f"/meetings/{mw(w).planned.pk}/cancel/", PLANNED_POST,
        method="post", data=lambda w: {"cancel-note": "改期召开"}),
    Row("meetings:step", "宣布闭会（有表决未结束：提示后返回）", lambda w: f"/meetings/{_s(w).pk}/step/adjourn/",
        OFFICE_POST, method="post"),
    Row("meetings:item_add", "添加议题", lambda w: f"/meetings/{_s(w).pk}/items/", OFFICE_POST, method="post",
        data=lambda w: {"item-title": "听取和审议市政府关于防汛工作情况的报告"}),
    Row("meetings:item_move", "议题上移", lambda w: f"/meetings/{_s(w).pk}/items/{mw(w).item_done.pk}/move/up/",
        OFFICE_POST, method="post"),
    Row("meetings:item_remove", "删除议题（已表决：提示后返回）",
        lambda w: f"/meetings/{_s(w).pk}/items/{mw(w).item_done.pk}/remove/", OFFICE_POST, method="post"),
    Row("meetings:participant_set", "增加旁听人员", lambda w: f"/meetings/{_s(w).pk}/participants/", OFFICE_POST,
        method="post", data=lambda w: {"person-person": w.person2.pk, "person-role": "observer"}),
    Row("meetings:participant_remove", "移除参会人员（会议进行中：提示后返回）",
        lambda w: f"/meetings/{_s(w).pk}/participants/{w.person2.pk}/remove/", OFFICE_POST, method="post"),
    Row("meetings:staff_checkin", "代为签到", lambda w: f"/meetings/{_s(w).pk}/participants/"
        f"{mw(w).committee.people[25].pk}/check-in/", OFFICE_POST, method="post"),
    Row("meetings:document_add", "上传会议材料（未选文件：表单提示）", lambda w: f"/meetings/{_s(w).pk}/documents/",
        OFFICE_FORM_ERROR, method="post", data=lambda w: {"doc-title": "会议议程"}),
    Row("meetings:documents_publish", "发布会议材料", lambda w: f"/meetings/{_s(w).pk}/documents/publish/",
        OFFICE_POST, method="post"),
    Row("meetings:vote_add", "添加表决事项（内容不全：表单提示）", lambda w: f"/meetings/{_s(w).pk}/votes/",
        OFFICE_FORM_ERROR, method="post", data=lambda w: {"vote-kind": "motion"}),
    Row("meetings:vote_step", "结束表决", lambda w: f"/meetings/{_s(w).pk}/votes/{mw(w).vote_open.pk}/close/",
        OFFICE_POST, method="post"),
    Row("meetings:minutes", "会议纪要与决定", lambda w: f"/meetings/{_s(w).pk}/minutes/",
        page(HIDDEN, staff=200, director=200, deputy=403)),
    Row("meetings:minutes", "保存会议纪要", lambda w: f"/meetings/{_s(w).pk}/minutes/", OFFICE_POST, method="post",
        data=lambda w: {"minutes": "会议审议了财政决算。"}),
    Row("meetings:checkin", "扫码签到页", lambda w: f"/meetings/{_s(w).pk}/check-in/{_s(w).checkin_token}/",
        page(HIDDEN, staff=403, director=200, deputy=200)),
    Row("meetings:checkin", "扫码签到（已签到）", lambda w: f"/meetings/{_s(w).pk}/check-in/{_s(w).checkin_token}/",
        page(HIDDEN, staff=403, director=302, deputy=302), method="post"),
    Row("meetings:chair", "主持界面", lambda w: f"/meetings/{_s(w).pk}/chair/",
        page(HIDDEN, staff=200, director=200, deputy=403)),
    Row("meetings:chair_status", "主持界面（实时出席与表决）", lambda w: f"/meetings/{_s(w).pk}/chair/status/",
        page(HIDDEN, staff=200, director=200, deputy=403)),
    Row("ballots:mine", "待投票（有人员身份的用户）", lambda w: (mw(w), "/ballots/")[1],
        page(director=200, deputy=200, admin=403)),
    Row("ballots:vote", "投票页（表决中）", lambda w: f"/ballots/{mw(w).vote_open.pk}/",
        page(HIDDEN, staff=200, director=200, deputy=200)),
    Row("ballots:vote", "投票（本人，一次）", lambda w: f"/ballots/{mw(w).vote_open.pk}/",
        page(HIDDEN, staff=403, director=302, deputy=302), method="post",
        data=lambda w: {f"opt_{mw(w).vote_open.options.get().pk}": "yes"}),
    Row("ballots:paper", "录入纸质票计票结果", lambda w: f"/ballots/{mw(w).vote_paper.pk}/paper/",
        page(HIDDEN, staff=200, director=200, deputy=403)),
    Row("ballots:paper", "录入纸质票计票结果（内容不全：提示）", lambda w: f"/ballots/{mw(w).vote_paper.pk}/paper/",
        page(HIDDEN, staff=200, director=200, deputy=403), method="post", data=lambda w: {"issued": "30"}),
    Row("ballots:tie", "末位并列的处理（无并列：说明）", lambda w: f"/ballots/{mw(w).vote_open.pk}/tie/",
        page(HIDDEN, staff=200, director=200, deputy=403)),
    Row("ballots:tie", "对并列者再次投票（无并列：提示后返回）", lambda w: f"/ballots/{mw(w).vote_open.pk}/tie/",
        OFFICE_POST, method="post"),
]
