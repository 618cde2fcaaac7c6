"""Reads of the organisation, scoped to the user's active congress."""

from django.db.models import Count, QuerySet

from .models import CommitteeMember, Congress, Office, Place, Unit

ORG_ROLES = {"staff", "director", "town_staff", "deputy", "discipline", "unit"}


def congress_for_user(*, user) -> Congress | None:
    a = getattr(user, "active_assignment", None)
    if a is None or a.role not in ORG_ROLES:
        return None
    return a.congress


def congress_descendants(*, congress: Congress) -> QuerySet[Congress]:
    """The congress and every congress below it: the basis of roll-up figures."""
    return Congress.objects.filter(path__startswith=congress.path)


def office_list(*, congress: Congress) -> QuerySet[Office]:
    return Office.objects.filter(congress=congress).annotate(member_count=Count("members")).order_by("id")


def committee_member_list(*, congress: Congress) -> QuerySet[CommitteeMember]:
    return CommitteeMember.objects.filter(congress=congress).select_related("person", "office", "term")


def unit_list_for_user(*, user) -> QuerySet[Unit]:
    qs = Unit.objects.select_related("congress").prefetch_related("contacts")
    if user.is_superuser:
        return qs
    a = getattr(user, "active_assignment", None)
    if a is None or a.role not in ORG_ROLES:
        return qs.none()
    if a.role == "unit":
        return qs.filter(pk=a.unit_id)
    return qs.filter(congress_id=a.congress_id)


def unit_get_for_user(*, user, unit_id: int) -> Unit:
    return unit_list_for_user(user=user).get(pk=unit_id)


def place_list_for_user(*, user) -> QuerySet[Place]:
    congress = congress_for_user(user=user)
    if user.is_superuser:
        return Place.objects.all()
    if congress is None:
        return Place.objects.none()
    return Place.objects.filter(congress__path__startswith=congress.path)


def towns_public() -> QuerySet[Place]:
    return Place.objects.filter(kind__in=[Place.Kind.TOWN, Place.Kind.STREET]).order_by("sort", "id")


def communities_public(*, town_id: int) -> QuerySet[Place]:
    return Place.objects.filter(parent_id=town_id, kind__in=[Place.Kind.VILLAGE, Place.Kind.COMMUNITY]).order_by(
        "sort", "id")


def rollup_counts(*, congress: Congress, model, date_field: str | None = None) -> list[dict]:
    """Counts of any congress-scoped model per congress in the subtree (city sees towns' figures)."""
    return list(
        model.objects.filter(congress__path__startswith=congress.path)
        .values("congress_id", "congress__name")
        .annotate(n=Count("id"))
        .order_by("congress__path")
    )
