"""Request and response shapes. Input bounds are part of the contract: ids fit a signed 64-bit
integer, text is short and free of NUL (PostgreSQL cannot store it), so bad input is a 422 and
never a database error."""

import datetime as dt
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from renda.deputies.models import Deputy
from renda.org.models import Place

MAX_ID = 2**63 - 1
MAX_LIMIT = 200
DEFAULT_LIMIT = 50
MAX_OFFSET = 10_000_000
NO_NUL = r"^[^\x00]*$"

Id = Annotated[int, Field(gt=0, le=MAX_ID)]


def text(max_length: int, *, min_length: int = 0, description: str = ""):
    return Field(min_length=min_length, max_length=max_length, pattern=NO_NUL, description=description)


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="每页条数，最多 200")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="跳过的条数")


class Page(Schema):
    count: int
    limit: int
    offset: int


# --- small references ---------------------------------------------------------------------------
class Ref(Schema):
    id: int
    name: str


class CongressOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_label: str
    body_name: str
    parent_id: int | None


class AssignmentOut(Schema):
    id: int
    role: str
    role_label: str
    congress: Ref
    office: Ref | None
    unit: Ref | None
    deputy_id: int | None


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    is_superuser: bool
    roles: list[AssignmentOut]
    active_role: AssignmentOut | None


# --- organisation -------------------------------------------------------------------------------
class CongressPage(Page):
    items: list[CongressOut]


class PlaceQuery(PageParams):
    kind: Place.Kind | None = None
    parent_id: Id | None = None


class PlaceOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    parent_id: int | None
    congress_id: int | None
    code: str


class PlacePage(Page):
    items: list[PlaceOut]


class OfficeOut(Schema):
    id: int
    name: str
    code: str
    supervises: bool
    member_count: int


class OfficePage(Page):
    items: list[OfficeOut]


class CommitteeMemberOut(Schema):
    id: int
    name: str
    post: str
    post_label: str
    office: Ref | None
    term: int
    start_date: dt.date
    end_date: dt.date | None


class CommitteeMemberPage(Page):
    items: list[CommitteeMemberOut]


class UnitContactOut(Schema):
    name: str
    title: str
    phone: str
    email: str


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    is_active: bool
    congress: Ref


class UnitDetailOut(UnitOut):
    contacts: list[UnitContactOut] | None = Field(description="无权查看联系人时为 null")


class UnitPage(Page):
    items: list[UnitOut]


# --- deputies -----------------------------------------------------------------------------------
class DeputyQuery(PageParams):
    q: str = Field("", max_length=50, pattern=NO_NUL, description="姓名或工作单位中的文字")
    status: Deputy.Status | None = None
    group_id: Id | None = None
    district_id: Id | None = None
    sector: Deputy.Sector | None = None
    town_id: Id | None = None


class ContactOut(Schema):
    phone: str
    email: str
    id_number: str
    masked: bool = Field(description="true 表示已按权限脱敏")


class DeputyOut(Schema):
    id: int
    person_id: int
    name: str
    gender: str
    ethnicity: str
    party: str
    occupation: str
    birth_month: str = Field(description="出生年月 YYYY-MM，未知为空")
    congress: Ref
    term: int
    district: Ref | None
    group: Ref | None
    sector: str
    sector_label: str
    status: str
    status_label: str
    version: int
    contact: ContactOut


class MembershipOut(Schema):
    id: int
    congress: Ref
    term: int
    status: str
    status_label: str


class TimelineOut(Schema):
    at: dt.datetime
    actor: str = Field(description="操作人；系统操作为空")
    action: str
    action_label: str
    from_state: str
    from_label: str
    to_state: str
    to_label: str
    note: str


class DeputyDetailOut(DeputyOut):
    memberships: list[MembershipOut]
    actions: list[str] = Field(description="当前用户现在可执行的状态操作")
    timeline: list[TimelineOut] = Field(description="状态变更记录，最早的在前")


class DeputyPage(Page):
    items: list[DeputyOut]


class StatusIn(Schema):
    action: Literal["suspend", "resume", "terminate"] = Field(description="suspend 暂停、resume 恢复、terminate 终止")
    note: str = text(500, min_length=1, description="理由（必填）")
    expected_version: int = Field(ge=0, le=2**31 - 1, description="读取时的 version，用于并发冲突检测")


class StationOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    congress: Ref
    town: Ref
    address: str
    brand: str
    reception_days: str
    phone: str


class DutyOut(Schema):
    deputy_id: int
    name: str
    congress: Ref
    schedule: str


class StationDetailOut(StationOut):
    communities: list[Ref]
    duties: list[DutyOut]


class StationPage(Page):
    items: list[StationOut]


# --- public ------------------------------------------------------------------------------------
class PublicPlaceOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str


class PublicPlacePage(Page):
    items: list[PublicPlaceOut]


class PublicDeputyOut(Schema):
    """A deputy's public profile. Never contact details, ID numbers or dates of birth."""

    id: int
    name: str
    gender: str
    party: str
    occupation: str
    bio: str
    congress: str
    level: str = Field(description="city、town 等")
    level_label: str
    district: str
    group: str
    sector: str


class PublicStationOut(Schema):
    id: int
    name: str
    kind_label: str
    congress: str
    town: str
    address: str
    brand: str
    reception_days: str
    phone: str


class RepresentativesOut(Schema):
    community: PublicPlaceOut
    town: PublicPlaceOut | None
    deputies: list[PublicDeputyOut]
    stations: list[PublicStationOut]
