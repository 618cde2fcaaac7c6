"""Request and response shapes of the citizens-to-deputies channel (民意高速通道) API.

Input bounds mirror the model limits (renda/opinions/models.py) so that over-long text is a 422
from the schema, before any service runs; the services check the same limits again.
"""

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from renda.opinions.models import NOTE_MAX, REPLY_MAX, TEXT_MAX, TITLE_MAX, Assignment, Opinion

from .schemas import NO_NUL, Id, Page, PageParams, Ref
from .schemas import text as bounded

VERSION = Field(None, ge=0, le=2**31 - 1, description="读取时的 version；提供时用于并发冲突检测（不一致返回 409）")
PHONE_LAST4 = Field("", max_length=4, pattern=r"^\d{0,4}$", description="手机号后 4 位；匿名意见留空")


def optional_text(max_length: int, *, description: str = ""):
    return Field("", max_length=max_length, pattern=NO_NUL, description=description)


CODE = Field(min_length=1, max_length=20, pattern=r"^[0-9A-Za-z\- ]+$", description="查询码")


# --- workspace: reads -----------------------------------------------------------------------------
class OpinionQuery(PageParams):
    status: Opinion.Status | None = Field(None, description="状态")
    town: Id | None = Field(None, description="镇（街道）id")
    community: Id | None = Field(None, description="村（社区）id")
    category: Id | None = Field(None, description="类别 id")
    deputy: Id | None = Field(None, description="代表 id")
    station: Id | None = Field(None, description="联络站 id")
    unit: Id | None = Field(None, description="承办单位 id")
    channel: Opinion.Channel | None = Field(None, description="来源")
    overdue: bool = Field(False, description="只看已逾期的")
    q: str = Field("", max_length=50, pattern=NO_NUL, description="全文检索")


class CitizenOut(Schema):
    name: str
    phone: str
    email: str
    address: str
    anonymous: bool = Field(description="未留手机号")
    masked: bool = Field(description="true 表示已按权限脱敏")


class OpinionOut(Schema):
    id: int
    tracking_code: str
    title: str
    status: str
    status_label: str
    channel: str
    channel_label: str
    category: Ref
    deputy: Ref | None
    station: Ref | None
    addressee: str = Field(description="代表姓名、联络站名称或“人大常委会机关”")
    town: Ref | None
    community: Ref | None
    submitted_at: dt.datetime
    current_due: dt.date | None = Field(description="当前步骤的期限")
    overdue: bool
    rating: str
    rehandle_count: int
    is_published: bool
    version: int


class OpinionPage(Page):
    items: list[OpinionOut]


class AttachmentOut(Schema):
    id: int
    name: str
    mime_type: str
    size: int
    url: str


class PartOut(Schema):
    id: int
    opinion_id: int
    unit: Ref
    round: int
    status: str
    status_label: str
    note: str = Field(description="转办说明")
    assigned_at: dt.datetime
    due: dt.date | None
    overdue: bool
    signed_at: dt.datetime | None
    return_reason: str
    reply_text: str
    replied_at: dt.datetime | None
    on_time: bool | None
    version: int
    actions: list[str] = Field(description="当前用户现在可对该单位办理件执行的操作")


class NoteOut(Schema):
    id: int
    kind: str
    kind_label: str
    text: str
    unit: str = Field(description="办理进展所属单位；其他为空")
    author: str
    created_at: dt.datetime


class OpinionTimelineOut(Schema):
    at: dt.datetime
    actor: str
    action: str
    action_label: str
    from_state: str
    from_label: str
    to_state: str
    to_label: str
    note: str


class OpinionDetailOut(OpinionOut):
    text: str
    citizen: CitizenOut
    offline_event: str
    offline_event_date: dt.date | None
    accepted_at: dt.datetime | None
    decline_reason: str
    reply_text: str
    replied_at: dt.datetime | None
    closed_at: dt.datetime | None
    handling_days: int | None
    on_time: bool | None
    rating_comment: str
    merged_into: int | None = Field(description="并入的意见 id")
    published_title: str
    published_text: str
    published_reply: str
    parts: list[PartOut] = Field(description="各承办单位的办理件（各轮次）")
    notes: list[NoteOut]
    attachments: list[AttachmentOut]
    actions: list[str] = Field(description="当前用户现在可执行的操作")
    timeline: list[OpinionTimelineOut] = Field(description="意见及各办理件的全部记录，最早的在前")


class PartQuery(PageParams):
    status: Assignment.Status | None = None
    overdue: bool = False


class PartListOut(PartOut):
    opinion: OpinionOut


class PartPage(Page):
    items: list[PartListOut]


class PartDetailOut(PartOut):
    opinion: OpinionDetailOut


# --- workspace: actions -----------------------------------------------------------------------------
class VersionIn(Schema):
    expected_version: int | None = VERSION


class ReasonIn(VersionIn):
    reason: str = bounded(NOTE_MAX, min_length=1, description="理由（必填）")


class ForwardIn(VersionIn):
    unit_ids: list[Id] = Field(min_length=1, max_length=20, description="承办单位 id（可多个）")
    note: str = optional_text(NOTE_MAX, description="转办说明")


class ReplyIn(VersionIn):
    reply_text: str = bounded(REPLY_MAX, min_length=1, description="答复内容")


class ReassignIn(VersionIn):
    deputy_id: Id | None = Field(None, description="改派给代表（与 station_id 二选一）")
    station_id: Id | None = Field(None, description="改派给联络站")
    note: str = bounded(NOTE_MAX, min_length=1, description="改派理由")


class TextIn(Schema):
    text: str = bounded(NOTE_MAX, min_length=1, description="内容")


class ExtendIn(Schema):
    extra_days: int = Field(ge=1, le=999, description="延长的工作日数")
    reason: str = bounded(NOTE_MAX, min_length=1, description="延期理由（必填）")
    part_id: Id | None = Field(None, description="只延长某一承办单位办理件的期限")


class MergeIn(VersionIn):
    into_id: Id = Field(description="并入的目标意见 id")
    note: str = bounded(NOTE_MAX, min_length=1, description="合并说明")


class PublishIn(Schema):
    title: str | None = Field(None, min_length=1, max_length=TITLE_MAX, pattern=NO_NUL,
                              description="公开标题；省略时用系统脱敏建议")
    text: str | None = Field(None, min_length=1, max_length=TEXT_MAX, pattern=NO_NUL, description="公开内容")
    reply: str | None = Field(None, min_length=1, max_length=REPLY_MAX, pattern=NO_NUL, description="公开答复")


class NoteIn(VersionIn):
    note: str = bounded(NOTE_MAX, min_length=1, description="理由（必填）")


class PartReassignIn(VersionIn):
    unit_id: Id = Field(description="改由该单位办理")
    note: str = bounded(NOTE_MAX, min_length=1, description="理由（必填）")


class SubmitFields(Schema):
    category_id: Id
    title: str = bounded(TITLE_MAX, min_length=1, description="标题")
    text: str = bounded(TEXT_MAX, min_length=1, description="意见内容")
    deputy_id: Id | None = Field(None, description="反映给代表（与 station_id 二选一）")
    station_id: Id | None = Field(None, description="反映给联络站")
    community_id: Id | None = Field(None, description="所在村（社区）")
    citizen_name: str = optional_text(50, description="姓名（可不填）")
    citizen_phone: str = Field("", max_length=20, pattern=r"^[\d\s\-]*$", description="手机号（可不填；不填为匿名）")
    address: str = optional_text(200, description="地址")


class OfflineIn(SubmitFields):
    offline_event: str = bounded(100, min_length=1, description="收集意见的活动（民声茶坊、民生夜话…）")
    offline_event_date: dt.date = Field(description="活动日期")
    idempotency_key: str | None = Field(None, min_length=16, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$",
                                        description="幂等键；重复提交返回第一次的结果")


# --- public -------------------------------------------------------------------------------------------
class CategoryOut(Schema):
    id: int
    code: str
    name: str
    description: str
    group: str


class PublicSubmitIn(SubmitFields):
    idempotency_key: str = Field(min_length=16, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$",
                                 description="幂等键（如 UUID）；重复提交返回第一次的结果（200）")


class SubmittedOut(Schema):
    tracking_code: str = Field(description="查询码：凭它（和手机号后 4 位）查询进度、评价")
    status: str
    status_label: str
    addressee: str
    submitted_at: dt.datetime
    due: dt.date | None = Field(description="受理期限")
    anonymous: bool


class TrackIn(Schema):
    code: str = CODE
    phone_last4: str = PHONE_LAST4


class RateIn(TrackIn):
    rating: Literal["satisfied", "basic", "unsatisfied"] = Field(description="满意、基本满意、不满意")
    comment: str = optional_text(NOTE_MAX, description="评价意见")


class PublicStepOut(Schema):
    at: dt.datetime
    label: str
    note: str


class TrackOut(Schema):
    tracking_code: str
    title: str
    category: str
    addressee: str
    status: str
    status_label: str
    submitted_at: dt.datetime
    due: dt.date | None = Field(description="当前步骤的期限；已答复或办结为 null")
    timeline: list[PublicStepOut]
    reply: str = Field(description="答复（已答复后）")
    replied_at: dt.datetime | None
    decline_reason: str
    rating: str
    can_rate: bool = Field(description="现在可以评价")


class PublishedQuery(PageParams):
    category: Id | None = None
    town: Id | None = None


class PublishedOut(Schema):
    id: int
    title: str
    category: str
    town: str
    published_at: dt.datetime | None
    replied_at: dt.datetime | None


class PublishedDetailOut(PublishedOut):
    text: str
    reply: str


class PublishedPage(Page):
    items: list[PublishedOut]

