"""Upload checks on content (zip bombs, renamed binaries, oversize) and access to stored files."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from renda.accounts.selectors import assignment_active_for
from renda.core import attachments
from renda.core.attachments import AttachmentRejected, attachment_check, attachment_create, filename_sanitize
from renda.core.models import Attachment
from renda.deputies.models import Deputy

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="{main}"/></Types>'
)
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def real_xlsx() -> bytes:
    wb = Workbook()
    wb.active.append(["姓名", "手机"])
    wb.active.append(["张三", "13800000000"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def ooxml_zip(members: dict[str, bytes], *, main: str = XLSX_MAIN) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=main))
        zf.writestr("xl/workbook.xml", "<workbook/>")
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def zip_bomb(uncompressed: int) -> bytes:
    """An xlsx-shaped zip whose sheet inflates to `uncompressed` bytes of zeros (~1000:1)."""
    chunk = b"\x00" * (1024 * 1024)
    # A full flush resets the compressor, so every 1 MB chunk compresses to the same bytes: the
    # stream is one compressed chunk repeated, then the final block. Cheap to build, real to inflate.
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    n = uncompressed // len(chunk)
    uncompressed = n * len(chunk)
    data = block * n + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    crc = 0
    for _ in range(n):
        crc = zlib.crc32(chunk, crc)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=XLSX_MAIN))
        zf.writestr("xl/workbook.xml", "<workbook/>")
    # Append a member by hand: writing 100 MB through zipfile would take as long as the check.
    head = out.getvalue()
    cd_start = struct.unpack("<I", head[-6:-2])[0]
    entries, central = head[:cd_start], head[cd_start:-22]
    name = b"xl/worksheets/sheet1.xml"
    local = struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data), uncompressed, len(name), 0)
    offset = len(entries)
    cd_entry = struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(data), uncompressed,
                           len(name), 0, 0, 0, 0, 0, offset)
    body = entries + local + name + data
    central = central + cd_entry + name
    count = 3
    eocd = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, count, count, len(central), len(body), 0)
    return body + central + eocd


def up(content: bytes, name: str = "名册.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def rejected(content: bytes, name: str = "名册.xlsx", allowed=("xlsx",)) -> AttachmentRejected:
    with pytest.raises(AttachmentRejected) as exc:
        attachment_check(upload=up(content, name), allowed=allowed)
    return exc.value


def message(exc: AttachmentRejected) -> str:
    return exc.messages[0]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# --- content checks --------------------------------------------------------------------------
def test_real_xlsx_passes():
    checked = attachment_check(upload=up(real_xlsx()), allowed=("xlsx",))
    assert checked.kind.code == "xlsx" and checked.name == "名册.xlsx" and len(checked.sha256) == 64


def test_zip_bomb_over_the_size_limit_is_rejected_before_parsing():
    bomb = zip_bomb(attachments.ZIP_MAX_UNCOMPRESSED + 1024 * 1024)
    assert len(bomb) < 200 * 1024  # a small upload that would unpack to over 100 MB
    exc = rejected(bomb)
    assert exc.code == "zip_bomb"
    assert message(exc) == "文件“名册.xlsx”解压后过大或压缩比异常（疑似压缩炸弹），已拒绝。"


def test_zip_bomb_by_ratio_is_rejected():
    exc = rejected(ooxml_zip({"xl/worksheets/sheet1.xml": b"\x00" * (4 * 1024 * 1024)}))
    assert exc.code == "zip_bomb"


def test_zip_whose_header_lies_about_its_size_is_rejected():
    """The central directory claims 1 KB; the data inflates to 3 MB. zipfile stops at the declared
    size and the CRC no longer matches, so the lie is caught before openpyxl."""
    data = ooxml_zip({"xl/worksheets/sheet1.xml": b"<a>" + b"x" * (3 * 1024 * 1024) + b"</a>"})
    idx = data.rfind(b"PK\x01\x02")  # the last central directory entry is the sheet
    size_at = idx + 24
    patched = data[:size_at] + struct.pack("<I", 1024) + data[size_at + 4:]
    exc = rejected(patched)
    assert exc.code in {"corrupt", "zip_bomb"}


def test_zip_with_too_many_entries_is_rejected(monkeypatch):
    monkeypatch.setattr(attachments, "ZIP_MAX_ENTRIES", 20)
    exc = rejected(ooxml_zip({f"xl/media/{i}.xml": b"<a/>" for i in range(30)}))
    assert message(exc) == "文件“名册.xlsx”包含的内部文件过多（疑似压缩炸弹），已拒绝。"


@pytest.mark.parametrize(("content", "actual"), [
    (PNG, "PNG 图片"),
    (ELF, "可执行程序（ELF）"),
    ("姓名,手机\n张三,13800000000\n".encode(), "纯文本（如 CSV）"),
    ("姓名,手机\n张三,13800000000\n".encode("gbk"), "纯文本（如 CSV）"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "PDF 文档"),
])
def test_renamed_files_are_rejected_with_what_they_really_are(content, actual):
    exc = rejected(content)
    assert exc.code == "content_mismatch"
    assert message(exc) == (f"文件“名册.xlsx”的内容是{actual}，不是Excel 工作簿（.xlsx），已拒绝。"
                            "请上传真正的Excel 工作簿（.xlsx）。")


def test_plain_zip_and_docx_renamed_xlsx_are_rejected():
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("readme.txt", "hello")
    assert rejected(plain.getvalue()).code == "content_mismatch"
    docx_main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=docx_main).replace("/xl/workbook.xml",
                                                                                        "/word/document.xml"))
        zf.writestr("word/document.xml", "<document/>")
    assert rejected(out.getvalue()).code == "content_mismatch"


def test_macro_workbook_renamed_xlsx_is_rejected():
    xlsm = ooxml_zip({"xl/vbaProject.bin": b"\x00" * 10}, main="application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    assert rejected(xlsm).code == "macro"


def test_doctype_in_an_xml_part_is_rejected():
    evil = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><worksheet>&lol;</worksheet>'
    assert rejected(ooxml_zip({"xl/worksheets/sheet1.xml": evil})).code == "xml_doctype"


def test_encrypted_member_is_rejected():
    data = bytearray(ooxml_zip({}))
    idx = data.rfind(b"PK\x01\x02")
    data[idx + 8] |= 0x01  # general purpose flag: encrypted
    assert rejected(bytes(data)).code == "encrypted"


def test_garbage_after_zip_magic_is_corrupt():
    exc = rejected(b"PK\x03\x04" + b"\x00" * 500)
    assert exc.code == "corrupt"
    assert message(exc) == "文件“名册.xlsx”已损坏或不是有效的Excel 工作簿（.xlsx），无法打开。"


def test_oversize_and_empty(settings):
    settings.RENDA_ATTACHMENT_MAX_BYTES = 1000
    exc = rejected(b"x" * 1500)
    assert exc.code == "too_large" and message(exc) == "文件过大（1.5 KB），单个文件不能超过 1000 B。"
    assert rejected(b"").code == "empty"


def test_extension_must_be_allowed_and_match_content():
    exc = rejected(PNG, name="photo.exe", allowed=("xlsx", "png"))
    assert message(exc) == "不支持的文件类型“.exe”，只接受：Excel 工作簿（.xlsx）、PNG 图片。"
    assert attachment_check(upload=up(PNG, "照片.PNG"), allowed=("png",)).kind.mime == "image/png"
    # An xlsx dressed up as a picture is no more welcome than the reverse.
    assert rejected(real_xlsx(), name="photo.png", allowed=("png", "jpeg")).code == "content_mismatch"


@pytest.mark.parametrize(("raw", "clean"), [
    ("../../etc/passwd.xlsx", "passwd.xlsx"),
    ("C:\\Users\\张三\\名册.xlsx", "名册.xlsx"),
    ('<b>"a"|b?.xlsx', "_b__a__b_.xlsx"),
    ("<script>alert(1)</script>.xlsx", "script_.xlsx"),
    ("  .hidden.xlsx", "hidden.xlsx"),
    ("名册\x00\r\n.xlsx", "名册___.xlsx"),
    ("", "未命名"),
    ("长" * 300 + ".xlsx", "长" * 195 + ".xlsx"),
])
def test_filenames_are_sanitised(raw, clean):
    assert filename_sanitize(raw) == clean


# --- storage and download -----------------------------------------------------------------------
def _as(user):
    user.active_assignment = assignment_active_for(user=user)
    return user


@pytest.fixture
def deputy_owner(monkeypatch):
    monkeypatch.setitem(attachments._OWNER_PERMS, Deputy, "deputies.view_deputy")


def test_stored_under_content_hash_once(world, media):
    a = attachment_create(upload=up(PNG, "../../照片.png"), allowed=("png",), uploaded_by=world.users["staff"],
                          congress=world.city, owner=world.deputy)
    b = attachment_create(upload=up(PNG, "另一张.png"), allowed=("png",), uploaded_by=world.users["staff"],
                          congress=world.city, owner=world.deputy)
    assert a.file.name == b.file.name == f"attachments/{a.sha256[:2]}/{a.sha256}"
    assert a.original_name == "照片.png" and a.mime_type == "image/png" and a.size == len(PNG)
    assert [p.name for p in (media / "attachments" / a.sha256[:2]).iterdir()] == [a.sha256]


def test_download_for_allowed_users_only(world, client_for, deputy_owner):
    att = attachment_create(upload=up(PNG, "代表照片.png"), allowed=("png",), uploaded_by=world.users["staff"],
                            congress=world.city, owner=world.deputy)
    url = f"/files/{att.pk}/"
    r = client_for("director").get(url)
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == PNG
    assert r["Content-Type"] == "image/png"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E4%BB%A3" in r["Content-Disposition"]
    for role in ["anonymous", "norole", "unit", "town_staff", "other_town_staff"]:
        assert client_for(role).get(url).status_code == 404, role
    assert client_for("staff").get("/files/999999/").status_code == 404


def test_unregistered_owner_and_orphans(world, client_for):
    att = attachment_create(upload=up(PNG, "a.png"), allowed=("png",), uploaded_by=world.users["staff"],
                            congress=world.city, owner=world.deputy)
    # Deputy not registered as an attachment owner here: nobody may download.
    assert client_for("staff").get(f"/files/{att.pk}/").status_code == 404
    orphan = attachment_create(upload=up(real_xlsx()), allowed=("xlsx",), uploaded_by=world.users["staff"],
                               congress=world.city)
    assert client_for("staff").get(f"/files/{orphan.pk}/").status_code == 200
    assert client_for("director").get(f"/files/{orphan.pk}/").status_code == 404
    assert client_for("anonymous").get(f"/files/{orphan.pk}/").status_code == 404


def test_missing_file_on_disk_is_404(world, client_for, media):
    att = attachment_create(upload=up(real_xlsx()), allowed=("xlsx",), uploaded_by=world.users["staff"],
                            congress=world.city)
    (media / att.file.name).unlink()
    assert client_for("staff").get(f"/files/{att.pk}/").status_code == 404
    assert Attachment.objects.filter(pk=att.pk).exists()


def test_a_forms_check_is_reused_only_for_an_allowed_kind(world, media, monkeypatch):
    checked = attachment_check(upload=up(PNG, "照片.png"), allowed=("png",))
    calls = []
    real_check = attachments.attachment_check
    monkeypatch.setattr(attachments, "attachment_check", lambda **kw: calls.append(kw) or real_check(**kw))
    upload = up(PNG, "照片.png")
    upload.renda_checked = checked
    att = attachment_create(upload=upload, allowed=("png", "jpeg"), uploaded_by=world.users["staff"],
                            congress=world.city.pk)
    assert calls == [] and att.sha256 == checked.sha256 and att.congress_id == world.city.pk
    # Checked as a PNG, but this caller only takes xlsx: checked again, and refused.
    other = up(PNG, "照片.png")
    other.renda_checked = checked
    with pytest.raises(AttachmentRejected):
        attachment_create(upload=other, allowed=("xlsx",), uploaded_by=world.users["staff"], congress=world.city)
    assert len(calls) == 1
