"""找代表 and the public profile pages: what the public sees, and what it never sees."""

import re

import pytest
from django.urls import reverse

from renda.deputies.models import Deputy, Person, StationDuty
from renda.org.models import Place
from renda.portal import views

pytestmark = pytest.mark.django_db

FIND = reverse("portal:find")


def results_url(world, community=None, town=None):
    town = town or world.town_place
    community = community or world.community
    return f"{FIND}?town={town.pk}&community={community.pk}"


def section(html: str, heading: str) -> str:
    """The HTML of the congress group whose heading contains `heading`."""
    pattern = (r'<section class="congress-group"[^>]*>\s*<h3[^>]*>\s*' + re.escape(heading)
               + r"(.*?)</section>")
    match = re.search(pattern, html, re.S)
    assert match, f"no group {heading}"
    return match.group(1)


def test_home_has_find_entry_and_towns(world, client):
    response = client.get(reverse("portal:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{FIND}"' in html
    assert "代表联络站" in html
    assert f"{FIND}?town={world.town_place.pk}" in html
    assert "太仓市人民代表大会" in html


def test_step1_lists_towns_and_streets_only(world, client):
    html = client.get(FIND).content.decode()
    assert "沙溪镇" in html and "浏河镇" in html
    assert "新港社区" not in html  # communities come at step 2
    assert "aria-current=\"step\"" in html


def test_step2_lists_communities_of_the_town_only(world, client):
    html = client.get(f"{FIND}?town={world.town_place.pk}").content.decode()
    assert f"community={world.community.pk}" in html
    assert "泥泾村" in html
    assert "浏家港社区" not in html


def test_results_show_both_levels_for_one_person(world, client):
    response = client.get(results_url(world))
    html = response.content.decode()
    assert response.status_code == 200
    city = section(html, "太仓市人大代表")
    town = section(html, "沙溪镇人大代表")
    assert "张建国" in city and "李秀英" in city
    assert "张建国" in town and "李秀英" not in town
    # One person, two seats: each card says so, and both link to a profile of the same person.
    assert "同时是沙溪镇人大代表" in city
    assert "同时是太仓市人大代表" in town
    assert html.count(">张建国<") == 2
    assert "陈明" not in html  # 浏河镇's deputy is elected elsewhere


def test_results_show_station_with_reception_days(world, client):
    html = client.get(results_url(world)).content.decode()
    assert "沙溪镇人大代表联络站" in html
    assert "每月15日 9:00-11:30" in html
    assert "联督问政" in html and "沙溪镇白云路1号" in html
    assert 'href="tel:0512-53210000"' in html
    assert reverse("portal:station", args=[world.station.pk]) in html
    assert "浏河镇民声茶坊" not in html


def _assert_no_personal_data(html: str) -> None:
    for secret in ("13812345678", "138****5678", "13987654321", "zhang@example.org",
                   "320585197001011234", "320585********1234", "1970-01", "1970"):
        assert secret not in html, secret


def test_pages_never_show_phone_email_or_id(world, client):
    world.person.public_bio = "长期从事社区工作。"
    world.person.save()
    for url in (results_url(world), reverse("portal:deputy", args=[world.deputy.pk]),
                reverse("portal:deputy", args=[world.town_deputy.pk]),
                reverse("portal:station", args=[world.station.pk]), reverse("portal:home")):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_no_personal_data(response.content.decode())


@pytest.mark.parametrize("status", [Deputy.Status.TERMINATED, Deputy.Status.SUSPENDED])
def test_inactive_deputies_are_not_public(world, client, status):
    Deputy.objects.filter(pk=world.deputy2.pk).update(status=status)
    html = client.get(results_url(world)).content.decode()
    assert "李秀英" not in html
    assert client.get(reverse("portal:deputy", args=[world.deputy2.pk])).status_code == 404
    StationDuty.objects.create(station=world.station, deputy=world.deputy2, schedule="每周一")
    station_page = client.get(reverse("portal:station", args=[world.station.pk]))
    assert "李秀英" not in station_page.content.decode()


def test_inactive_seat_is_left_out_of_the_profile(world, client):
    Deputy.objects.filter(pk=world.town_deputy.pk).update(status=Deputy.Status.TERMINATED)
    html = client.get(reverse("portal:deputy", args=[world.deputy.pk])).content.decode()
    assert "太仓市人大代表" in html
    assert "沙溪镇人大代表<" not in html and "新港选区" not in html


def test_html_in_bio_and_names_is_escaped(world, client):
    world.person.public_bio = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    world.person.occupation = "<b>书记</b>"
    world.person.save()
    world.station.brand = "<i>品牌</i>"
    world.station.save()
    for url in (results_url(world), reverse("portal:deputy", args=[world.deputy.pk]),
                reverse("portal:station", args=[world.station.pk])):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>书记" not in html
        assert "<i>品牌" not in html
    html = client.get(reverse("portal:deputy", args=[world.deputy.pk])).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_profile_shows_public_fields_and_both_seats(world, client):
    world.person.public_bio = "长期从事社区工作。\n热心公益。"
    world.person.save()
    html = client.get(reverse("portal:deputy", args=[world.town_deputy.pk])).content.decode()
    assert "张建国" in html and "男" in html and "中共党员" in html
    assert "沙溪镇新港社区党委书记" in html
    assert "长期从事社区工作。<br>热心公益。" in html
    assert "太仓市人大代表" in html and "沙溪镇人大代表" in html
    assert "第5选区" in html and "新港选区" in html and "沙溪代表小组" in html
    assert html.index("太仓市人大代表") < html.index("沙溪镇人大代表")  # city first
    assert reverse("portal:station", args=[world.station.pk]) in html


def test_station_page_lists_deputies_on_duty(world, client):
    html = client.get(reverse("portal:station", args=[world.station.pk])).content.decode()
    assert "沙溪镇人大代表联络站" in html and "每月15日 9:00-11:30" in html and "联督问政" in html
    assert "张建国" in html and reverse("portal:deputy", args=[world.deputy.pk]) in html
    assert "新港社区" in html and "泥泾村" in html


@pytest.mark.parametrize("query", [
    "town=abc", "town=", "town=-1", "town=0", "town=1.5", "town=%EF%BC%91",
    "town=99999999999999999999999", "town=9223372036854775807", "community=1", "town=999999",
])
def test_bad_town_is_a_friendly_404(world, client, query):
    response = client.get(f"{FIND}?{query}")
    assert response.status_code == 404
    html = response.content.decode()
    assert str(views.TOWN_NOT_FOUND) in html
    assert "沙溪镇" in html  # the town list, to choose again


def test_bad_community_is_a_friendly_404(world, client):
    town = world.town_place.pk
    for community in ("abc", "", "0", "99999999999999999999999", str(world.other_community.pk),
                      str(world.town_place.pk)):
        response = client.get(f"{FIND}?town={town}&community={community}")
        assert response.status_code == 404, community
        html = response.content.decode()
        assert str(views.COMMUNITY_NOT_FOUND) in html
        assert "新港社区" in html  # this town's communities, to choose again


def test_community_of_another_town_is_404(world, client):
    response = client.get(results_url(world, community=world.other_community))
    assert response.status_code == 404
    assert "陈明" not in response.content.decode()


def test_a_community_is_not_a_town(world, client):
    assert client.get(f"{FIND}?town={world.community.pk}").status_code == 404


@pytest.mark.parametrize("name", ["portal:deputy", "portal:station"])
@pytest.mark.parametrize("value", ["abc", "0", "999999", "99999999999999999999999", "%E4%B8%80"])
def test_bad_object_ids_are_404(world, client, name, value):
    url = reverse(name, args=["1"]).replace("/1/", f"/{value}/")
    response = client.get(url)
    assert response.status_code == 404
    assert "未找到" in response.content.decode()


def test_public_pages_are_cacheable_for_a_minute(world, client):
    for url in (reverse("portal:home"), FIND, results_url(world),
                reverse("portal:deputy", args=[world.deputy.pk]),
                reverse("portal:station", args=[world.station.pk])):
        response = client.get(url)
        cache_control = response["Cache-Control"]
        assert "public" in cache_control and "max-age=60" in cache_control, url
        assert "HX-Request" in response["Vary"]
    assert "public" not in client.get(f"{FIND}?town=abc").get("Cache-Control", "")


def test_signed_in_visitors_get_a_private_copy(world, client_for):
    response = client_for("staff").get(results_url(world))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_htmx_request_gets_only_the_panel(world, client):
    response = client.get(results_url(world), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith("<title>新港社区 · 沙溪镇 · 找代表")
    assert 'id="find-panel"' in html and "张建国" in html
    assert "<html" not in html and "<header" not in html


def test_full_page_works_without_javascript(world, client):
    """Every step is a plain link to the next GET URL."""
    html = client.get(FIND).content.decode()
    assert f'href="{FIND}?town={world.town_place.pk}"' in html
    html = client.get(f"{FIND}?town={world.town_place.pk}").content.decode()
    assert f'href="{FIND}?town={world.town_place.pk}&amp;community={world.community.pk}"' in html
    html = client.get(results_url(world)).content.decode()
    assert reverse("portal:deputy", args=[world.deputy.pk]) in html


def _add_deputies(world, n: int) -> None:
    for i in range(n):
        person = Person.objects.create(name=f"代表{i}", gender="female", phone=f"1390000{i:04d}")
        Deputy.objects.create(congress=world.city, term=world.city_term, person=person,
                              district=world.city_district, group=world.group)
        StationDuty.objects.create(station=world.station, deputy=Deputy.objects.latest("id"))


def test_query_count_is_bounded(world, client, django_assert_max_num_queries):
    _add_deputies(world, 15)
    urls = {results_url(world): 6, FIND: 3, f"{FIND}?town={world.town_place.pk}": 3,
            reverse("portal:home"): 3, reverse("portal:deputy", args=[world.deputy.pk]): 4,
            reverse("portal:station", args=[world.station.pk]): 4}
    pages = {}
    for url, bound in urls.items():
        with django_assert_max_num_queries(bound):
            response = client.get(url)
        assert response.status_code == 200
        pages[url] = response.content.decode()
    assert all(f">代表{i}<" in pages[results_url(world)] for i in range(15))
    station_page = pages[reverse("portal:station", args=[world.station.pk])]
    assert all(f">代表{i}<" in station_page for i in range(15))


def test_town_list_groups_by_city_when_several(world, client):
    other_city = Place.objects.create(name="昆山市", kind="city")
    Place.objects.create(name="周庄镇", kind="town", parent=other_city)
    html = client.get(FIND).content.decode()
    assert "太仓市" in html and "昆山市" in html
    assert html.index("太仓市") < html.index("沙溪镇") < html.index("昆山市") < html.index("周庄镇")
