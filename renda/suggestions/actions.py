"""The action panels of the suggestion and part pages: for each action, who sees it, its form and the
one service call it makes. The pages build the panels from these tables, so a panel is shown exactly
when its service would accept the step (state and permission), and the POST runs the same call.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core.workflow import has_permission

from . import forms as f
from . import selectors, services
from .models import Assignment, Extension, Signer, Suggestion
from .workflow import ASSIGNMENT_FLOW, SUGGESTION_FLOW

S = Suggestion.Status
A = Assignment.Status


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    form: Callable  # (obj, user, data, files) -> bound or unbound form
    run: Callable  # (obj, user, cleaned_data) -> None
    when: "When"  # who may take it, and in which state
    ok: str
    style: str = "primary"
    multipart: bool = False
    button: str = ""  # the submit button's text (default: label)
    direct: bool = False  # a single button, no panel to open

    def allowed(self, obj, user) -> bool:
        return bool(self.when.perm(obj, user))

    def available(self, obj, user) -> bool:
        return self.allowed(obj, user) and bool(self.when.state(obj, user))


@dataclass(frozen=True)
class When:
    """perm: may this user take the action on this object at all (else 403); state: does it apply now."""

    perm: Callable
    state: Callable


def _flow(action: str, flow=SUGGESTION_FLOW) -> When:
    """As the transition table says: its permission (personal ones by the rule alone), and its source states."""
    t = flow.transition(action)
    return When(lambda obj, user: flow.permits(t, user, obj), lambda obj, user: obj.status in t.source)


def _author(s, user) -> bool:
    """Inviting co-signers is the author's own act, tested like the personal transitions."""
    return has_permission(user, "suggestions.author", s, personal=True)


def _part_flow(action: str) -> When:
    return _flow(action, ASSIGNMENT_FLOW)


def _v(c) -> dict:
    return {"expected_version": c["version"]}


def _simple(cls):
    return lambda obj, user, data=None, files=None: cls(data, files, initial={"version": obj.version})


def _seat_id(user):
    a = getattr(user, "active_assignment", None)
    return a.deputy_id if a is not None and a.role == "deputy" else None


class _Facts:
    """What the panels' predicates and forms read beyond the object and the user, each read at most once
    per page however many actions ask (see _facts)."""

    def __init__(self, obj, user):
        self.obj, self.user = obj, user

    @cached_property
    def invited(self) -> bool:
        """The user, acting as a deputy, is invited to co-sign this suggestion and has not answered."""
        seat = _seat_id(self.user)
        return seat is not None and Signer.objects.filter(suggestion=self.obj, deputy_id=seat,
                                                          status=Signer.Status.INVITED).exists()

    @cached_property
    def return_window_open(self) -> bool:
        """This part's 7-working-day window to ask for its return is open (not met, not passed)."""
        if "sign_due" in self.obj.__dict__:  # annotated by selectors.with_sign_due (lists)
            due = self.obj.sign_due
        else:
            from renda.core.workdays.services import deadlines_open

            window = deadlines_open(self.obj, "suggestion_sign").first()
            due = window.due if window is not None else None
        return due is not None and due >= timezone.localdate()

    @cached_property
    def pending_extension(self) -> Extension | None:
        """This part's extension request waiting for the office's decision."""
        return self.obj.extensions.filter(status=Extension.Status.REQUESTED).first()


def _facts(obj, user) -> _Facts:
    """The facts for this object and user, kept on the object: a page loads its object afresh per request,
    and a POST that fails re-renders the page with the state unchanged (the step rolled back)."""
    cache = obj.__dict__.setdefault("_panel_facts", {})
    key = (getattr(user, "pk", None), getattr(getattr(user, "active_assignment", None), "pk", None))
    if key not in cache:
        cache[key] = _Facts(obj, user)
    return cache[key]


def _is_invited(s, user) -> bool:
    return _facts(s, user).invited


def _review(s, user) -> bool:
    return user.has_perm("suggestions.review", s)


def _key(s, user) -> bool:
    return user.has_perm("suggestions.key", s)


def _submit_form(s, user, data=None, files=None):
    return f.SubmitForm(data, files, initial={"version": s.version}, periods=selectors.open_periods(s.congress_id))


def _merge_targets(s):
    """Accepted suggestions of the same congress that others can be merged into (newest first)."""
    return (Suggestion.objects.filter(congress_id=s.congress_id, status__in=[S.ACCEPTED, S.HANDLING],
                                      merged_into__isnull=True).exclude(pk=s.pk).select_related("period")
            .order_by("-id")[:200])


SUGGESTION_ACTIONS: list[Action] = [
    # The author deputy.
    Action("submit", _("提交建议"), _submit_form,
           lambda s, u, c: services.suggestion_submit(actor=u, suggestion_id=s.pk, period_id=c.get("period"), **_v(c)),
           _flow("submit"), _("建议已提交，等待代表工委审查。"), style="success", direct=True),
    Action("invite", _("邀请联名"),
           lambda s, u, d=None, fl=None: f.InviteForm(d, deputies=selectors.deputies_for_cosign(s)),
           lambda s, u, c: services.signer_invite(actor=u, suggestion_id=s.pk, deputy_ids=c["deputies"]),
           When(_author, lambda s, u: s.status in Suggestion.EDITABLE),
           _("已发出联名邀请。"), style="outline-primary"),
    Action("withdraw", _("撤回建议"), _simple(f.WithdrawForm),
           lambda s, u, c: services.suggestion_withdraw(actor=u, suggestion_id=s.pk, **_v(c)),
           _flow("withdraw"), _("建议已撤回。"), style="outline-warning", direct=True),
    # An invited co-signer.
    Action("respond", _("联名邀请"), lambda s, u, d=None, fl=None: f.RespondForm(d),
           lambda s, u, c: services.signer_respond(actor=u, suggestion_id=s.pk, confirm=c["confirm"]),
           When(_is_invited, lambda s, u: s.status in Suggestion.EDITABLE), _("已答复联名邀请。")),
    # The office: review.
    Action("accept", _("立案"), _simple(f.AcceptForm),
           lambda s, u, c: services.suggestion_accept(actor=u, suggestion_id=s.pk, **_v(c)),
           _flow("accept"), _("已立案。"), style="success", direct=True),
    Action("send_back", _("退回修改"), _simple(f.ReasonForm),
           lambda s, u, c: services.suggestion_send_back(actor=u, suggestion_id=s.pk, note=c["note"], **_v(c)),
           _flow("send_back"), _("已退回代表修改。"), style="outline-warning"),
    Action("decline", _("不予立案"), _simple(f.ReasonForm),
           lambda s, u, c: services.suggestion_decline(actor=u, suggestion_id=s.pk, reason=c["note"], **_v(c)),
           _flow("decline"), _("已不予立案，理由已告知代表。"), style="outline-danger"),
    Action("to_reference", _("转为参阅件"), _simple(f.ReasonForm),
           lambda s, u, c: services.suggestion_to_reference(actor=u, suggestion_id=s.pk, reason=c["note"], **_v(c)),
           _flow("to_reference"), _("已转为参阅件。"), style="outline-secondary"),
    Action("merge", _("并案办理"),
           lambda s, u, d=None, fl=None: f.MergeForm(d, initial={"version": s.version}, targets=_merge_targets(s)),
           lambda s, u, c: services.suggestion_merge(actor=u, suggestion_id=s.pk, into_id=c["into"], note=c["note"],
                                                     **_v(c)),
           _flow("merge"), _("已并案。"), style="outline-secondary"),
    Action("assign", _("交办"),
           lambda s, u, d=None, fl=None: f.AssignForm(d, initial={"version": s.version, "lead_unit": _first_unit(s)},
                                                      units=selectors.units_for(s.congress_id)),
           lambda s, u, c: services.suggestion_assign(actor=u, suggestion_id=s.pk, expected_version=c["version"],
                                                      **f.assign_plan(c)),
           _flow("assign"), _("已交办，承办单位的期限从今天起算。"), style="primary"),
    Action("finish", _("办结（代表未全部评价）"), _simple(f.FinishForm),
           lambda s, u, c: services.suggestion_finish(actor=u, suggestion_id=s.pk, **_v(c)),
           When(_review, lambda s, u: s.status == S.REPLIED), _("已办结。"), style="outline-secondary", direct=True),
    Action("note", _("催办 / 督办意见"),
           lambda s, u, d=None, fl=None: f.NoteForm(d, parts=[p for p in s.assignments.select_related("unit")
                                                               if p.status in Assignment.ACTIVE]),
           lambda s, u, c: services.note_add(actor=u, suggestion_id=s.pk, kind=c["kind"], text=c["text"],
                                             assignment_id=c.get("assignment")),
           When(_review, lambda s, u: s.status in (S.HANDLING, S.REHANDLING, S.FOLLOWING)),
           _("已发送。"), style="outline-primary"),
    Action("key", _("列为重点督办"),
           lambda s, u, d=None, fl=None: f.KeyForm(d, leaders=selectors.committee_members_for(s.congress_id)),
           lambda s, u, c: services.key_mark(actor=u, suggestion_id=s.pk, leader_id=c["leader"],
                                             meeting_date=c["meeting_date"], note=c["note"],
                                             milestones=c["milestones"]),
           When(_key, lambda s, u: not s.is_key and s.status in (S.ACCEPTED, *Suggestion.IN_HANDLING)),
           _("已列为重点督办建议。"), style="outline-danger"),
    Action("unkey", _("取消重点督办"), lambda s, u, d=None, fl=None: f.UnkeyForm(d),
           lambda s, u, c: services.key_unmark(actor=u, suggestion_id=s.pk, reason=c["reason"]),
           When(_key, lambda s, u: s.is_key), _("已取消重点督办。"), style="outline-secondary"),
    Action("publish", _("公开答复"),
           lambda s, u, d=None, fl=None: f.PublishForm(d, initial=services.redaction_suggest(s)),
           lambda s, u, c: services.suggestion_publish(actor=u, suggestion_id=s.pk, title=c["title"], text=c["text"],
                                                       reply=c["reply"]),
           When(_review, lambda s, u: s.status in (S.REPLIED, S.FOLLOWING, S.CLOSED)),
           _("已公开到门户网站。"), style="outline-success"),
    Action("unpublish", _("撤回公开"), lambda s, u, d=None, fl=None: f.FinishForm(d, initial={"version": s.version}),
           lambda s, u, c: services.suggestion_unpublish(actor=u, suggestion_id=s.pk),
           When(_review, lambda s, u: s.is_published), _("已撤回公开。"),
           style="outline-secondary", direct=True),
]


def _first_unit(s):
    first = s.proposed_units.order_by("name").first()
    return first.pk if first else None


def _unit_step(p, user) -> bool:
    return user.has_perm("suggestions.handle_assignment", p)


def _part_simple(cls):
    return lambda p, user, data=None, files=None: cls(data, files, initial={"version": p.version})


def _signers(p):
    from renda.deputies.models import Deputy

    return Deputy.objects.filter(pk__in=services.signer_deputy_ids(p.suggestion_id)).select_related("person")


def _pending_extension(p, user):
    return _facts(p, user).pending_extension


PART_ACTIONS: list[Action] = [
    Action("sign", _("签收"), _part_simple(f.SignForm),
           lambda p, u, c: services.assignment_sign(actor=u, assignment_id=p.pk, **_v(c)),
           _part_flow("sign"), _("已签收。"), style="primary", direct=True),
    Action("return", _("申请退回"), _part_simple(f.ReturnForm),
           lambda p, u, c: services.assignment_return(actor=u, assignment_id=p.pk, reason=c["reason"], **_v(c)),
           When(_part_flow("return").perm,
                lambda p, u: _part_flow("return").state(p, u) and _facts(p, u).return_window_open),
           _("已申请退回，等待代表工委处理。"), style="outline-warning"),
    Action("contact", _("记录办前联系"),
           lambda p, u, d=None, fl=None: f.ContactForm(d, deputies=_signers(p)),
           lambda p, u, c: services.contact_record(actor=u, assignment_id=p.pk, deputy_id=c["deputy"],
                                                   contacted_on=c["contacted_on"], form=c["form"],
                                                   content=c["content"]),
           When(_unit_step, lambda p, u: p.status in (A.SIGNED, A.REHANDLING, A.FOLLOWING) and p.is_answering),
           _("已记录办前联系。"), style="outline-primary"),
    Action("views", _("提交协办意见"), _part_simple(f.ViewsForm),
           lambda p, u, c: services.views_send(actor=u, assignment_id=p.pk, text=c["text"],
                                               attachments=c["attachments"], **_v(c)),
           When(_unit_step, lambda p, u: p.role == Assignment.Role.CO and p.status == A.SIGNED),
           _("协办意见已送主办单位。"), style="success", multipart=True),
    Action("reply", _("答复代表"), _part_simple(f.ReplyForm),
           lambda p, u, c: services.reply_send(actor=u, assignment_id=p.pk, outcome=c["outcome"], text=c["text"],
                                               pdf=c["pdf"], committed_date=c.get("committed_date"),
                                               attachments=c["attachments"], **_v(c)),
           When(_unit_step, lambda p, u: p.is_answering and p.status in (A.SIGNED, A.REHANDLING)),
           _("答复已送代表。"), style="success", multipart=True),
    Action("progress", _("报告B类办理进展"), lambda p, u, d=None, fl=None: f.ProgressForm(d, fl),
           lambda p, u, c: services.progress_report(actor=u, assignment_id=p.pk, text=c["text"],
                                                    attachments=c["attachments"]),
           When(_unit_step, lambda p, u: p.status == A.FOLLOWING), _("已报告办理进展。"),
           style="outline-primary", multipart=True),
    Action("solve", _("已解决，答复代表"), _part_simple(f.SolveForm),
           lambda p, u, c: services.followup_solve(actor=u, assignment_id=p.pk, text=c["text"], pdf=c["pdf"],
                                                   attachments=c["attachments"], **_v(c)),
           _part_flow("solve"), _("已答复代表，事项转为A类。"), style="success", multipart=True),
    Action("extension", _("申请延期答复"), lambda p, u, d=None, fl=None: f.ExtensionForm(d),
           lambda p, u, c: services.extension_request(actor=u, assignment_id=p.pk, months=c["months"],
                                                      reason=c["reason"]),
           When(_unit_step, lambda p, u: (p.is_answering and p.status in (A.ASSIGNED, A.SIGNED)
                                          and _pending_extension(p, u) is None)),
           _("已申请延期，等待代表工委审批。"), style="outline-secondary"),
    # The office's arbitration.
    Action("reject_return", _("不同意退回"), _part_simple(f.RejectReturnForm),
           lambda p, u, c: services.assignment_reject_return(actor=u, assignment_id=p.pk, note=c["note"], **_v(c)),
           _part_flow("reject_return"), _("已不同意退回，单位继续办理。"), style="outline-secondary"),
    Action("reassign", _("改交其他单位"),
           lambda p, u, d=None, fl=None: f.ReassignForm(d, initial={"version": p.version},
                                                        units=selectors.units_for(p.congress_id).exclude(pk=p.unit_id)),
           lambda p, u, c: services.assignment_reassign(actor=u, assignment_id=p.pk, unit_id=c["unit"], note=c["note"],
                                                        **_v(c)),
           _part_flow("withdraw"), _("已改交办。"), style="outline-warning"),
    Action("decide_extension", _("审批延期申请"),
           lambda p, u, d=None, fl=None: f.ExtensionDecideForm(d, initial={"extension": getattr(
               _pending_extension(p, u), "pk", None)}),
           lambda p, u, c: services.extension_decide(actor=u, extension_id=c["extension"], approve=c["approve"],
                                                     note=c["note"]),
           When(lambda p, u: u.has_perm("suggestions.arbitrate", p.suggestion),
                lambda p, u: _pending_extension(p, u) is not None),
           _("已审批延期申请。"), style="outline-primary"),
]

SUGGESTION_ACTION_BY_NAME = {a.name: a for a in SUGGESTION_ACTIONS}
PART_ACTION_BY_NAME = {a.name: a for a in PART_ACTIONS}
