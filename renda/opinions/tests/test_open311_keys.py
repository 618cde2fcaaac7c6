"""Open311 API keys: the staff pages (list, create shown once, revoke) and the demo-key command."""

import io
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command

from renda.opinions import services
from renda.opinions.matrix_world import ow
from renda.opinions.models import ApiKey

KEY_RE = re.compile(r"o311_[A-Za-z0-9_\-]{20,}")


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


def submit(client, raw: str):
    return client.post("/open311/v2/requests.json", {"api_key": raw, "service_code": "urban",
                                                     "address_string": "沙溪镇", "description": "测试密钥"})


def test_staff_create_shows_the_key_once_and_it_works(world, client_for, client):
    staff = client_for("staff")
    r = staff.post("/opinions/keys/new/", {"name": "12345 热线"})
    assert r.status_code == 200 and "no-store" in r["Cache-Control"]
    (raw,) = set(KEY_RE.findall(r.content.decode()))
    key = ApiKey.objects.get(name="12345 热线")
    assert key.congress_id == world.city.pk and key.created_by == world.users["staff"]
    assert key.key_hash == services.api_key_hash(raw) and raw not in key.prefix + key.key_hash
    page = staff.get("/opinions/keys/").content.decode()
    assert "12345 热线" in page and key.prefix in page and raw not in page
    assert submit(client, raw).status_code == 201
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_empty_name_is_a_form_error(world, client_for):
    r = client_for("staff").post("/opinions/keys/new/", {"name": "   "})
    assert r.status_code == 200 and "is-invalid" in r.content.decode()
    assert not KEY_RE.search(r.content.decode()) and not ApiKey.objects.exists()


def test_key_name_is_escaped(world, client_for):
    staff = client_for("staff")
    staff.post("/opinions/keys/new/", {"name": "<script>alert(1)</script>"})
    page = staff.get("/opinions/keys/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_revoke_stops_the_key(world, client_for, client):
    o = ow(world)
    assert submit(client, o.raw_key).status_code == 201
    r = client_for("staff").post(f"/opinions/keys/{o.key.pk}/revoke/")
    assert r.status_code == 302 and r["Location"] == "/opinions/keys/"
    o.key.refresh_from_db()
    assert o.key.revoked_at is not None
    assert submit(client, o.raw_key).status_code == 403
    assert "已吊销" in client_for("staff").get("/opinions/keys/").content.decode()


def test_keys_of_another_congress_are_invisible(world, client_for, client):
    o = ow(world)
    town = client_for("town_staff")
    assert o.key.prefix not in town.get("/opinions/keys/").content.decode()
    assert town.post(f"/opinions/keys/{o.key.pk}/revoke/").status_code == 404
    o.key.refresh_from_db()
    assert o.key.revoked_at is None
    r = town.post("/opinions/keys/new/", {"name": "沙溪镇网格平台"})
    assert ApiKey.objects.get(name="沙溪镇网格平台").congress_id == world.town.pk
    assert r.status_code == 200
    assert client_for("deputy").get("/opinions/keys/").status_code == 403
    assert client_for("director").post("/opinions/keys/new/", {"name": "x"}).status_code == 403
    assert not ApiKey.objects.filter(name="x").exists()


def test_demo_key_command_creates_and_rotates(world, client):
    out, err = io.StringIO(), io.StringIO()
    call_command("open311_demo_key", stdout=out, stderr=err)
    first = out.getvalue().strip()
    assert KEY_RE.fullmatch(first) and "太仓市人大" in err.getvalue()
    key = ApiKey.objects.get(key_hash=services.api_key_hash(first))
    assert key.congress_id == world.city.pk and key.revoked_at is None
    assert submit(client, first).status_code == 201
    out = io.StringIO()
    call_command("open311_demo_key", stdout=out, stderr=io.StringIO())
    second = out.getvalue().strip()
    assert second != first
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert submit(client, first).status_code == 403 and submit(client, second).status_code == 201
