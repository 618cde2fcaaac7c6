from renda.deputies.models import Deputy
from renda.org.selectors import congress_rollup


def test_city_rollup_counts_towns_figures(world, django_assert_max_num_queries):
    Deputy.objects.filter(pk=world.deputy2.pk).update(status="terminated")
    with django_assert_max_num_queries(3):
        rows = {r["congress"].pk: r for r in congress_rollup(congress=world.city)}
    assert rows[world.city.pk]["deputies"] == 1
    assert rows[world.town.pk]["deputies"] == 1 and rows[world.town.pk]["stations"] == 1
    assert rows[world.other_town.pk]["stations"] == 1
    town_rows = congress_rollup(congress=world.town)
    assert [r["congress"].pk for r in town_rows] == [world.town.pk]


def test_overview_shows_rollup_to_city_staff_only_own_units(world, client_for):
    page = client_for("staff").get("/org/").content.decode()
    assert "沙溪镇人民代表大会" in page and "市住房和城乡建设局" in page
    unit_page = client_for("unit").get("/org/").content.decode()
    assert "市住房和城乡建设局" in unit_page and "市教育局" not in unit_page


def test_unit_contacts_hidden_from_deputies(world, client_for):
    assert "13912345678" in client_for("staff").get(f"/org/units/{world.unit.pk}/").content.decode()
    assert "13912345678" not in client_for("deputy").get(f"/org/units/{world.unit.pk}/").content.decode()
