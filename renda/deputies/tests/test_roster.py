"""Roster import services: validation messages, all-or-nothing writes, person reuse, re-validation."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from renda.accounts.selectors import assignment_active_for
from renda.core.models import Attachment, Event
from renda.deputies import roster
from renda.deputies.models import Deputy, Person

HEADERS = [c.header for c in roster.COLUMNS]


# --- helpers (imported by test_roster_views.py) ------------------------------------------------
def as_role(user):
    user.active_assignment = assignment_active_for(user=user)
    return user


def id_number(birth: dt.date, seq: int = 123) -> str:
    """A resident ID with a valid check digit (GB 11643)."""
    body = f"320585{birth:%Y%m%d}{seq:03d}"
    return body + roster.ID_CHECK[sum(int(d) * w for d, w in zip(body, roster.ID_WEIGHTS, strict=True)) % 11]


def row(**over) -> dict:
    base = {"姓名": "王芳", "性别": "女", "民族": "汉族", "出生日期": "1980-05-06", "选区": "第5选区",
            "代表小组": "沙溪代表小组", "界别": "专业技术人员", "党派": "中共党员",
            "工作单位及职务": "太仓市实验小学校长",
            "手机": "13900001111", "身份证号": "", "邮箱": "", "状态": ""}
    base.update(over)
    return base


def people(n: int, *, start: int = 0, district: str = "第5选区", group: str = "沙溪代表小组") -> list[dict]:
    out = []
    for i in range(start, start + n):
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=7 * i % 18000)
        out.append(row(**{"姓名": f"代表{i:05d}", "出生日期": birth.isoformat(), "手机": f"139{i:08d}",
                          "身份证号": id_number(birth, i % 1000), "选区": district, "代表小组": group}))
    return out


def xlsx(rows: list[dict], headers: list[str] = HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append([r.get(h, "") for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(content: bytes, name: str = "代表名册.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def preview_of(world, rows, user="staff"):
    return roster.roster_import_preview(user=as_role(world.users[user]), upload=upload(xlsx(rows)))


def messages_of(prepared) -> list[str]:
    return [str(e) for e in prepared.preview.errors]


# --- a valid file ----------------------------------------------------------------------------
def test_valid_file_previews_then_commits_everything(world):
    staff = as_role(world.users["staff"])
    deputies, persons, events = Deputy.objects.count(), Person.objects.count(), Event.objects.count()
    prepared = roster.roster_import_preview(user=staff, upload=upload(xlsx(people(3))))
    assert prepared.preview.is_valid, messages_of(prepared)
    assert prepared.token and prepared.attachment is not None
    # The preview writes nothing but the stored upload.
    assert (Deputy.objects.count(), Person.objects.count()) == (deputies, persons)

    result = roster.roster_import_commit(user=staff, attachment_id=prepared.attachment.pk)
    assert (result.deputies, result.new_persons, result.reused_persons) == (3, 3, 0)
    assert Deputy.objects.count() == deputies + 3
    assert Person.objects.count() == persons + 3
    d = Deputy.objects.get(person__name="代表00001")
    assert (d.congress, d.term, d.district, d.group) == (world.city, world.city_term, world.city_district, world.group)
    assert (d.sector, d.status, d.person.gender) == ("professional", "active", "female")
    assert d.person.history.count() == 1 and d.history.count() == 1
    assert Event.objects.count() == events + 3
    assert Event.objects.filter(object_id=d.pk, action="import", to_state="active", actor=staff).exists()


def test_cell_types_excel_produces_are_understood(world):
    birth = dt.date(1975, 6, 1)
    rows = [row(**{"出生日期": dt.datetime(1975, 6, 1), "手机": 13900001111, "身份证号": id_number(birth),
                   "状态": "暂停", "性别": "女性"}),
            row(**{"姓名": "赵强", "性别": "男", "出生日期": "1975年6月2日", "手机": "+86 139-0000-2222"}),
            row(**{"姓名": "钱明", "性别": "男", "出生日期": 19750603, "手机": "１３９００００３３３３"}),
            row(**{"姓名": "孙丽", "出生日期": "1975/6/4", "手机": "13900004444", "代表小组": "",
                   "邮箱": "sun@example.org"})]
    prepared = preview_of(world, rows)
    assert prepared.preview.is_valid, messages_of(prepared)
    v = [r.values for r in prepared.preview.rows]
    assert [x["birth_date"] for x in v] == [dt.date(1975, 6, d) for d in (1, 2, 3, 4)]
    assert [x["phone"] for x in v] == ["13900001111", "13900002222", "13900003333", "13900004444"]
    assert v[0]["status"] == "suspended" and v[0]["gender"] == "female"
    assert v[3]["group"] is None


# --- broken rows -----------------------------------------------------------------------------
BROKEN = [
    ({"出生日期": "1970-13-01"}, "第2行「出生日期」：无法识别的日期“1970-13-01”"),
    ({"出生日期": "去年"}, "第2行「出生日期」：无法识别的日期“去年”"),
    ({"出生日期": "2020-01-01"}, "第2行「出生日期」：出生日期“2020-01-01”不合理（代表须年满18周岁）"),
    ({"选区": "火星选区"}, "第2行「选区」：本届没有名为“火星选区”的选区（可选值见模板的“可选值”工作表）"),
    ({"选区": "浏家港选区"}, "第2行「选区」：本届没有名为“浏家港选区”的选区（可选值见模板的“可选值”工作表）"),
    ({"代表小组": "不存在小组"},
     "第2行「代表小组」：本届没有名为“不存在小组”的代表小组（可选值见模板的“可选值”工作表）"),
    ({"手机": "1234"}, "第2行「手机」：手机号码格式不正确“1234”（应为11位手机号）"),
    ({"手机": "23900001111"}, "第2行「手机」：手机号码格式不正确“23900001111”（应为11位手机号）"),
    ({"性别": "未知"}, "第2行「性别」：应为“男”或“女”，而不是“未知”"),
    ({"界别": "学生"},
     "第2行「界别」：未知的界别“学生”，应为：工人、农民、党政干部、专业技术人员、企业负责人、解放军、其他"),
    ({"状态": "退休"}, "第2行「状态」：未知的状态“退休”，应为：在任、暂停、终止"),
    ({"姓名": ""}, "第2行「姓名」：必填，不能为空"),
    ({"民族": ""}, "第2行「民族」：必填，不能为空"),
    ({"党派": ""}, "第2行「党派」：必填，不能为空"),
    ({"工作单位及职务": "x" * 201}, "第2行「工作单位及职务」：不能超过200个字"),
    ({"身份证号": "12345"}, "第2行「身份证号」：身份证号格式不正确“12345”（应为18位）"),
    ({"身份证号": "320585198005061230"}, "第2行「身份证号」：身份证号校验位不正确“320585198005061230”"),
    ({"身份证号": id_number(dt.date(1981, 5, 6))}, "第2行「身份证号」：身份证号中的出生日期与「出生日期」不一致"),
    ({"身份证号": 320585198005061234},
     "第2行「身份证号」：身份证号被存成了数字，末几位已丢失：请把该列设为文本格式后重新填写"),
    ({"邮箱": "not-an-email"}, "第2行「邮箱」：邮箱格式不正确“not-an-email”"),
]


BROKEN_IDS = ["bad_date", "text_date", "too_young", "unknown_district", "other_congress_district", "unknown_group",
              "short_phone", "bad_phone_prefix", "gender", "sector", "status", "no_name", "no_ethnicity", "no_party",
              "long_occupation", "id_format", "id_checksum", "id_birth_mismatch", "id_as_number", "email"]


@pytest.mark.parametrize(("override", "message"), BROKEN, ids=BROKEN_IDS)
def test_each_broken_cell_has_its_message(world, override, message):
    prepared = preview_of(world, [row(**override)])
    assert messages_of(prepared) == [message]
    assert not prepared.preview.is_valid
    assert prepared.token == "" and prepared.attachment is None


def test_row_numbers_follow_the_sheet_and_every_error_is_listed(world):
    rows = people(4)
    rows[1]["出生日期"] = "1970-13-01"
    rows[3]["手机"] = "110"
    rows[3]["选区"] = "无此选区"
    msgs = messages_of(preview_of(world, rows))
    assert msgs == ["第3行「出生日期」：无法识别的日期“1970-13-01”",
                    "第5行「选区」：本届没有名为“无此选区”的选区（可选值见模板的“可选值”工作表）",
                    "第5行「手机」：手机号码格式不正确“110”（应为11位手机号）"]


def test_one_bad_row_blocks_the_whole_file(world):
    rows = people(5)
    rows[4]["性别"] = "?"
    before = (Deputy.objects.count(), Person.objects.count(), Attachment.objects.count())
    prepared = preview_of(world, rows)
    assert not prepared.preview.is_valid and prepared.preview.error_rows == 1
    assert (Deputy.objects.count(), Person.objects.count(), Attachment.objects.count()) == before


def test_duplicates_inside_the_file(world):
    rows = people(2)
    same_id = dict(rows[0], **{"姓名": rows[0]["姓名"]})
    same_person_no_id = row(**{"姓名": "周杰", "身份证号": ""})
    rows += [same_id, same_person_no_id, dict(same_person_no_id)]
    assert messages_of(preview_of(world, rows)) == [
        "第4行「身份证号」：与第2行是同一人员，文件中重复",
        "第6行「姓名」：与第5行是同一人员，文件中重复",
    ]


def test_person_already_deputy_of_this_congress_and_term(world):
    # 张建国 (world.person) sits in the city congress; matched by name + birth date + phone.
    r = row(**{"姓名": "张建国", "性别": "男", "出生日期": "1970-01-01", "手机": "13812345678"})
    assert messages_of(preview_of(world, [r])) == ["第2行「姓名」：“张建国”已是太仓市人大第17届代表"]


def test_id_number_registered_to_someone_else(world):
    birth = dt.date(1980, 5, 6)
    Person.objects.create(name="吴敏", phone="13700000000", id_number=id_number(birth), birth_date=birth)
    r = row(**{"身份证号": id_number(birth)})
    assert messages_of(preview_of(world, [r])) == ["第2行「身份证号」：该身份证号已登记在“吴敏”名下，与姓名不一致"]


def test_missing_columns_and_empty_files(world):
    headers = [h for h in HEADERS if h not in ("出生日期", "手机")]
    prepared = roster.roster_import_preview(user=as_role(world.users["staff"]),
                                            upload=upload(xlsx([row()], headers=headers)))
    assert messages_of(prepared) == ["缺少必需的列「出生日期」，请使用模板。", "缺少必需的列「手机」，请使用模板。"]
    prepared = preview_of(world, [])
    assert messages_of(prepared) == ["文件中没有代表数据。"]


def test_header_marks_and_extra_columns_are_tolerated(world):
    headers = [h + ("*" if c.required else "") for h, c in zip(HEADERS, roster.COLUMNS, strict=True)] + ["备注"]
    data = {h + ("*" if c.required else ""): v for (h, v), c in zip(row().items(), roster.COLUMNS, strict=True)}
    data["备注"] = "随便写"
    prepared = roster.roster_import_preview(user=as_role(world.users["staff"]), upload=upload(xlsx([data], headers)))
    assert prepared.preview.is_valid, messages_of(prepared)


def test_too_many_rows(world, monkeypatch):
    monkeypatch.setattr(roster, "MAX_ROWS", 3)
    assert "文件超过3行，请分批导入。" in messages_of(preview_of(world, people(4)))


def test_formatted_empty_rows_count_towards_the_work_bound(world, monkeypatch):
    monkeypatch.setattr(roster, "MAX_SCANNED_ROWS", 10)
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    ws.append(list(row().values()))
    for r in range(3, 40):
        ws.cell(row=r, column=1).number_format = "@"  # styled, empty
    out = io.BytesIO()
    wb.save(out)
    prepared = roster.roster_import_preview(user=as_role(world.users["staff"]), upload=upload(out.getvalue()))
    assert messages_of(prepared) == ["文件超过20000行，请分批导入。"]


# --- persons ---------------------------------------------------------------------------------
def test_person_is_reused_across_congresses(world):
    rows = people(1, district="第5选区")
    city = roster.roster_import_preview(user=as_role(world.users["staff"]), upload=upload(xlsx(rows)))
    roster.roster_import_commit(user=world.users["staff"], attachment_id=city.attachment.pk)
    persons = Person.objects.count()

    town_rows = [dict(rows[0], **{"选区": "新港选区", "代表小组": ""})]
    town_staff = as_role(world.users["town_staff"])
    town = roster.roster_import_preview(user=town_staff, upload=upload(xlsx(town_rows)))
    assert town.preview.is_valid and town.preview.reused_persons == 1
    result = roster.roster_import_commit(user=town_staff, attachment_id=town.attachment.pk)
    assert (result.new_persons, result.reused_persons) == (0, 1)
    assert Person.objects.count() == persons
    person = Person.objects.get(name="代表00000")
    assert set(person.memberships.values_list("congress__kind", flat=True)) == {"city", "town"}


def test_person_matched_by_name_birth_and_phone_gets_missing_fields_filled(world):
    # 张建国 has a town seat only in this scenario's town; import him into the other town.
    r = row(**{"姓名": "张建国", "性别": "男", "出生日期": "1970-01-01", "手机": "13812345678", "选区": "浏家港选区",
               "代表小组": "", "邮箱": ""})
    Person.objects.filter(pk=world.person.pk).update(email="")
    staff = as_role(world.users["other_town_staff"])
    prepared = roster.roster_import_preview(user=staff, upload=upload(xlsx([dict(r, 邮箱="zjg@example.org")])))
    assert prepared.preview.is_valid, messages_of(prepared)
    roster.roster_import_commit(user=staff, attachment_id=prepared.attachment.pk)
    world.person.refresh_from_db()
    assert world.person.email == "zjg@example.org"
    # The existing name and ID number are kept, not overwritten by the file.
    assert world.person.id_number == "320585197001011234"
    assert world.person.memberships.count() == 3


# --- confirm ---------------------------------------------------------------------------------
def test_confirm_revalidates_and_writes_nothing_when_data_changed(world):
    staff = as_role(world.users["staff"])
    rows = people(3)
    prepared = roster.roster_import_preview(user=staff, upload=upload(xlsx(rows)))
    assert prepared.preview.is_valid
    # Meanwhile somebody seats the second person and renames the district.
    birth = dt.date.fromisoformat(rows[1]["出生日期"])
    p = Person.objects.create(name=rows[1]["姓名"], phone=rows[1]["手机"], birth_date=birth,
                              id_number=rows[1]["身份证号"])
    Deputy.objects.create(congress=world.city, term=world.city_term, person=p, district=world.city_district)
    before = (Deputy.objects.count(), Person.objects.count())
    with pytest.raises(roster.RosterInvalid) as exc:
        roster.roster_import_commit(user=staff, attachment_id=prepared.attachment.pk)
    assert [str(e) for e in exc.value.preview.errors] == ["第3行「姓名」：“代表00001”已是太仓市人大第17届代表"]
    assert (Deputy.objects.count(), Person.objects.count()) == before


def test_failure_while_writing_rolls_back_every_row(world, monkeypatch):
    staff = as_role(world.users["staff"])
    prepared = roster.roster_import_preview(user=staff, upload=upload(xlsx(people(4))))
    before = (Deputy.objects.count(), Person.objects.count(), Event.objects.count())

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Event.objects, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        roster.roster_import_commit(user=staff, attachment_id=prepared.attachment.pk)
    assert (Deputy.objects.count(), Person.objects.count(), Event.objects.count()) == before


def test_commit_of_another_users_or_congress_upload_is_not_found(world):
    prepared = preview_of(world, people(1))
    with pytest.raises(Attachment.DoesNotExist):
        roster.roster_import_commit(user=as_role(world.users["town_staff"]), attachment_id=prepared.attachment.pk)
    with pytest.raises(roster.RosterTokenInvalid):
        roster.roster_import_token_read(token=prepared.token, user=as_role(world.users["town_staff"]))
    with pytest.raises(roster.RosterTokenInvalid):
        roster.roster_import_token_read(token=prepared.token[:-2] + "xx", user=as_role(world.users["staff"]))
    assert roster.roster_import_token_read(token=prepared.token, user=as_role(world.users["staff"])) == \
        prepared.attachment.pk


def test_only_the_managing_office_may_import(world):
    from django.core.exceptions import PermissionDenied

    for role in ["deputy", "unit", "director", "discipline", "evaluatee", "norole", "admin"]:
        with pytest.raises(PermissionDenied):
            roster.roster_import_preview(user=as_role(world.users[role]), upload=upload(xlsx(people(1))))
        with pytest.raises(PermissionDenied):
            roster.roster_template_build(user=as_role(world.users[role]))


def test_commit_runs_a_bounded_number_of_queries(world):
    staff = as_role(world.users["staff"])

    def queries(n: int, start: int) -> int:
        prepared = roster.roster_import_preview(user=staff, upload=upload(xlsx(people(n, start=start))))
        with CaptureQueriesContext(connection) as ctx:
            roster.roster_import_commit(user=staff, attachment_id=prepared.attachment.pk)
        return len(ctx.captured_queries)

    assert queries(10, 0) == queries(60, 100)


def test_html_in_cells_is_stored_as_text(world):
    staff = as_role(world.users["staff"])
    name = "<script>alert(1)</script>"
    prepared = roster.roster_import_preview(user=staff, upload=upload(xlsx([row(**{"姓名": name})])))
    assert prepared.preview.is_valid
    roster.roster_import_commit(user=staff, attachment_id=prepared.attachment.pk)
    assert Person.objects.filter(name=name).exists()


# --- template --------------------------------------------------------------------------------
def test_blank_template_lists_the_active_congress_values(world):
    content, filename = roster.roster_template_build(user=as_role(world.users["staff"]))
    assert filename.endswith(".xlsx")
    wb = load_workbook(io.BytesIO(content))
    ws = wb[roster.SHEET_ROSTER]
    assert [c.value for c in ws[1]] == HEADERS
    assert ws["A2"].value == roster.EXAMPLE_NAME
    choices = wb[roster.SHEET_CHOICES]
    column_a = [c.value for c in choices["A"] if c.value]
    assert column_a == ["选区", "第5选区"]  # the city's district only, never another congress's
    assert "浏家港选区" not in column_a
    assert [c.value for c in choices["B"] if c.value] == ["代表小组", "沙溪代表小组"]
    assert len(ws.data_validations.dataValidation) == 5
    assert roster.SHEET_NOTES in wb.sheetnames


def test_untouched_template_imports_nothing(world):
    content, _name = roster.roster_template_build(user=as_role(world.users["staff"]))
    prepared = roster.roster_import_preview(user=as_role(world.users["staff"]), upload=upload(content))
    assert prepared.preview.skipped_example
    assert messages_of(prepared) == ["文件中没有代表数据。"]


def test_filled_template_round_trips(world):
    content, _name = roster.roster_template_build(user=as_role(world.users["staff"]))
    wb = load_workbook(io.BytesIO(content))
    ws = wb[roster.SHEET_ROSTER]
    for i, value in enumerate(people(1)[0].values(), start=1):
        ws.cell(row=3, column=i, value=value)
    out = io.BytesIO()
    wb.save(out)
    prepared = roster.roster_import_preview(user=as_role(world.users["staff"]), upload=upload(out.getvalue()))
    assert prepared.preview.is_valid, messages_of(prepared)
    assert [r.number for r in prepared.preview.rows] == [3]
