"""Figures of deputies' suggestions (代表建议办理) for one congress over a scope: a year, a date range or
one Period. The statistics page, its Excel export and the annual report (documents.py) all read
`stats_report`; every figure is a GROUP BY aggregate in the database, never a loop over rows in
Python, so the page costs the same dozen queries at 100 suggestions and at 100,000.

Scope (`StatsScope`):
- a Period: the suggestions submitted into that period (`Suggestion.period`);
- a year: the suggestions of the periods of that year (`Period.year`: 大会期间 and 闭会期间);
- a date range: the suggestions submitted (`submitted_at`, Asia/Shanghai) between two dates, both included.
Drafts and withdrawn suggestions (已撤回) are never counted.

Definitions (docs/suggestion-statistics.md has the long version):
- 收到建议 (submitted): suggestions of the scope that were submitted and not withdrawn;
  待审查 (pending) = still 待审查 or 退回修改.
- 立案 (accepted): reviewed and accepted, whatever happened after (已立案待交办, 办理中, 已答复待评价,
  重新办理中, B类跟踪办理, 已办结), merged suggestions left out.
- 不予立案 (declined), 参阅件 (reference): by status.
- 并案 (merged): suggestions merged into another (`merged_into` set; a merged suggestion that closed
  with its main one still counts here, not under 立案).
- 已答复 (answered): accepted suggestions whose answering units have all replied (`outcome` set).
  Its class is the current one: a B item solved later counts as A; with several units handling
  separately it is the worst class of their replies.
- A/B/C/D 占比: each class ÷ answered.  办成率 = class A ÷ answered (shown next to 满意率:
  satisfaction alone misleads).
- 满意率 = ratings 满意 or 基本满意 ÷ ratings, counting each deputy's **latest** rating per
  suggestion (a 不满意 followed by a satisfied rating of the re-handled reply counts as satisfied).
  Per unit: each deputy's latest rating of that unit's replies.
- 按期答复率 = answering parts (主办 or 分别办理, withdrawn left out) whose latest answer met its
  clock ÷ answering parts that have answered (`Assignment.on_time`).
- 重新办理 = suggestions re-handled after a 不满意 (`Suggestion.rehandled`).
- 重点督办: the key suggestions (KeySupervision) with their leader, status and milestones.
- By unit: the unit's parts of the scope's suggestions by role, its answering parts' answers,
  on-time answers, classes and satisfaction.
- By town: the author deputy's delegation group's place when it is a town or a street (镇/街道);
  every other author falls under 未分组.
- Open and overdue parts (在办/超期) are a present state, not a figure of the scope: every part of
  the congress still open (待签收, 办理中, 申请退回, 重新办理中, B类跟踪办理); overdue = open with its
  answer deadline (`Assignment.due`) before today.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core.figures import DASH, PERCENT, percent_text, rate  # noqa: F401  (re-exported)
from renda.org.models import Unit

from .models import Assignment, Category, KeySupervision, Period, Rating, Signer, Suggestion

S = Suggestion.Status
A = Assignment.Status
OUTCOMES = tuple(Suggestion.Outcome.values)  # ("A", "B", "C", "D")
ACCEPTED_STATES = (S.ACCEPTED, S.HANDLING, S.REPLIED, S.REHANDLING, S.FOLLOWING, S.CLOSED)
COUNTED_OUT = (S.DRAFT, S.WITHDRAWN)
TOWN_KINDS = ("town", "street")
UNGROUPED = _("未分组")
OPEN_LIST_LIMIT = 500  # rows of a unit's open list on the page; the export has them all


# --- rates: small pure functions --------------------------------------------------------------------------
def number(value: Decimal | None) -> float | None:
    """A rate for a spreadsheet cell (a number, or empty)."""
    return float(value) if value is not None else None


# --- the scope ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StatsScope:
    """Which suggestions the figures cover: one period, a year, or submission dates [start, end]."""

    year: int | None = None
    period: Period | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    # A year resolved to its periods' ids (`resolved`): the filter is then `period_id IN (…)` on an
    # index, not a join to Period for every row.
    period_ids: tuple[int, ...] | None = None

    def resolved(self, congress_id: int) -> StatsScope:
        if self.kind != "year" or self.period_ids is not None:
            return self
        ids = tuple(Period.objects.filter(congress_id=congress_id, year=self.year).values_list("pk", flat=True))
        return dataclasses.replace(self, period_ids=ids)

    @property
    def kind(self) -> str:
        if self.period is not None:
            return "period"
        if self.start is not None or self.end is not None:
            return "range"
        return "year"

    def label(self) -> str:
        if self.period is not None:
            return self.period.name
        if self.kind == "range":
            start = self.start.strftime("%Y-%m-%d") if self.start else ""
            end = self.end.strftime("%Y-%m-%d") if self.end else ""
            return str(_("%(start)s 至 %(end)s 提交")) % {"start": start or DASH, "end": end or DASH}
        return str(_("%(year)s 年度")) % {"year": self.year}

    def slug(self) -> str:
        """A short text for file names."""
        if self.period is not None:
            return f"{self.period.year}_{self.period.pk}"
        if self.kind == "range":
            return "_".join(d.strftime("%Y%m%d") for d in (self.start, self.end) if d)
        return str(self.year)

    def suggestion_q(self, prefix: str = "") -> Q:
        """The scope as a filter on suggestions (`prefix` reaches them from a related model)."""
        if self.period is not None:
            return Q(**{f"{prefix}period_id": self.period.pk})
        if self.kind == "range":
            tz = timezone.get_default_timezone()
            q = Q()
            if self.start:
                q &= Q(**{f"{prefix}submitted_at__gte": dt.datetime.combine(self.start, dt.time.min, tzinfo=tz)})
            if self.end:
                q &= Q(**{f"{prefix}submitted_at__lt": dt.datetime.combine(self.end + dt.timedelta(days=1),
                                                                           dt.time.min, tzinfo=tz)})
            return q
        if self.period_ids is not None:
            return Q(**{f"{prefix}period_id__in": self.period_ids})
        return Q(**{f"{prefix}period__year": self.year})


def suggestions_in_scope(*, congress_id: int, scope: StatsScope) -> QuerySet[Suggestion]:
    """The suggestions the figures count: of this congress, in the scope, submitted and not withdrawn."""
    return (Suggestion.objects.filter(congress_id=congress_id).filter(scope.suggestion_q())
            .exclude(status__in=COUNTED_OUT))


# --- figures -------------------------------------------------------------------------------------------------
@dataclass
class Figures:
    """Counts of one group of suggestions (all of them, a category, a town)."""

    submitted: int = 0
    pending: int = 0
    accepted: int = 0
    declined: int = 0
    reference: int = 0
    merged: int = 0
    answered: int = 0
    closed: int = 0
    rehandled: int = 0
    key: int = 0
    outcomes: dict = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    rated: int = 0
    satisfied: int = 0

    COUNTS = ("submitted", "pending", "accepted", "declined", "reference", "merged", "answered", "closed",
              "rehandled", "key")

    def add(self, row: dict) -> None:
        for name in self.COUNTS:
            setattr(self, name, getattr(self, name) + (row.get(name) or 0))
        for o in OUTCOMES:
            self.outcomes[o] += row.get(f"o_{o}") or 0

    def share(self, outcome: str) -> Decimal | None:
        return rate(self.outcomes[outcome], self.answered)

    @property
    def solved_rate(self) -> Decimal | None:
        """办成率: class A ÷ answered."""
        return self.share("A")

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return rate(self.satisfied, self.rated)

    def texts(self) -> dict[str, str]:
        out = {"solved_rate": percent_text(self.solved_rate), "satisfaction_rate": percent_text(self.satisfaction_rate)}
        for o in OUTCOMES:
            out[f"share_{o}"] = percent_text(self.share(o))
        return out


@dataclass
class UnitFigures:
    """One unit's parts of the scope's suggestions."""

    unit_id: int
    name: str
    lead: int = 0
    separate: int = 0
    co: int = 0
    answered: int = 0  # answering parts (lead, separate) that answered
    on_time: int = 0
    rehandled: int = 0
    outcomes: dict = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    rated: int = 0
    satisfied: int = 0

    @property
    def parts(self) -> int:
        return self.lead + self.separate + self.co

    @property
    def answering(self) -> int:
        return self.lead + self.separate

    @property
    def on_time_rate(self) -> Decimal | None:
        return rate(self.on_time, self.answered)

    @property
    def solved_rate(self) -> Decimal | None:
        return rate(self.outcomes["A"], self.answered)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return rate(self.satisfied, self.rated)

    def texts(self) -> dict[str, str]:
        return {"on_time_rate": percent_text(self.on_time_rate), "solved_rate": percent_text(self.solved_rate),
                "satisfaction_rate": percent_text(self.satisfaction_rate)}


@dataclass
class Breakdown:
    key: object
    label: str
    figures: Figures


@dataclass
class UnitLoad:
    """A unit's open and overdue parts now (all periods)."""

    unit_id: int
    name: str
    open: int
    overdue: int


@dataclass
class KeyItem:
    suggestion_id: int
    number: str
    title: str
    author: str
    leader: str
    status: str
    outcome: str
    units: str
    milestones_done: int
    milestones: int
    meeting_date: dt.date


@dataclass
class StatsReport:
    congress: object
    scope: StatsScope
    overall: Figures
    by_category: list[Breakdown]
    by_town: list[Breakdown]
    by_unit: list[UnitFigures]
    unit_load: list[UnitLoad]
    key_items: list[KeyItem]
    today: dt.date

    @property
    def parts_answered(self) -> int:
        return sum(u.answered for u in self.by_unit)

    @property
    def parts_on_time(self) -> int:
        return sum(u.on_time for u in self.by_unit)

    @property
    def on_time_rate(self) -> Decimal | None:
        return rate(self.parts_on_time, self.parts_answered)

    @property
    def units_count(self) -> int:
        return sum(1 for u in self.by_unit if u.parts)

    @property
    def open_parts(self) -> int:
        return sum(u.open for u in self.unit_load)

    @property
    def overdue_parts(self) -> int:
        return sum(u.overdue for u in self.unit_load)

    def texts(self) -> dict[str, str]:
        return {**self.overall.texts(), "on_time_rate": percent_text(self.on_time_rate)}


# --- permission ----------------------------------------------------------------------------------------------
def stats_check(*, user, congress) -> None:
    """Figures are for the congress's own office and leadership (and the superuser): 403 otherwise."""
    if congress is None or not user.has_perm("suggestions.view_stats", congress):
        raise PermissionDenied


# --- the queries -----------------------------------------------------------------------------------------
def _suggestion_counts() -> dict:
    merged = Q(merged_into__isnull=False)
    answered = Q(merged_into__isnull=True) & ~Q(outcome="")
    counts = {
        "submitted": Count("id"),
        "pending": Count("id", filter=Q(status__in=[S.SUBMITTED, S.REVISING])),
        "accepted": Count("id", filter=Q(status__in=ACCEPTED_STATES) & ~merged),
        "declined": Count("id", filter=Q(status=S.DECLINED)),
        "reference": Count("id", filter=Q(status=S.REFERENCE)),
        "merged": Count("id", filter=merged),
        "answered": Count("id", filter=answered),
        "closed": Count("id", filter=Q(status=S.CLOSED) & ~merged),
        "rehandled": Count("id", filter=Q(rehandled=True)),
        "key": Count("id", filter=Q(is_key=True)),
    }
    for o in OUTCOMES:
        counts[f"o_{o}"] = Count("id", filter=answered & Q(outcome=o))
    return counts


def _town_key(place_id, kind) -> int:
    """The town's place id, or 0 for 未分组 (no group, no place, or a place that is not a town/street)."""
    return place_id if place_id and kind in TOWN_KINDS else 0


def _author_towns(congress_id: int) -> tuple[dict[int, int], dict[int, str]]:
    """deputy id → town key, and town key → name, for the congress's deputies (one query).

    Grouping the suggestions by author and mapping authors to towns here keeps the three joins
    deputy → group → place out of the GROUP BY over every suggestion.
    """
    from renda.deputies.models import Deputy

    towns, names = {}, {}
    for pk, place_id, kind, name in Deputy.objects.filter(congress_id=congress_id).values_list(
            "pk", "group__place_id", "group__place__kind", "group__place__name"):
        towns[pk] = _town_key(place_id, kind)
        if towns[pk]:
            names[towns[pk]] = name
    return towns, names


def _latest_ratings(*, congress_id: int, scope: StatsScope, per: str) -> QuerySet[Rating]:
    """Each deputy's latest rating: per suggestion (`per="suggestion"`) or per unit's part (`per="part"`).

    "Latest" = the highest id of the deputy's ratings of that suggestion's (or part's) replies: one
    GROUP BY over the scope's ratings, used as `id IN (…)`. (A NOT EXISTS per rating is ten times
    slower on SQLite: its planner walks the deputy's ratings instead of the suggestion's replies.)
    """
    same = "reply__suggestion_id" if per == "suggestion" else "reply__assignment_id"
    in_scope = (Rating.objects.filter(reply__suggestion__congress_id=congress_id)
                .filter(scope.suggestion_q("reply__suggestion__"))
                .exclude(reply__suggestion__status__in=COUNTED_OUT))
    latest = in_scope.values(same, "deputy_id").order_by().annotate(last=Max("id")).values("last")
    return Rating.objects.filter(id__in=latest)


SATISFIED = Q(value__in=[Rating.Value.SATISFIED, Rating.Value.BASIC])


def _figures_by_category_and_town(*, congress_id: int, scope: StatsScope):
    """Two GROUP BY queries (suggestions; latest ratings) by category × author, folded in Python into
    the totals, the categories and the towns. The groups are at most categories × authors (a few
    thousand), whatever the number of suggestions.
    """
    towns, town_names = _author_towns(congress_id)
    overall = Figures()
    by_category: dict[int, Figures] = defaultdict(Figures)
    by_town: dict[int, Figures] = defaultdict(Figures)
    rows = (suggestions_in_scope(congress_id=congress_id, scope=scope)
            .values("category_id", "author_id").order_by().annotate(**_suggestion_counts()))
    for row in rows:
        town = towns.get(row["author_id"], 0)
        for f in (overall, by_category[row["category_id"]], by_town[town]):
            f.add(row)
    ratings = (_latest_ratings(congress_id=congress_id, scope=scope, per="suggestion")
               .values(category_id=F("reply__suggestion__category_id"), author_id=F("reply__suggestion__author_id"))
               .order_by().annotate(n=Count("id"), ok=Count("id", filter=SATISFIED)))
    for row in ratings:
        town = towns.get(row["author_id"], 0)
        for f in (overall, by_category[row["category_id"]], by_town[town]):
            f.rated += row["n"]
            f.satisfied += row["ok"]
    return overall, by_category, by_town, town_names


def _by_unit(*, congress_id: int, scope: StatsScope) -> list[UnitFigures]:
    """Two GROUP BY queries by unit: the parts, and the latest ratings of the units' replies."""
    answering = Q(role__in=Assignment.ANSWERING)
    answered = answering & Q(answered_at__isnull=False)
    annotations = {
        "n_lead": Count("id", filter=Q(role=Assignment.Role.LEAD)),
        "n_separate": Count("id", filter=Q(role=Assignment.Role.SEPARATE)),
        "n_co": Count("id", filter=Q(role=Assignment.Role.CO)),
        "n_answered": Count("id", filter=answered),
        "n_on_time": Count("id", filter=answered & Q(on_time=True)),
        "n_rehandled": Count("id", filter=answering & Q(rehandled=True)),
    }
    for o in OUTCOMES:
        annotations[f"o_{o}"] = Count("id", filter=answered & Q(outcome=o))
    parts = (Assignment.objects.filter(congress_id=congress_id).exclude(status=A.WITHDRAWN)
             .filter(scope.suggestion_q("suggestion__")).exclude(suggestion__status__in=COUNTED_OUT)
             .values("unit_id", "unit__name").order_by().annotate(**annotations))
    units: dict[int, UnitFigures] = {}
    for r in parts:
        u = units[r["unit_id"]] = UnitFigures(
            unit_id=r["unit_id"], name=r["unit__name"], lead=r["n_lead"], separate=r["n_separate"], co=r["n_co"],
            answered=r["n_answered"], on_time=r["n_on_time"], rehandled=r["n_rehandled"])
        for o in OUTCOMES:
            u.outcomes[o] = r[f"o_{o}"]
    ratings = (_latest_ratings(congress_id=congress_id, scope=scope, per="part")
               .exclude(reply__assignment__status=A.WITHDRAWN)
               .values(unit_id=F("reply__assignment__unit_id")).order_by()
               .annotate(n=Count("id"), ok=Count("id", filter=SATISFIED)))
    for r in ratings:
        if r["unit_id"] in units:
            units[r["unit_id"]].rated, units[r["unit_id"]].satisfied = r["n"], r["ok"]
    return sorted(units.values(), key=lambda u: (-u.answering, -u.parts, u.name))


def unit_load(*, congress_id: int, today: dt.date, unit_id: int | None = None) -> list[UnitLoad]:
    """Per unit: its parts still open and those past due, now (one GROUP BY)."""
    qs = Assignment.objects.filter(congress_id=congress_id, status__in=Assignment.ACTIVE)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    rows = (qs.values("unit_id", "unit__name").order_by()
            .annotate(n_open=Count("id"), n_overdue=Count("id", filter=Q(due__lt=today)))
            .order_by("-n_overdue", "-n_open", "unit__name"))
    return [UnitLoad(r["unit_id"], r["unit__name"], r["n_open"], r["n_overdue"]) for r in rows]


def key_items(*, congress_id: int, scope: StatsScope) -> list[KeyItem]:
    """The scope's key suggestions with leader, status, answering units and milestones (2 queries)."""
    keys = list(KeySupervision.objects.filter(suggestion__congress_id=congress_id)
                .filter(scope.suggestion_q("suggestion__")).exclude(suggestion__status__in=COUNTED_OUT)
                .select_related("suggestion__period", "suggestion__author__person", "leader__person")
                .annotate(n_ms=Count("milestones"),
                          n_done=Count("milestones", filter=Q(milestones__done_on__isnull=False)))
                .order_by("suggestion__period_id", "suggestion__number", "id"))
    units: dict[int, list[tuple[bool, str]]] = defaultdict(list)  # answering units first
    for sid, name, role in (Assignment.objects.filter(suggestion_id__in=[k.suggestion_id for k in keys])
                            .exclude(status=A.WITHDRAWN).order_by("suggestion_id", "id")
                            .values_list("suggestion_id", "unit__name", "role")):
        units[sid].append((role == Assignment.Role.CO, f"{name}（{Assignment.Role(role).label}）"))
    out = []
    for k in keys:
        s = k.suggestion
        out.append(KeyItem(suggestion_id=s.pk, number=str(s.number_display), title=s.title,
                           author=s.author.person.name, leader=k.leader.person.name,
                           status=str(s.get_status_display()), outcome=s.outcome,
                           units="、".join(label for _co, label in sorted(units[s.pk], key=lambda u: u[0])),
                           milestones_done=k.n_done, milestones=k.n_ms, meeting_date=k.meeting_date))
    return out


def stats_report(*, congress, scope: StatsScope, today: dt.date | None = None) -> StatsReport:
    """Every figure of the page, the export and the annual report: 7 queries.

    The caller has checked the permission (`stats_check`); `congress` is the user's own.
    """
    today = today or timezone.localdate()
    scope = scope.resolved(congress.pk)
    overall, by_category, by_town, town_names = _figures_by_category_and_town(congress_id=congress.pk, scope=scope)
    categories = dict(Category.objects.filter(pk__in=list(by_category)).values_list("pk", "name"))
    category_rows = sorted((Breakdown(k, categories.get(k, f"#{k}"), f) for k, f in by_category.items()),
                           key=lambda b: (-b.figures.submitted, b.label))
    town_rows = sorted((Breakdown(k, town_names.get(k) or str(UNGROUPED), f) for k, f in by_town.items()),
                       key=lambda b: (b.key == 0, -b.figures.submitted, b.label))
    return StatsReport(
        congress=congress, scope=scope, overall=overall, by_category=category_rows, by_town=town_rows,
        by_unit=_by_unit(congress_id=congress.pk, scope=scope),
        unit_load=unit_load(congress_id=congress.pk, today=today),
        key_items=key_items(congress_id=congress.pk, scope=scope), today=today,
    )


# --- a unit's open and overdue parts -------------------------------------------------------------------
@dataclass
class OpenPart:
    part_id: int
    suggestion_id: int
    number: str
    title: str
    author: str
    role: str
    status: str
    assigned_on: dt.date
    due: dt.date | None
    days_overdue: int  # 0 when not overdue


def open_parts(*, congress_id: int, unit_id: int, today: dt.date, limit: int | None = OPEN_LIST_LIMIT
               ) -> list[OpenPart]:
    """The unit's open parts (all periods), overdue first then soonest due: one query."""
    qs = (Assignment.objects.filter(congress_id=congress_id, unit_id=unit_id, status__in=Assignment.ACTIVE)
          .select_related("suggestion__period", "suggestion__author__person")
          .order_by(F("due").asc(nulls_last=True), "id"))
    if limit is not None:
        qs = qs[:limit]
    out = []
    for p in qs:
        s = p.suggestion
        out.append(OpenPart(
            part_id=p.pk, suggestion_id=s.pk, number=str(s.number_display), title=s.title,
            author=s.author.person.name, role=str(p.get_role_display()), status=str(p.get_status_display()),
            assigned_on=timezone.localdate(p.assigned_at), due=p.due,
            days_overdue=(today - p.due).days if p.due and p.due < today else 0))
    return out


# --- charts (ECharts options, drawn by renda/static/renda/charts.js) ------------------------------------
OUTCOME_SHORT = {"A": _("A类 已解决或基本解决"), "B": _("B类 正在解决或列入计划"), "C": _("C类 因条件限制暂时难以解决"),
                 "D": _("D类 留作参考")}
CHART_UNITS = 15


def chart_outcomes(report: StatsReport) -> dict:
    return {
        "tooltip": {"trigger": "item", "formatter": "{b}：{c} 件（{d}%）"},
        "legend": {"bottom": 0, "type": "scroll"},
        "series": [{"type": "pie", "radius": ["35%", "62%"], "center": ["50%", "42%"],
                    "label": {"formatter": "{d}%"},
                    "data": [{"name": str(OUTCOME_SHORT[o]), "value": report.overall.outcomes[o]} for o in OUTCOMES]}],
    }


def chart_categories(report: StatsReport) -> dict:
    items = list(reversed(report.by_category))  # a category y axis is drawn bottom-up
    submitted, accepted = str(_("收到")), str(_("立案"))
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"data": [submitted, accepted], "top": 0},
        "grid": {"left": 8, "right": 24, "top": 32, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "data": [b.label for b in items], "axisLabel": {"interval": 0}},
        "series": [{"name": submitted, "type": "bar", "barMaxWidth": 18, "data": [b.figures.submitted for b in items]},
                   {"name": accepted, "type": "bar", "barMaxWidth": 18, "data": [b.figures.accepted for b in items]}],
    }


def chart_units(report: StatsReport) -> dict:
    """The units with the most answering parts: their answers stacked by class."""
    items = list(reversed([u for u in report.by_unit if u.answering][:CHART_UNITS]))
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 24, "top": 32, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "data": [u.name for u in items], "axisLabel": {"interval": 0}},
        "series": [{"name": str(_("%(o)s类") % {"o": o}), "type": "bar", "stack": "outcome", "barMaxWidth": 24,
                    "data": [u.outcomes[o] for u in items]}
                   for o in OUTCOMES] + [
            {"name": str(_("未答复")), "type": "bar", "stack": "outcome", "barMaxWidth": 24,
             "data": [u.answering - u.answered for u in items]}],
    }


# --- export ----------------------------------------------------------------------------------------------
def summary_rows(report: StatsReport) -> list[list]:
    """(项目, 数值) rows of the totals and rates, shared by the Excel sheet and the Word report."""
    o = report.overall
    rows = [
        [str(_("收到建议")), o.submitted],
        [str(_("待审查")), o.pending],
        [str(_("立案")), o.accepted],
        [str(_("不予立案")), o.declined],
        [str(_("转为参阅件")), o.reference],
        [str(_("并案办理")), o.merged],
        [str(_("已答复")), o.answered],
        [str(_("已办结")), o.closed],
        [str(_("重新办理")), o.rehandled],
        [str(_("重点督办")), o.key],
    ]
    return rows


def rate_rows(report: StatsReport) -> list[list]:
    """(指标, 分子, 分母, 比率) rows: 办成率 next to 满意率, then the on-time rate."""
    o = report.overall
    return [
        [str(_("办成率（A类÷已答复）")), o.outcomes["A"], o.answered, o.solved_rate],
        [str(_("满意率（满意和基本满意÷评价）")), o.satisfied, o.rated, o.satisfaction_rate],
        [str(_("按期答复率（按期答复÷已答复承办任务）")), report.parts_on_time, report.parts_answered,
         report.on_time_rate],
    ]


def outcome_rows(report: StatsReport) -> list[list]:
    o = report.overall
    return [[str(OUTCOME_SHORT[c]), o.outcomes[c], o.share(c)] for c in OUTCOMES]


FIGURE_HEADERS = [_("收到"), _("立案"), _("不予立案"), _("参阅件"), _("并案"), _("已答复"), _("A类"), _("B类"),
                  _("C类"), _("D类"), _("办成率(%)"), _("评价人次"), _("满意人次"), _("满意率(%)"), _("重新办理")]
UNIT_HEADERS = [_("主办"), _("分别办理"), _("协办"), _("已答复"), _("按期答复"), _("按期率(%)"), _("A类"), _("B类"),
                _("C类"), _("D类"), _("办成率(%)"), _("评价人次"), _("满意人次"), _("满意率(%)"), _("重新办理")]
OPEN_HEADERS = [_("承办单位"), _("建议编号"), _("标题"), _("领衔代表"), _("承办方式"), _("状态"), _("交办日期"),
                _("答复期限"), _("超期天数")]


def figure_cells(f: Figures) -> list:
    return [f.submitted, f.accepted, f.declined, f.reference, f.merged, f.answered, *(f.outcomes[o] for o in OUTCOMES),
            number(f.solved_rate), f.rated, f.satisfied, number(f.satisfaction_rate), f.rehandled]


def unit_cells(u: UnitFigures) -> list:
    return [u.lead, u.separate, u.co, u.answered, u.on_time, number(u.on_time_rate),
            *(u.outcomes[o] for o in OUTCOMES), number(u.solved_rate), u.rated, u.satisfied,
            number(u.satisfaction_rate), u.rehandled]


def open_cells(unit_name: str, p: OpenPart) -> list:
    return [unit_name, p.number, p.title, p.author, p.role, p.status, p.assigned_on, p.due, p.days_overdue or None]


def stats_export_sheets(report: StatsReport, *, open_rows: list[list]) -> list:
    """The page's tables as xlsx sheets, plus every open part (`open_rows`, built by the caller)."""
    from renda.core.exports import XlsxSheet

    def h(items):
        return [str(x) for x in items]

    summary = XlsxSheet(title=str(_("总体")), headers=h([_("项目"), _("数值")]), widths=[36, 18], rows=[
        [str(_("人大")), str(report.congress)],
        [str(_("统计范围")), report.scope.label()],
        [str(_("统计日期")), report.today],
        *summary_rows(report),
        *[[r[0], number(r[3])] for r in rate_rows(report)],
    ])
    rates = XlsxSheet(title=str(_("办成率与满意率")), headers=h([_("指标"), _("分子"), _("分母"), _("比率(%)")]),
                      widths=[40, 10, 10, 10], rows=[[a, n, d, number(r)] for a, n, d, r in rate_rows(report)])
    outcomes = XlsxSheet(title=str(_("办理结果")), headers=h([_("类别"), _("件数"), _("占比(%)")]), widths=[30, 10, 10],
                         rows=[[a, n, number(r)] for a, n, r in outcome_rows(report)])
    return [
        summary, rates, outcomes,
        XlsxSheet(title=str(_("按类别")), headers=h([_("类别"), *FIGURE_HEADERS]), widths=[14] + [9] * 15,
                  rows=[[b.label, *figure_cells(b.figures)] for b in report.by_category]),
        XlsxSheet(title=str(_("按承办单位")), headers=h([_("承办单位"), *UNIT_HEADERS]), widths=[24] + [9] * 15,
                  rows=[[u.name, *unit_cells(u)] for u in report.by_unit]),
        XlsxSheet(title=str(_("按镇（街道）")), headers=h([_("镇（街道）"), *FIGURE_HEADERS]), widths=[14] + [9] * 15,
                  rows=[[b.label, *figure_cells(b.figures)] for b in report.by_town]),
        XlsxSheet(title=str(_("重点督办")), headers=h([_("编号"), _("标题"), _("领衔代表"), _("督办领导"),
                                                      _("承办单位"), _("状态"), _("办理结果"), _("督办节点完成")]),
                  widths=[18, 40, 10, 10, 30, 14, 8, 12],
                  rows=[[k.number, k.title, k.author, k.leader, k.units, k.status, k.outcome,
                         f"{k.milestones_done}/{k.milestones}"] for k in report.key_items]),
        XlsxSheet(title=str(_("在办和超期")), headers=h([_("承办单位"), _("在办"), _("超期")]), widths=[24, 10, 10],
                  rows=[[u.name, u.open, u.overdue] for u in report.unit_load]),
        XlsxSheet(title=str(_("在办明细")), headers=h(OPEN_HEADERS), widths=[24, 18, 40, 10, 10, 12, 12, 12, 10],
                  rows=open_rows),
    ]


def all_open_rows(*, congress_id: int, today: dt.date):
    """Every open part of the congress as export rows, by unit then due date: one streamed query."""
    qs = (Assignment.objects.filter(congress_id=congress_id, status__in=Assignment.ACTIVE)
          .select_related("unit", "suggestion__period", "suggestion__author__person")
          .order_by("unit__name", "unit_id", F("due").asc(nulls_last=True), "id"))
    for p in qs.iterator(chunk_size=2000):
        s = p.suggestion
        yield [p.unit.name, str(s.number_display), s.title, s.author.person.name, str(p.get_role_display()),
               str(p.get_status_display()), timezone.localdate(p.assigned_at), p.due,
               (today - p.due).days if p.due and p.due < today else None]


# --- scoped reads for the views ---------------------------------------------------------------------------
def unit_for_user(*, user, unit_id: int) -> Unit:
    """The unit whose open list this user may read: any unit of the own congress for the office and
    leadership, the own unit for a unit. Another unit is Unit.DoesNotExist (404); a role that never
    reads these lists is PermissionDenied (403)."""
    from renda.accounts.permissions import _assignment
    from renda.org.selectors import congress_for_user

    a = _assignment(user)
    if a is not None and a.role == "unit":
        if a.unit_id != unit_id:
            raise Unit.DoesNotExist
        return Unit.objects.get(pk=unit_id)
    congress = congress_for_user(user=user)
    stats_check(user=user, congress=congress)
    return Unit.objects.get(pk=unit_id, congress_id=congress.pk)


def signing_deputy(*, suggestion: Suggestion, deputy_id):
    """The deputy if they signed this suggestion (or one merged into it) and confirmed; else None."""
    from renda.deputies.models import Deputy

    from .rules import signed_q

    try:
        deputy_id = int(deputy_id)
    except (TypeError, ValueError):
        return None
    if not Signer.objects.filter(signed_q(suggestion.pk), deputy_id=deputy_id,
                                 status=Signer.Status.CONFIRMED).exists():
        return None
    return Deputy.objects.select_related("person").get(pk=deputy_id)


# --- filter choices -------------------------------------------------------------------------------------
def scope_choices(*, congress_id: int) -> tuple[list[int], list[Period]]:
    """The years that have periods, and the periods, for the filter form (one query)."""
    periods = list(Period.objects.filter(congress_id=congress_id).order_by("-year", "kind", "-id"))
    years = sorted({p.year for p in periods}, reverse=True)
    return years, periods
