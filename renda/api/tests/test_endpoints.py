"""Each endpoint × each role, and what each role sees inside (scope comes from the selectors)."""

import pytest

ROLES = ["anonymous", "norole", "admin", "staff", "director", "deputy", "unit", "discipline", "town_staff",
         "evaluatee", "other_town_staff"]


def expect(default: int, **overrides) -> dict[str, int]:
    out = {r: default for r in ROLES}
    out["anonymous"] = 401
    out.update(overrides)
    return out


ORG_VIEWERS = expect(200, norole=403, evaluatee=403)
ROSTER = expect(403, admin=200, staff=200, director=200, deputy=200, town_staff=200, other_town_staff=200)

# (name, path(world), expected status per role)
READS = [
    ("me", lambda w: "/api/me", expect(200)),
    ("congresses", lambda w: "/api/congresses", expect(200)),
    ("places", lambda w: "/api/places", ORG_VIEWERS),
    ("offices", lambda w: "/api/offices", ORG_VIEWERS),
    ("committee-members", lambda w: "/api/committee-members", ORG_VIEWERS),
    ("units", lambda w: "/api/units", ORG_VIEWERS),
    ("unit", lambda w: f"/api/units/{w.unit.pk}",
     expect(200, norole=404, evaluatee=404, town_staff=404, other_town_staff=404)),
    ("other unit", lambda w: f"/api/units/{w.other_unit.pk}",
     expect(200, norole=404, evaluatee=404, town_staff=404, other_town_staff=404, unit=404)),
    ("deputies", lambda w: "/api/deputies", ROSTER),
    ("city deputy", lambda w: f"/api/deputies/{w.deputy.pk}",
     expect(404, admin=200, staff=200, director=200, deputy=200)),
    ("stations", lambda w: "/api/stations", ROSTER),
    ("town station", lambda w: f"/api/stations/{w.station.pk}", expect(404, admin=200, town_staff=200)),
    ("public towns", lambda w: "/api/public/towns", expect(200, anonymous=200)),
    ("public communities", lambda w: f"/api/public/towns/{w.town_place.pk}/communities", expect(200, anonymous=200)),
    ("public representatives", lambda w: f"/api/public/communities/{w.community.pk}/representatives",
     expect(200, anonymous=200)),
]
@pytest.mark.parametrize(("name", "path", "codes"), READS, ids=[r[0] for r in READS])
def test_read_matrix(name, path, codes, world, client_for):
    got, codes_seen = {}, {}
    for role in ROLES:
        response = client_for(role).get(path(world))
        got[role] = response.status_code
        if response.status_code >= 400:
            codes_seen[role] = response.json()["error"]["code"]
    assert got == codes
    assert codes_seen == {role: {401: "not_authenticated", 403: "permission_denied", 404: "not_found"}[status]
                          for role, status in codes.items() if status >= 400}


STATUS_CHANGE = expect(404, admin=200, staff=200, director=200, deputy=403)


@pytest.mark.parametrize("role", ROLES)
def test_status_change_matrix(role, world, client_for):
    response = client_for(role).post(f"/api/deputies/{world.deputy.pk}/status",
                                     {"action": "suspend", "note": "依法暂停", "expected_version": 0},
                                     content_type="application/json")
    assert response.status_code == STATUS_CHANGE[role], response.content
    world.deputy.refresh_from_db()
    assert world.deputy.status == ("suspended" if STATUS_CHANGE[role] == 200 else "active")


def _ids(response) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


def test_congresses_staff_see_descendants_others_own(world, client_for):
    assert _ids(client_for("staff").get("/api/congresses")) == [world.city.pk, world.town.pk, world.other_town.pk]
    assert _ids(client_for("director").get("/api/congresses")) == [world.city.pk, world.town.pk,
                                                                   world.other_town.pk]
    assert _ids(client_for("deputy").get("/api/congresses")) == [world.city.pk]
    assert _ids(client_for("unit").get("/api/congresses")) == [world.city.pk]
    assert _ids(client_for("town_staff").get("/api/congresses")) == [world.town.pk]
    assert _ids(client_for("evaluatee").get("/api/congresses")) == []
    # A superuser without a role works at the top of the tree.
    assert _ids(client_for("admin").get("/api/congresses")) == [world.city.pk, world.town.pk, world.other_town.pk]


def test_deputies_are_scoped_to_the_active_congress(world, client_for):
    assert _ids(client_for("staff").get("/api/deputies")) == [world.deputy.pk, world.deputy2.pk,
                                                              world.terminated_deputy.pk]
    assert _ids(client_for("town_staff").get("/api/deputies")) == [world.town_deputy.pk]
    assert _ids(client_for("other_town_staff").get("/api/deputies")) == [world.other_deputy.pk]
    assert sorted(_ids(client_for("admin").get("/api/deputies"))) == sorted(
        [world.deputy.pk, world.deputy2.pk, world.terminated_deputy.pk, world.town_deputy.pk, world.other_deputy.pk])


def test_deputy_filters(world, client_for):
    c = client_for("staff")
    assert _ids(c.get("/api/deputies", {"q": "李"})) == [world.deputy2.pk]
    assert _ids(c.get("/api/deputies", {"q": "医院"})) == [world.deputy2.pk]
    assert _ids(c.get("/api/deputies", {"sector": "cadre"})) == [world.deputy.pk]
    assert _ids(c.get("/api/deputies", {"status": "suspended"})) == []
    assert _ids(c.get("/api/deputies", {"status": "terminated"})) == [world.terminated_deputy.pk]
    assert _ids(c.get("/api/deputies", {"group_id": world.group.pk})) == [world.deputy.pk, world.deputy2.pk]
    assert _ids(c.get("/api/deputies", {"district_id": world.town_district.pk})) == []
    assert _ids(c.get("/api/deputies", {"town_id": world.town_place.pk, "status": "active"})) == [
        world.deputy.pk, world.deputy2.pk]
    assert _ids(c.get("/api/deputies", {"town_id": world.other_town_place.pk})) == []


def test_pagination(world, client_for):
    c = client_for("staff")
    page = c.get("/api/deputies", {"limit": 1, "offset": 1}).json()
    assert (page["count"], page["limit"], page["offset"]) == (3, 1, 1)
    assert [i["id"] for i in page["items"]] == [world.deputy2.pk]
    assert c.get("/api/deputies", {"limit": 200}).status_code == 200
    assert c.get("/api/deputies", {"limit": 201}).status_code == 422
    assert c.get("/api/deputies", {"limit": 0}).status_code == 422
    assert c.get("/api/deputies", {"offset": -1}).status_code == 422


def test_units_a_unit_sees_only_itself_and_contacts_follow_permission(world, client_for):
    assert _ids(client_for("unit").get("/api/units")) == [world.unit.pk]
    assert _ids(client_for("staff").get("/api/units")) == [world.unit.pk, world.other_unit.pk]
    path = f"/api/units/{world.unit.pk}"
    assert client_for("unit").get(path).json()["contacts"] == [
        {"name": "王科长", "title": "", "phone": "13912345678", "email": ""}]
    assert client_for("staff").get(path).json()["contacts"][0]["phone"] == "13912345678"
    assert client_for("deputy").get(path).json()["contacts"] is None
    assert client_for("discipline").get(path).json()["contacts"] is None


def test_places_offices_members(world, client_for):
    from renda.deputies.models import Person
    from renda.org.models import CommitteeMember

    CommitteeMember.objects.create(congress=world.city, term=world.city_term, office=world.office, post="director",
                                   person=Person.objects.create(name="王主任"), start_date="2021-12-01")
    town_places = _ids(client_for("town_staff").get("/api/places"))
    assert sorted(town_places) == sorted([world.town_place.pk, world.community.pk, world.village.pk])
    staff_places = _ids(client_for("staff").get("/api/places", {"kind": "community"}))
    assert staff_places == [world.community.pk, world.other_community.pk]
    assert _ids(client_for("staff").get("/api/places", {"parent_id": world.town_place.pk})) == [
        world.community.pk, world.village.pk]
    offices = client_for("staff").get("/api/offices").json()["items"]
    assert [(o["name"], o["member_count"]) for o in offices] == [("代表工作委员会", 1), ("办公室", 0)]
    assert client_for("town_staff").get("/api/offices").json()["count"] == 0
    members = client_for("director").get("/api/committee-members").json()["items"]
    assert [(m["name"], m["post_label"], m["office"]["name"], m["term"]) for m in members] == [
        ("王主任", "主任", "代表工作委员会", 17)]
    assert client_for("town_staff").get("/api/committee-members").json()["count"] == 0


def test_stations_scoped_to_town(world, client_for):
    assert _ids(client_for("town_staff").get("/api/stations")) == [world.station.pk]
    assert _ids(client_for("other_town_staff").get("/api/stations")) == [world.other_station.pk]
    assert _ids(client_for("staff").get("/api/stations")) == []
    detail = client_for("town_staff").get(f"/api/stations/{world.station.pk}").json()
    assert detail["reception_days"] == "每月15日 9:00-11:30"
    assert [c["id"] for c in detail["communities"]] == [world.community.pk, world.village.pk]
    assert [(d["deputy_id"], d["name"], d["schedule"]) for d in detail["duties"]] == [
        (world.deputy.pk, "张建国", "每月15日")]


# --- masking ----------------------------------------------------------------------------------
def _contact(client, deputy_id):
    return client.get(f"/api/deputies/{deputy_id}").json()["contact"]


def test_contact_unmasked_for_the_managing_office(world, client_for):
    assert _contact(client_for("staff"), world.deputy.pk) == {
        "phone": "13812345678", "email": "zhang@example.org", "id_number": "320585197001011234", "masked": False}


def test_contact_masked_for_a_director(world, client_for):
    contact = _contact(client_for("director"), world.deputy.pk)
    assert contact == {"phone": "138****5678", "email": "z****@example.org", "id_number": "320585********1234",
                       "masked": True}
    raw = client_for("director").get("/api/deputies").content.decode()
    assert "13812345678" not in raw and "320585197001011234" not in raw and "13987654321" not in raw


def test_a_deputy_sees_own_contact_but_not_a_colleagues(world, client_for):
    c = client_for("deputy")
    assert _contact(c, world.deputy.pk)["masked"] is False
    assert _contact(c, world.deputy2.pk) == {"phone": "139****4321", "email": "", "id_number": "", "masked": True}
    items = {i["id"]: i["contact"]["masked"] for i in c.get("/api/deputies").json()["items"]}
    assert items == {world.deputy.pk: False, world.deputy2.pk: True, world.terminated_deputy.pk: True}


def test_detail_memberships_limited_to_what_the_user_may_see(world, client_for):
    staff_view = client_for("staff").get(f"/api/deputies/{world.deputy.pk}").json()
    assert [m["id"] for m in staff_view["memberships"]] == [world.deputy.pk]
    admin_view = client_for("admin").get(f"/api/deputies/{world.deputy.pk}").json()
    assert [m["id"] for m in admin_view["memberships"]] == [world.deputy.pk, world.town_deputy.pk]
    assert staff_view["actions"] == ["suspend", "terminate"]
    assert client_for("deputy").get(f"/api/deputies/{world.deputy.pk}").json()["actions"] == []


def test_deputy_list_query_count_does_not_grow(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from renda.deputies.models import Deputy, Person

    c = client_for("director")
    with CaptureQueriesContext(connection) as few:
        c.get("/api/deputies")
    for i in range(10):
        Deputy.objects.create(congress=world.city, term=world.city_term, person=Person.objects.create(name=f"代表{i}"),
                              district=world.city_district, group=world.group)
    with CaptureQueriesContext(connection) as many:
        assert c.get("/api/deputies").json()["count"] == 13
    assert len(many) == len(few)


# --- public -------------------------------------------------------------------------------------
def test_public_towns_and_communities(world, client):
    towns = client.get("/api/public/towns").json()["items"]
    assert [(t["id"], t["name"]) for t in towns] == [(world.town_place.pk, "沙溪镇"),
                                                      (world.other_town_place.pk, "浏河镇")]
    communities = client.get(f"/api/public/towns/{world.town_place.pk}/communities").json()["items"]
    assert [(c["name"], c["kind_label"]) for c in communities] == [("新港社区", "社区"), ("泥泾村", "村")]
    assert client.get("/api/public/towns/999999/communities").status_code == 404
    assert client.get(f"/api/public/towns/{world.community.pk}/communities").status_code == 404


def test_public_representatives_every_level_public_fields_only(world, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get(f"/api/public/communities/{world.community.pk}/representatives")
    data = response.json()
    assert data["community"]["name"] == "新港社区" and data["town"]["name"] == "沙溪镇"
    levels = sorted((d["name"], d["level"]) for d in data["deputies"])
    assert levels == [("张建国", "city"), ("张建国", "town"), ("李秀英", "city")]
    assert set(data["deputies"][0]) == {"id", "name", "gender", "party", "occupation", "bio", "congress", "level",
                                        "level_label", "district", "group", "sector"}
    raw = response.content.decode()
    for secret in ("13812345678", "138****", "320585", "zhang@example.org", "1970", "13987654321"):
        assert secret not in raw
    [station] = data["stations"]
    assert (station["name"], station["brand"], station["reception_days"], station["phone"], station["address"]) == (
        "沙溪镇人大代表联络站", "联督问政", "每月15日 9:00-11:30", "0512-53210000", "沙溪镇白云路1号")


def test_public_representatives_unknown_or_not_a_community(world, client):
    assert client.get("/api/public/communities/999999/representatives").status_code == 404
    assert client.get(f"/api/public/communities/{world.town_place.pk}/representatives").status_code == 404


def test_public_lists_terminated_deputies_out(world, client, client_for):
    client_for("staff").post(f"/api/deputies/{world.deputy2.pk}/status",
                             {"action": "terminate", "note": "辞职", "expected_version": 0},
                             content_type="application/json")
    data = client.get(f"/api/public/communities/{world.village.pk}/representatives").json()
    assert [d["name"] for d in data["deputies"]] == ["张建国"]
