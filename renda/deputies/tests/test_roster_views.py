"""Roster pages end to end: upload → preview → confirm, permissions, export with its log, template."""

import io
import re

import pytest
from django.urls import NoReverseMatch, include, path, reverse
from openpyxl import load_workbook

import config.urls as root_urls
from renda.core.models import Attachment, ExportLog
from renda.deputies import roster
from renda.deputies.models import Deputy, Person
from renda.deputies.tests.test_roster import people, row, upload, xlsx


def _roster_included() -> bool:
    try:
        reverse("roster:import", urlconf=root_urls)
    except NoReverseMatch:
        return False
    return True


# Until the lead includes urls_roster in config/urls.py, these tests mount it themselves.
urlpatterns = list(root_urls.urlpatterns)
if not _roster_included():
    urlpatterns.insert(0, path("deputies/roster/", include("renda.deputies.urls_roster")))
pytestmark = pytest.mark.urls(__name__)

IMPORT, CONFIRM, EXPORT, TEMPLATE = "/deputies/roster/import/", "/deputies/roster/import/confirm/", \
    "/deputies/roster/export/", "/deputies/roster/template/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def token_in(html: str) -> str:
    m = re.search(r'name="token" value="([^"]+)"', html)
    return m.group(1) if m else ""


def test_url_names():
    assert reverse("roster:import") == IMPORT
    assert reverse("roster:import_confirm") == CONFIRM
    assert reverse("roster:export") == EXPORT
    assert reverse("roster:template") == TEMPLATE


def test_import_end_to_end(world, client_for):
    c = client_for("staff")
    page = c.get(IMPORT)
    assert page.status_code == 200 and "导入代表名册" in page.text
    before = Deputy.objects.count()

    r = c.post(IMPORT, {"file": upload(xlsx(people(3)))})
    assert r.status_code == 200
    assert "全部 3 行校验通过" in r.text
    assert Deputy.objects.count() == before
    token = token_in(r.text)
    assert token

    r = c.post(CONFIRM, {"token": token})
    assert r.status_code == 302 and r["Location"] == reverse("deputies:list")
    assert Deputy.objects.count() == before + 3
    follow = c.get(r["Location"])
    assert "已导入 3 名代表（新建人员 3 人，复用已有人员 0 人）" in follow.text
    # A token is good for one import only.
    assert c.post(CONFIRM, {"token": token}).status_code == 404
    assert Deputy.objects.count() == before + 3


def test_upload_spooled_to_a_temporary_file_works(world, client_for, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000  # larger uploads go to disk, as big rosters do
    c = client_for("staff")
    token = token_in(c.post(IMPORT, {"file": upload(xlsx(people(20)))}).text)
    assert c.post(CONFIRM, {"token": token}).status_code == 302
    assert Deputy.objects.filter(person__name__startswith="代表").count() == 20


def test_htmx_confirm_redirects_the_client(world, client_for):
    c = client_for("staff")
    r = c.post(IMPORT, {"file": upload(xlsx(people(1)))}, headers={"HX-Request": "true"})
    r = c.post(CONFIRM, {"token": token_in(r.text)}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and r["HX-Redirect"] == reverse("deputies:list")


def test_broken_rows_are_listed_and_nothing_is_written(world, client_for):
    rows = people(3)
    rows[2]["出生日期"] = "1970-13-01"
    rows[0]["手机"] = "123"
    before = (Deputy.objects.count(), Person.objects.count(), Attachment.objects.count())
    r = client_for("staff").post(IMPORT, {"file": upload(xlsx(rows))})
    assert r.status_code == 200
    assert "第4行「出生日期」：无法识别的日期“1970-13-01”" in r.text
    assert "第2行「手机」：手机号码格式不正确“123”（应为11位手机号）" in r.text
    assert "发现 2 处问题，未写入任何数据" in r.text
    assert token_in(r.text) == ""
    assert (Deputy.objects.count(), Person.objects.count(), Attachment.objects.count()) == before


def test_html_in_cells_is_escaped_in_the_preview(world, client_for):
    evil = "<script>alert(1)</script>"
    r = client_for("staff").post(IMPORT, {"file": upload(xlsx([row(**{"姓名": evil, "选区": "<b>x</b>"})]))})
    assert evil not in r.text and "<b>x</b>" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert "本届没有名为“&lt;b&gt;x&lt;/b&gt;”的选区" in r.text


def test_revalidation_at_confirm_shows_the_new_problems(world, client_for):
    c = client_for("staff")
    rows = people(2)
    token = token_in(c.post(IMPORT, {"file": upload(xlsx(rows))}).text)
    world.city_district.name = "第5选区（已调整）"
    world.city_district.save()
    before = Deputy.objects.count()
    r = c.post(CONFIRM, {"token": token})
    assert r.status_code == 200
    assert "预览之后数据已发生变化" in r.text
    assert "第2行「选区」：本届没有名为“第5选区”的选区" in r.text
    assert Deputy.objects.count() == before


@pytest.mark.parametrize("name,content", [
    ("名册.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),
    ("名册.xlsx", "姓名,性别\n张三,男\n".encode()),
    ("名册.csv", "姓名,性别\n张三,男\n".encode()),
])
def test_disguised_uploads_get_a_form_error(world, client_for, name, content):
    r = client_for("staff").post(IMPORT, {"file": upload(content, name)})
    assert r.status_code == 200
    assert "is-invalid" in r.text and ("已拒绝" in r.text or "不支持的文件类型" in r.text)
    assert Attachment.objects.count() == 0


def test_zip_bomb_upload_is_refused_before_openpyxl_opens_it(world, client_for, monkeypatch):
    from renda.core.tests.test_attachments import zip_bomb

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not see a rejected file")

    monkeypatch.setattr(roster, "load_workbook", never)
    r = client_for("staff").post(IMPORT, {"file": upload(zip_bomb(101 * 1024 * 1024))})
    assert r.status_code == 200
    assert "文件“代表名册.xlsx”解压后过大或压缩比异常（疑似压缩炸弹），已拒绝。" in r.text
    r = client_for("staff").post(IMPORT, {"file": upload(b"\x7fELF\x02\x01\x01" + b"\x00" * 300)})
    assert "文件“代表名册.xlsx”的内容是可执行程序（ELF），不是Excel 工作簿（.xlsx），已拒绝。" in r.text
    assert Attachment.objects.count() == 0


def test_oversize_upload_gets_a_form_error(world, client_for, settings):
    settings.RENDA_ATTACHMENT_MAX_BYTES = 2000
    r = client_for("staff").post(IMPORT, {"file": upload(xlsx(people(30)))})
    assert "文件过大" in r.text and "单个文件不能超过 2 KB" in r.text


def test_missing_file_gets_a_form_error(world, client_for):
    r = client_for("staff").post(IMPORT, {})
    assert r.status_code == 200 and "请选择要上传的 Excel 文件（.xlsx）。" in r.text


def test_who_may_not_import(world, client_for):
    for role in ["deputy", "unit", "director", "discipline", "evaluatee", "norole", "admin"]:
        c = client_for(role)
        assert c.get(IMPORT).status_code == 403, role
        assert c.post(IMPORT, {"file": upload(xlsx(people(1)))}).status_code == 403, role
        assert c.get(TEMPLATE).status_code == 403, role
        assert c.post(CONFIRM, {"token": "x"}).status_code == 403, role
    assert Attachment.objects.count() == 0


def test_anonymous_is_sent_to_login(world, client_for):
    c = client_for("anonymous")
    for url in (IMPORT, TEMPLATE, EXPORT):
        r = c.get(url)
        assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    r = c.post(IMPORT, {"file": upload(xlsx(people(1)))})
    assert r.status_code == 302 and Attachment.objects.count() == 0


def test_town_staff_import_into_their_own_town_only(world, client_for):
    c = client_for("town_staff")
    city_district_row = people(1)  # 第5选区 belongs to the city congress
    r = c.post(IMPORT, {"file": upload(xlsx(city_district_row))})
    assert "本届没有名为“第5选区”的选区" in r.text
    town_rows = people(1, district="新港选区", group="")
    token = token_in(c.post(IMPORT, {"file": upload(xlsx(town_rows))}).text)
    assert c.post(CONFIRM, {"token": token}).status_code == 302
    assert Deputy.objects.filter(person__name="代表00000").get().congress == world.town


def test_other_town_staff_cannot_confirm_someone_elses_preview(world, client_for):
    token = token_in(client_for("town_staff").post(IMPORT, {"file": upload(xlsx(people(1, district="新港选区",
                                                                                          group="")))}).text)
    before = Deputy.objects.count()
    other = client_for("other_town_staff")
    assert other.post(CONFIRM, {"token": token}).status_code == 404
    assert client_for("staff").post(CONFIRM, {"token": token}).status_code == 404
    assert Deputy.objects.count() == before


def test_tampered_token_is_not_found(world, client_for):
    c = client_for("staff")
    token = token_in(c.post(IMPORT, {"file": upload(xlsx(people(1)))}).text)
    assert c.post(CONFIRM, {"token": token[:-3] + "abc"}).status_code == 404
    assert c.post(CONFIRM, {}).status_code == 404


def test_uploaded_file_is_downloadable_by_its_uploader_only(world, client_for):
    client_for("staff").post(IMPORT, {"file": upload(xlsx(people(1)))})
    att = Attachment.objects.get()
    assert client_for("staff").get(f"/files/{att.pk}/").status_code == 200
    for role in ("director", "town_staff", "unit", "anonymous"):
        assert client_for(role).get(f"/files/{att.pk}/").status_code == 404


# --- template ------------------------------------------------------------------------------
def test_template_download(world, client_for):
    r = client_for("town_staff").get(TEMPLATE)
    assert r.status_code == 200
    assert r["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert r["Content-Disposition"].startswith("attachment;")
    wb = load_workbook(io.BytesIO(r.content))
    assert [c.value for c in wb["可选值"]["A"] if c.value] == ["选区", "新港选区"]


# --- export --------------------------------------------------------------------------------
def _sheet(content: bytes):
    ws = load_workbook(io.BytesIO(content))["代表名册"]
    return [[c.value for c in r] for r in ws.iter_rows()]


def test_export_requires_a_reason(world, client_for):
    c = client_for("staff")
    page = c.get(EXPORT)
    n = Deputy.objects.filter(congress=world.city).count()
    assert page.status_code == 200 and f"将导出 {n} 名代表" in page.text
    r = c.post(EXPORT, {"reason": "   "})
    assert r.status_code == 200 and "请填写导出理由。" in r.text
    r = c.post(EXPORT, {"reason": "长" * 501})
    assert r.status_code == 200 and "导出理由不能超过 500 个字。" in r.text
    assert ExportLog.objects.count() == 0


def test_director_export_is_logged_and_masked(world, client_for):
    r = client_for("director").post(EXPORT, {"reason": "常委会审议代表资格报告需要"})
    assert r.status_code == 200
    assert r["Content-Disposition"].startswith("attachment;")
    log = ExportLog.objects.get()
    n = Deputy.objects.filter(congress=world.city).count()
    assert (log.user, log.congress, log.reason, log.row_count) == (world.users["director"], world.city,
                                                                   "常委会审议代表资格报告需要", n)
    assert log.includes_personal_data and "代表名册" in log.what
    rows = _sheet(r.content)
    assert rows[0] == [c.header for c in roster.COLUMNS]
    zhang = next(x for x in rows if x[0] == "张建国")
    assert zhang[9] == "138****5678" and zhang[10] == "320585********1234" and zhang[11] == "z****@example.org"
    cells = {str(v) for r_ in rows for v in r_}
    assert not cells & {"13812345678", "13987654321", "320585197001011234", "zhang@example.org"}


def test_staff_export_has_contacts_and_follows_filters(world, client_for):
    r = client_for("staff").post(EXPORT, {"reason": "换届选举准备", "sector": "cadre"})
    rows = _sheet(r.content)
    assert len(rows) == 2 and rows[1][0] == "张建国" and rows[1][9] == "13812345678"
    assert ExportLog.objects.get().row_count == 1


def test_export_never_writes_formulas(world, client_for):
    Person.objects.filter(pk=world.person.pk).update(name="=HYPERLINK(\"http://x\",\"y\")")
    r = client_for("staff").post(EXPORT, {"reason": "核对"})
    ws = load_workbook(io.BytesIO(r.content))["代表名册"]
    cell = next(c for c in ws["A"] if c.value and str(c.value).startswith("="))
    assert cell.data_type == "s"


def test_who_may_not_export(world, client_for):
    for role in ["deputy", "unit", "discipline", "evaluatee", "norole", "admin"]:
        c = client_for(role)
        assert c.get(EXPORT).status_code == 403, role
        assert c.post(EXPORT, {"reason": "x"}).status_code == 403, role
    assert ExportLog.objects.count() == 0


def test_town_staff_export_sees_only_their_town(world, client_for):
    r = client_for("town_staff").post(EXPORT, {"reason": "镇人大换届"})
    names = [x[0] for x in _sheet(r.content)[1:]]
    assert names == ["张建国"]
    assert ExportLog.objects.get().congress == world.town


def test_bad_filter_values_are_a_form_error_not_a_500(world, client_for):
    c = client_for("staff")
    assert c.get(EXPORT + "?group=abc&status=bogus").status_code == 200
    r = c.post(EXPORT, {"reason": "x", "group": "abc"})
    assert r.status_code == 200 and ExportLog.objects.count() == 0
