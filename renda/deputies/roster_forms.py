"""Forms of the Excel roster pages: upload, confirm, export (reason + the list's filters)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.core.attachments import SafeFileField
from renda.core.exports import ExportReasonForm

from .models import Deputy
from .selectors import DeputyFilters

ERR_NO_FILE = _("请选择要上传的 Excel 文件（.xlsx）。")


class RosterUploadForm(forms.Form):
    file = SafeFileField(label=_("名册文件（.xlsx）"), allowed=("xlsx",),
                         widget=forms.FileInput(attrs={"class": "form-control"}),
                         error_messages={"required": ERR_NO_FILE, "invalid": ERR_NO_FILE})


class RosterConfirmForm(forms.Form):
    token = forms.CharField(max_length=1000, widget=forms.HiddenInput)


class RosterFilterForm(forms.Form):
    """The roster list's filters (same parameter names), carried to the export."""

    q = forms.CharField(required=False, max_length=50, widget=forms.HiddenInput)
    status = forms.ChoiceField(required=False, choices=[("", "")] + Deputy.Status.choices, widget=forms.HiddenInput)
    sector = forms.ChoiceField(required=False, choices=[("", "")] + Deputy.Sector.choices, widget=forms.HiddenInput)
    group = forms.IntegerField(required=False, min_value=1, max_value=2**62, widget=forms.HiddenInput)
    district = forms.IntegerField(required=False, min_value=1, max_value=2**62, widget=forms.HiddenInput)

    def filters(self) -> DeputyFilters:
        c = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return DeputyFilters(q=c.get("q") or "", status=c.get("status") or "", sector=c.get("sector") or "",
                             group_id=c.get("group"), district_id=c.get("district"))

    def summary(self) -> list[str]:
        """The active filters in words, for the export page."""
        if not (self.is_bound and self.is_valid()):
            return []
        c = self.cleaned_data
        out = []
        if c.get("q"):
            out.append(_("姓名或单位含“%(q)s”") % {"q": c["q"]})
        if c.get("status"):
            out.append(_("状态：%(v)s") % {"v": Deputy.Status(c["status"]).label})
        if c.get("sector"):
            out.append(_("界别：%(v)s") % {"v": Deputy.Sector(c["sector"]).label})
        if c.get("group"):
            out.append(_("按代表小组筛选"))
        if c.get("district"):
            out.append(_("按选区筛选"))
        return out


class RosterExportForm(RosterFilterForm, ExportReasonForm):
    pass
