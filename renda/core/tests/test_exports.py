"""The personal-data export log and the shared xlsx writer."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import path
from openpyxl import load_workbook

import config.urls as root_urls
from renda.core import views
from renda.core.exports import ExportReasonForm, XlsxSheet, export_log_create, xlsx_build, xlsx_response
from renda.core.models import ExportLog

# The export log page is mounted here until the lead adds it to renda/core/urls.py.
urlpatterns = [path("test-exports/", views.export_log_list), *root_urls.urlpatterns]
LOG_URL = "/test-exports/"


def test_reason_is_required_and_bounded(world):
    staff = world.users["staff"]
    with pytest.raises(ValidationError) as exc:
        export_log_create(user=staff, what="代表名册", reason="  \n ", row_count=3, congress=world.city)
    assert exc.value.messages == ["请填写导出理由。"]
    with pytest.raises(ValidationError) as exc:
        export_log_create(user=staff, what="代表名册", reason="x" * 501, row_count=3)
    assert exc.value.messages == ["导出理由不能超过 500 个字。"]
    assert ExportLog.objects.count() == 0
    log = export_log_create(user=staff, what="代表名册", reason=" 换届 ", row_count=3, congress=world.city)
    assert (log.reason, log.row_count, log.includes_personal_data) == ("换届", 3, True)
    assert log.created_at is not None


def test_reason_form():
    assert not ExportReasonForm({"reason": ""}).is_valid()
    assert ExportReasonForm({"reason": "x" * 501}).errors["reason"] == ["导出理由不能超过 500 个字。"]
    assert ExportReasonForm({"reason": "审计"}).is_valid()


def test_xlsx_build_writes_text_never_formulas():
    rows = [["=1+1", "+86 138", "a\x00b\x1fc", dt.date(2026, 1, 4), 42, None, "<b>粗</b>"]]
    content, counts = xlsx_build(sheets=[XlsxSheet(title="名单", headers=["A", "B", "C", "D", "E", "F", "G"],
                                                   rows=iter(rows), widths=[10] * 7)])
    assert counts == [1]
    ws = load_workbook(io.BytesIO(content))["名单"]
    cells = list(ws.iter_rows(min_row=2, values_only=False))[0]
    assert cells[0].value == "=1+1" and cells[0].data_type == "s"
    assert [c.value for c in cells[1:5]] == ["+86 138", "abc", dt.datetime(2026, 1, 4), 42]
    assert cells[6].value == "<b>粗</b>"
    assert ws.freeze_panes == "A2"


def test_xlsx_build_many_rows_and_sheets():
    content, counts = xlsx_build(sheets=[
        XlsxSheet(title="一", headers=["n"], rows=([i] for i in range(3000))),
        XlsxSheet(title="二", headers=["n"], rows=[]),
    ])
    assert counts == [3000, 0]
    wb = load_workbook(io.BytesIO(content), read_only=True)
    assert wb.sheetnames == ["一", "二"]


def test_xlsx_response_headers():
    r = xlsx_response(content=b"PK", filename="代表名册 2026.xlsx")
    assert r["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert r["Content-Disposition"].startswith("attachment;") and "filename*=utf-8''" in r["Content-Disposition"]
    assert r["X-Content-Type-Options"] == "nosniff" and "no-store" in r["Cache-Control"]


@pytest.mark.urls(__name__)
def test_export_log_page_is_scoped(world, client_for):
    export_log_create(user=world.users["staff"], what="代表名册", reason="市里的理由<script>", row_count=2,
                      congress=world.city)
    export_log_create(user=world.users["town_staff"], what="代表名册", reason="镇里的理由", row_count=1,
                      congress=world.town)
    for role in ("staff", "director"):
        r = client_for(role).get(LOG_URL)
        assert r.status_code == 200
        assert "市里的理由&lt;script&gt;" in r.text and "镇里的理由" not in r.text
    r = client_for("town_staff").get(LOG_URL)
    assert "镇里的理由" in r.text and "市里的理由" not in r.text
    for role in ("deputy", "unit", "discipline", "norole"):
        assert client_for(role).get(LOG_URL).status_code == 403
    assert client_for("anonymous").get(LOG_URL).status_code == 302
