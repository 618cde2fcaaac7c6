from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from . import selectors
from .models import Unit


@login_required
def overview(request):
    """Offices, committee members and handling units of the user's congress."""
    if not request.user.has_perm("org.view_org"):
        raise PermissionDenied
    congress = selectors.congress_for_user(user=request.user)
    if congress is None:
        raise PermissionDenied
    return render(request, "org/overview.html", {
        "congress": congress,
        "offices": selectors.office_list(congress=congress),
        "members": selectors.committee_member_list(congress=congress),
        "units": selectors.unit_list_for_user(user=request.user),
        "rollup": selectors.congress_rollup(congress=congress),
    })


@login_required
def unit_detail(request, unit_id: int):
    try:
        unit = selectors.unit_get_for_user(user=request.user, unit_id=unit_id)
    except Unit.DoesNotExist:
        raise Http404 from None
    show_contacts = request.user.has_perm("org.view_unit_contacts", unit)
    return render(request, "org/unit_detail.html", {"unit": unit, "show_contacts": show_contacts})
