"""Deputies' suggestions (代表建议办理) over JSON: every step of every role.

A thin shell over renda/suggestions/selectors.py (what the caller may see: outside it is 404) and
renda/suggestions/services.py (every write, with its own permission and input checks: visible but
not allowed is 403). Which actions a caller may take now comes from the same table as the pages'
buttons (renda/suggestions/actions.py), so the API and the pages cannot disagree. The services'
ValidationError is answered as `422 validation_error` with one detail per field (see _common.py).

Paths: /api/suggestions… (the suggestion and the office's steps), /api/suggestion-parts… (a unit's
part and its steps), /api/suggestion-periods… (submission windows), /api/suggestion-tasks (what waits
for a deputy), /api/suggestion-supervision (the office's overview).
"""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from ninja import File, Form, Path, Query, Router
from ninja.files import UploadedFile

from renda.accounts.permissions import _assignment
from renda.suggestions import actions as act_table
from renda.suggestions import selectors, services
from renda.suggestions.models import Assignment, Extension, Period, Reply, Signer, Suggestion
from renda.suggestions.rules import is_author

from ..errors import AUTH_ERRORS, ERR_VALIDATION, ApiError, errors_for
from ..schemas import MAX_ID, PageParams
from ..schemas_suggestions import (
    PublishedSuggestionDetailOut,
    PublishedSuggestionPage,
    SuggestionAssignIn,
    SuggestionBulkAssignIn,
    SuggestionBulkAssignOut,
    SuggestionContactIn,
    SuggestionDetailOut,
    SuggestionDraftIn,
    SuggestionDraftUpdateIn,
    SuggestionExtensionDecideIn,
    SuggestionExtensionIn,
    SuggestionFilesOut,
    SuggestionInviteIn,
    SuggestionKeyIn,
    SuggestionMergeIn,
    SuggestionMilestoneDoneIn,
    SuggestionPage,
    SuggestionPartDetailOut,
    SuggestionPartPage,
    SuggestionPartQuery,
    SuggestionPartReassignIn,
    SuggestionPeriodIn,
    SuggestionPeriodOpenIn,
    SuggestionPeriodOut,
    SuggestionProgressIn,
    SuggestionPublishIn,
    SuggestionQuery,
    SuggestionRateIn,
    SuggestionReasonIn,
    SuggestionRemindIn,
    SuggestionReplyFormIn,
    SuggestionRespondIn,
    SuggestionRespondOut,
    SuggestionSimilarOut,
    SuggestionSimilarQuery,
    SuggestionSolveFormIn,
    SuggestionStepNoteIn,
    SuggestionSubmitIn,
    SuggestionSupervisionOut,
    SuggestionTasksOut,
    SuggestionUninviteIn,
    SuggestionUnkeyIn,
    SuggestionVersionIn,
    SuggestionViewsIn,
)
from ._common import _service, files_as, paginate, ref, require_perm, value

router = Router(tags=["suggestions"])

S = Suggestion.Status
A = Assignment.Status
ACTION_ERRORS = errors_for(*AUTH_ERRORS, 403, 404, 409)
LIST_ERRORS = errors_for(*AUTH_ERRORS, 403)
SUGGESTION_ID = Path(..., gt=0, le=MAX_ID)
PART_ID = Path(..., gt=0, le=MAX_ID)
PERIOD_ID = Path(..., gt=0, le=MAX_ID)
OFFICE_ROLES = ("staff", "director", "town_staff")
SIMILAR_ROLES = ("deputy", *OFFICE_ROLES)
BULK_ROLES = ("staff", "town_staff")

# Service field names -> API field names (besides _common.FIELD_NAMES).
DRAFT_FIELDS = {"proposed_units": "unit_ids"}
ASSIGN_FIELDS = {"lead_unit": "lead_unit_id", "co_units": "co_unit_ids"}

# Action names of renda/suggestions/actions.py -> the last segment of the API's URL for it.
SUGGESTION_SEGMENTS = {"submit": "submit", "invite": "invite", "withdraw": "withdraw", "respond": "respond",
                       "accept": "accept", "send_back": "send-back", "decline": "decline",
                       "to_reference": "to-reference", "merge": "merge", "assign": "assign", "finish": "finish",
                       "note": "note", "key": "key", "unkey": "unkey", "publish": "publish", "unpublish": "unpublish"}
PART_SEGMENTS = {"sign": "sign", "return": "return", "contact": "contact", "views": "views", "reply": "reply",
                 "progress": "progress", "solve": "solve", "extension": "extension",
                 "reject_return": "reject-return", "reassign": "reassign", "decide_extension": "decide-extension"}
# Part actions whose state depends on a pending extension request: in lists that is read once for the
# page (see part_actions) instead of once per row.
PENDING_AWARE = {"extension", "decide_extension"}


# --- helpers --------------------------------------------------------------------------------------
def _deputy(d) -> dict:
    return {"id": d.pk, "name": d.person.name}


def _aware(value):
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _field_error(field: str, message, code: str) -> ApiError:
    return ApiError(422, "validation_error", ERR_VALIDATION,
                    [{"loc": ["body", field], "msg": str(message), "type": code}])


def _label(obj, field: str) -> str:
    return str(getattr(obj, f"get_{field}_display")()) if getattr(obj, field) else ""


def _today():
    return timezone.localdate()


def suggestion_summary(s: Suggestion, *, today) -> dict:
    return {
        "id": s.pk, "number": s.number, "number_display": str(s.number_display), "title": s.title,
        "status": s.status, "status_label": str(s.get_status_display()), "category": ref(s.category),
        "author": _deputy(s.author), "period": ref(s.period), "mode": s.mode, "mode_label": _label(s, "mode"),
        "created_at": s.created_at, "submitted_at": s.submitted_at, "assigned_at": s.assigned_at, "due": s.due,
        "overdue": bool(s.due and s.status in (S.HANDLING, S.REHANDLING) and s.due < today),
        "outcome": s.outcome, "outcome_label": _label(s, "outcome"), "is_key": s.is_key,
        "is_published": s.is_published, "version": s.version,
    }


def part_actions(p: Assignment, user, *, pending: set[int] | None = None) -> list[str]:
    """The actions the user may take on a unit's part now, named like the last segment of their URL.

    `pending`: ids of parts with an extension request awaiting a decision, when the caller has read
    them already (a list page); the two actions that depend on it then use it, with the same
    conditions as renda/suggestions/actions.py (a test holds the list and the detail to the same
    answer)."""
    out = []
    for a in act_table.PART_ACTIONS:
        if a.name not in PART_SEGMENTS:  # a page-only action (none today: a test keeps the tables in step)
            continue
        if pending is not None and a.name in PENDING_AWARE:
            if not a.allowed(p, user):
                continue
            has_pending = p.pk in pending
            if a.name == "extension":
                ok = p.is_answering and p.status in (A.ASSIGNED, A.SIGNED) and not has_pending
            else:
                ok = has_pending
            if ok:
                out.append(PART_SEGMENTS[a.name])
        elif a.available(p, user):
            out.append(PART_SEGMENTS[a.name])
    return out


def _pending_ids(extensions) -> set[int]:
    return {e.assignment_id for e in extensions if e.status == Extension.Status.REQUESTED}


def part_summary(p: Assignment, *, user, today, pending: set[int] | None = None) -> dict:
    return {
        "id": p.pk, "suggestion_id": p.suggestion_id, "unit": ref(p.unit), "role": p.role,
        "role_label": str(p.get_role_display()), "status": p.status, "status_label": str(p.get_status_display()),
        "note": p.note, "assigned_at": p.assigned_at, "signed_at": p.signed_at, "return_reason": p.return_reason,
        "due": p.due, "overdue": bool(p.due and p.status in Assignment.ACTIVE and p.due < today),
        "extended_months": p.extended_months, "outcome": p.outcome, "outcome_label": _label(p, "outcome"),
        "answered_at": p.answered_at, "on_time": p.on_time, "rehandled": p.rehandled, "version": p.version,
        "actions": part_actions(p, user, pending=pending),
    }


def _attachment(a) -> dict:
    return {"id": a.pk, "name": a.original_name, "mime_type": a.mime_type, "size": a.size,
            "url": reverse("core:attachment", args=[a.pk])}


def _reply(r, part: Assignment, *, files, current: set[int]) -> dict:
    return {
        "id": r.pk, "part_id": r.assignment_id, "unit": ref(part.unit), "kind": r.kind,
        "kind_label": str(r.get_kind_display()), "outcome": r.outcome, "outcome_label": _label(r, "outcome"),
        "text": r.text, "committed_date": r.committed_date, "created_at": r.created_at, "is_current": r.pk in current,
        "files": [_attachment(a) for a in files.get(f"r{r.pk}", [])],
        "ratings": [{"id": rt.pk, "deputy": _deputy(rt.deputy), "value": rt.value,
                     "value_label": str(rt.get_value_display()), "comment": rt.comment, "created_at": rt.created_at}
                    for rt in r.ratings.all()],
    }


def _extension(e) -> dict:
    return {"id": e.pk, "months": e.months, "reason": e.reason, "status": e.status,
            "status_label": str(e.get_status_display()), "requested_at": e.requested_at, "decided_at": e.decided_at,
            "decision_note": e.decision_note}


def _deadline(d) -> dict:
    return {"id": d.pk, "label": str(d.policy.label), "start": d.start, "due": d.due, "state": d.state,
            "state_label": str(d.get_state_display()), "met_on": d.met_on, "overdue": d.is_overdue,
            "provisional": d.provisional, "explanation": d.explanation}


def _part_full(pv, *, user, today, files, current: set[int], pending: set[int]) -> dict:
    p = pv.part
    return {
        **part_summary(p, user=user, today=today, pending=pending),
        "contacts": [{"id": c.pk, "deputy": _deputy(c.deputy), "contacted_on": c.contacted_on, "form": c.form,
                      "form_label": str(c.get_form_display()), "content": c.content, "round": c.round,
                      "created_at": c.created_at} for c in pv.contacts],
        "replies": [_reply(r, p, files=files, current=current) for r in pv.replies],
        "extensions": [_extension(e) for e in pv.extensions],
        "deadlines": [_deadline(d) for d in pv.deadlines],
    }


def _timeline_entry(t) -> dict:
    e = t.event
    return {"at": e.created_at, "actor": str(e.actor) if e.actor_id else "", "action": e.action,
            "action_label": t.action_label, "from_state": e.from_state, "from_label": t.from_label,
            "to_state": e.to_state, "to_label": t.to_label, "note": e.note}


def suggestion_actions(s: Suggestion, user, d) -> list[str]:
    """The actions the user may take on the suggestion now, named like the last segment of their URL:
    the pages' action table, plus editing, withdrawing invitations, milestones and rating."""
    out = [SUGGESTION_SEGMENTS[a.name] for a in act_table.SUGGESTION_ACTIONS
           if a.name in SUGGESTION_SEGMENTS and a.available(s, user)]
    if s.status in Suggestion.EDITABLE and is_author(user, s):
        out.append("edit")
        if any(not sg.is_author and sg.status != Signer.Status.DECLINED for sg in d.signers):
            out.append("uninvite")
    if d.key is not None and user.has_perm("suggestions.key", s) and any(
            m.done_on is None for m in d.key.milestones.all()):
        out.append("milestone-done")
    a = _assignment(user)
    if a is not None and a.role == "deputy" and d.current_reply_ids - set(d.rated) \
            and a.deputy_id in services.signer_deputy_ids(s.pk):
        out.append("rate")
    return out


def suggestion_detail(s: Suggestion, *, user) -> dict:
    today = _today()
    d = selectors.suggestion_detail(suggestion=s, user=user)
    selectors.units_label([s])
    pending = _pending_ids(e for pv in d.parts for e in pv.extensions)
    key = None
    if d.key is not None:
        key = {"leader": ref(d.key.leader, d.key.leader.person.name), "meeting_date": d.key.meeting_date,
               "note": d.key.note, "milestones": [{"id": m.pk, "due": m.due, "text": m.text, "done_on": m.done_on}
                                                  for m in d.key.milestones.all()]}
    return {
        **suggestion_summary(s, today=today), "units_label": s.units_label, "situation": s.situation,
        "problem": s.problem, "proposal": s.proposal, "proposed_units": [ref(u) for u in s.proposed_units.all()],
        "reviewed_at": s.reviewed_at, "review_note": s.review_note, "replied_at": s.replied_at, "on_time": s.on_time,
        "rehandled": s.rehandled, "closed_at": s.closed_at, "merged_into": s.merged_into_id,
        "merged_items": [{"id": m.pk, "title": m.title, "author": m.author.person.name, "status": m.status}
                         for m in d.merged_items],
        "published_title": s.published_title, "published_text": s.published_text,
        "published_reply": s.published_reply, "published_at": s.published_at,
        "signers": [{"deputy": _deputy(sg.deputy), "is_author": sg.is_author, "status": sg.status,
                     "status_label": str(sg.get_status_display()), "invited_at": sg.invited_at,
                     "responded_at": sg.responded_at} for sg in d.signers],
        "parts": [_part_full(pv, user=user, today=today, files=d.files, current=d.current_reply_ids, pending=pending)
                  for pv in d.parts],
        "notes": [{"id": n.pk, "kind": n.kind, "kind_label": str(n.get_kind_display()), "text": n.text,
                   "unit": n.assignment.unit.name if n.assignment_id else "",
                   "author": str(n.author) if n.author_id else "", "created_at": n.created_at} for n in d.notes],
        "key": key,
        "attachments": [_attachment(a) for a in d.files.get(f"s{s.pk}", [])],
        "timeline": [_timeline_entry(t) for t in d.timeline],
        "actions": suggestion_actions(s, user, d),
    }


def _visible(user, suggestion_id: int) -> Suggestion:
    """404 outside the caller's scope, before any service runs (a service's refusal is then a 403)."""
    return selectors.suggestion_get_for_user(user=user, suggestion_id=suggestion_id)


def _detail(user, suggestion_id: int) -> dict:
    return suggestion_detail(_visible(user, suggestion_id), user=user)


def _visible_part(user, part_id: int) -> Assignment:
    return selectors.assignment_get_for_user(user=user, assignment_id=part_id)


def _part_detail(user, part_id: int) -> dict:
    p = _visible_part(user, part_id)
    detail = suggestion_detail(p.suggestion, user=user)
    this = next(part for part in detail["parts"] if part["id"] == p.pk)
    return {**this, "suggestion": detail}


def _role(user):
    a = _assignment(user)
    return a.role if a is not None else None


# --- the suggestions: reads --------------------------------------------------------------------------
@router.get(
    "/suggestions",
    response={200: SuggestionPage, **LIST_ERRORS},
    operation_id="suggestion_list",
    summary="代表建议列表",
    url_name="suggestion_list",
)
def suggestion_list(request, query: Query[SuggestionQuery]):
    """The suggestions the caller may see (a deputy: those it signs or was invited to sign, drafts
    included; a unit: those it holds a part of; the office: its congress's submitted ones), newest
    submission first, filtered; `q` searches the text. Keyset pages: pass `next_cursor` back as
    `cursor` for the next page (empty on the last page). `count` stops at 10,000 (`count_capped`)."""
    user = request.auth
    require_perm(user, "suggestions.list")
    filters = selectors.SuggestionFilters(
        status=value(query.status) or "", period=query.period, year=query.year, category=query.category,
        unit=query.unit, deputy=query.deputy, outcome=value(query.outcome) or "", key=query.key,
        overdue=query.overdue, q=query.q.strip())
    page = selectors.suggestion_page_for_user(user=user, filters=filters, cursor=query.cursor, size=query.limit)
    today = _today()
    return {"count": page.count, "count_capped": page.count_capped, "limit": query.limit,
            "next_cursor": page.next_cursor,
            "items": [{**suggestion_summary(s, today=today), "units_label": s.units_label} for s in page.rows]}


@router.get(
    "/suggestions/similar",
    response={200: list[SuggestionSimilarOut], **LIST_ERRORS},
    operation_id="suggestion_similar",
    summary="相似建议（起草时查重）",
    url_name="suggestion_similar",
)
def suggestion_similar(request, query: Query[SuggestionSimilarQuery]):
    """Submitted suggestions of the caller's congress (this year and earlier) sharing the text's
    keywords, best first, each with its latest reply: shown while a deputy drafts, and to the office
    for merging. Deputies and the office only (others 403); under 4 characters: an empty list."""
    user = request.auth
    a = _assignment(user)
    if a is None or a.role not in SIMILAR_ROLES:
        raise PermissionDenied
    out = []
    for item in selectors.similar_suggestions(congress_id=a.congress_id, text=query.text, exclude_id=query.exclude):
        s, r = item.suggestion, item.reply
        out.append({
            "id": s.pk, "number_display": str(s.number_display), "title": s.title, "status": s.status,
            "status_label": str(s.get_status_display()), "year": s.period.year if s.period_id else None,
            "period": s.period.name if s.period_id else "", "author": s.author.person.name,
            "reply": None if r is None else {
                "unit": r.assignment.unit.name, "kind_label": str(r.get_kind_display()), "outcome": r.outcome,
                "outcome_label": _label(r, "outcome"), "text": r.text, "created_at": r.created_at},
        })
    return out


@router.post(
    "/suggestions/bulk-assign",
    response={200: SuggestionBulkAssignOut, **LIST_ERRORS},
    operation_id="suggestion_bulk_assign",
    summary="批量交办",
    url_name="suggestion_bulk_assign",
)
def suggestion_bulk_assign(request, payload: SuggestionBulkAssignIn):
    """Assign several accepted suggestions the same way (staff and town staff). Each is its own step:
    one that fails (assigned by somebody else meanwhile, unknown, not the caller's) is listed in
    `failed` with the reason, and the others go through."""
    user = request.auth
    if _role(user) not in BULK_ROLES:
        raise PermissionDenied
    with _service(suggestions="suggestion_ids", **ASSIGN_FIELDS):
        done, failed = services.suggestions_assign_bulk(
            actor=user, suggestion_ids=payload.suggestion_ids, mode=value(payload.mode),
            lead_unit_id=payload.lead_unit_id, co_unit_ids=payload.co_unit_ids, unit_ids=payload.unit_ids,
            note=payload.note)
    today = _today()
    assigned = [selectors.suggestion_get_for_user(user=user, suggestion_id=s.pk) for s in done]
    return {"assigned": [suggestion_summary(s, today=today) for s in assigned],
            "failed": [{"id": sid, "message": str(message)} for sid, message in failed.items()]}


@router.get(
    "/suggestions/{suggestion_id}",
    response={200: SuggestionDetailOut, **errors_for(*AUTH_ERRORS, 404)},
    operation_id="suggestion_get",
    summary="代表建议详情",
    url_name="suggestion_get",
)
def suggestion_get(request, suggestion_id: int = SUGGESTION_ID):
    """One suggestion: its text, signers, every unit's part (contacts, replies with the deputies'
    ratings and the signed PDF, extensions, deadlines with how they were computed, the part's
    actions), notes, key supervision, the timeline, `version`, and the actions the caller may take."""
    return _detail(request.auth, suggestion_id)


# --- the deputies' steps ----------------------------------------------------------------------------
@router.post(
    "/suggestions",
    response={200: SuggestionDetailOut, **LIST_ERRORS},
    operation_id="suggestion_create",
    summary="起草建议",
    url_name="suggestion_create",
)
def suggestion_create(request, payload: SuggestionDraftIn):
    """A new draft by the deputy the caller acts as (others: 403); the author signs it at once. Invite
    co-signers, then submit."""
    user = request.auth
    with _service(**DRAFT_FIELDS):
        s = services.suggestion_create(actor=user, category_id=payload.category_id, title=payload.title,
                                       situation=payload.situation, problem=payload.problem,
                                       proposal=payload.proposal, unit_ids=payload.unit_ids)
    return _detail(user, s.pk)


def _action(path: str, name: str, summary: str, response=SuggestionDetailOut):
    """Declare one POST action on a suggestion (same error responses for all)."""
    return router.post(f"/suggestions/{{suggestion_id}}/{path}", response={200: response, **ACTION_ERRORS},
                       operation_id=f"suggestion_{name}", summary=summary, url_name=f"suggestion_{name}")


@_action("edit", "edit", "修改草稿")
def suggestion_edit(request, payload: SuggestionDraftUpdateIn, suggestion_id: int = SUGGESTION_ID):
    """The author edits a draft or a suggestion sent back for revision (every field is replaced)."""
    user = request.auth
    _visible(user, suggestion_id)
    with _service(**DRAFT_FIELDS):
        services.suggestion_update(actor=user, suggestion_id=suggestion_id, category_id=payload.category_id,
                                   title=payload.title, situation=payload.situation, problem=payload.problem,
                                   proposal=payload.proposal, unit_ids=payload.unit_ids,
                                   expected_version=payload.expected_version)
    return _detail(user, suggestion_id)


@_action("invite", "invite", "邀请联名")
def suggestion_invite(request, payload: SuggestionInviteIn, suggestion_id: int = SUGGESTION_ID):
    """The author invites deputies of the same congress to co-sign; each confirms or declines."""
    user = request.auth
    _visible(user, suggestion_id)
    with _service(deputies="deputy_ids"):
        services.signer_invite(actor=user, suggestion_id=suggestion_id, deputy_ids=payload.deputy_ids)
    return _detail(user, suggestion_id)


@_action("uninvite", "uninvite", "取消联名邀请")
def suggestion_uninvite(request, payload: SuggestionUninviteIn, suggestion_id: int = SUGGESTION_ID):
    user = request.auth
    _visible(user, suggestion_id)
    with _service():
        services.signer_uninvite(actor=user, suggestion_id=suggestion_id, deputy_id=payload.deputy_id)
    return _detail(user, suggestion_id)


@_action("respond", "respond", "答复联名邀请", response=SuggestionRespondOut)
def suggestion_respond(request, payload: SuggestionRespondIn, suggestion_id: int = SUGGESTION_ID):
    """An invited deputy confirms (`confirm: true`) or declines co-signing. After declining the
    suggestion is no longer the deputy's to see: `suggestion` is null."""
    user = request.auth
    _visible(user, suggestion_id)
    with _service():
        signer = services.signer_respond(actor=user, suggestion_id=suggestion_id, confirm=payload.confirm)
    confirmed = signer.status == Signer.Status.CONFIRMED
    return {"status": signer.status, "status_label": str(signer.get_status_display()),
            "suggestion": _detail(user, suggestion_id) if confirmed else None}


@_action("submit", "submit", "提交建议")
def suggestion_submit(request, payload: SuggestionSubmitIn, suggestion_id: int = SUGGESTION_ID):
    """Into the open period (or `period_id` when several are open). Refused (422 `signers_pending`)
    while an invited deputy has not answered, and (422 `period_closed`) outside a submission window."""
    user = request.auth
    _visible(user, suggestion_id)
    with _service(period="period_id"):
        services.suggestion_submit(actor=user, suggestion_id=suggestion_id, period_id=payload.period_id,
                                   expected_version=payload.expected_version)
    return _detail(user, suggestion_id)


@_action("withdraw", "withdraw", "撤回建议")
def suggestion_withdraw(request, payload: SuggestionVersionIn, suggestion_id: int = SUGGESTION_ID):
    """The author takes a submitted suggestion back, until the office has reviewed it."""
    user = request.auth
    _visible(user, suggestion_id)
    with _service():
        services.suggestion_withdraw(actor=user, suggestion_id=suggestion_id,
                                     expected_version=payload.expected_version)
    return _detail(user, suggestion_id)


@_action("rate", "rate", "评价答复")
def suggestion_rate(request, payload: SuggestionRateIn, suggestion_id: int = SUGGESTION_ID):
    """A signing deputy rates one current reply (the replies with `is_current`): 满意, 基本满意 or
    不满意. 不满意 on a first reply sends that unit's part back for re-handling (1 month); when every
    deputy has rated every current reply the suggestion closes (B items go on under follow-up)."""
    user = request.auth
    s = _visible(user, suggestion_id)
    if not s.replies.filter(pk=payload.reply_id).exists():
        raise _field_error("reply_id", services.ERR_NOT_CURRENT, "reply_unknown")
    with _service():
        services.rating_submit(actor=user, reply_id=payload.reply_id, value=payload.value, comment=payload.comment)
    return _detail(user, suggestion_id)


# --- the office's steps -------------------------------------------------------------------------------
@_action("accept", "accept", "立案")
def suggestion_accept(request, payload: SuggestionVersionIn, suggestion_id: int = SUGGESTION_ID):
    """立案: the suggestion gets the next number of its period."""
    user = request.auth
    _visible(user, suggestion_id)
    with _service():
        services.suggestion_accept(actor=user, suggestion_id=suggestion_id, expected_version=payload.expected_version)
    return _detail(user, suggestion_id)


@_action("decline", "decline", "不予立案")
def suggestion_decline(request, payload: SuggestionReasonIn, suggestion_id: int = SUGGESTION_ID):
    """不予立案, with a reason the deputies see."""
    user = request.auth
    _visible(user, suggestion_id)
    with _service(note="reason"):
        services.suggestion_decline(actor=user, suggestion_id=suggestion_id, reason=payload.reason,
                                    expected_version=payload.expected_version)
    return _detail(user, suggestion_id)


@_action("to-reference", "to_reference", "转为参阅件")
def suggestion_to_reference(request, payload: SuggestionReasonIn, suggestion_id: int = SUGGESTION_ID):
    user = request.auth
    _visible(user, suggestion_id)
    with _service(note="reason"):
        services.suggestion_to_reference(actor=user, suggestion_id=suggestion_id, reason=payload.reason,
                                         expected_version=payload.expected_version)
    return _detail(user, suggestion_id)


@_action("send-back", "send_back", "退回修改")
def suggestion_send_back(request, payload: SuggestionStepNoteIn, suggestion_id: int = SUGGESTION_ID):
    """Back to the author for revision (the note says what to change); the author edits and resubmits."""
    user = request.auth
    _visible(user, suggestion_id)
    with _service():
        services.suggestion_send_back(actor=user, suggestion_id=suggestion_id, note=payload.note,
                                      expected_version=payload.expected_version)
    return _detail(user, suggestion_id)


@_action("merge", "merge", "并案办理")
def suggestion_merge(request, payload: SuggestionMergeIn, suggestion_id: int = SUGGESTION_ID):
    """并案: handled once with `into_id` (accepted or in handling); this suggestion's deputies get its
    replies and rate them."""
    user = request.auth
    _visible(user, suggestion_id)
    with _service():
        services.suggestion_merge(actor=user, suggestion_id=suggestion_id, into_id=payload.into_id,
                                  note=payload.note, expected_version=payload.expected_version)
    return _detail(user, suggestion_id)


@_action("assign", "assign", "交办")
def suggestion_assign(request, payload: SuggestionAssignIn, suggestion_id: int = SUGGESTION_ID):
    """交办: `mode: lead` with `lead_unit_id` (and `co_unit_ids`), or `mode: separate` with at least two
    `unit_ids`. Each unit's clocks start today (sign or return within 7 working days; co-units' views
    within 1 month; the reply within 3 months)."""
    user = request.auth
    _visible(user, suggestion_id)
    with _service(**ASSIGN_FIELDS):
        services.suggestion_assign(actor=user, suggestion_id=suggestion_id, mode=value(payload.mode),
                                   lead_unit_id=payload.lead_unit_id, co_unit_ids=payload.co_unit_ids,
                                   unit_ids=payload.unit_ids, note=payload.note,
                                   expected_version=payload.expected_version)
    return _detail(user, suggestion_id)


@_action("finish", "finish", "办结（代表未全部评价）")
def suggestion_finish(request, payload: SuggestionVersionIn, suggestion_id: int = SUGGESTION_ID):
    """The office finishes a replied suggestion whose deputies have not all rated; unsolved B parts go
    on under follow-up."""
    user = request.auth
    _visible(user, suggestion_id)
    with _service():
        services.suggestion_finish(actor=user, suggestion_id=suggestion_id, expected_version=payload.expected_version)
    return _detail(user, suggestion_id)


@_action("note", "note", "催办或督办意见")
def suggestion_note(request, payload: SuggestionRemindIn, suggestion_id: int = SUGGESTION_ID):
    """催办 (`kind: remind`) or 督办意见 (`kind: supervise`) to one part's unit (`part_id`) or to every
    unit still at work on it."""
    user = request.auth
    _visible(user, suggestion_id)
    with _service():
        services.note_add(actor=user, suggestion_id=suggestion_id, kind=value(payload.kind), text=payload.text,
                          assignment_id=payload.part_id)
    return _detail(user, suggestion_id)


@_action("key", "key", "列为重点督办")
def suggestion_key(request, payload: SuggestionKeyIn, suggestion_id: int = SUGGESTION_ID):
    """重点督办 (the office and the director meeting): the supervising leader, the meeting date and the
    milestones."""
    user = request.auth
    _visible(user, suggestion_id)
    with _service(leader="leader_id"):
        services.key_mark(actor=user, suggestion_id=suggestion_id, leader_id=payload.leader_id,
                          meeting_date=payload.meeting_date, note=payload.note,
                          milestones=[(m.due, m.text) for m in payload.milestones])
    return _detail(user, suggestion_id)


@_action("unkey", "unkey", "取消重点督办")
def suggestion_unkey(request, payload: SuggestionUnkeyIn, suggestion_id: int = SUGGESTION_ID):
    user = request.auth
    _visible(user, suggestion_id)
    with _service():
        services.key_unmark(actor=user, suggestion_id=suggestion_id, reason=payload.reason)
    return _detail(user, suggestion_id)


@_action("milestone-done", "milestone_done", "督办节点已完成")
def suggestion_milestone_done(request, payload: SuggestionMilestoneDoneIn, suggestion_id: int = SUGGESTION_ID):
    """Mark one milestone of a key suggestion done (`done_on`, default today)."""
    user = request.auth
    s = _visible(user, suggestion_id)
    if not user.has_perm("suggestions.key", s):
        raise PermissionDenied
    key = getattr(s, "key", None)
    if key is None or not key.milestones.filter(pk=payload.milestone_id).exists():
        raise _field_error("milestone_id", services.ERR_MILESTONE, "milestone_unknown")
    with _service():
        services.milestone_done(actor=user, milestone_id=payload.milestone_id, done_on=payload.done_on)
    return _detail(user, suggestion_id)


@_action("publish", "publish", "公开（脱敏）")
def suggestion_publish(request, payload: SuggestionPublishIn, suggestion_id: int = SUGGESTION_ID):
    """Publish the redacted copy of a replied suggestion on the portal; omitted fields take the
    system's redaction suggestion (phone and ID numbers masked). The original stays for the office."""
    user = request.auth
    s = _visible(user, suggestion_id)
    if not user.has_perm("suggestions.review", s):
        raise PermissionDenied
    suggested = services.redaction_suggest(s)
    with _service():
        services.suggestion_publish(actor=user, suggestion_id=suggestion_id, title=payload.title or suggested["title"],
                                    text=payload.text or suggested["text"], reply=payload.reply or suggested["reply"])
    return _detail(user, suggestion_id)


@_action("unpublish", "unpublish", "撤回公开")
def suggestion_unpublish(request, suggestion_id: int = SUGGESTION_ID):
    user = request.auth
    _visible(user, suggestion_id)
    with _service():
        services.suggestion_unpublish(actor=user, suggestion_id=suggestion_id)
    return _detail(user, suggestion_id)


# --- the units' parts ----------------------------------------------------------------------------------
@router.get(
    "/suggestion-parts",
    response={200: SuggestionPartPage, **LIST_ERRORS},
    operation_id="suggestion_part_list",
    summary="承办单位的交办建议",
    url_name="suggestion_part_list",
)
def part_list(request, query: Query[SuggestionPartQuery]):
    """The caller's unit's parts, soonest due first (withdrawn ones only when asked by `status`).
    Only a unit's people use this list (others: 403)."""
    user = request.auth
    if _role(user) != "unit":
        raise PermissionDenied
    qs = selectors.unit_inbox(user=user, status=value(query.status) or "", overdue=query.overdue).select_related(
        "unit")
    total = qs.count()
    rows = list(qs[query.offset: query.offset + query.limit])
    pending = _pending_ids(selectors.extensions_pending(congress_id=rows[0].congress_id).filter(
        assignment__in=rows)) if rows else set()
    today = _today()
    return {"count": total, "limit": query.limit, "offset": query.offset,
            "items": [{**part_summary(p, user=user, today=today, pending=pending),
                       "suggestion": suggestion_summary(p.suggestion, today=today)} for p in rows]}


@router.get(
    "/suggestion-parts/{part_id}",
    response={200: SuggestionPartDetailOut, **errors_for(*AUTH_ERRORS, 404)},
    operation_id="suggestion_part_get",
    summary="承办任务详情",
    url_name="suggestion_part_get",
)
def part_get(request, part_id: int = PART_ID):
    """One unit's part (contacts, replies, extensions, deadlines, actions) with the whole suggestion
    (the other units' parts included: the lead reads the co-units' views)."""
    return _part_detail(request.auth, part_id)


def _part_action(path: str, name: str, summary: str):
    return router.post(f"/suggestion-parts/{{part_id}}/{path}",
                       response={200: SuggestionPartDetailOut, **ACTION_ERRORS}, operation_id=f"suggestion_part_{name}",
                       summary=summary, url_name=f"suggestion_part_{name}")


@_part_action("sign", "sign", "签收")
def part_sign(request, payload: SuggestionVersionIn, part_id: int = PART_ID):
    """The unit signs for its part (within 7 working days of assignment)."""
    user = request.auth
    _visible_part(user, part_id)
    with _service():
        services.assignment_sign(actor=user, assignment_id=part_id, expected_version=payload.expected_version)
    return _part_detail(user, part_id)


@_part_action("return", "return", "申请退回")
def part_return(request, payload: SuggestionReasonIn, part_id: int = PART_ID):
    """The unit asks to give the part back, with a reason, within 7 working days of assignment
    (later: 422 `return_late`); the office decides."""
    user = request.auth
    _visible_part(user, part_id)
    with _service():
        services.assignment_return(actor=user, assignment_id=part_id, reason=payload.reason,
                                   expected_version=payload.expected_version)
    return _part_detail(user, part_id)


@_part_action("reject-return", "reject_return", "不同意退回")
def part_reject_return(request, payload: SuggestionStepNoteIn, part_id: int = PART_ID):
    """The office refuses a return: the unit keeps the part (待签收); its reply clock kept running."""
    user = request.auth
    _visible_part(user, part_id)
    with _service():
        services.assignment_reject_return(actor=user, assignment_id=part_id, note=payload.note,
                                          expected_version=payload.expected_version)
    return _part_detail(user, part_id)


@_part_action("reassign", "reassign", "撤回并改交其他单位")
def part_reassign(request, payload: SuggestionPartReassignIn, part_id: int = PART_ID):
    """The office withdraws the part (the reason is kept) and gives it to another unit in the same role,
    whose clocks start today. The answer is the new part."""
    user = request.auth
    _visible_part(user, part_id)
    with _service(unit="unit_id", units="unit_id"):
        new = services.assignment_reassign(actor=user, assignment_id=part_id, unit_id=payload.unit_id,
                                           note=payload.note, expected_version=payload.expected_version)
    return _part_detail(user, new.pk)


@_part_action("contact", "contact", "记录办前联系")
def part_contact(request, payload: SuggestionContactIn, part_id: int = PART_ID):
    """办前联系: the unit records its contact with a deputy of the suggestion (after signing, before
    replying; again when re-handling)."""
    user = request.auth
    _visible_part(user, part_id)
    with _service():
        services.contact_record(actor=user, assignment_id=part_id, deputy_id=payload.deputy_id,
                                contacted_on=payload.contacted_on, form=value(payload.form),
                                content=payload.content)
    return _part_detail(user, part_id)


@_part_action("views", "views", "提交协办意见")
def part_views(request, payload: SuggestionViewsIn, part_id: int = PART_ID):
    """A co-unit's written views to the lead (within 1 month of assignment)."""
    user = request.auth
    _visible_part(user, part_id)
    with _service():
        services.views_send(actor=user, assignment_id=part_id, text=payload.text,
                            expected_version=payload.expected_version)
    return _part_detail(user, part_id)


@_part_action("reply", "reply", "答复代表（附加盖公章的答复函）")
def part_reply(request, pdf: File[UploadedFile], payload: Form[SuggestionReplyFormIn], part_id: int = PART_ID):
    """multipart/form-data: the signed and sealed reply letter as `pdf` (its bytes must be a PDF), the
    class `outcome` A/B/C/D, `text`, for B the `committed_date`. Refused (422) before contact with a
    deputy has been recorded (`contact_required`) and, for the lead, while a co-unit's views are
    outstanding (`views_pending`). Also the re-handled reply after 不满意."""
    user = request.auth
    _visible_part(user, part_id)
    with _service(), files_as("pdf"):
        services.reply_send(actor=user, assignment_id=part_id, outcome=value(payload.outcome), text=payload.text,
                            pdf=pdf, committed_date=payload.committed_date,
                            expected_version=payload.expected_version)
    return _part_detail(user, part_id)


@_part_action("progress", "progress", "报告B类办理进展")
def part_progress(request, payload: SuggestionProgressIn, part_id: int = PART_ID):
    """Progress on a B item under follow-up; the deputies see it."""
    user = request.auth
    _visible_part(user, part_id)
    with _service():
        services.progress_report(actor=user, assignment_id=part_id, text=payload.text)
    return _part_detail(user, part_id)


@_part_action("solve", "solve", "B类事项已解决，答复代表")
def part_solve(request, pdf: File[UploadedFile], payload: Form[SuggestionSolveFormIn], part_id: int = PART_ID):
    """multipart/form-data: the B item is solved; the final reply (`text` and the signed `pdf`) turns it
    into A and the deputies rate it."""
    user = request.auth
    _visible_part(user, part_id)
    with _service(), files_as("pdf"):
        services.followup_solve(actor=user, assignment_id=part_id, text=payload.text, pdf=pdf,
                                expected_version=payload.expected_version)
    return _part_detail(user, part_id)


@_part_action("extension", "extension", "申请延期答复")
def part_extension(request, payload: SuggestionExtensionIn, part_id: int = PART_ID):
    """The answering unit asks for 1–3 more months (in total the reply comes at most 6 months after
    assignment); the office decides, and the reason is shown to the deputies."""
    user = request.auth
    _visible_part(user, part_id)
    with _service():
        services.extension_request(actor=user, assignment_id=part_id, months=payload.months, reason=payload.reason)
    return _part_detail(user, part_id)


@_part_action("decide-extension", "decide_extension", "审批延期申请")
def part_decide_extension(request, payload: SuggestionExtensionDecideIn, part_id: int = PART_ID):
    """The office approves (the reply deadline moves) or rejects (`note` required) the part's pending
    extension request `extension_id`."""
    user = request.auth
    p = _visible_part(user, part_id)
    if not user.has_perm("suggestions.arbitrate", p.suggestion):
        raise PermissionDenied
    if not p.extensions.filter(pk=payload.extension_id).exists():
        raise _field_error("extension_id", services.ERR_EXT_DECIDED, "extension_unknown")
    with _service():
        services.extension_decide(actor=user, extension_id=payload.extension_id, approve=payload.approve,
                                  note=payload.note)
    return _part_detail(user, part_id)


# --- files added afterwards ----------------------------------------------------------------------------
@router.post(
    "/suggestions/{suggestion_id}/files",
    response={200: SuggestionFilesOut, **ACTION_ERRORS},
    operation_id="suggestion_files_add",
    summary="为草稿添加附件",
    url_name="suggestion_files_add",
)
def suggestion_files_add(request, files: File[list[UploadedFile]], suggestion_id: int = SUGGESTION_ID):
    """multipart/form-data: 1–5 files (`files`: PDF, Word, Excel or pictures, their bytes checked) added
    to a draft or to a suggestion sent back for revision, by its author."""
    user = request.auth
    _visible(user, suggestion_id)
    with _service(), files_as("files"):
        stored = services.suggestion_attach(actor=user, suggestion_id=suggestion_id, attachments=files)
    return {"files": [_attachment(a) for a in stored]}


@router.post(
    "/suggestion-replies/{reply_id}/files",
    response={200: SuggestionFilesOut, **ACTION_ERRORS},
    operation_id="suggestion_reply_files_add",
    summary="为协办意见或B类办理进展添加附件",
    url_name="suggestion_reply_files_add",
)
def suggestion_reply_files_add(request, files: File[list[UploadedFile]],
                               reply_id: int = Path(..., gt=0, le=MAX_ID)):
    """multipart/form-data: 1–5 files added by a unit to its own co-unit views or B progress report
    (a reply to the deputies carries its signed letter when sent and takes no files afterwards)."""
    user = request.auth
    reply = Reply.objects.select_related("assignment").filter(pk=reply_id).first()
    if reply is None:
        raise Reply.DoesNotExist
    _visible_part(user, reply.assignment_id)
    with _service(), files_as("files"):
        stored = services.reply_attach(actor=user, reply_id=reply_id, attachments=files)
    return {"files": [_attachment(a) for a in stored]}


# --- the public: published suggestions -------------------------------------------------------------------
public_router = Router(tags=["suggestions-public"])


def _published(s: Suggestion) -> dict:
    return {"id": s.pk, "title": s.published_title, "published_at": s.published_at}


@public_router.get(
    "/published-suggestions",
    auth=None,
    response={200: PublishedSuggestionPage, **errors_for(422)},
    operation_id="public_published_suggestion_list",
    summary="已公开的代表建议答复（公开）",
    url_name="public_published_suggestion_list",
)
def published_list(request, query: Query[PageParams]):
    """Suggestions whose reply staff published: the redacted copy only."""
    return paginate(selectors.published_list(), query, _published)


@public_router.get(
    "/published-suggestions/{suggestion_id}",
    auth=None,
    response={200: PublishedSuggestionDetailOut, **errors_for(404, 422)},
    operation_id="public_published_suggestion_get",
    summary="已公开的代表建议答复详情（公开）",
    url_name="public_published_suggestion_get",
)
def published_get(request, suggestion_id: int = SUGGESTION_ID):
    s = selectors.published_get(suggestion_id=suggestion_id)
    return {**_published(s), "text": s.published_text, "reply": s.published_reply}


# --- periods -------------------------------------------------------------------------------------------
def _period(p: Period, now) -> dict:
    return {"id": p.pk, "kind": p.kind, "kind_label": str(p.get_kind_display()), "year": p.year, "name": p.name,
            "number_prefix": p.number_prefix, "is_open": p.is_open, "accepts_submissions": p.accepts_submissions(now),
            "opened_at": p.opened_at, "closes_at": p.closes_at, "closed_at": p.closed_at}


@router.get(
    "/suggestion-periods",
    response={200: list[SuggestionPeriodOut], **LIST_ERRORS},
    operation_id="suggestion_period_list",
    summary="建议征集期",
    url_name="suggestion_period_list",
)
def period_list(request):
    """The office (staff, directors, town staff): every period of its congress, newest year first.
    A deputy: the periods open for submission now (to choose `period_id` when submitting)."""
    a = _assignment(request.auth)
    if a is None or a.role not in (*OFFICE_ROLES, "deputy"):
        raise PermissionDenied
    rows = selectors.open_periods(a.congress_id) if a.role == "deputy" else selectors.periods_for(a.congress_id)
    now = timezone.now()
    return [_period(p, now) for p in rows]


@router.post(
    "/suggestion-periods",
    response={200: SuggestionPeriodOut, **LIST_ERRORS},
    operation_id="suggestion_period_create",
    summary="新建征集期",
    url_name="suggestion_period_create",
)
def period_create(request, payload: SuggestionPeriodIn):
    """A new period of the caller's congress (staff, town staff), closed until opened."""
    user = request.auth
    a = _assignment(user)
    if a is None:
        raise PermissionDenied
    with _service():
        p = services.period_create(actor=user, congress=a.congress, kind=value(payload.kind), year=payload.year,
                                   name=payload.name, number_prefix=payload.number_prefix,
                                   closes_at=_aware(payload.closes_at))
    return _period(p, timezone.now())


def _own_period(user, period_id: int) -> Period:
    """A period of the caller's congress; any other is 404."""
    a = _assignment(user)
    if a is None:
        raise Period.DoesNotExist
    return selectors.periods_for(a.congress_id).get(pk=period_id)


@router.post(
    "/suggestion-periods/{period_id}/open",
    response={200: SuggestionPeriodOut, **ACTION_ERRORS},
    operation_id="suggestion_period_open",
    summary="开始征集",
    url_name="suggestion_period_open",
)
def period_open(request, payload: SuggestionPeriodOpenIn, period_id: int = PERIOD_ID):
    """Open the period for submissions until `closes_at` (optional) or until closed."""
    user = request.auth
    _own_period(user, period_id)
    p = services.period_open(actor=user, period_id=period_id, closes_at=_aware(payload.closes_at))
    return _period(p, timezone.now())


@router.post(
    "/suggestion-periods/{period_id}/close",
    response={200: SuggestionPeriodOut, **ACTION_ERRORS},
    operation_id="suggestion_period_close",
    summary="结束征集",
    url_name="suggestion_period_close",
)
def period_close(request, period_id: int = PERIOD_ID):
    user = request.auth
    _own_period(user, period_id)
    p = services.period_close(actor=user, period_id=period_id)
    return _period(p, timezone.now())


# --- what waits for whom ----------------------------------------------------------------------------------
@router.get(
    "/suggestion-tasks",
    response={200: SuggestionTasksOut, **LIST_ERRORS},
    operation_id="suggestion_tasks",
    summary="代表待办：联名邀请与待评价的答复",
    url_name="suggestion_tasks",
)
def deputy_tasks(request):
    """A deputy's invitations to co-sign (answer with …/respond) and the replies waiting for the
    deputy's rating (rate with …/rate). Deputies only (others 403)."""
    user = request.auth
    if _role(user) != "deputy":
        raise PermissionDenied
    tasks = selectors.deputy_tasks(user=user)
    return {
        "invitations": [{"suggestion_id": sg.suggestion_id, "title": sg.suggestion.title,
                         "author": sg.suggestion.author.person.name, "status": sg.suggestion.status,
                         "status_label": str(sg.suggestion.get_status_display()), "invited_at": sg.invited_at}
                        for sg in tasks["invitations"]],
        "to_rate": [{"reply_id": r.pk, "suggestion_id": r.suggestion_id, "suggestion_title": r.suggestion.title,
                     "unit": r.assignment.unit.name, "kind_label": str(r.get_kind_display()), "outcome": r.outcome,
                     "outcome_label": _label(r, "outcome"), "created_at": r.created_at}
                    for r in tasks["to_rate"]],
    }


@router.get(
    "/suggestion-supervision",
    response={200: SuggestionSupervisionOut, **LIST_ERRORS},
    operation_id="suggestion_supervision",
    summary="督办：逾期、退回与延期申请",
    url_name="suggestion_supervision",
)
def supervision(request):
    """The office's overview of its congress: open and overdue parts per unit, returns awaiting a
    decision, extension requests awaiting a decision. Staff, directors, town staff (others 403)."""
    a = _assignment(request.auth)
    if a is None or a.role not in OFFICE_ROLES:
        raise PermissionDenied
    return {
        "units": [{"unit": {"id": r.unit_id, "name": r.unit_name}, "open": r.open, "overdue": r.overdue}
                  for r in selectors.overdue_by_unit(congress_id=a.congress_id)],
        "returns": [{"part_id": p.pk, "suggestion_id": p.suggestion_id, "suggestion_title": p.suggestion.title,
                     "unit": ref(p.unit), "return_reason": p.return_reason, "version": p.version}
                    for p in selectors.returns_pending(congress_id=a.congress_id)],
        "extensions": [{**_extension(e), "part_id": e.assignment_id, "suggestion_id": e.assignment.suggestion_id,
                        "suggestion_title": e.assignment.suggestion.title, "unit": ref(e.assignment.unit)}
                       for e in selectors.extensions_pending(congress_id=a.congress_id)],
    }
