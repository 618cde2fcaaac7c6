"""Reads for the citizen's pages (no login). What they return is safe to show to the public page
that asks for it: the tracked item only after the tracking code (and phone digits) proved it."""

from django.db.models import Q, QuerySet

from renda.org.models import Place

from .models import Assignment, Opinion

COMMUNITY_KINDS = (Place.Kind.VILLAGE, Place.Kind.COMMUNITY)


def communities_for_deputy(*, deputy) -> QuerySet[Place]:
    """The villages and communities of the deputy's electoral district (where their voters live)."""
    if not deputy.district_id:
        return Place.objects.none()
    return Place.objects.filter(districts__id=deputy.district_id, kind__in=COMMUNITY_KINDS).only(
        "id", "name").order_by("sort", "id")


def communities_for_station(*, station) -> QuerySet[Place]:
    """What services._resolve_addressee accepts for a station: its served communities and its town's."""
    return Place.objects.filter(Q(serving_stations__id=station.pk) | Q(parent_id=station.town_id),
                                kind__in=COMMUNITY_KINDS).only("id", "name").distinct().order_by("sort", "id")


def opinion_for_code(*, code: str) -> Opinion | None:
    """The item's id for a normalised tracking code. The caller must hold the session grant for it."""
    if not code:
        return None
    return Opinion.objects.filter(tracking_code=code).only("id", "tracking_code").first()


def opinion_public_get(*, opinion_id: int) -> Opinion:
    """The item for the tracking page; the caller has checked the session's grant for this id."""
    return Opinion.objects.select_related("category", "deputy__person", "station", "community").get(pk=opinion_id)


def opinion_public_units(*, opinion: Opinion) -> list[str]:
    """Names of the units working (or that worked) on the item; withdrawn parts are not shown."""
    names = (Assignment.objects.filter(opinion=opinion).exclude(status=Assignment.Status.WITHDRAWN)
             .order_by("round", "id").values_list("unit__name", flat=True))
    return list(dict.fromkeys(names))
