"""Deputy status (在任 / 暂停 / 终止): the only code that changes Deputy.status."""

from django.utils.translation import gettext_lazy as _

from renda.core.workflow import Transition, Workflow

from .models import Deputy

S = Deputy.Status

DEPUTY_FLOW = Workflow(
    Deputy,
    transitions=[
        Transition("suspend", source=[S.ACTIVE], target=S.SUSPENDED, permission="deputies.change_status",
                   label=_("暂停执行代表职务"), style="warning", needs_note=True),
        Transition("resume", source=[S.SUSPENDED], target=S.ACTIVE, permission="deputies.change_status",
                   label=_("恢复执行代表职务"), style="success", needs_note=True),
        Transition("terminate", source=[S.ACTIVE, S.SUSPENDED], target=S.TERMINATED,
                   permission="deputies.change_status", label=_("终止代表资格"), style="danger", needs_note=True),
    ],
    event_labels={"import": _("名册导入")},
)


def deputy_change_status(*, deputy_id: int, action: str, actor, note: str, expected_version: int | None = None
                         ) -> Deputy:
    """Suspend, resume or terminate a deputy's membership. One event per change; a note is required."""
    return DEPUTY_FLOW.apply(obj_id=deputy_id, action=action, actor=actor, note=note,
                             expected_version=expected_version)
