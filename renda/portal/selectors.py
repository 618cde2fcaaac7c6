"""Public reads for the portal: no login, public profile fields only, active deputies only.

Every function here is safe to call for an anonymous visitor. Personal data (phone, email, ID
number, date of birth) is never loaded from the database, so no template can leak it by mistake.
An object the public may not see raises its model's DoesNotExist (rendered as 404), exactly as an
object that does not exist.
"""

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from renda.deputies.models import Deputy, LiaisonStation, StationDuty
from renda.deputies.selectors import (
    PUBLIC_DEPUTY_FIELDS,
    deputies_public_for_community,
    stations_public_for_community,
)
from renda.org.models import Congress, Place
from renda.org.selectors import communities_public, towns_public

# What a public deputy card or profile may show: the deputies app's public fields plus what the
# portal needs to name the congress ("太仓市人大代表") and to tell one person's seats apart.
PORTAL_DEPUTY_FIELDS = (
    *PUBLIC_DEPUTY_FIELDS,
    "person_id",
    "congress__short_name",
    "congress__area__name",
    "term__number",
)
PUBLIC_STATION_FIELDS = (
    "id", "name", "kind", "address", "brand", "reception_days", "phone", "town__name",
)


def congress_deputy_title(*, congress: Congress) -> str:
    """The public name of a congress's deputies: 太仓市人大代表, 娄东街道议政代表."""
    place = congress.area.name if congress.area_id else congress.short_name
    return _("%(place)s%(title)s") % {"place": place, "title": congress.deputy_title}


def town_public_get(*, town_id: int) -> Place:
    return towns_public().get(pk=town_id)


def community_public_get(*, town_id: int, community_id: int) -> Place:
    """A village or community of this town; one of another town does not exist here."""
    return communities_public(town_id=town_id).get(pk=community_id)


def congress_public_root() -> Congress | None:
    """The top congress of this installation (the city), named on the portal's home page."""
    return (
        Congress.objects.filter(parent__isnull=True)
        .only("id", "name", "short_name")
        .order_by("id")
        .first()
    )


@dataclass
class TownGroup:
    city: str
    towns: list[Place]


def towns_public_grouped() -> list[TownGroup]:
    """Towns and streets grouped by their city, in the configured order; one query.

    One installation may serve several cities: their towns are kept apart under each city's name.
    """
    groups: dict[int | None, TownGroup] = {}
    for town in towns_public().select_related("parent").only("id", "name", "kind", "parent__name"):
        key = town.parent_id
        if key not in groups:
            groups[key] = TownGroup(city=town.parent.name if town.parent_id else "", towns=[])
        groups[key].towns.append(town)
    return list(groups.values())


def communities_public_list(*, town_id: int) -> QuerySet[Place]:
    return communities_public(town_id=town_id).only("id", "name", "kind")


@dataclass
class DeputyCard:
    deputy: Deputy
    # The same person's seats in the other congresses listed on this page: one person, shown once
    # per congress, with a note so nobody counts them twice.
    also: list[str] = field(default_factory=list)


@dataclass
class CongressDeputies:
    title: str
    congress_id: int
    cards: list[DeputyCard]


def _public_deputies() -> QuerySet[Deputy]:
    return Deputy.objects.filter(status=Deputy.Status.ACTIVE).select_related(
        "person", "congress__area", "term", "district", "group").only(*PORTAL_DEPUTY_FIELDS)


def deputies_public_grouped(*, community_id: int) -> list[CongressDeputies]:
    """Active deputies elected in this community at every level, grouped by congress (city first).

    One query whatever the number of deputies.
    """
    deputies = list(
        deputies_public_for_community(community_id=community_id)
        .select_related("congress__area", "term")
        .only(*PORTAL_DEPUTY_FIELDS)
    )
    titles = {d.congress_id: congress_deputy_title(congress=d.congress) for d in deputies}
    seats: dict[int, list[int]] = {}
    for d in deputies:
        seats.setdefault(d.person_id, []).append(d.congress_id)
    groups: dict[int, CongressDeputies] = {}
    for d in deputies:
        group = groups.get(d.congress_id)
        if group is None:
            group = groups[d.congress_id] = CongressDeputies(
                title=titles[d.congress_id], congress_id=d.congress_id, cards=[]
            )
        also = [titles[c] for c in seats[d.person_id] if c != d.congress_id]
        group.cards.append(DeputyCard(deputy=d, also=also))
    return list(groups.values())


def stations_public_list(*, community_id: int) -> QuerySet[LiaisonStation]:
    return stations_public_for_community(community_id=community_id).only(
        *PUBLIC_STATION_FIELDS, "congress__path"
    )


def deputy_public_get(*, deputy_id: int) -> Deputy:
    """An active deputy's public profile; a suspended, terminated or unknown one does not exist."""
    return _public_deputies().get(pk=deputy_id)


def deputy_public_seats(*, person_id: int) -> list[Deputy]:
    """Every active seat of one person, city first: one profile, several congresses."""
    return list(_public_deputies().filter(person_id=person_id).order_by("congress__path", "id"))


def deputy_public_stations(*, person_id: int) -> QuerySet[LiaisonStation]:
    """Stations where any active seat of this person is on duty."""
    return (
        LiaisonStation.objects.filter(duties__deputy__person_id=person_id,
                                      duties__deputy__status=Deputy.Status.ACTIVE)
        .select_related("town")
        .only(*PUBLIC_STATION_FIELDS)
        .distinct()
        .order_by("id")
    )


def station_public_get(*, station_id: int) -> LiaisonStation:
    return (
        LiaisonStation.objects.select_related("town")
        .only(*PUBLIC_STATION_FIELDS, "town_id")
        .get(pk=station_id)
    )


@dataclass
class DutyCard:
    deputy: Deputy
    title: str
    schedule: str


def station_public_duties(*, station_id: int) -> list[DutyCard]:
    """Active deputies on duty at this station with their schedule; one query."""
    duties = (
        StationDuty.objects.filter(station_id=station_id, deputy__status=Deputy.Status.ACTIVE)
        .select_related("deputy__person", "deputy__congress__area")
        .only(
            "schedule",
            "deputy__id",
            "deputy__congress_id",
            "deputy__person__name",
            "deputy__person__gender",
            "deputy__person__occupation",
            "deputy__congress__kind",
            "deputy__congress__short_name",
            "deputy__congress__area__name",
            "deputy__congress__path",
        )
        .order_by("deputy__congress__path", "deputy__person__name", "id")
    )
    return [
        DutyCard(deputy=d.deputy, title=congress_deputy_title(congress=d.deputy.congress),
                 schedule=d.schedule)
        for d in duties
    ]


def station_public_communities(*, station_id: int) -> QuerySet[Place]:
    return (
        Place.objects.filter(serving_stations__id=station_id)
        .only("id", "name")
        .order_by("sort", "id")
    )
