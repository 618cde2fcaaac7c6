"""The two transition tables of the channel: the opinion, and each unit's part (Assignment).

These tables are the only code that changes `Opinion.status` or `Assignment.status`; the
functions in renda/opinions/services.py call `OPINION_FLOW.apply` / `ASSIGNMENT_FLOW.apply` and do
the rest of the step (deadlines, notifications) in the same transaction. The state diagram in
docs/workflows/opinions.md is checked against these tables by a test.
"""

from django.utils.translation import gettext_lazy as _

from renda.core.workflow import Transition, Workflow

from .models import Assignment, Opinion

S = Opinion.Status
A = Assignment.Status

OPINION_FLOW = Workflow(
    Opinion,
    transitions=[
        Transition("accept", source=[S.SUBMITTED], target=S.ACCEPTED, permission="opinions.handle",
                   label=_("受理")),
        Transition("decline", source=[S.SUBMITTED], target=S.DECLINED, permission="opinions.handle",
                   label=_("不予受理"), style="danger", needs_note=True),
        Transition("forward", source=[S.ACCEPTED, S.FORWARDED, S.REHANDLING], target=S.FORWARDED,
                   permission="opinions.handle", label=_("转交承办单位"), style="secondary"),
        Transition("answer", source=[S.ACCEPTED, S.FORWARDED, S.REHANDLING], target=S.REPLIED,
                   permission="opinions.handle", label=_("答复群众"), style="success"),
        Transition("close", source=[S.REPLIED], target=S.CLOSED, permission="opinions.manage",
                   label=_("办结（群众未评价）"), style="secondary"),
        # The citizen did not rate within RENDA_OPINION_RATING_DAYS working days: closed, unrated.
        Transition("expire", source=[S.REPLIED], target=S.CLOSED, permission="opinions.expire",
                   label=_("逾期未评价，自动办结"), style="secondary"),
        Transition("rate_satisfied", source=[S.REPLIED], target=S.CLOSED, permission="opinions.rate",
                   label=_("群众评价：满意"), style="success"),
        Transition("rate_basic", source=[S.REPLIED], target=S.CLOSED, permission="opinions.rate",
                   label=_("群众评价：基本满意"), style="success"),
        # 不满意 reopens the item once; a second 不满意 is recorded and the item closes.
        Transition("rate_unsatisfied", source=[S.REPLIED], target=S.REHANDLING, permission="opinions.rate",
                   label=_("群众评价：不满意（重新办理）"), style="danger"),
        Transition("rate_unsatisfied_final", source=[S.REPLIED], target=S.CLOSED, permission="opinions.rate",
                   label=_("群众评价：不满意"), style="danger"),
        Transition("merge", source=[S.SUBMITTED, S.ACCEPTED], target=S.MERGED, permission="opinions.manage",
                   label=_("合并到相同意见"), style="secondary", needs_note=True),
        # A merged item follows its main item: it gets the main item's reply or decline.
        Transition("merged_reply", source=[S.MERGED], target=S.REPLIED, permission="opinions.follow_merge",
                   label=_("随合并事项答复")),
        Transition("merged_decline", source=[S.MERGED], target=S.DECLINED, permission="opinions.follow_merge",
                   label=_("随合并事项不予受理")),
    ],
    event_labels={
        "submit": _("提交意见"),
        "enter_offline": _("代录线下收集的意见"),
        "reassign": _("改派"),
        "remind": _("催办"),
        "extend": _("延长期限"),
        "publish": _("公开"),
        "unpublish": _("撤回公开"),
        "merged_item": _("合并相同意见"),
        "unit_replied": _("承办单位答复"),
        "route": _("分派代表或联络站"),
        "erase_contact": _("按本人要求删除个人信息"),
    },
)

ASSIGNMENT_FLOW = Workflow(
    Assignment,
    transitions=[
        Transition("sign", source=[A.ASSIGNED], target=A.SIGNED, permission="opinions.handle_assignment",
                   label=_("签收")),
        Transition("return", source=[A.ASSIGNED, A.SIGNED], target=A.RETURNED,
                   permission="opinions.handle_assignment", label=_("申请退回"), style="warning", needs_note=True),
        Transition("reply", source=[A.SIGNED], target=A.REPLIED, permission="opinions.handle_assignment",
                   label=_("提交答复"), style="success"),
        Transition("reject_return", source=[A.RETURNED], target=A.ASSIGNED, permission="opinions.arbitrate",
                   label=_("不同意退回（继续办理）"), style="secondary", needs_note=True),
        Transition("withdraw", source=[A.ASSIGNED, A.SIGNED, A.RETURNED], target=A.WITHDRAWN,
                   permission="opinions.arbitrate", label=_("撤回并改派"), style="warning", needs_note=True),
    ],
    event_labels={"progress": _("办理进展"), "remind": _("催办"), "extend": _("延长期限")},
)

# Which transitions a citizen can see on the public timeline, and whether the note is shown.
PUBLIC_ACTIONS = {
    "submit": False, "enter_offline": False, "accept": False, "decline": True, "forward": False,
    "answer": False, "merged_reply": False, "merged_decline": True, "rate_satisfied": False, "rate_basic": False,
    "rate_unsatisfied": False, "rate_unsatisfied_final": False, "close": False, "expire": False, "merge": False,
    "extend": True,
}
