"""Reads of deputies and stations, scoped to the user's active role.

Every function that takes `user` returns only what that user may see; callers never filter by
permission themselves. An object outside scope raises Deputy.DoesNotExist (rendered as 404).
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from renda.core.masking import mask_email, mask_id_number, mask_phone
from renda.org.models import Place

from .models import Deputy, LiaisonStation, Person

ROSTER_ROLES = {"staff", "director", "town_staff", "deputy"}


def _congress_scope(user) -> int | None:
    a = getattr(user, "active_assignment", None)
    if a is None or a.role not in ROSTER_ROLES:
        return None
    return a.congress_id


def deputy_base_queryset() -> QuerySet[Deputy]:
    return Deputy.objects.select_related("person", "congress", "term", "district", "group")


@dataclass
class DeputyFilters:
    q: str = ""
    status: str = ""
    group_id: int | None = None
    district_id: int | None = None
    sector: str = ""
    town_id: int | None = None


def deputy_list_for_user(*, user, filters: DeputyFilters | None = None) -> QuerySet[Deputy]:
    """The roster the user may see: their active congress only (superusers: everything)."""
    qs = deputy_base_queryset()
    if not user.is_superuser:
        congress_id = _congress_scope(user)
        if congress_id is None:
            return qs.none()
        qs = qs.filter(congress_id=congress_id)
    f = filters or DeputyFilters()
    if f.status:
        qs = qs.filter(status=f.status)
    if f.group_id:
        qs = qs.filter(group_id=f.group_id)
    if f.district_id:
        qs = qs.filter(district_id=f.district_id)
    if f.sector:
        qs = qs.filter(sector=f.sector)
    if f.town_id:
        qs = qs.filter(Q(district__places__parent_id=f.town_id) | Q(district__places__id=f.town_id)).distinct()
    if f.q:
        q = f.q.strip()[:50]
        qs = qs.filter(Q(person__name__contains=q) | Q(person__occupation__contains=q))
    return qs.order_by("id")


def deputy_get_for_user(*, user, deputy_id: int) -> Deputy:
    return deputy_list_for_user(user=user).get(pk=deputy_id)


@dataclass(frozen=True)
class ContactView:
    phone: str
    email: str
    id_number: str
    masked: bool


def person_contact_for(*, user, deputy: Deputy) -> ContactView:
    """Contact details, masked unless the viewer needs them (the managing office, or the deputy)."""
    p: Person = deputy.person
    if user.has_perm("deputies.view_contact", deputy):
        return ContactView(phone=p.phone, email=p.email, id_number=p.id_number, masked=False)
    return ContactView(phone=mask_phone(p.phone), email=mask_email(p.email), id_number=mask_id_number(p.id_number),
                       masked=True)


def deputy_memberships(*, person_id: int) -> QuerySet[Deputy]:
    """All seats of one person across congresses (a city deputy who is also a town deputy)."""
    return deputy_base_queryset().filter(person_id=person_id).order_by("congress__path")


def station_list_for_user(*, user) -> QuerySet[LiaisonStation]:
    qs = LiaisonStation.objects.select_related("town", "congress")
    if user.is_superuser:
        return qs
    congress_id = _congress_scope(user)
    if congress_id is None:
        return qs.none()
    return qs.filter(congress_id=congress_id)


def station_get_for_user(*, user, station_id: int) -> LiaisonStation:
    return station_list_for_user(user=user).get(pk=station_id)


# --- public (portal) reads: public profile fields only -------------------------------------
PUBLIC_DEPUTY_FIELDS = ("id", "person__name", "person__gender", "person__party", "person__occupation",
                        "person__public_bio", "congress__name", "congress__kind", "district__name",
                        "group__name", "sector")


def deputies_public_for_community(*, community_id: int) -> QuerySet[Deputy]:
    """Active deputies elected in districts that include this community, at every level."""
    return (
        Deputy.objects.filter(district__places__id=community_id, status=Deputy.Status.ACTIVE)
        .select_related("person", "congress", "district", "group")
        .only(*PUBLIC_DEPUTY_FIELDS)
        .order_by("congress__path", "person__name")
        .distinct()
    )


def stations_public_for_community(*, community_id: int) -> QuerySet[LiaisonStation]:
    # Two indexed subqueries instead of an OR over joins + DISTINCT (10 ms -> 1 ms on PostgreSQL).
    town = Place.objects.filter(pk=community_id).values("parent_id")
    serving = LiaisonStation.communities.through.objects.filter(place_id=community_id).values("liaisonstation_id")
    return (
        LiaisonStation.objects.filter(Q(town_id__in=town) | Q(pk__in=serving))
        .select_related("town", "congress")
        .order_by("congress__path", "id")
    )
