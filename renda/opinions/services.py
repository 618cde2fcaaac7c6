"""Writes of the citizens-to-deputies channel. Views, the API and Open311 call only these.

Each function is one step: it checks input and permission, changes the state through the
transition tables in workflow.py (which write exactly one Event), starts or stops the step's
deadlines, and schedules notifications with transaction.on_commit so nobody is told about a step
that rolled back.
"""

import datetime
import hashlib
import re
import secrets
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Min, Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core.attachments import DOCUMENTS, IMAGES, attachment_create
from renda.core.masking import mask_free_text
from renda.core.notify.services import notify_address, notify_users_later
from renda.core.validation import clean_text as _clean_text
from renda.core.workdays.models import Deadline
from renda.core.workdays.selectors import calendar_load
from renda.core.workdays.services import (
    deadline_create,
    deadline_extend,
    deadlines_cancel,
    deadlines_meet,
    deadlines_on_time,
    deadlines_open,
)
from renda.core.workdays.signals import deadlines_changed
from renda.core.workflow import ConflictError, record_event
from renda.org.selectors import unit_users

from .actors import SYSTEM, Citizen
from .models import (
    MAX_PHOTOS,
    NOTE_MAX,
    REPLY_MAX,
    TEXT_MAX,
    TITLE_MAX,
    ApiKey,
    Assignment,
    Category,
    Note,
    Opinion,
    RatingRecord,
)
from .workflow import ASSIGNMENT_FLOW, OPINION_FLOW

S = Opinion.Status
A = Assignment.Status

ERR_TITLE = gettext_lazy("请填写标题（不超过 %(max)s 字）。") % {"max": TITLE_MAX}
ERR_TEXT = gettext_lazy("请填写意见内容（不超过 %(max)s 字）。") % {"max": TEXT_MAX}
ERR_CATEGORY = gettext_lazy("请选择意见类别。")
ERR_ADDRESSEE = gettext_lazy("请选择要反映意见的代表或联络站。")
ERR_ADDRESSEE_BOTH = gettext_lazy("一条意见只能发给一位代表或一个联络站。")
ERR_COMMUNITY = gettext_lazy("所选村（社区）不存在或不在该代表、联络站的联系范围内。")
ERR_PHONE = gettext_lazy("手机号须为 11 位数字，以 1 开头。")
ERR_NAME = gettext_lazy("姓名不超过 50 字。")
ERR_PHOTOS = gettext_lazy("最多上传 %(max)s 张照片。") % {"max": MAX_PHOTOS}
ERR_UNITS = gettext_lazy("请选择至少一个承办单位。")
ERR_UNIT_UNKNOWN = gettext_lazy("所选承办单位不存在或不属于本级人大。")
ERR_UNIT_DUPLICATE = gettext_lazy("该单位已在办理此意见。")
ERR_REPLY = gettext_lazy("请填写答复内容（不超过 %(max)s 字）。") % {"max": REPLY_MAX}
ERR_NOTE = gettext_lazy("请填写内容（不超过 %(max)s 字）。") % {"max": NOTE_MAX}
ERR_UNITS_PENDING = gettext_lazy("还有承办单位未答复，请待全部答复后再答复群众。")
ERR_RATING = gettext_lazy("请选择满意、基本满意或不满意。")
ERR_MERGE_SELF = gettext_lazy("不能合并到自身。")
ERR_MERGE_TARGET = gettext_lazy("目标意见不存在、已被合并或不属于同一人大。")
ERR_REASSIGN_STATE = gettext_lazy("已转办或已答复的意见不能改派代表或联络站。")
ERR_PUBLISH_STATE = gettext_lazy("只有已答复的意见才能公开。")
ERR_NO_DEADLINE = gettext_lazy("该事项当前没有进行中的期限。")
ERR_OFFLINE_EVENT = gettext_lazy("请填写收集意见的活动名称和日期。")
ERR_KEY_NAME = gettext_lazy("请填写密钥名称。")

PHONE_RE = re.compile(r"^1\d{10}$")
TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
TRACKING_LENGTH = 10


# --- helpers -----------------------------------------------------------------------------------
def tracking_code_new() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _i in range(TRACKING_LENGTH))


def tracking_code_normalize(code: str) -> str:
    return re.sub(r"[\s\-]", "", (code or "")).upper()[:TRACKING_LENGTH + 4]


def _today() -> datetime.date:
    return timezone.localdate()


def handler_users(opinion: Opinion) -> list:
    """The people who must act on a new or returned item: the deputy, the station's people, or the office."""
    from renda.accounts.models import User

    if opinion.deputy_id:
        q = Q(assignments__role="deputy", assignments__deputy_id=opinion.deputy_id, assignments__is_active=True)
    elif opinion.station_id:
        q = (Q(assignments__role="deputy", assignments__deputy__duties__station_id=opinion.station_id,
               assignments__is_active=True)
             | Q(assignments__role__in=["town_staff", "staff"], assignments__congress_id=opinion.congress_id,
                 assignments__is_active=True))
    else:
        q = Q(assignments__role="staff", assignments__congress_id=opinion.congress_id, assignments__is_active=True)
    return list(User.objects.filter(q, is_active=True).distinct())


def _handler_owner(opinion: Opinion):
    users = handler_users(opinion) if opinion.deputy_id else []
    return users[0] if users else None


def _url(opinion: Opinion) -> str:
    return f"/opinions/{opinion.pk}/"


def _notify_citizen_later(opinion: Opinion, *, subject: str, body: str, key: str) -> None:
    if not opinion.citizen_phone:
        return
    phone, congress_id = opinion.citizen_phone, opinion.congress_id
    transaction.on_commit(lambda: notify_address(channel="sms", to_address=phone, subject=subject, body=body,
                                                 dedupe_key=key, congress=congress_id), robust=True)


def opinion_sync_due(opinion_id: int) -> datetime.date | None:
    """Opinion.current_due := the earliest open deadline of the opinion and of its units' parts."""
    from django.contrib.contenttypes.models import ContentType

    ct_o = ContentType.objects.get_for_model(Opinion)
    ct_a = ContentType.objects.get_for_model(Assignment)
    part_ids = list(Assignment.objects.filter(opinion_id=opinion_id).values_list("id", flat=True))
    due = Deadline.objects.filter(
        Q(content_type=ct_o, object_id=opinion_id) | Q(content_type=ct_a, object_id__in=part_ids),
        state=Deadline.State.OPEN).aggregate(d=Min("due"))["d"]
    Opinion.objects.filter(pk=opinion_id).update(current_due=due)
    return due


@receiver(deadlines_changed)
def _on_deadlines_changed(sender, deadlines, **kwargs) -> None:
    """A calendar edit or an extension moved due dates: refresh the copies kept on opinions and parts."""
    from django.contrib.contenttypes.models import ContentType

    ct_o = ContentType.objects.get_for_model(Opinion)
    ct_a = ContentType.objects.get_for_model(Assignment)
    opinion_ids = set()
    for d in deadlines:
        if d.content_type_id == ct_a.pk:
            Assignment.objects.filter(pk=d.object_id).update(due=d.due)
            opinion_ids.update(Assignment.objects.filter(pk=d.object_id).values_list("opinion_id", flat=True))
        elif d.content_type_id == ct_o.pk:
            opinion_ids.add(d.object_id)
    for pk in opinion_ids:
        opinion_sync_due(pk)


# --- submission -----------------------------------------------------------------------------------
def _resolve_addressee(*, deputy_id, station_id, community_id):
    from renda.deputies.models import Deputy, LiaisonStation
    from renda.org.models import Place

    if deputy_id and station_id:
        raise ValidationError({"deputy": [ERR_ADDRESSEE_BOTH]}, code="addressee")
    deputy = station = community = town = None
    if deputy_id:
        deputy = (Deputy.objects.select_related("person", "district", "group").filter(
            pk=deputy_id, status=Deputy.Status.ACTIVE).first())
        if deputy is None:
            raise ValidationError({"deputy": [ERR_ADDRESSEE]}, code="addressee")
    elif station_id:
        station = LiaisonStation.objects.filter(pk=station_id).first()
        if station is None:
            raise ValidationError({"station": [ERR_ADDRESSEE]}, code="addressee")
    if community_id:
        community = Place.objects.filter(pk=community_id, kind__in=["community", "village"]).first()
        if community is None:
            raise ValidationError({"community": [ERR_COMMUNITY]}, code="community")
        if (station and not station.communities.filter(pk=community.pk).exists()
                and community.parent_id != station.town_id):
            raise ValidationError({"community": [ERR_COMMUNITY]}, code="community")
        town = community.parent
    elif station:
        town = station.town
    elif deputy and deputy.group_id and deputy.group.place_id:
        town = deputy.group.place
    return deputy, station, community, town


def opinion_submit(
    *,
    category_id,
    title: str,
    text: str,
    deputy_id: int | None = None,
    station_id: int | None = None,
    community_id: int | None = None,
    citizen_name: str = "",
    citizen_phone: str = "",
    citizen_email: str = "",
    address: str = "",
    lat=None,
    long=None,
    photos: Sequence = (),
    idempotency_key: str | None = None,
    channel: str = Opinion.Channel.WEB,
    congress=None,
    entered_by=None,
    offline_event: str = "",
    offline_event_date: datetime.date | None = None,
    api_key: ApiKey | None = None,
) -> tuple[Opinion, bool]:
    """A citizen's opinion arrives. Returns (opinion, created).

    Idempotent: the same ``idempotency_key`` returns the first opinion (created=False) even when
    two identical requests race (the unique constraint decides). The accept clock starts now.
    """
    if idempotency_key:
        idempotency_key = str(idempotency_key)[:64]
        existing = Opinion.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    errors = {}
    fields = {}
    for name, value, max_length, error, required in (
        ("title", title, TITLE_MAX, ERR_TITLE, True),
        ("text", text, TEXT_MAX, ERR_TEXT, True),
        ("citizen_name", citizen_name, 50, ERR_NAME, False),
        ("address", address, 200, ERR_NOTE, False),
    ):
        try:
            fields[name] = _clean_text(value, max_length=max_length, error=error, required=required, field=name)
        except ValidationError as e:
            errors.update(e.message_dict)
    phone = re.sub(r"[\s\-]", "", citizen_phone or "") if isinstance(citizen_phone, str) else None
    if phone is None or (phone and not PHONE_RE.match(phone)):
        errors["citizen_phone"] = [str(ERR_PHONE)]
    category = None
    try:
        category = Category.objects.filter(pk=int(category_id), is_active=True).first()
    except (TypeError, ValueError):
        pass
    if category is None:
        errors["category"] = [str(ERR_CATEGORY)]
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = [str(ERR_PHOTOS)]
    try:
        deputy, station, community, town = _resolve_addressee(deputy_id=deputy_id, station_id=station_id,
                                                              community_id=community_id)
    except ValidationError as e:
        errors.update(e.message_dict)
        deputy = station = community = town = None
    if not errors and deputy is None and station is None and congress is None:
        errors["deputy"] = [str(ERR_ADDRESSEE)]
    if channel == Opinion.Channel.OFFLINE and not (offline_event and offline_event_date):
        errors["offline_event"] = [str(ERR_OFFLINE_EVENT)]
    if errors:
        raise ValidationError(errors)
    congress_id = (deputy.congress_id if deputy else station.congress_id if station
                   else getattr(congress, "pk", congress))
    now = timezone.now()
    try:
        with transaction.atomic():
            opinion = Opinion(
                congress_id=congress_id, tracking_code=tracking_code_new(), idempotency_key=idempotency_key or None,
                channel=channel, deputy=deputy, station=station, town=town, community=community, category=category,
                title=fields["title"], text=fields["text"], citizen_name=fields["citizen_name"],
                citizen_phone=phone, citizen_email=(citizen_email or "")[:254], address=fields["address"],
                lat=lat, long=long, offline_event=(offline_event or "")[:100], offline_event_date=offline_event_date,
                entered_by=entered_by, open311_key=api_key, status=S.SUBMITTED, submitted_at=now,
            )
            opinion.save()
            record_event(obj=opinion, action="enter_offline" if channel == Opinion.Channel.OFFLINE else "submit",
                         actor=entered_by, to_state=S.SUBMITTED,
                         note=(f"{offline_event} {offline_event_date:%Y-%m-%d}" if offline_event_date else ""))
            handlers = handler_users(opinion)  # read once: the deadline's owner and the notification
            d = deadline_create(obj=opinion, policy_code="opinion_accept", start=timezone.localdate(now),
                                owner_user=handlers[0] if handlers and opinion.deputy_id else None,
                                congress=congress_id)
            Opinion.objects.filter(pk=opinion.pk).update(current_due=d.due)
            opinion.current_due = d.due
            for upload in photos:
                attachment_create(upload=upload, allowed=IMAGES, uploaded_by=entered_by, congress=congress_id,
                                  owner=opinion)
            from renda.core.search.services import index_object

            index_object(opinion)
    except IntegrityError:
        if idempotency_key:
            existing = Opinion.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing, False
        raise
    notify_users_later(lambda: handlers, subject=_("新的群众意见：%(t)s") % {"t": opinion.title},
                       body=_("请在 %(due)s 前受理。查询码 %(code)s。") % {
                           "due": opinion.current_due, "code": opinion.tracking_code},
                       url=_url(opinion), dedupe_key=f"opinion:{opinion.pk}:new", congress=congress_id)
    _notify_citizen_later(opinion, subject=_("意见已收到"),
                          body=_("您的意见已收到，查询码 %(code)s，受理期限 %(due)s。") % {
                              "code": opinion.tracking_code, "due": opinion.current_due},
                          key=f"opinion:{opinion.pk}:received")
    return opinion, True


def opinion_enter_offline(*, actor, congress, offline_event: str, offline_event_date: datetime.date, **kwargs
                          ) -> Opinion:
    """Staff enter an opinion collected at a brand event (民声茶坊、民生夜话…) on the citizen's behalf."""
    probe = Opinion(congress_id=getattr(congress, "pk", congress))
    if not actor.has_perm("opinions.manage", probe):
        raise PermissionDenied
    # The addressee must belong to the actor's congress: checked before anything is written.
    try:
        deputy, station, _community, _town = _resolve_addressee(
            deputy_id=kwargs.get("deputy_id"), station_id=kwargs.get("station_id"),
            community_id=kwargs.get("community_id"))
    except ValidationError:
        deputy = station = None  # opinion_submit reports the error with the others
    addressee = deputy or station
    if addressee is not None and addressee.congress_id != probe.congress_id:
        raise PermissionDenied
    opinion, _created = opinion_submit(channel=Opinion.Channel.OFFLINE, entered_by=actor, congress=congress,
                                       offline_event=offline_event, offline_event_date=offline_event_date, **kwargs)
    return opinion


# --- the handler's steps ----------------------------------------------------------------------------
def opinion_accept(*, opinion_id: int, actor, expected_version: int | None = None) -> Opinion:
    """受理: the accept clock stops and the reply clock (the handler's own) starts."""
    with transaction.atomic():
        opinion = OPINION_FLOW.apply(obj_id=opinion_id, action="accept", actor=actor,
                                     expected_version=expected_version,
                                     extra_updates={"accepted_at": timezone.now()})
        deadlines_meet(opinion, actor=actor)
        deadline_create(obj=opinion, policy_code="opinion_reply", start=_today(),
                        owner_user=_handler_owner(opinion))
        opinion.current_due = opinion_sync_due(opinion.pk)
    _notify_citizen_later(opinion, subject=_("意见已受理"),
                          body=_("您的意见（查询码 %(code)s）已受理，答复期限 %(due)s。") % {
                              "code": opinion.tracking_code, "due": opinion.current_due},
                          key=f"opinion:{opinion.pk}:accepted")
    return opinion


def opinion_decline(*, opinion_id: int, actor, reason: str, expected_version: int | None = None) -> Opinion:
    """不予受理, with a reason the citizen sees. Merged items follow."""
    reason = _clean_text(reason, max_length=NOTE_MAX, error=ERR_NOTE, field="reason")
    with transaction.atomic():
        opinion = OPINION_FLOW.apply(obj_id=opinion_id, action="decline", actor=actor, note=reason,
                                     expected_version=expected_version,
                                     extra_updates={"decline_reason": reason, "closed_at": timezone.now()})
        deadlines_meet(opinion, actor=actor)
        opinion.current_due = opinion_sync_due(opinion.pk)
        for child in Opinion.objects.filter(merged_into=opinion, status=S.MERGED):
            OPINION_FLOW.apply(obj_id=child.pk, action="merged_decline", actor=SYSTEM, note=reason,
                               extra_updates={"decline_reason": reason, "closed_at": timezone.now()})
            _notify_citizen_later(child, subject=_("意见不予受理"),
                                  body=_("您的意见（查询码 %(code)s）不予受理：%(r)s") % {
                                      "code": child.tracking_code, "r": reason},
                                  key=f"opinion:{child.pk}:declined")
    _notify_citizen_later(opinion, subject=_("意见不予受理"), body=_("您的意见（查询码 %(code)s）不予受理：%(r)s") % {
        "code": opinion.tracking_code, "r": reason}, key=f"opinion:{opinion.pk}:declined")
    return opinion


def _units_for(opinion: Opinion, unit_ids) -> list:
    from renda.org.models import Unit

    try:
        ids = sorted({int(u) for u in unit_ids})
    except (TypeError, ValueError):
        raise ValidationError({"units": [ERR_UNIT_UNKNOWN]}, code="unit_unknown") from None
    if not ids:
        raise ValidationError({"units": [ERR_UNITS]}, code="units_required")
    units = list(Unit.objects.filter(pk__in=ids, congress_id=opinion.congress_id, is_active=True))
    if len(units) != len(ids):
        raise ValidationError({"units": [ERR_UNIT_UNKNOWN]}, code="unit_unknown")
    return units


def _assign(opinion: Opinion, unit, *, actor, note: str) -> Assignment:
    round_ = opinion.rehandle_count + 1
    if Assignment.objects.filter(opinion=opinion, unit=unit, round=round_,
                                 status__in=Assignment.ACTIVE_STATES).exists():
        raise ValidationError({"units": [ERR_UNIT_DUPLICATE]}, code="unit_duplicate")
    part = Assignment.objects.create(congress_id=opinion.congress_id, opinion=opinion, unit=unit, round=round_,
                                     note=note, assigned_at=timezone.now(), assigned_by=actor if actor.pk else None)
    d = deadline_create(obj=part, policy_code="opinion_rehandle" if round_ > 1 else "opinion_reply", start=_today(),
                        owner_unit=unit, congress=opinion.congress_id)
    part.due = d.due
    part.save(update_fields=["due"])
    record_event(obj=part, action="assign", actor=actor, to_state=A.ASSIGNED, note=note)
    notify_users_later(lambda uid=unit.pk: unit_users(uid), subject=_("转办群众意见：%(t)s") % {"t": opinion.title},
                       body=_("请签收并在 %(due)s 前答复。%(note)s") % {"due": d.due, "note": note},
                       url=f"/opinions/parts/{part.pk}/", dedupe_key=f"assignment:{part.pk}:new",
                       congress=opinion.congress_id)
    return part


def opinion_forward(*, opinion_id: int, actor, unit_ids, note: str = "", expected_version: int | None = None
                    ) -> Opinion:
    """Forward to one or more units; each unit's clock starts now. The handler's own clock stops
    (it waits for the units), and restarts as opinion_answer when the last unit has replied."""
    note = _clean_text(note, max_length=NOTE_MAX, error=ERR_NOTE, required=False, field="note")
    with transaction.atomic():
        current = Opinion.objects.get(pk=opinion_id)
        units = _units_for(current, unit_ids)
        opinion = OPINION_FLOW.apply(obj_id=opinion_id, action="forward", actor=actor,
                                     expected_version=expected_version,
                                     note=_("转交：%(units)s。%(note)s") % {"units": "、".join(u.name for u in units),
                                                                         "note": note})
        deadlines_cancel(opinion, actor=actor, note=_("已转交承办单位，期限以承办单位为准"))
        for unit in units:
            _assign(opinion, unit, actor=actor, note=note)
        opinion.current_due = opinion_sync_due(opinion.pk)
    return opinion


def opinion_answer(*, opinion_id: int, actor, reply_text: str, expected_version: int | None = None,
                   attachments: Sequence = ()) -> Opinion:
    """The deputy or station answers the citizen (directly or after the units' replies).

    Refused while a unit's part is still open. Merged items get the same reply.
    """
    reply_text = _clean_text(reply_text, max_length=REPLY_MAX, error=ERR_REPLY, field="reply_text")
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        if Assignment.objects.filter(opinion_id=opinion_id, status__in=Assignment.ACTIVE_STATES).exists():
            raise ValidationError({"reply_text": [ERR_UNITS_PENDING]}, code="units_pending")
        before = Opinion.objects.get(pk=opinion_id)
        on_time = deadlines_on_time(before, today=today) and not Assignment.objects.filter(
            opinion_id=opinion_id, on_time=False, round=before.rehandle_count + 1).exists()
        days = calendar_load().working_days_after(timezone.localdate(before.submitted_at), today)
        opinion = OPINION_FLOW.apply(obj_id=opinion_id, action="answer", actor=actor, expected_version=expected_version,
                                     extra_updates={"reply_text": reply_text, "replied_at": now,
                                                    "replied_by": actor if actor.pk else None,
                                                    "handling_days": min(days, 32767), "on_time": on_time})
        deadlines_meet(opinion, actor=actor)
        opinion.current_due = opinion_sync_due(opinion.pk)
        for upload in attachments:
            attachment_create(upload=upload, allowed=DOCUMENTS, uploaded_by=actor,
                              congress=opinion.congress_id, owner=opinion)
        followers = [opinion] + list(Opinion.objects.filter(merged_into=opinion, status=S.MERGED))
        for child in followers[1:]:
            OPINION_FLOW.apply(obj_id=child.pk, action="merged_reply", actor=SYSTEM,
                               note=_("随 %(code)s 一并答复") % {"code": opinion.tracking_code},
                               extra_updates={"reply_text": reply_text, "replied_at": now,
                                              "handling_days": min(days, 32767), "on_time": on_time})
    for item in followers:
        _notify_citizen_later(item, subject=_("意见已答复"),
                              body=_("您的意见（查询码 %(code)s）已答复，请凭查询码查看并评价。") % {
                                  "code": item.tracking_code},
                              key=f"opinion:{item.pk}:replied:{item.rehandle_count}")
    return opinion


def opinion_close(*, opinion_id: int, actor, expected_version: int | None = None) -> Opinion:
    with transaction.atomic():
        return OPINION_FLOW.apply(obj_id=opinion_id, action="close", actor=actor, expected_version=expected_version,
                                  extra_updates={"closed_at": timezone.now()})


DEFAULT_RATING_DAYS = 15


def opinions_expire_unrated(*, today: datetime.date | None = None, days: int | None = None) -> int:
    """Close answered items the citizen has not rated within ``days`` working days of the reply.

    Runs daily; an item closed this way counts as answered but unrated in the statistics.
    """
    from django.conf import settings

    today = today or timezone.localdate()
    days = getattr(settings, "RENDA_OPINION_RATING_DAYS", DEFAULT_RATING_DAYS) if days is None else days
    cal = calendar_load()
    closed = 0
    # Only items answered at least `days` calendar days ago can have `days` working days behind them.
    cutoff = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time.max))
    for pk, replied_at in Opinion.objects.filter(status=S.REPLIED, replied_at__lte=cutoff).values_list(
            "pk", "replied_at").iterator():
        if cal.working_days_after(timezone.localdate(replied_at), today) < days:
            continue
        try:
            with transaction.atomic():
                OPINION_FLOW.apply(obj_id=pk, action="expire", actor=SYSTEM,
                                   note=_("答复后 %(n)s 个工作日内未评价") % {"n": days},
                                   extra_updates={"closed_at": timezone.now()})
            closed += 1
        except ConflictError:
            continue  # rated meanwhile
    return closed


# --- the citizen ---------------------------------------------------------------------------------------
def opinion_rate(*, opinion_id: int, citizen: Citizen, rating: str, comment: str = "") -> Opinion:
    """满意 / 基本满意 close the item; 不满意 reopens it once for re-handling with its own deadline."""
    if rating not in Opinion.Rating.values:
        raise ValidationError({"rating": [ERR_RATING]}, code="rating")
    comment = _clean_text(comment, max_length=NOTE_MAX, error=ERR_NOTE, required=False, field="comment")
    now = timezone.now()
    with transaction.atomic():
        before = Opinion.objects.select_for_update().get(pk=opinion_id)
        reopen = rating == Opinion.Rating.UNSATISFIED and before.rehandle_count == 0
        action = {"satisfied": "rate_satisfied", "basic": "rate_basic"}.get(
            rating, "rate_unsatisfied" if reopen else "rate_unsatisfied_final")
        updates = {"rating": rating, "rating_comment": comment}
        if reopen:
            updates.update(rehandle_count=before.rehandle_count + 1)
        else:
            updates.update(closed_at=now)
        opinion = OPINION_FLOW.apply(obj_id=opinion_id, action=action, actor=citizen, note=comment,
                                     extra_updates=updates)
        RatingRecord.objects.create(opinion=opinion, congress_id=opinion.congress_id, round=before.rehandle_count + 1,
                                    rating=rating, comment=comment)
        if reopen:
            deadline_create(obj=opinion, policy_code="opinion_rehandle", start=timezone.localdate(now),
                            owner_user=_handler_owner(opinion))
            opinion.current_due = opinion_sync_due(opinion.pk)
            notify_users_later(lambda: handler_users(opinion),
                               subject=_("群众不满意，需重新办理：%(t)s") % {"t": opinion.title},
                               body=_("请在 %(due)s 前重新办理。群众意见：%(c)s") % {
                                   "due": opinion.current_due, "c": comment},
                               url=_url(opinion), dedupe_key=f"opinion:{opinion.pk}:reopened",
                               congress=opinion.congress_id)
    return opinion


# --- the units ------------------------------------------------------------------------------------------
def assignment_sign(*, assignment_id: int, actor, expected_version: int | None = None) -> Assignment:
    with transaction.atomic():
        part = ASSIGNMENT_FLOW.apply(obj_id=assignment_id, action="sign", actor=actor,
                                     expected_version=expected_version,
                                     extra_updates={"signed_at": timezone.now()})
    return part


def assignment_return(*, assignment_id: int, actor, reason: str, expected_version: int | None = None) -> Assignment:
    """The unit asks to give it back (not ours); staff arbitrate. The reason is kept."""
    reason = _clean_text(reason, max_length=NOTE_MAX, error=ERR_NOTE, field="reason")
    with transaction.atomic():
        part = ASSIGNMENT_FLOW.apply(obj_id=assignment_id, action="return", actor=actor, note=reason,
                                     expected_version=expected_version, extra_updates={"return_reason": reason})
        opinion = part.opinion

        def staff():
            from renda.accounts.models import User

            return list(User.objects.filter(is_active=True, assignments__role__in=["staff", "town_staff"],
                                            assignments__congress_id=part.congress_id,
                                            assignments__is_active=True).distinct())

        notify_users_later(staff, subject=_("承办单位申请退回：%(t)s") % {"t": opinion.title},
                           body=_("%(unit)s 申请退回，理由：%(r)s") % {"unit": part.unit.name, "r": reason},
                           url=_url(opinion), dedupe_key=f"assignment:{part.pk}:returned:{part.version}",
                           congress=part.congress_id)
    return part


def assignment_reject_return(*, assignment_id: int, actor, note: str, expected_version: int | None = None
                             ) -> Assignment:
    note = _clean_text(note, max_length=NOTE_MAX, error=ERR_NOTE, field="note")
    with transaction.atomic():
        part = ASSIGNMENT_FLOW.apply(obj_id=assignment_id, action="reject_return", actor=actor, note=note,
                                     expected_version=expected_version)
        notify_users_later(lambda: unit_users(part.unit_id),
                           subject=_("退回申请未获同意：%(t)s") % {"t": part.opinion.title},
                           body=note, url=f"/opinions/parts/{part.pk}/",
                           dedupe_key=f"assignment:{part.pk}:kept:{part.version}",
                           congress=part.congress_id)
    return part


def assignment_reassign(*, assignment_id: int, actor, unit_id: int, note: str,
                        expected_version: int | None = None) -> Assignment:
    """Staff take a part away from one unit (after a return, or on their own) and give it to another.

    The old part is withdrawn with the reason kept; the new unit's clock starts now.
    """
    note = _clean_text(note, max_length=NOTE_MAX, error=ERR_NOTE, field="note")
    with transaction.atomic():
        old = Assignment.objects.select_related("opinion").get(pk=assignment_id)
        (unit,) = _units_for(old.opinion, [unit_id])
        if unit.pk == old.unit_id:
            raise ValidationError({"units": [ERR_UNIT_DUPLICATE]}, code="unit_duplicate")
        ASSIGNMENT_FLOW.apply(obj_id=assignment_id, action="withdraw", actor=actor, note=note,
                              expected_version=expected_version)
        deadlines_cancel(old, actor=actor, note=note)
        opinion = Opinion.objects.select_for_update().get(pk=old.opinion_id)
        part = _assign(opinion, unit, actor=actor, note=note)
        notify_users_later(lambda: unit_users(old.unit_id), subject=_("转办意见已撤回：%(t)s") % {"t": opinion.title},
                           body=_("已改由 %(unit)s 办理：%(note)s") % {"unit": unit.name, "note": note},
                           url="", dedupe_key=f"assignment:{old.pk}:withdrawn",
                           congress=opinion.congress_id)
        record_event(obj=opinion, action="reassign", actor=actor,
                     note=_("%(old)s → %(new)s：%(note)s") % {"old": old.unit.name, "new": unit.name, "note": note})
        opinion_sync_due(opinion.pk)
    return part


def assignment_progress(*, assignment_id: int, actor, text: str, attachments: Sequence = ()) -> Note:
    """A progress note by the unit, visible to the handler, staff and the other units of the item."""
    text = _clean_text(text, max_length=NOTE_MAX, error=ERR_NOTE, field="text")
    with transaction.atomic():
        part = Assignment.objects.select_for_update().get(pk=assignment_id)
        if not actor.has_perm("opinions.handle_assignment", part):
            raise PermissionDenied
        if part.status not in (A.ASSIGNED, A.SIGNED):
            raise ConflictError(gettext_lazy("当前状态下不能填写办理进展。"), code="invalid_state")
        note = Note.objects.create(opinion_id=part.opinion_id, assignment=part, kind=Note.Kind.PROGRESS, text=text,
                                   author=actor)
        for upload in attachments:
            attachment_create(upload=upload, allowed=DOCUMENTS, uploaded_by=actor,
                              congress=part.congress_id, owner=part)
        record_event(obj=part, action="progress", actor=actor, note=text)
    return note


def assignment_reply(*, assignment_id: int, actor, reply_text: str, attachments: Sequence = (),
                     expected_version: int | None = None) -> Assignment:
    """The unit's reply. When it is the last open part, the handler's answer clock starts."""
    reply_text = _clean_text(reply_text, max_length=REPLY_MAX, error=ERR_REPLY, field="reply_text")
    now = timezone.now()
    with transaction.atomic():
        before = Assignment.objects.get(pk=assignment_id)
        on_time = deadlines_on_time(before, today=timezone.localdate(now))
        part = ASSIGNMENT_FLOW.apply(obj_id=assignment_id, action="reply", actor=actor,
                                     expected_version=expected_version,
                                     extra_updates={"reply_text": reply_text, "replied_at": now, "replied_by": actor,
                                                    "on_time": on_time})
        deadlines_meet(part, actor=actor)
        for upload in attachments:
            attachment_create(upload=upload, allowed=DOCUMENTS, uploaded_by=actor,
                              congress=part.congress_id, owner=part)
        opinion = Opinion.objects.select_for_update().get(pk=part.opinion_id)
        record_event(obj=opinion, action="unit_replied", actor=actor, note=part.unit.name)
        if not Assignment.objects.filter(opinion=opinion, status__in=Assignment.ACTIVE_STATES).exists():
            deadline_create(obj=opinion, policy_code="opinion_answer", start=timezone.localdate(now),
                            owner_user=_handler_owner(opinion))
        opinion.current_due = opinion_sync_due(opinion.pk)
        notify_users_later(lambda: handler_users(opinion), subject=_("承办单位已答复：%(t)s") % {"t": opinion.title},
                           body=_("%(unit)s 已答复，请查看后答复群众。") % {"unit": part.unit.name}, url=_url(opinion),
                           dedupe_key=f"assignment:{part.pk}:replied", congress=opinion.congress_id)
    return part


# --- staff actions ---------------------------------------------------------------------------------------
def _locked_for_manage(opinion_id: int, actor, expected_version: int | None = None) -> Opinion:
    opinion = Opinion.objects.select_for_update().get(pk=opinion_id)
    if expected_version is not None and opinion.version != expected_version:
        raise ConflictError(gettext_lazy("该事项已被他人处理（状态已变化），请刷新后重试。"))
    if not actor.has_perm("opinions.manage", opinion):
        raise PermissionDenied
    return opinion


def opinion_reassign(*, opinion_id: int, actor, deputy_id: int | None = None, station_id: int | None = None,
                     note: str, expected_version: int | None = None) -> Opinion:
    """Change the deputy or station an item is addressed to (only before it is forwarded or answered).

    Bumps the version, so a deputy acting on the page they loaded before gets a conflict.
    """
    from renda.deputies.models import Deputy, LiaisonStation

    note = _clean_text(note, max_length=NOTE_MAX, error=ERR_NOTE, field="note")
    if bool(deputy_id) == bool(station_id):
        raise ValidationError({"deputy": [ERR_ADDRESSEE]}, code="addressee")
    with transaction.atomic():
        opinion = _locked_for_manage(opinion_id, actor, expected_version)
        if opinion.status not in (S.SUBMITTED, S.ACCEPTED):
            raise ConflictError(ERR_REASSIGN_STATE, code="invalid_state")
        old = opinion.addressee_name()
        if deputy_id:
            target = Deputy.objects.filter(pk=deputy_id, congress_id=opinion.congress_id, status="active").first()
            if target is None:
                raise ValidationError({"deputy": [ERR_ADDRESSEE]}, code="addressee")
            opinion.deputy, opinion.station = target, None
        else:
            target = LiaisonStation.objects.filter(pk=station_id, congress_id=opinion.congress_id).first()
            if target is None:
                raise ValidationError({"station": [ERR_ADDRESSEE]}, code="addressee")
            opinion.deputy, opinion.station = None, target
        opinion.version += 1
        opinion.save(update_fields=["deputy", "station", "version", "updated_at"])
        owner = _handler_owner(opinion)
        deadlines_open(opinion).update(owner_user=owner)
        record_event(obj=opinion, action="reassign" if old else "route", actor=actor,
                     note=_("%(old)s → %(new)s：%(note)s") % {"old": old, "new": opinion.addressee_name(),
                                                             "note": note})
        notify_users_later(lambda: handler_users(opinion),
                           subject=_("改派给您的群众意见：%(t)s") % {"t": opinion.title},
                           body=note, url=_url(opinion),
                           dedupe_key=f"opinion:{opinion.pk}:reassigned:{opinion.version}",
                           congress=opinion.congress_id)
    return opinion


def opinion_remind(*, opinion_id: int, actor, text: str) -> Note:
    """催办: a reminder to whoever holds the item now (the open units' parts, or the handler)."""
    text = _clean_text(text, max_length=NOTE_MAX, error=ERR_NOTE, field="text")
    with transaction.atomic():
        opinion = _locked_for_manage(opinion_id, actor)
        if not opinion.is_open:
            raise ConflictError(gettext_lazy("该意见已办结，无需催办。"), code="invalid_state")
        note = Note.objects.create(opinion=opinion, kind=Note.Kind.REMINDER, text=text, author=actor)
        record_event(obj=opinion, action="remind", actor=actor, note=text)
        parts = list(Assignment.objects.filter(opinion=opinion, status__in=Assignment.ACTIVE_STATES))
        if parts:
            def users():
                return unit_users(*(p.unit_id for p in parts))
        else:
            def users():
                return handler_users(opinion)
        notify_users_later(users, subject=_("催办：%(t)s") % {"t": opinion.title}, body=text, url=_url(opinion),
                           dedupe_key=f"opinion:{opinion.pk}:remind:{note.pk}", congress=opinion.congress_id)
    return note


def opinion_extend(*, opinion_id: int, actor, extra_days: int, reason: str, assignment_id: int | None = None
                   ) -> Opinion:
    """Extend the open deadline of the item (or of one unit's part) by working days, with a reason."""
    reason = _clean_text(reason, max_length=NOTE_MAX, error=ERR_NOTE, field="reason")
    with transaction.atomic():
        opinion = _locked_for_manage(opinion_id, actor)
        target = opinion
        if assignment_id:
            target = Assignment.objects.filter(pk=assignment_id, opinion=opinion).first()
            if target is None:
                raise ValidationError({"assignment": [ERR_NO_DEADLINE]}, code="no_deadline")
        deadlines = list(deadlines_open(target))
        if not deadlines:
            raise ValidationError({"extra_days": [ERR_NO_DEADLINE]}, code="no_deadline")
        for d in deadlines:
            deadline_extend(deadline=d, extra=extra_days, reason=reason, actor=actor)
        record_event(obj=opinion, action="extend", actor=actor,
                     note=_("延长 %(n)s 个工作日：%(r)s") % {"n": extra_days, "r": reason})
        opinion.refresh_from_db()
    return opinion


def opinion_merge(*, opinion_id: int, into_id: int, actor, note: str, expected_version: int | None = None) -> Opinion:
    """并: the same request from another citizen is handled once with ``into``; its citizen still gets
    the reply (or the decline) and rates it."""
    note = _clean_text(note, max_length=NOTE_MAX, error=ERR_NOTE, field="note")
    if int(opinion_id) == int(into_id):
        raise ValidationError({"into": [ERR_MERGE_SELF]}, code="merge_self")
    with transaction.atomic():
        item = Opinion.objects.get(pk=opinion_id)
        into = Opinion.objects.select_for_update().filter(pk=into_id, congress_id=item.congress_id).exclude(
            status=S.MERGED).first()
        if into is None:
            raise ValidationError({"into": [ERR_MERGE_TARGET]}, code="merge_target")
        opinion = OPINION_FLOW.apply(obj_id=opinion_id, action="merge", actor=actor, note=note,
                                     expected_version=expected_version, extra_updates={"merged_into": into})
        deadlines_cancel(opinion, actor=actor, note=_("已合并到 %(code)s") % {"code": into.tracking_code})
        opinion.current_due = opinion_sync_due(opinion.pk)
        record_event(obj=into, action="merged_item", actor=actor,
                     note=_("合并 %(code)s：%(note)s") % {"code": opinion.tracking_code, "note": note})
        if into.status in (S.REPLIED, S.CLOSED):
            opinion = OPINION_FLOW.apply(obj_id=opinion.pk, action="merged_reply", actor=SYSTEM,
                                         extra_updates={"reply_text": into.reply_text, "replied_at": timezone.now()})
        elif into.status == S.DECLINED:
            opinion = OPINION_FLOW.apply(obj_id=opinion.pk, action="merged_decline", actor=SYSTEM,
                                         note=into.decline_reason, extra_updates={"decline_reason": into.decline_reason,
                                                                                  "closed_at": timezone.now()})
    return opinion


def redaction_suggest(opinion: Opinion) -> dict[str, str]:
    """A first redaction for publication: phone and ID numbers and the citizen's name masked."""
    def scrub(text: str) -> str:
        return mask_free_text(text, names=(opinion.citizen_name,))

    return {"title": scrub(opinion.title), "text": scrub(opinion.text), "reply": scrub(opinion.reply_text)}


def opinion_publish(*, opinion_id: int, actor, title: str, text: str, reply: str) -> Opinion:
    """Publish the redacted copy; the original stays for staff. Only answered items."""
    title = _clean_text(title, max_length=TITLE_MAX, error=ERR_TITLE, field="title")
    text = _clean_text(text, max_length=TEXT_MAX, error=ERR_TEXT, field="text")
    reply = _clean_text(reply, max_length=REPLY_MAX, error=ERR_REPLY, field="reply")
    with transaction.atomic():
        opinion = _locked_for_manage(opinion_id, actor)
        if opinion.status not in (S.REPLIED, S.CLOSED):
            raise ConflictError(ERR_PUBLISH_STATE, code="invalid_state")
        opinion.is_published = True
        opinion.published_title, opinion.published_text, opinion.published_reply = title, text, reply
        opinion.published_at, opinion.published_by = timezone.now(), actor
        opinion.save(update_fields=["is_published", "published_title", "published_text", "published_reply",
                                    "published_at", "published_by", "updated_at"])
        record_event(obj=opinion, action="publish", actor=actor)
    return opinion


def opinion_unpublish(*, opinion_id: int, actor) -> Opinion:
    with transaction.atomic():
        opinion = _locked_for_manage(opinion_id, actor)
        opinion.is_published = False
        opinion.save(update_fields=["is_published", "updated_at"])
        record_event(obj=opinion, action="unpublish", actor=actor)
    return opinion


def opinion_erase_contact(*, opinion_id: int, actor, reason: str) -> Opinion:
    """Delete the citizen's personal data on request; the anonymised item and its history stay.

    Afterwards the tracking code alone opens the item (like an anonymous one).
    """
    reason = _clean_text(reason, max_length=NOTE_MAX, error=ERR_NOTE, field="reason")
    with transaction.atomic():
        opinion = _locked_for_manage(opinion_id, actor)
        opinion.citizen_name = opinion.citizen_phone = opinion.citizen_email = opinion.address = ""
        opinion.lat = opinion.long = None
        opinion.save(update_fields=["citizen_name", "citizen_phone", "citizen_email", "address", "lat", "long",
                                    "updated_at"])
        record_event(obj=opinion, action="erase_contact", actor=actor, note=reason)
    return opinion


# --- Open311 keys ---------------------------------------------------------------------------------------
def api_key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_key_create(*, actor, congress, name: str) -> tuple[ApiKey, str]:
    """A new Open311 key; the raw key is returned once and only its hash is stored."""
    name = _clean_text(name, max_length=100, error=ERR_KEY_NAME, field="name")
    if not actor.has_perm("opinions.manage", Opinion(congress_id=getattr(congress, "pk", congress))):
        raise PermissionDenied
    raw = "o311_" + secrets.token_urlsafe(24)
    key = ApiKey.objects.create(congress_id=getattr(congress, "pk", congress), name=name, prefix=raw[:12],
                                key_hash=api_key_hash(raw), created_by=actor if actor.pk else None)
    return key, raw


def api_key_revoke(*, actor, key_id: int) -> ApiKey:
    key = ApiKey.objects.get(pk=key_id)
    if not actor.has_perm("opinions.manage", Opinion(congress_id=key.congress_id)):
        raise PermissionDenied
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
    return key


def api_key_authenticate(raw: str) -> ApiKey | None:
    if not raw or not isinstance(raw, str) or len(raw) > 100:
        return None
    key = ApiKey.objects.filter(key_hash=api_key_hash(raw), revoked_at__isnull=True).first()
    if key is not None:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key
