"""Public portal pages: no login, read-only, public profile fields only.

Views parse input, call the portal selectors, render. 找代表 works with plain links and GET
parameters (/find/?town=<id>&community=<id>); with htmx the same URLs return only the step panel.
"""

from functools import wraps

from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext_lazy as _

from renda.deputies.models import Deputy, LiaisonStation
from renda.org.models import Place

from . import selectors

# Short, so an edit to the roster shows within a minute; long enough that a crowd on one page
# (a station's QR code at an event) is served by a proxy rather than the database.
PUBLIC_MAX_AGE = 60
# Larger than any real primary key; a bigger number would overflow the database's integer.
MAX_ID = 2**63 - 1

TOWN_NOT_FOUND = _("未找到该镇（街道），请从下面的列表中重新选择。")
COMMUNITY_NOT_FOUND = _("未找到该村（社区），请从下面的列表中重新选择。")
DEPUTY_NOT_FOUND = _("未找到该代表。代表信息可能已更新，请通过“找代表”重新查找。")
STATION_NOT_FOUND = _("未找到该联络站。请通过“找代表”重新查找。")


def public_page(view):
    """Cacheable for a minute by any cache when the visitor is anonymous.

    Signed-in visitors see their name in the header, so their copy stays private. The htmx panel
    and the full page share a URL: Vary on HX-Request keeps a cache from serving one for the other.
    Error pages are not cached, so a fixed roster shows at once.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_vary_headers(response, ["HX-Request"])
        if response.status_code == 200:
            if request.user.is_authenticated:
                patch_cache_control(response, private=True, max_age=0)
            else:
                patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        return response

    return wrapper


def _parse_id(value) -> int | None:
    """A positive database id from a query parameter or URL, or None for anything else."""
    if value is None:
        return None
    value = str(value).strip()
    if not value.isascii() or not value.isdigit() or len(value) > 19:
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def _not_found(request, message):
    return render(request, "portal/not_found.html", {"message": message}, status=404)


@public_page
def home(request):
    return render(request, "portal/home.html", {"congress": selectors.congress_public_root(),
                                                "town_groups": selectors.towns_public_grouped()})


@public_page
def find(request):
    """Step 1 pick a town, step 2 a village or community, step 3 its deputies and stations."""
    has_town = "town" in request.GET
    has_community = "community" in request.GET
    town_id = _parse_id(request.GET.get("town"))
    community_id = _parse_id(request.GET.get("community"))
    context: dict = {"step": 1, "error": ""}
    status = 200

    town = None
    if has_town:
        try:
            town = selectors.town_public_get(town_id=town_id) if town_id else None
        except Place.DoesNotExist:
            town = None
        if town is None:
            context["error"], status = TOWN_NOT_FOUND, 404
    elif has_community:
        # A community without its town cannot be checked against it: start again from the town.
        context["error"], status = TOWN_NOT_FOUND, 404

    community = None
    if town is not None:
        context.update(step=2, town=town)
        if has_community:
            try:
                community = (
                    selectors.community_public_get(town_id=town.pk, community_id=community_id)
                    if community_id
                    else None
                )
            except Place.DoesNotExist:
                community = None
            if community is None:
                context["error"], status = COMMUNITY_NOT_FOUND, 404

    if community is not None:
        context.update(step=3, community=community,
                       congresses=selectors.deputies_public_grouped(community_id=community.pk),
                       stations=selectors.stations_public_list(community_id=community.pk))
    elif town is not None:
        context["communities"] = selectors.communities_public_list(town_id=town.pk)
    else:
        context["town_groups"] = selectors.towns_public_grouped()

    template = "portal/find.html#htmx" if request.htmx else "portal/find.html"
    return render(request, template, context, status=status)


@public_page
def deputy_detail(request, deputy_id: str):
    pk = _parse_id(deputy_id)
    try:
        if pk is None:
            raise Deputy.DoesNotExist
        deputy = selectors.deputy_public_get(deputy_id=pk)
    except Deputy.DoesNotExist:
        return _not_found(request, DEPUTY_NOT_FOUND)
    seats = selectors.deputy_public_seats(person_id=deputy.person_id)
    return render(request, "portal/deputy.html", {
        "deputy": deputy,
        "seats": [(s, selectors.congress_deputy_title(congress=s.congress)) for s in seats],
        "stations": selectors.deputy_public_stations(person_id=deputy.person_id),
    })


@public_page
def station_detail(request, station_id: str):
    pk = _parse_id(station_id)
    try:
        if pk is None:
            raise LiaisonStation.DoesNotExist
        station = selectors.station_public_get(station_id=pk)
    except LiaisonStation.DoesNotExist:
        return _not_found(request, STATION_NOT_FOUND)
    return render(request, "portal/station.html", {
        "station": station,
        "duties": selectors.station_public_duties(station_id=station.pk),
        "communities": selectors.station_public_communities(station_id=station.pk),
    })
