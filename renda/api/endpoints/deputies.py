from django.db.models import Subquery
from ninja import Path, Query, Router

from renda.deputies import selectors
from renda.deputies.workflow import deputy_change_status

from .. import presenters
from ..errors import AUTH_ERRORS, errors_for
from ..schemas import (
    MAX_ID,
    DeputyDetailOut,
    DeputyOut,
    DeputyPage,
    DeputyQuery,
    PageParams,
    StationDetailOut,
    StationPage,
    StatusIn,
)
from ._common import paginate, require_perm

router = Router(tags=["deputies"])


@router.get(
    "/deputies",
    response={200: DeputyPage, **errors_for(*AUTH_ERRORS, 403)},
    operation_id="deputy_list",
    summary="代表名册",
    url_name="deputy_list",
)
def deputy_list(request, query: Query[DeputyQuery]):
    """The roster the caller may see, filtered; contact details masked unless the caller needs them."""
    user = request.auth
    require_perm(user, "deputies.view_deputy")
    filters = selectors.DeputyFilters(q=query.q, status=query.status or "", group_id=query.group_id,
                                      district_id=query.district_id, sector=query.sector or "",
                                      town_id=query.town_id)
    qs = selectors.deputy_list_for_user(user=user, filters=filters)
    return paginate(qs, query, lambda d: presenters.deputy(d, user=user))


def _memberships(*, user, deputy):
    """The person's seats in every congress, limited to the seats this user may see."""
    visible = selectors.deputy_list_for_user(user=user).values("pk")
    return selectors.deputy_memberships(person_id=deputy.person_id).filter(pk__in=Subquery(visible))


@router.get(
    "/deputies/{deputy_id}",
    response={200: DeputyDetailOut, **errors_for(*AUTH_ERRORS, 404)},
    operation_id="deputy_get",
    summary="代表详情",
    url_name="deputy_get",
)
def deputy_get(request, deputy_id: int = Path(..., gt=0, le=MAX_ID)):
    """One deputy, their seats in other congresses the caller may see, and the status actions the
    caller may take now."""
    user = request.auth
    deputy = selectors.deputy_get_for_user(user=user, deputy_id=deputy_id)
    return presenters.deputy_detail(deputy, user=user, memberships=_memberships(user=user, deputy=deputy))


@router.post(
    "/deputies/{deputy_id}/status",
    response={200: DeputyOut, **errors_for(*AUTH_ERRORS, 403, 404, 409)},
    operation_id="deputy_change_status",
    summary="变更代表状态",
    url_name="deputy_change_status",
)
def deputy_status(request, payload: StatusIn, deputy_id: int = Path(..., gt=0, le=MAX_ID)):
    """Suspend, resume or terminate a deputy (a note is required).

    `expected_version` is the `version` the caller read: if someone changed the deputy since, the
    answer is 409 and nothing changes. A deputy the caller cannot see is 404; one they can see but
    may not change is 403.
    """
    user = request.auth
    deputy = selectors.deputy_get_for_user(user=user, deputy_id=deputy_id)  # 404 outside scope
    # PermissionDenied from here means visible but not changeable: the handler answers 403.
    deputy_change_status(deputy_id=deputy.pk, action=payload.action, actor=user, note=payload.note,
                         expected_version=payload.expected_version)
    return presenters.deputy(selectors.deputy_get_for_user(user=user, deputy_id=deputy.pk), user=user)


@router.get(
    "/stations",
    response={200: StationPage, **errors_for(*AUTH_ERRORS, 403)},
    operation_id="station_list",
    summary="联络站列表",
    url_name="station_list",
)
def station_list(request, page: Query[PageParams]):
    """Liaison stations (代表联络站/代表之家) of the caller's congress."""
    require_perm(request.auth, "deputies.view_station")
    return paginate(selectors.station_list_for_user(user=request.auth).order_by("id"), page, presenters.station)


@router.get(
    "/stations/{station_id}",
    response={200: StationDetailOut, **errors_for(*AUTH_ERRORS, 404)},
    operation_id="station_get",
    summary="联络站详情",
    url_name="station_get",
)
def station_get(request, station_id: int = Path(..., gt=0, le=MAX_ID)):
    """One station: the communities it serves and the deputies on duty."""
    station = selectors.station_get_for_user(user=request.auth, station_id=station_id)
    duties = station.duties.select_related("deputy__person", "deputy__congress").order_by("id")
    return presenters.station_detail(station, duties=duties)
