"""A deputy's suggestion through its whole cycle, every step on the pages of the person who owns it:

a deputy drafts on a phone and sees a similar earlier suggestion; another deputy co-signs on a phone;
staff accept and assign to a lead and a co-unit; the co-unit's views reach the lead; the lead records
its contact with the deputy and replies with class B; the deputy rates 不满意; the unit re-handles; the
deputy rates 满意; staff publish the reply, and the public reads it.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import COMMON, PHONE
from e2e.helpers import axe_check, close_checked, open_as, screenshot
from renda.suggestions.models import Assignment, Suggestion
from renda.suggestions.world import PDF, base, to_replied
from renda.testing import build_world, ensure_seeded

pytestmark = pytest.mark.e2e


def _open(page, label: str):
    page.locator("summary", has_text=label).first.click()


def test_the_whole_suggestion_cycle(browser, live_server, tmp_path):
    ensure_seeded()
    w = build_world()
    base(w)
    earlier = to_replied(w, title="关于老旧小区加装电梯补贴的建议")
    pdf = tmp_path / "答复函.pdf"
    pdf.write_bytes(PDF)

    # 1. The deputy drafts on a phone; the similar earlier suggestion shows while typing.
    ctx, page, problems = open_as(browser, live_server, "deputy", phone=True)
    page.goto(live_server.url + "/suggestions/new/")
    page.get_by_label("标题").fill("关于加快老旧小区加装电梯进度的建议")
    page.get_by_label("类别").select_option(label="城乡建设")
    page.get_by_label("现状").fill("全市老旧小区住宅多为六层以下，没有电梯。")
    page.get_by_label("具体建议").fill("简化老旧小区加装电梯审批，提高电梯补贴标准。")
    expect(page.get_by_test_id("similar-list")).to_contain_text(earlier.title)
    screenshot(page, "suggestion-draft-similar-phone")
    axe_check(page)
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_role("status")).to_contain_text("草稿已保存")
    s = Suggestion.objects.get(title="关于加快老旧小区加装电梯进度的建议")
    _open(page, "邀请联名")
    page.get_by_label("邀请联名的代表").select_option(label="李秀英")
    page.get_by_role("button", name="确定：邀请联名").click()
    expect(page.get_by_test_id("signers")).to_contain_text("待确认")
    close_checked(ctx, problems)

    # 2. The invited deputy confirms on a phone.
    ctx, page, problems = open_as(browser, live_server, "deputy2", phone=True)
    page.goto(live_server.url + "/suggestions/")
    page.get_by_role("link", name=s.title).first.click()
    page.get_by_role("button", name="确认联名").click()
    expect(page.get_by_test_id("signers")).to_contain_text("已确认")
    screenshot(page, "suggestion-cosigned-phone")
    close_checked(ctx, problems)

    # 3. The author submits.
    ctx, page, problems = open_as(browser, live_server, "deputy", phone=True)
    page.goto(live_server.url + f"/suggestions/{s.pk}/")
    page.get_by_role("button", name="提交建议").click()
    expect(page.get_by_role("status")).to_contain_text("建议已提交")
    close_checked(ctx, problems)

    # 4. Staff accept and assign to a lead unit and a co-unit.
    ctx, page, problems = open_as(browser, live_server, "staff")
    page.goto(live_server.url + "/suggestions/office/?status=submitted")
    page.get_by_role("link", name=s.title).first.click()
    page.get_by_role("button", name="立案").click()
    expect(page.get_by_role("status")).to_contain_text("已立案")
    _open(page, "交办")
    page.get_by_label("主办协办").check()
    page.get_by_label("主办单位").select_option(label="市住房和城乡建设局")
    page.get_by_label("协办单位（可多选）").select_option(label="市教育局")
    page.get_by_role("button", name="确定：交办").click()
    expect(page.get_by_role("status")).to_contain_text("已交办")
    screenshot(page, "suggestion-assigned-desktop")
    axe_check(page)
    close_checked(ctx, problems)
    lead = Assignment.objects.get(suggestion=s, role="lead")
    assert Assignment.objects.filter(suggestion=s, role="co").count() == 1

    # 5. The co-unit signs and sends its views to the lead.
    ctx, page, problems = open_as(browser, live_server, "unit2")
    page.goto(live_server.url + "/suggestions/unit/")
    page.get_by_role("link", name=s.title).first.click()
    page.get_by_role("button", name="签收").click()
    _open(page, "提交协办意见")
    page.get_by_label("协办意见").fill("建议将加装电梯与老旧小区改造同步实施。")
    page.get_by_role("button", name="确定：提交协办意见").click()
    expect(page.get_by_role("status")).to_contain_text("协办意见已送主办单位")
    close_checked(ctx, problems)

    # 6. The lead sees the views, records its contact with the deputy and replies with class B.
    ctx, page, problems = open_as(browser, live_server, "unit")
    page.goto(live_server.url + f"/suggestions/parts/{lead.pk}/")
    expect(page.get_by_test_id("reply-views")).to_contain_text("同步实施")
    page.get_by_role("button", name="签收").click()
    _open(page, "记录办前联系")
    page.get_by_label("联系的代表").select_option(label="张建国")
    page.get_by_label("联系日期").fill(timezone.localdate().isoformat())
    page.get_by_label("联系方式").select_option(label="电话沟通")
    page.get_by_label("联系内容").fill("电话听取代表对办理思路的意见。")
    page.get_by_role("button", name="确定：记录办前联系").click()
    expect(page.get_by_role("status")).to_contain_text("已记录办前联系")
    _open(page, "答复代表")
    page.get_by_label("B 正在解决或列入计划").check()
    page.get_by_label("答复内容").fill("已将加装电梯列入明年城市更新计划，简化审批正在起草。")
    page.get_by_label("承诺解决时间（B类必填）").fill((timezone.localdate().replace(day=1).replace(
        year=timezone.localdate().year + 1)).isoformat())
    page.get_by_label("加盖公章的答复函（PDF）").set_input_files(str(pdf))
    page.get_by_role("button", name="确定：答复代表").click()
    expect(page.get_by_role("status")).to_contain_text("答复已送代表")
    screenshot(page, "suggestion-lead-replied-desktop")
    close_checked(ctx, problems)

    # 7. The deputy rates 不满意 on a phone: the lead re-handles.
    ctx, page, problems = open_as(browser, live_server, "deputy", phone=True)
    page.goto(live_server.url + f"/suggestions/{s.pk}/")
    form = page.get_by_test_id("rating-form")
    form.get_by_role("radio", name="不满意").check()
    form.get_by_label("意见（可选；不满意时请写明理由）").fill("进度太慢，希望今年开工。")
    form.get_by_role("button", name="提交评价").click()
    expect(page.get_by_role("status")).to_contain_text("感谢您的评价")
    expect(page.get_by_text("重新办理中").first).to_be_visible()
    screenshot(page, "suggestion-rated-unsatisfied-phone")
    close_checked(ctx, problems)

    ctx, page, problems = open_as(browser, live_server, "unit")
    page.goto(live_server.url + f"/suggestions/parts/{lead.pk}/")
    _open(page, "记录办前联系")
    page.get_by_label("联系的代表").select_option(label="张建国")
    page.get_by_label("联系日期").fill(timezone.localdate().isoformat())
    page.get_by_label("联系方式").select_option(label="登门走访")
    page.get_by_label("联系内容").fill("登门听取意见，商定今年开工。")
    page.get_by_role("button", name="确定：记录办前联系").click()
    _open(page, "答复代表")
    page.get_by_label("A 已解决或基本解决").check()
    page.get_by_label("答复内容").fill("首批 20 台电梯已开工，审批时限压缩至 15 个工作日。")
    page.get_by_label("加盖公章的答复函（PDF）").set_input_files(str(pdf))
    page.get_by_role("button", name="确定：答复代表").click()
    expect(page.get_by_role("status")).to_contain_text("答复已送代表")
    close_checked(ctx, problems)

    # 8. Both deputies rate 满意: the suggestion is closed.
    for username in ("deputy", "deputy2"):
        ctx, page, problems = open_as(browser, live_server, username, phone=True)
        page.goto(live_server.url + f"/suggestions/{s.pk}/")
        form = page.get_by_test_id("rating-form")
        form.get_by_role("radio", name="满意", exact=True).check()
        form.get_by_role("button", name="提交评价").click()
        expect(page.get_by_role("status")).to_contain_text("感谢您的评价")
        close_checked(ctx, problems)
    s.refresh_from_db()
    assert s.status == "closed" and s.outcome == "A" and s.rehandled

    # 9. Staff publish the redacted reply; the public reads it.
    ctx, page, problems = open_as(browser, live_server, "staff")
    page.goto(live_server.url + f"/suggestions/{s.pk}/")
    _open(page, "公开答复")
    page.get_by_role("button", name="确定：公开答复").click()
    expect(page.get_by_role("status")).to_contain_text("已公开")
    close_checked(ctx, problems)
    context = browser.new_context(**COMMON, **PHONE)
    page = context.new_page()
    page.goto(live_server.url + "/suggestions/public/")
    page.get_by_role("link", name=s.title).first.click()
    expect(page.get_by_test_id("published-reply")).to_contain_text("首批 20 台电梯已开工")
    screenshot(page, "suggestion-published-phone")
    axe_check(page)
    context.close()
