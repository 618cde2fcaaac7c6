from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from renda.core.search import services
from renda.core.search.models import SearchDocument
from renda.core.search.selectors import search
from renda.org.models import Unit

pytestmark = pytest.mark.django_db


def unit_hits(query, **kwargs):
    return [hit.object_id for hit in search(query, model=Unit, **kwargs)]


@pytest.fixture
def auto_indexed_units(registered):
    services.connect_auto_index(Unit)
    yield
    services.disconnect_auto_index(Unit)


def test_save_and_delete_update_the_index_on_commit(
    congresses, auto_indexed_units, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        unit = Unit.objects.create(name="小区电梯维保站", congress=congresses[0])
    assert unit_hits("电梯") == [unit.pk]

    with django_capture_on_commit_callbacks(execute=True):
        unit.name = "道路养护站"
        unit.save()
    assert unit_hits("电梯") == []
    assert unit_hits("养护") == [unit.pk]

    pk = unit.pk
    with django_capture_on_commit_callbacks(execute=True):
        unit.delete()
    assert unit_hits("养护") == []
    assert not SearchDocument.objects.filter(object_id=pk, content_type__model="unit").exists()


def test_nothing_is_indexed_before_commit_or_after_rollback(congresses, auto_indexed_units,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Unit.objects.create(name="小区电梯维保站", congress=congresses[0])
    assert len(callbacks) == 1
    assert unit_hits("电梯") == []

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            Unit.objects.create(name="电梯应急中心", congress=congresses[0])
            raise RuntimeError
    assert callbacks == []
    assert unit_hits("电梯") == []


def test_unregistered_model_is_not_indexed_by_signals(
    congresses, registered, django_capture_on_commit_callbacks
):
    # `registered` uses auto_index=False: saving must not schedule anything.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Unit.objects.create(name="小区电梯维保站", congress=congresses[0])
    assert callbacks == []
    assert unit_hits("电梯") == []


def test_reindex_indexes_everything_and_drops_orphans(make_unit):
    units = [make_unit(f"电梯{i}号维保点", index=False) for i in range(7)]
    assert unit_hits("电梯") == []
    seen = []
    assert services.reindex(Unit, batch_size=3, progress=seen.append) == 7
    assert seen == [3, 3, 1]
    assert sorted(unit_hits("电梯")) == sorted(unit.pk for unit in units)

    Unit.objects.filter(pk=units[0].pk).delete()  # no auto-index: the row stays until reindex
    assert units[0].pk in unit_hits("电梯")
    services.reindex(Unit)
    assert units[0].pk not in unit_hits("电梯")
    assert SearchDocument.objects.filter(content_type__model="unit").count() == 6


def test_registration_queryset_filters_what_is_indexed(congresses, registered):
    services.register(Unit, title=lambda unit: unit.name, text=lambda unit: "", auto_index=False,
                      queryset=lambda: Unit.objects.filter(is_active=True))
    active = Unit.objects.create(name="电梯办", congress=congresses[0])
    inactive = Unit.objects.create(name="电梯科", congress=congresses[0], is_active=False)
    services.index_object(inactive)  # indexed as given, then reindex applies the queryset
    services.reindex(Unit)
    assert unit_hits("电梯") == [active.pk]


def test_reindex_command(make_unit):
    unit = make_unit("小区电梯维保站", index=False)
    out = StringIO()
    call_command("search_reindex", "org.Unit", "--batch-size", "2", stdout=out, stderr=StringIO())
    assert "org.Unit" in out.getvalue()
    assert unit_hits("电梯") == [unit.pk]

    SearchDocument.objects.all().delete()
    call_command("search_reindex", "--rebuild-fulltext", stdout=StringIO(), stderr=StringIO())
    assert unit_hits("电梯") == [unit.pk]


@pytest.mark.parametrize("label", ["nosuch.Model", "garbage", "org.Congress"])
def test_reindex_command_rejects_unknown_or_unregistered_models(registered, label):
    with pytest.raises(CommandError):
        call_command("search_reindex", label, stdout=StringIO(), stderr=StringIO())


def test_fulltext_rebuild_repairs_a_stale_index(make_unit):
    unit = make_unit("小区电梯维保站")
    services.fulltext_rebuild()
    assert unit_hits("电梯") == [unit.pk]


def test_long_text_is_cut_not_refused(registered, make_person):
    from renda.core.search.segmentation import MAX_INDEXED_CHARS
    from renda.deputies.models import Person

    person = make_person("李四", "电梯" + "说" * MAX_INDEXED_CHARS + "执法检查")
    assert [hit.object_id for hit in search("电梯", model=Person)] == [person.pk]
    assert search("执法检查", model=Person) == []
