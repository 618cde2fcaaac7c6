"""The vote's transition table: the only code that changes `Vote.status`.

Casting a ballot is not a transition and writes no Event: an event carries a time and an actor,
which in a secret vote would link the voter to the ballot written in the same instant."""

from django.utils.translation import gettext_lazy as _

from renda.core.workflow import Transition, Workflow

from .models import Vote

V = Vote.Status

VOTE_FLOW = Workflow(
    Vote,
    transitions=[
        Transition("open", source=[V.DRAFT], target=V.OPEN, permission="ballots.manage", label=_("开始表决")),
        Transition("close", source=[V.OPEN], target=V.CLOSED, permission="ballots.manage", label=_("结束表决"),
                   style="warning"),
        Transition("publish", source=[V.CLOSED], target=V.PUBLISHED, permission="ballots.manage",
                   label=_("公布结果"), style="success"),
        Transition("cancel", source=[V.DRAFT, V.OPEN], target=V.CANCELLED, permission="ballots.manage",
                   label=_("取消表决"), style="danger", needs_note=True),
    ],
    event_labels={"tie_decided": _("主持人决定末位并列"), "paper_counts": _("录入计票结果"),
                  "runoff": _("对并列者再次投票")},
)
