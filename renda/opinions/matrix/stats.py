"""Permission-matrix rows for the opinions stats URLs (added to renda/permission_matrix.py)."""

from renda.permission_matrix import Row, page, public  # noqa: F401

from ..matrix_world import ow  # noqa: F401  (ow(w): the opinions objects of the test world)

# The congress's own office and leadership (town staff: their town's figures); the superuser sees the top
# congress. Deputies, units and the rest get 403: figures are not theirs to read.
STATS = dict(staff=200, director=200, town_staff=200)

ROWS: list[Row] = [
    Row("opinions:stats", "群众意见统计", lambda w: "/opinions/stats/", page(STATS)),
    Row("opinions:stats", "群众意见统计（筛选：承办单位、期间）",
        lambda w: f"/opinions/stats/?unit={w.unit.pk}&start=2026-01&end=2026-12", page(STATS)),
    Row("opinions:stats_export", "导出统计表（Excel，无个人信息）", lambda w: "/opinions/stats/export/", page(STATS)),
]
