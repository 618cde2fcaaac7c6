"""Token and session authentication, the role header, CSRF, and the token command."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from renda.accounts.models import RoleAssignment
from renda.api.models import ApiToken
from renda.api.services import token_create, token_hash, token_revoke


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_valid_token_authenticates_as_its_user(world, token_for):
    response = Client().get("/api/me", **bearer(token_for("staff")))
    assert response.status_code == 200
    me = response.json()
    assert me["username"] == "staff"
    assert me["active_role"]["role"] == "staff"
    assert [r["role"] for r in me["roles"]] == ["staff"]


def test_token_is_stored_hashed_and_records_last_use(world):
    token, key = token_create(user=world.users["director"], name="数据大屏")
    assert key.startswith("rnd_") and len(key) > 40
    assert token.key_hash == token_hash(key) and key not in (token.key_hash, token.prefix)
    assert key.startswith(token.prefix)
    assert not ApiToken.objects.filter(key_hash=key).exists()
    assert token.last_used_at is None
    Client().get("/api/deputies", **bearer(key))
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("header", ["Bearer rnd_wrong", "Bearer ", "Bearer " + "x" * 500, "bearer rnd_nope"])
def test_wrong_token_is_401(world, header):
    response = Client().get("/api/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_wrong_token_is_401_even_with_a_session(world, client_for):
    response = client_for("staff").get("/api/me", **bearer("rnd_wrong"))
    assert response.status_code == 401


def test_revoked_token_is_401(world):
    token, key = token_create(user=world.users["staff"], name="x")
    assert Client().get("/api/me", **bearer(key)).status_code == 200
    token_revoke(token_id=token.pk, actor=world.users["staff"])
    response = Client().get("/api/me", **bearer(key))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_token_of_an_inactive_user_is_401(world, token_for):
    key = token_for("staff")
    world.users["staff"].is_active = False
    world.users["staff"].save()
    assert Client().get("/api/me", **bearer(key)).status_code == 401


def test_only_the_owner_or_a_superuser_revokes(world):
    token, _ = token_create(user=world.users["staff"], name="x")
    with pytest.raises(ApiToken.DoesNotExist):
        token_revoke(token_id=token.pk, actor=world.users["director"])
    token.refresh_from_db()
    assert token.revoked_at is None
    assert token_revoke(token_id=token.pk, actor=world.users["admin"]).revoked_at is not None


def test_token_scope_is_the_users_scope(world, token_for):
    c = Client()
    assert c.get(f"/api/deputies/{world.deputy.pk}", **bearer(token_for("town_staff"))).status_code == 404
    assert c.get(f"/api/deputies/{world.town_deputy.pk}", **bearer(token_for("town_staff"))).status_code == 200
    assert c.get("/api/deputies", **bearer(token_for("unit"))).status_code == 403


def test_token_post_needs_no_csrf(world, token_for):
    c = Client(enforce_csrf_checks=True)
    response = c.post(f"/api/deputies/{world.deputy.pk}/status",
                      {"action": "suspend", "note": "依法暂停", "expected_version": 0},
                      content_type="application/json", **bearer(token_for("staff")))
    assert response.status_code == 200
    assert response.json()["status"] == "suspended"


# --- session and CSRF ---------------------------------------------------------------------------
def test_session_post_without_csrf_is_403(world):
    c = Client(enforce_csrf_checks=True)
    c.force_login(world.users["staff"], backend="django.contrib.auth.backends.ModelBackend")
    body = {"action": "suspend", "note": "依法暂停", "expected_version": 0}
    url = f"/api/deputies/{world.deputy.pk}/status"
    response = c.post(url, body, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"
    world.deputy.refresh_from_db()
    assert world.deputy.status == "active"

    secret = "a" * 32
    c.cookies["csrftoken"] = secret
    response = c.post(url, body, content_type="application/json", HTTP_X_CSRFTOKEN=secret)
    assert response.status_code == 200


def test_session_get_needs_no_csrf(world):
    c = Client(enforce_csrf_checks=True)
    c.force_login(world.users["staff"], backend="django.contrib.auth.backends.ModelBackend")
    assert c.get("/api/me").status_code == 200


def test_anonymous_post_is_401_not_a_csrf_failure(world):
    response = Client(enforce_csrf_checks=True).post(f"/api/deputies/{world.deputy.pk}/status", {},
                                                     content_type="application/json")
    assert response.status_code == 401


# --- the role header ------------------------------------------------------------------------------
@pytest.fixture
def two_roles(world):
    """town_staff also holds a town deputy seat: the first assignment is town_staff."""
    user = world.users["town_staff"]
    seat = RoleAssignment.objects.create(user=user, role="deputy", congress=world.town, deputy=world.town_deputy)
    return user, user.assignments.get(role="town_staff"), seat


def test_token_acts_as_the_first_role_by_default(world, two_roles):
    user, first, _ = two_roles
    key = token_create(user=user, name="x")[1]
    assert Client().get("/api/me", **bearer(key)).json()["active_role"]["id"] == first.pk


def test_role_header_picks_another_of_the_users_roles(world, two_roles):
    user, first, seat = two_roles
    key = token_create(user=user, name="x")[1]
    c = Client()
    me = c.get("/api/me", HTTP_X_RENDA_ROLE=str(seat.pk), **bearer(key)).json()
    assert me["active_role"]["id"] == seat.pk and me["active_role"]["role"] == "deputy"
    url = f"/api/deputies/{world.town_deputy.pk}/status"
    body = {"action": "suspend", "note": "依法暂停", "expected_version": 0}
    # As a deputy: may see the roster, may not change a status.
    as_deputy = c.post(url, body, content_type="application/json", HTTP_X_RENDA_ROLE=str(seat.pk), **bearer(key))
    assert as_deputy.status_code == 403
    as_staff = c.post(url, body, content_type="application/json", HTTP_X_RENDA_ROLE=str(first.pk), **bearer(key))
    assert as_staff.status_code == 200


def test_role_header_works_with_a_session(world, two_roles, client_for):
    _, _, seat = two_roles
    me = client_for("town_staff").get("/api/me", HTTP_X_RENDA_ROLE=str(seat.pk)).json()
    assert me["active_role"]["role"] == "deputy"


@pytest.mark.parametrize("value", ["abc", "", "1.5", "99999999999999999999999"])
def test_malformed_role_header_is_400(world, token_for, value):
    response = Client().get("/api/me", HTTP_X_RENDA_ROLE=value, **bearer(token_for("staff")))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_role"


def test_someone_elses_assignment_is_400(world, token_for):
    others = RoleAssignment.objects.get(user=world.users["director"])
    response = Client().get("/api/me", HTTP_X_RENDA_ROLE=str(others.pk), **bearer(token_for("staff")))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_role"


# --- the command ------------------------------------------------------------------------------------
def test_api_token_create_command_prints_a_working_token(world):
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token_create", "director", "数据大屏", stdout=out, stderr=err)
    key = out.getvalue().strip()
    assert "只显示这一次" in err.getvalue()
    token = ApiToken.objects.get(key_hash=token_hash(key))
    assert (token.user, token.name) == (world.users["director"], "数据大屏")
    assert Client().get("/api/me", **bearer(key)).json()["username"] == "director"


def test_api_token_create_command_unknown_user(world):
    with pytest.raises(CommandError):
        call_command("api_token_create", "nobody", "x", stdout=io.StringIO(), stderr=io.StringIO())
