"""Reads of the channel, scoped to the user. A miss and a refusal look the same (DoesNotExist → 404)."""

import datetime
import hmac
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from renda.accounts.permissions import _assignment
from renda.core.models import Event
from renda.core.workflow import events_for

from .models import Assignment, Category, Note, Opinion
from .workflow import ASSIGNMENT_FLOW, OPINION_FLOW, PUBLIC_ACTIONS

S = Opinion.Status


def opinion_scope_q(user) -> Q | None:
    """The opinions this user may see, as a filter; None means none at all."""
    if getattr(user, "is_superuser", False) and _assignment(user) is None:
        return Q()
    a = _assignment(user)
    if a is None:
        return Q() if getattr(user, "is_superuser", False) else None
    if a.role in ("staff", "director", "town_staff"):
        return Q(congress_id=a.congress_id)
    if a.role == "deputy":
        from renda.deputies.models import StationDuty

        stations = StationDuty.objects.filter(deputy_id=a.deputy_id).values("station_id")
        return Q(deputy_id=a.deputy_id) | Q(station_id__in=stations)
    if a.role == "unit":
        return Q(Exists(Assignment.objects.filter(opinion_id=OuterRef("pk"), unit_id=a.unit_id)
                        .exclude(status=Assignment.Status.WITHDRAWN)))
    return None


@dataclass
class OpinionFilters:
    status: str = ""
    town: int | None = None
    community: int | None = None
    category: int | None = None
    deputy: int | None = None
    station: int | None = None
    unit: int | None = None
    overdue: bool = False
    q: str = ""
    channel: str = ""
    submitted_from: datetime.date | None = None
    submitted_to: datetime.date | None = None


def opinion_list_for_user(*, user, filters: OpinionFilters | None = None, ranked: bool = True) -> QuerySet[Opinion]:
    """Newest first; filters narrow it. Full-text search keeps the scope (search_queryset filters it)
    and orders best match first, unless ranked=False (the caller orders, e.g. the keyset list)."""
    scope = opinion_scope_q(user)
    if scope is None:
        return Opinion.objects.none()
    qs = Opinion.objects.filter(scope)
    f = filters or OpinionFilters()
    if f.status:
        qs = qs.filter(status=f.status)
    if f.town:
        qs = qs.filter(town_id=f.town)
    if f.community:
        qs = qs.filter(community_id=f.community)
    if f.category:
        qs = qs.filter(category_id=f.category)
    if f.deputy:
        qs = qs.filter(deputy_id=f.deputy)
    if f.station:
        qs = qs.filter(station_id=f.station)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.unit:
        qs = qs.filter(Exists(Assignment.objects.filter(opinion_id=OuterRef("pk"), unit_id=f.unit)))
    if f.overdue:
        qs = qs.filter(status__in=[S.SUBMITTED, S.ACCEPTED, S.FORWARDED, S.REHANDLING],
                       current_due__lt=timezone.localdate())
    if f.submitted_from:
        qs = qs.filter(submitted_at__date__gte=f.submitted_from)
    if f.submitted_to:
        qs = qs.filter(submitted_at__date__lte=f.submitted_to)
    qs = qs.select_related("category", "deputy__person", "station", "town", "community")
    if f.q:
        from renda.core.search.selectors import search_queryset

        a = _assignment(user)
        office = a is not None and a.role in ("staff", "director", "town_staff")
        found = search_queryset(Opinion, f.q, qs, congress_ids=[a.congress_id] if office else None,
                                ranked=ranked)
        return found if ranked else found.order_by("-submitted_at", "-id")
    return qs.order_by("-submitted_at", "-id")


def opinion_get_for_user(*, user, opinion_id) -> Opinion:
    """The opinion if the user may see it; Opinion.DoesNotExist otherwise."""
    try:
        pk = int(opinion_id)
    except (TypeError, ValueError):
        raise Opinion.DoesNotExist from None
    opinion = (Opinion.objects.select_related("category", "deputy__person", "station", "town", "community",
                                              "merged_into", "congress").filter(pk=pk).first())
    if opinion is None or not user.has_perm("opinions.view_opinion", opinion):
        raise Opinion.DoesNotExist
    return opinion


def assignment_get_for_user(*, user, assignment_id) -> Assignment:
    try:
        pk = int(assignment_id)
    except (TypeError, ValueError):
        raise Assignment.DoesNotExist from None
    part = Assignment.objects.select_related("opinion", "unit", "opinion__category").filter(pk=pk).first()
    if part is None or not user.has_perm("opinions.view_opinion", part.opinion):
        raise Assignment.DoesNotExist
    return part


def assignments_of(opinion: Opinion) -> list[Assignment]:
    """Every unit's part, all rounds (units see each other's parts: shared items are one job)."""
    return list(Assignment.objects.filter(opinion=opinion).select_related("unit").order_by("round", "id"))


def unit_inbox(*, user, status: str = "", overdue: bool = False) -> QuerySet[Assignment]:
    a = _assignment(user)
    if a is None or a.role != "unit":
        return Assignment.objects.none()
    qs = Assignment.objects.filter(unit_id=a.unit_id).select_related("opinion", "opinion__category")
    if status:
        qs = qs.filter(status=status)
    else:
        qs = qs.exclude(status=Assignment.Status.WITHDRAWN)
    if overdue:
        qs = qs.filter(status__in=[Assignment.Status.ASSIGNED, Assignment.Status.SIGNED],
                       due__lt=timezone.localdate())
    return qs.order_by("due", "id")


def categories_active() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).order_by("sort", "id")


# --- the citizen's view --------------------------------------------------------------------------
def opinion_track(*, code: str, phone_last4: str = "") -> Opinion | None:
    """The opinion for a tracking code, if the proof fits: the last 4 phone digits, or nothing for
    an anonymous item. Wrong code and wrong digits give the same None."""
    from .services import tracking_code_normalize

    code = tracking_code_normalize(code)
    if not code:
        return None
    opinion = Opinion.objects.select_related("category", "deputy__person", "station").filter(
        tracking_code=code).first()
    if opinion is None:
        return None
    if opinion.citizen_phone:
        if not hmac.compare_digest(opinion.citizen_phone[-4:], (phone_last4 or "").strip()[-4:] or "----"):
            return None
    return opinion


@dataclass
class PublicStep:
    at: datetime.datetime
    label: str
    note: str


def opinion_public_timeline(opinion: Opinion) -> list[PublicStep]:
    """What the citizen sees: the steps, the declines' reasons, and which units work on it (no staff notes)."""
    steps = []
    for entry in OPINION_FLOW.timeline(opinion):
        e = entry.event
        if e.action not in PUBLIC_ACTIONS and e.action != "unit_replied":
            continue
        note = e.note if PUBLIC_ACTIONS.get(e.action) or e.action == "unit_replied" else ""
        if e.action == "forward":
            note = e.note.split("。")[0] if e.note else ""
        steps.append(PublicStep(at=e.created_at, label=entry.action_label, note=note))
    return steps


def opinion_timeline(opinion: Opinion) -> list:
    """Staff and handlers: every event of the item and of its units' parts, oldest first."""
    entries = OPINION_FLOW.timeline(opinion)
    ct = ContentType.objects.get_for_model(Assignment)
    parts = {p.pk: p for p in Assignment.objects.filter(opinion=opinion).select_related("unit")}
    if parts:
        part_events = Event.objects.filter(content_type=ct, object_id__in=list(parts)).select_related("actor")
        choices = dict(Assignment.Status.choices)
        for e in part_events:
            t = ASSIGNMENT_FLOW._by_action.get(e.action)
            label = str(t.label) if t else str(ASSIGNMENT_FLOW.event_labels.get(e.action, e.action))
            if e.action == "assign":
                label = "转办"
            entries.append(_PartEntry(event=e, action_label=f"{parts[e.object_id].unit.name}：{label}",
                                      from_label=str(choices.get(e.from_state, e.from_state)),
                                      to_label=str(choices.get(e.to_state, e.to_state))))
    entries.sort(key=lambda x: (x.event.created_at, x.event.pk))
    return entries


@dataclass
class _PartEntry:
    event: Event
    action_label: str
    from_label: str
    to_label: str


def notes_of(opinion: Opinion) -> QuerySet[Note]:
    return Note.objects.filter(opinion=opinion).select_related("author", "assignment__unit").order_by("id")


def similar_open_opinions(*, community_id, text: str, limit: int = 5) -> list[Opinion]:
    """Open opinions in the same community that share words with a draft (shown before sending)."""
    from renda.core.search.selectors import search_queryset

    try:
        community_id = int(community_id)
    except (TypeError, ValueError):
        return []
    text = (text or "").strip()[:200]
    if len(text) < 2:
        return []
    base = Opinion.objects.filter(community_id=community_id,
                                  status__in=[S.SUBMITTED, S.ACCEPTED, S.FORWARDED, S.REHANDLING, S.REPLIED])
    return list(search_queryset(Opinion, text, base).select_related("category")[:limit])


def published_list(*, category: int | None = None, town: int | None = None) -> QuerySet[Opinion]:
    qs = Opinion.objects.filter(is_published=True).select_related("category", "town")
    if category:
        qs = qs.filter(category_id=category)
    if town:
        qs = qs.filter(town_id=town)
    return qs.order_by("-published_at", "-id")


def published_get(*, opinion_id) -> Opinion:
    try:
        pk = int(opinion_id)
    except (TypeError, ValueError):
        raise Opinion.DoesNotExist from None
    return Opinion.objects.select_related("category", "town").get(pk=pk, is_published=True)


def events_of(opinion: Opinion) -> QuerySet[Event]:
    return events_for(opinion)
