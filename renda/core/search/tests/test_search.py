import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renda.core.search import services
from renda.core.search.models import SearchDocument
from renda.core.search.segmentation import scope_token
from renda.core.search.selectors import TITLE_BOOST, search, search_queryset
from renda.deputies.models import Person
from renda.org.models import Unit

pytestmark = pytest.mark.django_db

HOSTILE_QUERIES = [
    '"', '""', '"""', "*", "**", "NEAR(", "NEAR(a b)", "a OR", "OR", "AND", "NOT", "a NOT b",
    "' OR 1=1 --", "'; DROP TABLE search_searchdocument; --", "tokens:电梯", "^电梯", "-电梯", "电梯-",
    "(", ")", "()", "{a b}", "a:b", "a + b", "\\", "%", "_", "%_%", "a" * 1000, "电梯" * 500,
    "電梯 " * 300, "😀", "电梯😀", "👨‍👩‍👧", "\x00", "电\x00梯", "\ud800", "\u200b", " ", "\t\n", "",
    "ＮＥＡＲ（", "“", "”电梯“", "'", "''", "&", "|", "!", ":*", "电梯:*", "<->", "'电梯' & '小区'",
]


def ids(hits):
    return [hit.object_id for hit in hits]


def unit_hits(query, **kwargs):
    return ids(search(query, model=Unit, **kwargs))


def test_two_character_word_is_found_and_unrelated_text_is_not(make_unit):
    elevator = make_unit("小区电梯老化需要更换")
    make_unit("道路维修")
    make_unit("梯田电站")  # has 梯 and 电, not 电梯
    assert unit_hits("电梯") == [elevator.pk]
    assert unit_hits("小区") == [elevator.pk]
    assert unit_hits("老化") == [elevator.pk]


def test_four_character_term(make_unit):
    inspection = make_unit("常委会开展食品安全法执法检查")
    make_unit("检查执法情况")  # both words, not the term
    assert unit_hits("执法检查") == [inspection.pk]


def test_substring_across_the_segmenters_word_boundaries(make_person):
    # jieba cuts 和|尚未 here and 提高|和|服务质量: the character grams still find both.
    monk = make_person("甲", "结婚的和尚未结婚的")
    service = make_person("乙", "提高和服务质量")
    assert ids(search("和尚", model=Person)) == [monk.pk]
    assert ids(search("服务", model=Person)) == [service.pk]


def test_unquoted_words_are_anded_quoted_phrase_must_be_contiguous(make_unit):
    adjacent = make_unit("小区电梯老化")
    apart = make_unit("电梯位于小区门口")
    make_unit("小区绿化")
    assert set(unit_hits("小区电梯")) == {adjacent.pk, apart.pk}
    assert unit_hits('"小区电梯"') == [adjacent.pk]
    assert unit_hits("“小区电梯”") == [adjacent.pk]
    assert unit_hits("小区 老化") == [adjacent.pk]


def test_full_width_and_case_are_normalised(make_unit):
    phone = make_unit("ＩＰＨＯＮＥ维修点")
    assert unit_hits("iphone") == [phone.pk]
    assert unit_hits("IPhone") == [phone.pk]
    assert unit_hits("ｉｐｈｏｎｅ") == [phone.pk]


def test_single_character_query(make_unit):
    elevator = make_unit("小区电梯老化")
    make_unit("道路维修")
    assert unit_hits("老") == [elevator.pk]
    assert unit_hits("化") == [elevator.pk]  # last character of a run


def test_user_dictionary_term_is_found(make_unit):
    station = make_unit("城厢镇代表之家")
    assert unit_hits("代表之家") == [station.pk]
    assert unit_hits("之家") == [station.pk]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_queries_never_raise(make_unit, query):
    make_unit("小区电梯老化")
    hits = search(query)
    assert isinstance(hits, list)
    assert isinstance(list(search_queryset(Unit, query, Unit.objects.all())), list)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=80))
def test_any_text_is_a_valid_query(make_unit, query):
    assert isinstance(search(query, limit=5), list)


def test_empty_or_whitespace_query_finds_nothing(make_unit):
    make_unit("小区电梯老化")
    for query in ["", "   ", "\u3000", "，。！", None]:
        assert search(query) == []
        assert list(search_queryset(Unit, query, Unit.objects.all())) == []


def test_congress_scoping(congresses, make_unit):
    city, town = congresses
    city_unit = make_unit("市住建局电梯办", city)
    town_unit = make_unit("沙溪镇电梯办", town)
    assert set(unit_hits("电梯")) == {city_unit.pk, town_unit.pk}
    assert unit_hits("电梯", congress_ids=[town.pk]) == [town_unit.pk]
    assert unit_hits("电梯", congress_ids=[city.pk]) == [city_unit.pk]
    assert unit_hits("电梯", congress_ids=[]) == []
    rollup = type(city).objects.filter(path__startswith=city.path)
    assert set(unit_hits("电梯", congress_ids=rollup)) == {city_unit.pk, town_unit.pk}


def test_model_filter(make_unit, make_person):
    unit = make_unit("电梯维保中心")
    person = make_person("张三", "关注电梯安全")
    assert unit_hits("电梯") == [unit.pk]
    assert ids(search("电梯", model=Person)) == [person.pk]
    everything = {(hit.content_type_id, hit.object_id) for hit in search("电梯")}
    assert everything == {
        (ContentType.objects.get_for_model(Unit).pk, unit.pk),
        (ContentType.objects.get_for_model(Person).pk, person.pk),
    }


def test_removal(make_unit):
    unit = make_unit("小区电梯老化")
    assert services.remove_object(unit) == 1
    assert unit_hits("电梯") == []
    assert services.remove_object(unit) == 0


def test_reindexing_an_edited_object_replaces_its_tokens(make_unit):
    unit = make_unit("小区电梯老化")
    unit.name = "道路维修"
    unit.save()
    services.index_object(unit)
    assert unit_hits("电梯") == []
    assert unit_hits("道路") == [unit.pk]
    assert SearchDocument.objects.get(object_id=unit.pk, content_type__model="unit").title == "道路维修"


def test_more_occurrences_rank_higher(fillers, make_person):
    once = make_person("甲", "小区环境整治，另有电梯一部")
    often = make_person("乙", "电梯老化，电梯困人，电梯维保不到位")
    hits = search("电梯", model=Person)
    assert ids(hits) == [often.pk, once.pk]
    assert hits[0].rank > hits[1].rank


def test_title_match_ranks_first(fillers, make_person):
    body_only = make_person("王五", "电梯电梯电梯电梯")
    in_title = make_person("电梯", "小区环境")
    hits = search("电梯", model=Person)
    assert ids(hits) == [in_title.pk, body_only.pk]
    assert hits[0].rank >= TITLE_BOOST > hits[1].rank


def test_limit_and_offset(make_unit):
    units = [make_unit(f"电梯{i}号") for i in range(5)]
    all_hits = unit_hits("电梯", limit=50)
    assert sorted(all_hits) == sorted(unit.pk for unit in units)
    assert unit_hits("电梯", limit=2) == all_hits[:2]
    assert unit_hits("电梯", limit=2, offset=2) == all_hits[2:4]
    assert unit_hits("电梯", limit=0) == []


def test_search_queryset_keeps_the_callers_scope_and_orders_by_rank(congresses, fillers, make_unit):
    city, town = congresses
    best = make_unit("电梯电梯电梯安装", city)
    other = make_unit("加装电梯办公室", city)
    make_unit("沙溪镇电梯办", town)
    make_unit("道路维修", city)
    scoped = Unit.objects.filter(congress=city).select_related("congress")
    result = list(search_queryset(Unit, "电梯", scoped))
    assert [unit.pk for unit in result] == [best.pk, other.pk]
    assert result[0].search_rank > result[1].search_rank
    assert result[0].congress == city


def test_search_queryset_refuses_another_models_queryset(registered):
    with pytest.raises(ImproperlyConfigured):
        search_queryset(Unit, "电梯", Person.objects.all())


def test_unregistered_model_cannot_be_indexed(congresses):
    unit = Unit.objects.create(name="电梯", congress=congresses[0])
    with pytest.raises(ImproperlyConfigured):
        services.index_object(unit)


def test_title_substring_on_postgresql(make_unit):
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm title substring search is PostgreSQL only")
    phone = make_unit("iPhone维修点")
    assert unit_hits("phon") == [phone.pk]


def test_search_queryset_narrowed_to_congresses_inside_the_index(congresses, make_unit):
    city, town = congresses
    in_city = make_unit("城区电梯维修中心", city)
    in_town = make_unit("沙溪电梯维修站", town)
    # The base queryset is deliberately unscoped: the narrowing must come from the index itself.
    everything = Unit.objects.all()
    assert {u.pk for u in search_queryset(Unit, "电梯", everything)} == {in_city.pk, in_town.pk}
    assert [u.pk for u in search_queryset(Unit, "电梯", everything, congress_ids=[town.pk])] == [in_town.pk]
    both = search_queryset(Unit, "电梯", everything, congress_ids=[city.pk, town.pk], ranked=False)
    assert {u.pk for u in both} == {in_city.pk, in_town.pk}
    assert not hasattr(both.first(), "search_rank")
    assert list(search_queryset(Unit, "电梯", everything, congress_ids=[])) == []
    # The scope token is a token like the others: only the congress's documents carry it.
    doc = SearchDocument.objects.get(object_id=in_town.pk, content_type__model="unit")
    assert scope_token(doc.content_type_id, town.pk) in doc.tokens.split()
    assert scope_token(doc.content_type_id, city.pk) not in doc.tokens.split()


def test_scope_migration_adds_the_token_to_documents_indexed_before_it(congresses, make_unit):
    import importlib
    from types import SimpleNamespace

    migration = importlib.import_module("renda.core.search.migrations.0003_scope_tokens")
    city, _town = congresses
    unit = make_unit("老旧小区电梯", city)
    doc = SearchDocument.objects.get(object_id=unit.pk, content_type__model="unit")
    token = scope_token(doc.content_type_id, city.pk)
    SearchDocument.objects.filter(pk=doc.pk).update(tokens=doc.tokens.replace(f" {token}", ""))
    assert list(search_queryset(Unit, "电梯", Unit.objects.all(), congress_ids=[city.pk])) == []
    # The migration only calls schema_editor.execute (no schema change, so no editor is needed here).
    editor = SimpleNamespace(execute=lambda sql, params=None: connection.cursor().execute(sql))
    migration.forwards(None, editor)
    migration.forwards(None, editor)  # idempotent: the token is not added twice
    assert SearchDocument.objects.get(pk=doc.pk).tokens.split().count(token) == 1
    assert [u.pk for u in search_queryset(Unit, "电梯", Unit.objects.all(), congress_ids=[city.pk])] == [unit.pk]
