"""Writes of suggestion handling. Pages and the API call only these.

Each function is one step: it checks input and permission, changes the state through the
transition tables in workflow.py (which write exactly one Event), starts or stops the step's
deadlines, and schedules notifications with transaction.on_commit so nobody is told about a step
that rolled back. The legal clocks (docs/workflows/suggestions.md):

- a unit signs or asks to return its part within 7 working days of assignment (`suggestion_sign`);
- co-units send their views to the lead within 1 month (`coop_views`);
- the lead (or each unit handling separately) replies within 3 months of assignment
  (`suggestion_reply`), extended with approval to at most 6 months in total;
- after 不满意, the unit re-handles and replies again within 1 month (`suggestion_rehandle`).
"""

import datetime
import functools
from collections.abc import Iterable, Sequence

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core.attachments import DOCUMENTS, attachment_create
from renda.core.masking import mask_free_text
from renda.core.notify.services import notify_users_later
from renda.core.search.services import index_object
from renda.core.validation import clean_text, field_error
from renda.core.workdays.calendar import CALENDAR_MAX_YEAR, CALENDAR_MIN_YEAR
from renda.core.workdays.models import Deadline
from renda.core.workdays.services import (
    deadline_create,
    deadline_extend,
    deadlines_cancel,
    deadlines_meet,
    deadlines_on_time,
    deadlines_open,
)
from renda.core.workdays.signals import deadlines_changed
from renda.core.workflow import ConflictError, has_permission, record_event
from renda.org.selectors import office_users, unit_users

from .models import (
    MAX_EXTENSION_MONTHS,
    NOTE_MAX,
    PROPOSAL_MAX,
    REPLY_MAX,
    SECTION_MAX,
    TITLE_MAX,
    Assignment,
    Category,
    Contact,
    Extension,
    KeySupervision,
    Milestone,
    Note,
    Period,
    Rating,
    Reply,
    Signer,
    Suggestion,
)
from .rules import signed_q
from .selectors import current_replies, open_periods
from .workflow import ASSIGNMENT_FLOW, EXTENSION_FLOW, SIGNER_FLOW, SUGGESTION_FLOW, SYSTEM

S = Suggestion.Status
A = Assignment.Status

ERR_TITLE = gettext_lazy("请填写标题（不超过 %(max)s 字）。") % {"max": TITLE_MAX}
ERR_SECTION = gettext_lazy("现状、问题各不超过 %(max)s 字。") % {"max": SECTION_MAX}
ERR_PROPOSAL = gettext_lazy("请填写具体建议（不超过 %(max)s 字）。") % {"max": PROPOSAL_MAX}
ERR_CATEGORY = gettext_lazy("请选择建议类别。")
ERR_NOT_DEPUTY = gettext_lazy("请以人大代表身份起草建议。")
ERR_UNIT_UNKNOWN = gettext_lazy("所选承办单位不存在或不属于本级人大。")
ERR_NOT_EDITABLE = gettext_lazy("建议已提交，不能再修改。")
ERR_DEPUTY_UNKNOWN = gettext_lazy("所选代表不存在、不在任或不属于本级人大。")
ERR_ALREADY_SIGNER = gettext_lazy("该代表已在联名名单中。")
ERR_NOT_INVITED = gettext_lazy("您没有被邀请联名这件建议，或已经答复过。")
ERR_PENDING_SIGNERS = gettext_lazy("还有代表未确认联名：%(names)s。请待其确认，或取消对其的邀请后再提交。")
ERR_NO_PERIOD = gettext_lazy("当前没有正在征集建议的时段，请在征集期内提交。")
ERR_PERIOD = gettext_lazy("所选征集期不存在或已截止。")
ERR_PERIOD_NAME = gettext_lazy("请填写征集期名称（不超过 100 字）。")
ERR_PERIOD_KIND = gettext_lazy("请选择大会期间或闭会期间。")
ERR_YEAR = gettext_lazy("年度须在 2000 至 2099 之间。")
ERR_NOTE = gettext_lazy("请填写内容（不超过 %(max)s 字）。") % {"max": NOTE_MAX}
ERR_MERGE_SELF = gettext_lazy("不能并入自身。")
ERR_MERGE_TARGET = gettext_lazy("目标建议不存在、不属于同一人大，或尚未立案。")
ERR_MODE = gettext_lazy("请选择办理方式：主办协办或分别办理。")
ERR_LEAD = gettext_lazy("请选择一个主办单位。")
ERR_CO_LEAD = gettext_lazy("主办单位不能同时是协办单位。")
ERR_SEPARATE = gettext_lazy("分别办理须选择至少两个承办单位。")
ERR_UNIT_DUPLICATE = gettext_lazy("该单位已在办理此建议。")
ERR_RETURN_LATE = gettext_lazy("已超过交办之日起 7 个工作日（截至 %(due)s），不能再申请退回，请与代表工委联系。")
ERR_CONTACT_DATE = gettext_lazy("联系日期须在交办之日与今天之间。")
ERR_CONTACT_FORM = gettext_lazy("请选择联系方式。")
ERR_CONTACT_DEPUTY = gettext_lazy("请选择提出建议的代表。")
ERR_CONTACT_FIRST = gettext_lazy("答复前须先与代表联系（办前联系），请先填写联系记录。")
ERR_VIEWS_PENDING = gettext_lazy("协办单位尚未提出协办意见：%(units)s。")
ERR_ROLE_VIEWS = gettext_lazy("只有协办单位提出协办意见。")
ERR_ROLE_REPLY = gettext_lazy("协办单位不直接答复代表，请提交协办意见。")
ERR_OUTCOME = gettext_lazy("请选择办理结果（A、B、C、D）。")
ERR_REPLY = gettext_lazy("请填写答复内容（不超过 %(max)s 字）。") % {"max": REPLY_MAX}
ERR_PDF = gettext_lazy("请上传加盖公章的答复函（PDF）。")
ERR_COMMITTED = gettext_lazy("B类答复须填写承诺解决时间（今天以后）。")
ERR_RATING = gettext_lazy("请选择满意、基本满意或不满意。")
ERR_NOT_RATER = gettext_lazy("只有提出建议的代表可以评价答复。")
ERR_NOT_CURRENT = gettext_lazy("这份答复已不是最新答复，或当前不能评价。")
ERR_RATED = gettext_lazy("您已评价过这份答复。")
ERR_EXT_MONTHS = gettext_lazy("延期须为 1 至 %(max)s 个月，且累计不超过 6 个月（已延期 %(used)s 个月）。")
ERR_EXT_STATE = gettext_lazy("该承办任务当前不能申请延期。")
ERR_EXT_PENDING = gettext_lazy("已有待审批的延期申请。")
ERR_EXT_DECIDED = gettext_lazy("该延期申请已审批。")
ERR_KEY_STATE = gettext_lazy("只有已立案的建议可以列为重点督办。")
ERR_KEY_LEADER = gettext_lazy("请选择督办领导（本级常委会组成人员）。")
ERR_KEY_EXISTS = gettext_lazy("该建议已是重点督办建议。")
ERR_MILESTONE = gettext_lazy("督办节点须有日期和内容（不超过 200 字）。")
ERR_PUBLISH_STATE = gettext_lazy("只有已答复的建议才能公开。")
ERR_FINISH = gettext_lazy("请在全部答复后再办结。")
ERR_DATE = gettext_lazy("请填写 %(min)s 至 %(max)s 年之间的有效日期。") % {
    "min": CALENDAR_MIN_YEAR, "max": CALENDAR_MAX_YEAR}
ERR_YES_NO = gettext_lazy("请选择是或否。")
ERR_FILES = gettext_lazy("附件须为上传的文件。")
ERR_ATTACH_COUNT = gettext_lazy("请上传 1 至 5 个附件。")
ERR_ATTACH_SEALED = gettext_lazy("答复代表的函件已随答复送出，不能再添加附件。")

SUPERVISING_OFFICE_CODE = "daibiao"  # 代表工委: supervises suggestion deadlines where it exists


# --- helpers ----------------------------------------------------------------------------------------------
def _today() -> datetime.date:
    return timezone.localdate()


def _user(actor):
    """The actor as a stored user for "who did it" columns; None for an actor without a row (the system,
    a demo actor)."""
    return actor if getattr(actor, "pk", None) else None


def _seat(actor):
    """The deputy seat the actor is acting in, or None."""
    a = getattr(actor, "active_assignment", None)
    return a.deputy if a is not None and a.role == "deputy" else None


MAX_ID = 2**63 - 1


def _pk(value) -> int | None:
    """An id as the database can hold it (1..2**63-1), or None: "abc", 1.5, True, {…} and 10**30 are not ids."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    return value if isinstance(value, int) and 1 <= value <= MAX_ID else None


def _object_ids(*names: str):
    """The named *_id arguments must be ids, else the object "does not exist" (as the selectors say)."""

    def wrap(fn):
        @functools.wraps(fn)
        def inner(*args, **kwargs):
            for name in names:
                if name in kwargs:
                    pk = _pk(kwargs[name])
                    if pk is None:
                        raise ObjectDoesNotExist(f"{name}: not an id")
                    kwargs[name] = pk
            return fn(*args, **kwargs)

        return inner

    return wrap


def _field_id(value, field: str, error, code: str = "unknown") -> int:
    pk = _pk(value)
    if pk is None:
        raise field_error(field, error, code)
    return pk


def _int_ids(values, field: str, error) -> list[int]:
    if isinstance(values, str | bytes | dict) or not isinstance(values, list | tuple | set | frozenset | type(None)):
        raise field_error(field, error, "unknown")
    return sorted({_field_id(v, field, error) for v in values or ()})


def _day(value, field: str, error=None, code: str = "date") -> datetime.date:
    """A calendar date within the working-day calendar's years (a datetime is not a date here)."""
    if (not isinstance(value, datetime.date) or isinstance(value, datetime.datetime)
            or not CALENDAR_MIN_YEAR <= value.year <= CALENDAR_MAX_YEAR):
        raise field_error(field, error or ERR_DATE, code)
    return value


def _yes_no(value, field: str) -> bool:
    if not isinstance(value, bool):
        raise field_error(field, ERR_YES_NO, "invalid")
    return value


def _is_upload(value) -> bool:
    return not isinstance(value, str | bytes) and hasattr(value, "read") and hasattr(value, "size")


def _uploads(values, field: str) -> list:
    if values is None:
        return []
    if isinstance(values, str | bytes) or not all(_is_upload(v) for v in values):
        raise field_error(field, ERR_FILES, "invalid")
    return list(values)


def _units(congress_id: int, unit_ids, *, field: str = "units") -> list:
    from renda.org.models import Unit

    ids = _int_ids(unit_ids, field, ERR_UNIT_UNKNOWN)
    units = list(Unit.objects.filter(pk__in=ids, congress_id=congress_id, is_active=True))
    if len(units) != len(ids):
        raise field_error(field, ERR_UNIT_UNKNOWN, "unit_unknown")
    return units


def deputy_users(deputy_ids: Iterable[int]) -> list:
    from renda.accounts.models import User

    return list(User.objects.filter(is_active=True, assignments__role="deputy",
                                    assignments__deputy_id__in=list(deputy_ids),
                                    assignments__is_active=True).distinct())


def signer_deputy_ids(suggestion_id: int, *, confirmed_only: bool = True) -> list[int]:
    """The deputies of this suggestion and of those merged into it: they get its replies and rate them."""
    qs = Signer.objects.filter(signed_q(suggestion_id))
    qs = qs.filter(status=Signer.Status.CONFIRMED) if confirmed_only else qs.exclude(status=Signer.Status.DECLINED)
    return sorted(set(qs.values_list("deputy_id", flat=True)))


def _notify_signers_later(s: Suggestion, *, subject: str, body: str, key: str) -> None:
    notify_users_later(lambda: deputy_users(signer_deputy_ids(s.pk)), subject=subject, body=body,
                       url=s.get_absolute_url(), dedupe_key=key, congress=s.congress_id)


ANSWER_CLOCKS = ("suggestion_reply", "coop_views", "suggestion_rehandle")


def sync_due(suggestion_id: int) -> datetime.date | None:
    """Copy the open answer deadlines onto the parts (`due`) and the earliest answering one onto the suggestion."""
    return sync_dues([suggestion_id])[suggestion_id]


SYNC_CHUNK = 500


def sync_dues(suggestion_ids: Iterable[int]) -> dict[int, datetime.date | None]:
    """sync_due for many suggestions (a calendar edit moves thousands of clocks): four queries per 500
    suggestions, however many parts they have. Returns each suggestion's new due date."""
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Assignment)
    ids = sorted(set(suggestion_ids))
    dues: dict[int, datetime.date | None] = {}
    for start in range(0, len(ids), SYNC_CHUNK):
        chunk = ids[start:start + SYNC_CHUNK]
        parts = list(Assignment.objects.filter(suggestion_id__in=chunk).only("id", "suggestion_id", "role", "due"))
        open_due = dict(Deadline.objects.filter(content_type=ct, object_id__in=[p.pk for p in parts],
                                                state=Deadline.State.OPEN, policy__code__in=ANSWER_CLOCKS)
                        .values_list("object_id", "due"))
        changed = []
        for p in parts:
            due = open_due.get(p.pk)
            if p.due != due:
                p.due = due
                changed.append(p)
        Assignment.objects.bulk_update(changed, ["due"])
        earliest: dict[int, datetime.date | None] = dict.fromkeys(chunk)
        for p in parts:
            if p.role in Assignment.ANSWERING and p.due is not None:
                current = earliest[p.suggestion_id]
                earliest[p.suggestion_id] = p.due if current is None else min(current, p.due)
        Suggestion.objects.bulk_update([Suggestion(pk=sid, due=due) for sid, due in earliest.items()], ["due"])
        dues.update(earliest)
    return dues


@receiver(deadlines_changed)
def _on_deadlines_changed(sender, deadlines, **kwargs) -> None:
    """A calendar edit or an extension moved due dates: refresh the copies on parts and suggestions."""
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Assignment)
    part_ids = [d.object_id for d in deadlines if d.content_type_id == ct.pk]
    if part_ids:
        sync_dues(Assignment.objects.filter(pk__in=part_ids).values_list("suggestion_id", flat=True).distinct())


def _supervising_office(congress_id: int):
    from renda.org.models import Office

    return Office.objects.filter(congress_id=congress_id, code=SUPERVISING_OFFICE_CODE).first()


# --- periods ----------------------------------------------------------------------------------------------
def _check_periods(actor, congress) -> None:
    if not actor.has_perm("suggestions.manage_periods", congress):
        raise PermissionDenied


def period_create(*, actor, congress, kind: str, year: int, name: str, number_prefix: str = "",
                  closes_at: datetime.datetime | None = None) -> Period:
    _check_periods(actor, congress)
    if kind not in Period.Kind.values:
        raise field_error("kind", ERR_PERIOD_KIND)
    if not isinstance(year, int) or not 2000 <= year <= 2099:
        raise field_error("year", ERR_YEAR)
    name = clean_text(name, max_length=100, error=ERR_PERIOD_NAME, field="name")
    number_prefix = clean_text(number_prefix, max_length=30, error=ERR_PERIOD_NAME, field="number_prefix",
                               required=False)
    if Period.objects.filter(congress=congress, year=year, kind=kind, name=name).exists():
        raise field_error("name", gettext_lazy("已有同名的征集期。"), "duplicate")
    return Period.objects.create(congress=congress, kind=kind, year=year, name=name, number_prefix=number_prefix,
                                 closes_at=closes_at)


@_object_ids("period_id")
def period_open(*, actor, period_id: int, closes_at: datetime.datetime | None = None) -> Period:
    with transaction.atomic():
        period = Period.objects.select_for_update().get(pk=period_id)
        _check_periods(actor, period.congress)
        period.is_open, period.opened_at, period.closed_at, period.closes_at = True, timezone.now(), None, closes_at
        period.save(update_fields=["is_open", "opened_at", "closed_at", "closes_at"])
    return period


@_object_ids("period_id")
def period_close(*, actor, period_id: int) -> Period:
    with transaction.atomic():
        period = Period.objects.select_for_update().get(pk=period_id)
        _check_periods(actor, period.congress)
        period.is_open, period.closed_at = False, timezone.now()
        period.save(update_fields=["is_open", "closed_at"])
    return period


# --- drafting and co-signing -------------------------------------------------------------------------------
def _clean_draft(*, congress_id: int, category_id, title, situation, problem, proposal) -> dict:
    try:
        category = Category.objects.get(pk=int(category_id), is_active=True)
    except (TypeError, ValueError, Category.DoesNotExist):
        raise field_error("category", ERR_CATEGORY, "category") from None
    return {
        "category": category,
        "title": clean_text(title, max_length=TITLE_MAX, error=ERR_TITLE, field="title"),
        "situation": clean_text(situation, max_length=SECTION_MAX, error=ERR_SECTION, field="situation",
                                required=False),
        "problem": clean_text(problem, max_length=SECTION_MAX, error=ERR_SECTION, field="problem", required=False),
        "proposal": clean_text(proposal, max_length=PROPOSAL_MAX, error=ERR_PROPOSAL, field="proposal"),
    }


def suggestion_create(*, actor, category_id, title: str, proposal: str, situation: str = "", problem: str = "",
                      unit_ids: Sequence = (), attachments: Sequence = ()) -> Suggestion:
    """A new draft by the deputy the actor is acting as; the author signs it at once."""
    seat = _seat(actor)
    if seat is None or not actor.has_perm("suggestions.draft"):
        raise PermissionDenied(ERR_NOT_DEPUTY)
    fields = _clean_draft(congress_id=seat.congress_id, category_id=category_id, title=title, situation=situation,
                          problem=problem, proposal=proposal)
    units = _units(seat.congress_id, unit_ids, field="proposed_units")
    with transaction.atomic():
        s = Suggestion.objects.create(congress_id=seat.congress_id, author=seat, **fields)
        s.proposed_units.set(units)
        Signer.objects.create(suggestion=s, deputy=seat, is_author=True, status=Signer.Status.CONFIRMED,
                              responded_at=timezone.now())
        for upload in attachments:
            attachment_create(upload=upload, allowed=DOCUMENTS, uploaded_by=actor, congress=s.congress_id, owner=s)
        record_event(obj=s, action="create", actor=actor, to_state=S.DRAFT)
    return s


def _check_author(s: Suggestion, actor) -> None:
    """Editing a draft and inviting co-signers are the author's own acts, like the personal transitions
    submit and withdraw (workflow.py): tested by the rule itself, so no superuser acts for a deputy."""
    if not has_permission(actor, "suggestions.author", s, personal=True):
        raise PermissionDenied


def _locked_editable(suggestion_id: int, actor, expected_version: int | None) -> Suggestion:
    s = Suggestion.objects.select_for_update().get(pk=suggestion_id)
    _check_author(s, actor)
    if expected_version is not None and s.version != expected_version:
        raise ConflictError(gettext_lazy("建议已被修改，请刷新后重试。"))
    if s.status not in Suggestion.EDITABLE:
        raise ConflictError(ERR_NOT_EDITABLE, code="invalid_state")
    return s


@_object_ids("suggestion_id")
def suggestion_update(*, actor, suggestion_id: int, category_id, title: str, proposal: str, situation: str = "",
                      problem: str = "", unit_ids: Sequence = (), attachments: Sequence = (),
                      expected_version: int | None = None) -> Suggestion:
    """The author edits a draft, or a suggestion sent back for revision."""
    with transaction.atomic():
        s = _locked_editable(suggestion_id, actor, expected_version)
        fields = _clean_draft(congress_id=s.congress_id, category_id=category_id, title=title, situation=situation,
                              problem=problem, proposal=proposal)
        units = _units(s.congress_id, unit_ids, field="proposed_units")
        for name, value in fields.items():
            setattr(s, name, value)
        s.version += 1
        s.save(update_fields=[*fields, "version", "updated_at"])
        s.proposed_units.set(units)
        for upload in attachments:
            attachment_create(upload=upload, allowed=DOCUMENTS, uploaded_by=actor, congress=s.congress_id, owner=s)
        record_event(obj=s, action="edit", actor=actor, from_state=s.status, to_state=s.status)
    return s


MAX_FILES = 5


def _some_uploads(attachments) -> list:
    files = _uploads(attachments, "attachments")
    if not files or len(files) > MAX_FILES:
        raise field_error("attachments", ERR_ATTACH_COUNT, "attachments_count")
    return files


@_object_ids("suggestion_id")
def suggestion_attach(*, actor, suggestion_id: int, attachments: Sequence) -> list:
    """The author adds files to a draft (or to a suggestion sent back for revision)."""
    files = _some_uploads(attachments)
    with transaction.atomic():
        s = _locked_editable(suggestion_id, actor, None)
        stored = [attachment_create(upload=f, allowed=DOCUMENTS, uploaded_by=_user(actor), congress=s.congress_id,
                                    owner=s) for f in files]
        record_event(obj=s, action="edit", actor=actor, from_state=s.status, to_state=s.status,
                     note="、".join(a.original_name for a in stored))
    return stored


@_object_ids("reply_id")
def reply_attach(*, actor, reply_id: int, attachments: Sequence) -> list:
    """A unit adds files to its own co-unit views or B progress report. A reply to the deputies is
    sealed with its letter when sent, so it takes no files afterwards."""
    files = _some_uploads(attachments)
    with transaction.atomic():
        reply = Reply.objects.select_related("assignment").select_for_update().get(pk=reply_id)
        if not actor.has_perm("suggestions.handle_assignment", reply.assignment):
            raise PermissionDenied
        if reply.kind not in (Reply.Kind.VIEWS, Reply.Kind.PROGRESS):
            raise ConflictError(ERR_ATTACH_SEALED, code="invalid_state")
        return [attachment_create(upload=f, allowed=DOCUMENTS, uploaded_by=_user(actor),
                                  congress=reply.assignment.congress_id, owner=reply) for f in files]


@_object_ids("suggestion_id")
def signer_invite(*, actor, suggestion_id: int, deputy_ids: Sequence) -> list[Signer]:
    """The author invites co-signers (联名): deputies of the same congress, each confirms on their phone."""
    from renda.deputies.models import Deputy

    with transaction.atomic():
        s = _locked_editable(suggestion_id, actor, None)
        ids = _int_ids(deputy_ids, "deputies", ERR_DEPUTY_UNKNOWN)
        if not ids:
            raise field_error("deputies", ERR_DEPUTY_UNKNOWN, "required")
        deputies = list(Deputy.objects.select_related("person").filter(
            pk__in=ids, congress_id=s.congress_id, status=Deputy.Status.ACTIVE))
        if len(deputies) != len(ids):
            raise field_error("deputies", ERR_DEPUTY_UNKNOWN, "deputy_unknown")
        existing = dict(Signer.objects.filter(suggestion=s, deputy_id__in=ids).values_list("deputy_id", "status"))
        if any(status != Signer.Status.DECLINED for status in existing.values()):
            raise field_error("deputies", ERR_ALREADY_SIGNER, "duplicate")
        Signer.objects.filter(suggestion=s, deputy_id__in=list(existing)).delete()
        signers = [Signer.objects.create(suggestion=s, deputy=d) for d in deputies]
        record_event(obj=s, action="invite", actor=actor, note="、".join(d.person.name for d in deputies))
        notify_users_later(lambda: deputy_users(ids), subject=_("邀请您联名建议：%(t)s") % {"t": s.title},
                           body=_("%(author)s 代表邀请您联名提出建议，请查看后确认或谢绝。") % {
                               "author": s.author.person.name},
                           url=s.get_absolute_url(),
                           dedupe_key=f"suggestion:{s.pk}:invite:{s.version}:{','.join(map(str, ids))}",
                           congress=s.congress_id)
    return signers


@_object_ids("suggestion_id")
def signer_uninvite(*, actor, suggestion_id: int, deputy_id: int) -> None:
    with transaction.atomic():
        s = _locked_editable(suggestion_id, actor, None)
        signer = Signer.objects.select_related("deputy__person").filter(
            suggestion=s, deputy_id=_field_id(deputy_id, "deputy", ERR_DEPUTY_UNKNOWN), is_author=False).first()
        if signer is None:
            raise field_error("deputy", ERR_DEPUTY_UNKNOWN, "deputy_unknown")
        signer.delete()
        record_event(obj=s, action="uninvite", actor=actor, note=signer.deputy.person.name)


@_object_ids("suggestion_id")
def signer_respond(*, actor, suggestion_id: int, confirm: bool) -> Signer:
    """An invited deputy confirms (or declines) co-signing, acting in their own seat."""
    seat = _seat(actor)
    confirm = _yes_no(confirm, "confirm")
    with transaction.atomic():
        s = Suggestion.objects.select_for_update().get(pk=suggestion_id)
        signer = Signer.objects.filter(suggestion=s, deputy_id=getattr(seat, "pk", None),
                                       status=Signer.Status.INVITED).first()
        if signer is None:
            raise PermissionDenied(ERR_NOT_INVITED)
        if s.status not in Suggestion.EDITABLE:
            raise ConflictError(ERR_NOT_EDITABLE, code="invalid_state")
        signer = SIGNER_FLOW.apply(obj_id=signer.pk, action="cosign" if confirm else "cosign_decline", actor=actor,
                                   extra_updates={"responded_at": timezone.now()},
                                   queryset=Signer.objects.select_related("suggestion"))
        # The signature's own event above; this one is the suggestion's timeline entry.
        record_event(obj=s, action="cosign" if confirm else "cosign_decline", actor=actor, note=seat.person.name)
        notify_users_later(lambda: deputy_users([s.author_id]),
                           subject=(_("%(name)s 已确认联名") if confirm else _("%(name)s 谢绝联名")) % {
                               "name": seat.person.name},
                           body=s.title, url=s.get_absolute_url(), dedupe_key=f"suggestion:{s.pk}:respond:{signer.pk}",
                           congress=s.congress_id)
    return signer


@_object_ids("suggestion_id")
def suggestion_submit(*, actor, suggestion_id: int, period_id: int | None = None,
                      expected_version: int | None = None) -> Suggestion:
    """Submit into an open period. Refused while an invited co-signer has not confirmed: nobody is
    submitted on behalf of a deputy who did not agree."""
    now = timezone.now()
    with transaction.atomic():
        current = Suggestion.objects.get(pk=suggestion_id)
        if not SUGGESTION_FLOW.permits("submit", actor, current):
            raise PermissionDenied  # before the checks below, which would tell others about the draft
        pending = list(Signer.objects.filter(suggestion_id=suggestion_id, status=Signer.Status.INVITED)
                       .select_related("deputy__person"))
        if pending:
            raise field_error("signers",
                              ERR_PENDING_SIGNERS % {"names": "、".join(p.deputy.person.name for p in pending)},
                              "signers_pending")
        periods = open_periods(current.congress_id, now=now)
        if period_id is not None:
            periods = [p for p in periods if p.pk == _pk(period_id)]
            if not periods:
                raise field_error("period", ERR_PERIOD, "period_closed")
        elif current.period_id and any(p.pk == current.period_id for p in periods):
            periods = [p for p in periods if p.pk == current.period_id]
        if not periods:
            raise field_error("period", ERR_NO_PERIOD, "period_closed")
        s = SUGGESTION_FLOW.apply(obj_id=suggestion_id, action="submit", actor=actor, expected_version=expected_version,
                                  extra_updates={"period": periods[0], "submitted_at": now})
        index_object(s)
        notify_users_later(lambda: office_users(s.congress_id), subject=_("新的代表建议：%(t)s") % {"t": s.title},
                           body=_("%(author)s 代表提交了建议，请审查。") % {"author": s.author.person.name},
                           url=s.get_absolute_url(), dedupe_key=f"suggestion:{s.pk}:submitted:{s.version}",
                           congress=s.congress_id)
    return s


@_object_ids("suggestion_id")
def suggestion_withdraw(*, actor, suggestion_id: int, expected_version: int | None = None) -> Suggestion:
    """The author takes the suggestion back; possible until staff have reviewed it."""
    return SUGGESTION_FLOW.apply(obj_id=suggestion_id, action="withdraw", actor=actor,
                                 expected_version=expected_version)


# --- review ---------------------------------------------------------------------------------------------------
@_object_ids("suggestion_id")
def suggestion_accept(*, actor, suggestion_id: int, expected_version: int | None = None) -> Suggestion:
    """立案: the suggestion gets the next number of its period."""
    with transaction.atomic():
        s = Suggestion.objects.get(pk=suggestion_id)
        period = Period.objects.select_for_update().get(pk=s.period_id)
        number = period.last_number + 1
        s = SUGGESTION_FLOW.apply(obj_id=suggestion_id, action="accept", actor=actor, expected_version=expected_version,
                                  extra_updates={"number": number, "reviewed_at": timezone.now()})
        Period.objects.filter(pk=period.pk).update(last_number=number)
        _notify_signers_later(s, subject=_("建议已立案：%(t)s") % {"t": s.title},
                              body=_("您的建议已立案，编号 %(n)s，将交有关单位办理。") % {"n": s.number_display},
                              key=f"suggestion:{s.pk}:accepted")
    return s


def _review(action: str, *, actor, suggestion_id: int, note: str, expected_version: int | None,
            subject: str) -> Suggestion:
    note = clean_text(note, max_length=NOTE_MAX, error=ERR_NOTE, field="note")
    with transaction.atomic():
        s = SUGGESTION_FLOW.apply(obj_id=suggestion_id, action=action, actor=actor, note=note,
                                  expected_version=expected_version,
                                  extra_updates={"review_note": note, "reviewed_at": timezone.now()})
        _notify_signers_later(s, subject=subject % {"t": s.title}, body=note,
                              key=f"suggestion:{s.pk}:{action}:{s.version}")
    return s


@_object_ids("suggestion_id")
def suggestion_decline(*, actor, suggestion_id: int, reason: str, expected_version: int | None = None) -> Suggestion:
    return _review("decline", actor=actor, suggestion_id=suggestion_id, note=reason, expected_version=expected_version,
                   subject=_("建议不予立案：%(t)s"))


@_object_ids("suggestion_id")
def suggestion_to_reference(*, actor, suggestion_id: int, reason: str, expected_version: int | None = None
                            ) -> Suggestion:
    return _review("to_reference", actor=actor, suggestion_id=suggestion_id, note=reason,
                   expected_version=expected_version, subject=_("建议转为参阅件：%(t)s"))


@_object_ids("suggestion_id")
def suggestion_send_back(*, actor, suggestion_id: int, note: str, expected_version: int | None = None) -> Suggestion:
    return _review("send_back", actor=actor, suggestion_id=suggestion_id, note=note, expected_version=expected_version,
                   subject=_("建议退回修改：%(t)s"))


@_object_ids("suggestion_id")
def suggestion_merge(*, actor, suggestion_id: int, into_id: int, note: str,
                     expected_version: int | None = None) -> Suggestion:
    """并案: handled once with the main suggestion; its deputies get the main one's replies and rate them."""
    note = clean_text(note, max_length=NOTE_MAX, error=ERR_NOTE, field="note")
    into_id = _field_id(into_id, "into", ERR_MERGE_TARGET)
    if suggestion_id == into_id:
        raise field_error("into", ERR_MERGE_SELF, "merge_self")
    with transaction.atomic():
        s0 = Suggestion.objects.get(pk=suggestion_id)
        target = Suggestion.objects.select_for_update().filter(
            pk=into_id, congress_id=s0.congress_id, merged_into__isnull=True,
            status__in=[S.ACCEPTED, S.HANDLING]).first()
        if target is None:
            raise field_error("into", ERR_MERGE_TARGET, "merge_target")
        s = SUGGESTION_FLOW.apply(obj_id=suggestion_id, action="merge", actor=actor, note=note,
                                  expected_version=expected_version,
                                  extra_updates={"merged_into": target, "reviewed_at": timezone.now()})
        # Suggestions merged into this one follow the new main suggestion too.
        Suggestion.objects.filter(merged_into=s).update(merged_into=target)
        record_event(obj=target, action="merged_item", actor=actor, note=f"{s.title}（{s.author.person.name}）")
        _notify_signers_later(s, subject=_("建议已并案办理：%(t)s") % {"t": s.title},
                              body=_("并入《%(main)s》一并办理，答复后请您评价。%(note)s") % {
                                  "main": target.title, "note": note},
                              key=f"suggestion:{s.pk}:merged")
    return s


# --- assignment -----------------------------------------------------------------------------------------------
def _create_part(s: Suggestion, unit, role: str, *, actor, note: str, start: datetime.date) -> Assignment:
    if Assignment.objects.filter(suggestion=s, unit=unit).exclude(status=A.WITHDRAWN).exists():
        raise field_error("units", ERR_UNIT_DUPLICATE, "unit_duplicate")
    part = Assignment.objects.create(congress_id=s.congress_id, suggestion=s, unit=unit, role=role, note=note,
                                     assigned_at=timezone.now(), assigned_by=_user(actor))
    office = _supervising_office(s.congress_id)
    deadline_create(obj=part, policy_code="suggestion_sign", start=start, owner_unit=unit, supervising_office=office,
                    congress=s.congress_id)
    answer = deadline_create(obj=part, policy_code="coop_views" if role == Assignment.Role.CO else "suggestion_reply",
                             start=start, owner_unit=unit, supervising_office=office, congress=s.congress_id)
    part.due = answer.due
    part.save(update_fields=["due"])
    record_event(obj=part, action="assign", actor=actor, to_state=A.ASSIGNED, note=note)
    notify_users_later(lambda uid=unit.pk: unit_users(uid), subject=_("交办代表建议：%(t)s") % {"t": s.title},
                       body=_("请在 7 个工作日内签收或申请退回，并在 %(due)s 前%(what)s。%(note)s") % {
                           "due": answer.due,
                           "what": _("提出协办意见") if role == Assignment.Role.CO else _("答复代表"),
                           "note": note},
                       url=part.get_absolute_url(), dedupe_key=f"suggestion_part:{part.pk}:new",
                       congress=s.congress_id)
    return part


@_object_ids("suggestion_id")
def suggestion_assign(*, actor, suggestion_id: int, mode: str, lead_unit_id=None, co_unit_ids: Sequence = (),
                      unit_ids: Sequence = (), note: str = "", expected_version: int | None = None) -> Suggestion:
    """交办: to one lead unit with co-units, or to several units separately. The 3-month clock starts today.

    Two staff assigning the same suggestion at once: the row lock and the state check let exactly
    one through; the other gets a conflict.
    """
    note = clean_text(note, max_length=NOTE_MAX, error=ERR_NOTE, field="note", required=False)
    with transaction.atomic():
        current = Suggestion.objects.get(pk=suggestion_id)
        if mode == Suggestion.Mode.LEAD:
            if lead_unit_id in (None, ""):
                raise field_error("lead_unit", ERR_LEAD, "required")
            (lead,) = _units(current.congress_id, [lead_unit_id], field="lead_unit")
            cos = _units(current.congress_id, co_unit_ids, field="co_units")
            if any(u.pk == lead.pk for u in cos):
                raise field_error("co_units", ERR_CO_LEAD, "co_is_lead")
            plan = [(lead, Assignment.Role.LEAD)] + [(u, Assignment.Role.CO) for u in cos]
        elif mode == Suggestion.Mode.SEPARATE:
            units = _units(current.congress_id, unit_ids, field="units")
            if len(units) < 2:
                raise field_error("units", ERR_SEPARATE, "too_few_units")
            plan = [(u, Assignment.Role.SEPARATE) for u in units]
        else:
            raise field_error("mode", ERR_MODE, "mode")
        now = timezone.now()
        s = SUGGESTION_FLOW.apply(
            obj_id=suggestion_id, action="assign", actor=actor, expected_version=expected_version,
            note=_("%(mode)s：%(units)s。%(note)s") % {
                "mode": Suggestion.Mode(mode).label,
                "units": "、".join(f"{u.name}（{Assignment.Role(r).label}）" for u, r in plan), "note": note},
            extra_updates={"mode": mode, "assigned_at": now})
        today = timezone.localdate(now)
        for unit, role in plan:
            _create_part(s, unit, role, actor=actor, note=note, start=today)
        s.due = sync_due(s.pk)
        _notify_signers_later(s, subject=_("建议已交办：%(t)s") % {"t": s.title},
                              body=_("已交 %(units)s 办理，答复期限 %(due)s。") % {
                                  "units": "、".join(u.name for u, _r in plan), "due": s.due},
                              key=f"suggestion:{s.pk}:assigned")
    return s


def suggestions_assign_bulk(*, actor, suggestion_ids: Sequence, **plan) -> tuple[list[Suggestion], dict[int, str]]:
    """Assign several accepted suggestions the same way. Each is its own step: one that fails (already
    assigned by somebody else, not allowed) is reported and the others go through."""
    done, failed = [], {}
    for sid in _int_ids(suggestion_ids, "suggestions", gettext_lazy("请选择建议。")):
        try:
            done.append(suggestion_assign(actor=actor, suggestion_id=sid, **plan))
        except ValidationError as e:
            failed[sid] = "；".join(e.messages)
        except (ConflictError, PermissionDenied, ObjectDoesNotExist) as e:
            failed[sid] = str(getattr(e, "message", "") or _("无权交办或建议不存在。"))
    return done, failed


# --- the units ---------------------------------------------------------------------------------------------------
def _part_for_unit(assignment_id: int, actor) -> Assignment:
    part = Assignment.objects.select_for_update().select_related("suggestion").get(pk=assignment_id)
    if not actor.has_perm("suggestions.handle_assignment", part):
        raise PermissionDenied
    return part


@_object_ids("assignment_id")
def assignment_sign(*, actor, assignment_id: int, expected_version: int | None = None) -> Assignment:
    with transaction.atomic():
        part = ASSIGNMENT_FLOW.apply(obj_id=assignment_id, action="sign", actor=actor,
                                     expected_version=expected_version,
                                     extra_updates={"signed_at": timezone.now()})
        deadlines_meet(part, "suggestion_sign", actor=actor)
    return part


@_object_ids("assignment_id")
def assignment_return(*, actor, assignment_id: int, reason: str, expected_version: int | None = None,
                      today: datetime.date | None = None) -> Assignment:
    """The unit asks to give the part back, with a reason, within 7 working days of assignment."""
    reason = clean_text(reason, max_length=NOTE_MAX, error=ERR_NOTE, field="reason")
    today = today or _today()
    with transaction.atomic():
        before = Assignment.objects.get(pk=assignment_id)
        window = deadlines_open(before, "suggestion_sign").first()
        if window is None or window.due < today:
            raise field_error("reason", ERR_RETURN_LATE % {"due": window.due if window else "—"}, "return_late")
        part = ASSIGNMENT_FLOW.apply(obj_id=assignment_id, action="return", actor=actor, note=reason,
                                     expected_version=expected_version, extra_updates={"return_reason": reason})
        deadlines_meet(part, "suggestion_sign", actor=actor)
        s = part.suggestion
        notify_users_later(lambda: office_users(part.congress_id),
                           subject=_("承办单位申请退回建议：%(t)s") % {"t": s.title},
                           body=_("%(unit)s 申请退回，理由：%(r)s") % {"unit": part.unit.name, "r": reason},
                           url=s.get_absolute_url(), dedupe_key=f"suggestion_part:{part.pk}:returned:{part.version}",
                           congress=part.congress_id)
    return part


@_object_ids("assignment_id")
def assignment_reject_return(*, actor, assignment_id: int, note: str, expected_version: int | None = None
                             ) -> Assignment:
    """Staff refuse the return: the unit keeps the part; its reply clock kept running from assignment."""
    note = clean_text(note, max_length=NOTE_MAX, error=ERR_NOTE, field="note")
    with transaction.atomic():
        part = ASSIGNMENT_FLOW.apply(obj_id=assignment_id, action="reject_return", actor=actor, note=note,
                                     expected_version=expected_version)
        notify_users_later(lambda: unit_users(part.unit_id),
                           subject=_("退回申请未获同意：%(t)s") % {"t": part.suggestion.title},
                           body=note, url=part.get_absolute_url(),
                           dedupe_key=f"suggestion_part:{part.pk}:kept:{part.version}",
                           congress=part.congress_id)
    return part


@_object_ids("assignment_id")
def assignment_reassign(*, actor, assignment_id: int, unit_id, note: str,
                        expected_version: int | None = None) -> Assignment:
    """Staff take a part from one unit (after a return, or on their own) and give it to another in the
    same role. The old part is withdrawn with the reason kept; the new unit's clocks start today."""
    note = clean_text(note, max_length=NOTE_MAX, error=ERR_NOTE, field="note")
    with transaction.atomic():
        old = Assignment.objects.select_related("suggestion", "unit").get(pk=assignment_id)
        (unit,) = _units(old.congress_id, [unit_id], field="unit")
        if unit.pk == old.unit_id:
            raise field_error("unit", ERR_UNIT_DUPLICATE, "unit_duplicate")
        ASSIGNMENT_FLOW.apply(obj_id=assignment_id, action="withdraw", actor=actor, note=note,
                              expected_version=expected_version)
        deadlines_cancel(old, actor=actor, note=note)
        s = Suggestion.objects.select_for_update().get(pk=old.suggestion_id)
        part = _create_part(s, unit, old.role, actor=actor, note=note, start=_today())
        record_event(obj=s, action="reassign", actor=actor,
                     note=_("%(old)s → %(new)s：%(note)s") % {"old": old.unit.name, "new": unit.name, "note": note})
        notify_users_later(lambda: unit_users(old.unit_id), subject=_("交办建议已撤回：%(t)s") % {"t": s.title},
                           body=_("已改由 %(unit)s 办理：%(note)s") % {"unit": unit.name, "note": note}, url="",
                           dedupe_key=f"suggestion_part:{old.pk}:withdrawn", congress=s.congress_id)
        sync_due(s.pk)
    return part


@_object_ids("assignment_id")
def contact_record(*, actor, assignment_id: int, deputy_id, contacted_on: datetime.date, form: str, content: str
                   ) -> Contact:
    """办前联系: the unit records its contact with a deputy of the suggestion before it replies."""
    content = clean_text(content, max_length=NOTE_MAX, error=ERR_NOTE, field="content")
    if form not in Contact.Form.values:
        raise field_error("form", ERR_CONTACT_FORM)
    with transaction.atomic():
        part = _part_for_unit(assignment_id, actor)
        if part.status not in (A.SIGNED, A.REHANDLING, A.FOLLOWING):
            raise ConflictError(gettext_lazy("请先签收，再记录办前联系。"), code="invalid_state")
        _day(contacted_on, "contacted_on", ERR_CONTACT_DATE)
        if not timezone.localdate(part.assigned_at) <= contacted_on <= _today():
            raise field_error("contacted_on", ERR_CONTACT_DATE, "date")
        deputy_id = _pk(deputy_id)
        if deputy_id not in signer_deputy_ids(part.suggestion_id):
            raise field_error("deputy", ERR_CONTACT_DEPUTY, "deputy_unknown")
        contact = Contact.objects.create(assignment=part, deputy_id=deputy_id, contacted_on=contacted_on, form=form,
                                         content=content, round=_round(part), recorded_by=_user(actor))
        record_event(obj=part, action="contact", actor=actor,
                     note=f"{contacted_on:%Y-%m-%d} {contact.get_form_display()}：{content}")
    return contact


def _round(part: Assignment) -> int:
    """1 for the first handling, 2 once re-handling (or B follow-up) has begun."""
    return 2 if part.rehandled or part.status == A.FOLLOWING else 1


def _check_pdf(pdf):
    if not _is_upload(pdf):
        raise field_error("pdf", ERR_PDF, "pdf_required")
    return pdf


@_object_ids("assignment_id")
def views_send(*, actor, assignment_id: int, text: str, attachments: Sequence = (),
               expected_version: int | None = None) -> Reply:
    """A co-unit's written views to the lead (协办意见), within 1 month of assignment."""
    attachments = _uploads(attachments, "attachments")
    text = clean_text(text, max_length=REPLY_MAX, error=ERR_REPLY, field="text")
    now = timezone.now()
    with transaction.atomic():
        before = Assignment.objects.get(pk=assignment_id)
        if not actor.has_perm("suggestions.handle_assignment", before):
            raise PermissionDenied
        if before.role != Assignment.Role.CO:
            raise field_error("text", ERR_ROLE_VIEWS, "wrong_role")
        on_time = deadlines_on_time(before, "coop_views", today=timezone.localdate(now))
        part = ASSIGNMENT_FLOW.apply(obj_id=assignment_id, action="send_views", actor=actor,
                                     expected_version=expected_version,
                                     extra_updates={"answered_at": now, "on_time": on_time})
        reply = Reply.objects.create(assignment=part, suggestion_id=part.suggestion_id, kind=Reply.Kind.VIEWS,
                                     text=text, created_by=_user(actor), created_at=now)
        for upload in attachments:
            attachment_create(upload=upload, allowed=DOCUMENTS, uploaded_by=actor, congress=part.congress_id,
                              owner=reply)
        deadlines_meet(part, "coop_views", actor=actor)
        sync_due(part.suggestion_id)
        lead = Assignment.objects.filter(suggestion_id=part.suggestion_id, role=Assignment.Role.LEAD).exclude(
            status=A.WITHDRAWN).first()
        if lead is not None:
            notify_users_later(lambda: unit_users(lead.unit_id),
                               subject=_("协办单位意见：%(t)s") % {"t": part.suggestion.title},
                               body=_("%(unit)s 已提出协办意见，请在答复中吸收。") % {"unit": part.unit.name},
                               url=lead.get_absolute_url(), dedupe_key=f"suggestion_part:{part.pk}:views",
                               congress=part.congress_id)
    return reply


def _check_outcome(outcome: str, committed_date, today: datetime.date):
    if outcome not in Suggestion.Outcome.values:
        raise field_error("outcome", ERR_OUTCOME, "outcome")
    if outcome == Suggestion.Outcome.B:
        _day(committed_date, "committed_date", ERR_COMMITTED, "committed_date")
        if committed_date <= today:
            raise field_error("committed_date", ERR_COMMITTED, "committed_date")
        return committed_date
    return None


def _worst(outcomes: Iterable[str]) -> str:
    """The suggestion's class when several units answered separately: solved only if all solved."""
    present = [o for o in outcomes if o]
    return max(present) if present else ""


def _after_answer(part: Assignment, *, actor, now) -> Suggestion:
    """When the last answering part has answered, the suggestion waits for its deputies' ratings."""
    s = Suggestion.objects.select_for_update().get(pk=part.suggestion_id)
    answering = list(Assignment.objects.filter(suggestion=s, role__in=Assignment.ANSWERING).exclude(status=A.WITHDRAWN))
    if all(p.status == A.ANSWERED for p in answering) and s.status in (S.HANDLING, S.REHANDLING, S.FOLLOWING):
        action = "solved" if s.status == S.FOLLOWING else "all_answered"
        s = SUGGESTION_FLOW.apply(obj_id=s.pk, action=action, actor=SYSTEM, extra_updates={
            "outcome": _worst(p.outcome for p in answering), "replied_at": now,
            "on_time": all(p.on_time is not False for p in answering)})
        _notify_signers_later(s, subject=_("建议已答复，请评价：%(t)s") % {"t": s.title},
                              body=_("承办单位已答复，请查看答复并填写征询意见表（满意、基本满意或不满意）。"),
                              key=f"suggestion:{s.pk}:replied:{s.version}")
    sync_due(s.pk)
    return s


@_object_ids("assignment_id")
def reply_send(*, actor, assignment_id: int, outcome: str, text: str, pdf=None, committed_date=None,
               attachments: Sequence = (), expected_version: int | None = None) -> Reply:
    """The lead's (or a separately handling unit's) reply: class A/B/C/D, text, the signed and sealed PDF,
    and for B the committed completion date. Refused before contact with the deputy has been recorded
    and, for the lead, while a co-unit's views are outstanding. Also the re-handled reply after 不满意."""
    attachments = _uploads(attachments, "attachments")
    text = clean_text(text, max_length=REPLY_MAX, error=ERR_REPLY, field="text")
    now = timezone.now()
    today = timezone.localdate(now)
    committed_date = _check_outcome(outcome, committed_date, today)
    _check_pdf(pdf)
    with transaction.atomic():
        before = Assignment.objects.select_related("suggestion").get(pk=assignment_id)
        if not actor.has_perm("suggestions.handle_assignment", before):
            raise PermissionDenied
        if before.role == Assignment.Role.CO:
            raise field_error("text", ERR_ROLE_REPLY, "wrong_role")
        if not Contact.objects.filter(assignment=before, round=_round(before)).exists():
            raise field_error("contact", ERR_CONTACT_FIRST, "contact_required")
        if before.role == Assignment.Role.LEAD and before.status == A.SIGNED:
            pending = list(Assignment.objects.filter(suggestion_id=before.suggestion_id, role=Assignment.Role.CO)
                           .exclude(status__in=[A.ANSWERED, A.WITHDRAWN]).select_related("unit"))
            if pending:
                raise field_error("text", ERR_VIEWS_PENDING % {"units": "、".join(p.unit.name for p in pending)},
                                  "views_pending")
        rehandling = before.status == A.REHANDLING
        codes = ("suggestion_rehandle",) if rehandling else ("suggestion_reply",)
        on_time = deadlines_on_time(before, *codes, today=today)
        part = ASSIGNMENT_FLOW.apply(
            obj_id=assignment_id, action="rehandle_reply" if rehandling else "reply", actor=actor,
            expected_version=expected_version,
            extra_updates={"outcome": outcome, "answered_at": now, "on_time": on_time})
        reply = Reply.objects.create(assignment=part, suggestion_id=part.suggestion_id,
                                     kind=Reply.Kind.REHANDLE if rehandling else Reply.Kind.REPLY, outcome=outcome,
                                     text=text, committed_date=committed_date, created_by=_user(actor), created_at=now)
        _store_reply_files(reply, pdf=pdf, attachments=attachments, actor=actor)
        deadlines_meet(part, *codes, actor=actor)
        _after_answer(part, actor=actor, now=now)
    return reply


def _store_reply_files(reply: Reply, *, pdf, attachments: Sequence, actor) -> None:
    if pdf is not None:
        attachment_create(upload=pdf, allowed=("pdf",), uploaded_by=actor, congress=reply.assignment.congress_id,
                          owner=reply)
    for upload in attachments:
        attachment_create(upload=upload, allowed=DOCUMENTS, uploaded_by=actor, congress=reply.assignment.congress_id,
                          owner=reply)


@_object_ids("assignment_id")
def progress_report(*, actor, assignment_id: int, text: str, attachments: Sequence = ()) -> Reply:
    """Progress on a B item under follow-up; the deputies see it on their page."""
    attachments = _uploads(attachments, "attachments")
    text = clean_text(text, max_length=REPLY_MAX, error=ERR_REPLY, field="text")
    with transaction.atomic():
        part = _part_for_unit(assignment_id, actor)
        if part.status != A.FOLLOWING:
            raise ConflictError(gettext_lazy("只有B类跟踪办理中的建议需要报告进展。"), code="invalid_state")
        reply = Reply.objects.create(assignment=part, suggestion_id=part.suggestion_id, kind=Reply.Kind.PROGRESS,
                                     outcome=Suggestion.Outcome.B, text=text, created_by=_user(actor),
                                     created_at=timezone.now())
        _store_reply_files(reply, pdf=None, attachments=attachments, actor=actor)
        record_event(obj=part, action="progress", actor=actor, note=text[:200])
        _notify_signers_later(part.suggestion, subject=_("B类建议办理进展：%(t)s") % {"t": part.suggestion.title},
                              body=text[:200], key=f"suggestion_reply:{reply.pk}:progress")
    return reply


@_object_ids("assignment_id")
def followup_solve(*, actor, assignment_id: int, text: str, pdf=None, attachments: Sequence = (),
                   expected_version: int | None = None) -> Reply:
    """The B item is solved: the unit's final reply moves it to A, and the deputies rate it."""
    attachments = _uploads(attachments, "attachments")
    text = clean_text(text, max_length=REPLY_MAX, error=ERR_REPLY, field="text")
    _check_pdf(pdf)
    now = timezone.now()
    with transaction.atomic():
        part = ASSIGNMENT_FLOW.apply(obj_id=assignment_id, action="solve", actor=actor,
                                     expected_version=expected_version,
                                     extra_updates={"outcome": Suggestion.Outcome.A, "answered_at": now})
        reply = Reply.objects.create(assignment=part, suggestion_id=part.suggestion_id, kind=Reply.Kind.SOLVED,
                                     outcome=Suggestion.Outcome.A, text=text, created_by=_user(actor), created_at=now)
        _store_reply_files(reply, pdf=pdf, attachments=attachments, actor=actor)
        _after_answer(part, actor=actor, now=now)
    return reply


# --- ratings ----------------------------------------------------------------------------------------------------
@_object_ids("reply_id")
def rating_submit(*, actor, reply_id: int, value: str, comment: str = "") -> Rating:
    """One signing deputy rates one reply. 不满意 on a first reply reopens that unit's part for
    re-handling (1 month); once every deputy has rated every current reply the suggestion closes, or
    goes on under follow-up while a B item is unsolved."""
    if value not in Rating.Value.values:
        raise field_error("value", ERR_RATING, "rating")
    comment = clean_text(comment, max_length=NOTE_MAX, error=ERR_NOTE, field="comment", required=False)
    seat = _seat(actor)
    now = timezone.now()
    with transaction.atomic():
        reply = Reply.objects.select_related("assignment").get(pk=reply_id)
        s = Suggestion.objects.select_for_update().get(pk=reply.suggestion_id)
        if seat is None or seat.pk not in signer_deputy_ids(s.pk):
            raise PermissionDenied(ERR_NOT_RATER)
        if s.status not in (S.REPLIED, S.REHANDLING) or current_replies(s.pk).get(reply.assignment_id) != reply:
            raise ConflictError(ERR_NOT_CURRENT, code="not_current")
        if Rating.objects.filter(reply=reply, deputy=seat).exists():
            raise ConflictError(ERR_RATED, code="already_rated")
        rating = Rating.objects.create(reply=reply, deputy=seat, value=value, comment=comment)
        record_event(obj=s, action="rate", actor=actor, note=_("%(unit)s 的答复：%(v)s。%(c)s") % {
            "unit": reply.assignment.unit.name, "v": rating.get_value_display(), "c": comment})
        part = reply.assignment
        if value == Rating.Value.UNSATISFIED and not part.rehandled:
            _reopen(s, part, comment=comment, today=timezone.localdate(now))
        elif s.status == S.REPLIED:
            _finish_if_rated(s)
    return rating


def _reopen(s: Suggestion, part: Assignment, *, comment: str, today: datetime.date) -> None:
    part = ASSIGNMENT_FLOW.apply(obj_id=part.pk, action="reopen", actor=SYSTEM, note=comment,
                                 extra_updates={"rehandled": True})
    if s.status == S.REPLIED:
        SUGGESTION_FLOW.apply(obj_id=s.pk, action="reopen", actor=SYSTEM, note=comment,
                              extra_updates={"rehandled": True})
    else:
        Suggestion.objects.filter(pk=s.pk).update(rehandled=True)
    d = deadline_create(obj=part, policy_code="suggestion_rehandle", start=today, owner_unit=part.unit,
                        supervising_office=_supervising_office(s.congress_id), congress=s.congress_id)
    sync_due(s.pk)
    notify_users_later(lambda: unit_users(part.unit_id), subject=_("代表不满意，请重新办理：%(t)s") % {"t": s.title},
                       body=_("请与代表再次联系，并在 %(due)s 前重新答复。代表意见：%(c)s") % {
                           "due": d.due, "c": comment},
                       url=part.get_absolute_url(), dedupe_key=f"suggestion_part:{part.pk}:reopened",
                       congress=s.congress_id)


def _finish_if_rated(s: Suggestion) -> Suggestion:
    raters = set(signer_deputy_ids(s.pk))
    replies = current_replies(s.pk)
    rated = {}
    for reply_id, deputy_id in (Rating.objects.filter(reply__in=list(replies.values()))
                                .values_list("reply_id", "deputy_id")):
        rated.setdefault(reply_id, set()).add(deputy_id)
    if not replies or any(not raters <= rated.get(r.pk, set()) for r in replies.values()):
        return s
    return _finish(s, actor=SYSTEM, action_closed="all_rated", action_follow="follow_up")


def _finish(s: Suggestion, *, actor, action_closed: str, action_follow: str) -> Suggestion:
    """Close the suggestion, or put its unsolved B parts under follow-up."""
    now = timezone.now()
    b_parts = list(Assignment.objects.filter(suggestion=s, role__in=Assignment.ANSWERING, status=A.ANSWERED,
                                             outcome=Suggestion.Outcome.B))
    if b_parts:
        s = SUGGESTION_FLOW.apply(obj_id=s.pk, action=action_follow, actor=actor)
        for part in b_parts:
            ASSIGNMENT_FLOW.apply(obj_id=part.pk, action="follow_up", actor=SYSTEM)
        return s
    s = SUGGESTION_FLOW.apply(obj_id=s.pk, action=action_closed, actor=actor, extra_updates={"closed_at": now})
    for child in Suggestion.objects.filter(merged_into=s, status=S.MERGED):
        SUGGESTION_FLOW.apply(obj_id=child.pk, action="merged_close", actor=SYSTEM,
                              extra_updates={"closed_at": now, "outcome": s.outcome},
                              note=_("随《%(t)s》办结") % {"t": s.title})
    return s


@_object_ids("suggestion_id")
def suggestion_finish(*, actor, suggestion_id: int, expected_version: int | None = None) -> Suggestion:
    """Staff finish a replied suggestion whose deputies have not all rated (B parts go under follow-up)."""
    with transaction.atomic():
        s = Suggestion.objects.select_for_update().get(pk=suggestion_id)
        if not actor.has_perm("suggestions.review", s):
            raise PermissionDenied
        if expected_version is not None and s.version != expected_version:
            raise ConflictError(gettext_lazy("该事项已被他人处理（状态已变化），请刷新后重试。"))
        if s.status != S.REPLIED:
            raise ConflictError(ERR_FINISH, code="invalid_state")
        return _finish(s, actor=actor, action_closed="close", action_follow="close_to_follow_up")


# --- supervision -------------------------------------------------------------------------------------------------
@_object_ids("suggestion_id")
def note_add(*, actor, suggestion_id: int, kind: str, text: str, assignment_id: int | None = None) -> Note:
    """A reminder (催办) or a supervision note (督办意见) to one unit's part or to every active part."""
    text = clean_text(text, max_length=NOTE_MAX, error=ERR_NOTE, field="text")
    if kind not in Note.Kind.values:
        raise field_error("kind", ERR_NOTE)
    with transaction.atomic():
        s = Suggestion.objects.get(pk=suggestion_id)
        if not actor.has_perm("suggestions.review", s):
            raise PermissionDenied
        parts = Assignment.objects.filter(suggestion=s, status__in=Assignment.ACTIVE)
        if assignment_id is not None:
            assignment_id = _field_id(assignment_id, "assignment", ERR_NOTE)
            parts = parts.filter(pk=assignment_id)
            if not parts.exists():
                raise field_error("assignment", gettext_lazy("该承办任务不存在或已办结。"), "unknown")
        note = Note.objects.create(suggestion=s, assignment_id=assignment_id, kind=kind, text=text, author=_user(actor))
        record_event(obj=s, action=kind, actor=actor, note=text)
        unit_ids = list(parts.values_list("unit_id", flat=True))
        notify_users_later(lambda: unit_users(*unit_ids),
                           subject=_("%(kind)s：%(t)s") % {"kind": note.get_kind_display(), "t": s.title}, body=text,
                           url=s.get_absolute_url(), dedupe_key=f"suggestion_note:{note.pk}", congress=s.congress_id)
    return note


@_object_ids("assignment_id")
def extension_request(*, actor, assignment_id: int, months, reason: str) -> Extension:
    """The unit asks for more time to reply; in total the reply may come at most 6 months after assignment."""
    reason = clean_text(reason, max_length=NOTE_MAX, error=ERR_NOTE, field="reason")
    with transaction.atomic():
        part = _part_for_unit(assignment_id, actor)
        if not part.is_answering or part.status not in (A.ASSIGNED, A.SIGNED):
            raise ConflictError(ERR_EXT_STATE, code="invalid_state")
        if part.extensions.filter(status=Extension.Status.REQUESTED).exists():
            raise field_error("months", ERR_EXT_PENDING, "pending")
        _check_months(months, part)
        ext = Extension.objects.create(assignment=part, months=months, reason=reason, requested_by=_user(actor))
        record_event(obj=part, action="extension_request", actor=actor,
                     note=_("%(m)s 个月：%(r)s") % {"m": months, "r": reason})
        s = part.suggestion
        notify_users_later(lambda: office_users(s.congress_id), subject=_("申请延期答复：%(t)s") % {"t": s.title},
                           body=_("%(unit)s 申请延期 %(m)s 个月，理由：%(r)s") % {
                               "unit": part.unit.name, "m": months, "r": reason},
                           url=s.get_absolute_url(), dedupe_key=f"suggestion_ext:{ext.pk}", congress=s.congress_id)
    return ext


def _check_months(months, part: Assignment) -> None:
    left = MAX_EXTENSION_MONTHS - part.extended_months
    if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= left:
        raise field_error("months", ERR_EXT_MONTHS % {"max": max(left, 0), "used": part.extended_months}, "months")


@_object_ids("extension_id")
def extension_decide(*, actor, extension_id: int, approve: bool, note: str = "") -> Extension:
    """Staff approve (the reply deadline moves, the reason is shown to the deputies) or reject."""
    approve = _yes_no(approve, "approve")
    note = clean_text(note, max_length=NOTE_MAX, error=ERR_NOTE, field="note", required=not approve)
    action = "approve" if approve else "reject"
    with transaction.atomic():
        # Every decision locks the part first, so the request read after it is the latest.
        part = Assignment.objects.select_for_update().select_related("suggestion").get(
            pk=Extension.objects.values_list("assignment_id", flat=True).get(pk=extension_id))
        s = part.suggestion
        ext = Extension.objects.select_related("assignment").get(pk=extension_id)
        if not EXTENSION_FLOW.permits(action, actor, ext):
            raise PermissionDenied
        if ext.status != Extension.Status.REQUESTED:
            raise ConflictError(ERR_EXT_DECIDED, code="invalid_state")
        ext = EXTENSION_FLOW.apply(obj_id=ext.pk, action=action, actor=actor, note=note,
                                   queryset=Extension.objects.select_related("assignment"),
                                   extra_updates={"decided_by": _user(actor), "decided_at": timezone.now(),
                                                  "decision_note": note})
        if approve:
            _check_months(ext.months, part)
            deadline = deadlines_open(part, "suggestion_reply").first()
            if deadline is None:
                raise ConflictError(ERR_EXT_STATE, code="invalid_state")
            deadline_extend(deadline=deadline, extra=ext.months, reason=ext.reason, actor=actor)
            Assignment.objects.filter(pk=part.pk).update(extended_months=F("extended_months") + ext.months)
            record_event(obj=s, action="extend", actor=actor, note=_("%(unit)s 延期 %(m)s 个月：%(r)s") % {
                "unit": part.unit.name, "m": ext.months, "r": ext.reason})
            _notify_signers_later(s, subject=_("建议答复延期：%(t)s") % {"t": s.title},
                                  body=_("%(unit)s 延期 %(m)s 个月答复，理由：%(r)s") % {
                                      "unit": part.unit.name, "m": ext.months, "r": ext.reason},
                                  key=f"suggestion_ext:{ext.pk}:approved")
        else:
            record_event(obj=part, action="extension_reject", actor=actor, note=note)
        notify_users_later(lambda: unit_users(part.unit_id),
                           subject=(_("延期申请已同意：%(t)s") if approve else _("延期申请未同意：%(t)s")) % {
                               "t": s.title},
                           body=note or ext.reason, url=part.get_absolute_url(),
                           dedupe_key=f"suggestion_ext:{ext.pk}:decided",
                           congress=s.congress_id)
    return ext


@_object_ids("suggestion_id")
def key_mark(*, actor, suggestion_id: int, leader_id, meeting_date: datetime.date, note: str = "",
             milestones: Sequence[tuple[datetime.date, str]] = ()) -> KeySupervision:
    """重点督办: picked for the director meeting, with a supervising leader and its own timeline."""
    from renda.org.models import CommitteeMember

    note = clean_text(note, max_length=NOTE_MAX, error=ERR_NOTE, field="note", required=False)
    _day(meeting_date, "meeting_date")
    with transaction.atomic():
        s = Suggestion.objects.select_for_update().get(pk=suggestion_id)
        if not actor.has_perm("suggestions.key", s):
            raise PermissionDenied
        if s.status not in (S.ACCEPTED, *Suggestion.IN_HANDLING):
            raise ConflictError(ERR_KEY_STATE, code="invalid_state")
        if KeySupervision.objects.filter(suggestion=s).exists():
            raise ConflictError(ERR_KEY_EXISTS, code="invalid_state")
        try:
            leader = CommitteeMember.objects.select_related("person").get(
                pk=_field_id(leader_id, "leader", ERR_KEY_LEADER, "leader"), congress_id=s.congress_id)
        except CommitteeMember.DoesNotExist:
            raise field_error("leader", ERR_KEY_LEADER, "leader") from None
        key = KeySupervision.objects.create(suggestion=s, leader=leader, meeting_date=meeting_date, note=note,
                                            created_by=_user(actor))
        for due, text in milestones:
            text = clean_text(text, max_length=200, error=ERR_MILESTONE, field="milestones")
            _day(due, "milestones", ERR_MILESTONE)
            Milestone.objects.create(key=key, due=due, text=text)
        Suggestion.objects.filter(pk=s.pk).update(is_key=True)
        record_event(obj=s, action="key", actor=actor, note=_("督办领导：%(leader)s。%(note)s") % {
            "leader": leader.person.name, "note": note})
    return key


@_object_ids("suggestion_id")
def key_unmark(*, actor, suggestion_id: int, reason: str) -> None:
    reason = clean_text(reason, max_length=NOTE_MAX, error=ERR_NOTE, field="reason")
    with transaction.atomic():
        s = Suggestion.objects.select_for_update().get(pk=suggestion_id)
        if not actor.has_perm("suggestions.key", s):
            raise PermissionDenied
        deleted, _rows = KeySupervision.objects.filter(suggestion=s).delete()
        if not deleted:
            raise ConflictError(gettext_lazy("该建议不是重点督办建议。"), code="invalid_state")
        Suggestion.objects.filter(pk=s.pk).update(is_key=False)
        record_event(obj=s, action="unkey", actor=actor, note=reason)


@_object_ids("milestone_id")
def milestone_done(*, actor, milestone_id: int, done_on: datetime.date | None = None) -> Milestone:
    with transaction.atomic():
        m = Milestone.objects.select_for_update().select_related("key__suggestion").get(pk=milestone_id)
        if not actor.has_perm("suggestions.key", m.key.suggestion):
            raise PermissionDenied
        m.done_on = _day(done_on, "done_on") if done_on is not None else _today()
        m.save(update_fields=["done_on"])
    return m


# --- publication -------------------------------------------------------------------------------------------------
@_object_ids("suggestion_id")
def suggestion_publish(*, actor, suggestion_id: int, title: str, text: str, reply: str) -> Suggestion:
    """Publish a redacted copy to the public portal; the original stays for staff."""
    title = clean_text(title, max_length=TITLE_MAX, error=ERR_TITLE, field="title")
    text = clean_text(text, max_length=PROPOSAL_MAX, error=ERR_PROPOSAL, field="text")
    reply = clean_text(reply, max_length=REPLY_MAX, error=ERR_REPLY, field="reply")
    with transaction.atomic():
        s = Suggestion.objects.select_for_update().get(pk=suggestion_id)
        if not actor.has_perm("suggestions.review", s):
            raise PermissionDenied
        if s.status not in (S.REPLIED, S.FOLLOWING, S.CLOSED):
            raise ConflictError(ERR_PUBLISH_STATE, code="invalid_state")
        s.is_published, s.published_title, s.published_text, s.published_reply = True, title, text, reply
        s.published_at = timezone.now()
        s.save(update_fields=["is_published", "published_title", "published_text", "published_reply", "published_at",
                              "updated_at"])
        record_event(obj=s, action="publish", actor=actor)
    return s


@_object_ids("suggestion_id")
def suggestion_unpublish(*, actor, suggestion_id: int) -> Suggestion:
    with transaction.atomic():
        s = Suggestion.objects.select_for_update().get(pk=suggestion_id)
        if not actor.has_perm("suggestions.review", s):
            raise PermissionDenied
        s.is_published = False
        s.save(update_fields=["is_published", "updated_at"])
        record_event(obj=s, action="unpublish", actor=actor)
    return s


def redaction_suggest(s: Suggestion) -> dict[str, str]:
    """A first redacted copy for staff to edit: the proposal and the answering units' current replies,
    with phone numbers and ID numbers masked."""
    replies = current_replies(s.pk) or {r.assignment_id: r for r in Reply.objects.filter(
        suggestion=s, kind__in=Reply.RATED).select_related("assignment__unit").order_by("id")}
    reply_text = "\n\n".join(f"{r.assignment.unit.name}：{r.text}" for r in replies.values())
    return {"title": s.title, "text": mask_free_text(s.body), "reply": mask_free_text(reply_text)}
