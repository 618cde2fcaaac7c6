"""The statistics page's filters: a year or a month range, town, category, unit."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core.widgets import FastSelect

from .stats import MAX_MONTHS, StatsFilters, month_add, month_start

ERR_MONTH = _("请按“年-月”填写，例如 2026-03。")
ERR_ORDER = _("起始月份不能晚于结束月份。")
ERR_SPAN = _("统计期间不能超过 %(n)s 个月。")
FIRST_YEAR = 2000
LAST_YEAR = 2100


class MonthField(forms.CharField):
    """A month as "YYYY-MM" (what <input type="month"> sends) → its first day."""

    widget = forms.TextInput(attrs={"type": "month"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            day = dt.datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(ERR_MONTH, code="month") from None
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise forms.ValidationError(ERR_MONTH, code="month")
        return day


class StatsFilterForm(forms.Form):
    year = forms.TypedChoiceField(widget=FastSelect, label=_("年度"), required=False, coerce=int, empty_value=None)
    start = MonthField(label=_("起始月份"), required=False)
    end = MonthField(label=_("结束月份"), required=False)
    town = forms.TypedChoiceField(widget=FastSelect, label=_("镇（街道）"), required=False, coerce=int,
                                  empty_value=None)
    category = forms.TypedChoiceField(widget=FastSelect, label=_("类别"), required=False, coerce=int, empty_value=None)
    unit = forms.TypedChoiceField(widget=FastSelect, label=_("承办单位"), required=False, coerce=int, empty_value=None)
    lower = forms.BooleanField(label=_("含下级人大"), required=False)

    def __init__(self, *args, towns: dict, categories: dict, units: dict, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        years = range(self.today.year, self.today.year - 10, -1)
        self.fields["year"].choices = [("", _("自定义期间"))] + [(y, f"{y}") for y in years]
        all_ = [("", _("全部"))]
        self.fields["town"].choices = all_ + [(k, v) for k, v in towns.items()] + [(0, _("未注明"))]
        self.fields["category"].choices = all_ + list(categories.items())
        self.fields["unit"].choices = all_ + list(units.items())

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                self.add_error("end", forms.ValidationError(ERR_ORDER, code="order"))
            elif (end.year - start.year) * 12 + end.month - start.month + 1 > MAX_MONTHS:
                self.add_error("start", forms.ValidationError(ERR_SPAN, code="span", params={"n": MAX_MONTHS}))
        return data

    def default_period(self) -> tuple[dt.date, dt.date]:
        """This year so far."""
        current = month_start(self.today)
        return current.replace(month=1), current

    def filters(self) -> StatsFilters:
        """The filters to use: the valid ones, or this year for the whole congress."""
        start, end = self.default_period()
        if not self.is_bound or not self.is_valid():
            return StatsFilters(start=start, end=end)
        c = self.cleaned_data
        if c["start"] or c["end"]:
            end = c["end"] or max(c["start"], end)
            start = c["start"] or end.replace(month=1)
        elif c["year"]:
            start, end = dt.date(c["year"], 1, 1), dt.date(c["year"], 12, 1)
        start = max(start, month_add(end, 1 - MAX_MONTHS))  # one open end must not widen the span
        return StatsFilters(start=start, end=end, town_id=c["town"], category_id=c["category"], unit_id=c["unit"],
                            include_lower=c["lower"])

    def select_fields(self) -> list[dict]:
        """The select filters with their options pre-resolved (value, label, selected)."""
        out = []
        for name in ("year", "town", "category", "unit"):
            bf = self[name]
            current = "" if bf.value() in (None, "") else str(bf.value())
            out.append({"name": bf.html_name, "id": bf.id_for_label, "label": bf.label,
                        "errors": bf.errors,
                        "options": [(str(v), str(label), str(v) == current) for v, label in bf.field.choices]})
        return out
