"""The citizens-to-deputies channel (民意高速通道): opinions, the units' parts, ratings.

An Opinion is addressed to a deputy or a liaison station (or, from the 12345 hotline through
Open311, to the congress's office until staff route it). Its status is changed only by
renda/opinions/workflow.py. When it is forwarded, each unit gets an Assignment with its own
status and deadline; the opinion's `current_due` is the due date of the step it waits for, kept
here (denormalised) so that lists, the overdue filter and Open311's expected_datetime need no join.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from renda.core.models import WorkflowModel

TITLE_MAX = 100
TEXT_MAX = 2000
NOTE_MAX = 2000
REPLY_MAX = 5000
MAX_PHOTOS = 5


class Category(models.Model):
    """What an opinion is about; also the Open311 service list (service_code = code)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    group = models.CharField(_("分组"), max_length=50, blank=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("意见类别")
        verbose_name_plural = _("意见类别")
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return self.name


class Opinion(WorkflowModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待受理")
        ACCEPTED = "accepted", _("已受理")
        DECLINED = "declined", _("不予受理")
        FORWARDED = "forwarded", _("转办中")
        REPLIED = "replied", _("已答复待评价")
        REHANDLING = "rehandling", _("重新办理中")
        CLOSED = "closed", _("已办结")
        MERGED = "merged", _("已合并办理")

    class Channel(models.TextChoices):
        WEB = "web", _("网上提交")
        OFFLINE = "offline", _("线下活动收集")
        OPEN311 = "open311", _("12345 热线（Open311）")
        API = "api", _("接口提交")

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASIC = "basic", _("基本满意")
        UNSATISFIED = "unsatisfied", _("不满意")

    OPEN_STATES = (Status.SUBMITTED, Status.ACCEPTED, Status.FORWARDED, Status.REHANDLING, Status.MERGED)
    FINISHED_STATES = (Status.DECLINED, Status.CLOSED)

    congress = models.ForeignKey("org.Congress", on_delete=models.PROTECT, related_name="opinions")
    tracking_code = models.CharField(_("查询码"), max_length=12, unique=True)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    channel = models.CharField(_("来源"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    # Addressee: a deputy or a station; neither for hotline items not yet routed.
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="opinions", verbose_name=_("代表"))
    station = models.ForeignKey("deputies.LiaisonStation", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="opinions", verbose_name=_("联络站"))
    town = models.ForeignKey("org.Place", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("镇（街道）"))
    community = models.ForeignKey("org.Place", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("村（社区）"))
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="opinions",
                                 verbose_name=_("类别"))
    title = models.CharField(_("标题"), max_length=TITLE_MAX)
    text = models.TextField(_("内容"), max_length=TEXT_MAX)
    # The citizen: optional; visible unmasked to the handlers only (see rules.view_contact).
    citizen_name = models.CharField(_("姓名"), max_length=50, blank=True)
    citizen_phone = models.CharField(_("手机"), max_length=20, blank=True)
    citizen_email = models.EmailField(_("邮箱"), blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    # Offline collection (民声茶坊, 民生夜话…): the event and who entered it.
    offline_event = models.CharField(_("收集活动"), max_length=100, blank=True)
    offline_event_date = models.DateField(_("活动日期"), null=True, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("代录人"))
    open311_key = models.ForeignKey("opinions.ApiKey", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.SUBMITTED,
                              db_index=True)
    submitted_at = models.DateTimeField(_("提交时间"), db_index=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    current_due = models.DateField(_("当前期限"), null=True, blank=True)
    decline_reason = models.TextField(_("不予受理理由"), blank=True, max_length=NOTE_MAX)
    reply_text = models.TextField(_("答复"), blank=True, max_length=REPLY_MAX)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    handling_days = models.PositiveSmallIntegerField(_("办理用时（工作日）"), null=True, blank=True)
    on_time = models.BooleanField(_("按期办结"), null=True, blank=True)
    rating = models.CharField(_("评价"), max_length=12, choices=Rating.choices, blank=True)
    rating_comment = models.TextField(_("评价意见"), blank=True, max_length=NOTE_MAX)
    rehandle_count = models.PositiveSmallIntegerField(_("重新办理次数"), default=0)
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="merged_items", verbose_name=_("并入"))
    # Publication: the redacted copy is what the public sees; the original stays for staff.
    is_published = models.BooleanField(_("已公开"), default=False)
    published_title = models.CharField(_("公开标题"), max_length=TITLE_MAX, blank=True)
    published_text = models.TextField(_("公开内容"), blank=True, max_length=TEXT_MAX)
    published_reply = models.TextField(_("公开答复"), blank=True, max_length=REPLY_MAX)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("群众意见")
        verbose_name_plural = _("群众意见")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["congress", "-submitted_at", "-id"], name="opinion_congress_recent"),
            models.Index(fields=["congress", "status", "-submitted_at"], name="opinion_congress_status"),
            # The office's list filtered by town (and state), newest first: the page and the capped
            # count read only matching index entries (docs/performance.md, issue 3).
            models.Index(fields=["congress", "town", "status", "-submitted_at", "-id"], name="opinion_congress_town"),
            models.Index(fields=["deputy", "status", "current_due"], name="opinion_deputy_inbox"),
            models.Index(fields=["station", "status", "current_due"], name="opinion_station_inbox"),
            models.Index(fields=["community", "status"], name="opinion_community_status"),
            models.Index(fields=["congress", "current_due"], name="opinion_congress_due",
                         condition=Q(status__in=["submitted", "accepted", "forwarded", "rehandling"])),
            models.Index(fields=["is_published", "-published_at"], name="opinion_published",
                         condition=Q(is_published=True)),
        ]
        constraints = [
            models.CheckConstraint(condition=~(Q(deputy__isnull=False) & Q(station__isnull=False)),
                                   name="opinion_one_addressee"),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.title}"

    def get_absolute_url(self) -> str:
        return f"/opinions/{self.pk}/"

    @property
    def is_anonymous(self) -> bool:
        return not self.citizen_phone

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATES

    def addressee_name(self) -> str:
        if self.deputy_id:
            return self.deputy.person.name
        if self.station_id:
            return self.station.name
        return str(_("人大常委会机关"))


class Assignment(WorkflowModel):
    """One unit's part of a forwarded opinion (转办): its own clock, status and reply."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("待签收")
        SIGNED = "signed", _("办理中")
        RETURNED = "returned", _("申请退回")
        REPLIED = "replied", _("已答复")
        WITHDRAWN = "withdrawn", _("已撤回")

    ACTIVE_STATES = (Status.ASSIGNED, Status.SIGNED, Status.RETURNED)

    congress = models.ForeignKey("org.Congress", on_delete=models.PROTECT, related_name="+")
    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="opinion_assignments",
                             verbose_name=_("承办单位"))
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    note = models.TextField(_("转办说明"), blank=True, max_length=NOTE_MAX)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.ASSIGNED)
    assigned_at = models.DateTimeField(_("转办时间"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    due = models.DateField(_("答复期限"), null=True, blank=True)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True, max_length=NOTE_MAX)
    reply_text = models.TextField(_("单位答复"), blank=True, max_length=REPLY_MAX)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    on_time = models.BooleanField(_("按期答复"), null=True, blank=True)

    class Meta:
        verbose_name = _("转办单位")
        verbose_name_plural = _("转办单位")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["unit", "status", "due"], name="assignment_unit_inbox"),
            models.Index(fields=["opinion", "round"], name="assignment_opinion"),
        ]

    def __str__(self) -> str:
        return f"{self.opinion.tracking_code} → {self.unit}"

    def get_absolute_url(self) -> str:
        return f"/opinions/parts/{self.pk}/"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATES


class Note(models.Model):
    """A progress note (办理进展) by a unit, or a staff remark; shown on the item's timeline."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("办理进展")
        REMINDER = "reminder", _("催办")
        REMARK = "remark", _("备注")

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="notes")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="notes")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("内容"), max_length=NOTE_MAX)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:50]


class RatingRecord(models.Model):
    """Every rating given, one per round: the reopened and satisfaction rates are counted here."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="ratings")
    congress = models.ForeignKey("org.Congress", on_delete=models.PROTECT, related_name="+")
    round = models.PositiveSmallIntegerField(_("轮次"))
    rating = models.CharField(_("评价"), max_length=12, choices=Opinion.Rating.choices)
    comment = models.TextField(_("评价意见"), blank=True, max_length=NOTE_MAX)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评价记录")
        verbose_name_plural = _("评价记录")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["opinion", "round"], name="one_rating_per_round")]

    def __str__(self) -> str:
        return f"{self.opinion_id} #{self.round}: {self.rating}"


class ApiKey(models.Model):
    """An Open311 client (a city's 12345 hotline…). Only a hash of the key is stored."""

    congress = models.ForeignKey("org.Congress", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("名称"), max_length=100)
    prefix = models.CharField(_("前缀"), max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 接口密钥")
        verbose_name_plural = _("Open311 接口密钥")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class MonthlyStat(models.Model):
    """Precomputed counts per congress × month × town × category × unit (unit 0 = the opinion itself).

    Rebuilt for the months that changed by renda/opinions/stats.py; the statistics page reads
    only this table, so it stays fast at millions of opinions.
    """

    congress = models.ForeignKey("org.Congress", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # first day of the month
    town_id = models.BigIntegerField(default=0)
    category_id = models.BigIntegerField(default=0)
    unit_id = models.BigIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    by_status = models.JSONField(default=dict)
    finished = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    # The on-time rate's denominator: opinions answered (on_time set) / unit parts replied.
    answered = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    handling_days_sum = models.PositiveIntegerField(default=0)
    handling_days_n = models.PositiveIntegerField(default=0)
    # When this row was computed: the page shows "统计截至" the oldest row it read.
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["congress", "month"], name="opinion_stat_month")]
        constraints = [models.UniqueConstraint(fields=["congress", "month", "town_id", "category_id", "unit_id"],
                                               name="opinion_stat_unique")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}: {self.total}"


class TermStat(models.Model):
    """Hot topics: how often a segmented term appears in a month's opinions."""

    congress = models.ForeignKey("org.Congress", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    term = models.CharField(max_length=30)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["congress", "month", "-count"], name="opinion_term_top")]
        constraints = [models.UniqueConstraint(fields=["congress", "month", "term"], name="opinion_term_unique")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.term}: {self.count}"
