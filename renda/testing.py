"""Shared pytest fixtures: a small two-congress world with one user per role.

Loaded for every test through conftest.py (pytest_plugins). Keep it small: it is built per test.
"""

import datetime as dt
from types import SimpleNamespace

import pytest

PASSWORD = "pw-renda-2026"


def make_user(username: str, *, role: str | None = None, congress=None, superuser: bool = False, **scope):
    from renda.accounts.models import RoleAssignment, User

    if superuser:
        user = User.objects.create_superuser(username=username, password=PASSWORD, email=f"{username}@example.org")
    else:
        user = User.objects.create_user(username=username, password=PASSWORD, display_name=username,
                                        phone="13900000000", email=f"{username}@example.org")
    if role:
        RoleAssignment.objects.create(user=user, role=role, congress=congress, **scope)
    return user


def build_world() -> SimpleNamespace:
    from renda.deputies.models import DelegationGroup, Deputy, LiaisonStation, Person, StationDuty
    from renda.org.models import Congress, ElectoralDistrict, Office, Place, Term, Unit, UnitContact

    ensure_seeded()
    w = SimpleNamespace()
    w.city_place = Place.objects.create(name="太仓市", kind="city")
    w.city = Congress.objects.create(name="太仓市人民代表大会", short_name="太仓市人大", kind="city",
                                     body_name="常委会", area=w.city_place)
    w.city_place.congress = w.city
    w.city_place.save()
    w.town_place = Place.objects.create(name="沙溪镇", kind="town", parent=w.city_place)
    w.town = Congress.objects.create(name="沙溪镇人民代表大会", short_name="沙溪镇人大", kind="town",
                                     body_name="主席团", parent=w.city, area=w.town_place)
    w.town_place.congress = w.town
    w.town_place.save()
    w.other_town_place = Place.objects.create(name="浏河镇", kind="town", parent=w.city_place)
    w.other_town = Congress.objects.create(name="浏河镇人民代表大会", short_name="浏河镇人大", kind="town",
                                           body_name="主席团", parent=w.city, area=w.other_town_place)
    w.community = Place.objects.create(name="新港社区", kind="community", parent=w.town_place, congress=w.town)
    w.village = Place.objects.create(name="泥泾村", kind="village", parent=w.town_place, congress=w.town)
    w.other_community = Place.objects.create(name="浏家港社区", kind="community", parent=w.other_town_place,
                                             congress=w.other_town)
    w.city_term = Term.objects.create(congress=w.city, number=17, start_date=dt.date(2021, 12, 1))
    w.town_term = Term.objects.create(congress=w.town, number=18, start_date=dt.date(2021, 11, 1))
    w.other_term = Term.objects.create(congress=w.other_town, number=18, start_date=dt.date(2021, 11, 1))
    w.city_district = ElectoralDistrict.objects.create(congress=w.city, term=w.city_term, name="第5选区", number=5)
    w.city_district.places.set([w.community, w.village])
    w.town_district = ElectoralDistrict.objects.create(congress=w.town, term=w.town_term, name="新港选区", number=1)
    w.town_district.places.set([w.community])
    w.other_district = ElectoralDistrict.objects.create(congress=w.other_town, term=w.other_term, name="浏家港选区",
                                                        number=1)
    w.other_district.places.set([w.other_community])
    w.office = Office.objects.create(congress=w.city, name="代表工作委员会", code="daibiao")
    w.main_office = Office.objects.create(congress=w.city, name="办公室", code="bangongshi", supervises=True)
    w.unit = Unit.objects.create(congress=w.city, name="市住房和城乡建设局")
    w.other_unit = Unit.objects.create(congress=w.city, name="市教育局")
    UnitContact.objects.create(unit=w.unit, name="王科长", phone="13912345678")
    w.group = DelegationGroup.objects.create(congress=w.city, term=w.city_term, name="沙溪代表小组",
                                             place=w.town_place)
    w.person = Person.objects.create(name="张建国", gender="male", party="中共党员",
                                     occupation="沙溪镇新港社区党委书记",
                                     phone="13812345678", email="zhang@example.org", id_number="320585197001011234",
                                     birth_date=dt.date(1970, 1, 1))
    w.deputy = Deputy.objects.create(congress=w.city, term=w.city_term, person=w.person, district=w.city_district,
                                     group=w.group, sector="cadre")
    w.town_deputy = Deputy.objects.create(congress=w.town, term=w.town_term, person=w.person,
                                          district=w.town_district)
    w.person2 = Person.objects.create(name="李秀英", gender="female", occupation="太仓市第一人民医院医生",
                                      phone="13987654321")
    w.deputy2 = Deputy.objects.create(congress=w.city, term=w.city_term, person=w.person2, district=w.city_district,
                                      group=w.group, sector="professional")
    w.other_person = Person.objects.create(name="陈明", gender="male", phone="13700001111")
    w.other_deputy = Deputy.objects.create(congress=w.other_town, term=w.other_term, person=w.other_person,
                                           district=w.other_district)
    w.terminated_deputy = Deputy.objects.create(congress=w.city, term=w.city_term, district=w.city_district,
                                                person=Person.objects.create(name="王已终"), status="terminated")
    w.station = LiaisonStation.objects.create(congress=w.town, name="沙溪镇人大代表联络站", town=w.town_place,
                                              address="沙溪镇白云路1号", brand="联督问政",
                                              reception_days="每月15日 9:00-11:30", phone="0512-53210000")
    w.station.communities.set([w.community, w.village])
    StationDuty.objects.create(station=w.station, deputy=w.deputy, schedule="每月15日")
    w.other_station = LiaisonStation.objects.create(congress=w.other_town, name="浏河镇民声茶坊",
                                                    town=w.other_town_place, address="浏河镇", brand="民声茶坊听民声")

    w.users = {
        "admin": make_user("admin", superuser=True),
        "staff": make_user("staff", role="staff", congress=w.city, office=w.office),
        "director": make_user("director", role="director", congress=w.city),
        "deputy": make_user("deputy", role="deputy", congress=w.city, deputy=w.deputy),
        "unit": make_user("unit", role="unit", congress=w.city, unit=w.unit),
        "discipline": make_user("discipline", role="discipline", congress=w.city),
        "town_staff": make_user("town_staff", role="town_staff", congress=w.town),
        "evaluatee": make_user("evaluatee", role="evaluatee", congress=w.city),
        "norole": make_user("norole"),
        "other_town_staff": make_user("other_town_staff", role="town_staff", congress=w.other_town),
    }
    from renda.core.notify.models import Message
    from renda.core.workdays.models import DeadlinePolicy, Holiday

    w.holiday = Holiday.objects.get(date=dt.date(2026, 10, 1))
    w.policy = DeadlinePolicy.objects.order_by("id").first()
    w.message = Message.objects.create(recipient=w.users["staff"], subject="测试消息", body="请及时处理。")
    w.users["deputy"].person = w.person
    w.users["deputy"].save(update_fields=["person"])
    return w


ROLES = ["anonymous", "norole", "admin", "staff", "director", "deputy", "unit", "discipline", "town_staff",
         "evaluatee"]


def ensure_seeded() -> None:
    """The holiday table and deadline policies written by the data migration.

    A transactional test (a concurrency test, a browser test's live server) flushes the database
    afterwards, migration data included; put the seed back when it is gone.
    """
    import datetime
    import uuid

    from renda.core.workdays.models import CalendarRevision, CalendarYear, DeadlinePolicy, Holiday
    from renda.core.workdays.seed import seed_calendar, seed_policies

    if not Holiday.objects.filter(date=datetime.date(2026, 10, 1)).exists():
        seed_calendar(Holiday, CalendarYear, CalendarRevision, token=uuid.uuid4().hex)
    seed_policies(DeadlinePolicy)
    from renda.opinions.models import Category
    from renda.opinions.seed import seed_categories

    seed_categories(Category)
    from renda.suggestions.models import Category as SuggestionCategory
    from renda.suggestions.seed import seed_categories as seed_suggestion_categories

    seed_suggestion_categories(SuggestionCategory)


@pytest.fixture
def seeded(db):
    ensure_seeded()


@pytest.fixture
def world(seeded):
    return build_world()


@pytest.fixture
def client_for(world, client):
    """client_for("staff") -> a test client logged in as that role ("anonymous": not logged in)."""
    from django.test import Client

    def make(role: str) -> Client:
        c = Client()
        if role != "anonymous":
            c.force_login(world.users[role], backend="django.contrib.auth.backends.ModelBackend")
        return c

    return make
