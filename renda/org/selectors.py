"""Reads of the organisation, scoped to the user's active congress."""

from django.db.models import Case, Count, QuerySet, Value, When

from .models import CommitteeMember, Congress, Office, Place, Unit

ORG_ROLES = {"staff", "director", "town_staff", "deputy", "discipline", "unit"}


def congress_for_user(*, user) -> Congress | None:
    """The congress the user works in; a superuser without a role sees the top of the tree."""
    a = getattr(user, "active_assignment", None)
    if a is None and getattr(user, "is_superuser", False):
        return Congress.objects.filter(parent__isnull=True).order_by("id").first()
    if a is None or a.role not in ORG_ROLES:
        return None
    return a.congress


def congress_descendants(*, congress: Congress) -> QuerySet[Congress]:
    """The congress and every congress below it: the basis of roll-up figures."""
    return Congress.objects.filter(path__startswith=congress.path)


def office_list(*, congress: Congress) -> QuerySet[Office]:
    return Office.objects.filter(congress=congress).annotate(member_count=Count("members")).order_by("id")


POST_ORDER = Case(*(When(post=p, then=Value(i)) for i, p in enumerate(CommitteeMember.Post.values)),
                  default=Value(99))


def committee_member_list(*, congress: Congress) -> QuerySet[CommitteeMember]:
    """Members in protocol order: 主任, 副主任, 秘书长, 委员."""
    return (CommitteeMember.objects.filter(congress=congress).select_related("person", "office", "term")
            .order_by(POST_ORDER, "id"))


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


def rollup_counts(*, congress: Congress, queryset: QuerySet) -> dict[int, int]:
    """Counts of any congress-scoped queryset per congress in the subtree, in one query.

    This is how the city committee sees the towns' figures without seeing the towns' items.
    """
    rows = (
        queryset.filter(congress__path__startswith=congress.path)
        .values("congress_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["congress_id"]: r["n"] for r in rows}


def congress_rollup(*, congress: Congress) -> list[dict]:
    """One row per congress in the subtree: active deputies and liaison stations (a fixed number of queries)."""
    from renda.deputies.models import Deputy, LiaisonStation

    deputies = rollup_counts(congress=congress, queryset=Deputy.objects.filter(status=Deputy.Status.ACTIVE))
    stations = rollup_counts(congress=congress, queryset=LiaisonStation.objects.all())
    return [
        {"congress": c, "deputies": deputies.get(c.pk, 0), "stations": stations.get(c.pk, 0)}
        for c in congress_descendants(congress=congress)
    ]


# --- who is told -------------------------------------------------------------------------------------------
def unit_users(*unit_ids: int) -> list:
    """The active users acting for these units (one query): whom a unit's part of an item is sent to."""
    from renda.accounts.models import User

    return list(User.objects.filter(is_active=True, assignments__role="unit", assignments__unit_id__in=unit_ids,
                                    assignments__is_active=True).distinct())


def office_users(congress_id: int) -> list:
    """The office of a congress (staff; town staff for a town congress): who reviews its suggestions and
    arbitrates its units' returns and extensions."""
    from renda.accounts.models import User

    return list(User.objects.filter(is_active=True, assignments__role__in=["staff", "town_staff"],
                                    assignments__congress_id=congress_id, assignments__is_active=True).distinct())
