"""Request and response shapes of the deputies' suggestions (代表建议办理) API.

Input bounds mirror the model limits (renda/suggestions/models.py), so over-long text is a 422 from
the schema before any service runs; the services check the same limits (and everything else) again.
"""

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from renda.suggestions.models import (
    NOTE_MAX,
    PROPOSAL_MAX,
    REPLY_MAX,
    SECTION_MAX,
    TITLE_MAX,
    Assignment,
    Contact,
    Note,
    Period,
    Suggestion,
)

from .schemas import NO_NUL, Id, Page, PageParams, Ref
from .schemas import text as bounded
from .schemas_opinions import VERSION, AttachmentOut, optional_text

MAX_IDS = 50  # ids in one request (co-signers, units, bulk assignment)
CURSOR = r"^([0-9]{1,20}_[0-9]{1,19})?$"
YEAR = Field(None, ge=2000, le=2099, description="年度")


# --- reads ----------------------------------------------------------------------------------------
class SuggestionQuery(Schema):
    status: Suggestion.Status | None = Field(None, description="状态")
    period: Id | None = Field(None, description="征集期 id")
    year: int | None = YEAR
    category: Id | None = Field(None, description="类别 id")
    unit: Id | None = Field(None, description="承办单位 id")
    deputy: Id | None = Field(None, description="联名（含领衔）代表 id")
    outcome: Suggestion.Outcome | None = Field(None, description="办理结果 A/B/C/D")
    key: bool = Field(False, description="只看重点督办")
    overdue: bool = Field(False, description="只看已逾期未答复的")
    q: str = Field("", max_length=50, pattern=NO_NUL, description="全文检索")
    cursor: str = Field("", max_length=40, pattern=CURSOR, description="上一页返回的 next_cursor；省略为第一页")
    limit: int = Field(50, ge=1, le=200, description="每页条数，最多 200")


class SuggestionOut(Schema):
    id: int
    number: int | None = Field(description="征集期内的编号（立案时编）")
    number_display: str = Field(description="如“十七届六次第001号”")
    title: str
    status: str
    status_label: str
    category: Ref
    author: Ref = Field(description="领衔代表（id 为代表 id）")
    period: Ref | None
    mode: str = Field(description="lead 主办协办，separate 分别办理；未交办为空")
    mode_label: str
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    assigned_at: dt.datetime | None
    due: dt.date | None = Field(description="答复单位最早的答复期限")
    overdue: bool
    outcome: str
    outcome_label: str
    is_key: bool = Field(description="重点督办")
    is_published: bool
    version: int


class SuggestionListOut(SuggestionOut):
    units_label: str = Field(description="承办单位（协办单位注明）")


class SuggestionPage(Schema):
    count: int = Field(description="符合条件的条数（超过 10,000 时为 10,000，见 count_capped）")
    count_capped: bool
    limit: int
    next_cursor: str = Field(description="下一页的 cursor；最后一页为空")
    items: list[SuggestionListOut]


class SuggestionSignerOut(Schema):
    deputy: Ref
    is_author: bool
    status: str
    status_label: str
    invited_at: dt.datetime
    responded_at: dt.datetime | None


class SuggestionContactOut(Schema):
    id: int
    deputy: Ref
    contacted_on: dt.date
    form: str
    form_label: str
    content: str
    round: int = Field(description="1 首次办理，2 重新办理或B类跟踪")
    created_at: dt.datetime


class SuggestionRatingOut(Schema):
    id: int
    deputy: Ref
    value: str
    value_label: str
    comment: str
    created_at: dt.datetime


class SuggestionReplyOut(Schema):
    id: int
    part_id: int
    unit: Ref
    kind: str
    kind_label: str
    outcome: str
    outcome_label: str
    text: str
    committed_date: dt.date | None = Field(description="B类承诺解决时间")
    created_at: dt.datetime
    is_current: bool = Field(description="代表现在评价的答复")
    files: list[AttachmentOut] = Field(description="加盖公章的答复函等")
    ratings: list[SuggestionRatingOut]


class SuggestionExtensionOut(Schema):
    id: int
    months: int
    reason: str
    status: str
    status_label: str
    requested_at: dt.datetime
    decided_at: dt.datetime | None
    decision_note: str


class SuggestionDeadlineOut(Schema):
    id: int
    label: str = Field(description="期限规则，如“建议答复”")
    start: dt.date
    due: dt.date
    state: str
    state_label: str
    met_on: dt.date | None
    overdue: bool
    provisional: bool = Field(description="涉及尚未录入节假日安排的年份，暂按双休日计算")
    explanation: str = Field(description="期限是怎样算出来的")


class SuggestionPartOut(Schema):
    id: int
    suggestion_id: int
    unit: Ref
    role: str
    role_label: str
    status: str
    status_label: str
    note: str = Field(description="交办说明")
    assigned_at: dt.datetime
    signed_at: dt.datetime | None
    return_reason: str
    due: dt.date | None = Field(description="当前答复（或协办意见、重新办理）期限")
    overdue: bool
    extended_months: int
    outcome: str
    outcome_label: str
    answered_at: dt.datetime | None
    on_time: bool | None
    rehandled: bool
    version: int
    actions: list[str] = Field(description="当前用户现在可对该承办任务执行的操作（即操作地址的最后一段）")


class SuggestionPartFullOut(SuggestionPartOut):
    contacts: list[SuggestionContactOut] = Field(description="办前联系")
    replies: list[SuggestionReplyOut] = Field(description="协办意见、答复、重新办理答复、B类进展与办结答复")
    extensions: list[SuggestionExtensionOut]
    deadlines: list[SuggestionDeadlineOut]


class SuggestionNoteOut(Schema):
    id: int
    kind: str
    kind_label: str
    text: str
    unit: str = Field(description="发给的单位；发给全部在办单位为空")
    author: str
    created_at: dt.datetime


class SuggestionMilestoneOut(Schema):
    id: int
    due: dt.date
    text: str
    done_on: dt.date | None


class SuggestionKeyOut(Schema):
    leader: Ref = Field(description="督办领导（常委会组成人员）")
    meeting_date: dt.date
    note: str
    milestones: list[SuggestionMilestoneOut]


class SuggestionMergedOut(Schema):
    id: int
    title: str
    author: str
    status: str


class SuggestionTimelineOut(Schema):
    at: dt.datetime
    actor: str
    action: str
    action_label: str
    from_state: str
    from_label: str
    to_state: str
    to_label: str
    note: str


class SuggestionDetailOut(SuggestionOut):
    units_label: str
    situation: str
    problem: str
    proposal: str
    proposed_units: list[Ref] = Field(description="代表建议的承办单位（供交办参考）")
    reviewed_at: dt.datetime | None
    review_note: str = Field(description="不予立案、转参阅件、退回修改的理由")
    replied_at: dt.datetime | None
    on_time: bool | None
    rehandled: bool
    closed_at: dt.datetime | None
    merged_into: int | None = Field(description="并入的建议 id")
    merged_items: list[SuggestionMergedOut] = Field(description="并入本建议的建议")
    published_title: str
    published_text: str
    published_reply: str
    published_at: dt.datetime | None
    signers: list[SuggestionSignerOut] = Field(description="领衔和联名代表")
    parts: list[SuggestionPartFullOut] = Field(description="各承办单位的承办任务（含已撤回的）")
    notes: list[SuggestionNoteOut] = Field(description="催办和督办意见")
    key: SuggestionKeyOut | None = Field(description="重点督办")
    attachments: list[AttachmentOut]
    timeline: list[SuggestionTimelineOut] = Field(
        description="建议的全部记录（提交、立案、交办、答复、评价…），最早的在前")
    actions: list[str] = Field(description="当前用户现在可执行的操作（即操作地址的最后一段）")


class SuggestionPartQuery(PageParams):
    status: Assignment.Status | None = Field(None, description="状态；省略时不含已撤回的")
    overdue: bool = Field(False, description="只看已逾期的")


class SuggestionPartListOut(SuggestionPartOut):
    suggestion: SuggestionOut


class SuggestionPartPage(Page):
    items: list[SuggestionPartListOut]


class SuggestionPartDetailOut(SuggestionPartFullOut):
    suggestion: SuggestionDetailOut


class SuggestionSimilarQuery(Schema):
    text: str = Field(max_length=2000, pattern=NO_NUL, description="起草中的标题、问题或建议（至少 4 个字）")
    exclude: Id | None = Field(None, description="不列出的建议（正在修改的这件）")


class SuggestionSimilarReplyOut(Schema):
    unit: str
    kind_label: str
    outcome: str
    outcome_label: str
    text: str
    created_at: dt.datetime


class SuggestionSimilarOut(Schema):
    id: int
    number_display: str
    title: str
    status: str
    status_label: str
    year: int | None
    period: str
    author: str
    reply: SuggestionSimilarReplyOut | None = Field(description="最近的答复")


class SuggestionInvitationOut(Schema):
    suggestion_id: int
    title: str
    author: str = Field(description="领衔代表")
    status: str
    status_label: str
    invited_at: dt.datetime


class SuggestionToRateOut(Schema):
    reply_id: int
    suggestion_id: int
    suggestion_title: str
    unit: str
    kind_label: str
    outcome: str
    outcome_label: str
    created_at: dt.datetime


class SuggestionTasksOut(Schema):
    invitations: list[SuggestionInvitationOut] = Field(description="待确认的联名邀请")
    to_rate: list[SuggestionToRateOut] = Field(description="待评价的答复")


class SuggestionPeriodOut(Schema):
    id: int
    kind: str
    kind_label: str
    year: int
    name: str
    number_prefix: str
    is_open: bool
    accepts_submissions: bool = Field(description="现在可以提交到这个征集期")
    opened_at: dt.datetime | None
    closes_at: dt.datetime | None
    closed_at: dt.datetime | None


class SuggestionUnitLoadOut(Schema):
    unit: Ref
    open: int
    overdue: int


class SuggestionReturnOut(Schema):
    part_id: int
    suggestion_id: int
    suggestion_title: str
    unit: Ref
    return_reason: str
    version: int


class SuggestionPendingExtensionOut(SuggestionExtensionOut):
    part_id: int
    suggestion_id: int
    suggestion_title: str
    unit: Ref


class SuggestionSupervisionOut(Schema):
    units: list[SuggestionUnitLoadOut] = Field(description="各单位在办和逾期的承办任务数，逾期多的在前")
    returns: list[SuggestionReturnOut] = Field(description="待处理的退回申请")
    extensions: list[SuggestionPendingExtensionOut] = Field(description="待审批的延期申请")


# --- writes: the deputies ---------------------------------------------------------------------------
class SuggestionDraftIn(Schema):
    category_id: Id
    title: str = bounded(TITLE_MAX, min_length=1, description="标题")
    situation: str = optional_text(SECTION_MAX, description="现状")
    problem: str = optional_text(SECTION_MAX, description="存在的问题")
    proposal: str = bounded(PROPOSAL_MAX, min_length=1, description="具体建议")
    unit_ids: list[Id] = Field([], max_length=MAX_IDS, description="建议的承办单位（供交办参考）")


class SuggestionDraftUpdateIn(SuggestionDraftIn):
    expected_version: int | None = VERSION


class SuggestionVersionIn(Schema):
    expected_version: int | None = VERSION


class SuggestionInviteIn(Schema):
    deputy_ids: list[Id] = Field(min_length=1, max_length=MAX_IDS, description="邀请联名的代表 id")


class SuggestionUninviteIn(Schema):
    deputy_id: Id = Field(description="取消对该代表的联名邀请")


class SuggestionRespondIn(Schema):
    confirm: bool = Field(description="true 确认联名，false 谢绝")


class SuggestionRespondOut(Schema):
    status: str = Field(description="confirmed 已确认，declined 已谢绝")
    status_label: str
    suggestion: SuggestionDetailOut | None = Field(description="确认后的建议；谢绝后不再可见，为 null")


class SuggestionSubmitIn(SuggestionVersionIn):
    period_id: Id | None = Field(None, description="征集期；省略时为正在征集的那一个")


class SuggestionRateIn(Schema):
    reply_id: Id = Field(description="评价的答复")
    value: Literal["satisfied", "basic", "unsatisfied"] = Field(description="满意、基本满意、不满意")
    comment: str = optional_text(NOTE_MAX, description="意见（不满意时请写明理由）")


# --- writes: the office ------------------------------------------------------------------------------
class SuggestionReasonIn(SuggestionVersionIn):
    reason: str = bounded(NOTE_MAX, min_length=1, description="理由（代表可见）")


class SuggestionStepNoteIn(SuggestionVersionIn):
    note: str = bounded(NOTE_MAX, min_length=1, description="理由（必填）")


class SuggestionMergeIn(SuggestionVersionIn):
    into_id: Id = Field(description="并入的建议（已立案或办理中）")
    note: str = bounded(NOTE_MAX, min_length=1, description="并案理由")


class SuggestionAssignPlan(Schema):
    mode: Suggestion.Mode = Field(description="lead 主办协办，separate 分别办理")
    lead_unit_id: Id | None = Field(None, description="主办单位（mode=lead）")
    co_unit_ids: list[Id] = Field([], max_length=MAX_IDS, description="协办单位（mode=lead，可多个）")
    unit_ids: list[Id] = Field([], max_length=MAX_IDS, description="分别办理的单位（mode=separate，至少两个）")
    note: str = optional_text(NOTE_MAX, description="交办说明")


class SuggestionAssignIn(SuggestionAssignPlan):
    expected_version: int | None = VERSION


class SuggestionBulkAssignIn(SuggestionAssignPlan):
    suggestion_ids: list[Id] = Field(min_length=1, max_length=MAX_IDS,
                                     description="已立案的建议；每件按当时的版本交办")


class SuggestionBulkFailedOut(Schema):
    id: int
    message: str


class SuggestionBulkAssignOut(Schema):
    assigned: list[SuggestionOut]
    failed: list[SuggestionBulkFailedOut] = Field(description="未能交办的建议及原因（已被他人交办、不存在或无权交办…）")


class SuggestionRemindIn(Schema):
    kind: Note.Kind = Field(description="remind 催办，supervise 督办意见")
    text: str = bounded(NOTE_MAX, min_length=1, description="内容")
    part_id: Id | None = Field(None, description="只发给这一承办任务的单位；省略时发给全部在办单位")


class SuggestionMilestoneIn(Schema):
    due: dt.date
    text: str = bounded(200, min_length=1, description="工作内容")


class SuggestionKeyIn(Schema):
    leader_id: Id = Field(description="督办领导（本级常委会组成人员 id）")
    meeting_date: dt.date = Field(description="主任会议日期")
    note: str = optional_text(NOTE_MAX, description="督办要求")
    milestones: list[SuggestionMilestoneIn] = Field([], max_length=MAX_IDS, description="督办节点")


class SuggestionUnkeyIn(Schema):
    reason: str = bounded(NOTE_MAX, min_length=1, description="取消理由")


class SuggestionMilestoneDoneIn(Schema):
    milestone_id: Id
    done_on: dt.date | None = Field(None, description="完成日期；省略为今天")


class SuggestionPublishIn(Schema):
    title: str | None = Field(None, min_length=1, max_length=TITLE_MAX, pattern=NO_NUL,
                              description="公开标题；省略时用系统脱敏建议")
    text: str | None = Field(None, min_length=1, max_length=PROPOSAL_MAX, pattern=NO_NUL, description="公开的建议内容")
    reply: str | None = Field(None, min_length=1, max_length=REPLY_MAX, pattern=NO_NUL, description="公开的答复")


class SuggestionPeriodIn(Schema):
    kind: Period.Kind = Field(description="session 大会期间，recess 闭会期间")
    year: int = Field(ge=2000, le=2099)
    name: str = bounded(100, min_length=1, description="名称，如“市十七届人大三次会议”")
    number_prefix: str = optional_text(30, description="编号前缀，如“十七届三次”")
    closes_at: dt.datetime | None = Field(None, description="截止时间（到时自动停止征集）")


class SuggestionPeriodOpenIn(Schema):
    closes_at: dt.datetime | None = Field(None, description="截止时间（到时自动停止征集）")


class SuggestionPartReassignIn(SuggestionVersionIn):
    unit_id: Id = Field(description="改由该单位办理（同一承办方式）")
    note: str = bounded(NOTE_MAX, min_length=1, description="理由（必填）")


class SuggestionExtensionDecideIn(Schema):
    extension_id: Id = Field(description="该承办任务待审批的延期申请")
    approve: bool
    note: str = optional_text(NOTE_MAX, description="审批意见（不同意时必填）")


# --- writes: the units -----------------------------------------------------------------------------------
class SuggestionContactIn(Schema):
    deputy_id: Id = Field(description="联系的代表（领衔、联名或并案建议的代表）")
    contacted_on: dt.date = Field(description="联系日期（交办之日至今天）")
    form: Contact.Form = Field(description="联系方式")
    content: str = bounded(NOTE_MAX, min_length=1, description="联系内容")


class SuggestionViewsIn(SuggestionVersionIn):
    text: str = bounded(REPLY_MAX, min_length=1, description="协办意见")


class SuggestionReplyFormIn(Schema):
    outcome: Suggestion.Outcome = Field(
        description="A 已解决或基本解决，B 正在解决或列入计划，C 因条件限制暂时难以解决，D 留作参考")
    text: str = bounded(REPLY_MAX, min_length=1, description="答复内容")
    committed_date: dt.date | None = Field(None, description="承诺解决时间（B类必填，今天以后）")
    expected_version: int | None = VERSION


class SuggestionSolveFormIn(Schema):
    text: str = bounded(REPLY_MAX, min_length=1, description="解决情况（答复代表）")
    expected_version: int | None = VERSION


class SuggestionProgressIn(Schema):
    text: str = bounded(REPLY_MAX, min_length=1, description="B类办理进展")


class SuggestionExtensionIn(Schema):
    months: int = Field(ge=1, le=3, description="延期月数（累计不超过 3 个月，即答复期限最长 6 个月）")
    reason: str = bounded(NOTE_MAX, min_length=1, description="延期理由（代表可见）")


# --- files added afterwards, and the public's published suggestions --------------------------------------
class SuggestionFilesOut(Schema):
    files: list[AttachmentOut]


class PublishedSuggestionOut(Schema):
    id: int
    title: str
    published_at: dt.datetime | None


class PublishedSuggestionDetailOut(PublishedSuggestionOut):
    text: str
    reply: str


class PublishedSuggestionPage(Page):
    items: list[PublishedSuggestionOut]
