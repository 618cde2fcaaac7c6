"""The working-day calendar (holidays and 调休 working days), deadline policies and deadlines.

The holiday table is global: the State Council schedule applies to every congress. Deadlines
belong to one congress and point at any item through a generic relation.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .calendar import CALENDAR_MAX_YEAR, CALENDAR_MIN_YEAR, UNIT_CALENDAR_MONTHS, UNIT_WORKING_DAYS


class Holiday(models.Model):
    """One date that differs from the plain Monday–Friday week.

    kind=holiday: a day off (weekday or weekend day inside a festival); kind=workday: a weekend
    day that becomes a working day (调休上班). Weekend holiday rows change nothing about working
    days but carry the festival name, which the deadline explanations show.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("休")
        WORKDAY = "workday", _("调休上班")

    class Source(models.TextChoices):
        SEED = "seed", _("内置数据")
        MANUAL = "manual", _("人工录入")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("节日"), max_length=60, blank=True)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()


class CalendarYear(models.Model):
    """A year is "entered" once its State Council schedule is in the holiday table.

    Deadlines whose window touches a year not entered are provisional (weekends only).
    """

    year = models.PositiveSmallIntegerField(
        _("年份"), unique=True,
        validators=[MinValueValidator(CALENDAR_MIN_YEAR), MaxValueValidator(CALENDAR_MAX_YEAR)],
    )
    entered = models.BooleanField(_("已录入国务院安排"), default=False)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarRevision(models.Model):
    """A single row whose token changes with every calendar edit.

    Processes keep the loaded calendar in memory and reload it when the token differs; the
    token lives in the database (not the cache) so a rolled-back edit also rolls back the token.
    """

    token = models.CharField(max_length=32, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("日历版本")
        verbose_name_plural = _("日历版本")

    def __str__(self) -> str:
        return self.token

    @staticmethod
    def new_token() -> str:
        return uuid.uuid4().hex


class DeadlinePolicy(models.Model):
    """A configurable norm, e.g. "units reply within 15 working days" (opinion_reply)."""

    class Unit(models.TextChoices):
        WORKING_DAYS = UNIT_WORKING_DAYS, _("工作日")
        CALENDAR_MONTHS = UNIT_CALENDAR_MONTHS, _("自然月")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    label = models.CharField(_("名称"), max_length=100)
    unit = models.CharField(_("计算单位"), max_length=20, choices=Unit.choices)
    amount = models.PositiveSmallIntegerField(_("期限"), validators=[MaxValueValidator(999)])
    roll_to_workday = models.BooleanField(
        _("遇休息日顺延"), default=True,
        help_text=_("按月计算的期限届满日为休息日时，顺延至下一个工作日"),
    )
    description = models.CharField(_("依据"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("期限规则")
        verbose_name_plural = _("期限规则")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.label}（{self.amount_display}）"

    @property
    def amount_display(self) -> str:
        if self.unit == self.Unit.WORKING_DAYS:
            return _("%(n)s 个工作日") % {"n": self.amount}
        return _("%(n)s 个月") % {"n": self.amount}


class Deadline(models.Model):
    """The due date of one step of one item, with how it was computed.

    unit/amount/roll_to_workday are copied from the policy at creation, so a later policy edit
    changes open deadlines only when staff ask for it, while calendar edits always recompute.
    """

    class State(models.TextChoices):
        OPEN = "open", _("办理中")
        MET = "met", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    congress = models.ForeignKey("org.Congress", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    policy = models.ForeignKey(DeadlinePolicy, on_delete=models.PROTECT, related_name="deadlines")
    unit = models.CharField(_("计算单位"), max_length=20, choices=DeadlinePolicy.Unit.choices)
    amount = models.PositiveSmallIntegerField(_("期限"))
    roll_to_workday = models.BooleanField(_("遇休息日顺延"), default=True)
    start = models.DateField(_("起算日"))
    due = models.DateField(_("截止日"))
    explanation = models.TextField(_("计算说明"), blank=True)
    provisional = models.BooleanField(_("暂定"), default=False,
                                      help_text=_("涉及尚未录入节假日安排的年份，暂按双休日计算"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN)
    met_on = models.DateField(_("完成日"), null=True, blank=True)
    owner_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("责任人"))
    owner_unit = models.ForeignKey("org.Unit", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("责任单位"))
    supervising_office = models.ForeignKey("org.Office", on_delete=models.SET_NULL, null=True, blank=True,
                                           related_name="+", verbose_name=_("督办部门"))
    warned_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("逾期时间"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("升级级别"), default=0)
    escalated_at = models.DateTimeField(_("升级时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("办理期限")
        verbose_name_plural = _("办理期限")
        ordering = ["due", "id"]
        indexes = [
            models.Index(fields=["state", "due"]),
            models.Index(fields=["content_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.policy.label} · {self.due:%Y-%m-%d}"

    @property
    def is_overdue(self) -> bool:
        return self.state == self.State.OPEN and self.overdue_at is not None
