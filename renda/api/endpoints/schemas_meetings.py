"""Request and response shapes of the meetings and votes API (renda/api/endpoints/meetings.py) and of
the public Popolo export.

Input bounds mirror the services' limits (renda/meetings/services.py, renda/ballots/services.py), so
over-long text or out-of-range numbers are a 422 from the schema before any service runs; the services
check the same limits (and everything else) again.
"""

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field, StringConstraints

from renda.ballots.models import Vote
from renda.meetings.models import Meeting, Participant

from ..schemas import NO_NUL, Id, Ref, TimelineOut
from ..schemas import text as bounded
from ..schemas_opinions import VERSION, AttachmentOut, optional_text

CURSOR = r"^([0-9]{1,20}_[0-9]{1,19})?$"
MAX_OPTIONS = 200  # renda.ballots.services.MAX_OPTIONS
SMALL = Annotated[int, Field(ge=0, le=1_000_000)]
Mark = Annotated[str, StringConstraints(max_length=20, pattern=NO_NUL)]
OptionKey = Annotated[str, StringConstraints(max_length=20, pattern=NO_NUL)]


# --- rules as data --------------------------------------------------------------------------------
class ThresholdIn(Schema):
    base: Literal["seated", "entitled", "present", "cast"] = Field(
        description="基数：seated 全体组成人员，entitled 应到，present 出席，cast 投票（法定人数只能用前两种）")
    num: int = Field(ge=1, le=1000, description="分子")
    den: int = Field(ge=1, le=1000, description="分母")
    inclusive: bool = Field(False, description="true 为“以上”（含本数），false 为“过”（超过）")


class ThresholdOut(Schema):
    base: str
    num: int
    den: int
    inclusive: bool
    text: str = Field(description="规则的文字表述，如“全体组成人员的过半数”")


class DimensionIn(Schema):
    name: str = bounded(50, min_length=1, description="维度名称")
    weight: int = Field(1, ge=1, le=1000, description="权重")
    max_score: int = Field(100, ge=1, le=1000, description="满分")


class GradeIn(Schema):
    min_score: int = Field(ge=0, le=1000, description="该等次的最低分（含）")
    label: str = bounded(20, min_length=1, description="等次名称，如“满意”")


class ScoreConfigIn(Schema):
    dimensions: list[DimensionIn] = Field(min_length=1, max_length=20)
    trim: int = Field(0, ge=0, le=100, description="去掉最高分和最低分各几个")
    reject_all_full: bool = Field(True, description="全部满分的测评票无效")
    reject_all_same: bool = Field(True, description="对每个对象打相同分数的测评票无效")
    grades: list[GradeIn] = Field([], max_length=20)


# --- reads: meetings --------------------------------------------------------------------------------
class MeetingQuery(Schema):
    status: Meeting.Status | None = Field(None, description="状态")
    kind: Meeting.Kind | None = Field(None, description="会议类型")
    cursor: str = Field("", max_length=40, pattern=CURSOR, description="上一页返回的 next_cursor；省略为第一页")
    limit: int = Field(50, ge=1, le=200, description="每页条数，最多 200")


class MeetingOut(Schema):
    id: int
    congress: Ref
    kind: str
    kind_label: str
    title: str
    status: str
    status_label: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    location: str
    chair: Ref | None = Field(description="主持人（id 为人员 id）")
    group: Ref | None = Field(description="联席会议、协调会议的代表小组")
    notified_at: dt.datetime | None
    version: int


class MeetingPage(Schema):
    count: int = Field(description="符合条件的条数（超过 10,000 时为 10,000，见 count_capped）")
    count_capped: bool
    limit: int
    next_cursor: str = Field(description="下一页的 cursor；最后一页为空")
    items: list[MeetingOut]


class AttendanceOut(Schema):
    members: int = Field(description="组成人员（有表决权）人数")
    present: int = Field(description="已签到的组成人员")
    leave: int = Field(description="请假的组成人员")
    attending: int = Field(description="确认出席的组成人员")
    pending: int = Field(description="未回复的组成人员")
    attendees_present: int = Field(description="已签到的列席、旁听人员（不计入法定人数）")
    quorum_met: bool
    explanation: str = Field(description="如“出席 20 人，超过全体组成人员 35 人的半数，符合法定人数”")


class SeatOut(Schema):
    person: Ref
    role: str = Field(description="member 组成人员，attendee 列席，observer 旁听")
    role_label: str
    title: str
    reply: str = Field(description="pending 未回复，attending 确认出席，leave 请假")
    reply_label: str
    leave_reason: str = Field(description="请假理由：只有本人和会议的组织者、主持人可见，其他人为空")
    checked_in_at: dt.datetime | None
    checked_in_by: str = Field(description="self 扫码签到，staff 工作人员代签到；未签到为空")


class VoteOptionOut(Schema):
    id: int
    position: int
    label: str
    person_id: int | None = Field(description="任免、测评对象的人员 id")
    description: str


class MyBallotOut(Schema):
    on_roll: bool = Field(description="当前用户在表决名单中")
    present: bool
    voted: bool


class VoteOut(Schema):
    id: int
    title: str
    kind: str = Field(description="motion 议案，appointment 任免，choice 票决（选 k 项），score 测评打分，"
                                   "satisfaction 满意度测评")
    kind_label: str
    method: str = Field(description="electronic 电子表决，paper 纸质票")
    method_label: str
    secret: bool = Field(description="无记名")
    status: str
    status_label: str
    options: list[VoteOptionOut]
    max_choices: int | None = Field(description="票决：每票最多选几项")
    places: int | None = Field(description="票决：应选名额")
    tie_rule: str = Field(description="末位并列：runoff 再次投票，chair 主持人决定")
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None
    published_at: dt.datetime | None
    result: dict[str, Any] | None = Field(description="表决结果及其说明（explanation）；公布前为 null")
    me: MyBallotOut = Field(description="当前用户是否在名单中、是否出席、是否已投票（不含所投内容）")
    version: int
    actions: list[str] = Field(description="当前用户现在可执行的操作，名称为其 URL 的最后一段")


class AgendaItemOut(Schema):
    id: int
    position: int
    title: str
    presenter: str
    description: str
    decision: str = Field(description="会议决定")
    votes: list[VoteOut]


class DocumentOut(Schema):
    id: int
    title: str
    item_id: int | None
    published_at: dt.datetime | None = Field(description="发布给参会人员的时间；未发布（只有组织者可见）为 null")
    file: AttachmentOut


class MeetingDetailOut(MeetingOut):
    quorum: ThresholdOut = Field(description="法定人数规则")
    notice_days: int = Field(description="规定的提前通知天数")
    notice_note: str = Field(description="通知时间不足时说明的理由")
    notice_warning: str = Field(description="筹备中：现在发通知会少于规定天数时的提示；否则为空")
    attendance: AttendanceOut
    my_seat: SeatOut | None = Field(description="当前用户在本次会议中的席位；不参会为 null")
    participants: list[SeatOut] = Field(description="组成人员在前，再列席、旁听")
    items: list[AgendaItemOut] = Field(description="议程，按序号")
    documents: list[DocumentOut] = Field(description="会议材料：参会人员只看到已发布的")
    minutes: str
    checkin_token: str | None = Field(description="扫码签到的令牌（二维码内容）：只给组织者和主持人，其他人为 null")
    timeline: list[TimelineOut]
    actions: list[str] = Field(description="当前用户现在可对会议执行的操作，名称为其 URL 的最后一段")


# --- reads: votes ---------------------------------------------------------------------------------------
class ProgressOut(Schema):
    entitled: int = Field(description="应到（名单人数）")
    present: int
    voted: int = Field(description="已投票人数（电子表决）；从不包含所投内容")


class RollEntryOut(Schema):
    person: Ref
    present: bool
    voted: bool


class PendingTieOut(Schema):
    option_ids: list[int] = Field(description="在末位并列、争夺剩余名额的选项")
    open_places: int
    rule: str = Field(description="chair 由主持人决定（decide-tie），runoff 再次投票（runoff）")


class VoteDetailOut(VoteOut):
    meeting: Ref | None
    item: Ref | None = Field(description="议程")
    rule: ThresholdOut | None = Field(description="通过（当选）规则")
    quorum: ThresholdOut | None
    score_config: dict[str, Any] | None = Field(description="测评打分的维度、权重、去掉最高最低分、等次")
    seated: int = Field(description="全体组成人员数")
    progress: ProgressOut = Field(description="实时人数：只有人数，不含内容")
    roll: list[RollEntryOut] | None = Field(
        description="表决名单（谁出席、谁已投票）：只给能主持本表决的人；从不与选票关联；其他人为 null")
    issued: int | None = Field(description="纸质票：发出的选票")
    paper_counts_entered: bool = Field(description="纸质票：已录入计票结果（结果公布前不显示）")
    papers_entered: int | None = Field(description="纸质测评票：已逐张录入的张数；其他为 null")
    pending_tie: PendingTieOut | None = Field(description="结束后末位并列待处理时（只给能主持本表决的人）")
    runoff_of: int | None = Field(description="本表决是对哪次表决的并列者再次投票")
    runoffs: list[int] = Field(description="对本表决并列者的再次投票")


class MyVoteOut(VoteOut):
    meeting: Ref | None
    item: Ref | None


# --- writes: meetings ---------------------------------------------------------------------------------
class MeetingScheduleIn(Schema):
    kind: Meeting.Kind = Field(description="会议类型")
    title: str = bounded(200, min_length=1, description="会议名称")
    starts_at: dt.datetime = Field(description="开始时间（2000 至 2100 年）")
    ends_at: dt.datetime | None = Field(None, description="结束时间")
    location: str = optional_text(200, description="地点")
    chair_id: Id | None = Field(None, description="主持人（人员 id）")
    group_id: Id | None = Field(None, description="代表小组（联席会议、协调会议必填）")
    notice_days: int | None = Field(None, ge=0, le=90, description="提前通知天数；省略为该类会议的规定")
    quorum: ThresholdIn | None = Field(None, description="法定人数规则；省略为该类会议的规定")


class MeetingVersionIn(Schema):
    expected_version: int | None = VERSION


class MeetingNotifyIn(MeetingVersionIn):
    short_notice_reason: str = optional_text(500, description="通知时间少于规定天数时必填的理由")


class MeetingCancelIn(Schema):
    note: str = bounded(500, min_length=1, description="取消的理由（告知参会人员）")


class ParticipantIn(Schema):
    person_id: Id = Field(description="人员 id")
    role: Participant.Role = Field(Participant.Role.MEMBER, description="member 组成人员，attendee 列席，observer 旁听")
    title: str = optional_text(100, description="职务")


class PersonIn(Schema):
    person_id: Id = Field(description="人员 id")


class AgendaItemIn(Schema):
    title: str = bounded(300, min_length=1, description="议题")
    presenter: str = optional_text(100, description="汇报人")
    description: str = optional_text(5000, description="说明")


class AgendaMoveIn(Schema):
    direction: Literal["up", "down"] = Field(description="up 上移一位，down 下移一位")


class DocumentFormIn(Schema):
    title: str = bounded(200, min_length=1, description="材料名称")
    item_id: Id | None = Field(None, description="所属议题")


class ReplyIn(Schema):
    attending: bool = Field(description="true 确认出席，false 请假")
    reason: str = optional_text(500, description="请假理由（请假时必填）")


class CheckInIn(Schema):
    token: str = Field(max_length=64, pattern=NO_NUL, description="会场二维码中的签到令牌")


class DecisionIn(Schema):
    item_id: Id
    text: str = optional_text(5000, description="会议决定")


class MinutesIn(Schema):
    minutes: str = optional_text(50_000, description="会议纪要")
    decisions: list[DecisionIn] = Field([], max_length=MAX_OPTIONS, description="各议题的会议决定")


# --- writes: votes -------------------------------------------------------------------------------------
class VoteOptionIn(Schema):
    label: str = bounded(200, min_length=1, description="名称：被任免的人、项目、测评对象")
    person_id: Id | None = Field(None, description="对应的人员")
    description: str = optional_text(2000, description="说明")


class VoteAddIn(Schema):
    kind: Vote.Kind = Field(description="motion 议案，appointment 任免（每人一项），choice 票决（选 k 项），"
                                        "score 测评打分，satisfaction 满意度测评")
    title: str = optional_text(200, description="表决事项；省略为议题名称")
    method: Vote.Method = Field(Vote.Method.ELECTRONIC, description="electronic 电子表决，paper 纸质票")
    secret: bool = Field(True, description="无记名")
    options: list[VoteOptionIn] = Field([], max_length=MAX_OPTIONS,
                                        description="表决对象；议案表决省略（议案本身为唯一事项）")
    rule: ThresholdIn | None = Field(None, description="通过（当选）规则；议案和任免省略为全体组成人员的过半数")
    max_choices: int | None = Field(None, ge=1, le=MAX_OPTIONS, description="票决：每票最多选几项")
    places: int | None = Field(None, ge=1, le=MAX_OPTIONS, description="票决：应选名额（省略同 max_choices）")
    tie_rule: Vote.TieRule = Field(Vote.TieRule.RUNOFF, description="票决末位并列：runoff 再次投票，chair 主持人决定")
    score_config: ScoreConfigIn | None = Field(None, description="测评打分：省略为六个维度各 100 分、"
                                                                 "去掉一个最高分和最低分")


class CastIn(Schema):
    marks: dict[OptionKey, Mark | list[SMALL]] = Field(
        max_length=MAX_OPTIONS,
        description="议案、任免：{选项 id: \"yes\"|\"no\"|\"abstain\"}（每一项）；满意度：{选项 id: \"satisfied\"|"
                    "\"basic\"|\"unsatisfied\"}；测评：{选项 id: [各维度分数]}；票决：{\"chosen\": [选项 id, …]}")


class PaperCountsIn(Schema):
    issued: int = Field(ge=0, le=1_000_000, description="发出的选票")
    returned: int = Field(ge=0, le=1_000_000, description="收回的选票")
    invalid: int = Field(0, ge=0, le=1_000_000, description="无效票")
    options: dict[OptionKey, dict[Mark, SMALL] | SMALL] = Field(
        max_length=MAX_OPTIONS,
        description="每个选项的票数：议案、任免 {\"yes\", \"no\", \"abstain\"}；满意度 {\"satisfied\", \"basic\", "
                    "\"unsatisfied\"}；票决为得票数")


class PaperBallotIn(Schema):
    marks: dict[OptionKey, list[SMALL]] = Field(max_length=MAX_OPTIONS, description="{选项 id: [各维度分数]}")
    issued: int | None = Field(None, ge=0, le=1_000_000, description="发出的测评票（第一次录入时必填）")


class DecideTieIn(Schema):
    chosen: list[Id] = Field(max_length=MAX_OPTIONS, description="主持人从并列者中选定的选项")
    note: str = bounded(500, min_length=1, description="决定的理由（记录在结果中）")


class VoteCancelIn(Schema):
    note: str = bounded(500, min_length=1, description="取消的理由")


# --- the public Popolo export ----------------------------------------------------------------------------
# Field names and types are those of the Popolo JSON schemas (http://www.popoloproject.com/schemas/);
# whatever Popolo has no field for is in `extra`, the spec's convention for additional properties.
Extra = Field(None, description="Popolo 以外的属性（Popolo 规范的 extra 约定）")


class PopoloIdentifier(Schema):
    identifier: str
    scheme: str | None = None


class PopoloPerson(Schema):
    id: str
    name: str
    gender: str | None = None
    biography: str | None = None
    extra: dict[str, Any] | None = Extra


class PopoloOrganization(Schema):
    id: str
    name: str
    classification: str
    parent_id: str | None = None
    identifiers: list[PopoloIdentifier] | None = None
    extra: dict[str, Any] | None = Extra


class PopoloPost(Schema):
    id: str
    label: str
    role: str
    organization_id: str
    extra: dict[str, Any] | None = Extra


class PopoloMembership(Schema):
    id: str
    label: str | None = None
    role: str
    person_id: str
    organization_id: str
    post_id: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    extra: dict[str, Any] | None = Extra


class PopoloEvent(Schema):
    id: str
    name: str
    classification: str
    start_date: str | None = None
    end_date: str | None = None
    location: str | None = None
    status: str | None = None
    organization_id: str | None = None
    parent_id: str | None = None
    children: list["PopoloEvent"] | None = None
    extra: dict[str, Any] | None = Extra


class PopoloMotion(Schema):
    id: str
    organization_id: str | None = None
    legislative_session_id: str | None = None
    text: str
    classification: str
    date: str | None = None
    requirement: str | None = None
    result: str | None = None
    extra: dict[str, Any] | None = Extra


class PopoloCount(Schema):
    option: str
    value: int


class PopoloVote(Schema):
    voter_id: str
    option: str


class PopoloVoteEvent(Schema):
    id: str
    motion_id: str | None = None
    organization_id: str | None = None
    legislative_session_id: str | None = None
    classification: str
    start_date: str | None = None
    end_date: str | None = None
    result: str | None = None
    counts: list[PopoloCount]
    votes: list[PopoloVote] | None = Field(None, description="记名表决才有；无记名表决只有票数（counts）")
    extra: dict[str, Any] | None = Extra


class PopoloExport(Schema):
    persons: list[PopoloPerson]
    organizations: list[PopoloOrganization]
    memberships: list[PopoloMembership]
    posts: list[PopoloPost]
    events: list[PopoloEvent]
    motions: list[PopoloMotion]
    vote_events: list[PopoloVoteEvent]
    extra: dict[str, Any] | None = Extra
