"""The transition tables of suggestion handling: the suggestion, each unit's part (Assignment), and
the two small ones of a co-signature (Signer) and of an extension request (Extension).

These tables are the only code that changes `Suggestion.status`, `Assignment.status`,
`Signer.status` or `Extension.status`; the functions in renda/suggestions/services.py call
`SUGGESTION_FLOW.apply` / `ASSIGNMENT_FLOW.apply` / … and do the rest of each step (numbers, deadlines,
notifications) in the same transaction. The state diagrams in docs/workflows/suggestions.md are
checked against these tables by a test.
"""

from django.utils.translation import gettext_lazy as _

from renda.core.workflow import SystemActor, Transition, Workflow

from .models import Assignment, Extension, Signer, Suggestion

S = Suggestion.Status
A = Assignment.Status
SG = Signer.Status
X = Extension.Status

# Automatic steps: the suggestion follows its units' answers and its deputies' ratings; merged
# suggestions follow their main suggestion.
SYSTEM = SystemActor(frozenset({"suggestions.follow"}))

SUGGESTION_FLOW = Workflow(
    Suggestion,
    transitions=[
        # The author deputy, personally: nobody (a superuser included) submits on a deputy's behalf.
        Transition("submit", source=[S.DRAFT, S.REVISING], target=S.SUBMITTED, permission="suggestions.author",
                   label=_("提交建议"), personal=True),
        Transition("withdraw", source=[S.SUBMITTED], target=S.WITHDRAWN, permission="suggestions.author",
                   label=_("撤回建议"), style="warning", personal=True),
        # Staff review (代表工委).
        Transition("accept", source=[S.SUBMITTED], target=S.ACCEPTED, permission="suggestions.review",
                   label=_("立案"), style="success"),
        Transition("decline", source=[S.SUBMITTED], target=S.DECLINED, permission="suggestions.review",
                   label=_("不予立案"), style="danger", needs_note=True),
        Transition("to_reference", source=[S.SUBMITTED], target=S.REFERENCE, permission="suggestions.review",
                   label=_("转为参阅件"), style="secondary", needs_note=True),
        Transition("send_back", source=[S.SUBMITTED], target=S.REVISING, permission="suggestions.review",
                   label=_("退回修改"), style="warning", needs_note=True),
        Transition("merge", source=[S.SUBMITTED, S.ACCEPTED], target=S.MERGED, permission="suggestions.review",
                   label=_("并案办理"), style="secondary", needs_note=True),
        Transition("assign", source=[S.ACCEPTED], target=S.HANDLING, permission="suggestions.review",
                   label=_("交办")),
        # Staff finish an item whose deputies did not all rate (B items go on under follow-up).
        Transition("close", source=[S.REPLIED], target=S.CLOSED, permission="suggestions.review",
                   label=_("办结（代表未全部评价）"), style="secondary"),
        Transition("close_to_follow_up", source=[S.REPLIED], target=S.FOLLOWING, permission="suggestions.review",
                   label=_("办结答复，B类转入跟踪办理"), style="secondary"),
        # Automatic.
        Transition("all_answered", source=[S.HANDLING, S.REHANDLING], target=S.REPLIED,
                   permission="suggestions.follow", label=_("承办单位已全部答复")),
        Transition("reopen", source=[S.REPLIED], target=S.REHANDLING, permission="suggestions.follow",
                   label=_("代表不满意，重新办理"), style="danger"),
        Transition("all_rated", source=[S.REPLIED], target=S.CLOSED, permission="suggestions.follow",
                   label=_("代表均已评价，办结")),
        Transition("follow_up", source=[S.REPLIED], target=S.FOLLOWING, permission="suggestions.follow",
                   label=_("代表均已评价，B类转入跟踪办理")),
        Transition("solved", source=[S.FOLLOWING], target=S.REPLIED, permission="suggestions.follow",
                   label=_("B类事项已解决，待代表评价")),
        Transition("merged_close", source=[S.MERGED], target=S.CLOSED, permission="suggestions.follow",
                   label=_("随主办建议办结")),
    ],
    event_labels={
        "create": _("起草建议"),
        "edit": _("修改建议"),
        "invite": _("邀请联名"),
        "cosign": _("确认联名"),
        "cosign_decline": _("谢绝联名"),
        "uninvite": _("取消联名邀请"),
        "merged_item": _("并入相同建议"),
        "reassign": _("改交办"),
        "remind": _("催办"),
        "supervise": _("督办意见"),
        "extend": _("同意延期"),
        "key": _("列为重点督办"),
        "unkey": _("取消重点督办"),
        "rate": _("代表评价"),
        "publish": _("公开"),
        "unpublish": _("撤回公开"),
    },
)

ASSIGNMENT_FLOW = Workflow(
    Assignment,
    transitions=[
        Transition("sign", source=[A.ASSIGNED], target=A.SIGNED, permission="suggestions.handle_assignment",
                   label=_("签收")),
        Transition("return", source=[A.ASSIGNED], target=A.RETURNED, permission="suggestions.handle_assignment",
                   label=_("申请退回"), style="warning", needs_note=True),
        Transition("reject_return", source=[A.RETURNED], target=A.ASSIGNED, permission="suggestions.arbitrate",
                   label=_("不同意退回（继续办理）"), style="secondary", needs_note=True),
        Transition("withdraw", source=[A.ASSIGNED, A.SIGNED, A.RETURNED], target=A.WITHDRAWN,
                   permission="suggestions.arbitrate", label=_("撤回并改交办"), style="warning", needs_note=True),
        Transition("send_views", source=[A.SIGNED], target=A.ANSWERED, permission="suggestions.handle_assignment",
                   label=_("提交协办意见"), style="success"),
        Transition("reply", source=[A.SIGNED], target=A.ANSWERED, permission="suggestions.handle_assignment",
                   label=_("提交答复"), style="success"),
        Transition("rehandle_reply", source=[A.REHANDLING], target=A.ANSWERED,
                   permission="suggestions.handle_assignment", label=_("提交重新办理答复"), style="success"),
        Transition("solve", source=[A.FOLLOWING], target=A.ANSWERED, permission="suggestions.handle_assignment",
                   label=_("B类事项已解决，答复代表"), style="success"),
        Transition("reopen", source=[A.ANSWERED], target=A.REHANDLING, permission="suggestions.follow",
                   label=_("代表不满意，重新办理"), style="danger"),
        Transition("follow_up", source=[A.ANSWERED], target=A.FOLLOWING, permission="suggestions.follow",
                   label=_("转入B类跟踪办理")),
    ],
    event_labels={"assign": _("交办"), "contact": _("办前联系"), "progress": _("B类办理进展"),
                  "remind": _("催办"), "supervise": _("督办意见"), "extend": _("延期"),
                  "extension_request": _("申请延期"), "extension_reject": _("不同意延期")},
)

# An invited deputy answers personally (the author's own signature is created confirmed). The row is
# read with its suggestion: the event's congress and the permission's scope are the suggestion's.
SIGNER_FLOW = Workflow(
    Signer,
    transitions=[
        Transition("cosign", source=[SG.INVITED], target=SG.CONFIRMED, permission="suggestions.cosign",
                   label=_("确认联名"), style="success", personal=True),
        Transition("cosign_decline", source=[SG.INVITED], target=SG.DECLINED, permission="suggestions.cosign",
                   label=_("谢绝联名"), style="secondary", personal=True),
    ],
)

# The office decides a unit's request for more time (read with its part, for the same reason).
EXTENSION_FLOW = Workflow(
    Extension,
    transitions=[
        Transition("approve", source=[X.REQUESTED], target=X.APPROVED, permission="suggestions.arbitrate",
                   label=_("同意延期"), style="success"),
        Transition("reject", source=[X.REQUESTED], target=X.REJECTED, permission="suggestions.arbitrate",
                   label=_("不同意延期"), style="secondary", needs_note=True),
    ],
)
