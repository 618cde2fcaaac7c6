"""The statistics page's filter: one period, a year, or a range of submission dates."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core.widgets import FastSelect

from .stats import StatsScope

ERR_ORDER = _("起始日期不能晚于结束日期。")
ERR_SPAN = _("统计期间不能超过 %(n)s 年。")
ERR_DATE = _("请按“年-月-日”填写日期，例如 2026-03-01。")
MAX_YEARS = 10
FIRST_YEAR = 2000
LAST_YEAR = 2099


class StatsFilterForm(forms.Form):
    year = forms.TypedChoiceField(widget=FastSelect, label=_("年度"), required=False, coerce=int, empty_value=None)
    period = forms.TypedChoiceField(widget=FastSelect, label=_("征集期"), required=False, coerce=int,
                                    empty_value=None)
    start = forms.DateField(label=_("提交日期起"), required=False, input_formats=["%Y-%m-%d"],
                            error_messages={"invalid": ERR_DATE})
    end = forms.DateField(label=_("提交日期止"), required=False, input_formats=["%Y-%m-%d"],
                          error_messages={"invalid": ERR_DATE})

    def __init__(self, *args, years: list[int], periods: list, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.periods = {p.pk: p for p in periods}
        # This year back to the earliest period (at least five years), plus any later period's year.
        first = min([*years, self.today.year - 4])
        years = sorted({*years, *range(first, self.today.year + 1)}, reverse=True)
        self.fields["year"].choices = [(y, _("%(y)s 年") % {"y": y}) for y in years]
        self.fields["period"].choices = [("", _("全部征集期"))] + [(p.pk, p.name) for p in periods]

    def clean_start(self):
        return self._in_range(self.cleaned_data.get("start"))

    def clean_end(self):
        return self._in_range(self.cleaned_data.get("end"))

    @staticmethod
    def _in_range(day):
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise forms.ValidationError(ERR_DATE, code="date")
        return day

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                self.add_error("end", forms.ValidationError(ERR_ORDER, code="order"))
            elif (end - start).days > 366 * MAX_YEARS:
                self.add_error("start", forms.ValidationError(ERR_SPAN, code="span", params={"n": MAX_YEARS}))
        return data

    def scope(self) -> StatsScope:
        """The valid filter as a scope: a period wins over dates, dates over the year; this year by default."""
        if not self.is_bound or not self.is_valid():
            return StatsScope(year=self.today.year)
        c = self.cleaned_data
        if c["period"] is not None:
            return StatsScope(period=self.periods[c["period"]])
        if c["start"] or c["end"]:
            return StatsScope(start=c["start"], end=c["end"])
        return StatsScope(year=c["year"] or self.today.year)

    def select_fields(self) -> list[dict]:
        """The select filters with their options pre-resolved (value, label, selected)."""
        out = []
        for name in ("year", "period"):
            bf = self[name]
            value = bf.value()
            if name == "year" and value in (None, ""):
                value = self.today.year
            current = "" if value in (None, "") else str(value)
            out.append({"name": bf.html_name, "id": bf.id_for_label, "label": bf.label, "errors": bf.errors,
                        "options": [(str(v), str(label), str(v) == current) for v, label in bf.field.choices]})
        return out
