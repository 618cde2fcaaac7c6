"""Forms of the handlers' workspace: the action forms of an item page and of a unit's part page.

They parse input only. The services check everything again (state, permission, lengths, units of
the congress), so the API reaches the same rules without these forms. Every action form carries the
item's `version`, passed on as `expected_version`: a stale page gets a conflict, not a silent win.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.core.forms import AttachmentsField, VersionForm

from .models import NOTE_MAX, REPLY_MAX
from .services import ERR_NOTE, ERR_REPLY, ERR_UNIT_UNKNOWN, ERR_UNITS

ERR_REASON = _("请填写理由（不超过 %(max)s 字）。") % {"max": NOTE_MAX}


def _text(label, *, max_length: int, error, required: bool = True, rows: int = 3, help_text=""):
    return forms.CharField(label=label, max_length=max_length, required=required, strip=True, help_text=help_text,
                           error_messages={"required": error, "max_length": error},
                           widget=forms.Textarea(attrs={"rows": rows, "maxlength": max_length}))


class AcceptForm(VersionForm):
    pass


class CloseForm(VersionForm):
    pass


class DeclineForm(VersionForm):
    reason = _text(_("不予受理的理由（群众可见）"), max_length=NOTE_MAX, error=ERR_REASON,
                   help_text=_("如：不属于本级人大职权范围，建议向……反映。"))


class ForwardForm(VersionForm):
    units = forms.TypedMultipleChoiceField(label=_("承办单位（可多选）"), coerce=int,
                                           widget=forms.CheckboxSelectMultiple,
                                           error_messages={"required": ERR_UNITS, "invalid_choice": ERR_UNIT_UNKNOWN})
    note = _text(_("转办说明（可选）"), max_length=NOTE_MAX, error=ERR_NOTE, required=False, rows=2)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = [(u.pk, u.name) for u in units]


class AnswerForm(VersionForm):
    reply_text = _text(_("答复群众"), max_length=REPLY_MAX, error=ERR_REPLY, rows=5,
                       help_text=_("群众凭查询码可看到答复并评价。不超过 %(max)s 字。") % {"max": REPLY_MAX})
    attachments = AttachmentsField()


class PartReturnForm(VersionForm):
    reason = _text(_("申请退回的理由"), max_length=NOTE_MAX, error=ERR_REASON,
                   help_text=_("如：不属于本单位职责，建议转……办理。"))


class PartSignForm(VersionForm):
    pass


class PartReplyForm(VersionForm):
    reply_text = _text(_("单位答复"), max_length=REPLY_MAX, error=ERR_REPLY, rows=5)
    attachments = AttachmentsField()


class ProgressForm(forms.Form):
    """A progress note changes no status, so it carries no version."""

    text = _text(_("办理进展"), max_length=NOTE_MAX, error=ERR_NOTE, rows=3,
                 help_text=_("办理单位、处理人和群众都能看到进展（群众只看到状态）。"))
    attachments = AttachmentsField()


OPINION_FORMS: dict[str, type[forms.Form]] = {
    "accept": AcceptForm, "decline": DeclineForm, "forward": ForwardForm, "answer": AnswerForm, "close": CloseForm,
}
PART_FORMS: dict[str, type[forms.Form]] = {
    "sign": PartSignForm, "return": PartReturnForm, "reply": PartReplyForm, "progress": ProgressForm,
}
