"""Reads of the demo data: is it there, how big is it, and which accounts does it offer."""

from dataclasses import dataclass

from django.db.models import Count, Q

from renda.accounts.models import Role, RoleAssignment, User
from renda.deputies.models import DelegationGroup, Deputy, LiaisonStation, Person, StationDuty
from renda.org.models import CommitteeMember, Congress, ElectoralDistrict, Office, Place, Term, Unit, UnitContact

from . import taicang

DEMO_PASSWORD = "renda-demo-2026"
# The order is the order of the printed table.
DEMO_USERNAMES = ["admin", "staff", "director", "deputy", "unit", "discipline", "town_staff", "evaluatee", "multi"]


def demo_city_congress() -> Congress | None:
    return Congress.objects.filter(kind=Congress.Kind.CITY, name=taicang.CITY_CONGRESS_NAME).first()


def demo_counts() -> dict[str, int]:
    """Row counts of the demo tree; equal counts before and after a second load prove idempotency."""
    city = demo_city_congress()
    if city is None:
        return {}
    tree = Congress.objects.filter(path__startswith=city.path)
    deputies = Deputy.objects.filter(congress__in=tree)
    persons = Person.objects.filter(
        Q(memberships__congress__in=tree) | Q(committee_posts__congress__in=tree)
        | Q(user__username__in=DEMO_USERNAMES)
    ).distinct()
    dual = (Person.objects.filter(memberships__congress__in=tree)
            .annotate(n=Count("memberships__congress", distinct=True)).filter(n__gte=2))
    return {
        "congresses": tree.count(),
        "town_congresses": tree.filter(kind=Congress.Kind.TOWN).count(),
        "street_congresses": tree.filter(kind=Congress.Kind.STREET).count(),
        "places": Place.objects.filter(congress__in=tree).count(),
        "communities": Place.objects.filter(
            congress__in=tree, kind__in=[Place.Kind.COMMUNITY, Place.Kind.VILLAGE]).count(),
        "terms": Term.objects.filter(congress__in=tree).count(),
        "districts": ElectoralDistrict.objects.filter(congress__in=tree).count(),
        "offices": Office.objects.filter(congress__in=tree).count(),
        "committee_members": CommitteeMember.objects.filter(congress__in=tree).count(),
        "units": Unit.objects.filter(congress__in=tree).count(),
        "city_units": Unit.objects.filter(congress=city).count(),
        "unit_contacts": UnitContact.objects.filter(unit__congress__in=tree).count(),
        "persons": persons.count(),
        "city_deputies": deputies.filter(congress=city).count(),
        "town_deputies": deputies.filter(congress__kind=Congress.Kind.TOWN).count(),
        "street_deputies": deputies.filter(congress__kind=Congress.Kind.STREET).count(),
        "zone_group_deputies": deputies.filter(group__is_joint_meeting=True).count(),
        "dual_persons": dual.count(),
        "groups": DelegationGroup.objects.filter(congress__in=tree).count(),
        "stations": LiaisonStation.objects.filter(congress__in=tree).count(),
        "duties": StationDuty.objects.filter(station__congress__in=tree).count(),
        "accounts": User.objects.filter(username__in=DEMO_USERNAMES).count(),
        "role_assignments": RoleAssignment.objects.filter(congress__in=tree).count(),
    }


@dataclass(frozen=True)
class DemoAccountRow:
    username: str
    password: str
    role: str  # in Chinese; "a / b" for a user with two roles
    scope: str


def demo_account_rows() -> list[DemoAccountRow]:
    users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}
    assignments: dict[int, list[RoleAssignment]] = {}
    for a in (RoleAssignment.objects.filter(user__in=users.values(), is_active=True)
              .select_related("congress", "office", "unit", "deputy__person").order_by("id")):
        assignments.setdefault(a.user_id, []).append(a)
    rows = []
    for username in DEMO_USERNAMES:
        user = users.get(username)
        if user is None:
            continue
        held = assignments.get(user.pk, [])
        if user.is_superuser and not held:
            rows.append(DemoAccountRow(username, DEMO_PASSWORD, "系统管理员（超级用户）", "全部"))
            continue
        rows.append(DemoAccountRow(
            username, DEMO_PASSWORD,
            " / ".join(str(Role(a.role).label) for a in held),
            " / ".join(_scope(a) for a in held),
        ))
    return rows


def _scope(a: RoleAssignment) -> str:
    if a.unit_id:
        return a.unit.name
    if a.deputy_id:
        return f"{a.congress.short_name}·{a.deputy.person.name}"
    if a.office_id:
        return f"{a.congress.short_name}·{a.office.name}"
    return a.congress.short_name
