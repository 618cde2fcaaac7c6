"""Permission-matrix rows for the opinions staff URLs (added to renda/permission_matrix.py).

The office (staff of the city, town_staff of 沙溪镇) acts on its own congress's items; the director
reads them but may not act (403); handlers and units that can see an item get 403 on staff actions;
everyone who cannot see the item gets 404.
"""

from renda.permission_matrix import Row, page, public  # noqa: F401

from ..matrix_world import ow  # noqa: F401  (ow(w): the opinions objects of the test world)

OFFICE = dict(staff=200, director=200, town_staff=200)
# An item of the city addressed to the world's deputy: who sees it (and may not act) and who does not.
CITY_ITEM = dict(director=403, deputy=403, unit=404, discipline=404, evaluatee=404, norole=404, town_staff=404)
# The same, for an item the unit holds a part of.
CITY_PART_ITEM = {**CITY_ITEM, "unit": 403}
ACT = dict(staff=302, admin=302)

ROWS: list[Row] = [
    Row("opinions:list", "群众意见管理（全部意见）", lambda w: "/opinions/all/", page(OFFICE)),
    Row("opinions:list", "群众意见管理（筛选与下一页）",
        lambda w: f"/opinions/all/?q=电梯&status=submitted&deputy={w.deputy.pk}&after=1_1", page(OFFICE)),
    Row("opinions:export", "导出群众意见（理由页）", lambda w: "/opinions/all/export/", page(OFFICE)),
    Row("opinions:export", "导出群众意见（提交）", lambda w: "/opinions/all/export/?status=submitted",
        page(OFFICE), method="post", data=lambda w: {"reason": "核对办理情况"}),
    Row("opinions:enter", "代录线下意见（表单）", lambda w: "/opinions/enter/",
        page(staff=200, town_staff=200, director=403)),
    Row("opinions:enter", "代录线下意见（提交给市代表）", lambda w: "/opinions/enter/",
        # town_staff: the city deputy is not among the 沙溪镇 choices, so the form shows an error (200).
        page(staff=302, admin=302, town_staff=200, director=403), method="post",
        data=lambda w: {"offline_event": "民声茶坊", "offline_event_date": "2026-01-05",
                        "addressee": f"d:{w.deputy.pk}", "category": ow(w).category.pk,
                        "title": "健身器材损坏", "text": "新港社区广场健身器材损坏。"}),
    Row("opinions:staff_reassign", "改派代表（表单）", lambda w: f"/opinions/{ow(w).submitted.pk}/reassign/",
        page(CITY_ITEM, staff=200)),
    Row("opinions:staff_reassign", "改派代表（提交）", lambda w: f"/opinions/{ow(w).submitted.pk}/reassign/",
        page(CITY_ITEM, ACT), method="post",
        data=lambda w: {"addressee": f"d:{w.deputy2.pk}", "note": "更熟悉该社区"}),
    Row("opinions:staff_remind", "催办（转办中的意见）", lambda w: f"/opinions/{ow(w).forwarded.pk}/remind/",
        page(CITY_PART_ITEM, ACT), method="post", data=lambda w: {"text": "请抓紧办理"}),
    Row("opinions:staff_remind", "催办（镇联络站的意见）", lambda w: f"/opinions/{ow(w).station_opinion.pk}/remind/",
        # the world's deputy is on duty at the station: sees the item, may not act (403).
        page(staff=404, director=404, deputy=403, unit=404, discipline=404, evaluatee=404, norole=404,
             town_staff=302, admin=302), method="post", data=lambda w: {"text": "请抓紧受理"}),
    Row("opinions:staff_extend", "延长期限", lambda w: f"/opinions/{ow(w).submitted.pk}/extend/",
        page(CITY_ITEM, ACT), method="post", data=lambda w: {"extra_days": 3, "reason": "需实地查看"}),
    Row("opinions:staff_merge", "合并相同意见", lambda w: f"/opinions/{ow(w).submitted.pk}/merge/",
        page(CITY_ITEM, ACT), method="post",
        data=lambda w: {"into_code": ow(w).anonymous.tracking_code, "note": "同一部电梯"}),
    Row("opinions:publish", "公开（去除个人信息页）", lambda w: f"/opinions/{ow(w).replied.pk}/publish/",
        page(CITY_ITEM, staff=200)),
    Row("opinions:publish", "公开（提交）", lambda w: f"/opinions/{ow(w).replied.pk}/publish/",
        page(CITY_ITEM, ACT), method="post",
        data=lambda w: {"title": "学校门口拥堵", "text": "上下学时段拥堵。", "reply": "已协调交警疏导。"}),
    Row("opinions:unpublish", "撤回公开", lambda w: f"/opinions/{ow(w).closed.pk}/unpublish/",
        page(CITY_ITEM, ACT), method="post"),
    Row("opinions:part_keep", "仲裁退回：不同意退回（未申请退回，显示错误）",
        lambda w: f"/opinions/parts/{ow(w).part.pk}/keep/", page(CITY_PART_ITEM, staff=200), method="post",
        data=lambda w: {"note": "属于贵单位职责"}),
    Row("opinions:part_reassign", "仲裁退回：改派承办单位", lambda w: f"/opinions/parts/{ow(w).part.pk}/reassign/",
        page(CITY_PART_ITEM, ACT), method="post", data=lambda w: {"unit": w.other_unit.pk, "note": "职责调整"}),
]
