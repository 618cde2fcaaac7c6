"""Loading (and resetting) the Taicang demo data.

The whole load is one transaction: a crash half-way leaves no half-built demo behind, and the
presence of the city congress is then a reliable "already loaded" marker, which is what makes a
second run a no-op.
"""

import random
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.test.utils import override_settings
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from renda.accounts.models import Role, RoleAssignment, User
from renda.deputies.models import DelegationGroup, Deputy, LiaisonStation, Person, StationDuty
from renda.org.models import (
    CommitteeMember,
    Congress,
    ElectoralDistrict,
    Office,
    Place,
    Term,
    Unit,
    UnitContact,
)

from . import taicang
from .people import CITY_SECTOR_WEIGHTS, COMMITTEE_SECTOR_WEIGHTS, LOCAL_SECTOR_WEIGHTS, PeopleFactory
from .selectors import DEMO_PASSWORD, DEMO_USERNAMES, demo_city_congress, demo_counts

SEED = 2022  # the year of the review the demo is built from
CHANGE_REASON = "演示数据"
STEPS = 9
RESET_BLOCKED = "其他数据引用了演示数据，无法重置。请删除数据库（make clean）后重新运行 make run。"
DUAL_PER_TOWN = 4  # 6 towns × 4 = 24 persons who are both city and town deputies
CITY_SUSPENDED = 3
CITY_TERMINATED = 4

Sector = Deputy.Sector
Status = Deputy.Status


class DemoResetBlocked(Exception):
    pass


def load_demo(*, stdout: TextIO | None = None, reset: bool = False) -> dict[str, int]:
    """Load the Taicang demo unless it is already there; return the row counts of the demo tree.

    With reset, the existing demo is deleted first (DemoResetBlocked if other data points at it).
    """
    started = time.monotonic()
    with transaction.atomic():
        if reset:
            demo_reset()
        if demo_city_congress() is not None:
            _say(stdout, _("演示数据已存在，跳过载入（使用 --reset 重建）。"))
            return demo_counts()
        _Builder(stdout=stdout).run()
    _say(stdout, _("演示数据载入完成，用时 %(s).1f 秒。") % {"s": time.monotonic() - started})
    return demo_counts()


@transaction.atomic
def demo_reset() -> None:
    """Delete the demo tree, its people and the demo accounts, children before parents.

    The demo goes as if it had never been loaded, its history rows included: writing a "deleted"
    history row for each of ~1,300 people and seats would take longer than loading the demo.
    """
    city = demo_city_congress()
    try:
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            _delete_demo(city)
    except ProtectedError as exc:
        raise DemoResetBlocked(RESET_BLOCKED) from exc


def _delete_demo(city: Congress | None) -> None:
    User.objects.filter(username__in=DEMO_USERNAMES).delete()
    if city is None:
        return
    tree = list(Congress.objects.filter(path__startswith=city.path))
    # The demo's workflows notified people (inbox and outbox rows name their congress).
    from renda.core.notify.models import Message, OutboxMessage

    OutboxMessage.objects.filter(congress__in=tree).delete()
    Message.objects.filter(congress__in=tree).delete()
    deputy_ids = list(Deputy.objects.filter(congress__in=tree).values_list("pk", flat=True))
    person_ids = set(Deputy.objects.filter(congress__in=tree).values_list("person_id", flat=True))
    person_ids |= set(CommitteeMember.objects.filter(congress__in=tree).values_list("person_id", flat=True))
    RoleAssignment.objects.filter(congress__in=tree).delete()
    LiaisonStation.objects.filter(congress__in=tree).delete()
    CommitteeMember.objects.filter(congress__in=tree).delete()
    Deputy.objects.filter(pk__in=deputy_ids).delete()
    Deputy.history.filter(id__in=deputy_ids).delete()
    DelegationGroup.objects.filter(congress__in=tree).delete()
    Unit.objects.filter(congress__in=tree).delete()
    Office.objects.filter(congress__in=tree).delete()
    ElectoralDistrict.objects.filter(congress__in=tree).delete()
    Term.objects.filter(congress__in=tree).delete()
    # The judges and prosecutors belong to no congress; they are found by their court.
    people = Person.objects.filter(
        Q(pk__in=person_ids) | Q(occupation__startswith="太仓市人民法院", memberships=None)
        | Q(occupation__startswith="太仓市人民检察院", memberships=None)
    )
    person_ids = list(people.values_list("pk", flat=True))
    Person.objects.filter(pk__in=person_ids).delete()
    Person.history.filter(id__in=person_ids).delete()
    places = Place.objects.filter(congress__in=tree)
    place_ids = list(places.values_list("pk", flat=True))
    # Places and congresses point at each other; cut one side before deleting either.
    places.update(congress=None)
    for congress in sorted(tree, key=lambda c: -c.path.count("/")):
        congress.delete()
    for kinds in ([Place.Kind.VILLAGE, Place.Kind.COMMUNITY], [Place.Kind.ZONE, Place.Kind.TOWN, Place.Kind.STREET],
                  [Place.Kind.CITY]):
        Place.objects.filter(pk__in=place_ids, kind__in=kinds).delete()


def _say(stdout: TextIO | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


def _cn(n: int) -> str:
    """1..99 in Chinese numerals, for 届 and 小组 names."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


@dataclass
class _Town:
    spec: taicang.Town
    place: Place
    congress: Congress
    term: Term | None = None
    office: Office | None = None
    communities: list[Place] = field(default_factory=list)
    city_districts: list[tuple[ElectoralDistrict, list[Place]]] = field(default_factory=list)
    local_districts: list[tuple[ElectoralDistrict, list[Place]]] = field(default_factory=list)
    city_group: DelegationGroup | None = None
    local_groups: list[DelegationGroup] = field(default_factory=list)
    city_seats: list[Deputy] = field(default_factory=list)
    local_seats: list[Deputy] = field(default_factory=list)

    @property
    def is_town(self) -> bool:
        return self.spec.kind == "town"


class _Builder:
    """Builds the demo step by step; each step reads what the previous ones left on self."""

    def __init__(self, *, stdout: TextIO | None):
        self.stdout = stdout
        self.rng = random.Random(SEED)
        self.people = PeopleFactory(self.rng)
        self.step_no = 0
        self.towns: list[_Town] = []
        self.bios: dict[int, list[str]] = {}  # id(person) → memberships, for the public profile

    def run(self) -> None:
        with self._step(_("地域与人大")):
            self._places_and_congresses()
        with self._step(_("届次与选区")):
            self._terms_and_districts()
        with self._step(_("常委会工作机构")):
            self._offices()
        with self._step(_("承办单位及联系人")):
            self._units()
        with self._step(_("市人大代表与常委会组成人员")):
            self._city_deputies()
        with self._step(_("镇人大代表与街道议政代表")):
            self._local_deputies()
        with self._step(_("代表联络站与进站值班")):
            self._stations()
        with self._step(_("被评议人员")):
            self._evaluatees()
        with self._step(_("演示账号")):
            self._accounts()

    @contextmanager
    def _step(self, label: str):
        self.step_no += 1
        started = time.monotonic()
        yield
        _say(self.stdout, f"[{self.step_no}/{STEPS}] {label} … {time.monotonic() - started:.2f}s")

    # --- places, congresses, terms, districts ---------------------------------------
    def _places_and_congresses(self) -> None:
        self.city_place = Place.objects.create(name=taicang.CITY_NAME, kind=Place.Kind.CITY, code=taicang.CITY_CODE)
        self.city = Congress(name=taicang.CITY_CONGRESS_NAME, short_name=taicang.CITY_CONGRESS_SHORT,
                             kind=Congress.Kind.CITY, body_name=taicang.CITY_BODY, area=self.city_place)
        self.city.save()
        self.city_place.congress = self.city
        self.city_place.save(update_fields=["congress"])
        communities: list[Place] = []
        for sort, spec in enumerate(taicang.TOWNS, start=1):
            is_town = spec.kind == "town"
            place = Place.objects.create(name=spec.name, kind=Place.Kind.TOWN if is_town else Place.Kind.STREET,
                                         parent=self.city_place, code=spec.code, sort=sort)
            if is_town:
                congress = Congress(name=f"{spec.name}人民代表大会", short_name=f"{spec.name}人大",
                                    kind=Congress.Kind.TOWN, body_name="主席团")
            else:
                congress = Congress(name=f"{spec.name}人大工作委员会", short_name=f"{spec.name}人大工委",
                                    kind=Congress.Kind.STREET, body_name="人大工委")
            congress.parent, congress.area = self.city, place
            congress.save()
            place.congress = congress
            place.save(update_fields=["congress"])
            town = _Town(spec=spec, place=place, congress=congress)
            for n, name in enumerate(spec.communities, start=1):
                village = name.endswith("村")
                # Division-code format: 0xx for residents' committees, 2xx for villagers' committees.
                town.communities.append(Place(
                    name=name, kind=Place.Kind.VILLAGE if village else Place.Kind.COMMUNITY, parent=place,
                    congress=congress, code=f"{spec.code}{200 + n if village else n:03d}", sort=n))
            communities += town.communities
            self.towns.append(town)
        Place.objects.bulk_create(communities)
        self.zone = Place.objects.create(name=taicang.ZONE_NAME, kind=Place.Kind.ZONE, parent=self.city_place,
                                         congress=self.city, sort=len(taicang.TOWNS) + 1)
        self.zone.spans.set([t.place for t in self.towns if t.spec.name in taicang.ZONE_QUOTAS])

    def _chunks(self, items: list[Place], largest: int) -> list[list[Place]]:
        out, i = [], 0
        while i < len(items):
            size = self.rng.randint(1, largest)
            out.append(items[i:i + size])
            i += size
        return out

    def _terms_and_districts(self) -> None:
        self.city_term = Term.objects.create(congress=self.city, number=taicang.CITY_TERM_NUMBER,
                                             start_date=taicang.CITY_TERM_START)
        districts: list[tuple[ElectoralDistrict, list[Place]]] = []
        number = 0
        for town in self.towns:
            if town.is_town:
                town.term = Term.objects.create(congress=town.congress, number=taicang.TOWN_TERM_NUMBER,
                                                start_date=taicang.TOWN_TERM_START)
            else:
                town.term = Term.objects.create(congress=town.congress, number=taicang.STREET_TERM_NUMBER,
                                                start_date=taicang.STREET_TERM_START)
            # City districts may cross community lines (1-3 each); town ones are smaller (1-2).
            for chunk in self._chunks(town.communities, 3):
                number += 1
                d = ElectoralDistrict(congress=self.city, term=self.city_term, number=number,
                                      name=f"第{number}选区（{town.spec.name}{'、'.join(p.name for p in chunk)}）")
                town.city_districts.append((d, chunk))
            word = "选区" if town.is_town else "片区"
            for n, chunk in enumerate(self._chunks(town.communities, 2), start=1):
                d = ElectoralDistrict(congress=town.congress, term=town.term, number=n,
                                      name=f"第{n}{word}（{'、'.join(p.name for p in chunk)}）")
                town.local_districts.append((d, chunk))
            districts += town.city_districts + town.local_districts
        ElectoralDistrict.objects.bulk_create([d for d, _ in districts])
        Through = ElectoralDistrict.places.through
        Through.objects.bulk_create([Through(electoraldistrict_id=d.pk, place_id=p.pk)
                                     for d, chunk in districts for p in chunk])

    # --- organisation ------------------------------------------------------------------
    def _offices(self) -> None:
        self.city_offices = [Office(congress=self.city, name=name, code=code, supervises=supervises)
                             for name, code, supervises in taicang.CITY_OFFICES]
        name, code, supervises = taicang.TOWN_OFFICE
        for town in self.towns:
            town.office = Office(congress=town.congress, name=name, code=code, supervises=supervises)
        Office.objects.bulk_create(self.city_offices + [t.office for t in self.towns])
        self.offices_by_code = {o.code: o for o in self.city_offices}

    def _units(self) -> None:
        units = [Unit(congress=self.city, name=name, kind=kind) for name, kind in taicang.CITY_UNITS]
        for town in self.towns:
            suffix = "人民政府" if town.is_town else "办事处"
            units.append(Unit(congress=self.city, name=town.spec.name + suffix, kind=Unit.Kind.TOWN_GOVERNMENT))
            for office in taicang.TOWN_UNITS if town.is_town else taicang.STREET_UNITS:
                units.append(Unit(congress=town.congress, name=town.spec.name + office))
        Unit.objects.bulk_create(units)
        contacts = []
        for unit in units:
            for _n in range(self.rng.randint(1, 2)):
                gender = self.people.gender(0.5)
                contacts.append(UnitContact(unit=unit, name=self.people.name(gender),
                                            title=self.rng.choice(taicang.CONTACT_TITLES), phone=self.people.phone()))
        UnitContact.objects.bulk_create(contacts)
        self.demo_unit = next(u for u in units if u.name == taicang.DEMO_UNIT_NAME)
        self.demo_unit_contact = next(c for c in contacts if c.unit is self.demo_unit)

    # --- deputies ----------------------------------------------------------------------
    def _committee_occupation(self, post: str, office: Office | None) -> str:
        if post == CommitteeMember.Post.DIRECTOR:
            return "太仓市人大常委会主任、党组书记"
        if post == CommitteeMember.Post.VICE_DIRECTOR:
            return "太仓市人大常委会副主任"
        if post == CommitteeMember.Post.SECRETARY_GENERAL:
            return "太仓市人大常委会秘书长"
        return f"太仓市人大常委会{office.name}主任" if office else ""

    def _bio(self, person: Person, text: str) -> None:
        self.bios.setdefault(id(person), []).append(text)

    def _save_people(self, persons: list[Person]) -> None:
        for p in persons:
            p.public_bio = "、".join(self.bios.get(id(p), [])) + (f"。现任{p.occupation}。" if p.occupation else "。")
        bulk_create_with_history(persons, Person, default_change_reason=CHANGE_REASON)

    def _city_deputies(self) -> None:
        rng = self.rng
        for town in self.towns:
            town.city_group = DelegationGroup(congress=self.city, term=self.city_term, place=town.place,
                                              name=f"{town.spec.short}代表小组")
        self.zone_group = DelegationGroup(congress=self.city, term=self.city_term, place=self.zone,
                                          name=taicang.ZONE_GROUP_NAME, is_joint_meeting=True)
        DelegationGroup.objects.bulk_create([t.city_group for t in self.towns] + [self.zone_group])

        # Seats: each town's quota spread round-robin over its city districts.
        seats: list[tuple[_Town, ElectoralDistrict, list[Place]]] = []
        for town in self.towns:
            for i in range(town.spec.city_deputies):
                district, chunk = town.city_districts[i % len(town.city_districts)]
                seats.append((town, district, chunk))
        n = len(seats)

        Post = CommitteeMember.Post
        posts = ([Post.DIRECTOR] + [Post.VICE_DIRECTOR] * taicang.COMMITTEE_VICE_DIRECTORS
                 + [Post.SECRETARY_GENERAL] + [Post.MEMBER] * taicang.COMMITTEE_MEMBERS)
        committee_seats = dict(zip(rng.sample(range(n), len(posts)), posts, strict=True))
        # The heads of the eight working committees sit on the standing committee.
        heads = iter(self.city_offices[1:])

        # The zone's 45: the deputies elected in the first districts of the places it spans.
        zone_seats: set[int] = set()
        for town_name, quota in taicang.ZONE_QUOTAS.items():
            idx = sorted((i for i, s in enumerate(seats) if s[0].spec.name == town_name),
                         key=lambda i: seats[i][1].number)
            zone_seats.update(idx[:quota])

        self.dual_seats: dict[int, _Town] = {}
        for town in self.towns:
            if town.is_town:
                eligible = [i for i, s in enumerate(seats) if s[0] is town and i not in committee_seats]
                for i in rng.sample(eligible, DUAL_PER_TOWN):
                    self.dual_seats[i] = town
        plain = [i for i in range(n) if i not in committee_seats and i not in self.dual_seats]
        odd = rng.sample(plain, CITY_SUSPENDED + CITY_TERMINATED)
        status = ({i: Status.SUSPENDED for i in odd[:CITY_SUSPENDED]}
                  | {i: Status.TERMINATED for i in odd[CITY_SUSPENDED:]})

        persons, deputies, members = [], [], []
        term_name = f"太仓市第{_cn(taicang.CITY_TERM_NUMBER)}届人民代表大会代表"
        for i, (town, district, chunk) in enumerate(seats):
            community = rng.choice(chunk).name
            post = committee_seats.get(i)
            if post is not None:
                office = None
                if post == CommitteeMember.Post.SECRETARY_GENERAL:
                    office = self.offices_by_code["bangongshi"]
                elif post == CommitteeMember.Post.MEMBER:
                    office = next(heads, None)
                occupation = self._committee_occupation(post, office if post == CommitteeMember.Post.MEMBER else None)
                sector = Sector.CADRE if occupation else self.people.sector(COMMITTEE_SECTOR_WEIGHTS)
                person = self.people.person(sector=sector, town=town.spec.name, community=community, city_level=True,
                                            occupation=occupation, senior=bool(occupation))
                members.append(CommitteeMember(congress=self.city, term=self.city_term, person=person, post=post,
                                               office=office, start_date=taicang.CITY_TERM_START))
            else:
                sector = self.people.sector(CITY_SECTOR_WEIGHTS)
                person = self.people.person(sector=sector, town=town.spec.name, community=community, city_level=True)
            self._bio(person, term_name)
            group = self.zone_group if i in zone_seats else town.city_group
            deputy = Deputy(congress=self.city, term=self.city_term, person=person, district=district, group=group,
                            sector=sector, status=status.get(i, Status.ACTIVE), elected_on=taicang.CITY_TERM_START)
            persons.append(person)
            deputies.append(deputy)
            town.city_seats.append(deputy)
        self.city_persons = persons
        self.city_deputy_rows = deputies
        self.committee = members
        self.seats = seats
        # Saved in _local_deputies, once the bios of the dual members are complete.

    def _local_deputies(self) -> None:
        rng = self.rng
        groups: list[DelegationGroup] = []
        for town in self.towns:
            count = 3 if town.is_town else 2
            label = "人大第{}代表小组" if town.is_town else "议政代表第{}小组"
            town.local_groups = [DelegationGroup(congress=town.congress, term=town.term, place=town.place,
                                                 name=town.spec.name + label.format(_cn(k)))
                                 for k in range(1, count + 1)]
            groups += town.local_groups
        DelegationGroup.objects.bulk_create(groups)

        new_persons: list[Person] = []
        deputies: list[Deputy] = []
        self.dual_deputies: list[tuple[Deputy, Deputy]] = []  # (city seat, town seat)
        for town in self.towns:
            term_label = (f"{town.spec.name}第{_cn(town.term.number)}届人民代表大会代表" if town.is_town
                          else f"{town.spec.name}第{_cn(town.term.number)}届议政代表")
            district_index = {d.pk: k for k, (d, _c) in enumerate(town.local_districts)}

            def group_for(district: ElectoralDistrict, town=town, district_index=district_index) -> DelegationGroup:
                k = district_index[district.pk]
                return town.local_groups[k * len(town.local_groups) // len(town.local_districts)]

            # Dual members sit in the town district that covers their city district's community.
            for i, seat_town in self.dual_seats.items():
                if seat_town is not town:
                    continue
                city_deputy = self.city_deputy_rows[i]
                covered = {p.pk for p in self.seats[i][2]}
                district = next(d for d, chunk in town.local_districts if covered & {p.pk for p in chunk})
                self._bio(city_deputy.person, term_label)
                local = Deputy(congress=town.congress, term=town.term, person=city_deputy.person, district=district,
                               group=group_for(district), sector=city_deputy.sector, status=Status.ACTIVE,
                               elected_on=town.term.start_date)
                deputies.append(local)
                town.local_seats.append(local)
                self.dual_deputies.append((city_deputy, local))
            total = rng.randint(42, 58) if town.is_town else rng.randint(19, 22)
            first_new = len(deputies)
            for k in range(total - len(town.local_seats)):
                district, chunk = town.local_districts[k % len(town.local_districts)]
                sector = self.people.sector(LOCAL_SECTOR_WEIGHTS)
                person = self.people.person(sector=sector, town=town.spec.name, community=rng.choice(chunk).name,
                                            city_level=False)
                self._bio(person, term_label)
                new_persons.append(person)
                local = Deputy(congress=town.congress, term=town.term, person=person, district=district,
                               group=group_for(district), sector=sector, status=Status.ACTIVE,
                               elected_on=town.term.start_date)
                deputies.append(local)
                town.local_seats.append(local)
            # An occasional resignation; never the first new deputy, who may get a demo account.
            if town.is_town and rng.random() < 0.5:
                rng.choice(deputies[first_new + 1:]).status = Status.TERMINATED

        # bulk_create copies the people's new ids into person_id once they are saved.
        self._save_people(self.city_persons + new_persons)
        bulk_create_with_history(self.city_deputy_rows + deputies, Deputy, default_change_reason=CHANGE_REASON)
        CommitteeMember.objects.bulk_create(self.committee)

    # --- stations ----------------------------------------------------------------------
    def _stations(self) -> None:
        rng = self.rng
        stations: list[tuple[LiaisonStation, list[Place], list[Deputy]]] = []
        for k, town in enumerate(self.towns):
            city_active = [d for d in town.city_seats if d.status == Status.ACTIVE]
            local_active = [d for d in town.local_seats if d.status == Status.ACTIVE]
            home = LiaisonStation(
                congress=town.congress, town=town.place, kind=LiaisonStation.Kind.HOME,
                name=f"{town.spec.name}人大代表之家",
                brand=town.spec.brand, address=f"太仓市{town.spec.name}{town.spec.road}{18 + 11 * k}号 党群服务中心2楼",
                reception_days=town.spec.reception_days, phone=self.people.phone())
            stations.append((home, town.communities, rng.sample(local_active, 6) + rng.sample(city_active, 4)))
            for community in rng.sample(town.communities, 2):
                served = [community]
                on_duty = [d for d in local_active if community in self._places_of(d)][:3]
                on_duty += [d for d in city_active if community in self._places_of(d)][:2]
                station = LiaisonStation(
                    congress=town.congress, town=town.place, kind=LiaisonStation.Kind.STATION,
                    name=f"{community.name}人大代表联络站",
                    address=f"太仓市{town.spec.name}{community.name}党群服务中心",
                    reception_days=rng.choice(["每月第一个周二 9:00-11:00", "每月20日 14:00-16:30",
                                               "每周四 9:00-11:00"]),
                    phone=self.people.phone())
                stations.append((station, served, on_duty))
        # The zone's own station serves its joint-meeting group; it stands in 娄东街道.
        loudong = next(t for t in self.towns if t.spec.name == "娄东街道")
        zone_deputies = [d for d in self.city_deputy_rows if d.group is self.zone_group and d.status == Status.ACTIVE]
        zone_places = list({p.pk: p for d in zone_deputies for p in self._places_of(d)}.values())
        stations.append((LiaisonStation(
            congress=self.city, town=loudong.place, kind=LiaisonStation.Kind.STATION, name="太仓高新区人大代表联络站",
            address="太仓市娄东街道北京东路66号 高新区党群服务中心", reception_days="每月第二个周三 9:00-11:30",
            phone=self.people.phone()), zone_places, rng.sample(zone_deputies, 8)))

        LiaisonStation.objects.bulk_create([s for s, _p, _d in stations])
        Through = LiaisonStation.communities.through
        Through.objects.bulk_create([Through(liaisonstation_id=s.pk, place_id=p.pk)
                                     for s, places, _d in stations for p in places])
        StationDuty.objects.bulk_create([
            StationDuty(station=s, deputy=d, schedule=rng.choice(taicang.DUTY_SCHEDULES))
            for s, _p, on_duty in stations for d in {d.pk: d for d in on_duty}.values()
        ])

    def _places_of(self, deputy: Deputy) -> list[Place]:
        if not hasattr(self, "_district_places"):
            self._district_places = {d.pk: chunk for t in self.towns
                                     for d, chunk in t.city_districts + t.local_districts}
        return self._district_places.get(deputy.district_id, [])

    # --- evaluatees and accounts -------------------------------------------------------
    def _evaluatees(self) -> None:
        judges = [self.people.person(sector=Sector.PROFESSIONAL, town="", community="", city_level=True,
                                     occupation="太仓市人民法院" + self.rng.choice(taicang.JUDGE_TITLES))
                  for _n in range(taicang.JUDGES)]
        prosecutors = [self.people.person(sector=Sector.PROFESSIONAL, town="", community="", city_level=True,
                                          occupation="太仓市人民检察院" + self.rng.choice(taicang.PROSECUTOR_TITLES))
                       for _n in range(taicang.PROSECUTORS)]
        for p in judges + prosecutors:
            p.phone = ""  # reached through their court, not personally
            self._bio(p, "太仓市人大常委会任命人员")
        self._save_people(judges + prosecutors)
        self.judge = judges[0]

    def _accounts(self) -> None:
        # One hash for all nine accounts: hashing is slow by design and the password is shared anyway.
        password = make_password(DEMO_PASSWORD)
        chengxiang = next(t for t in self.towns if t.spec.name == "城厢镇")
        shaxi = next(t for t in self.towns if t.spec.name == "沙溪镇")
        director = next(m.person for m in self.committee if m.post == CommitteeMember.Post.DIRECTOR)
        city_seat, town_seat = next((c, t) for c, t in self.dual_deputies if t.congress_id == chengxiang.congress.pk)
        multi_seat = next(d for d in shaxi.local_seats if d.person not in {c.person for c, _t in self.dual_deputies})

        def user(username: str, display_name: str, person: Person | None = None, **extra) -> User:
            return User.objects.create(username=username, password=password, display_name=display_name,
                                       person=person, phone=person.phone if person else "", **extra)

        user("admin", "系统管理员", is_superuser=True, is_staff=True)
        staff = user("staff", self.people.name(Person.Gender.FEMALE))
        director_user = user("director", director.name, director)
        deputy = user("deputy", city_seat.person.name, city_seat.person)
        unit = user("unit", self.demo_unit_contact.name)
        discipline = user("discipline", self.people.name(Person.Gender.MALE))
        town_staff = user("town_staff", self.people.name(Person.Gender.FEMALE))
        evaluatee = user("evaluatee", self.judge.name, self.judge)
        multi = user("multi", multi_seat.person.name, multi_seat.person)
        self.demo_unit_contact.user = unit
        self.demo_unit_contact.save(update_fields=["user"])

        RoleAssignment.objects.bulk_create([
            RoleAssignment(user=staff, role=Role.STAFF, congress=self.city, office=self.offices_by_code["daibiao"]),
            RoleAssignment(user=director_user, role=Role.DIRECTOR, congress=self.city),
            RoleAssignment(user=deputy, role=Role.DEPUTY, congress=self.city, deputy=city_seat),
            RoleAssignment(user=deputy, role=Role.DEPUTY, congress=chengxiang.congress, deputy=town_seat),
            RoleAssignment(user=unit, role=Role.UNIT, congress=self.city, unit=self.demo_unit),
            RoleAssignment(user=discipline, role=Role.DISCIPLINE, congress=self.city),
            RoleAssignment(user=town_staff, role=Role.TOWN_STAFF, congress=chengxiang.congress,
                           office=chengxiang.office),
            RoleAssignment(user=evaluatee, role=Role.EVALUATEE, congress=self.city),
            RoleAssignment(user=multi, role=Role.TOWN_STAFF, congress=shaxi.congress, office=shaxi.office),
            RoleAssignment(user=multi, role=Role.DEPUTY, congress=shaxi.congress, deputy=multi_seat),
        ])
