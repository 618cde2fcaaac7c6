import pytest
from django.core.management import call_command

from renda.accounts.models import RoleAssignment
from renda.testing import PASSWORD


def test_login_with_password_and_wrong_password(world, client):
    bad = client.post("/accounts/login/", {"username": "staff", "password": "wrong"})
    assert bad.status_code == 200
    assert "用户名或密码不正确" in bad.content.decode()
    ok = client.post("/accounts/login/", {"username": "staff", "password": PASSWORD})
    assert ok.status_code == 302 and ok.url == "/accounts/"


def test_login_is_throttled_after_repeated_failures(world, client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post("/accounts/login/", {"username": "staff", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "staff", "password": PASSWORD})
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    call_command("axes_reset", verbosity=0)


def test_one_person_two_roles_can_switch(world, client):
    user = world.users["town_staff"]
    seat = RoleAssignment.objects.create(user=user, role="deputy", congress=world.town, deputy=world.town_deputy)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert "镇（街道）人大工作人员" in client.get("/accounts/").content.decode()
    r = client.post("/accounts/switch-role/", {"assignment": seat.pk})
    assert r.status_code == 302
    page = client.get("/accounts/").content.decode()
    assert "当前身份：人大代表" in page


def test_cannot_switch_to_someone_elses_role(world, client):
    client.force_login(world.users["deputy"], backend="django.contrib.auth.backends.ModelBackend")
    staff_assignment = world.users["staff"].assignments.get()
    assert client.post("/accounts/switch-role/", {"assignment": staff_assignment.pk}).status_code == 404
    assert client.post("/accounts/switch-role/", {"assignment": "abc"}).status_code == 404


@pytest.mark.parametrize("username", ["x" * 10_000, "<script>alert(1)</script>", "张三\x00"])
def test_login_bad_input_is_a_form_error(world, client, username):
    r = client.post("/accounts/login/", {"username": username, "password": "x"})
    assert r.status_code == 200
    assert "<script>alert(1)</script>" not in r.content.decode()
