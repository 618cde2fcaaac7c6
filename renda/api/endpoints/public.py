"""The public portal's reads (找代表): no sign-in, public profile fields only."""

from ninja import Path, Query, Router

from renda.deputies.selectors import deputies_public_for_community, stations_public_for_community
from renda.org.models import Place
from renda.org.selectors import communities_public, towns_public

from .. import presenters
from ..errors import ERR_NOT_FOUND, ApiError, errors_for
from ..schemas import MAX_ID, PageParams, PublicPlacePage, RepresentativesOut
from ..selectors import community_public_get
from ._common import paginate

router = Router(tags=["public"])


@router.get(
    "/towns",
    auth=None,
    response={200: PublicPlacePage, **errors_for(422)},
    operation_id="public_town_list",
    summary="镇（街道）列表（公开）",
    url_name="public_town_list",
)
def town_list(request, page: Query[PageParams]):
    """Towns and streets (镇/街道)."""
    return paginate(towns_public(), page, presenters.public_place)


@router.get(
    "/towns/{town_id}/communities",
    auth=None,
    response={200: PublicPlacePage, **errors_for(404, 422)},
    operation_id="public_community_list",
    summary="村（社区）列表（公开）",
    url_name="public_community_list",
)
def community_list(request, page: Query[PageParams], town_id: int = Path(..., gt=0, le=MAX_ID)):
    """The villages and communities (村/社区) of one town or street."""
    if not towns_public().filter(pk=town_id).exists():
        raise ApiError(404, "not_found", ERR_NOT_FOUND)
    return paginate(communities_public(town_id=town_id), page, presenters.public_place)


@router.get(
    "/communities/{community_id}/representatives",
    auth=None,
    response={200: RepresentativesOut, **errors_for(404, 422)},
    operation_id="public_representatives",
    summary="找代表：社区的代表和联络站（公开）",
    url_name="public_representatives",
)
def representatives(request, community_id: int = Path(..., gt=0, le=MAX_ID)):
    """Who represents this community: its deputies at every level (public profile only) and the
    liaison stations serving it, with their reception days."""
    community: Place = community_public_get(community_id=community_id)
    town = community.parent
    return {
        "community": presenters.public_place(community),
        "town": presenters.public_place(town) if town else None,
        "deputies": [presenters.public_deputy(d) for d in deputies_public_for_community(community_id=community.pk)],
        "stations": [presenters.public_station(s) for s in stations_public_for_community(community_id=community.pk)],
    }
