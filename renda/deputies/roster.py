"""The Excel roster: import with a preview, export with a recorded reason, and the blank template.

Import is two steps and writes nothing until the second:

1. `roster_import_preview` checks the upload (renda.core.attachments: size, real xlsx, no zip
   bomb), reads every row, validates it against the active congress's current term, and, only when
   the whole file is valid, stores the file as an Attachment and returns a signed token.
2. `roster_import_commit` re-reads the stored file and validates it again (the roster, districts
   or groups may have changed since the preview), then writes every row in one transaction: all
   or nothing.

The target is always the user's active congress and its current term, never a column of the file,
so a file cannot write into a congress its uploader does not manage.

A person who already exists (same 身份证号, or same 姓名 + 出生日期 + 手机) is reused, never
duplicated: a city deputy who is also a town deputy is one Person with two Deputy rows.
"""

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from renda.core.attachments import AttachmentRejected, CheckedFile, attachment_check, attachment_create
from renda.core.exports import XlsxSheet, export_log_create, xlsx_build
from renda.core.models import Attachment, Event
from renda.org.models import Congress, ElectoralDistrict, Term

from .models import DelegationGroup, Deputy, Person
from .selectors import DeputyFilters, deputy_list_for_user, person_contact_for

# --- messages -------------------------------------------------------------------------------
ERR_CELL = _("第%(row)s行「%(column)s」：%(message)s")
ERR_ROW = _("第%(row)s行：%(message)s")

ERR_REQUIRED = _("必填，不能为空")
ERR_TOO_LONG = _("不能超过%(max)s个字")
ERR_GENDER = _("应为“男”或“女”，而不是“%(value)s”")
ERR_DATE = _("无法识别的日期“%(value)s”")
ERR_BIRTH_RANGE = _("出生日期“%(value)s”不合理（代表须年满18周岁）")
ERR_DISTRICT = _("本届没有名为“%(value)s”的选区（可选值见模板的“可选值”工作表）")
ERR_GROUP = _("本届没有名为“%(value)s”的代表小组（可选值见模板的“可选值”工作表）")
ERR_SECTOR = _("未知的界别“%(value)s”，应为：%(choices)s")
ERR_PHONE = _("手机号码格式不正确“%(value)s”（应为11位手机号）")
ERR_ID_FORMAT = _("身份证号格式不正确“%(value)s”（应为18位）")
ERR_ID_CHECKSUM = _("身份证号校验位不正确“%(value)s”")
ERR_ID_NUMERIC = _("身份证号被存成了数字，末几位已丢失：请把该列设为文本格式后重新填写")
ERR_ID_BIRTH = _("身份证号中的出生日期与「出生日期」不一致")
ERR_ID_OTHER_PERSON = _("该身份证号已登记在“%(name)s”名下，与姓名不一致")
ERR_EMAIL = _("邮箱格式不正确“%(value)s”")
ERR_STATUS = _("未知的状态“%(value)s”，应为：%(choices)s")
ERR_DUPLICATE = _("与第%(row)s行是同一人员，文件中重复")
ERR_ALREADY_DEPUTY = _("“%(name)s”已是%(congress)s第%(term)s届代表")

ERR_UNREADABLE = _("无法读取该 Excel 文件，请用 Excel 或 WPS 另存为 .xlsx 后重试。")
ERR_NO_HEADER = _("第1行应为表头（姓名、性别、民族……），请使用模板。")
ERR_MISSING_COLUMN = _("缺少必需的列「%(column)s」，请使用模板。")
ERR_DUPLICATE_COLUMN = _("表头中「%(column)s」出现了不止一次。")
ERR_NO_ROWS = _("文件中没有代表数据。")
ERR_TOO_MANY_ROWS = _("文件超过%(max)s行，请分批导入。")
ERR_NO_TERM = _("本级人大尚未设置届次，无法导入代表名册。")
ERR_NO_CONGRESS = _("请先切换到所在人大的工作人员身份。")
ERR_TOKEN = _("预览已失效或不属于您，请重新上传文件。")
ERR_CHANGED = _("预览之后数据已发生变化，请根据以下问题修改后重新上传。")

NOTE_IMPORTED = _("名册导入：%(file)s")

# --- the file format ------------------------------------------------------------------------
# The column headers are the file format, not interface text: they stay the same in every
# locale so that a file filled in Chinese can always be imported.


@dataclass(frozen=True)
class RosterColumn:
    key: str
    header: str
    required: bool
    max_length: int
    example: str
    width: int = 14


COLUMNS: tuple[RosterColumn, ...] = (
    RosterColumn("name", "姓名", True, 50, "示例：张三", 12),
    RosterColumn("gender", "性别", True, 4, "男", 6),
    RosterColumn("ethnicity", "民族", True, 20, "汉族", 8),
    RosterColumn("birth_date", "出生日期", True, 20, "1975-06-01", 12),
    RosterColumn("district", "选区", True, 100, "", 16),
    RosterColumn("group", "代表小组", False, 100, "", 16),
    RosterColumn("sector", "界别", True, 20, "专业技术人员", 12),
    RosterColumn("party", "党派", True, 30, "中共党员", 10),
    RosterColumn("occupation", "工作单位及职务", True, 200, "太仓市某某公司总经理", 30),
    RosterColumn("phone", "手机", True, 20, "13800000000", 14),
    RosterColumn("id_number", "身份证号", False, 18, "", 20),
    RosterColumn("email", "邮箱", False, 254, "", 22),
    RosterColumn("status", "状态", False, 10, "在任", 8),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
COLUMN_BY_HEADER = {c.header: c for c in COLUMNS}
EXAMPLE_NAME = COLUMN_BY_KEY["name"].example

MAX_ROWS = 20000
MAX_SCANNED_ROWS = 2 * MAX_ROWS
MAX_COLUMNS = 60
BATCH = 1000
LOOKUP_CHUNK = 900  # below SQLite's historical 999-parameter limit
MIN_AGE = 18

TOKEN_SALT = "renda.deputies.roster.import"
TOKEN_MAX_AGE = 2 * 3600

SHEET_ROSTER = "代表名册"
SHEET_CHOICES = "可选值"
SHEET_NOTES = "填写说明"

GENDERS = {"男": Person.Gender.MALE, "男性": Person.Gender.MALE, "女": Person.Gender.FEMALE,
           "女性": Person.Gender.FEMALE}
PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
ID_RE = re.compile(r"^\d{17}[\dX]$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
DATE_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
HEADER_NOISE_RE = re.compile(r"[\s*＊]|[（(](必填|选填|可选)[)）]")


def sector_choices() -> dict[str, str]:
    out = {str(label): value for value, label in Deputy.Sector.choices}
    out.update({value: value for value, _label in Deputy.Sector.choices})
    return out


def status_choices() -> dict[str, str]:
    out = {str(label): value for value, label in Deputy.Status.choices}
    out.update({value: value for value, _label in Deputy.Status.choices})
    return out


# --- results --------------------------------------------------------------------------------
@dataclass(frozen=True)
class RosterError:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row and self.column:
            return str(ERR_CELL) % {"row": self.row, "column": self.column, "message": self.message}
        if self.row:
            return str(ERR_ROW) % {"row": self.row, "message": self.message}
        return self.message


@dataclass
class RosterRow:
    number: int
    cells: list[str]
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[RosterError] = field(default_factory=list)
    person: Person | None = None

    def error(self, column: str | None, message, **params) -> None:
        text = str(message) % params if params else str(message)
        self.errors.append(RosterError(self.number, column, text))

    @property
    def is_valid(self) -> bool:
        return not self.errors


@dataclass
class RosterPreview:
    congress: Congress
    term: Term | None
    file_name: str
    rows: list[RosterRow] = field(default_factory=list)
    file_errors: list[RosterError] = field(default_factory=list)
    skipped_example: bool = False
    headers: list[str] = field(default_factory=lambda: [c.header for c in COLUMNS])

    @property
    def errors(self) -> list[RosterError]:
        return self.file_errors + [e for r in self.rows for e in r.errors]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.file_errors and all(r.is_valid for r in self.rows)

    @property
    def error_rows(self) -> int:
        return sum(1 for r in self.rows if r.errors)

    @property
    def reused_persons(self) -> int:
        return sum(1 for r in self.rows if r.person is not None)

    @property
    def new_persons(self) -> int:
        return sum(1 for r in self.rows if r.person is None and r.is_valid)


@dataclass(frozen=True)
class RosterImportResult:
    deputies: int
    new_persons: int
    reused_persons: int


class RosterFileRejected(Exception):
    """The upload is not an acceptable xlsx (size, disguise, zip bomb…): nothing was read."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class RosterInvalid(Exception):
    """The file failed validation at confirm time; nothing was written."""

    def __init__(self, preview: RosterPreview):
        super().__init__(str(ERR_CHANGED))
        self.preview = preview


class RosterTokenInvalid(Exception):
    pass


# --- scope ----------------------------------------------------------------------------------
def roster_congress_for(*, user, perm: str) -> Congress:
    """The congress the user acts for, if the active role grants `perm` there; else PermissionDenied."""
    a = getattr(user, "active_assignment", None)
    if a is None or not user.has_perm(perm, a.congress):
        raise PermissionDenied(ERR_NO_CONGRESS)
    return a.congress


def term_current(*, congress: Congress) -> Term | None:
    """The congress's current term: the highest-numbered one."""
    return Term.objects.filter(congress=congress).order_by("-number").first()


# --- reading the sheet ----------------------------------------------------------------------
def _text(value: Any) -> str:
    """The cell as the user typed it, for display and for text columns."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value).replace("\u3000", " ").strip()


def _shorten(value: str, n: int = 40) -> str:
    return value if len(value) <= n else value[:n] + "…"


def _normalise_header(value: Any) -> str:
    return HEADER_NOISE_RE.sub("", _text(value))


def _read_sheet(fileobj, preview: RosterPreview) -> Iterator[tuple[int, list[Any]]] | None:
    """Yields (row number, cells ordered as COLUMNS). Returns None after a file-level error."""
    try:
        # openpyxl raises a zoo of exception types on malformed input (KeyError, ValueError,
        # zipfile and XML errors…); the archive itself was already checked, so any failure here
        # means "not a workbook we can read" and must reach the user as a message, not a 500.
        wb = load_workbook(fileobj, read_only=True, data_only=True)
        ws = wb[SHEET_ROSTER] if SHEET_ROSTER in wb.sheetnames else wb.worksheets[0]
        rows = ws.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        header = next(rows, None)
    except Exception:  # noqa: BLE001
        preview.file_errors.append(RosterError(None, None, str(ERR_UNREADABLE)))
        return None
    if not header:
        preview.file_errors.append(RosterError(None, None, str(ERR_NO_HEADER)))
        return None
    positions: dict[str, int] = {}
    for i, h in enumerate(header):
        col = COLUMN_BY_HEADER.get(_normalise_header(h))
        if col is None:
            continue
        if col.key in positions:
            preview.file_errors.append(RosterError(None, None, str(ERR_DUPLICATE_COLUMN) % {"column": col.header}))
        positions[col.key] = i
    if not positions:
        preview.file_errors.append(RosterError(None, None, str(ERR_NO_HEADER)))
        return None
    for col in COLUMNS:
        if col.required and col.key not in positions:
            preview.file_errors.append(RosterError(None, None, str(ERR_MISSING_COLUMN) % {"column": col.header}))
    if preview.file_errors:
        return None

    def generate() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, row in enumerate(rows, start=2):
                if number > MAX_SCANNED_ROWS:
                    # Formatted but empty rows are still rows to parse: bound the work, not just the data.
                    preview.file_errors.append(RosterError(None, None, str(ERR_TOO_MANY_ROWS) % {"max": MAX_ROWS}))
                    return
                cells = [row[positions[c.key]] if c.key in positions and positions[c.key] < len(row) else None
                         for c in COLUMNS]
                if all(_text(v) == "" for v in cells):
                    continue
                yield number, cells
        except Exception:  # noqa: BLE001  (see above: malformed sheet XML)
            preview.file_errors.append(RosterError(None, None, str(ERR_UNREADABLE)))
        finally:
            wb.close()

    return generate()


# --- one row --------------------------------------------------------------------------------
def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value == int(value) and 19000101 <= value <= 21001231:
            value = str(int(value))
        elif 1 <= value < 80000:
            # An Excel serial date in a cell formatted as a number.
            try:
                return from_excel(value).date()
            except (ValueError, OverflowError):
                return None
        else:
            return None
    text = unicodedata.normalize("NFKC", _text(value))
    m = DATE_RE.match(text) or DATE_COMPACT_RE.match(text)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _id_checksum_ok(value: str) -> bool:
    return ID_CHECK[sum(int(d) * w for d, w in zip(value[:17], ID_WEIGHTS, strict=True)) % 11] == value[17]


def _normalise_phone(text: str) -> str:
    digits = re.sub(r"[\s\-()（）]", "", unicodedata.normalize("NFKC", text))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


@dataclass(frozen=True)
class _Lookups:
    """Everything a row is checked against, computed once per file."""

    districts: dict[str, ElectoralDistrict]
    groups: dict[str, DelegationGroup]
    sectors: dict[str, str]
    statuses: dict[str, str]
    sector_labels: str
    status_labels: str
    latest_birth: dt.date


def _lookups(*, congress: Congress, term: Term) -> _Lookups:
    return _Lookups(
        districts={d.name.strip(): d for d in
                   ElectoralDistrict.objects.filter(congress=congress, term=term).order_by("-id")},
        groups={g.name.strip(): g for g in
                DelegationGroup.objects.filter(congress=congress, term=term).order_by("-id")},
        sectors=sector_choices(),
        statuses=status_choices(),
        sector_labels="、".join(str(label) for _v, label in Deputy.Sector.choices),
        status_labels="、".join(str(label) for _v, label in Deputy.Status.choices),
        latest_birth=_years_before(timezone.localdate(), MIN_AGE),
    )


def _parse_row(number: int, cells: list[Any], lk: _Lookups) -> RosterRow:
    raw = dict(zip((c.key for c in COLUMNS), cells, strict=True))
    row = RosterRow(number=number, cells=[_text(v) for v in cells])
    texts = dict(zip((c.key for c in COLUMNS), row.cells, strict=True))
    v = row.values

    for col in COLUMNS:
        text = texts[col.key]
        if col.required and not text:
            row.error(col.header, ERR_REQUIRED)
        elif len(text) > col.max_length and col.key not in ("birth_date", "phone", "id_number"):
            row.error(col.header, ERR_TOO_LONG, max=col.max_length)
    missing = {e.column for e in row.errors}
    H = COLUMN_BY_KEY  # noqa: N806

    def ok(key: str) -> bool:
        return H[key].header not in missing

    for key in ("name", "ethnicity", "party", "occupation"):
        v[key] = texts[key]

    if ok("gender") and texts["gender"]:
        gender = GENDERS.get(texts["gender"])
        if gender is None:
            row.error(H["gender"].header, ERR_GENDER, value=_shorten(texts["gender"]))
        v["gender"] = gender

    if ok("birth_date") and texts["birth_date"]:
        birth = _parse_date(raw["birth_date"])
        if birth is None:
            row.error(H["birth_date"].header, ERR_DATE, value=_shorten(texts["birth_date"]))
        elif birth.year < 1900 or birth > lk.latest_birth:
            row.error(H["birth_date"].header, ERR_BIRTH_RANGE, value=birth.isoformat())
            birth = None
        v["birth_date"] = birth

    if ok("district") and texts["district"]:
        v["district"] = lk.districts.get(texts["district"])
        if v["district"] is None:
            row.error(H["district"].header, ERR_DISTRICT, value=_shorten(texts["district"]))

    v["group"] = None
    if ok("group") and texts["group"]:
        v["group"] = lk.groups.get(texts["group"])
        if v["group"] is None:
            row.error(H["group"].header, ERR_GROUP, value=_shorten(texts["group"]))

    if ok("sector") and texts["sector"]:
        v["sector"] = lk.sectors.get(texts["sector"])
        if v["sector"] is None:
            row.error(H["sector"].header, ERR_SECTOR, value=_shorten(texts["sector"]), choices=lk.sector_labels)

    if ok("phone") and texts["phone"]:
        phone = _normalise_phone(texts["phone"])
        if not PHONE_RE.match(phone):
            row.error(H["phone"].header, ERR_PHONE, value=_shorten(texts["phone"]))
        v["phone"] = phone

    v["id_number"] = ""
    if texts["id_number"]:
        if isinstance(raw["id_number"], (int, float)) and not isinstance(raw["id_number"], bool) and len(
                texts["id_number"]) >= 15:
            row.error(H["id_number"].header, ERR_ID_NUMERIC)
        else:
            id_number = unicodedata.normalize("NFKC", texts["id_number"]).replace(" ", "").upper()
            if not ID_RE.match(id_number):
                row.error(H["id_number"].header, ERR_ID_FORMAT, value=_shorten(texts["id_number"]))
            elif not _id_checksum_ok(id_number):
                row.error(H["id_number"].header, ERR_ID_CHECKSUM, value=id_number)
            elif v.get("birth_date") and id_number[6:14] != v["birth_date"].strftime("%Y%m%d"):
                row.error(H["id_number"].header, ERR_ID_BIRTH)
            v["id_number"] = id_number

    v["email"] = ""
    if ok("email") and texts["email"]:
        email = unicodedata.normalize("NFKC", texts["email"])
        try:
            validate_email(email)
        except ValidationError:
            row.error(H["email"].header, ERR_EMAIL, value=_shorten(texts["email"]))
        v["email"] = email

    v["status"] = Deputy.Status.ACTIVE
    if ok("status") and texts["status"]:
        status = lk.statuses.get(texts["status"])
        if status is None:
            row.error(H["status"].header, ERR_STATUS, value=_shorten(texts["status"]), choices=lk.status_labels)
        else:
            v["status"] = status
    return row


# --- the whole file -------------------------------------------------------------------------
def _chunks(items: list, size: int = LOOKUP_CHUNK) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _identity(row: RosterRow) -> tuple[str, dt.date | None, str]:
    return row.values.get("name", ""), row.values.get("birth_date"), row.values.get("phone", "")


def _match_persons(rows: list[RosterRow]) -> None:
    """Find existing persons: by 身份证号 first, else by 姓名 + 出生日期 + 手机."""
    ids = sorted({r.values["id_number"] for r in rows if r.values.get("id_number")})
    phones = sorted({r.values["phone"] for r in rows if r.values.get("phone")})
    by_id: dict[str, Person] = {}
    for chunk in _chunks(ids):
        for p in Person.objects.filter(id_number__in=chunk).order_by("id"):
            by_id.setdefault(p.id_number, p)
    by_identity: dict[tuple, Person] = {}
    for chunk in _chunks(phones):
        for p in Person.objects.filter(phone__in=chunk).order_by("id"):
            by_identity.setdefault((p.name, p.birth_date, p.phone), p)
    id_header = COLUMN_BY_KEY["id_number"].header
    for row in rows:
        id_number = row.values.get("id_number")
        person = by_id.get(id_number) if id_number else None
        if person is not None and person.name != row.values.get("name"):
            row.error(id_header, ERR_ID_OTHER_PERSON, name=person.name)
            continue
        if person is None:
            candidate = by_identity.get(_identity(row))
            # Same name, birthday and phone but a different ID number is a different person.
            if candidate is not None and not (id_number and candidate.id_number and candidate.id_number != id_number):
                person = candidate
        row.person = person


def _check_duplicates(rows: list[RosterRow]) -> None:
    name_header = COLUMN_BY_KEY["name"].header
    id_header = COLUMN_BY_KEY["id_number"].header
    seen_ids: dict[str, int] = {}
    seen_identity: dict[tuple, int] = {}
    for row in rows:
        id_number = row.values.get("id_number")
        if id_number:
            if id_number in seen_ids:
                row.error(id_header, ERR_DUPLICATE, row=seen_ids[id_number])
                continue
            seen_ids[id_number] = row.number
        identity = _identity(row)
        if all(identity):
            if identity in seen_identity:
                row.error(name_header, ERR_DUPLICATE, row=seen_identity[identity])
                continue
            seen_identity[identity] = row.number


def _check_seats(rows: list[RosterRow], *, congress: Congress, term: Term) -> None:
    """A person sits once per congress and term; two rows may not resolve to one existing person."""
    name_header = COLUMN_BY_KEY["name"].header
    first_row_of: dict[int, int] = {}
    for row in rows:
        if row.person is None:
            continue
        if row.person.pk in first_row_of:
            row.error(name_header, ERR_DUPLICATE, row=first_row_of[row.person.pk])
        else:
            first_row_of[row.person.pk] = row.number
    person_ids = sorted(first_row_of)
    seated: set[int] = set()
    for chunk in _chunks(person_ids):
        seated.update(Deputy.objects.filter(congress=congress, term=term, person_id__in=chunk)
                      .values_list("person_id", flat=True))
    for row in rows:
        if row.person is not None and row.person.pk in seated:
            row.error(name_header, ERR_ALREADY_DEPUTY, name=row.values.get("name", ""),
                      congress=congress.short_name, term=term.number)


def roster_validate(*, congress: Congress, fileobj, file_name: str) -> RosterPreview:
    """Read and validate every row against the congress's current term. Writes nothing."""
    term = term_current(congress=congress)
    preview = RosterPreview(congress=congress, term=term, file_name=file_name)
    if term is None:
        preview.file_errors.append(RosterError(None, None, str(ERR_NO_TERM)))
        return preview
    lk = _lookups(congress=congress, term=term)
    sheet = _read_sheet(fileobj, preview)
    if sheet is None:
        return preview
    for number, cells in sheet:
        if len(preview.rows) >= MAX_ROWS:
            preview.file_errors.append(RosterError(None, None, str(ERR_TOO_MANY_ROWS) % {"max": MAX_ROWS}))
            break
        if _text(cells[0]) == EXAMPLE_NAME:
            preview.skipped_example = True
            continue
        preview.rows.append(_parse_row(number, cells, lk))
    if not preview.rows and not preview.file_errors:
        preview.file_errors.append(RosterError(None, None, str(ERR_NO_ROWS)))
    _check_duplicates(preview.rows)
    _match_persons([r for r in preview.rows if r.is_valid])
    _check_seats(preview.rows, congress=congress, term=term)
    return preview


# --- import ---------------------------------------------------------------------------------
@dataclass
class PreparedImport:
    preview: RosterPreview
    attachment: Attachment | None = None
    token: str = ""


def roster_import_token(*, attachment: Attachment, user) -> str:
    return signing.dumps({"a": attachment.pk, "u": user.pk, "c": attachment.congress_id,
                          "h": attachment.sha256[:16]}, salt=TOKEN_SALT)


def roster_import_token_read(*, token: str, user) -> int:
    """The attachment id a token stands for, if the token is genuine, fresh and the user's own."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise RosterTokenInvalid(ERR_TOKEN) from None
    a = getattr(user, "active_assignment", None)
    if not isinstance(data, dict) or data.get("u") != user.pk or a is None or data.get("c") != a.congress_id:
        raise RosterTokenInvalid(ERR_TOKEN)
    return int(data["a"])


def roster_import_preview(*, user, upload) -> PreparedImport:
    """Check the upload, validate every row; store the file only when the whole file is valid."""
    congress = roster_congress_for(user=user, perm="deputies.import_roster")
    checked: CheckedFile | None = getattr(upload, "renda_checked", None)
    try:
        checked = checked or attachment_check(upload=upload, allowed=("xlsx",))
    except AttachmentRejected as e:
        raise RosterFileRejected(e.messages[0]) from None
    upload.seek(0)
    preview = roster_validate(congress=congress, fileobj=upload, file_name=checked.name)
    prepared = PreparedImport(preview=preview)
    if preview.is_valid:
        prepared.attachment = attachment_create(upload=upload, allowed=("xlsx",), uploaded_by=user,
                                                congress=congress, checked=checked)
        prepared.token = roster_import_token(attachment=prepared.attachment, user=user)
    return prepared


def _advisory_lock() -> None:
    # Imports are serialised so that two concurrent imports cannot both create the same new
    # person. SQLite's IMMEDIATE transactions already serialise writers; PostgreSQL needs a lock.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x52_4F_53_54])  # "ROST"


def roster_import_commit(*, user, attachment_id: int) -> RosterImportResult:
    """Re-validate the stored file and write every row in one transaction, or nothing.

    Raises RosterInvalid (nothing written) when validation now fails, Attachment.DoesNotExist
    when the file is not this user's pending import in their active congress.
    """
    congress = roster_congress_for(user=user, perm="deputies.import_roster")
    att = Attachment.objects.get(pk=attachment_id, uploaded_by=user, congress=congress, content_type__isnull=True)
    with transaction.atomic():
        _advisory_lock()
        with att.file.open("rb") as stored:
            # The stored name is the content hash: check it under the name it was uploaded with.
            fh = File(stored.file, name=att.original_name)
            try:
                checked = attachment_check(upload=fh, allowed=("xlsx",))
            except AttachmentRejected as e:
                raise RosterFileRejected(e.messages[0]) from None
            if checked.sha256 != att.sha256:
                raise Attachment.DoesNotExist
            fh.seek(0)
            preview = roster_validate(congress=congress, fileobj=fh, file_name=att.original_name)
        if not preview.is_valid:
            raise RosterInvalid(preview)
        try:
            result = _write(preview=preview, user=user, attachment=att)
        except IntegrityError:
            # A concurrent change (another import of the same people) won the race.
            raise RosterInvalid(roster_validate_again(congress=congress, attachment=att)) from None
    return result


def roster_validate_again(*, congress: Congress, attachment: Attachment) -> RosterPreview:
    with attachment.file.open("rb") as fh:
        return roster_validate(congress=congress, fileobj=fh, file_name=attachment.original_name)


def _write(*, preview: RosterPreview, user, attachment: Attachment) -> RosterImportResult:
    reason = str(NOTE_IMPORTED) % {"file": attachment.original_name}
    with transaction.atomic():
        new_people: list[Person] = []
        filled: list[Person] = []
        for row in preview.rows:
            v = row.values
            if row.person is None:
                row.person = Person(name=v["name"], gender=v["gender"], ethnicity=v["ethnicity"], party=v["party"],
                                    birth_date=v["birth_date"], occupation=v["occupation"], phone=v["phone"],
                                    email=v["email"], id_number=v["id_number"])
                new_people.append(row.person)
                continue
            # An existing person keeps their record; the file only fills what is missing.
            changed = False
            for name in ("id_number", "email", "birth_date", "phone", "gender", "party", "occupation"):
                if not getattr(row.person, name) and v.get(name):
                    setattr(row.person, name, v[name])
                    changed = True
            if changed:
                filled.append(row.person)
        if new_people:
            bulk_create_with_history(new_people, Person, batch_size=BATCH, default_user=user,
                                     default_change_reason=reason)
        if filled:
            bulk_update_with_history(filled, Person, ["id_number", "email", "birth_date", "phone", "gender", "party",
                                                      "occupation"], batch_size=BATCH, default_user=user,
                                     default_change_reason=reason)
        deputies = [
            Deputy(congress=preview.congress, term=preview.term, person=row.person, district=row.values["district"],
                   group=row.values["group"], sector=row.values["sector"], status=row.values["status"])
            for row in preview.rows
        ]
        deputies = bulk_create_with_history(deputies, Deputy, batch_size=BATCH, default_user=user,
                                            default_change_reason=reason)
        ct = ContentType.objects.get_for_model(Deputy)
        role = getattr(user, "active_role", "") or ""
        Event.objects.bulk_create(
            [Event(congress_id=d.congress_id, content_type=ct, object_id=d.pk, action="import", to_state=d.status,
                   actor=user, actor_role=role, note=reason) for d in deputies],
            batch_size=BATCH,
        )
    return RosterImportResult(deputies=len(deputies), new_persons=len(new_people),
                              reused_persons=len(preview.rows) - len(new_people))


# --- export ---------------------------------------------------------------------------------
def _export_rows(*, user, deputies: Iterable[Deputy]) -> Iterator[list[Any]]:
    genders = {k: str(v) for k, v in Person.Gender.choices}
    sectors = {k: str(v) for k, v in Deputy.Sector.choices}
    statuses = {k: str(v) for k, v in Deputy.Status.choices}
    for d in deputies:
        p = d.person
        contact = person_contact_for(user=user, deputy=d)
        yield [p.name, genders.get(p.gender, ""), p.ethnicity, p.birth_date,
               d.district.name if d.district_id else "", d.group.name if d.group_id else "",
               sectors.get(d.sector, d.sector), p.party, p.occupation, contact.phone, contact.id_number,
               contact.email, statuses.get(d.status, d.status)]


@dataclass(frozen=True)
class RosterExport:
    content: bytes
    filename: str
    row_count: int


def roster_export_count(*, user, filters: DeputyFilters) -> int:
    roster_congress_for(user=user, perm="deputies.export_roster")
    return deputy_list_for_user(user=user, filters=filters).count()


def roster_export(*, user, filters: DeputyFilters, reason: str) -> RosterExport:
    """The roster the user sees, as xlsx in the import format; always logged with the reason.

    Contact columns are masked row by row unless the user may see that deputy's contacts.
    """
    congress = roster_congress_for(user=user, perm="deputies.export_roster")
    qs = deputy_list_for_user(user=user, filters=filters)
    headers = [c.header for c in COLUMNS]
    content, (count,) = xlsx_build(sheets=[XlsxSheet(
        title=SHEET_ROSTER, headers=headers, widths=[c.width for c in COLUMNS],
        rows=_export_rows(user=user, deputies=qs.iterator(chunk_size=2000)),
    )])
    export_log_create(user=user, congress=congress,
                      what=_g("代表名册（%(congress)s）") % {"congress": congress.short_name},
                      reason=reason, row_count=count)
    filename = _g("代表名册-%(congress)s-%(date)s.xlsx") % {"congress": congress.short_name,
                                                          "date": timezone.localdate().strftime("%Y%m%d")}
    return RosterExport(content=content, filename=filename, row_count=count)


# --- blank template -------------------------------------------------------------------------
NOTES = (
    _("每行填写一名代表；第1行是表头，请勿修改列名。示例行（姓名以“示例：”开头）导入时会自动跳过。"),
    _("导入到您当前身份所在的人大、当前届次；文件中无需也不能指定人大。"),
    _("必填列：姓名、性别、民族、出生日期、选区、界别、党派、工作单位及职务、手机。"),
    _("选填列：代表小组、身份证号、邮箱、状态（不填为“在任”）。"),
    _("选区、代表小组、界别、性别、状态只能填写“可选值”工作表中列出的值。"),
    _("出生日期可写作 1975-06-01、1975/6/1 或 1975年6月1日。"),
    _("手机为11位手机号；身份证号为18位，请把该列设为文本格式，以免末几位丢失。"),
    _("已在系统中的人员（身份证号相同，或姓名、出生日期、手机均相同）会被复用，不会重复建档。"),
    _("整个文件全部校验通过并经您确认后才会写入；任何一行有误都不会写入任何数据。"),
)


def roster_template_build(*, user) -> tuple[bytes, str]:
    """A blank roster: headers, one example row, the valid values and the notes."""
    congress = roster_congress_for(user=user, perm="deputies.import_roster")
    term = term_current(congress=congress)
    districts = list(ElectoralDistrict.objects.filter(congress=congress, term=term).order_by("number", "id")
                     .values_list("name", flat=True)) if term else []
    groups = list(DelegationGroup.objects.filter(congress=congress, term=term).order_by("id")
                  .values_list("name", flat=True)) if term else []
    lists = {
        "district": districts,
        "group": groups,
        "sector": [str(label) for _v, label in Deputy.Sector.choices],
        "gender": ["男", "女"],
        "status": [str(label) for _v, label in Deputy.Status.choices],
    }

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_ROSTER
    header_font = Font(bold=True, color="FFFFFF")
    required_fill = PatternFill("solid", fgColor="9B1C1C")
    optional_fill = PatternFill("solid", fgColor="5A6069")
    example = {c.key: c.example for c in COLUMNS}
    example["district"] = districts[0] if districts else ""
    example["group"] = groups[0] if groups else ""
    for i, col in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=i, value=col.header)
        cell.font = header_font
        cell.fill = required_fill if col.required else optional_fill
        ws.column_dimensions[get_column_letter(i)].width = col.width
        ws.cell(row=2, column=i, value=example[col.key]).font = Font(italic=True, color="5A6069")
        # Text format so that phone and ID numbers keep every digit.
        if col.key in ("phone", "id_number", "birth_date"):
            for r in range(2, 1002):
                ws.cell(row=r, column=i).number_format = "@"
    ws.freeze_panes = "A2"

    choices = wb.create_sheet(SHEET_CHOICES)
    for i, key in enumerate(("district", "group", "sector", "gender", "status"), start=1):
        col = COLUMN_BY_KEY[key]
        choices.cell(row=1, column=i, value=col.header).font = Font(bold=True)
        choices.column_dimensions[get_column_letter(i)].width = col.width + 4
        for r, value in enumerate(lists[key], start=2):
            choices.cell(row=r, column=i, value=value)
        if lists[key]:
            letter = get_column_letter(i)
            dv = DataValidation(type="list", formula1=f"'{SHEET_CHOICES}'!${letter}$2:${letter}${len(lists[key]) + 1}",
                                allow_blank=not col.required, showErrorMessage=True,
                                errorTitle=_g("无效的值"), error=_g("请从“可选值”工作表中选择。"))
            target = get_column_letter(list(COLUMN_BY_KEY).index(key) + 1)
            dv.add(f"{target}2:{target}{MAX_ROWS + 1}")
            ws.add_data_validation(dv)

    notes = wb.create_sheet(SHEET_NOTES)
    notes.column_dimensions["A"].width = 100
    notes.cell(row=1, column=1, value=_g("%(congress)s第%(term)s届代表名册导入模板") % {
        "congress": congress.short_name, "term": term.number if term else "?"}).font = Font(bold=True)
    for r, text in enumerate(NOTES, start=2):
        notes.cell(row=r, column=1, value=str(text))

    out = io.BytesIO()
    wb.save(out)
    filename = _g("代表名册导入模板-%(congress)s.xlsx") % {"congress": congress.short_name}
    return out.getvalue(), filename
