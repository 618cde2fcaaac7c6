"""Uploads: content checks, storage under a content hash, and access through the owner's permission.

Every feature that accepts a file goes through here (a form uses `SafeFileField`, a service calls
`attachment_create`). The checks look at the bytes, never trust the name or the browser's
Content-Type: the extension only says which kind the uploader *claims*, and the content must be
exactly that kind.

Office files (xlsx, docx) are zip archives. Before any parser (openpyxl, python-docx) opens one, the
archive is inspected: entry count, declared and actual uncompressed sizes, compression ratio,
compression method, encryption, `[Content_Types].xml` and the main part. XML parts that declare a
DOCTYPE are refused, so entity-expansion tricks never reach a parser.

Downloads: `register_attachment_owner(Model, "app.view_perm")` declares which permission on the
owner object lets a user fetch its attachments; `attachment_get_for_user` answers "not found" for
everything else, including owners nobody registered.
"""

import hashlib
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO
from xml.etree import ElementTree

import filetype
from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Attachment, attachment_path

ERR_EMPTY = _("文件为空。")
ERR_TOO_LARGE = _("文件过大（%(size)s），单个文件不能超过 %(limit)s。")
ERR_EXTENSION = _("不支持的文件类型“%(ext)s”，只接受：%(allowed)s。")
ERR_CONTENT_MISMATCH = _("文件“%(name)s”的内容是%(actual)s，不是%(expected)s，已拒绝。请上传真正的%(expected)s。")
ERR_CORRUPT = _("文件“%(name)s”已损坏或不是有效的%(expected)s，无法打开。")
ERR_ZIP_BOMB = _("文件“%(name)s”解压后过大或压缩比异常（疑似压缩炸弹），已拒绝。")
ERR_ZIP_ENTRIES = _("文件“%(name)s”包含的内部文件过多（疑似压缩炸弹），已拒绝。")
ERR_ENCRYPTED = _("文件“%(name)s”已加密，请取消密码保护后再上传。")
ERR_MACRO = _("文件“%(name)s”含有宏或其他不允许的内容，请另存为普通的%(expected)s后再上传。")
ERR_XML_DOCTYPE = _("文件“%(name)s”含有不允许的 XML 声明，已拒绝。")

# Archive limits, checked before any parser opens the file. Real rosters of 10,000 rows unpack to
# a few MB with ratios around 10:1; zip bombs reach 1000:1 and gigabytes.
ZIP_MAX_ENTRIES = getattr(settings, "RENDA_ZIP_MAX_ENTRIES", 1000)
ZIP_MAX_UNCOMPRESSED = getattr(settings, "RENDA_ZIP_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024)
ZIP_MAX_RATIO = getattr(settings, "RENDA_ZIP_MAX_RATIO", 100)
# Small members may compress very well (empty styles, repeated tags) and are harmless at any ratio.
ZIP_RATIO_FLOOR = 1024 * 1024
CONTENT_TYPES_MAX = 1024 * 1024
CHUNK = 64 * 1024
HEAD = 8192

FILENAME_MAX = 200
_UNSAFE_NAME_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


# --- kinds ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class FileKind:
    """A kind of file we accept. OOXML kinds name their main part and its content type."""

    code: str
    label: str
    extensions: tuple[str, ...]
    mime: str
    ooxml_part: str = ""
    ooxml_content_type: str = ""

    @property
    def is_ooxml(self) -> bool:
        return bool(self.ooxml_part)


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

KINDS: dict[str, FileKind] = {
    k.code: k
    for k in [
        FileKind("xlsx", _("Excel 工作簿（.xlsx）"), (".xlsx",), XLSX_MIME, "xl/workbook.xml",
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
        FileKind("docx", _("Word 文档（.docx）"), (".docx",), DOCX_MIME, "word/document.xml",
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
        FileKind("pdf", _("PDF 文档"), (".pdf",), "application/pdf"),
        FileKind("jpeg", _("JPEG 图片"), (".jpg", ".jpeg"), "image/jpeg"),
        FileKind("png", _("PNG 图片"), (".png",), "image/png"),
        FileKind("webp", _("WebP 图片"), (".webp",), "image/webp"),
    ]
}
IMAGES = ("jpeg", "png", "webp")
DOCUMENTS = ("pdf", "docx", "xlsx", *IMAGES)

# What a rejected file really is, in words a clerk understands.
_ACTUAL_LABELS = {
    "image/png": _("PNG 图片"),
    "image/jpeg": _("JPEG 图片"),
    "image/gif": _("GIF 图片"),
    "image/webp": _("WebP 图片"),
    "application/pdf": _("PDF 文档"),
    "application/x-executable": _("可执行程序（ELF）"),
    "application/x-msdownload": _("可执行程序（EXE）"),
    "application/zip": _("ZIP 压缩包"),
    "application/x-rar-compressed": _("RAR 压缩包"),
    "application/x-7z-compressed": _("7z 压缩包"),
    "application/gzip": _("gzip 压缩包"),
    "application/vnd.ms-excel": _("旧版 Excel 文件（.xls）"),
    "application/msword": _("旧版 Word 文件（.doc）"),
    "application/x-sqlite3": _("SQLite 数据库"),
    XLSX_MIME: _("Excel 工作簿（.xlsx）"),
    DOCX_MIME: _("Word 文档（.docx）"),
}


class AttachmentRejected(ValidationError):
    """An upload that failed a check. A ValidationError, so form fields can simply let it through."""


@dataclass(frozen=True)
class CheckedFile:
    name: str
    kind: FileKind
    size: int
    sha256: str


# --- names ----------------------------------------------------------------------------------
def filename_sanitize(name: str | None) -> str:
    """A display-safe file name: no directories, control or reserved characters, bounded length.

    Only shown to users and put in Content-Disposition; storage never uses it.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = _UNSAFE_NAME_CHARS.sub("_", name).strip().lstrip(".").strip()
    if not name:
        return str(_("未命名"))
    if len(name) > FILENAME_MAX:
        suffix = PurePosixPath(name).suffix[:16]
        name = name[: FILENAME_MAX - len(suffix)] + suffix
    return name


def _extension(name: str) -> str:
    return PurePosixPath(name).suffix.lower()


def _human_size(n: int) -> str:
    for unit, size in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= size:
            return f"{n / size:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} B"


# --- content --------------------------------------------------------------------------------
def _read_head(fileobj: IO[bytes]) -> bytes:
    fileobj.seek(0)
    head = fileobj.read(HEAD)
    fileobj.seek(0)
    return head


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError:
            # The head may cut a multi-byte character in half: retry without the last 3 bytes.
            try:
                head[:-3].decode(encoding)
            except UnicodeDecodeError:
                continue
        return True
    return False


def content_describe(head: bytes) -> str:
    """What the bytes really are, for the rejection message."""
    guess = filetype.guess(head) if head else None
    if guess is not None:
        label = _ACTUAL_LABELS.get(guess.mime)
        return str(label) if label else str(_("%(ext)s 文件")) % {"ext": guess.extension.upper()}
    if head and _looks_like_text(head):
        return str(_("纯文本（如 CSV）"))
    return str(_("无法识别的二进制数据"))


def _params(name: str, kind: FileKind, **extra) -> dict:
    return {"name": name, "expected": kind.label, **extra}


def _check_magic(fileobj: IO[bytes], *, name: str, kind: FileKind) -> None:
    head = _read_head(fileobj)
    if kind.code == "pdf":
        ok = head.startswith(b"%PDF-")
    else:
        guess = filetype.guess(head)
        ok = guess is not None and guess.mime == kind.mime
    if not ok:
        raise AttachmentRejected(ERR_CONTENT_MISMATCH, code="content_mismatch",
                                 params=_params(name, kind, actual=content_describe(head)))


def _scan_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, *, name: str, kind: FileKind) -> None:
    """Decompress one member in chunks: never more than its declared size, no DOCTYPE in XML."""
    is_xml = info.filename.endswith((".xml", ".rels", ".vml"))
    total = 0
    tail = b""
    with zf.open(info) as member:
        while chunk := member.read(CHUNK):
            total += len(chunk)
            if total > info.file_size or total > ZIP_MAX_UNCOMPRESSED:
                raise AttachmentRejected(ERR_ZIP_BOMB, code="zip_bomb", params=_params(name, kind))
            if is_xml:
                window = (tail + chunk).upper()
                if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                    raise AttachmentRejected(ERR_XML_DOCTYPE, code="xml_doctype", params=_params(name, kind))
                tail = chunk[-16:]


def _check_ooxml(fileobj: IO[bytes], *, name: str, kind: FileKind) -> None:
    head = _read_head(fileobj)
    if not head.startswith(b"PK\x03\x04"):
        raise AttachmentRejected(ERR_CONTENT_MISMATCH, code="content_mismatch",
                                 params=_params(name, kind, actual=content_describe(head)))
    try:
        zf = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise AttachmentRejected(ERR_CORRUPT, code="corrupt", params=_params(name, kind)) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > ZIP_MAX_ENTRIES:
            raise AttachmentRejected(ERR_ZIP_ENTRIES, code="zip_entries", params=_params(name, kind))
        declared = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise AttachmentRejected(ERR_ENCRYPTED, code="encrypted", params=_params(name, kind))
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise AttachmentRejected(ERR_CORRUPT, code="corrupt", params=_params(name, kind))
            declared += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if declared > ZIP_MAX_UNCOMPRESSED or (info.file_size > ZIP_RATIO_FLOOR and ratio > ZIP_MAX_RATIO):
                raise AttachmentRejected(ERR_ZIP_BOMB, code="zip_bomb", params=_params(name, kind))
        names = {i.filename for i in infos}
        if "[Content_Types].xml" not in names or kind.ooxml_part not in names:
            raise AttachmentRejected(ERR_CONTENT_MISMATCH, code="content_mismatch",
                                     params=_params(name, kind, actual=content_describe(head)))
        try:
            # Sizes are now bounded, so every member can be read; reading also verifies each CRC.
            for info in infos:
                _scan_member(zf, info, name=name, kind=kind)
            ct_info = zf.getinfo("[Content_Types].xml")
            if ct_info.file_size > CONTENT_TYPES_MAX:
                raise AttachmentRejected(ERR_CORRUPT, code="corrupt", params=_params(name, kind))
            root = ElementTree.fromstring(zf.read(ct_info))
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, ElementTree.ParseError, RuntimeError):
            raise AttachmentRejected(ERR_CORRUPT, code="corrupt", params=_params(name, kind)) from None
    part_types = {
        el.get("PartName", "").lstrip("/"): el.get("ContentType", "")
        for el in root
        if el.tag.endswith("}Override") or el.tag == "Override"
    }
    main_type = part_types.get(kind.ooxml_part, "")
    if main_type != kind.ooxml_content_type:
        # A macro-enabled workbook (xlsm) or template renamed to .xlsx lands here.
        if "macroEnabled" in main_type or "template" in main_type:
            raise AttachmentRejected(ERR_MACRO, code="macro", params=_params(name, kind))
        raise AttachmentRejected(ERR_CONTENT_MISMATCH, code="content_mismatch",
                                 params=_params(name, kind, actual=content_describe(head)))
    if any("vbaProject" in part or "macroEnabled" in ct for part, ct in part_types.items()):
        raise AttachmentRejected(ERR_MACRO, code="macro", params=_params(name, kind))
    fileobj.seek(0)


def _sha256(fileobj: IO[bytes]) -> str:
    fileobj.seek(0)
    digest = hashlib.sha256()
    while chunk := fileobj.read(CHUNK):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


def _kinds(allowed: Iterable[str]) -> list[FileKind]:
    return [KINDS[code] for code in allowed]


def attachment_check(*, upload, allowed: Sequence[str], max_bytes: int | None = None) -> CheckedFile:
    """Check an uploaded file (a Django UploadedFile or any object with .name, .size, .read, .seek).

    Order matters: size first (cheap, bounds all later work), then the claimed kind from the
    extension, then the content, which must be exactly that kind.
    """
    limit = max_bytes if max_bytes is not None else settings.RENDA_ATTACHMENT_MAX_BYTES
    name = filename_sanitize(getattr(upload, "name", ""))
    size = upload.size
    if not size:
        raise AttachmentRejected(ERR_EMPTY, code="empty")
    if size > limit:
        raise AttachmentRejected(ERR_TOO_LARGE, code="too_large",
                                 params={"size": _human_size(size), "limit": _human_size(limit)})
    kinds = _kinds(allowed)
    ext = _extension(name)
    kind = next((k for k in kinds if ext in k.extensions), None)
    if kind is None:
        allowed_text = "、".join(str(k.label) for k in kinds)
        raise AttachmentRejected(ERR_EXTENSION, code="extension",
                                 params={"ext": ext or str(_("无扩展名")), "allowed": allowed_text})
    fileobj = upload.file if hasattr(upload, "file") and upload.file is not None else upload
    if kind.is_ooxml:
        _check_ooxml(fileobj, name=name, kind=kind)
    else:
        _check_magic(fileobj, name=name, kind=kind)
    return CheckedFile(name=name, kind=kind, size=size, sha256=_sha256(fileobj))


# --- storage --------------------------------------------------------------------------------
def attachment_create(*, upload, allowed: Sequence[str], uploaded_by, congress=None,
                      owner: models.Model | None = None, max_bytes: int | None = None,
                      checked: CheckedFile | None = None) -> Attachment:
    """Check and store an upload. Identical content is stored once (the path is its SHA-256).

    A form field that has checked the upload already leaves the result on it (`renda_checked`, see
    CheckedFileField); it is reused when its kind is one of `allowed`, so a file is read once.
    """
    if checked is None:
        earlier = getattr(upload, "renda_checked", None)
        if isinstance(earlier, CheckedFile) and earlier.kind.code in allowed:
            checked = earlier
    checked = checked or attachment_check(upload=upload, allowed=allowed, max_bytes=max_bytes)
    fileobj = upload.file if hasattr(upload, "file") and upload.file is not None else upload
    att = Attachment(
        congress_id=getattr(congress, "pk", congress),  # a Congress or its id
        original_name=checked.name,
        mime_type=checked.kind.mime,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=uploaded_by if getattr(uploaded_by, "pk", None) else None,
    )
    if owner is not None:
        att.content_type = ContentType.objects.get_for_model(type(owner))
        att.object_id = owner.pk
    path = attachment_path(att, checked.name)
    if not default_storage.exists(path):
        fileobj.seek(0)
        path = default_storage.save(path, fileobj)
    att.file.name = path
    att.save()
    return att


def attachment_open(*, attachment: Attachment) -> IO[bytes]:
    return attachment.file.open("rb")


# --- access ---------------------------------------------------------------------------------
_OWNER_PERMS: dict[type[models.Model], str] = {}


def register_attachment_owner(model: type[models.Model], perm: str) -> None:
    """Declare that a user may download `model`'s attachments when `user.has_perm(perm, owner)`."""
    _OWNER_PERMS[model] = perm


def attachment_owner_perm(model: type[models.Model]) -> str | None:
    return _OWNER_PERMS.get(model)


def _may_view(user, att: Attachment) -> bool:
    if not getattr(user, "is_authenticated", False):
        # Anonymous users reach attachments only through an owner whose permission allows them.
        if att.content_type_id is None:
            return False
    if att.content_type_id is None:
        # Not yet attached to anything (an import awaiting confirmation): only its uploader.
        return att.uploaded_by_id is not None and att.uploaded_by_id == user.pk
    model = att.content_type.model_class()
    perm = _OWNER_PERMS.get(model) if model is not None else None
    if perm is None:
        return False
    owner = model._default_manager.filter(pk=att.object_id).first()
    return owner is not None and user.has_perm(perm, owner)


def attachment_get_for_user(*, user, attachment_id: int) -> Attachment:
    """The attachment if the user may download it; Attachment.DoesNotExist otherwise (404)."""
    att = Attachment.objects.select_related("content_type").get(pk=attachment_id)
    if not _may_view(user, att):
        raise Attachment.DoesNotExist
    return att


def attachments_for(*, owner: models.Model) -> models.QuerySet[Attachment]:
    ct = ContentType.objects.get_for_model(type(owner))
    return Attachment.objects.filter(content_type=ct, object_id=owner.pk).order_by("id")


# --- forms ----------------------------------------------------------------------------------
class SafeFileField(forms.FileField):
    """A FileField that runs `attachment_check`; the result is on `cleaned_file.renda_checked`."""

    def __init__(self, *args, allowed: Sequence[str] = DOCUMENTS, max_bytes: int | None = None, **kwargs):
        self.allowed = tuple(allowed)
        self.max_bytes = max_bytes
        kwargs.setdefault("allow_empty_file", True)  # our own message for empty files
        super().__init__(*args, **kwargs)
        accept = ",".join(ext for k in _kinds(self.allowed) for ext in k.extensions)
        self.widget.attrs.setdefault("accept", accept)

    def clean(self, data, initial=None):
        data = super().clean(data, initial)
        if data:
            data.renda_checked = attachment_check(upload=data, allowed=self.allowed, max_bytes=self.max_bytes)
        return data
