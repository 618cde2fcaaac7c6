"""The Taicang demo: its shape, its accounts, and that loading it twice changes nothing.

The demo is loaded once per module inside an outer transaction that is rolled back at the end;
each test runs in a savepoint within it, so a test that deletes or reloads leaves no trace.
"""

from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from django.test import Client

from renda.accounts.models import Role, RoleAssignment, User
from renda.core.models import Event
from renda.demo import taicang
from renda.demo.selectors import DEMO_PASSWORD, DEMO_USERNAMES, demo_city_congress, demo_counts
from renda.demo.services import RESET_BLOCKED, load_demo
from renda.deputies.models import DelegationGroup, Deputy, LiaisonStation, Person
from renda.org.models import CommitteeMember, Congress, ElectoralDistrict, Office, Place, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        counts = load_demo()
        try:
            yield counts
        finally:
            transaction.set_rollback(True)


def test_counts_match_the_review(demo):
    assert demo["city_deputies"] == 300
    assert demo["zone_group_deputies"] == taicang.ZONE_GROUP_SIZE == 45
    assert demo["town_congresses"] == 6 and demo["street_congresses"] == 2 and demo["congresses"] == 9
    assert demo["city_units"] >= 20
    assert demo["committee_members"] == 33
    assert demo["dual_persons"] >= 20
    for congress in Congress.objects.filter(kind=Congress.Kind.TOWN):
        assert 40 <= congress.deputies.count() <= 60, congress
    for congress in Congress.objects.filter(kind=Congress.Kind.STREET):
        assert 15 <= congress.deputies.count() <= 25, congress


def test_places_congresses_and_the_zone(demo):
    city = demo_city_congress()
    city_place = Place.objects.get(kind=Place.Kind.CITY)
    assert city.area == city_place and city_place.congress == city and city.body_name == "常委会"
    for spec in taicang.TOWNS:
        place = Place.objects.get(name=spec.name, parent=city_place)
        congress = place.congress
        assert congress.area == place and congress.parent == city and congress.path.startswith(city.path)
        assert congress.body_name == ("主席团" if spec.kind == "town" else "人大工委")
        communities = place.children.all()
        assert 5 <= communities.count() <= 10
        assert {c.congress_id for c in communities} == {congress.pk}
        assert {c.kind for c in communities} <= {Place.Kind.COMMUNITY, Place.Kind.VILLAGE}
    zone = Place.objects.get(kind=Place.Kind.ZONE)
    assert zone.name == "太仓高新区" and zone.congress == city
    assert set(zone.spans.values_list("name", flat=True)) == {"娄东街道", "陆渡街道", "城厢镇"}


def test_every_community_is_in_a_city_and_a_local_district(demo):
    city = demo_city_congress()
    communities = Place.objects.filter(kind__in=[Place.Kind.COMMUNITY, Place.Kind.VILLAGE])
    assert communities.count() >= 40
    for community in communities:
        congresses = set(community.districts.values_list("congress_id", flat=True))
        assert city.pk in congresses and community.congress_id in congresses, community
    sizes = ElectoralDistrict.objects.annotate(n=Count("places"))
    assert all(1 <= d.n <= 3 for d in sizes.filter(congress=city))
    assert all(1 <= d.n <= 2 for d in sizes.exclude(congress=city))
    # A district never reaches outside the town or street whose congress it belongs to.
    for d in ElectoralDistrict.objects.exclude(congress=city).prefetch_related("places"):
        assert {p.congress_id for p in d.places.all()} == {d.congress_id}


def test_the_zone_joint_meeting_group(demo):
    zone = Place.objects.get(kind=Place.Kind.ZONE)
    group = DelegationGroup.objects.get(is_joint_meeting=True)
    assert group.name == "太仓高新区人大代表联席会议" and group.place == zone
    deputies = Deputy.objects.filter(group=group)
    assert deputies.count() == 45
    assert set(deputies.values_list("congress__kind", flat=True)) == {Congress.Kind.CITY}
    spanned = set(zone.spans.values_list("pk", flat=True))
    towns = set(Place.objects.filter(districts__deputies__group=group).values_list("parent_id", flat=True))
    assert towns == spanned
    city_groups = DelegationGroup.objects.filter(congress__kind=Congress.Kind.CITY, is_joint_meeting=False)
    assert set(city_groups.values_list("name", flat=True)) == {f"{t.short}代表小组" for t in taicang.TOWNS}


def test_dual_members_are_one_person_with_two_seats(demo):
    dual = (Person.objects.annotate(n=Count("memberships__congress", distinct=True)).filter(n=2))
    assert dual.count() >= 20
    for person in dual:
        kinds = sorted(person.memberships.values_list("congress__kind", flat=True))
        assert kinds == [Congress.Kind.CITY, Congress.Kind.TOWN]
    # Every person appears once: no two rows share a name.
    assert Person.objects.values("name").annotate(n=Count("id")).filter(n__gt=1).count() == 0
    user = User.objects.get(username="deputy")
    seats = {a.deputy for a in user.assignments.all()}
    assert {d.person for d in seats} == {user.person}
    assert {d.congress.kind for d in seats} == {Congress.Kind.CITY, Congress.Kind.TOWN}


def test_every_town_and_street_has_its_branded_station(demo):
    for spec in taicang.TOWNS:
        station = LiaisonStation.objects.get(town__name=spec.name, brand=spec.brand)
        assert station.congress == station.town.congress
        assert station.address and station.reception_days and station.phone.startswith("139")
        assert station.communities.count() == len(spec.communities)
        levels = set(station.deputies_on_duty.values_list("congress__kind", flat=True))
        assert Congress.Kind.CITY in levels and station.congress.kind in levels
    assert LiaisonStation.objects.filter(kind=LiaisonStation.Kind.HOME).count() == len(taicang.TOWNS)
    assert not LiaisonStation.objects.filter(deputies_on_duty__status=Deputy.Status.TERMINATED).exists()


def test_standing_committee_offices_and_members(demo):
    city = demo_city_congress()
    offices = Office.objects.filter(congress=city)
    assert offices.count() == 9
    assert offices.get(code="daibiao").name == "代表工作委员会"
    assert list(offices.filter(supervises=True).values_list("name", flat=True)) == ["办公室"]
    members = CommitteeMember.objects.filter(congress=city)
    posts = {p: members.filter(post=p).count() for p in CommitteeMember.Post.values}
    assert posts == {"director": 1, "vice_director": 4, "secretary_general": 1, "member": 27}
    # Members of the standing committee are elected from among the deputies.
    assert not members.exclude(person__memberships__congress=city).exists()


def test_units_and_contacts(demo):
    city = demo_city_congress()
    units = Unit.objects.filter(congress=city)
    assert units.filter(kind=Unit.Kind.COURT).get().name == "太仓市人民法院"
    assert units.filter(kind=Unit.Kind.PROCURATORATE).get().name == "太仓市人民检察院"
    assert units.filter(kind=Unit.Kind.TOWN_GOVERNMENT).count() == 8
    assert units.filter(name="市住房和城乡建设局").exists()
    for unit in Unit.objects.annotate(n=Count("contacts")):
        assert 1 <= unit.n <= 2, unit
    assert Unit.objects.exclude(congress=city).filter(congress__kind=Congress.Kind.TOWN).count() >= 6


def test_roster_is_varied_and_holds_no_real_personal_data(demo):
    city = demo_city_congress()
    deputies = Deputy.objects.filter(congress=city)
    statuses = set(deputies.values_list("status", flat=True))
    assert statuses == {Deputy.Status.ACTIVE, Deputy.Status.SUSPENDED, Deputy.Status.TERMINATED}
    assert deputies.filter(status=Deputy.Status.ACTIVE).count() >= 290
    ethnicities = list(Person.objects.values_list("ethnicity", flat=True))
    assert 0.85 < ethnicities.count("汉族") / len(ethnicities) < 1
    parties = set(Person.objects.values_list("party", flat=True))
    assert {"中共党员", "群众"} <= parties and len(parties) >= 4
    assert len(set(deputies.values_list("sector", flat=True))) >= 5
    assert not Person.objects.exclude(id_number="").exists()
    assert not Person.objects.exclude(phone="").exclude(phone__regex=r"^139\d{8}$").exists()
    assert not Person.objects.filter(birth_date__isnull=True, memberships__isnull=False).exists()


def test_every_role_has_an_account(demo):
    users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}
    assert set(users) == set(DEMO_USERNAMES)
    assert users["admin"].is_superuser
    held = set(RoleAssignment.objects.filter(user__in=users.values()).values_list("role", flat=True))
    assert held == set(Role.values)
    assert RoleAssignment.objects.get(user=users["staff"]).office.code == "daibiao"
    assert RoleAssignment.objects.get(user=users["unit"]).unit.name == "市住房和城乡建设局"
    assert users["evaluatee"].person.occupation.startswith("太仓市人民法院")
    multi = [a.role for a in users["multi"].assignments.order_by("id")]
    assert multi == [Role.TOWN_STAFF, Role.DEPUTY]
    assert users["multi"].person == users["multi"].assignments.get(role=Role.DEPUTY).deputy.person


@pytest.mark.parametrize("username", DEMO_USERNAMES)
def test_each_account_can_sign_in(demo, username):
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response.url == "/accounts/"
    assert client.get("/accounts/").status_code == 200


def test_loading_twice_changes_nothing(demo):
    out = StringIO()
    assert load_demo(stdout=out) == demo
    assert "已存在" in out.getvalue()


def test_reset_rebuilds_the_same_demo(demo):
    old_city = demo_city_congress()
    names = sorted(Person.objects.values_list("name", flat=True))
    history = (Person.history.count(), Deputy.history.count())
    assert load_demo(reset=True) == demo
    assert demo_city_congress().pk != old_city.pk
    assert sorted(Person.objects.values_list("name", flat=True)) == names  # deterministic
    # The old demo's history went with it; the new one has exactly one "created" row per record.
    assert (Person.history.count(), Deputy.history.count()) == history
    assert set(Person.history.values_list("history_type", flat=True)) == {"+"}


def test_reset_refuses_when_other_data_points_at_the_demo(demo):
    city = demo_city_congress()
    Event.objects.create(congress=city, content_type=ContentType.objects.get_for_model(Congress),
                         object_id=city.pk, action="note")
    # The command turns the service's DemoResetBlocked into a CommandError with the same message.
    with pytest.raises(CommandError, match=RESET_BLOCKED):
        call_command("demo_data", "--reset", stdout=StringIO())
    assert demo_counts() == demo


def test_command_prints_the_accounts_and_the_address(demo):
    out = StringIO()
    call_command("demo_data", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000/" in text and "仅用于演示" in text
    for username in DEMO_USERNAMES:
        assert f"  {username} " in text
    assert text.count(DEMO_PASSWORD) == len(DEMO_USERNAMES)
    assert "人大代表 / 人大代表" in text  # the deputy holds a city and a town seat
