"""Workspace pages for the roster and the liaison stations. Views parse, call one function, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renda.core.workflow import WorkflowError
from renda.org.models import ElectoralDistrict

from . import selectors
from .forms import DeputyFilterForm, StatusChangeForm
from .models import DelegationGroup, Deputy, LiaisonStation, Person
from .workflow import DEPUTY_FLOW, deputy_change_status

PAGE_SIZE = 50


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


@login_required
def deputy_list(request):
    _require(request.user, "deputies.view_deputy")
    a = request.user.active_assignment
    congress_id = a.congress_id if a else None
    groups = DelegationGroup.objects.filter(congress_id=congress_id).order_by("id") if congress_id else []
    districts = ElectoralDistrict.objects.filter(congress_id=congress_id).order_by("number") if congress_id else []
    form = DeputyFilterForm(request.GET or None, groups=groups, districts=districts)
    filters = selectors.DeputyFilters()
    if form.is_bound and form.is_valid():
        c = form.cleaned_data
        filters = selectors.DeputyFilters(q=c["q"], status=c["status"], sector=c["sector"], group_id=c["group"],
                                          district_id=c["district"])
    qs = selectors.deputy_list_for_user(user=request.user, filters=filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    _attach_labels(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    template = "deputies/deputy_list.html#rows" if request.htmx else "deputies/deputy_list.html"
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


def _attach_labels(deputies) -> None:
    """Resolve choice labels once per page: get_FOO_display() re-resolves lazy translations per call."""
    gender = {k: str(v) for k, v in Person.Gender.choices}
    sector = {k: str(v) for k, v in Deputy.Sector.choices}
    status = {k: str(v) for k, v in Deputy.Status.choices}
    for d in deputies:
        d.gender_label = gender.get(d.person.gender, "")
        d.sector_label = sector.get(d.sector, d.sector)
        d.status_label = status.get(d.status, d.status)


@login_required
def deputy_detail(request, deputy_id: int):
    try:
        deputy = selectors.deputy_get_for_user(user=request.user, deputy_id=deputy_id)
    except Deputy.DoesNotExist:
        raise Http404 from None
    return render(request, "deputies/deputy_detail.html", {
        "deputy": deputy,
        "contact": selectors.person_contact_for(user=request.user, deputy=deputy),
        "memberships": selectors.deputy_memberships(person_id=deputy.person_id),
        "actions": DEPUTY_FLOW.actions_for(deputy, request.user),
        "timeline": DEPUTY_FLOW.timeline(deputy),
        "stations": deputy.stations.all(),
    })


@login_required
@require_POST
def deputy_status(request, deputy_id: int):
    try:
        deputy = selectors.deputy_get_for_user(user=request.user, deputy_id=deputy_id)
    except Deputy.DoesNotExist:
        raise Http404 from None
    form = StatusChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("deputies:detail", deputy_id=deputy.pk)
    c = form.cleaned_data
    try:
        deputy_change_status(deputy_id=deputy.pk, action=c["action"], actor=request.user, note=c["note"],
                             expected_version=c["version"])
    except WorkflowError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("已更新代表状态。"))
    return redirect("deputies:detail", deputy_id=deputy.pk)


@login_required
def station_list(request):
    _require(request.user, "deputies.view_station")
    stations = selectors.station_list_for_user(user=request.user).prefetch_related("communities")
    return render(request, "deputies/station_list.html", {"stations": stations})


@login_required
def station_detail(request, station_id: int):
    try:
        station = selectors.station_get_for_user(user=request.user, station_id=station_id)
    except LiaisonStation.DoesNotExist:
        raise Http404 from None
    duties = station.duties.select_related("deputy__person", "deputy__congress")
    return render(request, "deputies/station_detail.html", {"station": station, "duties": duties})
