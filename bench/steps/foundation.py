"""Issue 2's data: places, congresses, districts, units, people, deputies, stations and accounts.

Shape per 10,000 deputies, a province-like tree that the tenancy design targets:
  1 province congress (~6% of the seats, one 代表团 per city),
  12 city congresses (~30%: Taicang-sized, ~250 deputies, 8 towns and streets, 1 zone),
  96 town congresses and street 人大工委 (~64%), ~960 villages and communities (10 per town),
  ~20 handling units per city, ~4 liaison stations per town with deputies on duty.
One person in five of a town's city deputies also sits in that town's congress, and two in five
province deputies are also city deputies: such a person exists once, with two memberships.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from bench import names as N
from bench.registry import BATCH, Context, step

PROVINCE_NAME = "云江省"  # fictitious, like every generated place
PASSWORD = "bench-renda-2026"
BENCH_ADMIN = "bench-admin"
# The staff user of the first city (代表工委): the benchmark signs in as this user.
BENCH_STAFF = "bench-staff"


@dataclass(frozen=True)
class Shape:
    cities: int
    towns_per_city: int = 8
    streets_per_city: int = (
        2  # of towns_per_city, how many are streets (街道) rather than towns (镇)
    )
    communities_per_town: int = 10
    province_share: float = 0.064
    city_share: float = 0.30

    @classmethod
    def for_deputies(cls, deputies: int) -> "Shape":
        # ~833 seats per city (≈250 city + 8 × 60 town + province share): Taicang-sized cities.
        return cls(cities=max(1, round(deputies / 833)))


@dataclass
class Town:
    place: object
    city: "City"
    is_street: bool
    communities: list = field(default_factory=list)
    congress: object = None
    term: object = None
    city_districts: list = field(default_factory=list)
    districts: list = field(default_factory=list)  # the town congress's own, one per community
    groups: list = field(default_factory=list)
    city_group: object = None
    deputies: list = field(default_factory=list)  # every seat elected here, all levels


@dataclass
class City:
    place: object
    index: int
    towns: list = field(default_factory=list)
    zone: object = None
    zone_towns: list = field(default_factory=list)
    congress: object = None
    term: object = None
    offices: list = field(default_factory=list)
    province_district: object = None
    province_group: object = None
    joint_group: object = None
    units: list = field(default_factory=list)
    deputies: list = field(default_factory=list)  # this city congress's seats


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _save(model, objs: list, bar, **kwargs) -> list:
    for batch in Context.batches(objs):
        model.objects.bulk_create(batch, batch_size=BATCH, **kwargs)
        bar.update(len(batch))
    return objs


def _save_m2m(through, rows: list, bar) -> None:
    for batch in Context.batches(rows):
        through.objects.bulk_create(batch, batch_size=BATCH)
        bar.update(len(batch))


@step("places", order=110)
def places(ctx: Context) -> None:
    """Province → cities → towns and streets → villages and communities; a zone per city."""
    from renda.org.models import Place

    shape = Shape.for_deputies(ctx.deputies)
    w = ctx.world
    w.shape = shape
    rng = ctx.rng
    namer = N.PlaceNamer(rng)
    per_city = 2 + shape.towns_per_city * (
        1 + shape.communities_per_town
    )  # + the zone and its spans
    spans = shape.streets_per_city + 1
    with transaction.atomic(), ctx.progress(1 + shape.cities * (per_city + spans), "places") as bar:
        w.province_place = Place.objects.create(
            name=PROVINCE_NAME, kind=Place.Kind.PROVINCE, code="990000"
        )
        bar.update(1)
        w.cities = [
            City(
                place=Place(
                    name=namer.name("city") + "市",
                    kind=Place.Kind.CITY,
                    parent=w.province_place,
                    code=f"99{i + 1:02d}00",
                    sort=i,
                ),
                index=i,
            )
            for i in range(shape.cities)
        ]
        _save(Place, [c.place for c in w.cities], bar)
        for city in w.cities:
            for t in range(shape.towns_per_city):
                is_street = t >= shape.towns_per_city - shape.streets_per_city
                number = (t + 1) if is_street else (100 + t)
                code = (
                    f"{city.place.code}{number:03d}"  # streets 0xx, towns 1xx, as official codes do
                )
                place = Place(
                    name=namer.name(city.index) + ("街道" if is_street else "镇"),
                    parent=city.place,
                    kind=Place.Kind.STREET if is_street else Place.Kind.TOWN,
                    code=code,
                    sort=t,
                )
                city.towns.append(Town(place=place, city=city, is_street=is_street))
        _save(Place, [t.place for c in w.cities for t in c.towns], bar)
        for city in w.cities:
            for town in city.towns:
                for k in range(shape.communities_per_town):
                    village = not town.is_street and rng.random() < 0.45
                    kind = Place.Kind.VILLAGE if village else Place.Kind.COMMUNITY
                    code = f"{town.place.code}{(200 if village else 0) + k + 1:03d}"
                    town.communities.append(
                        Place(
                            name=namer.name(town.place.code) + ("村" if village else "社区"),
                            kind=kind,
                            parent=town.place,
                            code=code,
                            sort=k,
                        )
                    )
        _save(Place, [p for c in w.cities for t in c.towns for p in t.communities], bar)
        for city in w.cities:
            # The zone spans the streets and one town, as 太仓高新区 spans 娄东, 陆渡, 城厢.
            city.zone_towns = [t for t in city.towns if t.is_street] + city.towns[:1]
            city.zone = Place(
                name=city.place.name.removesuffix("市") + "高新区",
                kind=Place.Kind.ZONE,
                parent=city.place,
                code=f"{city.place.code}900",
                sort=999,
            )
        _save(Place, [c.zone for c in w.cities], bar)
        _save_m2m(
            Place.spans.through,
            [
                Place.spans.through(from_place_id=c.zone.pk, to_place_id=t.place.pk)
                for c in w.cities
                for t in c.zone_towns
            ],
            bar,
        )
    ctx.count("places", 1 + shape.cities * per_city)
    ctx.count("towns and streets", shape.cities * shape.towns_per_city)
    ctx.count(
        "villages and communities", shape.cities * shape.towns_per_city * shape.communities_per_town
    )


@step("congresses", order=120)
def congresses(ctx: Context) -> None:
    """Congresses (the tenant) with their paths, terms and the committee offices."""
    from renda.org.models import Congress, Office, Place, Term

    w = ctx.world
    towns = [t for c in w.cities for t in c.towns]
    with transaction.atomic(), ctx.progress(1 + len(w.cities) + len(towns), "congresses") as bar:
        w.province = Congress.objects.create(
            name=f"{PROVINCE_NAME}人民代表大会",
            short_name=f"{PROVINCE_NAME}人大",
            kind=Congress.Kind.PROVINCE,
            body_name="常委会",
            area=w.province_place,
        )
        bar.update(1)
        for city in w.cities:
            city.congress = Congress(
                name=f"{city.place.name}人民代表大会",
                short_name=f"{city.place.name}人大",
                kind=Congress.Kind.CITY,
                body_name="常委会",
                parent=w.province,
                area=city.place,
            )
        _save(Congress, [c.congress for c in w.cities], bar)
        for town in towns:
            if town.is_street:
                town.congress = Congress(
                    name=f"{town.place.name}人大工作委员会",
                    short_name=f"{town.place.name}人大工委",
                    kind=Congress.Kind.STREET,
                    body_name="人大工委",
                    parent=town.city.congress,
                    area=town.place,
                )
            else:
                town.congress = Congress(
                    name=f"{town.place.name}人民代表大会",
                    short_name=f"{town.place.name}人大",
                    kind=Congress.Kind.TOWN,
                    body_name="主席团",
                    parent=town.city.congress,
                    area=town.place,
                )
        _save(Congress, [t.congress for t in towns], bar)
        # bulk_create skips Congress.save(), which is what computes the roll-up path.
        for city in w.cities:
            city.congress.path = f"{w.province.path}{city.congress.pk}/"
        for town in towns:
            town.congress.path = f"{town.city.congress.path}{town.congress.pk}/"
        Congress.objects.bulk_update(
            [c.congress for c in w.cities] + [t.congress for t in towns], ["path"], batch_size=BATCH
        )

        w.province_place.congress = w.province
        updated = [w.province_place]
        for city in w.cities:
            city.place.congress = city.congress
            city.zone.congress = city.congress
            updated += [city.place, city.zone]
            for town in city.towns:
                town.place.congress = town.congress
                updated.append(town.place)
                for p in town.communities:
                    p.congress = town.congress
                    updated.append(p)
        Place.objects.bulk_update(updated, ["congress"], batch_size=BATCH)

        w.province_term = Term.objects.create(
            congress=w.province, number=14, start_date=dt.date(2023, 1, 12)
        )
        for city in w.cities:
            city.term = Term(congress=city.congress, number=17, start_date=dt.date(2021, 12, 1))
        for town in towns:
            town.term = Term(
                congress=town.congress,
                number=2 if town.is_street else 18,
                start_date=dt.date(2022, 1, 10) if town.is_street else dt.date(2021, 11, 20),
            )
        Term.objects.bulk_create(
            [c.term for c in w.cities] + [t.term for t in towns], batch_size=BATCH
        )

        offices = [
            Office(congress=w.province, name=n, code=code, supervises=s) for n, code, s in N.OFFICES
        ]
        w.province_offices = offices[:]
        for city in w.cities:
            city.offices = [
                Office(congress=city.congress, name=n, code=code, supervises=s)
                for n, code, s in N.OFFICES
            ]
            offices += city.offices
        offices += [
            Office(congress=t.congress, name="人大办公室", code="bangongshi", supervises=True)
            for t in towns
        ]
        Office.objects.bulk_create(offices, batch_size=BATCH)
    ctx.count("congresses", 1 + len(w.cities) + len(towns))


@step("districts", order=130)
def districts(ctx: Context) -> None:
    """Electoral districts at every level.

    A province 代表团 per city, city districts of two communities, a town district per community.
    """
    from renda.org.models import ElectoralDistrict

    w = ctx.world
    through = ElectoralDistrict.places.through
    members: list[tuple[ElectoralDistrict, list]] = []
    for i, city in enumerate(w.cities):
        city.province_district = ElectoralDistrict(
            congress=w.province, term=w.province_term, name=f"{city.place.name}代表团", number=i + 1
        )
        members.append((city.province_district, [p for t in city.towns for p in t.communities]))
        number = 0
        for town in city.towns:
            for chunk in _chunks(town.communities, 2):
                number += 1
                d = ElectoralDistrict(
                    congress=city.congress,
                    term=city.term,
                    number=number,
                    name=f"第{number}选区（{town.place.name}{'、'.join(p.name for p in chunk)}）",
                )
                town.city_districts.append(d)
                members.append((d, chunk))
            for k, p in enumerate(town.communities):
                d = ElectoralDistrict(
                    congress=town.congress, term=town.term, number=k + 1, name=f"{p.name}选区"
                )
                town.districts.append(d)
                members.append((d, [p]))
    rows = sum(len(m) for _, m in members)
    with transaction.atomic(), ctx.progress(len(members) + rows, "districts") as bar:
        _save(ElectoralDistrict, [d for d, _ in members], bar)
        _save_m2m(
            through,
            [through(electoraldistrict_id=d.pk, place_id=p.pk) for d, ps in members for p in ps],
            bar,
        )
    ctx.count("electoral districts", len(members))


@step("units", order=140)
def units(ctx: Context) -> None:
    """About 20 handling units per city (departments, court, procuratorate, town governments)."""
    from renda.org.models import Unit, UnitContact

    w = ctx.world
    rng = ctx.rng
    all_units: list[Unit] = []
    w.province_units = [
        Unit(congress=w.province, name=f"{PROVINCE_NAME}{d}".replace("局", "厅"))
        for d in N.DEPARTMENTS[:18]
    ]
    w.province_units += [
        Unit(congress=w.province, name=f"{PROVINCE_NAME}高级人民法院", kind=Unit.Kind.COURT),
        Unit(congress=w.province, name=f"{PROVINCE_NAME}人民检察院", kind=Unit.Kind.PROCURATORATE),
    ]
    all_units += w.province_units
    for city in w.cities:
        depts = sorted(rng.sample(range(len(N.DEPARTMENTS)), 20 - 2 - len(city.towns)))
        city.units = [
            Unit(congress=city.congress, name=f"{city.place.name}{N.DEPARTMENTS[i]}") for i in depts
        ]
        city.units += [
            Unit(congress=city.congress, name=f"{city.place.name}人民法院", kind=Unit.Kind.COURT),
            Unit(
                congress=city.congress,
                name=f"{city.place.name}人民检察院",
                kind=Unit.Kind.PROCURATORATE,
            ),
        ]
        city.units += [
            Unit(
                congress=city.congress,
                kind=Unit.Kind.TOWN_GOVERNMENT,
                name=f"{t.place.name}{'办事处' if t.is_street else '人民政府'}",
            )
            for t in city.towns
        ]
        all_units += city.units
    with transaction.atomic(), ctx.progress(len(all_units) * 5 // 2, "units") as bar:
        _save(Unit, all_units, bar)
        contacts = []
        for unit in all_units:
            for title in ["办公室主任", "联络员"][: rng.choice([1, 2])]:
                contacts.append(
                    UnitContact(
                        unit=unit,
                        name=N.person_name(rng),
                        title=title,
                        phone=f"198{len(contacts):08d}",
                    )
                )
        _save(UnitContact, contacts, bar)
        bar.total = bar.n
    w.units = all_units
    ctx.count("handling units", len(all_units))


def _new_person(ctx: Context, *, where: Town | None, city: City, seq: int):
    from renda.deputies.models import Person

    rng = ctx.rng
    sector = N.weighted(rng, N.SECTORS)
    gender = "female" if rng.random() < 0.28 else "male"
    birth = dt.date(1958, 1, 1) + dt.timedelta(days=rng.randrange(0, 38 * 365))
    town = where.place.name if where else city.place.name
    community = rng.choice(where.communities).name if where else ""
    occupation = rng.choice(N.OCCUPATIONS[sector]).format(
        city=city.place.name,
        town=town,
        community=community,
        co=rng.choice(N.COMPANY_WORDS),
        dept=rng.choice(N.DEPARTMENTS).removesuffix("局"),
    )
    name = N.person_name(rng)
    person = Person(
        name=name,
        gender=gender,
        ethnicity=N.weighted(rng, N.ETHNICITIES),
        party=N.weighted(rng, N.PARTIES),
        birth_date=birth,
        occupation=occupation,
        phone=f"199{seq:08d}",
        email=f"deputy{seq}@example.org" if rng.random() < 0.3 else "",
        id_number=N.id_number((where.place.code if where else city.place.code)[:6], birth, seq),
        public_bio=f"{name}，{occupation}。" if rng.random() < 0.5 else "",
    )
    person.sector = sector  # carried to the first seat; not a model field
    return person


@step("deputies", order=150)
def deputies(ctx: Context) -> None:
    """Delegation groups, persons and exactly --deputies memberships (some persons hold two)."""
    from renda.deputies.models import DelegationGroup, Deputy, Person

    w = ctx.world
    rng = ctx.rng
    total = ctx.deputies
    province_n = round(total * w.shape.province_share) if total >= 50 else 0
    city_n = round(total * w.shape.city_share)
    town_n = total - province_n - city_n
    towns = [t for c in w.cities for t in c.towns]

    groups: list[DelegationGroup] = []
    for city in w.cities:
        city.province_group = DelegationGroup(
            congress=w.province,
            term=w.province_term,
            name=f"{city.place.name}代表团",
            place=city.place,
        )
        city.joint_group = DelegationGroup(
            congress=city.congress,
            term=city.term,
            place=city.zone,
            name=f"{city.zone.name}人大代表联席会议",
            is_joint_meeting=True,
        )
        groups += [city.province_group, city.joint_group]
        for town in city.towns:
            short = town.place.name.removesuffix("街道").removesuffix("镇")
            town.city_group = DelegationGroup(
                congress=city.congress, term=city.term, name=f"{short}代表小组", place=town.place
            )
            town.groups = [
                DelegationGroup(
                    congress=town.congress,
                    term=town.term,
                    place=town.place,
                    name=f"第{N.ORDINALS[g]}{'议政代表' if town.is_street else '代表'}小组",
                )
                for g in range(2 if town.is_street else 3)
            ]
            groups += [town.city_group, *town.groups]

    persons: list[Person] = []
    seats: list[Deputy] = []

    def person_for(where: Town | None, city: City):
        p = _new_person(ctx, where=where, city=city, seq=len(persons) + 1)
        persons.append(p)
        return p

    def seat(person, congress, term, district, group, where: Town | None):
        d = Deputy(
            congress=congress,
            term=term,
            person=person,
            district=district,
            group=group,
            sector=getattr(person, "sector", "other"),
            status=N.weighted(rng, N.STATUSES),
            elected_on=term.start_date,
        )
        seats.append(d)
        if where is not None:
            where.deputies.append(d)
        return d

    # City seats first, so that town and province seats can reuse their persons.
    for city, n in zip(w.cities, _split(city_n, len(w.cities)), strict=True):
        slots = [(t, d) for t in city.towns for d in t.city_districts]
        rng.shuffle(slots)
        for i in range(n):
            town, district = slots[i % len(slots)]
            group = (
                city.joint_group
                if town in city.zone_towns and rng.random() < 0.4
                else town.city_group
            )
            city.deputies.append(
                seat(person_for(town, city), city.congress, city.term, district, group, town)
            )
    for town, n in zip(towns, _split(town_n, len(towns)), strict=True):
        # One in five of the town's city deputies also sits in the town congress: one person.
        reusable = [d.person for d in town.deputies if d.congress is town.city.congress]
        reused = rng.sample(reusable, min(len(reusable) // 5, n))
        for i in range(n):
            person = reused[i] if i < len(reused) else person_for(town, town.city)
            seat(
                person,
                town.congress,
                town.term,
                town.districts[i % len(town.districts)],
                rng.choice(town.groups),
                town,
            )
    for city, n in zip(w.cities, _split(province_n, len(w.cities)), strict=True):
        reused = rng.sample([d.person for d in city.deputies], min(len(city.deputies), n * 2 // 5))
        for i in range(n):
            person = reused[i] if i < len(reused) else person_for(None, city)
            seat(
                person,
                w.province,
                w.province_term,
                city.province_district,
                city.province_group,
                None,
            )

    now = timezone.now()
    with (
        transaction.atomic(),
        ctx.progress(len(groups) + 2 * (len(persons) + len(seats)), "deputies") as bar,
    ):
        _save(DelegationGroup, groups, bar)
        for batch in Context.batches(persons):
            Person.objects.bulk_create(batch, batch_size=BATCH)
            # bulk_create sends no post_save, which simple_history needs: write "created" rows.
            Person.history.bulk_history_create(batch, batch_size=BATCH, default_date=now)
            bar.update(2 * len(batch))
        for batch in Context.batches(seats):
            Deputy.objects.bulk_create(batch, batch_size=BATCH)
            Deputy.history.bulk_history_create(batch, batch_size=BATCH, default_date=now)
            bar.update(2 * len(batch))
    w.persons = persons
    w.seats = seats
    ctx.count("persons", len(persons))
    ctx.count("deputies", len(seats))
    ctx.count("persons with two seats", len(seats) - len(persons))


@step("committee", order=160)
def committee(ctx: Context) -> None:
    """The standing committees' members (常委会组成人员), chosen among each congress's deputies."""
    from renda.org.models import CommitteeMember

    w = ctx.world
    rng = ctx.rng
    Post = CommitteeMember.Post
    bodies = [
        (
            w.province,
            w.province_term,
            [d for d in w.seats if d.congress is w.province],
            w.province_offices,
            6,
            50,
        )
    ]
    bodies += [(c.congress, c.term, c.deputies, c.offices, 4, 20) for c in w.cities]
    members = []
    for congress, term, seats, offices, vices, ordinary in bodies:
        active = [d for d in seats if d.status == "active"]
        posts = (
            [Post.DIRECTOR]
            + [Post.VICE_DIRECTOR] * vices
            + [Post.SECRETARY_GENERAL]
            + [Post.MEMBER] * ordinary
        )
        for post, d in zip(posts, rng.sample(active, min(len(active), len(posts))), strict=False):
            office = rng.choice(offices) if post == Post.MEMBER else None
            members.append(
                CommitteeMember(
                    congress=congress,
                    term=term,
                    person=d.person,
                    post=post,
                    office=office,
                    start_date=term.start_date,
                )
            )
    with transaction.atomic(), ctx.progress(len(members), "committee members") as bar:
        _save(CommitteeMember, members, bar)
    ctx.count("committee members", len(members))


@step("stations", order=170)
def stations(ctx: Context) -> None:
    """Per town a 代表之家 and a 代表联络站 per four communities, 6–10 deputies on duty each."""
    from renda.deputies.models import LiaisonStation, StationDuty

    w = ctx.world
    rng = ctx.rng
    all_stations: list[tuple[LiaisonStation, list, Town]] = []
    for city in w.cities:
        for town in city.towns:
            road = rng.choice(N.ROADS)
            phone = f"0599-{city.index + 1:02d}{len(all_stations):06d}"
            home = LiaisonStation(
                congress=town.congress,
                name=f"{town.place.name}人大代表之家",
                kind="home",
                town=town.place,
                address=f"{town.place.name}{road}{rng.randint(1, 300)}号",
                brand=rng.choice(N.BRANDS),
                reception_days=rng.choice(N.RECEPTION_DAYS),
                phone=phone,
            )
            all_stations.append((home, [], town))
            for chunk in _chunks(town.communities, 4):
                s = LiaisonStation(
                    congress=town.congress,
                    name=f"{chunk[0].name}代表联络站",
                    kind="station",
                    town=town.place,
                    address=f"{town.place.name}{chunk[0].name}{rng.choice(N.ROADS)}"
                    f"{rng.randint(1, 300)}号",
                    reception_days=rng.choice(N.RECEPTION_DAYS),
                    phone=phone,
                )
                all_stations.append((s, chunk, town))
    through = LiaisonStation.communities.through
    duties = []
    for station, _, town in all_stations:
        active = [d for d in town.deputies if d.status == "active"]
        for d in rng.sample(active, min(len(active), rng.randint(6, 10))):
            duties.append(
                StationDuty(station=station, deputy=d, schedule=rng.choice(N.DUTY_SCHEDULES))
            )
    links = sum(len(c) for _, c, _ in all_stations)
    with (
        transaction.atomic(),
        ctx.progress(len(all_stations) + links + len(duties), "stations") as bar,
    ):
        _save(LiaisonStation, [s for s, _, _ in all_stations], bar)
        _save_m2m(
            through,
            [
                through(liaisonstation_id=s.pk, place_id=p.pk)
                for s, ps, _ in all_stations
                for p in ps
            ],
            bar,
        )
        _save(StationDuty, duties, bar)
    ctx.count("liaison stations", len(all_stations))
    ctx.count("station duties", len(duties))


@step("accounts", order=180)
def accounts(ctx: Context) -> None:
    """Users and roles.

    An administrator, staff per city and province, town staff, unit contacts, and one deputy in
    ten (with a role per seat). All share one password, hashed once.
    """
    from renda.accounts.models import Role, RoleAssignment, User
    from renda.org.models import UnitContact

    w = ctx.world
    rng = ctx.rng
    password = make_password(PASSWORD)
    users: list[User] = [
        User(
            username=BENCH_ADMIN,
            display_name="基准测试管理员",
            is_superuser=True,
            is_staff=True,
            password=password,
        )
    ]
    roles: list[RoleAssignment] = []

    def user(username: str, display_name: str, **kwargs) -> User:
        u = User(username=username, display_name=display_name, password=password, **kwargs)
        users.append(u)
        return u

    for i, (congress, offices) in enumerate(
        [(w.province, w.province_offices)] + [(c.congress, c.offices) for c in w.cities]
    ):
        daibiao = next(o for o in offices if o.code == "daibiao")
        staff = user(
            BENCH_STAFF if i == 1 else f"staff-{congress.pk}", f"{congress.short_name}代表工委干部"
        )
        roles.append(RoleAssignment(user=staff, role=Role.STAFF, congress=congress, office=daibiao))
        director = user(f"director-{congress.pk}", f"{congress.short_name}主任会议成员")
        roles.append(RoleAssignment(user=director, role=Role.DIRECTOR, congress=congress))
    for town in (t for c in w.cities for t in c.towns):
        roles.append(
            RoleAssignment(
                user=user(f"town-{town.congress.pk}", f"{town.congress.short_name}工作人员"),
                role=Role.TOWN_STAFF,
                congress=town.congress,
            )
        )
    contacts = list(
        UnitContact.objects.filter(unit__in=w.units).select_related("unit").order_by("id")
    )
    for contact in contacts:
        contact.user = user(f"unit-{contact.pk}", contact.name)
        roles.append(
            RoleAssignment(
                user=contact.user, role=Role.UNIT, congress=contact.unit.congress, unit=contact.unit
            )
        )
    seats_by_person: dict[int, list] = {}
    for d in w.seats:
        seats_by_person.setdefault(d.person.pk, []).append(d)
    for person in rng.sample(w.persons, len(w.persons) // 10):
        u = user(f"deputy-{person.pk}", person.name, person=person)
        roles += [
            RoleAssignment(user=u, role=Role.DEPUTY, congress=d.congress, deputy=d)
            for d in seats_by_person[person.pk]
        ]
    with (
        transaction.atomic(),
        ctx.progress(len(users) + len(roles) + len(contacts), "accounts") as bar,
    ):
        _save(User, users, bar)
        _save(RoleAssignment, roles, bar)
        UnitContact.objects.bulk_update(contacts, ["user"], batch_size=BATCH)
        bar.update(len(contacts))
    ctx.count("users", len(users))
