"""Voters and votes on the shared test world (tests, matrix rows, browser tests)."""

from types import SimpleNamespace

from renda.deputies.models import Person

from . import services
from .models import Vote

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕"
            "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = "建国秀英明华伟芳军敏静丽强磊洋勇艳杰娟涛超霞平刚桂英玉兰"


def make_people(n: int, prefix: str = "") -> list[Person]:
    """n persons with distinct Chinese names, created in one query."""
    people = []
    for i in range(n):
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)] + GIVEN[(i * 7) % len(GIVEN)]
        people.append(Person(name=f"{prefix}{name}{i // (len(SURNAMES) * len(GIVEN)) or ''}"))
    return Person.objects.bulk_create(people)


def act(w, role: str):
    """The world's user for `role`, acting in that role's assignment."""
    user = w.users[role]
    user.active_assignment = user.assignments.filter(is_active=True).first()
    return user


def voter(person: Person) -> SimpleNamespace:
    """The one thing casting reads from a user: the signed-in person."""
    return SimpleNamespace(person_id=person.pk, pk=None, is_authenticated=True)


def motion(w, *, people, title="关于批准2022年市级财政决算的决议（草案）", secret=False, seated=None, present=None,
           **kwargs) -> Vote:
    """An open yes/no/abstain vote of the city's committee with `people` on the roll."""
    staff = act(w, "staff")
    vote = services.create_vote(actor=staff, congress=w.city, title=title, kind="motion", secret=secret,
                                seated=seated or len(people), **kwargs)
    return services.open_vote(actor=staff, vote_id=vote.pk, electorate=[p.pk for p in people],
                              present=None if present is None else [p.pk for p in present])
