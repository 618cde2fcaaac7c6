"""Forms of the citizen's pages: submit an opinion, track it, rate the reply.

Forms parse and check input only; the writes are services.opinion_submit / opinion_rate, which
check everything again (the API and Open311 call them without these forms).
"""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from renda.core.attachments import IMAGES
from renda.core.forms import CheckedFilesField

from .antibot import HONEYPOT_FIELD, TOKEN_FIELD, antibot_check, antibot_token
from .models import MAX_PHOTOS, NOTE_MAX, TEXT_MAX, TITLE_MAX, Opinion
from .services import ERR_PHONE, ERR_PHOTOS, PHONE_RE

ERR_TRACK = _("查询码或手机后四位不正确。请核对短信或回执上的查询码；匿名提交的意见只需填写查询码。")
ERR_DIGITS = _("请填写提交时所留手机号码的后四位数字。")
MAX_PHOTO_BYTES = 10 * 1024 * 1024


class PhotosField(CheckedFilesField):
    """Up to MAX_PHOTOS images; each one's bytes are checked (a .jpg that is really text is refused)."""

    allowed = IMAGES
    max_files = MAX_PHOTOS
    max_bytes = MAX_PHOTO_BYTES
    accept = "image/jpeg,image/png,image/webp"
    too_many = ERR_PHOTOS


def _bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput | forms.RadioSelect):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


class OpinionSubmitForm(forms.Form):
    category = forms.TypedChoiceField(label=_("意见类别"), coerce=int, empty_value=None)
    community = forms.TypedChoiceField(label=_("您所在的村（社区）"), coerce=int, empty_value=None, required=False)
    title = forms.CharField(label=_("标题"), max_length=TITLE_MAX,
                            help_text=_("一句话说明问题，如“新港社区3号楼电梯坏了”。"))
    text = forms.CharField(label=_("具体内容"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("写清楚地点、时间和您的建议。不超过 %(max)s 字。") % {"max": TEXT_MAX})
    photos = PhotosField(label=_("照片（可选）"),
                         help_text=_("最多 %(max)s 张，JPG、PNG 或 WebP 格式，每张不超过 10 MB。") % {
                             "max": MAX_PHOTOS})
    citizen_name = forms.CharField(label=_("姓名（可选）"), max_length=50, required=False)
    citizen_phone = forms.CharField(label=_("手机号（可选）"), max_length=20, required=False,
                                    widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    # The honeypot: hidden with CSS and from assistive technology; people leave it empty.
    website = forms.CharField(required=False, label=_("请勿填写此项"),
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def __init__(self, *args, categories=(), communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("请选择")), *[(c.pk, c.name) for c in categories]]
        self.fields["community"].choices = [("", _("请选择（可不选）")), *[(c.pk, c.name) for c in communities]]
        self.fields["citizen_name"].widget.attrs["autocomplete"] = "name"
        _bootstrap(self)
        self.antibot_code = None

    @classmethod
    def fresh_initial(cls, **initial) -> dict:
        """A new form: a new idempotency key and a new anti-bot timestamp."""
        return {"idempotency_key": uuid.uuid4(), TOKEN_FIELD: antibot_token(), **initial}

    def clean_citizen_phone(self) -> str:
        phone = "".join(self.cleaned_data.get("citizen_phone", "").split()).replace("-", "")
        if phone and not PHONE_RE.match(phone):
            raise ValidationError(ERR_PHONE, code="phone")
        return phone

    def clean(self):
        data = super().clean()
        problem = antibot_check(self.data)
        if problem:
            self.antibot_code, message = problem
            raise ValidationError(message, code=self.antibot_code)
        return data

    def renew_token(self) -> None:
        """After a rejection the form is shown again with a fresh timestamp (and the person's text)."""
        self.data = self.data.copy()
        self.data[TOKEN_FIELD] = antibot_token()
        self.data[HONEYPOT_FIELD] = ""


class TrackForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "spellcheck": "false"}))
    digits = forms.CharField(label=_("手机后四位"), max_length=4, min_length=4, required=False,
                             help_text=_("匿名提交（没留手机号）的意见不用填写。"),
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                                           "pattern": "[0-9]{4}"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def clean_digits(self) -> str:
        digits = self.cleaned_data.get("digits", "").strip()
        if digits and not (digits.isascii() and digits.isdigit()):
            raise ValidationError(ERR_DIGITS, code="digits")
        return digits


class RateForm(forms.Form):
    rating = forms.ChoiceField(label=_("您对答复满意吗？"), choices=Opinion.Rating.choices,
                               widget=forms.RadioSelect)
    comment = forms.CharField(label=_("评价意见（可选）"), max_length=NOTE_MAX, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)
