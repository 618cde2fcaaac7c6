"""Permission-matrix rows for the suggestion statistics pages and documents (renda/suggestions/urls_stats.py).

Figures, exports and the annual report: the congress's office and leadership (town staff: their town's
figures; the superuser: the top congress); everyone else 403. A unit reads only its own open list
(another unit's is 404). Letters: the office and the part's unit; reply forms: the office and the
suggestion's signing deputies; a part or suggestion outside one's scope is 404.
"""

from renda.permission_matrix import Row, page

from ..world import sw

STATS = dict(staff=200, director=200, town_staff=200)
CITY_UNIT = dict(staff=200, director=200, unit=200, town_staff=404)
LETTER = dict(staff=200, director=200, unit=200, town_staff=404)
REPLY_FORM = dict(staff=200, director=200, deputy=200, town_staff=404)

ROWS: list[Row] = [
    Row("suggestions:stats", "代表建议统计", lambda w: "/suggestions/stats/", page(STATS)),
    Row("suggestions:stats", "代表建议统计（筛选：征集期）", lambda w: f"/suggestions/stats/?period={sw(w).period.pk}",
        page(STATS)),
    Row("suggestions:stats", "代表建议统计（筛选：提交日期）",
        lambda w: "/suggestions/stats/?start=2026-01-01&end=2026-12-31", page(STATS)),
    Row("suggestions:stats_export", "导出建议统计（Excel）", lambda w: "/suggestions/stats/export/?year=2026",
        page(STATS)),
    Row("suggestions:stats_units", "各单位在办和超期（承办单位转到本单位）", lambda w: "/suggestions/stats/units/",
        page(STATS, unit=302)),
    Row("suggestions:stats_unit", "市住建局在办和超期建议", lambda w: f"/suggestions/stats/units/{w.unit.pk}/",
        page(CITY_UNIT)),
    Row("suggestions:stats_unit", "其他单位在办和超期建议（对承办单位）",
        lambda w: f"/suggestions/stats/units/{w.other_unit.pk}/", page(CITY_UNIT, unit=404)),
    Row("suggestions:stats_unit_export", "导出本单位在办和超期建议（Excel）",
        lambda w: f"/suggestions/stats/units/{w.unit.pk}/export/", page(CITY_UNIT)),
    Row("suggestions:stats_unit_export", "导出其他单位在办和超期建议（对承办单位）",
        lambda w: f"/suggestions/stats/units/{w.other_unit.pk}/export/", page(CITY_UNIT, unit=404)),
    Row("suggestions:annual_report", "年度建议办理情况报告（Word）", lambda w: "/suggestions/report/2026/",
        page(STATS)),
    Row("suggestions:annual_report", "年度报告（年份超出范围）", lambda w: "/suggestions/report/1999/",
        page(staff=404, director=404, town_staff=404, admin=404)),
    Row("suggestions:assignment_letter", "交办函（主办单位的承办任务）",
        lambda w: f"/suggestions/parts/{sw(w).lead.pk}/letter/", page(LETTER)),
    Row("suggestions:assignment_letter", "交办函（其他单位的承办任务）",
        lambda w: f"/suggestions/parts/{sw(w).co.pk}/letter/", page(LETTER, unit=404)),
    Row("suggestions:reply_form", "征询意见表（已答复的建议）",
        lambda w: f"/suggestions/{sw(w).replied.pk}/reply-form/", page(REPLY_FORM)),
    Row("suggestions:reply_form", "征询意见表（草稿：不存在）", lambda w: f"/suggestions/{sw(w).draft.pk}/reply-form/",
        page(staff=404, director=404, deputy=404, town_staff=404, admin=404)),
]
