"""Meetings: who sits in them, their agenda, documents, attendance and the votes taken.

The members of a meeting are its voters; attendees (列席) and observers (旁听) are listed apart and
never vote. The votes themselves live in the ballot engine (renda/ballots): an agenda item holds
the votes put on it. See docs/workflows/meetings.md.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.models import WorkflowModel


def _token() -> str:
    return secrets.token_urlsafe(16)


class Meeting(WorkflowModel):
    class Kind(models.TextChoices):
        STANDING = "standing", _("常委会会议")
        DIRECTORS = "directors", _("主任会议")
        ZONE = "zone", _("开发区人大工作协调会议")
        JOINT = "joint", _("人大代表联席会议")
        CONGRESS = "congress", _("人民代表大会会议")
        PRESIDIUM = "presidium", _("主席团会议")

    class Status(models.TextChoices):
        DRAFT = "draft", _("筹备中")
        NOTIFIED = "notified", _("已通知")
        IN_SESSION = "in_session", _("会议进行中")
        ADJOURNED = "adjourned", _("已闭会")
        CANCELLED = "cancelled", _("已取消")

    congress = models.ForeignKey("org.Congress", on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(_("会议类型"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("会议名称"), max_length=200)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    location = models.CharField(_("地点"), max_length=200, blank=True)
    chair = models.ForeignKey("deputies.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("主持人"))
    group = models.ForeignKey("deputies.DelegationGroup", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="meetings", verbose_name=_("代表小组"))
    # Rules as data (renda.ballots.rules.Threshold as a dict); defaults come from kinds.KINDS.
    quorum = models.JSONField(_("法定人数规则"))
    notice_days = models.PositiveSmallIntegerField(_("提前通知天数"))
    notice_note = models.CharField(_("通知时间不足的说明"), max_length=500, blank=True)
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)
    checkin_token = models.CharField(max_length=40, default=_token, editable=False, unique=True)
    minutes = models.TextField(_("会议纪要"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["congress", "-starts_at", "-id"], name="meeting_congress_start")]

    def __str__(self) -> str:
        return self.title


class Participant(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("组成人员")
        ATTENDEE = "attendee", _("列席")
        OBSERVER = "observer", _("旁听")

    class Reply(models.TextChoices):
        PENDING = "pending", _("未回复")
        ATTENDING = "attending", _("确认出席")
        LEAVE = "leave", _("请假")

    class CheckIn(models.TextChoices):
        SELF = "self", _("扫码签到")
        STAFF = "staff", _("工作人员代签到")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey("deputies.Person", on_delete=models.PROTECT, related_name="meeting_seats")
    role = models.CharField(_("身份"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    title = models.CharField(_("职务"), max_length=100, blank=True)
    reply = models.CharField(_("回复"), max_length=20, choices=Reply.choices, default=Reply.PENDING)
    leave_reason = models.CharField(_("请假理由"), max_length=500, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_in_by = models.CharField(_("签到方式"), max_length=10, choices=CheckIn.choices, blank=True)

    class Meta:
        verbose_name = _("参会人员")
        verbose_name_plural = _("参会人员")
        ordering = ["meeting", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="participant_once")]
        indexes = [models.Index(fields=["person", "meeting"], name="participant_person")]

    def __str__(self) -> str:
        return str(self.person)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("议题"), max_length=300)
    presenter = models.CharField(_("汇报人"), max_length=100, blank=True)
    description = models.TextField(_("说明"), blank=True)
    decision = models.TextField(_("会议决定"), blank=True)
    votes = models.ManyToManyField("ballots.Vote", blank=True, related_name="agenda_items")

    class Meta:
        verbose_name = _("议程")
        verbose_name_plural = _("议程")
        ordering = ["meeting", "position"]
        constraints = [models.UniqueConstraint(fields=["meeting", "position"], name="agenda_position_unique")]

    def __str__(self) -> str:
        return self.title


class Document(models.Model):
    """A meeting document; members see it once published (会议材料)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    item = models.ForeignKey(AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents")
    title = models.CharField(_("材料名称"), max_length=200)
    attachment = models.ForeignKey("core.Attachment", on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("会议材料")
        verbose_name_plural = _("会议材料")
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.title
