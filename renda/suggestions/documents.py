"""Word documents of suggestion handling, built with python-docx: the assignment letter (交办函), the
deputy's reply form (征询意见表) and the annual report (建议办理情况报告).

Layout follows GB/T 9704 (党政机关公文格式): A4, margins top 3.7 cm, bottom 3.5 cm, left 2.8 cm,
right 2.6 cm; the title in 方正小标宋简体 22 pt (二号), headings in 黑体 16 pt (三号), the body in
仿宋_GB2312 16 pt with a fixed line spacing of 28 pt; page numbers "— 1 —" in 宋体 14 pt (四号).
Word picks the font of Chinese text from `w:rFonts/@w:eastAsia`, which python-docx's `font.name`
does not set: `_fonts` writes it on every style and run (and removes the theme fonts that would
override it). Fonts are named, not embedded: an office PC has them; another PC substitutes.

The callers check the permission and pass objects already scoped to the user (views_stats.py);
the figures of the annual report come from stats.stats_report, so the page, the Excel export and
the report cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from . import stats
from .models import Assignment, Rating, Reply, Signer, Suggestion

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
TITLE_SIZE = Pt(22)
BODY_SIZE = Pt(16)
TABLE_SIZE = Pt(10.5)  # 五号: the tables of the report have up to a dozen columns
FORM_SIZE = Pt(14)  # 四号: the reply form's table
LINE = Pt(28)
MARGINS = {"top": Cm(3.7), "bottom": Cm(3.5), "left": Cm(2.8), "right": Cm(2.6)}
SUMMARY_MAX = 300  # characters of each reply shown on the reply form
CHINESE_NUMERALS = "一二三四五六七八九十"

STYLE_TITLE = "Renda Title"
STYLE_BODY = "Renda Body"
STYLE_PLAIN = "Renda Plain"
STYLE_TABLE = "Renda Table"
STYLE_FORM = "Renda Form"


# --- layout ----------------------------------------------------------------------------------------------
def _fonts(rpr_owner, east_asia: str, *, size=None, bold: bool | None = None) -> None:
    """Set the East Asian font (and a Latin one for digits) on a style, a run or the document default."""
    rpr = rpr_owner.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme), None)
    rfonts.set(qn("w:ascii"), LATIN_FONT)
    rfonts.set(qn("w:hAnsi"), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:cs"), LATIN_FONT)
    for tag, value in (("w:sz", size), ("w:szCs", size)):
        if value is not None:
            el = rpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                rpr.append(el)
            el.set(qn("w:val"), str(int(value.pt * 2)))
    if bold is not None:
        for tag in ("w:b", "w:bCs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                rpr.append(el)
            el.set(qn("w:val"), "1" if bold else "0")


def _paragraph_style(doc, name: str, *, font: str, size, line=LINE, indent: bool = False,
                     align=None, bold: bool = False, before=0, after=0, outline: int | None = None):
    style = doc.styles[name] if name in [s.name for s in doc.styles] else doc.styles.add_style(name, 1)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    _fonts(style.element, font, size=size, bold=bold)
    style.font.color.rgb = None
    pf = style.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY if line else WD_LINE_SPACING.SINGLE
    if line:
        pf.line_spacing = line
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    pf.first_line_indent = Pt(size.pt * 2) if indent else Pt(0)
    if align is not None:
        pf.alignment = align
    if outline is not None:
        ppr = style.element.get_or_add_pPr()
        el = OxmlElement("w:outlineLvl")
        el.set(qn("w:val"), str(outline))
        ppr.append(el)
    return style


def _new_document(*, title: str, landscape: bool = False) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = (Cm(29.7), Cm(21)) if landscape else (Cm(21), Cm(29.7))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    for side, value in MARGINS.items():
        setattr(section, f"{side}_margin", value)
    section.footer_distance = Cm(2.5)
    # The document default and Normal: 仿宋_GB2312 16 pt, Chinese language, fixed 28 pt lines.
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for el in defaults.findall(qn("w:rFonts")):
        defaults.remove(el)
    rfonts = OxmlElement("w:rFonts")
    defaults.insert(0, rfonts)
    for attr, value in (("w:ascii", LATIN_FONT), ("w:hAnsi", LATIN_FONT), ("w:eastAsia", BODY_FONT),
                        ("w:cs", LATIN_FONT)):
        rfonts.set(qn(attr), value)
    lang = defaults.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:val"), "zh-CN")
        lang.set(qn("w:eastAsia"), "zh-CN")
    normal = doc.styles["Normal"]
    _fonts(normal.element, BODY_FONT, size=BODY_SIZE)
    npf = normal.paragraph_format
    npf.line_spacing_rule, npf.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
    npf.space_before, npf.space_after = Pt(0), Pt(0)
    _paragraph_style(doc, STYLE_TITLE, font=TITLE_FONT, size=TITLE_SIZE, line=Pt(36), align=WD_ALIGN_PARAGRAPH.CENTER,
                     after=14)
    heading = doc.styles["Heading 1"]
    _paragraph_style(doc, "Heading 1", font=HEADING_FONT, size=BODY_SIZE, indent=True)
    heading.paragraph_format.keep_with_next = True
    _paragraph_style(doc, STYLE_BODY, font=BODY_FONT, size=BODY_SIZE, indent=True,
                     align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _paragraph_style(doc, STYLE_PLAIN, font=BODY_FONT, size=BODY_SIZE)
    _paragraph_style(doc, STYLE_TABLE, font=BODY_FONT, size=TABLE_SIZE, line=None, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph_style(doc, STYLE_FORM, font=BODY_FONT, size=FORM_SIZE, line=Pt(24))
    _page_numbers(section)
    doc.core_properties.title = title
    doc.core_properties.language = "zh-CN"
    return doc


def _page_numbers(section) -> None:
    """"— 1 —" centred in the footer: a PAGE field between em dashes."""
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, "— ", font=PAGE_NUMBER_FONT, size=Pt(14))
    run = _run(p, "", font=PAGE_NUMBER_FONT, size=Pt(14))
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText" if text.strip() == "PAGE" else "w:t")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    _run(p, " —", font=PAGE_NUMBER_FONT, size=Pt(14))


def _run(paragraph, text: str, *, font: str = BODY_FONT, size=None, bold: bool | None = None):
    run = paragraph.add_run(text)
    _fonts(run._r, font, size=size, bold=bold)
    return run


def _para(doc, text: str = "", *, style: str = STYLE_BODY, font: str = BODY_FONT, align=None, bold=None):
    p = doc.add_paragraph(style=style)
    if text:
        _run(p, text, font=font, bold=bold)
    if align is not None:
        p.alignment = align
    return p


def _title(doc, text: str) -> None:
    _para(doc, text, style=STYLE_TITLE, font=TITLE_FONT)


def _heading(doc, text: str) -> None:
    _para(doc, text, style="Heading 1", font=HEADING_FONT)


def _numbered(i: int) -> str:
    return CHINESE_NUMERALS[i] if i < len(CHINESE_NUMERALS) else str(i + 1)


def _cell(cell, text, *, style: str = STYLE_TABLE, font: str = BODY_FONT, bold: bool | None = None, align=None):
    cell.text = ""
    p = cell.paragraphs[0]
    p.style = cell.part.document.styles[style]
    if align is not None:
        p.alignment = align
    lines = str(text if text is not None else "").split("\n")
    for i, line in enumerate(lines):
        if i:
            p = cell.add_paragraph(style=cell.part.document.styles[style])
            if align is not None:
                p.alignment = align
        _run(p, line, font=font, bold=bold)
    return cell


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _table(doc, headers: Sequence[str], rows: Iterable[Sequence], *, widths: Sequence[float] | None = None,
           caption: str = "", style: str = STYLE_TABLE, first_left: bool = True):
    """A bordered table with a repeated bold (黑体) header row; cells are text."""
    if caption:
        _para(doc, caption, style=STYLE_PLAIN, font=HEADING_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
    rows = [list(r) for r in rows]
    table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for j, h in enumerate(headers):
        _cell(table.rows[0].cells[j], h, style=style, font=HEADING_FONT)
    _repeat_header(table.rows[0])
    for i, row in enumerate(rows, start=1):
        cells = table.rows[i].cells
        for j, value in enumerate(row):
            _cell(cells[j], _text(value), style=style,
                  align=WD_ALIGN_PARAGRAPH.LEFT if (j == 0 and first_left) else None)
    if widths:
        for row in table.rows:
            for j, w in enumerate(widths):
                row.cells[j].width = Cm(w)
    return table


def _text(value) -> str:
    if value is None:
        return stats.DASH
    if isinstance(value, dt.date):
        return _date(value)
    if hasattr(value, "quantize"):  # a rate
        return stats.percent_text(value)
    return str(value)


def _date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else stats.DASH


def _save(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _issuer(congress) -> str:
    """The committee's office that signs suggestion documents: 代表工委 where it exists."""
    from renda.org.models import Office

    from .services import SUPERVISING_OFFICE_CODE

    office = Office.objects.filter(congress=congress, code=SUPERVISING_OFFICE_CODE).first()
    body = f"{congress.short_name}{congress.body_name}"
    return f"{body}{office.name}" if office else f"{body}{_('办公室')}"


def _signature(doc, lines: Sequence[str]) -> None:
    _para(doc, style=STYLE_PLAIN)
    for line in lines:
        p = _para(doc, line, style=STYLE_PLAIN, align=WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.right_indent = Pt(BODY_SIZE.pt * 4)


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
    doc = _new_document(title=title)
    _title(doc, title)
    _para(doc, _("%(unit)s：") % {"unit": unit.name}, style=STYLE_PLAIN)
    _para(doc, _("现将%(periods)s代表建议 %(n)s 件交由你单位办理（清单附后）。请高度重视，按照代表建议办理工作的有关规定"
                 "认真研究办理，切实做到件件有落实、事事有回音。具体要求如下：") % {
        "periods": "、".join(periods) or "", "n": len(parts)})
    for i, rule in enumerate(letter_rules()):
        _para(doc, f"{_numbered(i)}、{rule}")
    _para(doc, _("办理中如有疑问，请与%(issuer)s联系。") % {"issuer": _issuer(congress)})
    _signature(doc, [_issuer(congress), _date(today)])
    doc.add_page_break()
    _para(doc, _("附件"), style=STYLE_PLAIN, font=HEADING_FONT)
    rows = []
    for i, p in enumerate(parts, start=1):
        s = p.suggestion
        kind = _("协办意见") if p.role == Assignment.Role.CO else _("答复")
        due = deadlines.get(p.pk) or p.due
        rows.append([i, s.number_display or stats.DASH, s.title, s.author.person.name, p.get_role_display(),
                     f"{_date(due)}（{kind}）" if due else stats.DASH])
    _table(doc, [_("序号"), _("建议编号"), _("建议标题"), _("领衔代表"), _("承办方式"), _("期限")], rows,
           widths=[1.2, 3.0, 6.0, 1.8, 1.6, 2.6], caption=_("交办代表建议清单"), first_left=False)
    return _save(doc)


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
    doc = _new_document(title=title)
    _title(doc, title)
    author = next((x.deputy.person.name for x in signers if x.is_author), s.author.person.name)
    cosigners = "、".join(x.deputy.person.name for x in signers if not x.is_author) or _("无")
    units = "\n".join(f"{p.unit.name}（{p.get_role_display()}）" for p in parts) or _("尚未交办")
    if replies:
        answers = "\n".join(
            _("%(unit)s（%(kind)s，%(date)s）：%(outcome)s。%(text)s") % {
                "unit": r.assignment.unit.name, "kind": r.get_kind_display(),
                "date": _date(timezone.localdate(r.created_at)), "outcome": r.get_outcome_display() or stats.DASH,
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
        _cell(table.rows[i].cells[0], label, style=STYLE_FORM, font=HEADING_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
        _cell(table.rows[i].cells[1], value, style=STYLE_FORM)
    slip = len(rows)
    boxes = "　　".join(f"{CHECKBOX}{label}" for _v, label in Rating.Value.choices)
    _cell(table.rows[slip].cells[0], _("代表评价"), style=STYLE_FORM, font=HEADING_FONT,
          align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell(table.rows[slip].cells[1], boxes, style=STYLE_FORM)
    _cell(table.rows[slip + 1].cells[0], _("具体意见"), style=STYLE_FORM, font=HEADING_FONT,
          align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell(table.rows[slip + 1].cells[1], "\n".join(["_" * 34] * 5), style=STYLE_FORM)
    _cell(table.rows[slip + 2].cells[0], _("代表签名"), style=STYLE_FORM, font=HEADING_FONT,
          align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell(table.rows[slip + 2].cells[1], _("签名：____________　　日期：______年____月____日"), style=STYLE_FORM)
    for row in table.rows:
        row.cells[0].width, row.cells[1].width = Cm(3.2), Cm(12.4)
    _para(doc, style=STYLE_PLAIN)
    _para(doc, _("说明：请在相应方框内打“√”，每位代表填写一份，填写后交%(issuer)s，也可登录智慧人大平台在线评价。"
                 "对答复不满意的，承办单位将在 1 个月内重新办理并再次答复。") % {"issuer": _issuer(s.congress)},
          style=STYLE_FORM)
    return _save(doc)


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
    doc = _new_document(title=title)
    _title(doc, title)
    headings = iter(range(10))

    def heading(text):
        _heading(doc, f"{_numbered(next(headings))}、{text}")

    heading(_("基本情况"))
    _para(doc, _("%(year)s年，共收到代表建议 %(submitted)s 件。经审查，立案 %(accepted)s 件，不予立案 %(declined)s 件，"
                 "转为参阅件 %(reference)s 件，并案办理 %(merged)s 件，尚待审查 %(pending)s 件。立案建议交由 %(units)s 个"
                 "承办单位办理，其中列为重点督办建议 %(key)s 件。") % {
        "year": year, "submitted": o.submitted, "accepted": o.accepted, "declined": o.declined,
        "reference": o.reference, "merged": o.merged, "pending": o.pending, "units": report.units_count,
        "key": o.key})
    _table(doc, [_("项目"), _("件数")], stats.summary_rows(report), widths=[8, 4], caption=_("表1　建议总体情况"))

    heading(_("办理结果"))
    _para(doc, _("截至%(today)s，已答复 %(answered)s 件，其中A类（已解决或基本解决）%(a)s 件，占 %(sa)s；B类（正在解决或"
                 "列入计划）%(b)s 件，占 %(sb)s；C类（因条件限制暂时难以解决）%(c)s 件，占 %(sc)s；D类（留作参考）%(d)s 件，"
                 "占 %(sd)s。") % {
        "today": _date(report.today), "answered": o.answered,
        "a": o.outcomes["A"], "b": o.outcomes["B"], "c": o.outcomes["C"], "d": o.outcomes["D"],
        "sa": t["share_A"], "sb": t["share_B"], "sc": t["share_C"], "sd": t["share_D"]})
    _para(doc, _("办成率（A类件数占已答复件数的比例）为 %(solved)s，代表满意率为 %(sat)s（按每位代表对每件建议的最后一次评价，"
                 "%(rated)s 人次评价中满意或基本满意 %(satisfied)s 人次）。满意率须与办成率对照来看：满意不等于办成。") % {
        "solved": t["solved_rate"], "sat": t["satisfaction_rate"], "rated": o.rated, "satisfied": o.satisfied})
    _para(doc, _("承办单位按期答复率为 %(on_time)s（已答复的 %(answered)s 项主办和分别办理任务中按期答复 %(n)s 项）。"
                 "因代表不满意重新办理 %(rehandled)s 件。") % {
        "on_time": t["on_time_rate"], "answered": report.parts_answered, "n": report.parts_on_time,
        "rehandled": o.rehandled})
    _table(doc, [_("办理结果"), _("件数"), _("占已答复")], stats.outcome_rows(report), widths=[8, 3, 3],
           caption=_("表2　办理结果分类"))
    _table(doc, [_("指标"), _("分子"), _("分母"), _("比率")], stats.rate_rows(report), widths=[8.5, 2, 2, 2.5],
           caption=_("表3　办成率、满意率和按期答复率"))

    heading(_("建议分类情况"))
    top = report.by_category[:3]
    if top:
        _para(doc, _("从内容看，代表建议主要集中在%(top)s等方面。") % {
            "top": "、".join(_("%(name)s（%(n)s 件）") % {"name": b.label, "n": b.figures.submitted} for b in top)})
    _table(doc, [_("类别"), _("收到"), _("立案"), _("已答复"), _("A类"), _("办成率"), _("满意率"), _("重新办理")],
           [[b.label, b.figures.submitted, b.figures.accepted, b.figures.answered, b.figures.outcomes["A"],
             b.figures.solved_rate, b.figures.satisfaction_rate, b.figures.rehandled] for b in report.by_category],
           caption=_("表4　按类别统计"))

    heading(_("承办单位办理情况"))
    _para(doc, _("%(n)s 个承办单位共承担主办和分别办理任务 %(answering)s 项、协办任务 %(co)s 项。各单位办理情况见表5。") % {
        "n": report.units_count, "answering": sum(u.answering for u in report.by_unit),
        "co": sum(u.co for u in report.by_unit)})
    _table(doc, [_("承办单位"), _("主办/分别"), _("协办"), _("已答复"), _("按期率"), _("A"), _("B"), _("C"), _("D"),
                 _("办成率"), _("满意率")],
           [[u.name, u.answering, u.co, u.answered, u.on_time_rate, *(u.outcomes[c] for c in stats.OUTCOMES),
             u.solved_rate, u.satisfaction_rate] for u in report.by_unit],
           caption=_("表5　按承办单位统计"))

    heading(_("各镇（街道）代表建议情况"))
    _para(doc, _("按领衔代表所在代表小组的镇（街道）统计；代表小组未关联镇（街道）的，列为“未分组”。"))
    _table(doc, [_("镇（街道）"), _("收到"), _("立案"), _("已答复"), _("A类"), _("办成率"), _("满意率")],
           [[b.label, b.figures.submitted, b.figures.accepted, b.figures.answered, b.figures.outcomes["A"],
             b.figures.solved_rate, b.figures.satisfaction_rate] for b in report.by_town],
           caption=_("表6　按镇（街道）统计"))

    heading(_("重点督办建议"))
    if report.key_items:
        _para(doc, _("主任会议确定重点督办建议 %(n)s 件，由常委会领导领衔督办，情况见表7。") % {"n": len(report.key_items)})
        _table(doc, [_("编号"), _("建议标题"), _("督办领导"), _("承办单位"), _("办理状态"), _("结果")],
               [[k.number or stats.DASH, k.title, k.leader, k.units, k.status, k.outcome or stats.DASH]
                for k in report.key_items], caption=_("表7　重点督办建议"), widths=[2.6, 5, 1.8, 3.6, 1.8, 1.2])
    else:
        _para(doc, _("本年度未确定重点督办建议。"))

    heading(_("在办和超期情况"))
    overdue_units = [u for u in report.unit_load if u.overdue]
    _para(doc, _("截至%(today)s，尚有 %(open)s 项承办任务在办（含以前年度交办），其中超过答复期限 %(overdue)s 项，"
                 "涉及 %(n)s 个承办单位。对超期未答复的，将继续督促承办单位尽快办理答复。") % {
        "today": _date(report.today), "open": report.open_parts, "overdue": report.overdue_parts,
        "n": len(overdue_units)})
    if overdue_units:
        _table(doc, [_("承办单位"), _("在办"), _("超期")], [[u.name, u.open, u.overdue] for u in overdue_units],
               widths=[8, 3, 3], caption=_("表8　超期承办任务"))

    _signature(doc, [f"{congress.short_name}{congress.body_name}", _date(report.today)])
    return _save(doc)
