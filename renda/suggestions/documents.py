"""Word documents of suggestion handling, built with python-docx: the assignment letter (交办函), the
deputy's reply form (征询意见表) and the annual report (建议办理情况报告).

The layout (GB/T 9704) and the East Asian fonts on every style and run come from renda/core/docx.py.

The callers check the permission and pass objects already scoped to the user (views_stats.py);
the figures of the annual report come from stats.stats_report, so the page, the Excel export and
the report cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from renda.core import docx as D
from renda.core.docx import DOCX_MIME, HEADING_FONT, STYLE_FORM, STYLE_PLAIN  # noqa: F401  (DOCX_MIME re-exported)

from . import stats
from .models import Assignment, Rating, Reply, Signer, Suggestion

SUMMARY_MAX = 300  # characters of each reply shown on the reply form

def _issuer(congress) -> str:
    """The committee's office that signs suggestion documents: 代表工委 where it exists."""
    from renda.org.models import Office

    from .services import SUPERVISING_OFFICE_CODE

    office = Office.objects.filter(congress=congress, code=SUPERVISING_OFFICE_CODE).first()
    body = f"{congress.short_name}{congress.body_name}"
    return f"{body}{office.name}" if office else f"{body}{_('办公室')}"


# --- 交办函 -------------------------------------------------------------------------------------------------
def letter_rules() -> list[str]:
    """The legal rules printed on every assignment letter (docs/workflows/suggestions.md)."""
    return [
        _("请在交办之日起 7 个工作日内签收；如认为不属于本单位职责范围，请在此期限内书面说明理由申请退回，"
          "逾期未提出的视为同意承办。"),
        _("答复前，请与领衔代表及联名代表联系沟通（办前联系），当面或通过电话、座谈、实地察看等方式听取意见，"
          "并在系统中记录联系情况。"),
        _("主办单位和分别办理单位应在交办之日起 3 个月内答复代表；确有特殊原因需要延期的，须书面说明理由并经同意，"
          "延期后自交办之日起最长不超过 6 个月。"),
        _("协办单位应在交办之日起 1 个月内将协办意见送交主办单位。"),
        _("答复时请注明办理结果类别（A 已解决或基本解决、B 正在解决或列入计划、C 因条件限制暂时难以解决、D 留作参考），"
          "并上传加盖公章的答复函；B类事项须写明承诺解决时间，解决后再次答复代表。"),
        _("代表对答复不满意的，承办单位应在 1 个月内重新办理并再次答复。"),
    ]


def _answer_deadlines(parts: Sequence[Assignment]) -> dict[int, dt.date]:
    """Each part's answer deadline (reply or co-unit's views), as extended; one query."""
    from django.contrib.contenttypes.models import ContentType

    from renda.core.workdays.models import Deadline

    ct = ContentType.objects.get_for_model(Assignment)
    out: dict[int, dt.date] = {}
    for object_id, due in (Deadline.objects.filter(content_type=ct, object_id__in=[p.pk for p in parts],
                                                   policy__code__in=["suggestion_reply", "coop_views"])
                           .order_by("id").values_list("object_id", "due")):
        out.setdefault(object_id, due)
    return out


def assignment_letter(unit, assignments: Sequence[Assignment], *, today: dt.date | None = None) -> bytes:
    """交办函: the letter to one unit listing the suggestions assigned to it, with the rules it must keep."""
    today = today or timezone.localdate()
    parts = list(Assignment.objects.filter(pk__in=[a.pk for a in assignments], unit=unit)
                 .select_related("suggestion__period", "suggestion__author__person", "congress")
                 .order_by("suggestion__period_id", "suggestion__number", "id"))
    congress = parts[0].congress if parts else unit.congress
    deadlines = _answer_deadlines(parts)
    periods = []
    for p in parts:
        if p.suggestion.period and p.suggestion.period.name not in periods:
            periods.append(p.suggestion.period.name)
    title = _("关于交办代表建议的函")
    doc = D.new_document(title=title)
    D.add_title(doc, title)
    D.add_para(doc, _("%(unit)s：") % {"unit": unit.name}, style=STYLE_PLAIN)
    D.add_para(doc, _("现将%(periods)s代表建议 %(n)s 件交由你单位办理（清单附后）。请高度重视，"
                 "按照代表建议办理工作的有关规定认真研究办理，切实做到件件有落实、事事有回音。具体要求如下：") % {
        "periods": "、".join(periods) or "", "n": len(parts)})
    for i, rule in enumerate(letter_rules()):
        D.add_para(doc, f"{D.numbered(i)}、{rule}")
    D.add_para(doc, _("办理中如有疑问，请与%(issuer)s联系。") % {"issuer": _issuer(congress)})
    D.add_signature(doc, [_issuer(congress), D.date_text(today)])
    doc.add_page_break()
    D.add_para(doc, _("附件"), style=STYLE_PLAIN, font=HEADING_FONT)
    rows = []
    for i, p in enumerate(parts, start=1):
        s = p.suggestion
        kind = _("协办意见") if p.role == Assignment.Role.CO else _("答复")
        due = deadlines.get(p.pk) or p.due
        rows.append([i, s.number_display or stats.DASH, s.title, s.author.person.name, p.get_role_display(),
                     f"{D.date_text(due)}（{kind}）" if due else stats.DASH])
    D.add_table(doc, [_("序号"), _("建议编号"), _("建议标题"), _("领衔代表"), _("承办方式"), _("期限")], rows,
           widths=[1.2, 3.0, 6.0, 1.8, 1.6, 2.6], caption=_("交办代表建议清单"), first_left=False)
    return D.to_bytes(doc)


# --- 征询意见表 ----------------------------------------------------------------------------------------------
CHECKBOX = "☐"


def _current_replies(s: Suggestion) -> list[Reply]:
    """Each answering unit's latest rated reply (reply, re-handled reply, B solved), oldest part first."""
    latest: dict[int, Reply] = {}
    for r in (Reply.objects.filter(suggestion=s, kind__in=Reply.RATED, assignment__role__in=Assignment.ANSWERING)
              .exclude(assignment__status=Assignment.Status.WITHDRAWN)
              .select_related("assignment__unit").order_by("id")):
        latest[r.assignment_id] = r
    return [latest[k] for k in sorted(latest)]


def _summary(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_MAX else text[:SUMMARY_MAX] + "……"


def reply_form(suggestion: Suggestion, deputy) -> bytes:
    """代表建议办理情况征询意见表: the suggestion, its units and current replies, and the rating slip."""
    s = suggestion
    handled = s.merged_into or s  # a merged suggestion is answered through its main one
    signers = list(Signer.objects.filter(suggestion=s, status=Signer.Status.CONFIRMED)
                   .select_related("deputy__person").order_by("-is_author", "id"))
    parts = sorted(Assignment.objects.filter(suggestion=handled).exclude(status=Assignment.Status.WITHDRAWN)
                   .select_related("unit"), key=lambda p: (p.role == Assignment.Role.CO, p.pk))  # answering first
    replies = _current_replies(handled)
    title = _("代表建议办理情况征询意见表")
    doc = D.new_document(title=title)
    D.add_title(doc, title)
    author = next((x.deputy.person.name for x in signers if x.is_author), s.author.person.name)
    cosigners = "、".join(x.deputy.person.name for x in signers if not x.is_author) or _("无")
    units = "\n".join(f"{p.unit.name}（{p.get_role_display()}）" for p in parts) or _("尚未交办")
    if replies:
        answers = "\n".join(
            _("%(unit)s（%(kind)s，%(date)s）：%(outcome)s。%(text)s") % {
                "unit": r.assignment.unit.name, "kind": r.get_kind_display(),
                "date": D.date_text(timezone.localdate(r.created_at)), "outcome": r.get_outcome_display() or stats.DASH,
                "text": _summary(r.text)} for r in replies)
    else:
        answers = _("承办单位尚未答复。")
    rows = [
        (_("建议编号"), s.number_display or stats.DASH),
        (_("建议标题"), s.title),
        (_("领衔代表"), author),
        (_("联名代表"), cosigners),
        (_("征询代表"), deputy.person.name),
        (_("承办单位"), units),
        (_("答复情况"), answers),
        (_("办理结果类别"), handled.get_outcome_display() or stats.DASH),
    ]
    if handled.pk != s.pk:
        rows.insert(2, (_("并案办理"), _("并入《%(t)s》办理") % {"t": handled.title}))
    table = doc.add_table(rows=len(rows) + 3, cols=2)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, (label, value) in enumerate(rows):
        D.fill_cell(table.rows[i].cells[0], label, style=STYLE_FORM, font=HEADING_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
        D.fill_cell(table.rows[i].cells[1], value, style=STYLE_FORM)
    slip = len(rows)
    boxes = "　　".join(f"{CHECKBOX}{label}" for _v, label in Rating.Value.choices)
    D.fill_cell(table.rows[slip].cells[0], _("代表评价"), style=STYLE_FORM, font=HEADING_FONT,
          align=WD_ALIGN_PARAGRAPH.CENTER)
    D.fill_cell(table.rows[slip].cells[1], boxes, style=STYLE_FORM)
    D.fill_cell(table.rows[slip + 1].cells[0], _("具体意见"), style=STYLE_FORM, font=HEADING_FONT,
          align=WD_ALIGN_PARAGRAPH.CENTER)
    D.fill_cell(table.rows[slip + 1].cells[1], "\n".join(["_" * 34] * 5), style=STYLE_FORM)
    D.fill_cell(table.rows[slip + 2].cells[0], _("代表签名"), style=STYLE_FORM, font=HEADING_FONT,
          align=WD_ALIGN_PARAGRAPH.CENTER)
    D.fill_cell(table.rows[slip + 2].cells[1], _("签名：____________　　日期：______年____月____日"), style=STYLE_FORM)
    for row in table.rows:
        row.cells[0].width, row.cells[1].width = Cm(3.2), Cm(12.4)
    D.add_para(doc, style=STYLE_PLAIN)
    D.add_para(doc, _("说明：请在相应方框内打“√”，每位代表填写一份，填写后交%(issuer)s，也可登录智慧人大平台在线评价。"
                 "对答复不满意的，承办单位将在 1 个月内重新办理并再次答复。") % {"issuer": _issuer(s.congress)},
          style=STYLE_FORM)
    return D.to_bytes(doc)


# --- 建议办理情况报告 --------------------------------------------------------------------------------------------
def annual_report(congress, year: int, *, today: dt.date | None = None) -> bytes:
    """建议办理情况报告 for one year: narrative paragraphs and tables, every number from stats_report."""
    today = today or timezone.localdate()
    report = stats.stats_report(congress=congress, scope=stats.StatsScope(year=year), today=today)
    return annual_report_from(report)


def annual_report_from(report: stats.StatsReport) -> bytes:
    o = report.overall
    t = report.texts()
    congress = report.congress
    year = report.scope.year
    title = _("%(body)s关于%(year)s年度代表建议办理情况的报告") % {
        "body": f"{congress.short_name}{congress.body_name}", "year": year}
    doc = D.new_document(title=title)
    D.add_title(doc, title)
    headings = iter(range(10))

    def heading(text):
        D.add_heading(doc, f"{D.numbered(next(headings))}、{text}")

    heading(_("基本情况"))
    D.add_para(doc, _("%(year)s年，共收到代表建议 %(submitted)s 件。经审查，立案 %(accepted)s 件，"
                 "不予立案 %(declined)s 件，转为参阅件 %(reference)s 件，并案办理 %(merged)s 件，"
                 "尚待审查 %(pending)s 件。立案建议交由 %(units)s 个承办单位办理，"
                 "其中列为重点督办建议 %(key)s 件。") % {
        "year": year, "submitted": o.submitted, "accepted": o.accepted, "declined": o.declined,
        "reference": o.reference, "merged": o.merged, "pending": o.pending, "units": report.units_count,
        "key": o.key})
    D.add_table(doc, [_("项目"), _("件数")], stats.summary_rows(report), widths=[8, 4], caption=_("表1　建议总体情况"))

    heading(_("办理结果"))
    D.add_para(doc, _("截至%(today)s，已答复 %(answered)s 件，其中A类（已解决或基本解决）%(a)s 件，占 %(sa)s；"
                 "B类（正在解决或列入计划）%(b)s 件，占 %(sb)s；C类（因条件限制暂时难以解决）%(c)s 件，占 %(sc)s；"
                 "D类（留作参考）%(d)s 件，占 %(sd)s。") % {
        "today": D.date_text(report.today), "answered": o.answered,
        "a": o.outcomes["A"], "b": o.outcomes["B"], "c": o.outcomes["C"], "d": o.outcomes["D"],
        "sa": t["share_A"], "sb": t["share_B"], "sc": t["share_C"], "sd": t["share_D"]})
    D.add_para(doc, _("办成率（A类件数占已答复件数的比例）为 %(solved)s，代表满意率为 %(sat)s"
                 "（按每位代表对每件建议的最后一次评价，%(rated)s 人次评价中满意或基本满意 %(satisfied)s 人次）。"
                 "满意率须与办成率对照来看：满意不等于办成。") % {
        "solved": t["solved_rate"], "sat": t["satisfaction_rate"], "rated": o.rated, "satisfied": o.satisfied})
    D.add_para(doc, _("承办单位按期答复率为 %(on_time)s"
                 "（已答复的 %(answered)s 项主办和分别办理任务中按期答复 %(n)s 项）。"
                 "因代表不满意重新办理 %(rehandled)s 件。") % {
        "on_time": t["on_time_rate"], "answered": report.parts_answered, "n": report.parts_on_time,
        "rehandled": o.rehandled})
    D.add_table(doc, [_("办理结果"), _("件数"), _("占已答复")], stats.outcome_rows(report), widths=[8, 3, 3],
           caption=_("表2　办理结果分类"))
    D.add_table(doc, [_("指标"), _("分子"), _("分母"), _("比率")], stats.rate_rows(report), widths=[8.5, 2, 2, 2.5],
           caption=_("表3　办成率、满意率和按期答复率"))

    heading(_("建议分类情况"))
    top = report.by_category[:3]
    if top:
        D.add_para(doc, _("从内容看，代表建议主要集中在%(top)s等方面。") % {
            "top": "、".join(_("%(name)s（%(n)s 件）") % {"name": b.label, "n": b.figures.submitted} for b in top)})
    D.add_table(doc, [_("类别"), _("收到"), _("立案"), _("已答复"), _("A类"), _("办成率"), _("满意率"), _("重新办理")],
           [[b.label, b.figures.submitted, b.figures.accepted, b.figures.answered, b.figures.outcomes["A"],
             b.figures.solved_rate, b.figures.satisfaction_rate, b.figures.rehandled] for b in report.by_category],
           caption=_("表4　按类别统计"))

    heading(_("承办单位办理情况"))
    D.add_para(doc, _("%(n)s 个承办单位共承担主办和分别办理任务 %(answering)s 项、协办任务 %(co)s 项。"
                 "各单位办理情况见表5。") % {
        "n": report.units_count, "answering": sum(u.answering for u in report.by_unit),
        "co": sum(u.co for u in report.by_unit)})
    D.add_table(doc, [_("承办单位"), _("主办/分别"), _("协办"), _("已答复"), _("按期率"), _("A"), _("B"), _("C"),
                 _("D"), _("办成率"), _("满意率")],
           [[u.name, u.answering, u.co, u.answered, u.on_time_rate, *(u.outcomes[c] for c in stats.OUTCOMES),
             u.solved_rate, u.satisfaction_rate] for u in report.by_unit],
           caption=_("表5　按承办单位统计"))

    heading(_("各镇（街道）代表建议情况"))
    D.add_para(doc, _("按领衔代表所在代表小组的镇（街道）统计；代表小组未关联镇（街道）的，列为“未分组”。"))
    D.add_table(doc, [_("镇（街道）"), _("收到"), _("立案"), _("已答复"), _("A类"), _("办成率"), _("满意率")],
           [[b.label, b.figures.submitted, b.figures.accepted, b.figures.answered, b.figures.outcomes["A"],
             b.figures.solved_rate, b.figures.satisfaction_rate] for b in report.by_town],
           caption=_("表6　按镇（街道）统计"))

    heading(_("重点督办建议"))
    if report.key_items:
        D.add_para(doc, _("主任会议确定重点督办建议 %(n)s 件，由常委会领导领衔督办，情况见表7。") % {
            "n": len(report.key_items)})
        D.add_table(doc, [_("编号"), _("建议标题"), _("督办领导"), _("承办单位"), _("办理状态"), _("结果")],
               [[k.number or stats.DASH, k.title, k.leader, k.units, k.status, k.outcome or stats.DASH]
                for k in report.key_items], caption=_("表7　重点督办建议"), widths=[2.6, 5, 1.8, 3.6, 1.8, 1.2])
    else:
        D.add_para(doc, _("本年度未确定重点督办建议。"))

    heading(_("在办和超期情况"))
    overdue_units = [u for u in report.unit_load if u.overdue]
    D.add_para(doc, _("截至%(today)s，尚有 %(open)s 项承办任务在办（含以前年度交办），其中超过答复期限 %(overdue)s 项，"
                 "涉及 %(n)s 个承办单位。对超期未答复的，将继续督促承办单位尽快办理答复。") % {
        "today": D.date_text(report.today), "open": report.open_parts, "overdue": report.overdue_parts,
        "n": len(overdue_units)})
    if overdue_units:
        D.add_table(doc, [_("承办单位"), _("在办"), _("超期")], [[u.name, u.open, u.overdue] for u in overdue_units],
               widths=[8, 3, 3], caption=_("表8　超期承办任务"))

    D.add_signature(doc, [f"{congress.short_name}{congress.body_name}", D.date_text(report.today)])
    return D.to_bytes(doc)
