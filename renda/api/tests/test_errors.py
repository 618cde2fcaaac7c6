"""One error shape with stable codes; UTF-8 bodies; throttling; conflicts; the schema and docs pages."""

import threading

import pytest
from django.core.cache import cache
from django.db import close_old_connections
from django.test import Client

from renda.api.services import token_create
from renda.api.throttles import UserThrottle


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["message"]
    return body["error"]


def status_body(action="suspend", version=0, note="依法暂停") -> dict:
    return {"action": action, "note": note, "expected_version": version}


def post(client, url, body, **extra):
    return client.post(url, body, content_type="application/json", **extra)


def test_401_shape(world, client):
    err = error_of(client.get("/api/deputies"), 401)
    assert err == {"code": "not_authenticated", "message": "请先登录，或提供有效的 API 令牌。", "details": None}


def test_403_shape(world, client_for):
    assert error_of(client_for("unit").get("/api/deputies"), 403)["code"] == "permission_denied"
    url = f"/api/deputies/{world.deputy.pk}/status"
    assert error_of(post(client_for("deputy"), url, status_body()), 403)["code"] == "permission_denied"


def test_404_not_allowed_looks_like_not_found(world, client_for):
    c = client_for("town_staff")
    hidden = c.get(f"/api/deputies/{world.deputy.pk}")
    missing = c.get("/api/deputies/987654321")
    assert error_of(hidden, 404) == error_of(missing, 404) == {"code": "not_found", "message": "未找到。",
                                                               "details": None}
    assert hidden.content == missing.content
    # Changing a deputy one cannot see is also a plain 404, whatever the version or state.
    assert error_of(post(c, f"/api/deputies/{world.deputy.pk}/status", status_body("resume", 7)), 404)


def test_409_stale_version(world, client_for):
    c = client_for("staff")
    url = f"/api/deputies/{world.deputy.pk}/status"
    first = post(c, url, status_body("suspend", 0))
    assert first.status_code == 200 and first.json()["version"] == 1
    err = error_of(post(c, url, status_body("terminate", 0)), 409)
    assert err["code"] == "conflict"
    assert "刷新" in err["message"]
    world.deputy.refresh_from_db()
    assert (world.deputy.status, world.deputy.version) == ("suspended", 1)
    assert post(c, url, status_body("terminate", 1)).json()["status"] == "terminated"
    timeline = c.get(f"/api/deputies/{world.deputy.pk}").json()["timeline"]
    assert [(t["action_label"], t["from_label"], t["to_label"], t["actor"], t["note"]) for t in timeline] == [
        ("暂停执行代表职务", "在任", "暂停", "staff", "依法暂停"),
        ("终止代表资格", "暂停", "终止", "staff", "依法暂停")]


def test_409_invalid_state(world, client_for):
    err = error_of(post(client_for("staff"), f"/api/deputies/{world.deputy.pk}/status", status_body("resume")), 409)
    assert err["code"] == "invalid_state"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_status_changes_exactly_one_wins(settings):
    from renda.deputies.models import Deputy
    from renda.testing import build_world

    settings.RENDA_API_THROTTLE_RATES = {"anon": None, "auth": None}
    w = build_world()
    keys = [token_create(user=w.users[role], name="x")[1] for role in ("staff", "director")]
    statuses: list[int] = []
    barrier = threading.Barrier(2)

    def act(key, action):
        try:
            c = Client()
            barrier.wait()
            r = post(c, f"/api/deputies/{w.deputy.pk}/status", status_body(action, 0),
                     HTTP_AUTHORIZATION=f"Bearer {key}")
            statuses.append(r.status_code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=act, args=(k, a)) for k, a in zip(keys, ("suspend", "terminate"), strict=False)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200, 409]
    assert Deputy.objects.get(pk=w.deputy.pk).version == 1


@pytest.mark.parametrize(("path", "loc"), [
    ("/api/deputies?limit=201", ["query", "limit"]),
    ("/api/deputies?q=" + "长" * 51, ["query", "q"]),
    ("/api/deputies?q=a%00b", ["query", "q"]),
    ("/api/deputies?town_id=9223372036854775808", ["query", "town_id"]),
    ("/api/deputies?status=gone", ["query", "status"]),
    ("/api/deputies/0", ["path", "deputy_id"]),
    ("/api/deputies/abc", ["path", "deputy_id"]),
    ("/api/deputies/99999999999999999999999", ["path", "deputy_id"]),
    ("/api/units/-1", ["path", "unit_id"]),
])
def test_422_shape_with_details(world, client_for, path, loc):
    err = error_of(client_for("staff").get(path), 422)
    assert err["code"] == "validation_error"
    assert [d["loc"] for d in err["details"]] == [loc]
    assert all(set(d) == {"loc", "msg", "type"} for d in err["details"])


@pytest.mark.parametrize("path", ["/api/public/communities/9223372036854775808/representatives",
                                  "/api/public/towns/0/communities", "/api/public/towns?offset=-5"])
def test_422_on_public_endpoints(world, client, path):
    assert error_of(client.get(path), 422)["code"] == "validation_error"


@pytest.mark.parametrize(("body", "code"), [
    ({"action": "suspend", "note": "   ", "expected_version": 0}, "note_required"),
    ({"action": "suspend", "note": "", "expected_version": 0}, "validation_error"),
    ({"action": "suspend", "note": "a\x00b", "expected_version": 0}, "validation_error"),
    ({"action": "delete", "note": "x", "expected_version": 0}, "validation_error"),
    ({"action": "suspend", "note": "x" * 501, "expected_version": 0}, "validation_error"),
    ({"action": "suspend", "note": "x", "expected_version": 2**31}, "validation_error"),
    ({"action": "suspend", "note": "x"}, "validation_error"),
])
def test_422_on_bad_status_bodies(world, client_for, body, code):
    response = post(client_for("staff"), f"/api/deputies/{world.deputy.pk}/status", body)
    assert error_of(response, 422)["code"] == code
    world.deputy.refresh_from_db()
    assert world.deputy.status == "active"


def test_400_malformed_json(world, client_for):
    response = client_for("staff").post(f"/api/deputies/{world.deputy.pk}/status", "{not json",
                                        content_type="application/json")
    assert error_of(response, 400)["code"] == "bad_request"


def test_chinese_is_not_escaped(world, client_for):
    raw = client_for("staff").get(f"/api/deputies/{world.deputy.pk}").content
    assert "张建国".encode() in raw
    assert b"\\u" not in raw
    assert "未找到".encode() in client_for("staff").get("/api/deputies/987654").content


# --- throttling ------------------------------------------------------------------------------------
def test_anonymous_requests_are_throttled_per_address(world, settings, fresh_ip):
    settings.RENDA_API_THROTTLE_RATES = {"anon": "3/min", "auth": None}
    c = Client(REMOTE_ADDR=fresh_ip)
    assert [c.get("/api/public/towns").status_code for _ in range(3)] == [200, 200, 200]
    response = c.get("/api/public/towns")
    err = error_of(response, 429)
    assert err == {"code": "throttled", "message": "请求过于频繁，请稍后再试。", "details": None}
    assert 0 < int(response["Retry-After"]) <= 60
    # Another address is counted separately.
    other = fresh_ip.rsplit(".", 1)[0] + ".254"
    cache.delete(f"renda_api_throttle_anon_{other}")
    assert Client(REMOTE_ADDR=other).get("/api/public/towns").status_code == 200


def test_authenticated_requests_are_throttled_per_user(world, settings, token_for):
    settings.RENDA_API_THROTTLE_RATES = {"anon": None, "auth": "2/min"}
    keys = [UserThrottle.cache_format % {"scope": "auth", "ident": world.users[role].pk}
            for role in ("staff", "director")]
    cache.delete_many(keys)  # user ids repeat between test runs; the cache may not have been reset
    staff = {"HTTP_AUTHORIZATION": f"Bearer {token_for('staff')}"}
    assert [Client().get("/api/me", **staff).status_code for _ in range(2)] == [200, 200]
    assert error_of(Client().get("/api/me", **staff), 429)["code"] == "throttled"
    # The same user by session shares the count; another user does not.
    assert client_status("staff", world) == 429
    assert client_status("director", world) == 200
    cache.delete_many(keys)


def client_status(role, world) -> int:
    c = Client()
    c.force_login(world.users[role], backend="django.contrib.auth.backends.ModelBackend")
    return c.get("/api/me").status_code


# --- schema and docs ------------------------------------------------------------------------------
def test_openapi_schema_lists_every_endpoint_with_its_errors(world, client):
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]
    assert set(paths) >= {
        "/api/me", "/api/congresses", "/api/places", "/api/offices", "/api/committee-members", "/api/units",
        "/api/units/{unit_id}", "/api/deputies", "/api/deputies/{deputy_id}", "/api/deputies/{deputy_id}/status",
        "/api/stations", "/api/stations/{station_id}", "/api/public/towns",
        "/api/public/towns/{town_id}/communities", "/api/public/communities/{community_id}/representatives"}
    for path, ops in paths.items():
        for method, op in ops.items():
            codes = set(op["responses"])
            assert {"200", "422", "429"} <= codes, (method, path)
            if not path.startswith("/api/public/"):
                assert {"400", "401"} <= codes and op["security"], (method, path)
            else:
                assert "security" not in op, path
    assert set(paths["/api/deputies/{deputy_id}/status"]["post"]["responses"]) == {
        "200", "400", "401", "403", "404", "409", "422", "429"}


def test_docs_page_is_off_without_local_assets(world, client, settings):
    # Without "ninja" in INSTALLED_APPS ninja would fall back to a CDN copy, so the page is off.
    settings.INSTALLED_APPS = [a for a in settings.INSTALLED_APPS if a != "ninja"]
    assert client.get("/api/docs").status_code == 404


def test_docs_page_uses_local_assets_only(world, client, settings):
    from django.contrib.staticfiles import finders

    assert "ninja" in settings.INSTALLED_APPS
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "/static/ninja/swagger-ui.css" in html
    assert "cdn" not in html.lower() and "https://" not in html and "http://" not in html
    assert finders.find("ninja/swagger-ui-bundle.js")


def test_default_rates_when_not_configured(settings):
    from renda.api.throttles import rate_for

    del settings.RENDA_API_THROTTLE_RATES
    assert (rate_for("anon"), rate_for("auth")) == ("120/min", "1200/min")
