"""Deputies' suggestions (代表建议办理): drafts, co-signers, review, assignment to units, replies, ratings.

A Suggestion is written by its author deputy (领衔代表), co-signed by other deputies (Signer), and
submitted into a Period (大会期间 or 闭会期间). Staff review it, then assign it: one Assignment per
unit, as the lead (主办) with co-units (协办), or to several units separately (分别办理). Each unit's
part has its own status and clocks; a unit's written answers are Replies (the co-units' views, the
lead's reply with its class A/B/C/D, follow-up reports), and every signing deputy rates each reply
(Rating). Statuses change only through renda/suggestions/workflow.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from renda.core.models import WorkflowModel

TITLE_MAX = 100
SECTION_MAX = 3000  # 现状 and 问题
PROPOSAL_MAX = 5000  # 建议
NOTE_MAX = 2000
REPLY_MAX = 10000
MAX_EXTENSION_MONTHS = 3  # 3 months + at most 3 months of extensions = 6 months in total


class Category(models.Model):
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("建议类别")
        verbose_name_plural = _("建议类别")
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return self.name


class Period(models.Model):
    """A submission window: the congress session (大会期间) or the recess (闭会期间) of a year.

    Deputies submit only while it is open: staff open and close it, and `closes_at` (if set)
    closes it by itself.
    """

    class Kind(models.TextChoices):
        SESSION = "session", _("大会期间")
        RECESS = "recess", _("闭会期间")

    congress = models.ForeignKey("org.Congress", on_delete=models.PROTECT, related_name="suggestion_periods")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("名称"), max_length=100)
    number_prefix = models.CharField(_("编号前缀"), max_length=30, blank=True,
                                     help_text=_("例如“十七届二次”，建议编号显示为“十七届二次第001号”"))
    is_open = models.BooleanField(_("正在征集"), default=False)
    opened_at = models.DateTimeField(_("开始征集"), null=True, blank=True)
    closes_at = models.DateTimeField(_("截止时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束征集"), null=True, blank=True)
    last_number = models.PositiveIntegerField(_("已用编号"), default=0, editable=False)

    class Meta:
        verbose_name = _("建议征集期")
        verbose_name_plural = _("建议征集期")
        ordering = ["-year", "kind", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "year", "kind", "name"], name="suggestion_period_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def accepts_submissions(self, now) -> bool:
        return self.is_open and (self.closes_at is None or now < self.closes_at)


class Suggestion(WorkflowModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审查")
        REVISING = "revising", _("退回修改")
        WITHDRAWN = "withdrawn", _("已撤回")
        DECLINED = "declined", _("不予立案")
        REFERENCE = "reference", _("转为参阅件")
        ACCEPTED = "accepted", _("已立案待交办")
        MERGED = "merged", _("已并案")
        HANDLING = "handling", _("办理中")
        REPLIED = "replied", _("已答复待评价")
        REHANDLING = "rehandling", _("重新办理中")
        FOLLOWING = "following", _("B类跟踪办理")
        CLOSED = "closed", _("已办结")

    class Mode(models.TextChoices):
        LEAD = "lead", _("主办协办")
        SEPARATE = "separate", _("分别办理")

    class Outcome(models.TextChoices):
        A = "A", _("A 已解决或基本解决")
        B = "B", _("B 正在解决或列入计划")
        C = "C", _("C 因条件限制暂时难以解决")
        D = "D", _("D 留作参考")

    # The states in which units are at work or deputies are still rating.
    IN_HANDLING = (Status.HANDLING, Status.REPLIED, Status.REHANDLING, Status.FOLLOWING)
    EDITABLE = (Status.DRAFT, Status.REVISING)

    congress = models.ForeignKey("org.Congress", on_delete=models.PROTECT, related_name="suggestions")
    # Set at submission: the period whose window was open then.
    period = models.ForeignKey(Period, on_delete=models.PROTECT, null=True, blank=True, related_name="suggestions",
                               verbose_name=_("征集期"))
    number = models.PositiveIntegerField(_("编号"), null=True, blank=True)
    author = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="suggestions",
                               verbose_name=_("领衔代表"))
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="suggestions",
                                 verbose_name=_("类别"))
    title = models.CharField(_("标题"), max_length=TITLE_MAX)
    situation = models.TextField(_("现状"), max_length=SECTION_MAX, blank=True)
    problem = models.TextField(_("问题"), max_length=SECTION_MAX, blank=True)
    proposal = models.TextField(_("建议"), max_length=PROPOSAL_MAX)
    proposed_units = models.ManyToManyField("org.Unit", blank=True, related_name="+",
                                            verbose_name=_("建议承办单位"))

    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("起草时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    review_note = models.TextField(_("审查意见"), blank=True, max_length=NOTE_MAX)
    mode = models.CharField(_("办理方式"), max_length=10, choices=Mode.choices, blank=True)
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    # The earliest open reply deadline of the answering units (a copy for lists and the overdue filter).
    due = models.DateField(_("答复期限"), null=True, blank=True)
    outcome = models.CharField(_("办理结果"), max_length=1, choices=Outcome.choices, blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    on_time = models.BooleanField(_("按期答复"), null=True, blank=True)
    rehandled = models.BooleanField(_("经重新办理"), default=False)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="merged_items", verbose_name=_("并入"))
    is_key = models.BooleanField(_("重点督办"), default=False)
    # Publication: the redacted copy is what the public sees.
    is_published = models.BooleanField(_("已公开"), default=False)
    published_title = models.CharField(_("公开标题"), max_length=TITLE_MAX, blank=True)
    published_text = models.TextField(_("公开内容"), blank=True, max_length=PROPOSAL_MAX)
    published_reply = models.TextField(_("公开答复"), blank=True, max_length=REPLY_MAX)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("代表建议")
        verbose_name_plural = _("代表建议")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["congress", "status", "-submitted_at", "-id"], name="sugg_congress_status"),
            # The office's list filtered by state and category: the page and its capped count read only
            # matching index entries (docs/performance.md, issue 4).
            models.Index(fields=["congress", "status", "category", "-submitted_at", "-id"],
                         name="sugg_congress_status_cat"),
            models.Index(fields=["congress", "-submitted_at", "-id"], name="sugg_congress_recent"),
            models.Index(fields=["period", "status"], name="sugg_period_status"),
            models.Index(fields=["author", "status"], name="sugg_author_status"),
            models.Index(fields=["congress", "due"], name="sugg_congress_due",
                         condition=Q(status__in=["handling", "rehandling"])),
            models.Index(fields=["is_published", "-published_at"], name="sugg_published",
                         condition=Q(is_published=True)),
        ]
        constraints = [
            models.UniqueConstraint(fields=["period", "number"], name="suggestion_number_unique",
                                    condition=Q(number__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/suggestions/{self.pk}/"

    @property
    def number_display(self) -> str:
        if not self.number:
            return ""
        return _("%(prefix)s第%(n)03d号") % {"prefix": self.period.number_prefix, "n": self.number}

    @property
    def body(self) -> str:
        return "\n".join(p for p in (self.situation, self.problem, self.proposal) if p)


class Signer(models.Model):
    """A deputy who signs the suggestion: the author (confirmed at creation) or an invited co-signer (联名)."""

    class Status(models.TextChoices):
        INVITED = "invited", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        DECLINED = "declined", _("已谢绝")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="signers")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="suggestion_signatures",
                               verbose_name=_("代表"))
    is_author = models.BooleanField(_("领衔"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.INVITED)
    invited_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)
    responded_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("联名代表")
        verbose_name_plural = _("联名代表")
        ordering = ["-is_author", "id"]
        constraints = [models.UniqueConstraint(fields=["suggestion", "deputy"], name="signer_unique")]
        indexes = [models.Index(fields=["deputy", "status"], name="signer_deputy_status")]

    def __str__(self) -> str:
        return f"{self.suggestion_id}:{self.deputy_id}"

    @property
    def congress_id(self) -> int:
        """The suggestion's congress: the scope of the permission and of the events of SIGNER_FLOW."""
        return self.suggestion.congress_id


class Assignment(WorkflowModel):
    """One unit's part of a suggestion (交办): its role, status, clocks and answers."""

    class Role(models.TextChoices):
        LEAD = "lead", _("主办")
        CO = "co", _("协办")
        SEPARATE = "separate", _("分别办理")

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("待签收")
        SIGNED = "signed", _("办理中")
        RETURNED = "returned", _("申请退回")
        WITHDRAWN = "withdrawn", _("已撤回")
        ANSWERED = "answered", _("已答复")
        REHANDLING = "rehandling", _("重新办理中")
        FOLLOWING = "following", _("B类跟踪办理")

    ANSWERING = (Role.LEAD, Role.SEPARATE)  # the roles whose reply the deputies rate
    ACTIVE = (Status.ASSIGNED, Status.SIGNED, Status.RETURNED, Status.REHANDLING, Status.FOLLOWING)

    congress = models.ForeignKey("org.Congress", on_delete=models.PROTECT, related_name="+")
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="suggestion_assignments",
                             verbose_name=_("承办单位"))
    role = models.CharField(_("承办方式"), max_length=10, choices=Role.choices)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.ASSIGNED)
    note = models.TextField(_("交办说明"), blank=True, max_length=NOTE_MAX)
    assigned_at = models.DateTimeField(_("交办时间"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True, max_length=NOTE_MAX)
    # The open answer deadline (reply, views or re-handling), copied from its Deadline row.
    due = models.DateField(_("答复期限"), null=True, blank=True)
    extended_months = models.PositiveSmallIntegerField(_("已延期（月）"), default=0)
    outcome = models.CharField(_("办理结果"), max_length=1, choices=Suggestion.Outcome.choices, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    on_time = models.BooleanField(_("按期答复"), null=True, blank=True)
    rehandled = models.BooleanField(_("经重新办理"), default=False)

    class Meta:
        verbose_name = _("承办任务")
        verbose_name_plural = _("承办任务")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["unit", "status"], name="sugg_part_unit_status"),
            models.Index(fields=["suggestion", "role"], name="sugg_part_suggestion_role"),
        ]

    def __str__(self) -> str:
        # Deadline reminders and escalations name the item by this: the suggestion, then whose part.
        return f"{self.suggestion.title}（{self.unit.name}，{self.get_role_display()}）"

    def get_absolute_url(self) -> str:
        return f"/suggestions/parts/{self.pk}/"

    @property
    def is_answering(self) -> bool:
        return self.role in self.ANSWERING


class Contact(models.Model):
    """办前联系: the unit's contact with the deputy before replying (date, form, content)."""

    class Form(models.TextChoices):
        PHONE = "phone", _("电话沟通")
        VISIT = "visit", _("登门走访")
        MEETING = "meeting", _("座谈会商")
        SITE = "site", _("实地察看")
        ONLINE = "online", _("网络联系")
        OTHER = "other", _("其他")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="contacts")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("联系代表"))
    contacted_on = models.DateField(_("联系日期"))
    form = models.CharField(_("联系方式"), max_length=10, choices=Form.choices)
    content = models.TextField(_("联系内容"), max_length=NOTE_MAX)
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办前联系")
        verbose_name_plural = _("办前联系")
        ordering = ["contacted_on", "id"]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.get_form_display()}"


class Reply(models.Model):
    """A unit's written answer: a co-unit's views, the reply (or re-handled reply), a B item's follow-up."""

    class Kind(models.TextChoices):
        VIEWS = "views", _("协办意见")
        REPLY = "reply", _("答复")
        REHANDLE = "rehandle", _("重新办理答复")
        PROGRESS = "progress", _("B类办理进展")
        SOLVED = "solved", _("B类办结答复")

    RATED = (Kind.REPLY, Kind.REHANDLE, Kind.SOLVED)

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="replies")
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="replies")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    outcome = models.CharField(_("办理结果"), max_length=1, choices=Suggestion.Outcome.choices, blank=True)
    text = models.TextField(_("内容"), max_length=REPLY_MAX)
    committed_date = models.DateField(_("承诺解决时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(_("提交时间"))

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["suggestion", "kind"], name="sugg_reply_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.assignment.unit}"


class Rating(models.Model):
    """One signing deputy's rating of one reply (征询意见表). Every signing deputy rates separately."""

    class Value(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASIC = "basic", _("基本满意")
        UNSATISFIED = "unsatisfied", _("不满意")

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="ratings")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="suggestion_ratings",
                               verbose_name=_("代表"))
    value = models.CharField(_("评价"), max_length=12, choices=Value.choices)
    comment = models.TextField(_("意见"), blank=True, max_length=NOTE_MAX)
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("代表评价")
        verbose_name_plural = _("代表评价")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["reply", "deputy"], name="rating_once_per_deputy")]

    def __str__(self) -> str:
        return f"{self.reply_id}: {self.get_value_display()}"


class Extension(models.Model):
    """A unit's request for more time to reply, and staff's decision. The reason is shown to the deputies."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("待审批")
        APPROVED = "approved", _("已同意")
        REJECTED = "rejected", _("未同意")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extensions")
    months = models.PositiveSmallIntegerField(_("延期月数"))
    reason = models.TextField(_("延期理由"), max_length=NOTE_MAX)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True, max_length=NOTE_MAX)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.months} ({self.get_status_display()})"

    @property
    def congress_id(self) -> int:
        """The part's congress: the scope of the permission and of the events of EXTENSION_FLOW."""
        return self.assignment.congress_id


class KeySupervision(models.Model):
    """重点督办: a key suggestion picked for the director meeting, with its leader and timeline."""

    suggestion = models.OneToOneField(Suggestion, on_delete=models.CASCADE, related_name="key")
    leader = models.ForeignKey("org.CommitteeMember", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("督办领导"))
    meeting_date = models.DateField(_("主任会议日期"))
    note = models.TextField(_("督办要求"), blank=True, max_length=NOTE_MAX)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(_("确定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("重点督办建议")
        verbose_name_plural = _("重点督办建议")

    def __str__(self) -> str:
        return f"{self.suggestion_id}: {self.meeting_date}"


class Milestone(models.Model):
    key = models.ForeignKey(KeySupervision, on_delete=models.CASCADE, related_name="milestones")
    due = models.DateField(_("时间节点"))
    text = models.CharField(_("工作内容"), max_length=200)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("督办节点")
        verbose_name_plural = _("督办节点")
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return f"{self.due}: {self.text}"


class Note(models.Model):
    """Staff's reminders (催办) and supervision notes (督办意见) to a unit's part or the whole suggestion."""

    class Kind(models.TextChoices):
        REMIND = "remind", _("催办")
        SUPERVISE = "supervise", _("督办意见")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="notes")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, null=True, blank=True, related_name="notes")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("内容"), max_length=NOTE_MAX)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:50]
