import pytest

from renda.deputies.models import Deputy, Person


def test_roster_lists_own_congress_only(world, client_for):
    page = client_for("staff").get("/deputies/").content.decode()
    assert "张建国" in page and "李秀英" in page and "陈明" not in page
    town = client_for("town_staff").get("/deputies/").content.decode()
    assert "张建国" in town and "李秀英" not in town


def test_roster_filters_and_search(world, client_for):
    c = client_for("staff")
    assert "李秀英" not in c.get("/deputies/", {"q": "张"}).content.decode()
    assert "张建国" not in c.get("/deputies/", {"sector": "professional"}).content.decode()
    bad = c.get("/deputies/", {"group": "abc", "status": "nope", "q": "x" * 500, "page": "-1"})
    assert bad.status_code == 200


def test_roster_htmx_returns_only_rows(world, client_for):
    r = client_for("staff").get("/deputies/", {"q": "张"}, headers={"HX-Request": "true"})
    body = r.content.decode()
    assert 'id="rows"' in body and "<html" not in body


def test_roster_query_count_is_bounded(world, client_for, django_assert_max_num_queries):
    c = client_for("staff")
    c.get("/deputies/")
    for i in range(60):
        p = Person.objects.create(name=f"代表{i}")
        Deputy.objects.create(congress=world.city, term=world.city_term, person=p, district=world.city_district,
                              group=world.group)
    with django_assert_max_num_queries(12):
        r = c.get("/deputies/")
    assert "代表1" in r.content.decode()


def test_contact_masked_for_director_unmasked_for_staff_and_self(world, client_for):
    assert "13812345678" in client_for("staff").get(f"/deputies/{world.deputy.pk}/").content.decode()
    assert "13812345678" in client_for("deputy").get(f"/deputies/{world.deputy.pk}/").content.decode()
    director = client_for("director").get(f"/deputies/{world.deputy.pk}/").content.decode()
    assert "13812345678" not in director and "138****5678" in director
    assert "320585197001011234" not in director


def test_status_buttons_and_change_through_the_page(world, client_for):
    c = client_for("staff")
    page = c.get(f"/deputies/{world.deputy.pk}/").content.decode()
    assert "暂停执行代表职务" in page and "恢复执行代表职务" not in page
    r = c.post(f"/deputies/{world.deputy.pk}/status/", {"action": "suspend", "note": "<script>x</script>",
                                                       "version": 0})
    assert r.status_code == 302
    page = c.get(f"/deputies/{world.deputy.pk}/").content.decode()
    assert "恢复执行代表职务" in page and "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x" not in page
    world.deputy.refresh_from_db()
    assert world.deputy.status == "suspended"


def test_stale_form_gets_conflict_message(world, client_for):
    c = client_for("staff")
    c.post(f"/deputies/{world.deputy.pk}/status/", {"action": "suspend", "note": "a", "version": 0})
    c.post(f"/deputies/{world.deputy.pk}/status/", {"action": "terminate", "note": "b", "version": 0}, follow=False)
    page = c.get(f"/deputies/{world.deputy.pk}/").content.decode()
    assert "已被他人处理" in page
    world.deputy.refresh_from_db()
    assert world.deputy.status == "suspended"


@pytest.mark.parametrize("data", [
    {"action": "suspend", "note": "", "version": 0},
    {"action": "fly", "note": "x", "version": 0},
    {"action": "suspend", "note": "x", "version": "abc"},
    {"action": "suspend", "note": "x" * 5000, "version": 0},
])
def test_bad_status_input_is_a_message_not_a_500(world, client_for, data):
    r = client_for("staff").post(f"/deputies/{world.deputy.pk}/status/", data)
    assert r.status_code == 302
    world.deputy.refresh_from_db()
    assert world.deputy.status == "active"


def test_unknown_deputy_is_404(world, client_for):
    assert client_for("staff").get("/deputies/99999999/").status_code == 404


def test_filter_selection_is_kept_and_labels_are_chinese(world, client_for):
    page = client_for("staff").get("/deputies/", {"sector": "professional", "group": world.group.pk}).content.decode()
    assert '<option value="professional" selected>专业技术人员</option>' in page
    assert f'<option value="{world.group.pk}" selected>沙溪代表小组</option>' in page
    assert "<td>女</td>" in page and ">在任</span>" in page
