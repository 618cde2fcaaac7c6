"""Forms of the meeting pages. They parse; the services decide (renda/meetings/services.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.ballots.models import Vote

from .kinds import HALF_OF_ALL, TWO_THIRDS_OF_ALL
from .models import Meeting, Participant

REQUIRED = {"required": _("请填写此项。")}


class DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class ScheduleForm(forms.Form):
    kind = forms.ChoiceField(label=_("会议类型"), choices=Meeting.Kind.choices)
    title = forms.CharField(label=_("会议名称"), max_length=200, error_messages=REQUIRED,
                            help_text=_("例如：太仓市第十七届人大常委会第五次会议"))
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DateTimeLocal, input_formats=["%Y-%m-%dT%H:%M"],
                                    error_messages={"required": _("请填写开始时间。"),
                                                    "invalid": _("请填写有效的日期和时间。")})
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DateTimeLocal, input_formats=["%Y-%m-%dT%H:%M"],
                                  required=False, error_messages={"invalid": _("请填写有效的日期和时间。")})
    location = forms.CharField(label=_("地点"), max_length=200, required=False)
    chair = forms.TypedChoiceField(label=_("主持人"), coerce=int, required=False, empty_value=None)
    group = forms.TypedChoiceField(label=_("参会代表小组"), coerce=int, required=False, empty_value=None,
                                   help_text=_("联席会议、协调会议的参会代表来自所选小组。"))
    notice_days = forms.IntegerField(label=_("提前通知天数"), min_value=0, max_value=90, required=False,
                                     help_text=_("不填则按会议类型的规定。"))
    quorum = forms.ChoiceField(label=_("法定人数"), required=False, choices=[
        ("", _("按会议类型的规定")),
        ("half", _("全体组成人员过半数出席")),
        ("two_thirds", _("全体组成人员三分之二以上出席")),
    ], help_text=_("会议依本级议事规则另有规定时选择。"))

    # The same thresholds as the kinds' defaults (kinds.py), not copies of them.
    QUORUMS = {"half": HALF_OF_ALL, "two_thirds": TWO_THIRDS_OF_ALL}

    def __init__(self, *args, chairs=(), groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].choices = [("", _("（暂不指定）")), *chairs]
        self.fields["group"].choices = [("", _("（不适用）")), *groups]

    def quorum_rule(self) -> dict | None:
        """The chosen quorum as the engine's threshold, or None for the kind's default."""
        rule = self.QUORUMS.get(self.cleaned_data.get("quorum") or "")
        return rule.to_dict() if rule is not None else None


class ReplyForm(forms.Form):
    prefix = "reply"
    attending = forms.TypedChoiceField(label=_("出席情况"), choices=[("1", _("确认出席")), ("0", _("请假"))],
                                       coerce=lambda v: v == "1", widget=forms.RadioSelect)
    reason = forms.CharField(label=_("请假理由"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class NotifyForm(forms.Form):
    prefix = "notify"
    short_notice_reason = forms.CharField(label=_("通知时间不足的理由"), max_length=500, required=False,
                                          widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    prefix = "cancel"
    note = forms.CharField(label=_("理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": _("请填写理由。")})


class ItemForm(forms.Form):
    prefix = "item"
    title = forms.CharField(label=_("议题"), max_length=300, error_messages=REQUIRED)
    presenter = forms.CharField(label=_("汇报人"), max_length=100, required=False)
    description = forms.CharField(label=_("说明"), max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class ParticipantForm(forms.Form):
    prefix = "person"
    person = forms.TypedChoiceField(label=_("人员"), coerce=int, error_messages=REQUIRED)
    role = forms.ChoiceField(label=_("身份"), choices=Participant.Role.choices)
    title = forms.CharField(label=_("职务"), max_length=100, required=False)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "—"), *people]


class DocumentForm(forms.Form):
    prefix = "doc"
    title = forms.CharField(label=_("材料名称"), max_length=200, error_messages=REQUIRED)
    item = forms.TypedChoiceField(label=_("所属议题"), coerce=int, required=False, empty_value=None)
    file = forms.FileField(label=_("文件（PDF、Word、Excel 或图片）"), error_messages={"required": _("请选择文件。")},
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png,.webp"}))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", _("（全体会议材料）")), *items]


class VoteForm(forms.Form):
    """A vote on an agenda item. Options: one per line (a person to appoint, a project, a target)."""

    prefix = "vote"
    item = forms.TypedChoiceField(label=_("议题"), coerce=int)
    kind = forms.ChoiceField(label=_("表决类型"), choices=Vote.Kind.choices)
    title = forms.CharField(label=_("表决事项"), max_length=200, required=False, help_text=_("不填则用议题名称。"))
    secret = forms.TypedChoiceField(label=_("记名方式"), choices=[("1", _("无记名")), ("0", _("记名"))],
                                    coerce=lambda v: v == "1", initial="1", widget=forms.RadioSelect)
    method = forms.ChoiceField(label=_("表决方式"), choices=Vote.Method.choices, initial=Vote.Method.ELECTRONIC)
    options = forms.CharField(label=_("表决对象（每行一个）"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("任免：每行一名被任免人；票决：每行一个候选项目；测评：每行一个测评对象。议案表决不填。"))
    max_choices = forms.IntegerField(label=_("每票最多选（票决）"), min_value=1, required=False)
    tie_rule = forms.ChoiceField(label=_("末位得票并列时（票决）"), choices=Vote.TieRule.choices)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = list(items)

    def vote_config(self) -> dict:
        c = self.cleaned_data
        lines = [line.strip() for line in (c["options"] or "").splitlines() if line.strip()]
        config = {"kind": c["kind"], "secret": c["secret"], "method": c["method"],
                  "options": [{"label": line} for line in lines], "tie_rule": c["tie_rule"]}
        if c["title"]:
            config["title"] = c["title"]
        if c["kind"] == Vote.Kind.CHOICE:
            config["max_choices"] = c["max_choices"]
        return config


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("会议纪要"), max_length=50_000, required=False,
                              widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        for item in items:
            self.fields[f"decision_{item.pk}"] = forms.CharField(
                label=_("会议决定：%(title)s") % {"title": item.title}, max_length=5000, required=False,
                initial=item.decision, widget=forms.Textarea(attrs={"rows": 2}))

    def decisions(self) -> dict[int, str]:
        return {int(k.split("_", 1)[1]): v for k, v in self.cleaned_data.items() if k.startswith("decision_")}
