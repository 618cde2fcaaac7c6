"""Reads for the office's pages (代表工委 / town staff): the all-opinions list with keyset pagination,
the choices of its filters, and the opinion deadline policies.

Keyset pagination: a page is "the N newest rows older than the cursor" on (-submitted_at, -id), so
page 1,000 costs what page 1 costs (the index opinion_congress_recent drives it); no OFFSET and no
COUNT(*) over the whole table. The count shown is capped (COUNT over a LIMIT 10,001 subquery).
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from renda.accounts.permissions import _assignment
from renda.core.paging import Cursor, count_capped

from .models import Opinion
from .selectors import OpinionFilters, opinion_list_for_user

PAGE_SIZE = 50
COUNT_CAP = 10_000
OPINION_POLICY_CODES = ("opinion_accept", "opinion_reply", "opinion_rehandle", "opinion_answer")
OFFICE_ROLES = ("staff", "director", "town_staff")


def user_is_office(user) -> bool:
    """The all-opinions list is for the office and the leadership (and a superuser without a role)."""
    a = _assignment(user)
    if a is None:
        return bool(getattr(user, "is_superuser", False))
    return a.role in OFFICE_ROLES


@dataclass
class OpinionPage:
    rows: list[Opinion]
    next_cursor: str
    count: int
    count_capped: bool
    is_first: bool


def opinion_page_for_user(*, user, filters: OpinionFilters, cursor: str = "", size: int = PAGE_SIZE,
                          choices: "FilterChoices | None" = None) -> OpinionPage:
    """One page of the office's list, newest first; its `next_cursor` is "" on the last page.

    With `choices` (the filter form's, already loaded) the rows are read without joins and get
    `addressee_label`, `community_label` and `category_label` from them: PostgreSQL spent ~10 ms
    planning the seven-table join of select_related for 50 rows.
    """
    qs = opinion_list_for_user(user=user, filters=filters, ranked=False)
    if choices is not None:
        qs = qs.select_related(None)
    c = Cursor.decode(cursor) if cursor else None
    page_qs = qs
    if c is not None:
        page_qs = qs.filter(c.older_q())
    rows = list(page_qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if choices is not None:
        rows_label(rows, choices)
    next_cursor = Cursor(rows[-1].submitted_at, rows[-1].pk).encode() if more and rows else ""
    count = opinion_count_capped(qs)
    return OpinionPage(rows=rows, next_cursor=next_cursor, count=min(count, COUNT_CAP),
                       count_capped=count > COUNT_CAP, is_first=c is None)


def rows_label(rows: list[Opinion], choices: "FilterChoices") -> None:
    """Set the list's three label attributes from the filter choices; names the choices lack (a
    deputy no longer active, a retired category) are read in one query each."""
    from renda.deputies.models import Deputy, LiaisonStation
    from renda.org.models import Place

    from .models import Category

    def names(known, model, ids, field="name"):
        found = dict(known)
        missing = {pk for pk in ids if pk and pk not in found}
        if missing:
            found.update(model.objects.filter(pk__in=missing).values_list("pk", field))
        return found

    deputies = names(choices.deputies, Deputy, {o.deputy_id for o in rows}, "person__name")
    stations = names(choices.stations, LiaisonStation, {o.station_id for o in rows})
    communities = names(choices.communities, Place, {o.community_id for o in rows})
    categories = names(choices.categories, Category, {o.category_id for o in rows})
    office = _("人大常委会机关")
    for o in rows:
        o.addressee_label = (deputies.get(o.deputy_id, "") if o.deputy_id else
                             stations.get(o.station_id, "") if o.station_id else office)
        o.community_label = communities.get(o.community_id, "")
        o.category_label = categories.get(o.category_id, "")


def opinion_count_capped(qs: QuerySet[Opinion], cap: int | None = None) -> int:
    return count_capped(qs, COUNT_CAP if cap is None else cap)


# --- filter choices -----------------------------------------------------------------------------
@dataclass
class FilterChoices:
    towns: list[tuple[int, str]]
    communities: list[tuple[int, str]]
    categories: list[tuple[int, str]]
    deputies: list[tuple[int, str]]
    stations: list[tuple[int, str]]
    units: list[tuple[int, str]]


def filter_choices_for_user(*, user) -> FilterChoices:
    """What the filter selects offer: the places, deputies, stations and units of the user's congress."""
    from renda.deputies.models import Deputy, LiaisonStation
    from renda.org.models import Congress, Place, Unit

    from .selectors import categories_active

    a = _assignment(user)
    congress = a.congress if a is not None else None
    if congress is None and getattr(user, "is_superuser", False):
        congress = Congress.objects.filter(parent__isnull=True).order_by("id").first()
    categories = list(categories_active().values_list("id", "name"))
    if congress is None:
        return FilterChoices([], [], categories, [], [], [])
    town_kinds = [Place.Kind.TOWN, Place.Kind.STREET]
    towns_q = Q(kind__in=town_kinds) & (Q(parent_id=congress.area_id) | Q(pk=congress.area_id))
    towns = list(Place.objects.filter(towns_q).order_by("sort", "id").values_list("id", "name"))
    communities = list(Place.objects.filter(parent_id__in=[t[0] for t in towns],
                                            kind__in=[Place.Kind.VILLAGE, Place.Kind.COMMUNITY])
                       .order_by("parent_id", "sort", "id").values_list("id", "name"))
    deputies = list(Deputy.objects.filter(congress=congress, status=Deputy.Status.ACTIVE)
                    .order_by("person__name", "id").values_list("id", "person__name"))
    stations = list(LiaisonStation.objects.filter(congress=congress).order_by("id").values_list("id", "name"))
    units = list(Unit.objects.filter(congress=congress, is_active=True).order_by("id").values_list("id", "name"))
    return FilterChoices(towns, communities, categories, deputies, stations, units)


def office_congress(user):
    """The congress the office user works for (a superuser without a role: the top congress)."""
    from renda.org.models import Congress

    a = _assignment(user)
    if a is not None:
        return a.congress if a.role in OFFICE_ROLES else None
    if getattr(user, "is_superuser", False):
        return Congress.objects.filter(parent__isnull=True).order_by("id").first()
    return None


def opinion_policies():
    """The four deadline norms of the channel, in the order of the flow."""
    from renda.core.workdays.models import DeadlinePolicy

    found = {p.code: p for p in DeadlinePolicy.objects.filter(code__in=OPINION_POLICY_CODES)}
    return [found[c] for c in OPINION_POLICY_CODES if c in found]


def opinion_by_code(*, congress_id: int, code: str) -> Opinion | None:
    """Resolve a tracking code typed by staff to an opinion of the same congress (merge target)."""
    from .services import tracking_code_normalize

    code = tracking_code_normalize(code)
    if not code:
        return None
    return Opinion.objects.filter(congress_id=congress_id, tracking_code=code).first()
