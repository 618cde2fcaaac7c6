"""Calendar pages: who may read and edit, and bad input gives form errors, never a 500."""

import datetime

import pytest
from django.urls import reverse

from renda.core.workdays import services
from renda.core.workdays.models import CalendarYear, DeadlinePolicy, Holiday
from renda.core.workdays.selectors import MSG_NEXT_YEAR_MISSING, calendar_missing_year_warning

D = datetime.date.fromisoformat


def _login(client, user):
    client.force_login(user)
    return client


# --- the missing-year warning -----------------------------------------------------------------------
@pytest.mark.parametrize(("today", "expected"), [
    ("2026-10-31", None),
    ("2026-11-01", "尚未录入2027年国务院节假日安排"),
    ("2026-12-31", "尚未录入2027年国务院节假日安排"),
    ("2027-01-05", "本年度（2027年）的节假日安排尚未录入"),
    ("2025-11-15", None),  # 2026 is entered
])
def test_missing_year_warning(seeded, today, expected):
    got = calendar_missing_year_warning(D(today))
    assert (got is None) if expected is None else (expected in got)


def test_warning_disappears_once_next_year_is_entered(seeded):
    CalendarYear.objects.create(year=2027, entered=True)
    assert calendar_missing_year_warning(D("2026-11-15")) is None


def test_message_constant_is_used():
    assert "%(year)s" in MSG_NEXT_YEAR_MISSING


# --- reading ------------------------------------------------------------------------------------------------
def test_anonymous_is_sent_to_login(client, seeded):
    for name in ("workdays:calendar", "workdays:policies", "workdays:calculator", "workdays:holiday_add"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["staff", "director", "unit_user", "discipline", "nobody"])
def test_everyone_signed_in_reads_the_calendar(client, wd_world, who):
    c = _login(client, getattr(wd_world, who))
    response = c.get(reverse("workdays:calendar"), {"year": 2026})
    assert response.status_code == 200
    html = response.content.decode()
    assert "国庆节" in html and "调休上班" in html
    assert ("添加节假日或调休上班日" in html) is (who == "staff")
    for name in ("workdays:policies", "workdays:calculator"):
        assert c.get(reverse(name)).status_code == 200


def test_calendar_page_shows_the_missing_year_warning(client, wd_world, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: D("2026-11-28"))
    html = _login(client, wd_world.unit_user).get(reverse("workdays:calendar")).content.decode()
    assert "尚未录入2027年国务院节假日安排" in html


@pytest.mark.parametrize("year", ["abc", "1999", "2101", "99999999999999999999", "<script>"])
def test_bad_year_is_a_form_error(client, wd_world, year):
    response = _login(client, wd_world.staff).get(reverse("workdays:calendar"), {"year": year})
    assert response.status_code == 200
    assert response.context["year_form"].errors
    assert "<script>" not in response.content.decode()


def test_provisional_year_is_shown(client, wd_world):
    html = _login(client, wd_world.staff).get(reverse("workdays:calendar"), {"year": 2027}).content.decode()
    assert "未录入：本年期限暂按双休日计算" in html


# --- editing is for staff and superusers ---------------------------------------------------------------------
@pytest.mark.parametrize("who", ["director", "unit_user", "discipline", "nobody", "town_staff_plain"])
def test_non_staff_cannot_edit(client, wd_world, who):
    if who == "town_staff_plain":
        from renda.accounts.models import RoleAssignment, User

        user = User.objects.create_user(username="ts", password="pw-12345678")
        RoleAssignment.objects.create(user=user, role="town_staff", congress=wd_world.other_congress)
    else:
        user = getattr(wd_world, who)
    c = _login(client, user)
    h = Holiday.objects.get(date=D("2026-10-01"))
    policy = DeadlinePolicy.objects.get(code="opinion_reply")
    for url in (reverse("workdays:holiday_add"), reverse("workdays:holiday_edit", args=[h.pk]),
                reverse("workdays:holiday_delete", args=[h.pk]), reverse("workdays:policy_edit", args=[policy.pk])):
        assert c.get(url).status_code == 403
        assert c.post(url, {"date": "2026-11-10", "kind": "holiday", "name": "x", "label": "x",
                            "unit": "working_days", "amount": 1}).status_code == 403
    assert c.post(reverse("workdays:year_entered", args=[2027]), {"entered": "1"}).status_code == 403
    assert not Holiday.objects.filter(date=D("2026-11-10")).exists()
    assert Holiday.objects.filter(pk=h.pk).exists()
    assert not CalendarYear.objects.filter(year=2027, entered=True).exists()
    policy.refresh_from_db()
    assert policy.amount == 15


def test_staff_adds_edits_and_deletes_a_holiday(client, wd_world):
    c = _login(client, wd_world.staff)
    d = services.deadline_create(obj=wd_world.unit, policy_code="opinion_reply", start=D("2026-11-02"),
                                 congress=wd_world.congress)
    response = c.post(reverse("workdays:holiday_add"), {"date": "2026-11-10", "kind": "holiday", "name": "测试"})
    assert response.status_code == 302 and response["Location"].endswith("?year=2026")
    h = Holiday.objects.get(date=D("2026-11-10"))
    assert (h.kind, h.name, h.source) == ("holiday", "测试", "manual")
    d.refresh_from_db()
    assert d.due == D("2026-11-24")

    # Editing keeps the date even if the form is tampered with.
    response = c.post(reverse("workdays:holiday_edit", args=[h.pk]),
                      {"date": "2026-12-25", "kind": "holiday", "name": "改名"})
    assert response.status_code == 302
    h.refresh_from_db()
    assert (h.date, h.name) == (D("2026-11-10"), "改名")
    assert not Holiday.objects.filter(date=D("2026-12-25")).exists()

    assert c.get(reverse("workdays:holiday_delete", args=[h.pk])).status_code == 200
    assert c.post(reverse("workdays:holiday_delete", args=[h.pk])).status_code == 302
    assert not Holiday.objects.filter(pk=h.pk).exists()
    d.refresh_from_db()
    assert d.due == D("2026-11-23")


@pytest.mark.parametrize("data", [
    {"date": "1999-12-31", "kind": "holiday"},
    {"date": "2101-01-01", "kind": "holiday"},
    {"date": "not a date", "kind": "holiday"},
    {"date": "2026-13-45", "kind": "holiday"},
    {"date": "", "kind": "holiday"},
    {"date": "2026-11-10", "kind": "party"},
    {"date": "2026-11-10", "kind": "holiday", "name": "长" * 61},
    {},
])
def test_bad_holiday_input_gives_form_errors(client, wd_world, data):
    before = Holiday.objects.count()
    response = _login(client, wd_world.staff).post(reverse("workdays:holiday_add"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Holiday.objects.count() == before


def test_holiday_name_is_escaped(client, wd_world):
    c = _login(client, wd_world.staff)
    c.post(reverse("workdays:holiday_add"), {"date": "2026-11-10", "kind": "holiday", "name": "<script>x</script>"})
    html = c.get(reverse("workdays:calendar"), {"year": 2026}).content.decode()
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html


def test_unknown_holiday_is_404(client, wd_world):
    c = _login(client, wd_world.staff)
    assert c.get(reverse("workdays:holiday_edit", args=[999999])).status_code == 404
    assert c.post(reverse("workdays:holiday_delete", args=[999999])).status_code == 404


def test_superuser_marks_a_year_entered(client, wd_world):
    c = _login(client, wd_world.admin)
    response = c.post(reverse("workdays:year_entered", args=[2027]), {"entered": "1"})
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2027).entered
    response = c.post(reverse("workdays:year_entered", args=[1900]), {"entered": "1"})
    assert response.status_code == 302 and not CalendarYear.objects.filter(year=1900).exists()
    assert c.get(reverse("workdays:year_entered", args=[2027])).status_code == 405


def test_policy_edit(client, wd_world):
    c = _login(client, wd_world.staff)
    policy = DeadlinePolicy.objects.get(code="suggestion_reply")
    url = reverse("workdays:policy_edit", args=[policy.pk])
    assert c.get(url).status_code == 200
    response = c.post(url, {"label": "代表建议答复", "unit": "calendar_months", "amount": "-1"})
    assert response.status_code == 200 and response.context["form"].errors
    response = c.post(url, {"label": "代表建议答复", "unit": "fortnights", "amount": "2"})
    assert response.status_code == 200 and response.context["form"].errors
    response = c.post(url, {"label": "代表建议答复", "unit": "calendar_months", "amount": "2",
                            "roll_to_workday": "on"})
    assert response.status_code == 302
    policy.refresh_from_db()
    assert (policy.amount, policy.roll_to_workday) == (2, True)


# --- the calculator ------------------------------------------------------------------------------------------
def test_calculator(client, wd_world):
    c = _login(client, wd_world.unit_user)
    response = c.get(reverse("workdays:calculator"), {"start": "2026-09-28", "policy": "opinion_reply"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026-10-23" in html and "跳过 10-01..10-07（国庆节）" in html
    response = c.get(reverse("workdays:calculator"), {"start": "2026-12-20", "policy": "opinion_reply"})
    assert "暂定" in response.content.decode()


@pytest.mark.parametrize("params", [
    {"start": "2100-12-20", "policy": "suggestion_reply"},  # the result leaves the calendar
    {"start": "1900-01-01", "policy": "opinion_reply"},
    {"start": "garbage", "policy": "opinion_reply"},
    {"start": "2026-09-28", "policy": "no_such"},
    {"start": "2026-09-28"},
])
def test_calculator_bad_input(client, wd_world, params):
    response = _login(client, wd_world.staff).get(reverse("workdays:calculator"), params)
    assert response.status_code == 200
    assert response.context["form"].errors and response.context["result"] is None


def test_deadline_badge_shows_provisional(wd_world):
    from django.template import Context, Template

    d = services.deadline_create(obj=wd_world.unit, policy_code="opinion_reply", start=D("2026-12-20"),
                                 congress=wd_world.congress)
    html = Template("{% load workdays %}{% deadline_badge d %}").render(Context({"d": d}))
    assert "暂定" in html and d.due.isoformat() in html


def test_workspace_warning_tag(wd_world, monkeypatch):
    from django.template import Context, Template

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: D("2026-11-28"))
    tpl = Template("{% load workdays %}{% calendar_warning %}")
    assert "2027" in tpl.render(Context({"user": wd_world.staff}))
    assert tpl.render(Context({"user": wd_world.unit_user})).strip() == ""
