"""The citizens-to-deputies channel (民意高速通道) over JSON: every step of every role.

A thin shell over renda/opinions/selectors.py (what the caller may see: outside it is 404) and
renda/opinions/services.py (every write, with its own permission check: visible but not allowed is
403). Errors keep the API's one shape (renda/api/errors.py); the services' Django ValidationError is
answered here as `422 validation_error` with one detail per field (`type` is the service's code).

Two routers: `router` (signed in, mounted at /api) and `public_router` (no credentials, mounted at
/api/public, throttled per client address, with a tighter budget for writes and tracking).
"""

import threading

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from ninja import Path, Query, Router, Status

from renda.accounts.permissions import _assignment
from renda.core.attachments import attachments_for
from renda.core.masking import mask_email, mask_name, mask_phone
from renda.opinions import selectors, services
from renda.opinions.actors import Citizen
from renda.opinions.models import Assignment, Opinion
from renda.opinions.workflow import ASSIGNMENT_FLOW, OPINION_FLOW

from ..errors import AUTH_ERRORS, ERR_NOT_FOUND, ERR_PERMISSION_DENIED, ERR_VALIDATION, ApiError, errors_for
from ..schemas import MAX_ID
from ..schemas_opinions import (
    CategoryOut,
    ExtendIn,
    ForwardIn,
    MergeIn,
    NoteIn,
    OfflineIn,
    OpinionDetailOut,
    OpinionPage,
    OpinionQuery,
    PartDetailOut,
    PartPage,
    PartQuery,
    PartReassignIn,
    PublicSubmitIn,
    PublishedDetailOut,
    PublishedPage,
    PublishedQuery,
    PublishIn,
    RateIn,
    ReasonIn,
    ReassignIn,
    ReplyIn,
    SubmittedOut,
    TextIn,
    TrackIn,
    TrackOut,
    VersionIn,
)
from ..throttles import DEFAULT_RATES, AnonThrottle, UserThrottle
from ._common import _service, paginate, ref, require_perm

router = Router(tags=["opinions"])
public_router = Router(tags=["opinions-public"])

S = Opinion.Status
A = Assignment.Status
ACTIVE_OPINION = (S.SUBMITTED, S.ACCEPTED, S.FORWARDED, S.REHANDLING)
ACTION_ERRORS = errors_for(*AUTH_ERRORS, 403, 404, 409)
OPINION_ID = Path(..., gt=0, le=MAX_ID)


# --- helpers --------------------------------------------------------------------------------------
def _overdue(due, status, active_states, today) -> bool:
    return bool(due and status in active_states and due < today)


def opinion_summary(o: Opinion, *, today=None) -> dict:
    today = today or timezone.localdate()
    return {
        "id": o.pk, "tracking_code": o.tracking_code, "title": o.title, "status": o.status,
        "status_label": str(o.get_status_display()), "channel": o.channel,
        "channel_label": str(o.get_channel_display()),
        "category": ref(o.category), "deputy": ref(o.deputy, o.deputy.person.name if o.deputy_id else None),
        "station": ref(o.station), "addressee": o.addressee_name(), "town": ref(o.town),
        "community": ref(o.community), "submitted_at": o.submitted_at, "current_due": o.current_due,
        "overdue": _overdue(o.current_due, o.status, ACTIVE_OPINION, today), "rating": o.rating,
        "rehandle_count": o.rehandle_count, "is_published": o.is_published, "version": o.version,
    }


def part_actions(p: Assignment, user) -> list[str]:
    """The actions the user may take on a unit's part now, named like the last segment of their URL."""
    names = {"sign": "sign", "return": "return", "reply": "reply", "reject_return": "reject-return",
             "withdraw": "reassign"}
    out = [names[t.action] for t in ASSIGNMENT_FLOW.actions_for(p, user) if t.action in names]
    if p.status in (A.ASSIGNED, A.SIGNED) and user.has_perm("opinions.handle_assignment", p):
        out.append("progress")
    return out


def part_out(p: Assignment, *, user, today=None) -> dict:
    today = today or timezone.localdate()
    return {
        "id": p.pk, "opinion_id": p.opinion_id, "unit": ref(p.unit), "round": p.round, "status": p.status,
        "status_label": str(p.get_status_display()), "note": p.note, "assigned_at": p.assigned_at, "due": p.due,
        "overdue": _overdue(p.due, p.status, (A.ASSIGNED, A.SIGNED), today), "signed_at": p.signed_at,
        "return_reason": p.return_reason, "reply_text": p.reply_text, "replied_at": p.replied_at,
        "on_time": p.on_time, "version": p.version, "actions": part_actions(p, user),
    }


OPINION_ACTIONS = ("accept", "decline", "forward", "answer", "close", "merge")


def opinion_actions(o: Opinion, user) -> list[str]:
    """The actions the user may take on the opinion now, named like the last segment of their URL."""
    out = [t.action for t in OPINION_FLOW.actions_for(o, user) if t.action in OPINION_ACTIONS]
    if user.has_perm("opinions.manage", o):
        if o.status in (S.SUBMITTED, S.ACCEPTED):
            out.append("reassign")
        if o.is_open:
            out += ["remind", "extend"]
        if o.status in (S.REPLIED, S.CLOSED):
            out.append("publish")
        if o.is_published:
            out.append("unpublish")
    return out


def _attachment(a) -> dict:
    return {"id": a.pk, "name": a.original_name, "mime_type": a.mime_type, "size": a.size,
            "url": reverse("core:attachment", args=[a.pk])}


def _timeline_entry(t) -> dict:
    e = t.event
    return {"at": e.created_at, "actor": str(e.actor) if e.actor_id else "", "action": e.action,
            "action_label": t.action_label, "from_state": e.from_state, "from_label": t.from_label,
            "to_state": e.to_state, "to_label": t.to_label, "note": e.note}


def opinion_detail(o: Opinion, *, user) -> dict:
    today = timezone.localdate()
    show = user.has_perm("opinions.view_contact", o)
    citizen = {
        "name": o.citizen_name if show else mask_name(o.citizen_name),
        "phone": o.citizen_phone if show else mask_phone(o.citizen_phone),
        "email": o.citizen_email if show else mask_email(o.citizen_email),
        "address": o.address if show else ("*" * min(len(o.address), 6)),
        "anonymous": o.is_anonymous, "masked": not show,
    }
    parts = selectors.assignments_of(o)
    attachments = list(attachments_for(owner=o))
    for p in parts:
        attachments += list(attachments_for(owner=p))
    notes = [{"id": n.pk, "kind": n.kind, "kind_label": str(n.get_kind_display()), "text": n.text,
              "unit": n.assignment.unit.name if n.assignment_id else "", "author": str(n.author) if n.author_id else "",
              "created_at": n.created_at} for n in selectors.notes_of(o)]
    return {
        **opinion_summary(o, today=today), "text": o.text, "citizen": citizen, "offline_event": o.offline_event,
        "offline_event_date": o.offline_event_date, "accepted_at": o.accepted_at, "decline_reason": o.decline_reason,
        "reply_text": o.reply_text, "replied_at": o.replied_at, "closed_at": o.closed_at,
        "handling_days": o.handling_days, "on_time": o.on_time, "rating_comment": o.rating_comment,
        "merged_into": o.merged_into_id, "published_title": o.published_title, "published_text": o.published_text,
        "published_reply": o.published_reply, "parts": [part_out(p, user=user, today=today) for p in parts],
        "notes": notes, "attachments": [_attachment(a) for a in attachments],
        "actions": opinion_actions(o, user),
        "timeline": [_timeline_entry(t) for t in selectors.opinion_timeline(o)],
    }


def _detail(user, opinion_id: int) -> dict:
    return opinion_detail(selectors.opinion_get_for_user(user=user, opinion_id=opinion_id), user=user)


def _visible(user, opinion_id: int) -> Opinion:
    """404 outside the caller's scope, before any service runs (a service's refusal is then a 403)."""
    return selectors.opinion_get_for_user(user=user, opinion_id=opinion_id)


def _part_detail(user, part_id: int) -> dict:
    p = selectors.assignment_get_for_user(user=user, assignment_id=part_id)
    return {**part_out(p, user=user), "opinion": _detail(user, p.opinion_id)}


# --- workspace: the opinions --------------------------------------------------------------------------
@router.get(
    "/opinions",
    response={200: OpinionPage, **errors_for(*AUTH_ERRORS, 403)},
    operation_id="opinion_list",
    summary="群众意见列表",
    url_name="opinion_list",
)
def opinion_list(request, query: Query[OpinionQuery]):
    """The opinions the caller may see (a deputy: own and own stations'; a unit: those it holds a part
    of; staff: their congress), newest first (best match first with `q`), filtered."""
    user = request.auth
    require_perm(user, "opinions.list")
    filters = selectors.OpinionFilters(
        status=query.status or "", town=query.town, community=query.community, category=query.category,
        deputy=query.deputy, station=query.station, unit=query.unit, overdue=query.overdue, q=query.q,
        channel=query.channel or "")
    qs = selectors.opinion_list_for_user(user=user, filters=filters)
    today = timezone.localdate()
    return paginate(qs, query, lambda o: opinion_summary(o, today=today))


@router.post(
    "/opinions/offline",
    response={201: OpinionDetailOut, 200: OpinionDetailOut, **errors_for(*AUTH_ERRORS, 403)},
    operation_id="opinion_enter_offline",
    summary="代录线下收集的意见",
    url_name="opinion_enter_offline",
)
def opinion_enter_offline(request, payload: OfflineIn):
    """Staff enter an opinion collected at a town brand event (民声茶坊、民生夜话…) on the citizen's
    behalf; it then follows the same flow. With `idempotency_key`, a retried POST returns the first
    item with 200."""
    user = request.auth
    a = _assignment(user)
    if a is not None:
        congress_id = a.congress_id
    else:  # a superuser without a role: the congress of the addressee
        congress_id = _addressee_congress(payload)
    existing = None
    if payload.idempotency_key:
        existing = Opinion.objects.filter(idempotency_key=payload.idempotency_key).first()
    if existing is not None:
        if existing.channel != Opinion.Channel.OFFLINE or not user.has_perm("opinions.view_opinion", existing):
            raise ApiError(422, "validation_error", ERR_VALIDATION,
                           [{"loc": ["body", "idempotency_key"], "msg": "幂等键已被使用。", "type": "idempotency_key"}])
        return Status(200, opinion_detail(existing, user=user))
    fields = payload.dict(exclude={"idempotency_key"})
    with _service(), transaction.atomic():
        # atomic: an addressee of another congress is refused after the row is written; roll it back.
        opinion = services.opinion_enter_offline(actor=user, congress=congress_id,
                                                 idempotency_key=payload.idempotency_key, **fields)
    return Status(201, _detail(user, opinion.pk))


def _addressee_congress(payload) -> int:
    from renda.deputies.models import Deputy, LiaisonStation

    if payload.deputy_id:
        d = Deputy.objects.filter(pk=payload.deputy_id).values_list("congress_id", flat=True).first()
    elif payload.station_id:
        d = LiaisonStation.objects.filter(pk=payload.station_id).values_list("congress_id", flat=True).first()
    else:
        d = None
    if d is None:
        raise ApiError(422, "validation_error", ERR_VALIDATION,
                       [{"loc": ["body", "deputy_id"], "msg": str(services.ERR_ADDRESSEE), "type": "addressee"}])
    return d


@router.get(
    "/opinions/{opinion_id}",
    response={200: OpinionDetailOut, **errors_for(*AUTH_ERRORS, 404)},
    operation_id="opinion_get",
    summary="群众意见详情",
    url_name="opinion_get",
)
def opinion_get(request, opinion_id: int = OPINION_ID):
    """One opinion: the text, the citizen (masked unless the caller handles it), every unit's part,
    notes, attachments, the full timeline, and the actions the caller may take now."""
    return _detail(request.auth, opinion_id)


def _action(path: str, name: str, summary: str, body=None):
    """Declare one POST action on an opinion (same responses for all)."""
    return router.post(f"/opinions/{{opinion_id}}/{path}", response={200: OpinionDetailOut, **ACTION_ERRORS},
                       operation_id=f"opinion_{name}", summary=summary, url_name=f"opinion_{name}")


@_action("accept", "accept", "受理")
def opinion_accept(request, payload: VersionIn, opinion_id: int = OPINION_ID):
    """受理 (the addressed deputy, the station's duty deputies, or the office). The reply clock starts."""
    user = request.auth
    _visible(user, opinion_id)
    with _service():
        services.opinion_accept(opinion_id=opinion_id, actor=user, expected_version=payload.expected_version)
    return _detail(user, opinion_id)


@_action("decline", "decline", "不予受理")
def opinion_decline(request, payload: ReasonIn, opinion_id: int = OPINION_ID):
    """不予受理, with a reason the citizen sees on the tracking page."""
    user = request.auth
    _visible(user, opinion_id)
    with _service():
        services.opinion_decline(opinion_id=opinion_id, actor=user, reason=payload.reason,
                                 expected_version=payload.expected_version)
    return _detail(user, opinion_id)


@_action("forward", "forward", "转交承办单位")
def opinion_forward(request, payload: ForwardIn, opinion_id: int = OPINION_ID):
    """Forward to one or more units of the opinion's congress; each unit's clock starts now."""
    user = request.auth
    _visible(user, opinion_id)
    with _service():
        services.opinion_forward(opinion_id=opinion_id, actor=user, unit_ids=payload.unit_ids, note=payload.note,
                                 expected_version=payload.expected_version)
    return _detail(user, opinion_id)


@_action("answer", "answer", "答复群众")
def opinion_answer(request, payload: ReplyIn, opinion_id: int = OPINION_ID):
    """The deputy's or station's reply to the citizen (after every unit has replied, or directly).
    Refused (422, `units_pending`) while a unit's part is open."""
    user = request.auth
    _visible(user, opinion_id)
    with _service():
        services.opinion_answer(opinion_id=opinion_id, actor=user, reply_text=payload.reply_text,
                                expected_version=payload.expected_version)
    return _detail(user, opinion_id)


@_action("close", "close", "办结（群众未评价）")
def opinion_close(request, payload: VersionIn, opinion_id: int = OPINION_ID):
    """Staff close an answered item the citizen has not rated."""
    user = request.auth
    _visible(user, opinion_id)
    with _service():
        services.opinion_close(opinion_id=opinion_id, actor=user, expected_version=payload.expected_version)
    return _detail(user, opinion_id)


@_action("reassign", "reassign", "改派代表或联络站")
def opinion_reassign(request, payload: ReassignIn, opinion_id: int = OPINION_ID):
    """Staff send an item not yet forwarded or answered to another deputy or station of the congress."""
    user = request.auth
    _visible(user, opinion_id)
    with _service():
        services.opinion_reassign(opinion_id=opinion_id, actor=user, deputy_id=payload.deputy_id,
                                  station_id=payload.station_id, note=payload.note,
                                  expected_version=payload.expected_version)
    return _detail(user, opinion_id)


@_action("remind", "remind", "催办")
def opinion_remind(request, payload: TextIn, opinion_id: int = OPINION_ID):
    """催办: a reminder to whoever holds the item now (the open units' parts, or the handler)."""
    user = request.auth
    _visible(user, opinion_id)
    with _service():
        services.opinion_remind(opinion_id=opinion_id, actor=user, text=payload.text)
    return _detail(user, opinion_id)


@_action("extend", "extend", "延长期限")
def opinion_extend(request, payload: ExtendIn, opinion_id: int = OPINION_ID):
    """Extend the open deadline by working days with a recorded reason (or only one unit's part)."""
    user = request.auth
    _visible(user, opinion_id)
    with _service():
        services.opinion_extend(opinion_id=opinion_id, actor=user, extra_days=payload.extra_days,
                                reason=payload.reason, assignment_id=payload.part_id)
    return _detail(user, opinion_id)


@_action("merge", "merge", "合并到相同意见")
def opinion_merge(request, payload: MergeIn, opinion_id: int = OPINION_ID):
    """并: handled once with `into_id`; this item's citizen still gets the reply and rates it."""
    user = request.auth
    _visible(user, opinion_id)
    with _service():
        services.opinion_merge(opinion_id=opinion_id, into_id=payload.into_id, actor=user, note=payload.note,
                               expected_version=payload.expected_version)
    return _detail(user, opinion_id)


@_action("publish", "publish", "公开（脱敏）")
def opinion_publish(request, payload: PublishIn, opinion_id: int = OPINION_ID):
    """Publish the redacted copy of an answered item; omitted fields take the system's redaction
    suggestion (phone and ID numbers, the citizen's name masked). The original stays for staff."""
    user = request.auth
    opinion = _visible(user, opinion_id)
    if not user.has_perm("opinions.manage", opinion):
        raise ApiError(403, "permission_denied", ERR_PERMISSION_DENIED)
    suggested = services.redaction_suggest(opinion)
    with _service():
        services.opinion_publish(opinion_id=opinion_id, actor=user, title=payload.title or suggested["title"],
                                 text=payload.text or suggested["text"], reply=payload.reply or suggested["reply"])
    return _detail(user, opinion_id)


@_action("unpublish", "unpublish", "撤回公开")
def opinion_unpublish(request, opinion_id: int = OPINION_ID):
    user = request.auth
    _visible(user, opinion_id)
    with _service():
        services.opinion_unpublish(opinion_id=opinion_id, actor=user)
    return _detail(user, opinion_id)


# --- workspace: the units' parts ----------------------------------------------------------------------
@router.get(
    "/opinion-parts",
    response={200: PartPage, **errors_for(*AUTH_ERRORS, 403)},
    operation_id="opinion_part_list",
    summary="承办单位收件箱",
    url_name="opinion_part_list",
)
def part_list(request, query: Query[PartQuery]):
    """The caller's unit's parts (转办件), earliest due first; withdrawn ones only when asked by status.
    Only a unit's people use this list (others: 403)."""
    user = request.auth
    a = _assignment(user)
    if a is None or a.role != "unit":
        raise ApiError(403, "permission_denied", ERR_PERMISSION_DENIED)
    qs = selectors.unit_inbox(user=user, status=query.status or "", overdue=query.overdue).select_related(
        "unit", "opinion__deputy__person", "opinion__station", "opinion__town", "opinion__community")
    today = timezone.localdate()
    return paginate(qs, query, lambda p: {**part_out(p, user=user, today=today),
                                          "opinion": opinion_summary(p.opinion, today=today)})


@router.get(
    "/opinion-parts/{part_id}",
    response={200: PartDetailOut, **errors_for(*AUTH_ERRORS, 404)},
    operation_id="opinion_part_get",
    summary="承办单位办理件详情",
    url_name="opinion_part_get",
)
def part_get(request, part_id: int = Path(..., gt=0, le=MAX_ID)):
    """One unit's part with the whole opinion (the other units' parts included)."""
    return _part_detail(request.auth, part_id)


def _part_action(path: str, name: str, summary: str):
    return router.post(f"/opinion-parts/{{part_id}}/{path}", response={200: PartDetailOut, **ACTION_ERRORS},
                       operation_id=f"opinion_part_{name}", summary=summary, url_name=f"opinion_part_{name}")


PART_ID = Path(..., gt=0, le=MAX_ID)


def _visible_part(user, part_id: int) -> Assignment:
    return selectors.assignment_get_for_user(user=user, assignment_id=part_id)


@_part_action("sign", "sign", "签收")
def part_sign(request, payload: VersionIn, part_id: int = PART_ID):
    user = request.auth
    _visible_part(user, part_id)
    with _service():
        services.assignment_sign(assignment_id=part_id, actor=user, expected_version=payload.expected_version)
    return _part_detail(user, part_id)


@_part_action("return", "return", "申请退回")
def part_return(request, payload: ReasonIn, part_id: int = PART_ID):
    """The unit asks to give the part back (not its business); staff arbitrate."""
    user = request.auth
    _visible_part(user, part_id)
    with _service():
        services.assignment_return(assignment_id=part_id, actor=user, reason=payload.reason,
                                   expected_version=payload.expected_version)
    return _part_detail(user, part_id)


@_part_action("reply", "reply", "单位答复")
def part_reply(request, payload: ReplyIn, part_id: int = PART_ID):
    """The unit's reply (after signing). When it is the last open part, the handler's clock starts."""
    user = request.auth
    _visible_part(user, part_id)
    with _service():
        services.assignment_reply(assignment_id=part_id, actor=user, reply_text=payload.reply_text,
                                  expected_version=payload.expected_version)
    return _part_detail(user, part_id)


@_part_action("progress", "progress", "办理进展")
def part_progress(request, payload: TextIn, part_id: int = PART_ID):
    """A progress note, visible to the handler, staff and the other units of the item."""
    user = request.auth
    _visible_part(user, part_id)
    with _service():
        services.assignment_progress(assignment_id=part_id, actor=user, text=payload.text)
    return _part_detail(user, part_id)


@_part_action("reject-return", "reject_return", "不同意退回")
def part_reject_return(request, payload: NoteIn, part_id: int = PART_ID):
    """Staff refuse a unit's return request; the part goes back to the unit (待签收)."""
    user = request.auth
    _visible_part(user, part_id)
    with _service():
        services.assignment_reject_return(assignment_id=part_id, actor=user, note=payload.note,
                                          expected_version=payload.expected_version)
    return _part_detail(user, part_id)


@_part_action("reassign", "reassign", "撤回并改派承办单位")
def part_reassign(request, payload: PartReassignIn, part_id: int = PART_ID):
    """Staff withdraw the part (the reason is kept) and give it to another unit, whose clock starts
    now. The answer is the new part."""
    user = request.auth
    _visible_part(user, part_id)
    with _service(units="unit_id"):
        new = services.assignment_reassign(assignment_id=part_id, actor=user, unit_id=payload.unit_id,
                                           note=payload.note, expected_version=payload.expected_version)
    return _part_detail(user, new.pk)


# --- public ------------------------------------------------------------------------------------------
SUBMIT_RATE = "30/min"


class PublicWriteThrottle(AnonThrottle):
    """Public writes and tracking, per client address, on top of the general `anon` budget: submitting,
    tracking (a guessed code needs the phone digits too) and rating. Rate: setting
    RENDA_API_THROTTLE_RATES["public_write"] (default 30/min); off when it, or "anon", is None."""

    cache_format = "renda_api_throttle_public_write_%(scope)s_%(ident)s"

    def __init__(self):
        AnonThrottle.__init__(self)
        self._local = threading.local()

    @staticmethod
    def current_rate() -> str | None:
        rates = getattr(settings, "RENDA_API_THROTTLE_RATES", {})
        if "public_write" in rates:
            return rates["public_write"]
        return SUBMIT_RATE if rates.get("anon", DEFAULT_RATES["anon"]) else None

    def allow_request(self, request) -> bool:
        self._local.wait = None
        rate = self.current_rate()
        key = self.get_cache_key(request) if rate else None
        if key is None:
            return True
        num_requests, duration = self.parse_rate(rate)
        now = self.timer()
        history = [t for t in self.cache.get(key, []) if t > now - duration]
        if len(history) >= num_requests:
            self._local.wait = duration - (now - history[-1])
            return False
        history.insert(0, now)
        self.cache.set(key, history, duration)
        return True


PUBLIC_WRITE_THROTTLES = [AnonThrottle(), UserThrottle(), PublicWriteThrottle()]


@public_router.get(
    "/categories",
    auth=None,
    response={200: list[CategoryOut], **errors_for(422)},
    operation_id="public_opinion_categories",
    summary="意见类别（公开）",
    url_name="public_opinion_categories",
)
def public_categories(request):
    """The categories a citizen chooses from (also the Open311 services)."""
    return [{"id": c.pk, "code": c.code, "name": c.name, "description": c.description, "group": c.group}
            for c in selectors.categories_active()]


def _submitted(o: Opinion) -> dict:
    return {"tracking_code": o.tracking_code, "status": o.status, "status_label": str(o.get_status_display()),
            "addressee": o.addressee_name(), "submitted_at": o.submitted_at, "due": o.current_due,
            "anonymous": o.is_anonymous}


@public_router.post(
    "/opinions",
    auth=None,
    throttle=PUBLIC_WRITE_THROTTLES,
    response={201: SubmittedOut, 200: SubmittedOut, **errors_for(400, 422)},
    operation_id="public_opinion_submit",
    summary="向代表或联络站反映意见（公开）",
    url_name="public_opinion_submit",
)
def public_submit(request, payload: PublicSubmitIn):
    """Submit an opinion to a deputy (`deputy_id`) or a liaison station (`station_id`). Name and phone
    are optional: without a phone the item is anonymous and the tracking code alone opens it. The
    handlers see the contact details; the public never does.

    `idempotency_key` (e.g. a UUID made once per form) makes retries safe: the first POST creates the
    item (201); any later POST with the same key returns that same item (200) and creates nothing."""
    fields = payload.dict()
    with _service():
        opinion, created = services.opinion_submit(channel=Opinion.Channel.API, **fields)
    return Status(201 if created else 200, _submitted(opinion))


def _tracked(o: Opinion) -> dict:
    steps = selectors.opinion_public_timeline(o)
    open_ = o.status in ACTIVE_OPINION
    return {
        "tracking_code": o.tracking_code, "title": o.title, "category": o.category.name,
        "addressee": o.addressee_name(), "status": o.status, "status_label": str(o.get_status_display()),
        "submitted_at": o.submitted_at, "due": o.current_due if open_ else None,
        "timeline": [{"at": s.at, "label": s.label, "note": s.note} for s in steps],
        "reply": o.reply_text if o.status in (S.REPLIED, S.CLOSED) else "",
        "replied_at": o.replied_at if o.status in (S.REPLIED, S.CLOSED) else None,
        "decline_reason": o.decline_reason if o.status == S.DECLINED else "", "rating": o.rating,
        "can_rate": o.status == S.REPLIED,
    }


def _track_or_404(code: str, phone_last4: str) -> Opinion:
    opinion = selectors.opinion_track(code=code, phone_last4=phone_last4)
    if opinion is None:  # wrong code and wrong digits look the same
        raise ApiError(404, "not_found", ERR_NOT_FOUND)
    return opinion


@public_router.post(
    "/opinions/track",
    auth=None,
    throttle=PUBLIC_WRITE_THROTTLES,
    response={200: TrackOut, **errors_for(400, 404, 422)},
    operation_id="public_opinion_track",
    summary="凭查询码查询进度（公开）",
    url_name="public_opinion_track",
)
def public_track(request, payload: TrackIn):
    """The tracking code plus the last 4 digits of the phone given (nothing for an anonymous item):
    status, deadline, the public timeline and the reply. A wrong code or wrong digits: 404."""
    return _tracked(_track_or_404(payload.code, payload.phone_last4))


@public_router.post(
    "/opinions/rate",
    auth=None,
    throttle=PUBLIC_WRITE_THROTTLES,
    response={200: TrackOut, **errors_for(400, 404, 409, 422)},
    operation_id="public_opinion_rate",
    summary="评价答复（公开）",
    url_name="public_opinion_rate",
)
def public_rate(request, payload: RateIn):
    """满意 / 基本满意 close the item; 不满意 reopens it once for re-handling (a second 不满意 is recorded
    and closes it). Only an answered item can be rated (else 409 `invalid_state`)."""
    opinion = _track_or_404(payload.code, payload.phone_last4)
    with _service():
        services.opinion_rate(opinion_id=opinion.pk, citizen=Citizen(opinion.pk), rating=payload.rating,
                              comment=payload.comment)
    return _tracked(_track_or_404(payload.code, payload.phone_last4))


def _published(o: Opinion) -> dict:
    return {"id": o.pk, "title": o.published_title, "category": o.category.name,
            "town": o.town.name if o.town_id else "", "published_at": o.published_at, "replied_at": o.replied_at}


@public_router.get(
    "/published-opinions",
    auth=None,
    response={200: PublishedPage, **errors_for(422)},
    operation_id="public_published_opinion_list",
    summary="已公开的群众意见（公开）",
    url_name="public_published_opinion_list",
)
def published_list(request, query: Query[PublishedQuery]):
    """Answered opinions staff chose to publish: the redacted copy only, never the citizen."""
    return paginate(selectors.published_list(category=query.category, town=query.town), query, _published)


@public_router.get(
    "/published-opinions/{opinion_id}",
    auth=None,
    response={200: PublishedDetailOut, **errors_for(404, 422)},
    operation_id="public_published_opinion_get",
    summary="已公开的群众意见详情（公开）",
    url_name="public_published_opinion_get",
)
def published_get(request, opinion_id: int = OPINION_ID):
    o = selectors.published_get(opinion_id=opinion_id)
    return {**_published(o), "text": o.published_text, "reply": o.published_reply}
