"""The meeting's transition table: the only code that changes `Meeting.status`."""

from django.utils.translation import gettext_lazy as _

from renda.core.workflow import Transition, Workflow

from .models import Meeting

M = Meeting.Status

MEETING_FLOW = Workflow(
    Meeting,
    transitions=[
        Transition("notify", source=[M.DRAFT], target=M.NOTIFIED, permission="meetings.manage",
                   label=_("发出会议通知")),
        Transition("convene", source=[M.NOTIFIED], target=M.IN_SESSION, permission="meetings.chair",
                   label=_("宣布开会"), style="success"),
        Transition("adjourn", source=[M.IN_SESSION], target=M.ADJOURNED, permission="meetings.chair",
                   label=_("宣布闭会"), style="warning"),
        Transition("cancel", source=[M.DRAFT, M.NOTIFIED], target=M.CANCELLED, permission="meetings.manage",
                   label=_("取消会议"), style="danger", needs_note=True),
    ],
    event_labels={"schedule": _("安排会议"), "minutes": _("会议纪要")},
)
