"""Permission-matrix rows for the opinions public URLs (added to renda/permission_matrix.py).

Every role sees the citizen's pages alike: they need no account, and being signed in gives no
access to someone else's item (the tracking page needs the code, the rating needs the session's
grant). POST rows send bad input on purpose: a form error (200), never a 500 or a write.
"""

from renda.permission_matrix import Row, public

from ..matrix_world import ow

ROWS: list[Row] = [
    Row("voice:submit_deputy", "向代表反映意见（表单）", lambda w: f"/deputy/{w.deputy.pk}/write/", public(200)),
    Row("voice:submit_deputy", "向终止资格代表反映意见", lambda w: f"/deputy/{w.terminated_deputy.pk}/write/",
        public(404)),
    Row("voice:submit_deputy", "提交意见（缺少必填项：表单错误）", lambda w: f"/deputy/{w.deputy.pk}/write/",
        public(200), method="post", data=lambda w: {"title": "", "text": ""}),
    Row("voice:submit_station", "向联络站反映意见（表单）", lambda w: f"/station/{w.station.pk}/write/", public(200)),
    Row("voice:similar", "相似意见提示（htmx 片段）",
        lambda w: f"/write/similar/?community={w.community.pk}&title=电梯", public(200)),
    Row("voice:receipt", "他人的提交回执（无会话授权）", lambda w: f"/receipt/{ow(w).submitted.tracking_code}/",
        public(404)),
    Row("voice:track", "查询进度（表单）", lambda w: "/track/", public(200)),
    Row("voice:track", "查询进度（手机后四位错误：统一提示）", lambda w: "/track/", public(200), method="post",
        data=lambda w: {"code": ow(w).submitted.tracking_code, "digits": "0000"}),
    Row("voice:track_detail", "他人的意见进度（无会话授权：转到查询页）",
        lambda w: f"/track/{ow(w).submitted.tracking_code}/", public(302)),
    Row("voice:rate", "评价他人的意见（无会话授权）", lambda w: f"/track/{ow(w).replied.tracking_code}/rate/",
        public(404), method="post", data=lambda w: {"rating": "unsatisfied"}),
    Row("voice:published", "公开的群众意见", lambda w: "/published/", public(200)),
    Row("voice:published_detail", "公开的群众意见详情", lambda w: f"/published/{ow(w).closed.pk}/", public(200)),
    Row("voice:published_detail", "未公开的意见（不存在）", lambda w: f"/published/{ow(w).replied.pk}/", public(404)),
    Row("voice:deputy_poster_png", "代表二维码海报（PNG）", lambda w: f"/deputy/{w.deputy.pk}/poster.png", public(200)),
    Row("voice:deputy_poster_pdf", "代表二维码海报（PDF）", lambda w: f"/deputy/{w.deputy.pk}/poster.pdf", public(200)),
    Row("voice:deputy_poster_png", "终止资格代表的海报", lambda w: f"/deputy/{w.terminated_deputy.pk}/poster.png",
        public(404)),
    Row("voice:station_poster_png", "联络站二维码海报（PNG）", lambda w: f"/station/{w.station.pk}/poster.png",
        public(200)),
    Row("voice:station_poster_pdf", "联络站二维码海报（PDF）", lambda w: f"/station/{w.station.pk}/poster.pdf",
        public(200)),
]
