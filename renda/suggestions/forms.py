"""Forms of the suggestion pages. They parse input only: the services check everything again (state,
permission, lengths, units of the congress), so the API reaches the same rules without these forms.
Every form of a status change carries the item's `version`, passed on as `expected_version`.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from renda.core.attachments import attachment_check
from renda.core.forms import AttachmentsField, VersionForm

from .models import NOTE_MAX, PROPOSAL_MAX, REPLY_MAX, SECTION_MAX, TITLE_MAX, Contact, Note, Period, Rating, Suggestion
from .services import (
    ERR_CATEGORY,
    ERR_LEAD,
    ERR_NOTE,
    ERR_OUTCOME,
    ERR_PDF,
    ERR_PROPOSAL,
    ERR_RATING,
    ERR_REPLY,
    ERR_SECTION,
    ERR_TITLE,
    ERR_UNIT_UNKNOWN,
)

ERR_DATE = _("请填写有效日期（如 2026-03-01）。")
ERR_CHOICE = _("请从列表中选择。")
PDF_MAX_BYTES = 20 * 1024 * 1024


def _text(label, *, max_length: int, error, required: bool = True, rows: int = 3, help_text=""):
    return forms.CharField(label=label, max_length=max_length, required=required, strip=True, help_text=help_text,
                           error_messages={"required": error, "max_length": error},
                           widget=forms.Textarea(attrs={"rows": rows, "maxlength": max_length}))


def _line(label, *, max_length: int, error, required: bool = True, help_text=""):
    return forms.CharField(label=label, max_length=max_length, required=required, strip=True, help_text=help_text,
                           error_messages={"required": error, "max_length": error},
                           widget=forms.TextInput(attrs={"maxlength": max_length}))


def _date(label, *, required: bool = True, help_text=""):
    return forms.DateField(label=label, required=required, help_text=help_text,
                           error_messages={"required": ERR_DATE, "invalid": ERR_DATE},
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


def _choices(label, *, required: bool = True, multiple: bool = False, error=ERR_CHOICE, help_text="", widget=None):
    cls = forms.TypedMultipleChoiceField if multiple else forms.TypedChoiceField
    widget = widget or (forms.CheckboxSelectMultiple if multiple else forms.Select)
    kwargs = {} if multiple else {"empty_value": None}
    return cls(label=label, coerce=int, required=required, widget=widget, help_text=help_text,
               error_messages={"required": error, "invalid_choice": error}, **kwargs)


class PdfField(forms.FileField):
    """The signed and sealed reply letter: one PDF, its bytes checked (a disguised file is refused)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("加盖公章的答复函（PDF）"))
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}))
        kwargs.setdefault("error_messages", {"required": ERR_PDF})
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        f = super().clean(data, initial)
        if f:
            f.renda_checked = attachment_check(upload=f, allowed=("pdf",), max_bytes=PDF_MAX_BYTES)
        return f


# --- drafting ------------------------------------------------------------------------------------------------
class SuggestionForm(forms.Form):
    title = _line(_("标题"), max_length=TITLE_MAX, error=ERR_TITLE, help_text=_("如：关于加快老旧小区加装电梯的建议"))
    category = _choices(_("类别"), error=ERR_CATEGORY)
    situation = _text(_("现状"), max_length=SECTION_MAX, error=ERR_SECTION, required=False, rows=4)
    problem = _text(_("存在的问题"), max_length=SECTION_MAX, error=ERR_SECTION, required=False, rows=4)
    proposal = _text(_("具体建议"), max_length=PROPOSAL_MAX, error=ERR_PROPOSAL, rows=6)
    units = _choices(_("建议承办单位（可多选，供交办参考）"), required=False, multiple=True, error=ERR_UNIT_UNKNOWN)
    attachments = AttachmentsField()

    def __init__(self, *args, categories=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("请选择"))] + [(c.pk, c.name) for c in categories]
        self.fields["units"].choices = [(u.pk, u.name) for u in units]


class InviteForm(forms.Form):
    deputies = _choices(_("邀请联名的代表"), multiple=True, error=_("请选择要邀请的代表。"),
                        help_text=_("被邀请的代表在手机上确认后，才能提交建议。"),
                        widget=forms.SelectMultiple(attrs={"size": 8}))

    def __init__(self, *args, deputies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].choices = [(d.pk, d.person.name) for d in deputies]


class UninviteForm(forms.Form):
    deputy = forms.IntegerField(widget=forms.HiddenInput)


class RespondForm(forms.Form):
    confirm = forms.TypedChoiceField(choices=[("1", _("确认联名")), ("0", _("谢绝"))], coerce=lambda v: v == "1",
                                     widget=forms.HiddenInput)


class SubmitForm(VersionForm):
    period = _choices(_("征集期"), required=False)

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.pk, p.name) for p in periods]
        if len(periods) <= 1:
            self.fields["period"].widget = forms.HiddenInput()


class WithdrawForm(VersionForm):
    pass


class RatingForm(forms.Form):
    reply = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.ChoiceField(label=_("您的评价"), choices=Rating.Value.choices, widget=forms.RadioSelect,
                              error_messages={"required": ERR_RATING, "invalid_choice": ERR_RATING})
    comment = _text(_("意见（可选；不满意时请写明理由）"), max_length=NOTE_MAX, error=ERR_NOTE, required=False, rows=2)


# --- the office ------------------------------------------------------------------------------------------------
class AcceptForm(VersionForm):
    pass


class ReasonForm(VersionForm):
    note = _text(_("理由（代表可见）"), max_length=NOTE_MAX, error=ERR_NOTE)


class MergeForm(VersionForm):
    into = _choices(_("并入的建议（已立案）"), error=_("请选择要并入的建议。"))
    note = _text(_("并案理由"), max_length=NOTE_MAX, error=ERR_NOTE, rows=2)

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].choices = [("", _("请选择"))] + [(s.pk, f"{s.number_display} {s.title}") for s in targets]


class AssignForm(VersionForm):
    mode = forms.ChoiceField(label=_("办理方式"), choices=Suggestion.Mode.choices, initial=Suggestion.Mode.LEAD,
                             widget=forms.RadioSelect)
    lead_unit = _choices(_("主办单位"), required=False, error=ERR_LEAD)
    co_units = _choices(_("协办单位（可多选）"), required=False, multiple=True, error=ERR_UNIT_UNKNOWN,
                        widget=forms.SelectMultiple(attrs={"size": 6}))
    units = _choices(_("分别办理的单位（至少两个）"), required=False, multiple=True, error=ERR_UNIT_UNKNOWN,
                     widget=forms.SelectMultiple(attrs={"size": 6}))
    note = _text(_("交办说明（可选）"), max_length=NOTE_MAX, error=ERR_NOTE, required=False, rows=2)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(u.pk, u.name) for u in units]
        self.fields["lead_unit"].choices = [("", _("请选择"))] + choices
        self.fields["co_units"].choices = choices
        self.fields["units"].choices = choices

    def plan(self) -> dict:
        return assign_plan(self.cleaned_data)


def assign_plan(c: dict) -> dict:
    """An assignment form's cleaned data as services.suggestion_assign's arguments."""
    return {"mode": c["mode"], "lead_unit_id": c.get("lead_unit"), "co_unit_ids": c.get("co_units") or [],
            "unit_ids": c.get("units") or [], "note": c.get("note", "")}


class BulkAssignForm(AssignForm):
    suggestions = forms.TypedMultipleChoiceField(coerce=int, widget=forms.MultipleHiddenInput,
                                                 error_messages={"required": _("请先勾选要交办的建议。")})
    version = None  # each item is assigned at its current version; a concurrent change is reported per item

    def __init__(self, *args, suggestion_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suggestions"].choices = [(pk, pk) for pk in suggestion_ids]


class FinishForm(VersionForm):
    pass


class NoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Note.Kind.choices, widget=forms.RadioSelect,
                             initial=Note.Kind.REMIND)
    assignment = _choices(_("发给"), required=False, help_text=_("不选则发给全部在办单位。"))
    text = _text(_("内容"), max_length=NOTE_MAX, error=ERR_NOTE, rows=2)

    def __init__(self, *args, parts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].choices = [("", _("全部在办单位"))] + [(p.pk, p.unit.name) for p in parts]


class KeyForm(forms.Form):
    leader = _choices(_("督办领导"), error=_("请选择督办领导。"))
    meeting_date = _date(_("主任会议日期"))
    note = _text(_("督办要求（可选）"), max_length=NOTE_MAX, error=ERR_NOTE, required=False, rows=2)
    milestones = _text(_("督办节点（每行一个：日期 内容）"), max_length=4000, error=ERR_NOTE, required=False, rows=3,
                       help_text=_("如：2026-06-30 完成项目立项"))

    def __init__(self, *args, leaders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].choices = [("", _("请选择"))] + [(m.pk, f"{m.person.name}（{m.get_post_display()}）")
                                                             for m in leaders]

    def clean_milestones(self) -> list[tuple[datetime.date, str]]:
        out = []
        for line in (self.cleaned_data.get("milestones") or "").splitlines():
            line = line.strip()
            if not line:
                continue
            day, _sep, text = line.partition(" ")
            try:
                out.append((datetime.date.fromisoformat(day), text.strip()))
            except ValueError:
                raise ValidationError(_("“%(line)s”：每行须以日期开头（如 2026-06-30 完成立项）。") % {
                    "line": line[:40]}) from None
        return out


class UnkeyForm(forms.Form):
    reason = _text(_("取消理由"), max_length=NOTE_MAX, error=ERR_NOTE, rows=2)


class PublishForm(forms.Form):
    title = _line(_("公开标题"), max_length=TITLE_MAX, error=ERR_TITLE)
    text = _text(_("公开的建议内容（已去除个人信息）"), max_length=PROPOSAL_MAX, error=ERR_PROPOSAL, rows=5)
    reply = _text(_("公开的答复（已去除个人信息）"), max_length=REPLY_MAX, error=ERR_REPLY, rows=5)


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Period.Kind.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2099)
    name = _line(_("名称"), max_length=100, error=_("请填写名称。"), help_text=_("如：市十七届人大三次会议"))
    number_prefix = _line(_("编号前缀（可选）"), max_length=30, error=_("不超过 30 字。"), required=False,
                          help_text=_("如“十七届三次”，编号显示为“十七届三次第001号”"))


# --- arbitration of a unit's part (the office) ---------------------------------------------------------------------
class RejectReturnForm(VersionForm):
    note = _text(_("不同意退回的理由"), max_length=NOTE_MAX, error=ERR_NOTE, rows=2)


class ReassignForm(VersionForm):
    unit = _choices(_("改交的单位"), error=ERR_UNIT_UNKNOWN)
    note = _text(_("改交办理由"), max_length=NOTE_MAX, error=ERR_NOTE, rows=2)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("请选择"))] + [(u.pk, u.name) for u in units]


class ExtensionDecideForm(forms.Form):
    extension = forms.IntegerField(widget=forms.HiddenInput)
    approve = forms.TypedChoiceField(choices=[("1", _("同意")), ("0", _("不同意"))], coerce=lambda v: v == "1",
                                     widget=forms.RadioSelect, label=_("审批"))
    note = _text(_("审批意见（不同意时必填）"), max_length=NOTE_MAX, error=ERR_NOTE, required=False, rows=2)


# --- the unit -----------------------------------------------------------------------------------------------------
class SignForm(VersionForm):
    pass


class ReturnForm(VersionForm):
    reason = _text(_("申请退回的理由"), max_length=NOTE_MAX, error=ERR_NOTE,
                   help_text=_("交办之日起 7 个工作日内可以申请，如：不属于本单位职责，建议交……办理。"))


class ContactForm(forms.Form):
    deputy = _choices(_("联系的代表"), error=_("请选择代表。"))
    contacted_on = _date(_("联系日期"))
    form = forms.ChoiceField(label=_("联系方式"), choices=Contact.Form.choices)
    content = _text(_("联系内容"), max_length=NOTE_MAX, error=ERR_NOTE, rows=3,
                    help_text=_("如：电话听取代表对办理思路的意见，代表希望……"))

    def __init__(self, *args, deputies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].choices = [(d.pk, d.person.name) for d in deputies]


class ViewsForm(VersionForm):
    text = _text(_("协办意见"), max_length=REPLY_MAX, error=ERR_REPLY, rows=5,
                 help_text=_("送主办单位，主办单位在答复中吸收。"))
    attachments = AttachmentsField()


class ReplyForm(VersionForm):
    outcome = forms.ChoiceField(label=_("办理结果"), choices=Suggestion.Outcome.choices, widget=forms.RadioSelect,
                                error_messages={"required": ERR_OUTCOME, "invalid_choice": ERR_OUTCOME})
    text = _text(_("答复内容"), max_length=REPLY_MAX, error=ERR_REPLY, rows=6)
    committed_date = _date(_("承诺解决时间（B类必填）"), required=False)
    pdf = PdfField()
    attachments = AttachmentsField()


class ProgressForm(forms.Form):
    text = _text(_("办理进展"), max_length=REPLY_MAX, error=ERR_REPLY, rows=3)
    attachments = AttachmentsField()


class SolveForm(VersionForm):
    text = _text(_("解决情况（答复代表）"), max_length=REPLY_MAX, error=ERR_REPLY, rows=5)
    pdf = PdfField()
    attachments = AttachmentsField()


class ExtensionForm(forms.Form):
    months = forms.TypedChoiceField(label=_("延期"), coerce=int,
                                    choices=[(1, _("1 个月")), (2, _("2 个月")), (3, _("3 个月"))])
    reason = _text(_("延期理由（代表可见）"), max_length=NOTE_MAX, error=ERR_NOTE, rows=2)
