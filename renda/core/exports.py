"""Bulk exports: the personal-data export log and an xlsx writer every list can reuse.

An export of personal data always records who, when, what, why and how many rows
(`export_log_create`, called by the feature's export service in the same request that builds the
file). The reason is required: `ExportReasonForm` is the form every export page shows.

`xlsx_build` writes with openpyxl's write-only mode (rows stream to a temporary file, so 10,000+
rows stay cheap in memory). Every text cell is written as text: a value such as "=HYPERLINK(…)"
from user input must never become a live formula in the exported workbook.
"""

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from .attachments import XLSX_MIME
from .models import ExportLog

REASON_MAX_LENGTH = 500
ERR_REASON_REQUIRED = _("请填写导出理由。")
ERR_REASON_TOO_LONG = _("导出理由不能超过 %(max)s 个字。")
ERR_REASON_FORM_TOO_LONG = _("导出理由不能超过 %(limit_value)s 个字。")  # Django's validator names it so

# Each congress's own office and leadership audit that congress's exports.
EXPORT_LOG_ROLES = {"staff", "director", "town_staff"}


class ExportReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("导出理由"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("导出含个人信息的数据须说明用途，将记入导出记录。"),
        error_messages={"required": ERR_REASON_REQUIRED, "max_length": ERR_REASON_FORM_TOO_LONG},
    )


def export_log_create(*, user, what: str, reason: str, row_count: int, congress=None,
                      includes_personal_data: bool = True) -> ExportLog:
    """Record one bulk export. Raises ValidationError when the reason is missing or too long."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(ERR_REASON_REQUIRED, code="reason_required")
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(ERR_REASON_TOO_LONG, code="reason_too_long", params={"max": REASON_MAX_LENGTH})
    return ExportLog.objects.create(
        congress=congress,
        user=user,
        what=str(what)[:100],
        reason=reason,
        row_count=row_count,
        includes_personal_data=includes_personal_data,
    )


def export_log_list_for_user(*, user) -> QuerySet[ExportLog]:
    """The export log of the user's active congress, for its office and directors; nobody else."""
    qs = ExportLog.objects.select_related("user", "congress").order_by("-id")
    if user.is_superuser:
        return qs
    a = getattr(user, "active_assignment", None)
    if a is None or a.role not in EXPORT_LOG_ROLES:
        return qs.none()
    return qs.filter(congress_id=a.congress_id)


def export_log_visible(*, user) -> bool:
    a = getattr(user, "active_assignment", None)
    return bool(user.is_superuser or (a is not None and a.role in EXPORT_LOG_ROLES))


# --- xlsx -----------------------------------------------------------------------------------
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="9B1C1C")


@dataclass
class XlsxSheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] = field(default_factory=list)
    freeze_header: bool = True


def xlsx_text(value: Any) -> Any:
    """A cell value safe to write: control characters dropped (openpyxl refuses them)."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _cell(ws, value: Any):
    value = xlsx_text(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    if isinstance(value, str) and value.startswith("="):
        # openpyxl turns any string starting with "=" into a formula: force it back to text.
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


def xlsx_write_sheet(wb: Workbook, sheet: XlsxSheet) -> int:
    """Append one sheet to a write-only workbook; returns the number of data rows written."""
    ws = wb.create_sheet(title=sheet.title[:31])
    for i, width in enumerate(sheet.widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    if sheet.freeze_header:
        ws.freeze_panes = "A2"
    header = []
    for h in sheet.headers:
        c = WriteOnlyCell(ws, value=xlsx_text(str(h)))
        c.font = HEADER_FONT
        c.fill = HEADER_FILL
        header.append(c)
    ws.append(header)
    count = 0
    for row in sheet.rows:
        ws.append([_cell(ws, v) for v in row])
        count += 1
    return count


def xlsx_build(*, sheets: Sequence[XlsxSheet]) -> tuple[bytes, list[int]]:
    """Build a workbook; returns its bytes and the data-row count of each sheet."""
    wb = Workbook(write_only=True)
    counts = [xlsx_write_sheet(wb, s) for s in sheets]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), counts


def download_response(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    """A generated file as a download: private, never cached, never sniffed, with a UTF-8 file name."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def xlsx_response(*, content: bytes, filename: str) -> HttpResponse:
    """An xlsx download (see download_response)."""
    return download_response(content, content_type=XLSX_MIME, filename=filename)
