"""Statistics of the opinions channel: the precomputed tables, the rates, and the page's report.

Write side (`stats_rebuild`): MonthlyStat and TermStat are recomputed per month from Opinion and
Assignment with GROUP BY queries (one per row kind and month), never by loading opinions into
Python; only the hot-topic terms need the texts, and only of the months being rebuilt. A month is
keyed by the opinion's submission month (Asia/Shanghai), so later status changes of an old opinion
reach its month at the next rebuild of that month: renda/opinions/tasks.py rebuilds the current and
previous month every 10 minutes and every month each night (see docs/statistics.md).

Row kinds of MonthlyStat (one per congress × month × town × category):
- unit_id = 0: the opinions themselves; by_status counts Opinion.Status.
- unit_id = a unit: that unit's parts (Assignment, withdrawn ones left out); by_status counts
  Assignment.Status; on_time/answered are the parts' own (按期答复); rating, re-opening and
  handling days are those of the opinions the unit took part in.

Read side (`stats_report`): the page reads only these tables, a bounded number of queries
whatever the number of opinions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core.figures import DASH, PERCENT, average, percent_text, rate  # noqa: F401  (re-exported)
from renda.core.search.segmentation import cut, is_han, normalize

from .models import Assignment, Category, MonthlyStat, Opinion, TermStat

# --- rates: small pure functions -------------------------------------------------------------------


def number_text(value: Decimal | None) -> str:
    return DASH if value is None else str(value)


# --- months ------------------------------------------------------------------------------------------
def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_add(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def month_range(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every first-of-month from start to end, both included."""
    months, m = [], month_start(start)
    while m <= end:
        months.append(m)
        m = month_add(m, 1)
    return months


def _bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month as an aware [start, end) interval in the site's time zone (Asia/Shanghai)."""
    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(month, dt.time.min, tzinfo=tz)
    return start, dt.datetime.combine(month_add(month, 1), dt.time.min, tzinfo=tz)


# --- hot topics ----------------------------------------------------------------------------------------
TOP_TERMS = 100
TERM_MAX = 30
# Words that say nothing about the topic: particles, pronouns, the vocabulary of petitioning itself.
STOP_WORDS = frozenset("""
的 了 我们 你们 他们 她们 它们 咱们 大家 自己 本人 希望 问题 反映 建议 进行 要求 请求 恳请 呼吁 意见 情况
一个 一些 一下 一直 一样 一定 没有 现在 目前 已经 可以 能够 能否 是否 可否 因为 所以 但是 而且 并且 或者
如果 虽然 然后 同时 这个 那个 这些 那些 这样 那样 这里 那里 这种 那种 什么 怎么 怎么办 为什么 如何 还是 还有
以及 相关 有关 关于 对于 通过 根据 由于 为了 需要 解决 处理 部门 领导 群众 居民 市民 老百姓 代表 人大 政府
导致 造成 影响 存在 出现 发生 尽快 及时 帮助 帮忙 谢谢 感谢 您好 你好 不能 不是 不要 不会 不到 得到 还要
以后 之前 之后 所有 其他 其中 以上 以下 很多 许多 不少 多次 每天 每次 时候 期间 今年 去年 最近 近期 经常
非常 比较 特别 严重 真的 确实 实在 可能 应该 必须 一般 主要 其实 只能 只有 就是 还是 也是 都是 不是 已有
""".split())
_NUMERAL_RE = re.compile(r"^[零〇一二两三四五六七八九十百千万几第多半]+[个号栋幢层楼年月日天次条户人元位期]?$")


def topic_terms(text: str) -> set[str]:
    """The distinct topic words of one text: Han words of two or more characters, no stop words,
    no numbers (digits or numerals like 三号, 一年)."""
    words = set()
    for word in cut(normalize(text)):
        if len(word) < 2 or len(word) > TERM_MAX or word in STOP_WORDS or not is_han(word):
            continue
        if not all(is_han(ch) for ch in word) or _NUMERAL_RE.match(word):
            continue
        words.add(word)
    return words


def hot_terms_count(texts: Iterable[str], *, top: int = TOP_TERMS) -> list[tuple[str, int]]:
    """The top terms by the number of texts that mention them (a text counts once per term).

    Ties are broken by the term itself, so a rebuild gives the same top list every time.
    """
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(topic_terms(text))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]


# --- rebuild --------------------------------------------------------------------------------------------
RATED = ~Q(rating="")
SATISFIED = Q(rating__in=[Opinion.Rating.SATISFIED, Opinion.Rating.BASIC])


def _opinion_groups(qs) -> Iterable[dict]:
    """One GROUP BY over opinions: congress × town × category × status with every count."""
    return (qs.values("congress_id", "town_id", "category_id", "status").order_by().annotate(
        n_total=Count("id"),
        n_on_time=Count("id", filter=Q(on_time=True)),
        n_answered=Count("id", filter=Q(on_time__isnull=False)),
        n_rated=Count("id", filter=RATED),
        n_satisfied=Count("id", filter=SATISFIED),
        n_reopened=Count("id", filter=Q(rehandle_count__gt=0)),
        n_hd_sum=Sum("handling_days"),
        n_hd_n=Count("handling_days"),
    ))


def _unit_groups(qs) -> Iterable[dict]:
    """One GROUP BY over the units' parts: congress × town × category × unit × part status.

    Rating and re-opening are counted once per opinion (a unit may hold parts in two rounds);
    handling days come from the part of the opinion's latest round.
    """
    latest = Q(round=F("opinion__rehandle_count") + 1)
    return (qs.values("congress_id", "opinion__town_id", "opinion__category_id", "unit_id", "status")
            .order_by().annotate(
                n_total=Count("id"),
                n_on_time=Count("id", filter=Q(on_time=True)),
                n_answered=Count("id", filter=Q(on_time__isnull=False)),
                n_rated=Count("opinion_id", distinct=True, filter=~Q(opinion__rating="")),
                n_satisfied=Count("opinion_id", distinct=True, filter=Q(
                    opinion__rating__in=[Opinion.Rating.SATISFIED, Opinion.Rating.BASIC])),
                n_reopened=Count("opinion_id", distinct=True, filter=Q(opinion__rehandle_count__gt=0)),
                n_hd_sum=Sum("opinion__handling_days", filter=latest),
                n_hd_n=Count("opinion__handling_days", filter=latest),
            ))


def _rows_for(groups: Iterable[dict], *, month: dt.date, finished_states, town_key: str, category_key: str,
              unit_key: str | None, now: dt.datetime) -> list[MonthlyStat]:
    """Fold the per-status groups into one MonthlyStat per congress × town × category × unit."""
    rows: dict[tuple, MonthlyStat] = {}
    for g in groups:
        key = (g["congress_id"], g[town_key] or 0, g[category_key] or 0, g[unit_key] if unit_key else 0)
        row = rows.get(key)
        if row is None:
            row = rows[key] = MonthlyStat(congress_id=key[0], month=month, town_id=key[1], category_id=key[2],
                                          unit_id=key[3], by_status={}, computed_at=now)
        row.total += g["n_total"]
        row.by_status[g["status"]] = row.by_status.get(g["status"], 0) + g["n_total"]
        if g["status"] in finished_states:
            row.finished += g["n_total"]
        row.on_time += g["n_on_time"]
        row.answered += g["n_answered"]
        row.rated += g["n_rated"]
        row.satisfied += g["n_satisfied"]
        row.reopened += g["n_reopened"]
        row.handling_days_sum += g["n_hd_sum"] or 0
        row.handling_days_n += g["n_hd_n"]
    return list(rows.values())


def stats_rebuild_month(*, month: dt.date, congress_id: int | None = None) -> int:
    """Recompute one month's MonthlyStat and TermStat rows (of one congress, or all). Returns rows written."""
    month = month_start(month)
    start, end = _bounds(month)
    now = timezone.now()
    opinions = Opinion.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    parts = Assignment.objects.filter(opinion__submitted_at__gte=start, opinion__submitted_at__lt=end).exclude(
        status=Assignment.Status.WITHDRAWN)
    stats = MonthlyStat.objects.filter(month=month)
    terms = TermStat.objects.filter(month=month)
    if congress_id is not None:
        opinions, parts = opinions.filter(congress_id=congress_id), parts.filter(congress_id=congress_id)
        stats, terms = stats.filter(congress_id=congress_id), terms.filter(congress_id=congress_id)
    rows = _rows_for(_opinion_groups(opinions), month=month, finished_states=Opinion.FINISHED_STATES,
                     town_key="town_id", category_key="category_id", unit_key=None, now=now)
    rows += _rows_for(_unit_groups(parts), month=month, finished_states=(Assignment.Status.REPLIED,),
                      town_key="opinion__town_id", category_key="opinion__category_id", unit_key="unit_id", now=now)
    # Segmenting is the slow part: done before the transaction so writers are not held up.
    texts: dict[int, list[str]] = defaultdict(list)
    for cid, title, text in opinions.values_list("congress_id", "title", "text").order_by().iterator(chunk_size=2000):
        texts[cid].append(f"{title} {text}")
    term_rows = [TermStat(congress_id=cid, month=month, term=term, count=n)
                 for cid, items in texts.items() for term, n in hot_terms_count(items)]
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                stats.delete()
                terms.delete()
                MonthlyStat.objects.bulk_create(rows, batch_size=500)
                TermStat.objects.bulk_create(term_rows, batch_size=500)
            break
        except IntegrityError:
            # Another rebuild of the same month (the 10-minute task overlapping the nightly one) committed
            # between our delete and insert: delete again, now seeing its rows, and write ours.
            if attempt == 2:
                raise
    return len(rows) + len(term_rows)


def stats_months(*, congress_id: int | None = None) -> list[dt.date]:
    """Every month that has opinions or stale statistics rows: what a full rebuild goes over."""
    opinions = Opinion.objects.all()
    stats = MonthlyStat.objects.all()
    terms = TermStat.objects.all()
    if congress_id is not None:
        opinions = opinions.filter(congress_id=congress_id)
        stats, terms = stats.filter(congress_id=congress_id), terms.filter(congress_id=congress_id)
    months = {d.date() for d in opinions.datetimes("submitted_at", "month")}
    months |= set(stats.values_list("month", flat=True).distinct().order_by())
    months |= set(terms.values_list("month", flat=True).distinct().order_by())
    return sorted(months)


def stats_rebuild(*, congress_id: int | None = None, months: Iterable[dt.date] | None = None,
                  progress: Callable[[int], object] | None = None) -> int:
    """Recompute the statistics tables for the given months (first days), or for every month.

    Idempotent: running it twice gives the same rows. `progress(1)` is called after each month
    (the management command's progress bar). Returns the number of rows written.
    """
    months = sorted({month_start(m) for m in months}) if months is not None else stats_months(congress_id=congress_id)
    written = 0
    for month in months:
        written += stats_rebuild_month(month=month, congress_id=congress_id)
        if progress is not None:
            progress(1)
    return written


def stats_rebuild_recent(*, today: dt.date | None = None) -> int:
    """The current and the previous month: the periodic refresh."""
    current = month_start(today or timezone.localdate())
    return stats_rebuild(months=[month_add(current, -1), current])


# --- the report -----------------------------------------------------------------------------------------
UNKNOWN_TOWN = _("未注明")
MAX_MONTHS = 120
TOP_TERMS_SHOWN = 20


@dataclass
class Figures:
    total: int = 0
    by_status: dict = field(default_factory=dict)
    finished: int = 0
    on_time: int = 0
    answered: int = 0
    rated: int = 0
    satisfied: int = 0
    reopened: int = 0
    handling_days_sum: int = 0
    handling_days_n: int = 0

    COUNTS = ("total", "finished", "on_time", "answered", "rated", "satisfied", "reopened", "handling_days_sum",
              "handling_days_n")

    def add(self, row) -> None:
        get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
        for name in self.COUNTS:
            setattr(self, name, getattr(self, name) + (get(name) or 0))
        for status, n in (get("by_status") or {}).items():
            self.by_status[status] = self.by_status.get(status, 0) + n

    @property
    def on_time_rate(self) -> Decimal | None:
        return rate(self.on_time, self.answered)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return rate(self.satisfied, self.rated)

    @property
    def reopened_rate(self) -> Decimal | None:
        return rate(self.reopened, self.rated)

    @property
    def average_days(self) -> Decimal | None:
        return average(self.handling_days_sum, self.handling_days_n)

    def texts(self) -> dict[str, str]:
        return {"on_time_rate": percent_text(self.on_time_rate),
                "satisfaction_rate": percent_text(self.satisfaction_rate),
                "reopened_rate": percent_text(self.reopened_rate),
                "average_days": number_text(self.average_days)}


@dataclass(frozen=True)
class StatsFilters:
    start: dt.date  # first month, a first day
    end: dt.date  # last month (included), a first day
    town_id: int | None = None
    category_id: int | None = None
    unit_id: int | None = None
    include_lower: bool = False  # the city congress with its towns' figures


@dataclass
class Breakdown:
    key: object
    label: str
    figures: Figures


@dataclass
class StatsReport:
    congress: object
    filters: StatsFilters
    overall: Figures
    status_labels: list[tuple[str, str, int]]  # (status, label, count) in the flow's order
    by_town: list[Breakdown]
    by_category: list[Breakdown]
    by_month: list[Breakdown]
    by_unit: list[Breakdown]
    hot_month: dt.date
    hot_terms: list[tuple[str, int]]
    computed_at: dt.datetime | None


def stats_congress_ids(*, congress, include_lower: bool) -> list[int]:
    from renda.org.selectors import congress_descendants

    if not include_lower:
        return [congress.pk]
    return list(congress_descendants(congress=congress).values_list("pk", flat=True))


def stats_check(*, user, congress) -> None:
    """Statistics are for the congress's own office and leadership (and the superuser)."""
    if congress is None or not user.has_perm("opinions.view_stats", congress):
        raise PermissionDenied


def _month_label(month: dt.date) -> str:
    return f"{month.year}-{month.month:02d}"


def stats_report(*, user, congress, filters: StatsFilters, towns: dict[int, str], categories: dict[int, str],
                 units: dict[int, str]) -> StatsReport:
    """The statistics page's figures, read only from MonthlyStat/TermStat (3 queries).

    `towns`/`categories`/`units` are id → name maps the caller already loaded for the filter form.
    With a unit chosen, the counts are that unit's parts (their statuses are the part statuses).
    """
    stats_check(user=user, congress=congress)
    congress_ids = stats_congress_ids(congress=congress, include_lower=filters.include_lower)
    base = MonthlyStat.objects.filter(congress_id__in=congress_ids, month__gte=filters.start, month__lte=filters.end)
    if filters.town_id is not None:
        base = base.filter(town_id=filters.town_id)
    if filters.category_id is not None:
        base = base.filter(category_id=filters.category_id)
    unit_rows = base.filter(unit_id__gt=0)
    if filters.unit_id is not None:
        base = unit_rows = base.filter(unit_id=filters.unit_id)
    else:
        base = base.filter(unit_id=0)

    overall = Figures()
    by_town: dict[int, Figures] = defaultdict(Figures)
    by_category: dict[int, Figures] = defaultdict(Figures)
    by_month: dict[dt.date, Figures] = {m: Figures() for m in month_range(filters.start, filters.end)}
    computed_at = None
    for row in base.values("month", "town_id", "category_id", "by_status", "computed_at", *Figures.COUNTS):
        overall.add(row)
        by_town[row["town_id"]].add(row)
        by_category[row["category_id"]].add(row)
        by_month[row["month"]].add(row)
        if row["computed_at"] and (computed_at is None or row["computed_at"] < computed_at):
            computed_at = row["computed_at"]
    # Summed in the database: units × towns × categories × months can be many rows.
    by_unit = {r["unit_id"]: {name: r[f"sum_{name}"] for name in Figures.COUNTS}
               for r in unit_rows.values("unit_id").order_by("unit_id").annotate(
                   **{f"sum_{name}": Sum(name) for name in Figures.COUNTS})}

    hot_month = min(filters.end, month_start(timezone.localdate()))
    hot_terms = list(TermStat.objects.filter(congress_id__in=congress_ids, month=hot_month).values("term")
                     .order_by().annotate(n=Sum("count")).order_by("-n", "term").values_list("term", "n")
                     [:TOP_TERMS_SHOWN])

    flow = Assignment.Status if filters.unit_id is not None else Opinion.Status
    status_labels = [(value, str(label), overall.by_status.get(value, 0)) for value, label in flow.choices]

    def units_breakdown() -> list[Breakdown]:
        out = []
        for unit_id, r in by_unit.items():
            f = Figures()
            f.add(r)
            out.append(Breakdown(unit_id, units.get(unit_id, f"#{unit_id}"), f))
        return sorted(out, key=lambda b: (-b.figures.total, b.label))

    return StatsReport(
        congress=congress, filters=filters, overall=overall, status_labels=status_labels,
        by_town=sorted((Breakdown(k, towns.get(k) or str(UNKNOWN_TOWN), f) for k, f in by_town.items()),
                       key=lambda b: (-b.figures.total, b.label)),
        by_category=sorted((Breakdown(k, categories.get(k, f"#{k}"), f) for k, f in by_category.items()),
                           key=lambda b: (-b.figures.total, b.label)),
        by_month=[Breakdown(m, _month_label(m), f) for m, f in by_month.items()],
        by_unit=units_breakdown(),
        hot_month=hot_month,
        hot_terms=hot_terms,
        computed_at=computed_at,
    )


# --- charts (ECharts options, drawn by renda/static/renda/charts.js) ------------------------------------
def chart_trend(report: StatsReport) -> dict:
    received, finished = str(_("收到")), str(_("办结"))
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [received, finished], "top": 0},
        "grid": {"left": 48, "right": 16, "top": 40, "bottom": 32, "containLabel": True},
        "xAxis": {"type": "category", "data": [b.label for b in report.by_month]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {"name": received, "type": "bar", "data": [b.figures.total for b in report.by_month]},
            {"name": finished, "type": "line", "data": [b.figures.finished for b in report.by_month]},
        ],
    }


def chart_terms(report: StatsReport) -> dict:
    terms = list(reversed(report.hot_terms))  # ECharts draws a category y axis bottom-up
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 88, "right": 24, "top": 16, "bottom": 24},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "data": [t for t, _n in terms], "axisLabel": {"interval": 0}},
        "series": [{"name": str(_("提及件数")), "type": "bar", "data": [n for _t, n in terms]}],
    }


def chart_status(report: StatsReport) -> dict:
    return {
        "tooltip": {"trigger": "item"},
        "legend": {"bottom": 0, "type": "scroll"},
        "series": [{"type": "pie", "radius": ["35%", "65%"], "center": ["50%", "45%"],
                    "data": [{"name": label, "value": n} for _v, label, n in report.status_labels if n]}],
    }


# --- export ----------------------------------------------------------------------------------------------
def stats_export_sheets(report: StatsReport) -> list:
    """The page's tables as xlsx sheets: aggregate counts only, no personal data."""
    from renda.core.exports import XlsxSheet

    headers = [str(_("件数")), str(_("办结")), str(_("已答复")), str(_("按期")), str(_("按期率(%)")),
               str(_("已评价")), str(_("满意+基本满意")), str(_("满意率(%)")), str(_("重新办理")),
               str(_("重新办理率(%)")), str(_("平均办理用时（工作日）"))]

    def cells(f: Figures) -> list:
        def num(d):
            return float(d) if d is not None else None
        return [f.total, f.finished, f.answered, f.on_time, num(f.on_time_rate), f.rated, f.satisfied,
                num(f.satisfaction_rate), f.reopened, num(f.reopened_rate), num(f.average_days)]

    def sheet(title: str, key_header: str, items: list[Breakdown]) -> XlsxSheet:
        return XlsxSheet(title=title, headers=[key_header, *headers], widths=[18] + [12] * len(headers),
                         rows=[[b.label, *cells(b.figures)] for b in items])

    summary = XlsxSheet(title=str(_("总体")), headers=[str(_("项目")), str(_("数值"))], widths=[28, 16], rows=[
        [str(_("人大")), str(report.congress)],
        [str(_("期间")), f"{_month_label(report.filters.start)} ~ {_month_label(report.filters.end)}"],
        [str(_("统计截至")), timezone.localtime(report.computed_at).strftime("%Y-%m-%d %H:%M")
         if report.computed_at else DASH],
        *[[label, n] for _v, label, n in report.status_labels],
        *[[h, v] for h, v in zip(headers, cells(report.overall), strict=True)],
    ])
    return [
        summary,
        sheet(str(_("按镇（街道）")), str(_("镇（街道）")), report.by_town),
        sheet(str(_("按承办单位")), str(_("承办单位")), report.by_unit),
        sheet(str(_("按类别")), str(_("类别")), report.by_category),
        sheet(str(_("按月份")), str(_("月份")), report.by_month),
        XlsxSheet(title=str(_("热词")), headers=[str(_("热词")), str(_("提及件数"))], widths=[18, 12],
                  rows=[list(t) for t in report.hot_terms]),
    ]


def stats_filter_choices(*, congress, include_lower: bool = False) -> tuple[dict, dict, dict]:
    """id → name of the towns, categories and units the filters offer (3 small queries)."""
    from renda.org.models import Place, Unit

    congress_ids = stats_congress_ids(congress=congress, include_lower=include_lower)
    area_id = congress.area_id
    towns = {}
    if area_id:
        towns = dict(Place.objects.filter(Q(pk=area_id) | Q(parent_id=area_id),
                                          kind__in=[Place.Kind.TOWN, Place.Kind.STREET])
                     .order_by("sort", "id").values_list("pk", "name"))
    categories = dict(Category.objects.order_by("sort", "id").values_list("pk", "name"))
    units = dict(Unit.objects.filter(congress_id__in=congress_ids).order_by("congress_id", "id")
                 .values_list("pk", "name"))
    return towns, categories, units
