"""The handlers' workspace: deputies, liaison stations, the office and the units (phone first).

Views parse input, call one service, render. Each action posts to its own URL; a form error shows
the item page again with the error under the field (status 200), a conflict (somebody acted first)
or a transition that no longer applies redirects back with a message. Reads that miss and reads
that are refused look the same (404).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from renda.core.validation import add_errors
from renda.core.workflow import WorkflowError

from . import selectors, selectors_handle, services
from .forms_handle import OPINION_FORMS, PART_FORMS, ForwardForm
from .models import Assignment, Opinion
from .workflow import ASSIGNMENT_FLOW, OPINION_FLOW

PAGE_SIZE = 20
PART_ACTIONS = ("sign", "return", "reply")  # the unit's own; reject_return/withdraw are the office's (H3)

OK_MESSAGES = {
    "accept": gettext_lazy("已受理。"),
    "decline": gettext_lazy("已不予受理，理由将告知群众。"),
    "forward": gettext_lazy("已转交承办单位。"),
    "answer": gettext_lazy("已答复群众。"),
    "close": gettext_lazy("已办结。"),
    "sign": gettext_lazy("已签收。"),
    "return": gettext_lazy("已申请退回，等待人大机关处理。"),
    "reply": gettext_lazy("已提交答复。"),
    "progress": gettext_lazy("已记录办理进展。"),
}
ERR_FORM = gettext_lazy("请按提示修改后再提交。")


# --- lists ------------------------------------------------------------------------------------------
@login_required
def inbox(request):
    """Deputies, stations' duty deputies, town staff and the office: the items they handle."""
    if not request.user.has_perm("opinions.list"):
        raise PermissionDenied
    a = getattr(request.user, "active_assignment", None)
    if a is not None and a.role == "unit":
        return redirect("opinions:unit_inbox")
    tab = request.GET.get("tab", "all")
    if tab not in selectors_handle.INBOX_TABS:
        tab = "all"
    overdue = request.GET.get("overdue") == "1"
    q = (request.GET.get("q") or "").strip()[:50]
    qs = selectors_handle.handle_inbox(user=request.user, tab=tab, overdue=overdue, q=q)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    tabs = [("all", _("全部")), ("pending", _("待受理")), ("handling", _("办理中")), ("replied", _("已答复"))]
    return render(request, "opinions/handle/inbox.html", {
        "page": page, "tab": tab, "tabs": tabs, "overdue": overdue, "q": q, "query": query.urlencode(),
        "today": timezone.localdate(),
    })


@login_required
def unit_inbox(request):
    """The unit's parts: due dates first, overdue flagged; filter by status and overdue."""
    a = getattr(request.user, "active_assignment", None)
    if a is None or a.role != "unit":
        raise PermissionDenied
    status = request.GET.get("status", "")
    if status not in dict(Assignment.Status.choices):
        status = ""
    overdue = request.GET.get("overdue") == "1"
    qs = selectors.unit_inbox(user=request.user, status=status, overdue=overdue)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "opinions/handle/unit_inbox.html", {
        "page": page, "status": status, "overdue": overdue, "query": query.urlencode(),
        "statuses": [(k, v) for k, v in Assignment.Status.choices if k != Assignment.Status.WITHDRAWN],
    })


# --- the item page ------------------------------------------------------------------------------------
def _opinion_or_404(user, pk) -> Opinion:
    try:
        return selectors.opinion_get_for_user(user=user, opinion_id=pk)
    except Opinion.DoesNotExist:
        raise Http404 from None


def _opinion_forms(opinion: Opinion, actions, *, bound: tuple[str, object] | None = None) -> dict:
    """One form per action the user may take now; the posted one keeps its data and errors."""
    forms = {}
    for t in actions:
        cls = OPINION_FORMS.get(t.action)
        if cls is None:
            continue
        if bound and bound[0] == t.action:
            forms[t.action] = bound[1]
            continue
        kwargs = {"prefix": t.action, "initial": {"version": opinion.version}}
        if cls is ForwardForm:
            kwargs["units"] = selectors_handle.units_for_forward(opinion)
        forms[t.action] = cls(**kwargs)
    return forms


def _render_detail(request, opinion: Opinion, *, bound=None, status: int = 200):
    user = request.user
    actions = [t for t in OPINION_FLOW.actions_for(opinion, user) if t.action in OPINION_FORMS]
    parts = selectors_handle.parts_with_details(opinion, selectors.assignments_of(opinion))
    photos, reply_files = selectors_handle.opinion_files(opinion)
    a = getattr(user, "active_assignment", None)
    my_parts = [p for p in parts if a is not None and a.role == "unit" and p.unit_id == a.unit_id]
    return render(request, "opinions/handle/detail.html", {
        "opinion": opinion,
        "contact": selectors_handle.opinion_contact_for(user=user, opinion=opinion),
        "photos": photos,
        "reply_files": reply_files,
        "parts": parts,
        "my_parts": my_parts,
        "replied_parts": [p for p in parts if p.reply_text],
        "deadlines": selectors_handle.open_deadlines(opinion),
        "entries": selectors.opinion_timeline(opinion),
        "actions": actions,
        "forms": _opinion_forms(opinion, actions, bound=bound),
        "can_manage": user.has_perm("opinions.manage", opinion),
    }, status=status)


@login_required
def detail(request, pk: int):
    opinion = _opinion_or_404(request.user, pk)
    return _render_detail(request, opinion)


def _run_opinion_action(action: str, opinion: Opinion, user, c: dict):
    common = {"opinion_id": opinion.pk, "actor": user, "expected_version": c["version"]}
    if action == "accept":
        return services.opinion_accept(**common)
    if action == "decline":
        return services.opinion_decline(reason=c["reason"], **common)
    if action == "forward":
        return services.opinion_forward(unit_ids=c["units"], note=c["note"], **common)
    if action == "answer":
        return services.opinion_answer(reply_text=c["reply_text"], attachments=c["attachments"], **common)
    if action == "close":
        return services.opinion_close(**common)
    raise Http404



@login_required
@require_POST
def act(request, pk: int, action: str):
    """One action on an item (受理, 不予受理, 转交, 答复, 办结)."""
    opinion = _opinion_or_404(request.user, pk)
    cls = OPINION_FORMS.get(action)
    if cls is None:
        raise Http404
    if not request.user.has_perm(OPINION_FLOW.transition(action).permission, opinion):
        raise PermissionDenied
    kwargs = {"prefix": action}
    if cls is ForwardForm:
        kwargs["units"] = selectors_handle.units_for_forward(opinion)
    form = cls(request.POST, request.FILES, **kwargs)
    if form.is_valid():
        try:
            _run_opinion_action(action, opinion, request.user, form.cleaned_data)
        except WorkflowError as e:
            messages.error(request, str(e.message))
            return redirect("opinions:detail", pk=opinion.pk)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, str(OK_MESSAGES[action]))
            return redirect("opinions:detail", pk=opinion.pk)
    messages.error(request, str(ERR_FORM))
    return _render_detail(request, opinion, bound=(action, form))


# --- the unit's part ----------------------------------------------------------------------------------
def _part_or_404(user, pk) -> Assignment:
    try:
        return selectors_handle.unit_part_get(user=user, assignment_id=pk)
    except Assignment.DoesNotExist:
        raise Http404 from None


def _part_forms(part: Assignment, actions, *, can_progress: bool, bound=None) -> dict:
    forms = {}
    names = [t.action for t in actions] + (["progress"] if can_progress else [])
    for name in names:
        if bound and bound[0] == name:
            forms[name] = bound[1]
        else:
            forms[name] = PART_FORMS[name](prefix=name, initial={"version": part.version})
    return forms


def _render_part(request, part: Assignment, *, bound=None):
    user = request.user
    opinion = part.opinion
    actions = [t for t in ASSIGNMENT_FLOW.actions_for(part, user) if t.action in PART_ACTIONS]
    can_progress = (part.status in (Assignment.Status.ASSIGNED, Assignment.Status.SIGNED)
                    and user.has_perm("opinions.handle_assignment", part))
    parts = selectors_handle.parts_with_details(opinion, selectors.assignments_of(opinion))
    this = next((p for p in parts if p.pk == part.pk), part)
    photos, _files = selectors_handle.opinion_files(opinion)
    return render(request, "opinions/handle/part.html", {
        "part": this,
        "part_list": [this],
        "opinion": opinion,
        "contact": selectors_handle.opinion_contact_for(user=user, opinion=opinion),
        "photos": photos,
        "other_parts": [p for p in parts if p.pk != part.pk],
        "deadlines": selectors_handle.open_deadlines(part),
        "actions": actions,
        "forms": _part_forms(part, actions, can_progress=can_progress, bound=bound),
    })


@login_required
def part(request, pk: int):
    return _render_part(request, _part_or_404(request.user, pk))


def _run_part_action(action: str, part: Assignment, user, c: dict):
    if action == "progress":
        return services.assignment_progress(assignment_id=part.pk, actor=user, text=c["text"],
                                            attachments=c["attachments"])
    common = {"assignment_id": part.pk, "actor": user, "expected_version": c["version"]}
    if action == "sign":
        return services.assignment_sign(**common)
    if action == "return":
        return services.assignment_return(reason=c["reason"], **common)
    if action == "reply":
        return services.assignment_reply(reply_text=c["reply_text"], attachments=c["attachments"], **common)
    raise Http404


@login_required
@require_POST
def part_act(request, pk: int, action: str):
    """One action of a unit on its part (签收, 申请退回, 办理进展, 提交答复)."""
    part = _part_or_404(request.user, pk)
    if action not in PART_FORMS:
        raise Http404
    if not request.user.has_perm("opinions.handle_assignment", part):
        raise PermissionDenied
    form = PART_FORMS[action](request.POST, request.FILES, prefix=action)
    if form.is_valid():
        try:
            _run_part_action(action, part, request.user, form.cleaned_data)
        except WorkflowError as e:
            messages.error(request, str(e.message))
            return redirect("opinions:part", pk=part.pk)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, str(OK_MESSAGES[action]))
            return redirect("opinions:part", pk=part.pk)
    messages.error(request, str(ERR_FORM))
    return _render_part(request, part, bound=(action, form))
