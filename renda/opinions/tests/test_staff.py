"""The office's pages: all-opinions list (filters, keyset pages, bounded queries), export, offline entry."""

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.utils import timezone

from renda.core.models import ExportLog
from renda.opinions import selectors_staff, services
from renda.opinions.models import Category, Opinion
from renda.opinions.tests.factories import as_role, submit


def _sub(world, **kw) -> Opinion:
    """Like factories.submit, but any field (category, community…) can be set."""
    base = dict(category_id=Category.objects.get(code="urban").pk, title="小区电梯坏了", text="电梯坏了。",
                community_id=world.community.pk, citizen_name="王小明", citizen_phone="13811112222",
                deputy_id=world.deputy.pk)
    base.update(kw)
    return services.opinion_submit(**base)[0]


CODE_RE = re.compile(r'data-code="([A-Z0-9]+)"')


def codes(response) -> list[str]:
    assert response.status_code == 200
    return CODE_RE.findall(response.content.decode())


@pytest.fixture
def items(world):
    """A handful of city opinions that differ in one attribute each."""
    other_cat = Category.objects.exclude(code="urban").order_by("id").first()
    o = {}
    o["lift"] = submit(world, title="电梯坏了", text="3号楼电梯停运一个月。")
    o["lamp"] = _sub(world, title="路灯不亮", text="村口路灯坏了。", category_id=other_cat.pk,
                     community_id=None, citizen_phone="")
    o["deputy2"] = _sub(world, title="菜场噪音", text="清晨卸货噪音大。", deputy_id=world.deputy2.pk)
    o["forwarded"] = submit(world, title="公交站台破损", text="站台顶棚漏雨。")
    deputy = as_role(world, "deputy")
    services.opinion_accept(opinion_id=o["forwarded"].pk, actor=deputy)
    services.opinion_forward(opinion_id=o["forwarded"].pk, actor=deputy, unit_ids=[world.unit.pk], note="请核实")
    o["offline"] = services.opinion_enter_offline(
        actor=as_role(world, "staff"), congress=world.city, offline_event="民声茶坊",
        offline_event_date=dt.date(2026, 1, 5),
        category_id=other_cat.pk, title="停车难", text="小区停车位不足。", deputy_id=world.deputy.pk)
    o["other_town"] = _sub(world, title="浏河镇的意见", text="浏河镇河道垃圾。", deputy_id=world.other_deputy.pk,
                           community_id=world.other_community.pk)
    # The lamp item: overdue, and from no town (a hotline item not yet routed, say).
    Opinion.objects.filter(pk=o["lamp"].pk).update(current_due=timezone.localdate() - dt.timedelta(days=3),
                                                   town=None)
    Opinion.objects.filter(pk=o["deputy2"].pk).update(
        submitted_at=timezone.make_aware(dt.datetime(2024, 3, 1, 9, 0)))
    for v in o.values():
        v.refresh_from_db()
    world.cat2 = other_cat
    return o


def test_list_is_scoped_to_the_congress(world, client_for, items):
    listed = codes(client_for("staff").get("/opinions/all/"))
    assert items["lift"].tracking_code in listed
    assert items["other_town"].tracking_code not in listed
    assert len(listed) == 5


@pytest.mark.parametrize(("query", "expected"), [
    ("status=forwarded", ["forwarded"]),
    ("category={cat2}", ["lamp", "offline"]),
    ("deputy={deputy2}", ["deputy2"]),
    ("unit={unit}", ["forwarded"]),
    ("community={community}", ["lift", "deputy2", "forwarded"]),
    ("town={town}", ["lift", "deputy2", "forwarded", "offline"]),
    ("channel=offline", ["offline"]),
    ("overdue=on", ["lamp"]),
    ("q=电梯", ["lift"]),
    ("q=噪音", ["deputy2"]),
    ("submitted_from=2024-01-01&submitted_to=2024-12-31", ["deputy2"]),
    ("status=forwarded&q=电梯", []),
])
def test_each_filter_narrows_the_list(world, client_for, items, query, expected):
    query = query.format(cat2=world.cat2.pk, deputy2=world.deputy2.pk, unit=world.unit.pk,
                         community=world.community.pk, town=world.town_place.pk)
    listed = codes(client_for("staff").get("/opinions/all/?" + query))
    assert sorted(listed) == sorted(items[k].tracking_code for k in expected)


@pytest.mark.parametrize("query", [
    "town=abc", "deputy=999999", "community=-1", "category=1.5", "status=bogus", "channel=x", "overdue=maybe",
    "submitted_from=2024-13-45", "submitted_from=2025-01-01&submitted_to=2024-01-01", "after=garbage",
    "after=99999999999999999999999999_1", "after=1_0", "q=" + "长" * 60, "q=%00%27%22", "q=***", "unit=1e9",
])
def test_bad_filter_values_never_500(world, client_for, items, query):
    response = client_for("staff").get("/opinions/all/?" + query)
    assert response.status_code == 200


def test_bad_id_is_reported_and_other_filters_still_apply(world, client_for, items):
    response = client_for("staff").get("/opinions/all/?deputy=abc&status=forwarded")
    assert codes(response) == [items["forwarded"].tracking_code]
    assert "invalid-feedback" in response.content.decode()


def test_keyset_pages_have_no_overlap_and_no_loss(world, client_for, monkeypatch):
    monkeypatch.setattr(selectors_staff, "PAGE_SIZE", 3)
    made = [submit(world, title=f"意见{i}") for i in range(8)]
    # Ties on submitted_at must be broken by id, not lost at a page boundary.
    same = timezone.make_aware(dt.datetime(2025, 6, 1, 8, 0, 0, 123456))
    Opinion.objects.filter(pk__in=[o.pk for o in made[2:6]]).update(submitted_at=same)
    client = client_for("staff")
    seen, url, pages = [], "/opinions/all/", 0
    while url:
        response = client.get(url)
        page_codes = codes(response)
        assert len(page_codes) <= 3
        seen += page_codes
        pages += 1
        m = re.search(r'rel="next" href="([^"]+)"', response.content.decode())
        url = "/opinions/all/" + m.group(1).replace("&amp;", "&") if m else ""
    assert pages == 3
    assert len(seen) == len(set(seen)) == 8
    assert set(seen) == {o.tracking_code for o in made}


def test_keyset_keeps_filters_on_next_page(world, client_for, monkeypatch):
    monkeypatch.setattr(selectors_staff, "PAGE_SIZE", 2)
    for i in range(3):
        submit(world, title=f"电梯{i}")
    _sub(world, title="路灯", text="路灯不亮。")
    response = client_for("staff").get("/opinions/all/?q=电梯")
    m = re.search(r'rel="next" href="\?([^"]+)"', response.content.decode())
    assert m and "q=" in m.group(1)
    second = client_for("staff").get("/opinions/all/?" + m.group(1).replace("&amp;", "&"))
    assert len(codes(second)) == 1


def test_count_is_capped(world, client_for, monkeypatch):
    monkeypatch.setattr(selectors_staff, "COUNT_CAP", 2)
    for i in range(4):
        submit(world, title=f"意见{i}")
    html = client_for("staff").get("/opinions/all/").content.decode()
    assert "共 2+ 条" in html


def test_list_query_count_is_bounded(world, client_for, django_assert_max_num_queries, items):
    client = client_for("staff")
    client.get("/opinions/all/")  # warm caches (content types, categories)
    with django_assert_max_num_queries(14) as small:
        client.get("/opinions/all/?q=电梯&overdue=on")
    for i in range(25):
        submit(world, title=f"新意见{i}")
    with django_assert_max_num_queries(14) as large:
        response = client.get("/opinions/all/")
    assert len(codes(response)) == 30
    assert len(large.captured_queries) <= len(small.captured_queries) + 1


def test_list_shows_deadline_policies(world, client_for):
    html = client_for("staff").get("/opinions/all/").content.decode()
    assert "期限设置" in html and "/calendar/policies/" in html
    assert "群众意见承办单位答复" in html and "15 个工作日" in html


def test_script_in_title_is_escaped_in_the_list(world, client_for):
    submit(world, title="<script>alert(1)</script>")
    html = client_for("staff").get("/opinions/all/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("role", ["deputy", "unit", "norole", "discipline"])
def test_list_is_for_the_office(world, client_for, role):
    assert client_for(role).get("/opinions/all/").status_code == 403


# --- export --------------------------------------------------------------------------------------------
def test_export_needs_a_reason_and_logs_it(world, client_for, items):
    client = client_for("staff")
    assert "导出理由" in client.get("/opinions/all/export/?status=forwarded").content.decode()
    response = client.post("/opinions/all/export/?status=forwarded", {"reason": ""})
    assert response.status_code == 200 and "请填写导出理由" in response.content.decode()
    assert ExportLog.objects.count() == 0
    response = client.post("/opinions/all/export/?status=forwarded", {"reason": "季度核对"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    log = ExportLog.objects.get()
    assert (log.reason, log.row_count, log.user, log.includes_personal_data) == ("季度核对", 1,
                                                                                world.users["staff"], True)
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == items["forwarded"].tracking_code
    assert "13811112222" in rows[1] and world.unit.name in rows[1]


def test_director_export_masks_phones(world, client_for, items):
    response = client_for("director").post("/opinions/all/export/?q=电梯", {"reason": "了解情况"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2
    assert "138****2222" in rows[1] and "13811112222" not in rows[1]
    assert ExportLog.objects.get().includes_personal_data is False


def test_export_refuses_too_many_rows(world, client_for, items, monkeypatch):
    from renda.opinions import exports

    monkeypatch.setattr(exports, "EXPORT_MAX_ROWS", 2)
    response = client_for("staff").post("/opinions/all/export/", {"reason": "全部"})
    assert response.status_code == 200 and "请缩小筛选范围" in response.content.decode()
    assert ExportLog.objects.count() == 0


# --- offline entry -----------------------------------------------------------------------------------
def _entry(world, **over):
    data = {"offline_event": "民生夜话", "offline_event_date": "2026-01-05", "addressee": f"d:{world.deputy.pk}",
            "category": Category.objects.get(code="urban").pk, "community": world.community.pk,
            "title": "广场灯光太暗", "text": "晚上跳舞看不清。", "citizen_name": "李阿姨",
            "citizen_phone": "13900001111",
            "idempotency_key": "7b0c3f5e-2c1e-4d7a-9a51-5b1f1d7c0a11"}
    data.update(over)
    return data


def test_offline_entry_follows_the_normal_flow(world, client_for):
    client = client_for("staff")
    response = client.post("/opinions/enter/", _entry(world))
    opinion = Opinion.objects.get(title="广场灯光太暗")
    assert response.status_code == 302 and response["Location"] == f"/opinions/{opinion.pk}/"
    assert (opinion.channel, opinion.offline_event, opinion.status) == ("offline", "民生夜话", "submitted")
    assert opinion.entered_by == world.users["staff"] and opinion.deputy == world.deputy
    assert opinion.current_due is not None
    # A retried POST (same form) gives the same opinion, not a second one.
    again = client.post("/opinions/enter/", _entry(world))
    assert again["Location"] == f"/opinions/{opinion.pk}/"
    assert Opinion.objects.filter(title="广场灯光太暗").count() == 1


@pytest.mark.parametrize(("over", "message"), [
    ({"offline_event": ""}, "这个字段是必填项"),
    ({"offline_event_date": "2099-01-01"}, "活动日期不能晚于今天"),
    ({"citizen_phone": "123"}, "手机号须为 11 位数字"),
    ({"addressee": "d:999999"}, "选择一个有效的选项"),
    ({"title": "x" * 101}, "101"),
])
def test_offline_entry_bad_input_keeps_the_form(world, client_for, over, message):
    response = client_for("staff").post("/opinions/enter/", _entry(world, **over))
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert "晚上跳舞看不清" in html
    assert not Opinion.objects.filter(title="广场灯光太暗").exists()


def test_town_staff_enters_for_their_station(world, client_for):
    response = client_for("town_staff").post("/opinions/enter/", _entry(
        world, addressee=f"s:{world.station.pk}", title="<script>x</script>"))
    opinion = Opinion.objects.get(offline_event="民生夜话")
    assert response.status_code == 302 and opinion.station == world.station and opinion.congress == world.town


def test_list_rows_name_the_addressee_community_and_category(world, client_for, items):
    from renda.deputies.models import Deputy

    # A deputy who left since is not among the filter's choices, but the row still names them.
    Deputy.objects.filter(pk=world.deputy2.pk).update(status=Deputy.Status.TERMINATED)
    html = client_for("staff").get("/opinions/all/").content.decode()
    row = re.search(rf'<tr data-code="{items["deputy2"].tracking_code}">(.*?)</tr>', html, re.S).group(1)
    assert world.deputy2.person.name in row and items["deputy2"].category.name in row
    assert world.community.name in row
    lamp = re.search(rf'<tr data-code="{items["lamp"].tracking_code}">(.*?)</tr>', html, re.S).group(1)
    assert world.cat2.name in lamp and "—" in lamp
