"""The office's suggestion workflows that the main cycle (test_suggestion_cycle.py) does not walk, each step on
the pages of the role that owns it:

- a unit asks to return its part; the office reassigns it to another unit once and refuses the return once;
- a unit asks for more time; the office approves (the deputy sees the new deadline and the reason) and rejects;
- the office marks a suggestion as key (重点督办) with its milestones; the director ticks one off;
- bulk assignment from the office's list;
- merging (并案): the deputy of the merged suggestion rates the main one's reply;
- a B reply under follow-up: a progress report, then "solved" (A), rated again;
- the office closes and opens submission periods; the supervision page leads to an overdue part, which is reminded.

The starting data is built through the services (renda/suggestions/world.py), as in the other browser tests.
"""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from playwright.sync_api import expect

from e2e.helpers import axe_check, screenshot, signed_in
from renda.core.workdays.calendar import compute_due
from renda.core.workdays.models import Deadline
from renda.core.workdays.selectors import calendar_load
from renda.core.workdays.services import deadlines_mark_overdue
from renda.suggestions import services
from renda.suggestions.models import Assignment, Period, Suggestion
from renda.suggestions.world import PDF, act, base, draft, parts, to_accepted, to_assigned, to_replied, to_submitted
from renda.testing import make_user

pytestmark = pytest.mark.e2e


def open_panel(page, label: str):
    page.locator("summary", has_text=label).first.click()


def said(page, text: str):
    """The page's message (one `role=status` alert per message) says `text`."""
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def part_card(page, unit):
    return page.get_by_test_id(f"part-{unit.pk}")


def section(page, heading: str):
    """The card (a `<section>`) whose heading is `heading`."""
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading, exact=True))


def go(page, live_server, path: str):
    return page.goto(live_server.url + path)


@pytest.fixture
def letter(tmp_path):
    path = tmp_path / "答复函.pdf"
    path.write_bytes(PDF)
    return str(path)


# --- returns -----------------------------------------------------------------------------------------------------
def test_a_return_is_reassigned_once_and_refused_once(browser, live_server, world):
    w = world
    b = base(w)
    make_user("unit3", role="unit", congress=w.city, unit=b.third_unit)
    moved = to_assigned(w, co=False, title="关于整治农贸市场周边交通秩序的建议")
    kept = to_assigned(w, co=False, title="关于老旧小区屋面防水维修的建议")
    moved_part, _ = parts(moved)

    # 1. The unit asks to return both parts, each with its reason, within the 7 working days.
    with signed_in(browser, live_server, "unit") as page:
        for s, reason in ((moved, "农贸市场周边交通秩序属于交通运输部门职责，建议改交市交通运输局办理。"),
                          (kept, "屋面防水维修属于物业专项维修资金使用范围，建议改交街道办理。")):
            go(page, live_server, "/suggestions/unit/")
            page.get_by_test_id("unit-inbox").get_by_role("link", name=s.title).click()
            expect(part_card(page, w.unit)).to_contain_text("代表建议签收或申请调整：截止")
            open_panel(page, "申请退回")
            expect(page.get_by_text("交办之日起 7 个工作日内可以申请")).to_be_visible()
            page.get_by_label("申请退回的理由").fill(reason)
            page.get_by_role("button", name="确定：申请退回").click()
            said(page, "已申请退回，等待代表工委处理。")
            expect(part_card(page, w.unit)).to_contain_text("申请退回")
            expect(part_card(page, w.unit)).to_contain_text(reason)
        screenshot(page, "suggestion-office-return-requested-desktop")
        axe_check(page)

    # 2. The office finds both on the supervision page; one goes to the unit the reason names.
    with signed_in(browser, live_server, "staff") as page:
        go(page, live_server, "/suggestions/office/")
        page.get_by_role("link", name="督办与逾期").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("督办与逾期")
        returns = section(page, "待处理的退回申请")
        expect(returns).to_contain_text("建议改交市交通运输局办理")
        expect(returns).to_contain_text("建议改交街道办理")
        axe_check(page)
        screenshot(page, "suggestion-office-supervision-returns-desktop")
        returns.get_by_role("link", name=moved.title).click()
        expect(page.get_by_role("heading", name="代表工委处理")).to_be_visible()
        open_panel(page, "改交其他单位")
        page.get_by_label("改交的单位").select_option(label="市交通运输局")
        page.get_by_label("改交办理由").fill("同意退回，改由市交通运输局主办。")
        page.get_by_role("button", name="确定：改交其他单位").click()
        said(page, "已改交办。")
        expect(part_card(page, w.unit)).to_contain_text("已撤回")
        expect(part_card(page, b.third_unit)).to_contain_text("待签收")
        axe_check(page)
        screenshot(page, "suggestion-office-reassigned-desktop")

        # The other return is refused: the unit keeps its part.
        go(page, live_server, "/suggestions/supervision/")
        section(page, "待处理的退回申请").get_by_role("link", name=kept.title).click()
        open_panel(page, "不同意退回")
        page.get_by_label("不同意退回的理由").fill("屋面防水维修资金由住建部门统筹，请继续办理。")
        page.get_by_role("button", name="确定：不同意退回").click()
        said(page, "已不同意退回，单位继续办理。")
        expect(part_card(page, w.unit)).to_contain_text("待签收")
        screenshot(page, "suggestion-office-return-refused-desktop")
        go(page, live_server, "/suggestions/supervision/")
        expect(section(page, "待处理的退回申请")).to_contain_text("无。")

    # 3. The new unit finds the reassigned part in its inbox and signs it; its clocks start today.
    with signed_in(browser, live_server, "unit3") as page:
        go(page, live_server, "/suggestions/unit/")
        inbox = page.get_by_test_id("unit-inbox")
        expect(inbox).to_contain_text(moved.title)
        expect(inbox).not_to_contain_text(kept.title)
        inbox.get_by_role("link", name=moved.title).click()
        expect(page.get_by_text("同意退回，改由市交通运输局主办。").first).to_be_visible()
        page.get_by_role("button", name="签收").click()
        said(page, "已签收。")
        expect(part_card(page, b.third_unit)).to_contain_text("办理中")

    # 4. The first unit no longer holds the reassigned part; it keeps the refused one, cannot ask to return
    # it again (the return used up the 7-day window), and signs it.
    with signed_in(browser, live_server, "unit") as page:
        go(page, live_server, "/suggestions/unit/")
        inbox = page.get_by_test_id("unit-inbox")
        expect(inbox).not_to_contain_text(moved.title)
        inbox.get_by_role("link", name=kept.title).click()
        expect(page.get_by_text("屋面防水维修资金由住建部门统筹，请继续办理。").first).to_be_visible()
        # The return used up the window: the panel is no longer offered (the service would refuse).
        expect(page.locator("summary", has_text="申请退回")).to_have_count(0)
        page.get_by_role("button", name="签收").click()
        said(page, "已签收。")
        assert go(page, live_server, f"/suggestions/parts/{moved_part.pk}/").status == 404


# --- extensions --------------------------------------------------------------------------------------------------
def test_an_extension_is_approved_then_another_rejected(browser, live_server, world):
    w = world
    s = to_assigned(w, co=False, title="关于建设城市口袋公园的建议")
    lead, _ = parts(s)
    first_due = lead.due
    reason = "口袋公园选址涉及国土空间规划调整，需待规划批复后答复。"

    with signed_in(browser, live_server, "unit") as page:
        go(page, live_server, f"/suggestions/parts/{lead.pk}/")
        page.get_by_role("button", name="签收").click()
        open_panel(page, "申请延期答复")
        page.get_by_label("延期", exact=True).select_option(label="2 个月")
        page.get_by_label("延期理由（代表可见）").fill(reason)
        page.get_by_role("button", name="确定：申请延期答复").click()
        said(page, "已申请延期，等待代表工委审批。")
        expect(part_card(page, w.unit).get_by_test_id("extension")).to_contain_text("2 个月，待审批")
        # One request at a time.
        expect(page.locator("summary", has_text="申请延期答复")).to_have_count(0)

    with signed_in(browser, live_server, "staff") as page:
        go(page, live_server, "/suggestions/supervision/")
        pending = section(page, "待审批的延期申请")
        expect(pending).to_contain_text(reason)
        pending.get_by_role("link", name=s.title).click()
        open_panel(page, "审批延期申请")
        page.get_by_label("同意", exact=True).check()
        page.get_by_role("button", name="确定：审批延期申请").click()
        said(page, "已审批延期申请。")
        expect(part_card(page, w.unit).get_by_test_id("extension")).to_contain_text("已同意")
        axe_check(page)

    lead.refresh_from_db()
    new_due = lead.due
    assert new_due > first_due + dt.timedelta(days=50)  # two months later, give or take a rolled weekend
    assert lead.extended_months == 2

    # The deputy reads the new deadline and why, on a phone.
    with signed_in(browser, live_server, "deputy", phone=True) as page:
        go(page, live_server, f"/suggestions/{s.pk}/")
        card = part_card(page, w.unit)
        expect(card).to_contain_text(f"期限 {new_due.isoformat()}")
        expect(card).not_to_contain_text(first_due.isoformat())
        expect(card.get_by_test_id("extension")).to_contain_text(reason)
        expect(page.locator(".timeline")).to_contain_text("同意延期")
        expect(page.locator(".timeline")).to_contain_text(f"延期 2 个月：{reason}")
        screenshot(page, "suggestion-office-extension-deputy-phone")
        axe_check(page)

    # A second request is rejected: the unit reads why, the due date stays.
    with signed_in(browser, live_server, "unit") as page:
        go(page, live_server, f"/suggestions/parts/{lead.pk}/")
        open_panel(page, "申请延期答复")
        page.get_by_label("延期", exact=True).select_option(label="1 个月")
        page.get_by_label("延期理由（代表可见）").fill("规划批复仍未下达。")
        page.get_by_role("button", name="确定：申请延期答复").click()
        said(page, "已申请延期，等待代表工委审批。")

    with signed_in(browser, live_server, "staff") as page:
        go(page, live_server, f"/suggestions/parts/{lead.pk}/")
        open_panel(page, "审批延期申请")
        page.get_by_label("不同意", exact=True).check()
        page.get_by_role("button", name="确定：审批延期申请").click()
        # Rejecting needs a note: the panel stays open with the error under the field.
        expect(page.get_by_role("alert").filter(has_text="请")).to_be_visible()
        page.get_by_label("审批意见（不同意时必填）").fill("前次延期已考虑规划批复时间，请按期答复。")
        page.get_by_role("button", name="确定：审批延期申请").click()
        said(page, "已审批延期申请。")

    with signed_in(browser, live_server, "unit") as page:
        go(page, live_server, f"/suggestions/parts/{lead.pk}/")
        rejected = part_card(page, w.unit).get_by_test_id("extension").filter(has_text="未同意")
        expect(rejected).to_contain_text("前次延期已考虑规划批复时间，请按期答复。")
        expect(part_card(page, w.unit)).to_contain_text(f"期限 {new_due.isoformat()}")
        expect(page.locator(".timeline")).to_contain_text("不同意延期")
        screenshot(page, "suggestion-office-extension-rejected-desktop")
    lead.refresh_from_db()
    assert lead.due == new_due and lead.extended_months == 2


# --- key suggestions ---------------------------------------------------------------------------------------------
def test_the_office_marks_a_key_suggestion_and_the_director_ticks_a_milestone(browser, live_server, world):
    w = world
    base(w)
    key = to_assigned(w, title="关于推进娄江新城学校建设的建议")
    other = to_assigned(w, co=False, title="关于增设公共自行车站点的建议")
    meeting = timezone.localdate() + dt.timedelta(days=7)

    with signed_in(browser, live_server, "staff") as page:
        go(page, live_server, f"/suggestions/{key.pk}/")
        open_panel(page, "列为重点督办")
        page.get_by_label("督办领导").select_option(label="李秀英（副主任）")
        page.get_by_label("主任会议日期").fill(meeting.isoformat())
        page.get_by_label("督办要求（可选）").fill("每季度向主任会议报告进展。")
        page.get_by_label("督办节点（每行一个：日期 内容）").fill("2026-06-30 完成项目立项\n2026-12-31 完成主体建设")
        page.get_by_role("button", name="确定：列为重点督办").click()
        said(page, "已列为重点督办建议。")
        card = section(page, "重点督办")
        expect(card).to_contain_text("督办领导：李秀英（副主任）")
        expect(card).to_contain_text(f"主任会议 {meeting.isoformat()}")
        expect(card.locator("li")).to_have_count(2)
        expect(card).to_contain_text("2026-06-30 完成项目立项")
        expect(page.locator(".timeline")).to_contain_text("列为重点督办")
        screenshot(page, "suggestion-office-key-desktop")
        axe_check(page)

        # The office's list, filtered to key suggestions, and the supervision page show it.
        go(page, live_server, "/suggestions/office/")
        page.get_by_label("重点督办").check()
        page.get_by_role("button", name="筛选").click()
        table = page.get_by_test_id("office-list")
        expect(table.get_by_role("row").filter(has_text=key.title)).to_contain_text("重点")
        expect(table).not_to_contain_text(other.title)
        expect(page.get_by_test_id("count")).to_have_text("共 1 件")
        go(page, live_server, "/suggestions/supervision/")
        expect(section(page, "重点督办建议")).to_contain_text(f"{key.title} · 李秀英")

    with signed_in(browser, live_server, "director") as page:
        go(page, live_server, "/suggestions/supervision/")
        section(page, "重点督办建议").get_by_role("link", name=key.title).click()
        card = section(page, "重点督办")
        first = card.locator("li").filter(has_text="完成项目立项")
        first.get_by_role("button", name="标记完成").click()
        said(page, "已标记完成。")
        expect(first).to_contain_text(f"已完成 {timezone.localdate().isoformat()}")
        milestone = card.locator("li").filter(has_text="完成主体建设")
        expect(milestone.get_by_role("button", name="标记完成")).to_be_visible()
        axe_check(page)

    # The deputy sees that the suggestion is supervised.
    with signed_in(browser, live_server, "deputy", phone=True) as page:
        go(page, live_server, f"/suggestions/{key.pk}/")
        expect(section(page, "重点督办")).to_contain_text("李秀英")
        expect(section(page, "重点督办").get_by_role("button", name="标记完成")).to_have_count(0)
        screenshot(page, "suggestion-office-key-deputy-phone")


# --- bulk assignment ---------------------------------------------------------------------------------------------
def test_the_office_assigns_several_suggestions_at_once(browser, live_server, world):
    w = world
    first = to_accepted(w, title="关于加强电动自行车充电设施建设的建议")
    second = to_accepted(w, title="关于规范小区电动车停放管理的建议")
    left = to_accepted(w, title="关于提高农村饮用水水质的建议")
    waiting = to_submitted(w, title="关于增加社区养老床位的建议")

    with signed_in(browser, live_server, "staff") as page:
        go(page, live_server, "/suggestions/office/")
        page.get_by_label("状态").select_option(label="已立案待交办")
        page.get_by_role("button", name="筛选").click()
        table = page.get_by_test_id("office-list")
        expect(table).not_to_contain_text(waiting.title)
        expect(page.get_by_test_id("count")).to_have_text("共 3 件")
        axe_check(page)

        # Nothing ticked: told so.
        open_panel(page, "批量交办勾选的已立案建议")
        page.get_by_role("button", name="确定交办").click()
        said(page, "请先勾选要交办的建议。")

        page.get_by_role("checkbox", name=f"选择 {first.title}").check()
        page.get_by_role("checkbox", name=f"选择 {second.title}").check()
        open_panel(page, "批量交办勾选的已立案建议")
        expect(page.get_by_label("主办协办")).to_be_checked()
        page.get_by_label("主办单位").select_option(label="市住房和城乡建设局")
        page.get_by_label("协办单位（可多选）").select_option(label="市教育局")
        page.get_by_label("交办说明（可选）").fill("请于三个月内答复。")
        screenshot(page, "suggestion-office-bulk-desktop")
        page.get_by_role("button", name="确定交办").click()
        said(page, "已交办 2 件建议。")
        # Back on the accepted list: only the one left behind.
        expect(page.get_by_test_id("count")).to_have_text("共 1 件")
        expect(table).to_contain_text(left.title)

        page.get_by_label("状态").select_option(label="办理中")
        page.get_by_role("button", name="筛选").click()
        for s in (first, second):
            expect(table.get_by_role("row").filter(has_text=s.title)).to_contain_text("市住房和城乡建设局、市教育局（协办）")

    for username, role in (("unit", "主办"), ("unit2", "协办")):
        with signed_in(browser, live_server, username) as page:
            go(page, live_server, "/suggestions/unit/")
            inbox = page.get_by_test_id("unit-inbox")
            for s in (first, second):
                expect(inbox.locator("li").filter(has_text=s.title)).to_contain_text(f"{role}待签收")
            expect(inbox).not_to_contain_text(left.title)
    for s in (first, second):
        s.refresh_from_db()
        assert s.status == Suggestion.Status.HANDLING and s.due is not None


# --- merging -----------------------------------------------------------------------------------------------------
def test_a_merged_suggestions_deputy_rates_the_main_reply(browser, live_server, world, letter):
    w = world
    b = base(w)
    main = to_accepted(w, title="关于加快城区公共停车场建设的建议")
    other = services.suggestion_create(actor=act(w, "deputy2"), category_id=b.category.pk,
                                       title="关于缓解老城区停车难的建议", proposal="利用边角地块建设立体停车库。",
                                       unit_ids=[w.unit.pk])
    other = services.suggestion_submit(actor=act(w, "deputy2"), suggestion_id=other.pk)

    # 1. The office merges the later suggestion into the accepted one, then assigns the main one.
    with signed_in(browser, live_server, "staff") as page:
        go(page, live_server, "/suggestions/office/?status=submitted")
        page.get_by_role("link", name=other.title).click()
        open_panel(page, "并案办理")
        page.get_by_label("并入的建议（已立案）").select_option(label=f"{main.number_display} {main.title}")
        page.get_by_label("并案理由").fill("两件建议均涉及城区停车设施建设，并案办理。")
        page.get_by_role("button", name="确定：并案办理").click()
        said(page, "已并案。")
        expect(page.get_by_text("已并案", exact=True).first).to_be_visible()
        screenshot(page, "suggestion-office-merged-desktop")
        axe_check(page)
        page.get_by_role("link", name=main.title).click()
        expect(page.get_by_test_id("signers")).to_contain_text("李秀英")
        expect(page.get_by_test_id("signers")).to_contain_text("并案")
        open_panel(page, "交办")
        page.get_by_label("主办单位").select_option(label="市住房和城乡建设局")
        page.get_by_role("button", name="确定：交办").click()
        said(page, "已交办")
    lead, _ = parts(main)

    # 2. The unit may contact the merged suggestion's deputy, and replies.
    with signed_in(browser, live_server, "unit") as page:
        go(page, live_server, f"/suggestions/parts/{lead.pk}/")
        expect(page.get_by_text("李秀英（并案）")).to_be_visible()
        page.get_by_role("button", name="签收").click()
        open_panel(page, "记录办前联系")
        page.get_by_label("联系的代表").select_option(label="李秀英")
        page.get_by_label("联系日期").fill(timezone.localdate().isoformat())
        page.get_by_label("联系方式").select_option(label="座谈会商")
        page.get_by_label("联系内容").fill("召开座谈会，听取两位代表对停车场选址的意见。")
        page.get_by_role("button", name="确定：记录办前联系").click()
        said(page, "已记录办前联系。")
        open_panel(page, "答复代表")
        page.get_by_label("A 已解决或基本解决").check()
        page.get_by_label("答复内容").fill("今年新建公共停车场 3 处、泊位 600 个，边角地块立体车库已开工。")
        page.get_by_label("加盖公章的答复函（PDF）").set_input_files(letter)
        page.get_by_role("button", name="确定：答复代表").click()
        said(page, "答复已送代表。")

    # 3. The merged suggestion's deputy finds the reply from her own suggestion and rates it.
    with signed_in(browser, live_server, "deputy2", phone=True) as page:
        go(page, live_server, "/suggestions/")
        expect(section(page, "待评价的答复")).to_contain_text(main.title)
        page.get_by_test_id("my-suggestions").get_by_role("link", name=other.title).click()
        expect(page.get_by_text("已并案", exact=True).first).to_be_visible()
        page.get_by_role("link", name=main.title).click()
        expect(part_card(page, w.unit).get_by_test_id("reply-reply")).to_contain_text("立体车库已开工")
        form = page.get_by_test_id("rating-form")
        form.get_by_role("radio", name="满意", exact=True).check()
        form.get_by_role("button", name="提交评价").click()
        said(page, "感谢您的评价。")
        expect(part_card(page, w.unit).get_by_test_id("rating")).to_contain_text("满意 李秀英")
        screenshot(page, "suggestion-office-merged-rated-phone")
        axe_check(page)

    # 4. The main suggestion's deputy rates too: both close, the merged one with the main one.
    with signed_in(browser, live_server, "deputy", phone=True) as page:
        go(page, live_server, f"/suggestions/{main.pk}/")
        form = page.get_by_test_id("rating-form")
        form.get_by_role("radio", name="满意", exact=True).check()
        form.get_by_role("button", name="提交评价").click()
        said(page, "感谢您的评价。")
    with signed_in(browser, live_server, "deputy2", phone=True) as page:
        go(page, live_server, f"/suggestions/{other.pk}/")
        expect(page.get_by_text("已办结", exact=True).first).to_be_visible()
        expect(page.locator(".timeline")).to_contain_text("随主办建议办结")
    main.refresh_from_db()
    other.refresh_from_db()
    assert (main.status, other.status, other.outcome) == ("closed", "closed", "A")


# --- B follow-up -------------------------------------------------------------------------------------------------
def test_a_b_reply_is_followed_up_and_solved(browser, live_server, world, letter):
    w = world
    s = to_replied(w, outcome="B", co=False, title="关于建设沙溪镇污水处理厂二期的建议")
    lead, _ = parts(s)

    # 1. The deputy rates the B reply: the suggestion goes under follow-up.
    with signed_in(browser, live_server, "deputy", phone=True) as page:
        go(page, live_server, f"/suggestions/{s.pk}/")
        form = page.get_by_test_id("rating-form")
        form.get_by_role("radio", name="基本满意").check()
        form.get_by_role("button", name="提交评价").click()
        said(page, "感谢您的评价。")
        expect(page.get_by_text("B类跟踪办理").first).to_be_visible()

    # 2. The unit reports progress.
    with signed_in(browser, live_server, "unit") as page:
        go(page, live_server, "/suggestions/unit/")
        page.get_by_test_id("unit-inbox").get_by_role("link", name=s.title).click()
        expect(part_card(page, w.unit)).to_contain_text("B类跟踪办理")
        open_panel(page, "报告B类办理进展")
        page.get_by_label("办理进展").fill("二期工程已完成环评批复，主体土建完成 60%。")
        page.get_by_role("button", name="确定：报告B类办理进展").click()
        said(page, "已报告办理进展。")
        expect(part_card(page, w.unit).get_by_test_id("reply-progress")).to_contain_text("主体土建完成 60%")
        axe_check(page)

    # 3. The deputy reads the progress on a phone.
    with signed_in(browser, live_server, "deputy", phone=True) as page:
        go(page, live_server, f"/suggestions/{s.pk}/")
        progress = part_card(page, w.unit).get_by_test_id("reply-progress")
        expect(progress).to_contain_text("B类办理进展")
        expect(progress).to_contain_text("主体土建完成 60%")
        expect(page.get_by_test_id("rating-form")).to_have_count(0)  # nothing to rate meanwhile
        screenshot(page, "suggestion-office-progress-deputy-phone")

    # 4. The unit replies that it is solved: the part becomes A.
    with signed_in(browser, live_server, "unit") as page:
        go(page, live_server, f"/suggestions/parts/{lead.pk}/")
        open_panel(page, "已解决，答复代表")
        page.get_by_label("解决情况（答复代表）").fill("二期工程已通水运行，日处理能力增加 2 万吨。")
        page.get_by_label("加盖公章的答复函（PDF）").set_input_files(letter)
        page.get_by_role("button", name="确定：已解决，答复代表").click()
        said(page, "已答复代表，事项转为A类。")
        expect(part_card(page, w.unit)).to_contain_text("A类")
        screenshot(page, "suggestion-office-solved-desktop")

    # 5. The deputy sees the follow-up and rates the solved reply: closed as A.
    with signed_in(browser, live_server, "deputy", phone=True) as page:
        go(page, live_server, "/suggestions/")
        expect(section(page, "待评价的答复")).to_contain_text(s.title)
        go(page, live_server, f"/suggestions/{s.pk}/")
        card = part_card(page, w.unit)
        expect(card.get_by_test_id("reply-progress")).to_contain_text("主体土建完成 60%")
        expect(card.get_by_test_id("reply-solved")).to_contain_text("日处理能力增加 2 万吨")
        form = page.get_by_test_id("rating-form")
        form.get_by_role("radio", name="满意", exact=True).check()
        form.get_by_role("button", name="提交评价").click()
        said(page, "感谢您的评价。")
        expect(page.get_by_text("已办结", exact=True).first).to_be_visible()
        expect(page.get_by_text("A 已解决或基本解决").first).to_be_visible()
        screenshot(page, "suggestion-office-solved-deputy-phone")
        axe_check(page)
    s.refresh_from_db()
    assert (s.status, s.outcome) == ("closed", "A")


# --- periods -----------------------------------------------------------------------------------------------------
def test_the_office_closes_and_opens_submission_periods(browser, live_server, world):
    w = world
    b = base(w)
    d = draft(w, title="关于延长社区图书馆开放时间的建议")
    year = timezone.localdate().year
    recess = f"市十七届人大{year}年闭会期间"

    # 1. The office ends the session's period and sets up the recess, not yet open.
    with signed_in(browser, live_server, "staff") as page:
        go(page, live_server, "/suggestions/office/")
        page.get_by_role("link", name="征集期").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("建议征集期")
        rows = page.get_by_test_id("periods").get_by_role("row")
        session_row = rows.filter(has_text=b.period.name)
        expect(session_row).to_contain_text("征集中")
        session_row.get_by_role("button", name="结束征集").click()
        said(page, f"已结束征集：{b.period.name}")
        expect(session_row).to_contain_text("未开放")
        page.get_by_label("类型").select_option(label="闭会期间")
        expect(page.get_by_label("年度")).to_have_value(str(year))
        page.get_by_label("名称").fill(recess)
        page.get_by_label("编号前缀（可选）").fill(f"{year}闭会")
        page.get_by_role("button", name="新建").click()
        said(page, "已新建征集期。")
        expect(rows.filter(has_text=recess)).to_contain_text("未开放")
        axe_check(page)
        screenshot(page, "suggestion-office-periods-desktop")

    # 2. No period is open: the deputy is told so and cannot submit.
    with signed_in(browser, live_server, "deputy", phone=True) as page:
        go(page, live_server, "/suggestions/")
        expect(page.get_by_text("当前不在建议征集期内")).to_be_visible()
        page.get_by_role("link", name=d.title).click()
        page.get_by_role("button", name="提交建议").click()
        expect(page.get_by_text("当前没有正在征集建议的时段，请在征集期内提交。").first).to_be_visible()
        screenshot(page, "suggestion-office-period-closed-phone")
        axe_check(page)

    # 3. The office opens the recess period.
    with signed_in(browser, live_server, "staff") as page:
        go(page, live_server, "/suggestions/periods/")
        row = page.get_by_test_id("periods").get_by_role("row").filter(has_text=recess)
        row.get_by_role("button", name="开始征集").click()
        said(page, f"已开始征集：{recess}")
        expect(row).to_contain_text("征集中")

    # 4. The deputy submits into it.
    with signed_in(browser, live_server, "deputy", phone=True) as page:
        go(page, live_server, "/suggestions/")
        expect(page.get_by_text(f"正在征集：{recess}")).to_be_visible()
        page.get_by_role("link", name=d.title).click()
        page.get_by_role("button", name="提交建议").click()
        said(page, "建议已提交")
        expect(page.get_by_text(f"{recess}（闭会期间）")).to_be_visible()
    d.refresh_from_db()
    assert d.status == "submitted" and d.period == Period.objects.get(name=recess)


def assigned_long_ago(part: Assignment, *, days: int) -> dt.date:
    """Move the part's reply clock as if it had been assigned `days` ago, and let the nightly task flag it
    overdue; returns the (past) due date."""
    start = timezone.localdate() - dt.timedelta(days=days)
    deadline = Deadline.objects.get(content_type=ContentType.objects.get_for_model(Assignment), object_id=part.pk,
                                    policy__code="suggestion_reply")
    due, explanation = compute_due(start=start, unit=deadline.unit, amount=deadline.amount,
                                   roll_to_workday=deadline.roll_to_workday, calendar=calendar_load())
    assert due < timezone.localdate()
    Deadline.objects.filter(pk=deadline.pk).update(start=start, due=due, explanation=str(explanation))
    services.sync_due(part.suggestion_id)
    deadlines_mark_overdue(today=timezone.localdate())
    return due


# --- supervision of an overdue part ------------------------------------------------------------------------------
def test_the_supervision_page_leads_to_an_overdue_part_which_is_reminded(browser, live_server, world):
    w = world
    late = to_assigned(w, co=False, title="关于修复城区破损人行道的建议")
    on_time = to_assigned(w, co=False, title="关于增设学校周边交通信号灯的建议")
    lead, _ = parts(late)
    services.assignment_sign(actor=act(w, "unit"), assignment_id=lead.pk)
    due = assigned_long_ago(lead, days=100)

    with signed_in(browser, live_server, "staff") as page:
        go(page, live_server, "/suggestions/supervision/")
        loads = page.get_by_test_id("overdue-by-unit")
        row = loads.get_by_role("row").filter(has_text="市住房和城乡建设局")
        expect(row.get_by_role("cell")).to_have_text(["市住房和城乡建设局", "2", "1"])
        screenshot(page, "suggestion-office-supervision-overdue-desktop")
        axe_check(page)
        row.get_by_role("link", name="1", exact=True).click()
        expect(page.get_by_label("已超期")).to_be_checked()
        table = page.get_by_test_id("office-list")
        expect(page.get_by_test_id("count")).to_have_text("共 1 件")
        expect(table).not_to_contain_text(on_time.title)
        expect(table.get_by_role("row").filter(has_text=late.title)).to_contain_text(f"已超期 {due.isoformat()}")
        table.get_by_role("link", name=late.title).click()
        open_panel(page, "催办 / 督办意见")
        expect(page.get_by_label("催办", exact=True)).to_be_checked()
        page.get_by_label("发给").select_option(label="市住房和城乡建设局")
        page.get_by_label("内容", exact=True).fill("答复已超期，请于 5 个工作日内答复代表。")
        page.get_by_role("button", name="确定：催办 / 督办意见").click()
        said(page, "已发送。")
        expect(section(page, "催办与督办")).to_contain_text("催办（市住房和城乡建设局）：答复已超期")
        screenshot(page, "suggestion-office-reminded-desktop")

    # The unit finds it among its overdue parts, with the reminder.
    with signed_in(browser, live_server, "unit") as page:
        go(page, live_server, "/suggestions/unit/")
        page.get_by_label("只看已超期").check()
        page.get_by_role("button", name="筛选").click()
        inbox = page.get_by_test_id("unit-inbox")
        expect(inbox.locator("li")).to_have_count(1)
        expect(inbox).to_contain_text(late.title)
        inbox.get_by_role("link", name=late.title).click()
        expect(page.locator(".timeline")).to_contain_text("答复已超期，请于 5 个工作日内答复代表。")
        expect(part_card(page, w.unit)).to_contain_text(f"已超期 {due.isoformat()}")
        expect(part_card(page, w.unit).locator(".deadline")).to_contain_text("已逾期")
        axe_check(page)
