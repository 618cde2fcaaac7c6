
from django import forms
from django.utils.translation import gettext_lazy as _

from .calendar import CALENDAR_MAX_YEAR, CALENDAR_MIN_YEAR
from .models import DeadlinePolicy, Holiday
from .services import ERR_DATE_RANGE

DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class CalendarDateField(forms.DateField):
    """A date inside the years the calendar supports; anything else is a form error."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", DATE_INPUT)
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        super().__init__(**kwargs)

    def clean(self, value):
        day = super().clean(value)
        if day is not None and not CALENDAR_MIN_YEAR <= day.year <= CALENDAR_MAX_YEAR:
            raise forms.ValidationError(ERR_DATE_RANGE, code="date_range")
        return day


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=CALENDAR_MIN_YEAR, max_value=CALENDAR_MAX_YEAR,
                              widget=forms.NumberInput(attrs={"class": "form-control"}))


class HolidayForm(forms.Form):
    date = CalendarDateField(label=_("日期"))
    kind = forms.ChoiceField(label=_("类型"), choices=Holiday.Kind.choices,
                             widget=forms.Select(attrs={"class": "form-select"}))
    name = forms.CharField(label=_("节日名称"), max_length=60, required=False,
                           widget=forms.TextInput(attrs={"class": "form-control",
                                                         "placeholder": _("如：春节、国庆节")}))


class PolicyForm(forms.Form):
    label = forms.CharField(label=_("名称"), max_length=100, widget=forms.TextInput(attrs={"class": "form-control"}))
    unit = forms.ChoiceField(label=_("计算单位"), choices=DeadlinePolicy.Unit.choices,
                             widget=forms.Select(attrs={"class": "form-select"}))
    amount = forms.IntegerField(label=_("期限"), min_value=0, max_value=999,
                                widget=forms.NumberInput(attrs={"class": "form-control"}))
    roll_to_workday = forms.BooleanField(label=_("按月计算时，届满日为休息日的顺延至下一个工作日"), required=False,
                                         widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
    apply_to_open = forms.BooleanField(
        label=_("同时按新规则重算所有办理中的期限"), required=False,
        help_text=_("不勾选时，新规则只用于今后新设的期限，已设期限保持原规则。"),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))


class CalculatorForm(forms.Form):
    start = CalendarDateField(label=_("起算日"))
    policy = forms.ModelChoiceField(label=_("期限规则"), queryset=DeadlinePolicy.objects.order_by("id"),
                                    to_field_name="code", widget=forms.Select(attrs={"class": "form-select"}))
