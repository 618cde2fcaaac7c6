"""The Word documents (renda/suggestions/documents.py): they open, name their Chinese fonts, and carry
the figures of the data."""

import io
import re

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from renda.core import docx as core_docx
from renda.suggestions import documents
from renda.suggestions.tests.test_stats import YEAR, data, rate_  # noqa: F401  (the shared data fixture)
from renda.suggestions.world import parts

pytestmark = pytest.mark.django_db


def open_docx(content: bytes):
    assert content[:2] == b"PK"
    return Document(io.BytesIO(content))


def table_rows(doc) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]


def find_row(doc, first: str) -> list[str]:
    for table in table_rows(doc):
        for row in table:
            if row[0] == first:
                return row
    raise AssertionError(f"no table row starting with {first!r}: {table_rows(doc)}")


def all_text(doc) -> str:
    parts_ = [p.text for p in doc.paragraphs]
    parts_ += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts_)


def assert_official_layout(doc) -> None:
    section = doc.sections[0]
    def cm(length) -> float:
        return round(length.cm, 2)  # stored in twips: 21 cm is 11906 twips, 20.9999 cm

    assert (cm(section.page_width), cm(section.page_height)) == (21.0, 29.7)
    assert [cm(section.top_margin), cm(section.bottom_margin), cm(section.left_margin), cm(section.right_margin)] == [
        3.7, 3.5, 2.8, 2.6]
    styles = {s.name: s for s in doc.styles}
    east = {name: styles[name].element.rPr.rFonts.get(qn("w:eastAsia"))
            for name in ("Normal", core_docx.STYLE_TITLE, "Heading 1", core_docx.STYLE_BODY)}
    assert east == {"Normal": "仿宋_GB2312", core_docx.STYLE_TITLE: "方正小标宋简体", "Heading 1": "黑体",
                    core_docx.STYLE_BODY: "仿宋_GB2312"}
    assert styles[core_docx.STYLE_TITLE].font.size == Pt(22)
    assert styles["Heading 1"].font.size == Pt(16) and styles["Normal"].font.size == Pt(16)
    assert styles["Normal"].paragraph_format.line_spacing == Pt(28)
    # No theme font may override the East Asian font of the document default.
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rfonts = defaults.find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == "仿宋_GB2312" and rfonts.get(qn("w:eastAsiaTheme")) is None
    # Every run that carries text names its East Asian font.
    body = doc.element.body
    runs = [r for r in body.iter(qn("w:r")) if "".join(t.text or "" for t in r.iter(qn("w:t"))).strip()]
    assert runs
    missing = [r for r in runs if r.find(qn("w:rPr")) is None or r.find(qn("w:rPr")).find(qn("w:rFonts")) is None
               or not r.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia"))]
    assert missing == []


def test_annual_report_carries_the_figures(world, data):  # noqa: F811
    doc = open_docx(documents.annual_report(world.city, YEAR))
    assert_official_layout(doc)
    assert doc.paragraphs[0].text == "太仓市人大常委会关于2026年度代表建议办理情况的报告"
    text = all_text(doc)
    assert "共收到代表建议 12 件" in text and "立案 8 件" in text and "不予立案 1 件" in text
    assert "办成率（A类件数占已答复件数的比例）为 20.0%，代表满意率为 75.0%" in text
    assert "按期答复率为 80.0%" in text and "重新办理 2 件" in text
    assert find_row(doc, "收到建议")[1] == "12"
    assert find_row(doc, "并案办理")[1] == "1"
    assert find_row(doc, "A类 已解决或基本解决")[1:] == ["1", "20.0%"]
    assert find_row(doc, "C类 因条件限制暂时难以解决")[1:] == ["2", "40.0%"]
    assert find_row(doc, "办成率（A类÷已答复）")[1:] == ["1", "5", "20.0%"]
    assert find_row(doc, "满意率（满意和基本满意÷评价）")[1:] == ["3", "4", "75.0%"]
    assert find_row(doc, "按期答复率（按期答复÷已答复承办任务）")[1:] == ["4", "5", "80.0%"]
    # 承办单位, 主办/分别, 协办, 已答复, 按期率, A, B, C, D, 办成率, 满意率
    assert find_row(doc, "市住房和城乡建设局") == ["市住房和城乡建设局", "6", "0", "5", "80.0%", "1", "1", "2", "1",
                                                "20.0%", "75.0%"]
    assert find_row(doc, "沙溪镇")[1:3] == ["11", "7"]
    assert find_row(doc, "未分组")[1:3] == ["1", "1"]
    assert find_row(doc, "城乡建设")[1:3] == ["11", "7"]
    key = next(row for t in table_rows(doc) for row in t if "己：学校交通" in row)
    assert "李秀英" in key and "办理中" in key


def test_annual_report_of_an_empty_year_says_so(world):
    doc = open_docx(documents.annual_report(world.city, 2019))
    text = all_text(doc)
    assert "共收到代表建议 0 件" in text and "办成率（A类件数占已答复件数的比例）为 —" in text
    assert "本年度未确定重点督办建议。" in text


def test_assignment_letter_lists_the_parts_and_the_legal_rules(world, data):  # noqa: F811
    s = data["open"]
    lead, co = parts(s)
    doc = open_docx(documents.assignment_letter(world.unit, [lead]))
    assert_official_layout(doc)
    text = all_text(doc)
    assert doc.paragraphs[0].text == "关于交办代表建议的函"
    assert "市住房和城乡建设局：" in text
    for rule in ("7 个工作日内签收", "办前联系", "3 个月内答复代表", "1 个月内将协办意见", "最长不超过 6 个月"):
        assert rule in text
    row = find_row(doc, "1")
    assert row[1:5] == [s.number_display, "己：学校交通", "张建国", "主办"]
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日（答复）", row[5])
    assert "太仓市人大常委会代表工作委员会" in text
    # The co-unit's letter names its own role and the 1-month clock for its views.
    co_doc = open_docx(documents.assignment_letter(world.other_unit, [co]))
    co_row = find_row(co_doc, "1")
    assert co_row[4] == "协办" and co_row[5].endswith("（协办意见）")
    # Another unit's part is not listed in this unit's letter.
    assert len(open_docx(documents.assignment_letter(world.unit, [co])).tables[0].rows) == 1


def test_reply_form_shows_the_reply_and_the_rating_slip(world, data):  # noqa: F811
    s = data["b"]
    doc = open_docx(documents.reply_form(s, world.deputy))
    assert_official_layout(doc)
    assert doc.paragraphs[0].text == "代表建议办理情况征询意见表"
    assert find_row(doc, "建议编号")[1] == s.number_display
    assert find_row(doc, "建议标题")[1] == "乙：公交线路"
    assert find_row(doc, "征询代表")[1] == "张建国"
    assert find_row(doc, "承办单位")[1] == "市住房和城乡建设局（主办）\n市教育局（协办）"
    answer = find_row(doc, "答复情况")[1]
    assert answer.startswith("市住房和城乡建设局（答复，") and "B 正在解决或列入计划" in answer
    assert "已将加装电梯列入年度计划" in answer
    assert find_row(doc, "办理结果类别")[1] == "B 正在解决或列入计划"
    assert find_row(doc, "代表评价")[1] == "☐满意　　☐基本满意　　☐不满意"
    assert "签名" in find_row(doc, "代表签名")[1] and "日期" in find_row(doc, "代表签名")[1]


def test_reply_form_after_rehandling_shows_the_new_reply(world, data):  # noqa: F811
    doc = open_docx(documents.reply_form(data["c"], world.deputy))
    answer = find_row(doc, "答复情况")[1]
    assert "重新办理答复" in answer and "重新办理答复。" in answer


def test_reply_form_of_a_merged_suggestion_shows_the_main_one(world, data):  # noqa: F811
    doc = open_docx(documents.reply_form(data["merged"], world.deputy))
    assert find_row(doc, "并案办理")[1] == "并入《庚：助餐点》办理"
    assert find_row(doc, "答复情况")[1] == "承办单位尚未答复。"
