"""Deterministic fake people for the demo: names, phones, birth dates and occupations.

Everything comes from one seeded random.Random, so two runs on two machines produce the same
roster. Phone numbers are fakes in the 139 range, e-mail addresses use the reserved .example
domain and no ID number is ever generated: the demo holds no real person's data.
"""

import random
from datetime import date, timedelta

from renda.deputies.models import Deputy, Person

from . import taicang

Sector = Deputy.Sector

CITY_SECTOR_WEIGHTS = {
    Sector.CADRE: 30, Sector.BUSINESS: 22, Sector.PROFESSIONAL: 18, Sector.WORKER: 12, Sector.FARMER: 12,
    Sector.MILITARY: 1, Sector.OTHER: 5,
}
LOCAL_SECTOR_WEIGHTS = {
    Sector.CADRE: 22, Sector.BUSINESS: 20, Sector.PROFESSIONAL: 12, Sector.WORKER: 20, Sector.FARMER: 20,
    Sector.OTHER: 6,
}
# Part-time members of the standing committee come from these sectors.
COMMITTEE_SECTOR_WEIGHTS = {Sector.CADRE: 3, Sector.PROFESSIONAL: 3, Sector.BUSINESS: 2}
CROPS = ["粮食种植", "果蔬种植", "水产养殖", "花卉苗木", "稻米"]


class PeopleFactory:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self._names: set[str] = set()
        self._phones: set[str] = set()

    def name(self, gender: str) -> str:
        """A name not used before in this demo, so searching the roster by name finds one person."""
        pool = taicang.GIVEN_MALE if gender == Person.Gender.MALE else taicang.GIVEN_FEMALE
        while True:
            given = "".join(self.rng.choice(pool) for _ in range(self.rng.choice((1, 2, 2, 2))))
            name = self.rng.choice(taicang.SURNAMES) + given
            if name not in self._names and len(set(given)) == len(given):
                self._names.add(name)
                return name

    def phone(self) -> str:
        while True:
            phone = f"139{self.rng.randrange(10**8):08d}"
            if phone not in self._phones:
                self._phones.add(phone)
                return phone

    def gender(self, female_share: float = 0.32) -> str:
        return Person.Gender.FEMALE if self.rng.random() < female_share else Person.Gender.MALE

    def ethnicity(self) -> str:
        return self.rng.choice(taicang.ETHNIC_MINORITIES) if self.rng.random() < 0.05 else "汉族"

    def party(self, sector: str) -> str:
        if sector in (Sector.CADRE, Sector.MILITARY):
            return "中共党员"
        roll = self.rng.random()
        if roll < 0.58:
            return "中共党员"
        if roll < 0.78:
            return self.rng.choice(taicang.DEMOCRATIC_PARTIES)
        return "群众" if roll < 0.95 else "无党派人士"

    def birth_date(self, oldest: int = 1963, youngest: int = 1994) -> date:
        start = date(oldest, 1, 1)
        span = (date(youngest, 12, 31) - start).days
        return start + timedelta(days=self.rng.randrange(span))

    def sector(self, weights: dict[str, int]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def company(self) -> str:
        return f"太仓市{self.rng.choice(taicang.COMPANY_WORDS)}{self.rng.choice(taicang.COMPANY_TRADES)}有限公司"

    def occupation(self, sector: str, *, town: str, community: str, city_level: bool) -> str:
        r = self.rng
        if sector == Sector.BUSINESS:
            return self.company() + r.choice(taicang.BUSINESS_POSTS)
        if sector == Sector.WORKER:
            return self.company() + r.choice(taicang.WORKER_POSTS)
        if sector == Sector.FARMER:
            crop = r.choice(CROPS)
            if community.endswith("村"):
                return r.choice([f"{community}{crop}家庭农场主", f"{community}村民", f"{town}{crop}专业合作社理事长"])
            return r.choice([f"{town}{crop}家庭农场主", f"{town}{crop}专业合作社理事长"])
        if sector == Sector.PROFESSIONAL:
            if city_level or r.random() < 0.4:
                return r.choice(taicang.PROFESSIONAL_JOBS)
            return r.choice([f"{town}卫生院医生", f"{town}中心小学教师", f"{town}幼儿园园长", f"{town}农技站农艺师"])
        if sector == Sector.MILITARY:
            return r.choice(taicang.MILITARY_JOBS)
        if sector == Sector.CADRE:
            head = "书记、村委会主任" if community.endswith("村") else "党委书记、居委会主任"
            local = [f"{community}{head}", f"{town}党委副书记",
                     f"{town}{'办事处副主任' if town.endswith('街道') else '人民政府副镇长'}"]
            if city_level and r.random() < 0.35:
                return r.choice(taicang.CITY_CADRE_JOBS)
            return r.choice(local)
        return r.choice([f"{community}居民", "个体工商户", f"{town}退休教师"])

    def person(self, *, sector: str, town: str, community: str, city_level: bool,
               occupation: str = "", female_share: float = 0.32, senior: bool = False) -> Person:
        gender = self.gender(female_share)
        return Person(
            name=self.name(gender),
            gender=gender,
            ethnicity=self.ethnicity(),
            party=self.party(sector),
            birth_date=self.birth_date(1962, 1976) if senior else self.birth_date(),
            occupation=occupation or self.occupation(sector, town=town, community=community, city_level=city_level),
            phone=self.phone(),
        )
