"""Reads of suggestion handling, scoped to the user. A miss and a refusal look the same (DoesNotExist → 404).

The office's list pages with a keyset cursor (renda/core/paging.py) on (-submitted_at, -id): a
suggestion is listed for the office only once submitted, so the cursor's field is never null there.
"""

import dataclasses
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from renda.accounts.permissions import _assignment
from renda.core.attachments import Attachment
from renda.core.paging import Cursor, count_capped
from renda.core.workdays.models import Deadline

from .models import (
    Assignment,
    Category,
    Contact,
    Extension,
    KeySupervision,
    Note,
    Period,
    Rating,
    Reply,
    Signer,
    Suggestion,
)
from .workflow import ASSIGNMENT_FLOW, SUGGESTION_FLOW

S = Suggestion.Status
A = Assignment.Status
PAGE_SIZE = 50
COUNT_CAP = 10_000
OFFICE_ROLES = ("staff", "director", "town_staff")
SIMILAR_LIMIT = 5
SIMILAR_CANDIDATES = 20
# Suggestions that count as "real" for similar lookups and figures: submitted and not withdrawn.
VISIBLE_STATES = [s for s in S.values if s not in (S.DRAFT, S.WITHDRAWN)]


def user_is_office(user) -> bool:
    a = _assignment(user)
    if a is None:
        return bool(getattr(user, "is_superuser", False))
    return a.role in OFFICE_ROLES


def suggestion_scope_q(user) -> Q | None:
    """The suggestions this user may list, as a filter; None means none at all."""
    a = _assignment(user)
    if a is None:
        return ~Q(status=S.DRAFT) if getattr(user, "is_superuser", False) else None
    if a.role in OFFICE_ROLES:
        return Q(congress_id=a.congress_id) & ~Q(status=S.DRAFT)
    if a.role == "deputy":
        return Q(Exists(Signer.objects.filter(suggestion_id=OuterRef("pk"), deputy_id=a.deputy_id)
                        .exclude(status=Signer.Status.DECLINED)))
    if a.role == "unit":
        return Q(Exists(Assignment.objects.filter(suggestion_id=OuterRef("pk"), unit_id=a.unit_id)
                        .exclude(status=A.WITHDRAWN)))
    return None


@dataclass
class SuggestionFilters:
    status: str = ""
    period: int | None = None
    year: int | None = None
    category: int | None = None
    unit: int | None = None
    deputy: int | None = None
    outcome: str = ""
    key: bool = False
    overdue: bool = False
    q: str = ""


def suggestion_list_for_user(*, user, filters: SuggestionFilters | None = None, ranked: bool = True
                             ) -> QuerySet[Suggestion]:
    scope = suggestion_scope_q(user)
    if scope is None:
        return Suggestion.objects.none()
    qs = Suggestion.objects.filter(scope)
    f = filters or SuggestionFilters()
    if f.status:
        qs = qs.filter(status=f.status)
    if f.period:
        qs = qs.filter(period_id=f.period)
    if f.year:
        qs = qs.filter(period__year=f.year)
    if f.category:
        qs = qs.filter(category_id=f.category)
    if f.unit:
        qs = qs.filter(Exists(Assignment.objects.filter(suggestion_id=OuterRef("pk"), unit_id=f.unit)
                              .exclude(status=A.WITHDRAWN)))
    if f.deputy:
        qs = qs.filter(Exists(Signer.objects.filter(suggestion_id=OuterRef("pk"), deputy_id=f.deputy,
                                                    status=Signer.Status.CONFIRMED)))
    if f.outcome:
        qs = qs.filter(outcome=f.outcome)
    if f.key:
        qs = qs.filter(is_key=True)
    if f.overdue:
        qs = qs.filter(status__in=[S.HANDLING, S.REHANDLING], due__lt=timezone.localdate())
    if f.q:
        from renda.core.search.selectors import search_queryset

        a = _assignment(user)
        qs = search_queryset(Suggestion, f.q, qs, congress_ids=[a.congress_id] if a else None, ranked=ranked)
        if ranked:
            return qs
    return qs.order_by("-submitted_at", "-id")


@dataclass
class SuggestionPage:
    rows: list[Suggestion]
    next_cursor: str
    count: int
    count_capped: bool
    is_first: bool


def suggestion_page_for_user(*, user, filters: SuggestionFilters, cursor: str = "", size: int = PAGE_SIZE
                             ) -> SuggestionPage:
    """One page of the office's list, newest first; `next_cursor` is "" on the last page."""
    qs = suggestion_list_for_user(user=user, filters=filters, ranked=False)
    # The office never lists drafts, so it pages on submitted_at (its indexes); a deputy's own list
    # holds drafts too, which have no submission time yet: it pages on the time they were written.
    key = "submitted_at"
    if not user_is_office(user):
        key = "sort_at"
        qs = qs.annotate(sort_at=Coalesce("submitted_at", "created_at")).order_by("-sort_at", "-id")
    c = Cursor.decode(cursor) if cursor else None
    page_qs = qs.filter(c.older_q(key)) if c is not None else qs
    rows = list(page_qs.select_related("author__person", "category", "period")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    units_label(rows)
    next_cursor = Cursor(getattr(rows[-1], key), rows[-1].pk).encode() if more and rows else ""
    count = count_capped(qs, COUNT_CAP)
    return SuggestionPage(rows=rows, next_cursor=next_cursor, count=min(count, COUNT_CAP),
                          count_capped=count > COUNT_CAP, is_first=c is None)


def units_label(rows: list[Suggestion]) -> None:
    """`units_label` on each row: its units with their roles, in one query for the page."""
    by_suggestion: dict[int, list[tuple[bool, str]]] = defaultdict(list)
    for sid, name, role in (Assignment.objects.filter(suggestion_id__in=[s.pk for s in rows])
                            .exclude(status=A.WITHDRAWN).order_by("suggestion_id", "id")
                            .values_list("suggestion_id", "unit__name", "role")):
        # The answering units first (the lead, or those handling separately), then the co-units.
        co = role == Assignment.Role.CO
        by_suggestion[sid].append((co, f"{name}（{Assignment.Role(role).label}）" if co else name))
    for s in rows:
        s.units_label = "、".join(label for _co, label in sorted(by_suggestion.get(s.pk, []), key=lambda x: x[0]))


def suggestion_get_for_user(*, user, suggestion_id) -> Suggestion:
    try:
        pk = int(suggestion_id)
    except (TypeError, ValueError):
        raise Suggestion.DoesNotExist from None
    s = (Suggestion.objects.select_related("author__person", "category", "period", "merged_into", "congress")
         .filter(pk=pk).first())
    if s is None or not user.has_perm("suggestions.view_suggestion", s):
        raise Suggestion.DoesNotExist
    return s


def assignment_get_for_user(*, user, assignment_id) -> Assignment:
    try:
        pk = int(assignment_id)
    except (TypeError, ValueError):
        raise Assignment.DoesNotExist from None
    part = Assignment.objects.select_related("suggestion", "unit", "suggestion__author__person",
                                             "suggestion__category").filter(pk=pk).first()
    if part is None or not user.has_perm("suggestions.view_suggestion", part.suggestion):
        raise Assignment.DoesNotExist
    return part


def unit_inbox(*, user, status: str = "", overdue: bool = False) -> QuerySet[Assignment]:
    """The unit's parts, soonest due first (withdrawn ones left out)."""
    a = _assignment(user)
    if a is None or a.role != "unit":
        return Assignment.objects.none()
    qs = Assignment.objects.filter(unit_id=a.unit_id).select_related("suggestion", "suggestion__author__person",
                                                                      "suggestion__period", "suggestion__category")
    qs = qs.filter(status=status) if status else qs.exclude(status=A.WITHDRAWN)
    if overdue:
        qs = qs.filter(status__in=Assignment.ACTIVE, due__lt=timezone.localdate())
    return with_sign_due(qs).order_by("due", "id")


def with_sign_due(qs: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """Each part's open sign-or-return deadline as `sign_due` (None when met or cancelled), read in the
    same query: the return action's panel needs it for every row of a list (actions._Facts)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Subquery

    from renda.core.workdays.models import Deadline

    open_sign = Deadline.objects.filter(content_type=ContentType.objects.get_for_model(Assignment),
                                        object_id=OuterRef("pk"), state=Deadline.State.OPEN,
                                        policy__code="suggestion_sign").values("due")[:1]
    return qs.annotate(sign_due=Subquery(open_sign))


def deputy_tasks(*, user) -> dict[str, list]:
    """What waits for the deputy: invitations to co-sign, and replies to rate."""
    a = _assignment(user)
    if a is None or a.role != "deputy":
        return {"invitations": [], "to_rate": []}
    invitations = list(Signer.objects.filter(deputy_id=a.deputy_id, status=Signer.Status.INVITED,
                                             suggestion__status__in=Suggestion.EDITABLE)
                       .select_related("suggestion__author__person"))
    mine = Signer.objects.filter(deputy_id=a.deputy_id, status=Signer.Status.CONFIRMED)
    suggestion_ids = set(mine.values_list("suggestion_id", flat=True))
    suggestion_ids |= set(Suggestion.objects.filter(pk__in=list(suggestion_ids), merged_into__isnull=False)
                          .values_list("merged_into_id", flat=True))
    # Every rated reply of those suggestions still waiting for ratings, in one query; the current one of
    # each part is its latest.
    latest: dict[int, Reply] = {}
    for r in (Reply.objects.filter(suggestion_id__in=suggestion_ids, kind__in=Reply.RATED,
                                   suggestion__status__in=[S.REPLIED, S.REHANDLING], assignment__status=A.ANSWERED,
                                   assignment__role__in=Assignment.ANSWERING)
              .select_related("suggestion", "assignment__unit").prefetch_related("ratings").order_by("id")):
        latest[r.assignment_id] = r
    to_rate = [r for r in latest.values() if not any(rt.deputy_id == a.deputy_id for rt in r.ratings.all())]
    return {"invitations": invitations, "to_rate": to_rate}


def current_replies(suggestion_id: int) -> dict[int, Reply]:
    """Each answering part's reply that its deputies rate now (the latest rated kind of an answered part),
    by part id."""
    out: dict[int, Reply] = {}
    for r in (Reply.objects.filter(suggestion_id=suggestion_id, kind__in=Reply.RATED, assignment__status=A.ANSWERED,
                                   assignment__role__in=Assignment.ANSWERING)
              .select_related("assignment__unit").prefetch_related("ratings").order_by("id")):
        out[r.assignment_id] = r
    return out


def categories_active() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).order_by("sort", "id")


def periods_for(congress_id: int) -> QuerySet[Period]:
    return Period.objects.filter(congress_id=congress_id).order_by("-year", "kind", "-id")


def open_periods(congress_id: int, *, now=None) -> list[Period]:
    now = now or timezone.now()
    return [p for p in Period.objects.filter(congress_id=congress_id, is_open=True).order_by("-year", "id")
            if p.accepts_submissions(now)]


def deputies_for_cosign(s: Suggestion):
    """Active deputies of the suggestion's congress not yet asked (for the invite picker)."""
    from renda.deputies.models import Deputy

    asked = Signer.objects.filter(suggestion=s).exclude(status=Signer.Status.DECLINED).values("deputy_id")
    return (Deputy.objects.filter(congress_id=s.congress_id, status=Deputy.Status.ACTIVE).exclude(pk__in=asked)
            .select_related("person").order_by("person__name"))


def units_for(congress_id: int):
    from renda.org.models import Unit

    return Unit.objects.filter(congress_id=congress_id, is_active=True).order_by("name")


def committee_members_for(congress_id: int):
    from renda.org.models import CommitteeMember

    return CommitteeMember.objects.filter(congress_id=congress_id, end_date__isnull=True).select_related("person")


# --- the detail page -----------------------------------------------------------------------------------------
@dataclass
class PartView:
    part: Assignment
    contacts: list[Contact] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    extensions: list[Extension] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    actions: list = field(default_factory=list)


@dataclass
class Detail:
    suggestion: Suggestion
    signers: list[Signer]
    parts: list[PartView]
    notes: list[Note]
    key: KeySupervision | None
    merged_items: list[Suggestion]
    timeline: list
    files: dict[int, list[Attachment]]  # owner "s" + suggestion id or "r" + reply id → files
    current_reply_ids: set[int]
    rated: dict[int, Rating]  # reply id → the viewing deputy's rating


def suggestion_detail(*, suggestion: Suggestion, user) -> Detail:
    """Everything the detail page shows, in a bounded number of queries."""
    from django.contrib.contenttypes.models import ContentType

    s = suggestion
    signers = list(Signer.objects.filter(suggestion=s).select_related("deputy__person").order_by("-is_author", "id"))
    parts = list(Assignment.objects.filter(suggestion=s).select_related("unit").order_by("id"))
    part_ids = [p.pk for p in parts]
    contacts = defaultdict(list)
    for c in Contact.objects.filter(assignment_id__in=part_ids).select_related("deputy__person"):
        contacts[c.assignment_id].append(c)
    replies = defaultdict(list)
    all_replies = list(Reply.objects.filter(assignment_id__in=part_ids).prefetch_related(
        Prefetch("ratings", queryset=Rating.objects.select_related("deputy__person"))).order_by("id"))
    for r in all_replies:
        replies[r.assignment_id].append(r)
    extensions = defaultdict(list)
    for e in Extension.objects.filter(assignment_id__in=part_ids):
        extensions[e.assignment_id].append(e)
    ct = ContentType.objects.get_for_model(Assignment)
    deadlines = defaultdict(list)
    for d in Deadline.objects.filter(content_type=ct, object_id__in=part_ids).select_related("policy").order_by("id"):
        deadlines[d.object_id].append(d)
    views = [PartView(part=p, contacts=contacts[p.pk], replies=replies[p.pk], extensions=extensions[p.pk],
                      deadlines=deadlines[p.pk], actions=ASSIGNMENT_FLOW.actions_for(p, user)) for p in parts]
    files = _files(s, all_replies)
    current = set()
    if s.status in (S.REPLIED, S.REHANDLING):
        latest = {}
        for r in all_replies:
            if r.kind in Reply.RATED:
                latest[r.assignment_id] = r
        current = {r.pk for pid, r in latest.items()
                   if any(p.pk == pid and p.status == A.ANSWERED and p.is_answering for p in parts)}
    a = _assignment(user)
    rated = {}
    if a is not None and a.role == "deputy":
        rated = {r.pk: rt for r in all_replies for rt in r.ratings.all() if rt.deputy_id == a.deputy_id}
    key = KeySupervision.objects.filter(suggestion=s).select_related("leader__person").prefetch_related(
        "milestones").first()
    return Detail(
        suggestion=s, signers=signers, parts=views,
        notes=list(Note.objects.filter(suggestion=s).select_related("author", "assignment__unit")),
        key=key, merged_items=list(s.merged_items.select_related("author__person")),
        timeline=_timeline(s, parts), files=files, current_reply_ids=current, rated=rated,
    )


def _timeline(s: Suggestion, parts: list[Assignment]) -> list:
    """The suggestion's events and its units' (签收, 申请退回, 办前联系, 延期…), oldest first; a part's
    entries name its unit."""
    from django.contrib.contenttypes.models import ContentType

    from renda.core.models import Event

    units = {p.pk: p.unit.name for p in parts}
    events = list(Event.objects.filter(content_type=ContentType.objects.get_for_model(Assignment),
                                       object_id__in=list(units)).select_related("actor").order_by("id"))
    part_entries = [dataclasses.replace(entry, subject=units.get(entry.event.object_id, ""))
                    for entry in ASSIGNMENT_FLOW.timeline(Assignment(), events=events)]
    entries = SUGGESTION_FLOW.timeline(s) + part_entries
    return sorted(entries, key=lambda t: (t.event.created_at, t.event.pk))


def _files(s: Suggestion, replies: list[Reply]) -> dict[str, list[Attachment]]:
    from django.contrib.contenttypes.models import ContentType

    ct_s = ContentType.objects.get_for_model(Suggestion)
    ct_r = ContentType.objects.get_for_model(Reply)
    out: dict[str, list[Attachment]] = defaultdict(list)
    for att in Attachment.objects.filter(Q(content_type=ct_s, object_id=s.pk)
                                         | Q(content_type=ct_r, object_id__in=[r.pk for r in replies])).order_by("id"):
        out[("s" if att.content_type_id == ct_s.pk else "r") + str(att.object_id)].append(att)
    return out


# --- similar suggestions ---------------------------------------------------------------------------------------
@dataclass
class Similar:
    suggestion: Suggestion
    reply: Reply | None


def similar_suggestions(*, congress_id: int, text: str, exclude_id: int | None = None,
                        limit: int = SIMILAR_LIMIT) -> list[Similar]:
    """Submitted suggestions of this congress (this year and earlier ones) that share the draft's
    keywords, best first, each with its latest reply: shown while a deputy types."""
    from renda.core.search.selectors import similar_ids

    text = (text or "")[:2000]
    if len(text.strip()) < 4:
        return []
    ids = [pk for pk in similar_ids(text, model=Suggestion, congress_ids=[congress_id], limit=SIMILAR_CANDIDATES)
           if pk != exclude_id]
    found = {s.pk: s for s in Suggestion.objects.filter(pk__in=ids, status__in=VISIBLE_STATES)
             .select_related("period", "author__person")}
    ordered = [found[pk] for pk in ids if pk in found][:limit]
    latest: dict[int, Reply] = {}
    for r in (Reply.objects.filter(suggestion_id__in=[s.pk for s in ordered], kind__in=Reply.RATED)
              .select_related("assignment__unit").order_by("id")):
        latest[r.suggestion_id] = r
    return [Similar(suggestion=s, reply=latest.get(s.pk)) for s in ordered]


# --- supervision -------------------------------------------------------------------------------------------------
@dataclass
class UnitLoad:
    unit_id: int
    unit_name: str
    open: int
    overdue: int


def overdue_by_unit(*, congress_id: int, today: datetime.date | None = None) -> list[UnitLoad]:
    """Per unit: parts still open and those past due (the office's supervision list)."""
    today = today or timezone.localdate()
    rows = (Assignment.objects.filter(congress_id=congress_id, status__in=Assignment.ACTIVE)
            .values("unit_id", "unit__name")
            .annotate(open=Count("id"), overdue=Count("id", filter=Q(due__lt=today)))
            .order_by("-overdue", "-open", "unit__name"))
    return [UnitLoad(r["unit_id"], r["unit__name"], r["open"], r["overdue"]) for r in rows]


def extensions_pending(*, congress_id: int) -> QuerySet[Extension]:
    return (Extension.objects.filter(status=Extension.Status.REQUESTED, assignment__congress_id=congress_id)
            .select_related("assignment__unit", "assignment__suggestion"))


def returns_pending(*, congress_id: int) -> QuerySet[Assignment]:
    return (Assignment.objects.filter(congress_id=congress_id, status=A.RETURNED)
            .select_related("unit", "suggestion"))


def published_list() -> QuerySet[Suggestion]:
    return Suggestion.objects.filter(is_published=True).order_by("-published_at", "-id")


def published_get(*, suggestion_id) -> Suggestion:
    try:
        return published_list().get(pk=int(suggestion_id))
    except (TypeError, ValueError):
        raise Suggestion.DoesNotExist from None


def key_suggestions(*, congress_id: int, limit: int = 100) -> QuerySet[Suggestion]:
    return (Suggestion.objects.filter(congress_id=congress_id, is_key=True).select_related("key__leader__person")
            .order_by("-id")[:limit])


def period_of(*, congress_id: int, period_id: int) -> Period | None:
    return Period.objects.filter(pk=period_id, congress_id=congress_id).first()


def milestone_of(*, suggestion: Suggestion, milestone_id: int):
    from .models import Milestone

    return Milestone.objects.filter(pk=milestone_id, key__suggestion=suggestion).first()
