"""Search is tested through real models registered for the test only: Unit (title = name,
scoped by its congress) and Person (name + occupation + public bio, no congress)."""

import pytest

from renda.core.search import services
from renda.deputies.models import Person
from renda.org.models import Congress, Unit


def person_text(person: Person) -> str:
    return f"{person.occupation}\n{person.public_bio}"


@pytest.fixture
def congresses(db):
    city = Congress.objects.create(name="太仓市人民代表大会", short_name="市人大", kind="city", body_name="常委会")
    town = Congress.objects.create(
        name="沙溪镇人民代表大会", short_name="沙溪镇人大", kind="town", body_name="主席团", parent=city
    )
    return city, town


@pytest.fixture
def registered(db):
    """Unit and Person searchable, indexed explicitly (no signals) unless a test connects them."""
    services.register(
        Unit, title=lambda unit: unit.name, text=Unit.get_kind_display, auto_index=False
    )
    services.register(
        Person, title=lambda person: person.name, text=person_text, congress=lambda person: None,
        auto_index=False,
    )
    yield
    services.unregister(Unit)
    services.unregister(Person)


@pytest.fixture
def make_unit(congresses, registered):
    city, _ = congresses

    def make(name: str, congress: Congress | None = None, *, index: bool = True) -> Unit:
        unit = Unit.objects.create(name=name, congress=congress or city)
        if index:
            services.index_object(unit)
        return unit

    return make


@pytest.fixture
def make_person(registered):
    def make(name: str, bio: str = "", occupation: str = "", *, index: bool = True) -> Person:
        person = Person.objects.create(name=name, public_bio=bio, occupation=occupation)
        if index:
            services.index_object(person)
        return person

    return make


@pytest.fixture
def fillers(make_person):
    """Unrelated documents, so that bm25's inverse document frequency is meaningful."""
    texts = ["道路维修工程进度", "农村垃圾分类", "学校食堂卫生", "公交线路调整", "河道整治保洁",
             "养老服务中心建设", "菜市场改造", "停车位不足问题"]
    return [make_person(f"群众{i}", text) for i, text in enumerate(texts)]
