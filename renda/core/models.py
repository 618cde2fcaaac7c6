"""Shared records: workflow events, attachments and the personal-data export log.

No domain logic lives here; every domain app points at these through generic relations.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class WorkflowModel(models.Model):
    """Abstract base for models whose status is driven by a transition table.

    `version` is bumped by every transition: a form or API call that carries the version it saw
    gets a conflict instead of silently acting on a state it never looked at.
    """

    version = models.PositiveIntegerField(_("版本"), default=0, editable=False)

    class Meta:
        abstract = True


class Event(models.Model):
    """One state change: who, when, from, to, note. Rows are never updated or deleted."""

    congress = models.ForeignKey("org.Congress", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("动作"), max_length=40)
    from_state = models.CharField(_("原状态"), max_length=40, blank=True)
    to_state = models.CharField(_("新状态"), max_length=40, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    actor_role = models.CharField(_("身份"), max_length=20, blank=True)
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("状态变更记录")
        verbose_name_plural = _("状态变更记录")
        indexes = [models.Index(fields=["content_type", "object_id", "id"])]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_state} → {self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("events are append-only")


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name never reuses the uploaded name: it is not trusted and may leak data.
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    congress = models.ForeignKey("org.Congress", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    owner = GenericForeignKey("content_type", "object_id")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=255)
    mime_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.original_name


class ExportLog(models.Model):
    """A bulk export of personal data: who, when, what and why."""

    congress = models.ForeignKey("org.Congress", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    what = models.CharField(_("导出内容"), max_length=100)
    reason = models.CharField(_("导出理由"), max_length=500)
    row_count = models.PositiveIntegerField(_("条数"), default=0)
    includes_personal_data = models.BooleanField(_("含个人信息"), default=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("导出记录")
        verbose_name_plural = _("导出记录")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.what} ({self.row_count})"
