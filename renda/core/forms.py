"""Form pieces shared by every area's pages: the version every action form carries, and the
attachments field that checks each file's bytes (renda/core/attachments.py)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from renda.core.attachments import DOCUMENTS, attachment_check

MAX_FILES = 5
MAX_FILE_BYTES = 20 * 1024 * 1024
ERR_FILES = _("最多上传 %(max)s 个附件。") % {"max": MAX_FILES}
ERR_VERSION = _("页面已过期，请刷新后重试。")

ACCEPT_DOCUMENTS = ".pdf,.docx,.xlsx,.jpg,.jpeg,.png,.webp"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class CheckedFilesField(forms.FileField):
    """Up to `max_files` uploads of the `allowed` kinds; each one's bytes are checked by
    attachment_check (a disguised file is refused) and the result left on it for attachment_create."""

    allowed: tuple = DOCUMENTS
    max_files = MAX_FILES
    max_bytes = MAX_FILE_BYTES
    accept = ACCEPT_DOCUMENTS
    too_many = ERR_FILES

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": self.accept, "multiple": True}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_empty_file", True)  # attachment_check has its own message
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > self.max_files:
            raise ValidationError(self.too_many, code="too_many")
        errors = []
        for f in files:
            super().clean(f, initial)
            try:
                f.renda_checked = attachment_check(upload=f, allowed=self.allowed, max_bytes=self.max_bytes)
            except ValidationError as e:
                errors.extend(e.messages)
        if errors:
            raise ValidationError(errors)
        return files


class AttachmentsField(CheckedFilesField):
    """Up to MAX_FILES documents or pictures, 20 MB each."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("附件（可选）"))
        kwargs.setdefault("help_text", _("最多 %(max)s 个，PDF、Word、Excel 或图片，每个不超过 20 MB。")
                          % {"max": MAX_FILES})
        super().__init__(*args, **kwargs)


class VersionForm(forms.Form):
    """The base of every action form: the version of the item the page showed."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0,
                                 error_messages={"required": ERR_VERSION, "invalid": ERR_VERSION,
                                                 "min_value": ERR_VERSION})
