"""Forms of the office's pages: the list filters, the staff actions on an item, offline entry.

Forms parse and check the shape of input; the services check everything again (scope, state,
lengths), so the API and these pages give the same answers.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from renda.core.exports import ExportReasonForm
from renda.core.widgets import FastSelect

from .forms_public import PhotosField, _bootstrap
from .models import NOTE_MAX, REPLY_MAX, TEXT_MAX, TITLE_MAX, Opinion
from .selectors import OpinionFilters
from .selectors_staff import FilterChoices
from .services import ERR_PHONE, PHONE_RE

ERR_ADDRESSEE = _("请选择代表或联络站。")
ERR_DATE_RANGE = _("开始日期不能晚于结束日期。")
ERR_EVENT_DATE = _("活动日期不能晚于今天。")
MAX_EXTEND_DAYS = 60
FILTER_Q_MAX = 50


def addressee_choices(choices: FilterChoices) -> list:
    """One select for "a deputy or a station": values d:<id> and s:<id>, grouped."""
    return [("", _("请选择")),
            (_("代表"), [(f"d:{pk}", name) for pk, name in choices.deputies]),
            (_("联络站"), [(f"s:{pk}", name) for pk, name in choices.stations])]


def addressee_parse(value: str) -> tuple[int | None, int | None]:
    kind, _sep, pk = (value or "").partition(":")
    if not pk.isdigit():
        return None, None
    return (int(pk), None) if kind == "d" else (None, int(pk)) if kind == "s" else (None, None)


class OpinionFilterForm(forms.Form):
    """The all-opinions filters. Invalid fields are reported and ignored; the others still apply."""

    q = forms.CharField(label=_("关键词"), max_length=FILTER_Q_MAX, required=False)
    status = forms.ChoiceField(widget=FastSelect, label=_("状态"), required=False)
    town = forms.TypedChoiceField(widget=FastSelect, label=_("镇（街道）"), coerce=int, empty_value=None,
                                  required=False)
    community = forms.TypedChoiceField(widget=FastSelect, label=_("村（社区）"), coerce=int, empty_value=None,
                                       required=False)
    category = forms.TypedChoiceField(widget=FastSelect, label=_("类别"), coerce=int, empty_value=None, required=False)
    deputy = forms.TypedChoiceField(widget=FastSelect, label=_("代表"), coerce=int, empty_value=None, required=False)
    station = forms.TypedChoiceField(widget=FastSelect, label=_("联络站"), coerce=int, empty_value=None, required=False)
    unit = forms.TypedChoiceField(widget=FastSelect, label=_("承办单位"), coerce=int, empty_value=None, required=False)
    channel = forms.ChoiceField(widget=FastSelect, label=_("来源"), required=False)
    submitted_from = forms.DateField(label=_("提交日期从"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}))
    submitted_to = forms.DateField(label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    overdue = forms.BooleanField(label=_("只看超期"), required=False)

    SELECTS = ("status", "town", "community", "category", "deputy", "station", "unit", "channel")

    def __init__(self, *args, choices: FilterChoices, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("全部"))]
        self.fields["status"].choices = every + list(Opinion.Status.choices)
        self.fields["channel"].choices = every + list(Opinion.Channel.choices)
        for name, attr in (("town", "towns"), ("community", "communities"), ("category", "categories"),
                           ("deputy", "deputies"), ("station", "stations"), ("unit", "units")):
            self.fields[name].choices = every + list(getattr(choices, attr))
        _bootstrap(self)
        self.fields["overdue"].widget.attrs["class"] = "form-check-input"

    def filters(self) -> OpinionFilters:
        """The valid part of the input (call after is_valid(); bad fields are simply left out)."""
        if not self.is_bound:
            return OpinionFilters()
        self.is_valid()
        c = self.cleaned_data
        f = OpinionFilters(
            status=c.get("status") or "", town=c.get("town"), community=c.get("community"),
            category=c.get("category"), deputy=c.get("deputy"), station=c.get("station"), unit=c.get("unit"),
            overdue=bool(c.get("overdue")), q=(c.get("q") or "").strip(), channel=c.get("channel") or "",
            submitted_from=c.get("submitted_from"), submitted_to=c.get("submitted_to"),
        )
        if f.submitted_from and f.submitted_to and f.submitted_from > f.submitted_to:
            self.add_error("submitted_to", ERR_DATE_RANGE)
            f.submitted_to = None
        return f

    def query(self) -> str:
        """The valid filters as a query string (for the next-page link and the export)."""
        from django.http import QueryDict

        qd = QueryDict(mutable=True)
        if self.is_bound:
            for name in self.fields:
                value = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
                if value in (None, "", False):
                    continue
                qd[name] = "1" if value is True else value.isoformat() if isinstance(value, datetime.date) \
                    else str(value)
        return qd.urlencode()

    def select_fields(self):
        return [self[name] for name in self.SELECTS]


class OpinionExportForm(ExportReasonForm):
    """The export reason; the filters travel in the query string."""


def _note(label, *, max_length=NOTE_MAX, rows=2, required=True):
    return forms.CharField(label=label, max_length=max_length, required=required,
                           widget=forms.Textarea(attrs={"rows": rows}))


class _Bootstrapped(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class ReassignForm(_Bootstrapped):
    addressee = forms.ChoiceField(widget=FastSelect, label=_("改派给"))
    note = _note(_("改派理由"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, choices: FilterChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressee"].choices = addressee_choices(choices)

    def target(self) -> tuple[int | None, int | None]:
        return addressee_parse(self.cleaned_data["addressee"])


class RemindForm(_Bootstrapped):
    text = _note(_("催办内容"))


class ExtendForm(_Bootstrapped):
    extra_days = forms.IntegerField(label=_("延长工作日数"), min_value=1, max_value=MAX_EXTEND_DAYS)
    reason = _note(_("延期理由"))
    assignment = forms.TypedChoiceField(widget=FastSelect, label=_("延长哪一项的期限"), coerce=int, empty_value=None,
                                        required=False)

    def __init__(self, *args, parts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].choices = [("", _("意见本身（代表或联络站的期限）")),
                                             *[(p.pk, p.unit.name) for p in parts if p.is_active]]


class MergeForm(_Bootstrapped):
    into_code = forms.CharField(label=_("合并到（目标意见的查询码）"), max_length=20)
    note = _note(_("合并说明"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RejectReturnForm(_Bootstrapped):
    note = _note(_("不同意退回的理由"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PartReassignForm(_Bootstrapped):
    unit = forms.TypedChoiceField(widget=FastSelect, label=_("改由哪个单位办理"), coerce=int, empty_value=None)
    note = _note(_("改派理由"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, units=(), exclude_unit_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("请选择")),
                                       *[(pk, name) for pk, name in units if pk != exclude_unit_id]]


class PublishForm(_Bootstrapped):
    title = forms.CharField(label=_("公开标题"), max_length=TITLE_MAX)
    text = _note(_("公开内容"), max_length=TEXT_MAX, rows=6)
    reply = _note(_("公开答复"), max_length=REPLY_MAX, rows=6)


class OfflineEntryForm(_Bootstrapped):
    offline_event = forms.CharField(label=_("收集活动名称"), max_length=100,
                                    help_text=_("如“民声茶坊听民声”“民生夜话”。"))
    offline_event_date = forms.DateField(label=_("活动日期"), widget=forms.DateInput(attrs={"type": "date"}))
    addressee = forms.ChoiceField(widget=FastSelect, label=_("反映给（代表或联络站）"))
    category = forms.TypedChoiceField(widget=FastSelect, label=_("意见类别"), coerce=int, empty_value=None)
    community = forms.TypedChoiceField(widget=FastSelect, label=_("村（社区）"), coerce=int, empty_value=None,
                                       required=False)
    title = forms.CharField(label=_("标题"), max_length=TITLE_MAX)
    text = _note(_("具体内容"), max_length=TEXT_MAX, rows=6)
    citizen_name = forms.CharField(label=_("群众姓名（可选）"), max_length=50, required=False)
    citizen_phone = forms.CharField(label=_("群众手机号（可选）"), max_length=20, required=False,
                                    widget=forms.TextInput(attrs={"inputmode": "tel"}))
    photos = PhotosField(label=_("照片（可选）"), help_text=_("最多 5 张，JPG、PNG 或 WebP 格式。"))

    def __init__(self, *args, choices: FilterChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressee"].choices = addressee_choices(choices)
        self.fields["category"].choices = [("", _("请选择")), *choices.categories]
        self.fields["community"].choices = [("", _("请选择（可不选）")), *choices.communities]

    def clean_offline_event_date(self) -> datetime.date:
        from django.utils import timezone

        d = self.cleaned_data["offline_event_date"]
        if d > timezone.localdate():
            raise ValidationError(ERR_EVENT_DATE, code="future")
        return d

    def clean_citizen_phone(self) -> str:
        phone = "".join(self.cleaned_data.get("citizen_phone", "").split()).replace("-", "")
        if phone and not PHONE_RE.match(phone):
            raise ValidationError(ERR_PHONE, code="phone")
        return phone
