"""Word documents in the official layout (GB/T 9704, 党政机关公文格式), shared by every area.

A4; margins top 3.7 cm, bottom 3.5 cm, left 2.8 cm, right 2.6 cm; the title in 方正小标宋简体 22 pt
(二号), headings in 黑体 16 pt (三号), the body in 仿宋_GB2312 16 pt with a fixed line spacing of 28 pt;
page numbers "— 1 —" in 宋体 14 pt (四号). Word picks the font of Chinese text from
`w:rFonts/@w:eastAsia`, which python-docx's `font.name` does not set: `set_fonts` writes it on every
style and run (and removes the theme fonts that would override it). Fonts are named, not embedded:
an office PC has them; another PC substitutes.

Users: renda/suggestions/documents.py (交办函, 征询意见表, the annual report) and
renda/meetings/documents.py (the minutes).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from renda.core.figures import DASH, percent_text

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
CHINESE_NUMERALS = "一二三四五六七八九十"

STYLE_TITLE = "Renda Title"
STYLE_BODY = "Renda Body"
STYLE_PLAIN = "Renda Plain"
STYLE_TABLE = "Renda Table"
STYLE_FORM = "Renda Form"


# --- layout ----------------------------------------------------------------------------------------------
def set_fonts(rpr_owner, east_asia: str, *, size=None, bold: bool | None = None) -> None:
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


def paragraph_style(doc, name: str, *, font: str, size, line=LINE, indent: bool = False,
                     align=None, bold: bool = False, before=0, after=0, outline: int | None = None):
    style = doc.styles[name] if name in [s.name for s in doc.styles] else doc.styles.add_style(name, 1)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    set_fonts(style.element, font, size=size, bold=bold)
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


def new_document(*, title: str, landscape: bool = False) -> Document:
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
    set_fonts(normal.element, BODY_FONT, size=BODY_SIZE)
    npf = normal.paragraph_format
    npf.line_spacing_rule, npf.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
    npf.space_before, npf.space_after = Pt(0), Pt(0)
    paragraph_style(doc, STYLE_TITLE, font=TITLE_FONT, size=TITLE_SIZE, line=Pt(36), align=WD_ALIGN_PARAGRAPH.CENTER,
                     after=14)
    heading = doc.styles["Heading 1"]
    paragraph_style(doc, "Heading 1", font=HEADING_FONT, size=BODY_SIZE, indent=True)
    heading.paragraph_format.keep_with_next = True
    paragraph_style(doc, STYLE_BODY, font=BODY_FONT, size=BODY_SIZE, indent=True,
                     align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    paragraph_style(doc, STYLE_PLAIN, font=BODY_FONT, size=BODY_SIZE)
    paragraph_style(doc, STYLE_TABLE, font=BODY_FONT, size=TABLE_SIZE, line=None, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph_style(doc, STYLE_FORM, font=BODY_FONT, size=FORM_SIZE, line=Pt(24))
    page_numbers(section)
    doc.core_properties.title = title
    doc.core_properties.language = "zh-CN"
    return doc


def page_numbers(section) -> None:
    """"— 1 —" centred in the footer: a PAGE field between em dashes."""
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(p, "— ", font=PAGE_NUMBER_FONT, size=Pt(14))
    run = add_run(p, "", font=PAGE_NUMBER_FONT, size=Pt(14))
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText" if text.strip() == "PAGE" else "w:t")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    add_run(p, " —", font=PAGE_NUMBER_FONT, size=Pt(14))


def add_run(paragraph, text: str, *, font: str = BODY_FONT, size=None, bold: bool | None = None):
    run = paragraph.add_run(text)
    set_fonts(run._r, font, size=size, bold=bold)
    return run


def add_para(doc, text: str = "", *, style: str = STYLE_BODY, font: str = BODY_FONT, align=None, bold=None):
    p = doc.add_paragraph(style=style)
    if text:
        add_run(p, text, font=font, bold=bold)
    if align is not None:
        p.alignment = align
    return p


def add_title(doc, text: str) -> None:
    add_para(doc, text, style=STYLE_TITLE, font=TITLE_FONT)


def add_heading(doc, text: str) -> None:
    add_para(doc, text, style="Heading 1", font=HEADING_FONT)


def numbered(i: int) -> str:
    return CHINESE_NUMERALS[i] if i < len(CHINESE_NUMERALS) else str(i + 1)


def fill_cell(cell, text, *, style: str = STYLE_TABLE, font: str = BODY_FONT, bold: bool | None = None, align=None):
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
        add_run(p, line, font=font, bold=bold)
    return cell


def repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def add_table(doc, headers: Sequence[str], rows: Iterable[Sequence], *, widths: Sequence[float] | None = None,
           caption: str = "", style: str = STYLE_TABLE, first_left: bool = True):
    """A bordered table with a repeated bold (黑体) header row; cells are text."""
    if caption:
        add_para(doc, caption, style=STYLE_PLAIN, font=HEADING_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
    rows = [list(r) for r in rows]
    table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for j, h in enumerate(headers):
        fill_cell(table.rows[0].cells[j], h, style=style, font=HEADING_FONT)
    repeat_header(table.rows[0])
    for i, row in enumerate(rows, start=1):
        cells = table.rows[i].cells
        for j, value in enumerate(row):
            fill_cell(cells[j], cell_text(value), style=style,
                  align=WD_ALIGN_PARAGRAPH.LEFT if (j == 0 and first_left) else None)
    if widths:
        for row in table.rows:
            for j, w in enumerate(widths):
                row.cells[j].width = Cm(w)
    return table


def cell_text(value) -> str:
    if value is None:
        return DASH
    if isinstance(value, dt.date):
        return date_text(value)
    if hasattr(value, "quantize"):  # a rate
        return percent_text(value)
    return str(value)


def date_text(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else DASH


def to_bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def add_signature(doc, lines: Sequence[str]) -> None:
    add_para(doc, style=STYLE_PLAIN)
    for line in lines:
        p = add_para(doc, line, style=STYLE_PLAIN, align=WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.right_indent = Pt(BODY_SIZE.pt * 4)


def docx_response(content: bytes, filename: str) -> HttpResponse:
    """A .docx download (see renda.core.exports.download_response)."""
    from renda.core.exports import download_response

    return download_response(content, content_type=DOCX_MIME, filename=filename)
