from ninja import Path, Query, Router

from renda.org import selectors
from renda.org.models import Unit

from .. import presenters
from ..errors import AUTH_ERRORS, errors_for
from ..schemas import (
    MAX_ID,
    CommitteeMemberPage,
    CongressPage,
    OfficePage,
    PageParams,
    PlacePage,
    PlaceQuery,
    UnitDetailOut,
    UnitPage,
)
from ._common import paginate, require_perm

router = Router(tags=["org"])

# Staff and directors see the congresses below theirs (roll-ups); everyone else their own only.
SEES_DESCENDANTS = {"staff", "director"}


@router.get(
    "/congresses",
    response={200: CongressPage, **errors_for(*AUTH_ERRORS)},
    operation_id="congress_list",
    summary="人大列表",
    url_name="congress_list",
)
def congress_list(request, page: Query[PageParams]):
    """The caller's congress, and for staff and directors every congress below it."""
    user = request.auth
    congress = selectors.congress_for_user(user=user)
    if congress is None:
        congresses = []
    elif user.is_superuser or user.active_role in SEES_DESCENDANTS:
        congresses = selectors.congress_descendants(congress=congress).order_by("path", "id")
    else:
        congresses = [congress]
    return paginate(congresses, page, presenters.congress)


@router.get(
    "/places",
    response={200: PlacePage, **errors_for(*AUTH_ERRORS, 403)},
    operation_id="place_list",
    summary="地域列表",
    url_name="place_list",
)
def place_list(request, query: Query[PlaceQuery]):
    """Places (towns, streets, villages, communities…) under the caller's congress."""
    require_perm(request.auth, "org.view_org")
    qs = selectors.place_list_for_user(user=request.auth)
    if query.kind:
        qs = qs.filter(kind=query.kind)
    if query.parent_id:
        qs = qs.filter(parent_id=query.parent_id)
    return paginate(qs.order_by("sort", "id"), query, presenters.place)


@router.get(
    "/offices",
    response={200: OfficePage, **errors_for(*AUTH_ERRORS, 403)},
    operation_id="office_list",
    summary="工作机构列表",
    url_name="office_list",
)
def office_list(request, page: Query[PageParams]):
    """The offices (工作机构) of the caller's congress."""
    require_perm(request.auth, "org.view_org")
    congress = selectors.congress_for_user(user=request.auth)
    offices = selectors.office_list(congress=congress) if congress else []
    return paginate(offices, page, presenters.office)


@router.get(
    "/committee-members",
    response={200: CommitteeMemberPage, **errors_for(*AUTH_ERRORS, 403)},
    operation_id="committee_member_list",
    summary="常委会组成人员列表",
    url_name="committee_member_list",
)
def committee_member_list(request, page: Query[PageParams]):
    """The standing committee's members (常委会组成人员) of the caller's congress."""
    require_perm(request.auth, "org.view_org")
    congress = selectors.congress_for_user(user=request.auth)
    members = selectors.committee_member_list(congress=congress) if congress else []
    return paginate(members, page, presenters.committee_member)


@router.get(
    "/units",
    response={200: UnitPage, **errors_for(*AUTH_ERRORS, 403)},
    operation_id="unit_list",
    summary="承办单位列表",
    url_name="unit_list",
)
def unit_list(request, page: Query[PageParams]):
    """Handling units (承办单位) the caller may see; a unit sees only itself."""
    require_perm(request.auth, "org.view_org")
    qs = selectors.unit_list_for_user(user=request.auth).prefetch_related(None).order_by("id")
    return paginate(qs, page, presenters.unit)


@router.get(
    "/units/{unit_id}",
    response={200: UnitDetailOut, **errors_for(*AUTH_ERRORS, 404)},
    operation_id="unit_get",
    summary="承办单位详情",
    url_name="unit_get",
)
def unit_get(request, unit_id: int = Path(..., gt=0, le=MAX_ID)):
    """One unit, with its contacts when the caller may see them (else `contacts` is null)."""
    user = request.auth
    unit: Unit = selectors.unit_get_for_user(user=user, unit_id=unit_id)
    return presenters.unit_detail(unit, show_contacts=user.has_perm("org.view_unit_contacts", unit))

