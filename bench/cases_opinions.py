"""Benchmark cases of issue 3, the citizens' channel (民意高速通道); registered in bench/cases.py.

* Public submission: a POST of the public form (/deputy/<id>/write/) as a citizen does it, against
  a bare view on the same stack that inserts one row (`base.insert`); the throughput ratio
  submission / bare is the figure (target ≥ 50%).
* Tracking: a citizen's lookup (POST /track/ with code and phone digits) and the tracking page it
  redirects to, in one call.
* The office's list at 1M opinions: filtered by status and town, and a 2-character search (电梯).
* The statistics page.

Every case checks its answer on the warm-up calls (the submission really created the opinion, the
list really shows matching items…) with plain ORM reads, independent of the code under test.
"""

import itertools
import uuid
from types import SimpleNamespace

from django.urls import Resolver404, resolve

from bench.cases import Case, Env, Skip, Target, _fresh_address, http
from bench.urls import INSERT_URL


def _resolves(path: str) -> None:
    try:
        resolve(path)
    except Resolver404:
        raise Skip(f"not built yet: no URL {path}") from None


def _ok(response, expected: int = 302):
    """A redirect after POST is the success answer; report it as 200 to the runner's error count."""
    return SimpleNamespace(status_code=200 if response.status_code == expected else response.status_code,
                           response=response)


# --- baselines ------------------------------------------------------------------------------------
def _bare_insert(env: Env) -> Target:
    from renda.core.models import Event

    _resolves(INSERT_URL)
    before = Event.objects.filter(action="bench_insert").count()

    def call(i: int):
        return env.anon.post(INSERT_URL, {"n": str(i)}, secure=True, REMOTE_ADDR=_fresh_address())

    def check(i: int, response) -> str | None:
        if response.status_code != 200:
            return f"HTTP {response.status_code} from {INSERT_URL}"
        if Event.objects.filter(action="bench_insert").count() <= before:
            return "the bare view inserted nothing"
        return None

    return Target(call=call, check=check)


# --- public submission ----------------------------------------------------------------------------
def _submit(env: Env) -> Target:
    from renda.deputies.models import Deputy
    from renda.opinions.models import Category, Opinion

    try:
        from renda.opinions.antibot import antibot_token
    except ImportError as e:
        raise Skip(f"not built yet: {e}") from None
    deputies = list(Deputy.objects.filter(status="active").order_by("id").values_list("id", flat=True)[:200])
    categories = list(Category.objects.filter(is_active=True).values_list("id", flat=True))
    if not deputies or not categories:
        raise Skip("no deputies or categories")
    _resolves(f"/deputy/{deputies[0]}/write/")
    keys: dict[int, str] = {}
    phones = itertools.count(13800000000)

    def call(i: int):
        key = keys[i] = str(uuid.uuid4())
        data = {
            "category": categories[i % len(categories)], "community": "",
            "title": "小区电梯经常故障",
            "text": f"基准测试提交第 {i} 条：楼里的电梯经常坏，老人上下楼很不方便，希望尽快维修。",
            "citizen_name": "王女士", "citizen_phone": str(next(phones)), "idempotency_key": key,
            "form_token": antibot_token(), "website": "",
        }
        return _ok(env.anon.post(f"/deputy/{deputies[i % len(deputies)]}/write/", data, secure=True,
                                 REMOTE_ADDR=_fresh_address()))

    def check(i: int, result) -> str | None:
        if result.status_code != 200:
            body = result.response.content.decode(errors="replace")
            hint = "form errors" if "invalid-feedback" in body or "alert" in body else ""
            return f"HTTP {result.status_code} from the submission form {hint}".strip()
        if not Opinion.objects.filter(idempotency_key=keys[i]).exists():
            return "the submission did not create the opinion"
        return None

    return Target(call=call, check=check)


# --- tracking -------------------------------------------------------------------------------------
def _track(env: Env) -> Target:
    from django.test import Client

    from renda.opinions.models import Opinion

    _resolves("/track/")
    rows = list(Opinion.objects.exclude(citizen_phone="").filter(status__in=["replied", "closed", "forwarded"])
                .order_by("-id").values_list("tracking_code", "citizen_phone", "title")[:200])
    if not rows:
        raise Skip("no opinions with a phone: generate with the opinions step")
    client = Client()

    def call(i: int):
        code, phone, _title = rows[i % len(rows)]
        extra = {"REMOTE_ADDR": _fresh_address()}
        r = client.post("/track/", {"code": code, "digits": phone[-4:]}, secure=True, **extra)
        if r.status_code != 302:
            return SimpleNamespace(status_code=r.status_code, response=r)
        return client.get(r["Location"], secure=True, **extra)

    def check(i: int, response) -> str | None:
        code, _phone, title = rows[i % len(rows)]
        if response.status_code != 200:
            return f"HTTP {response.status_code} tracking {code}"
        body = response.content.decode()
        if code not in body and title not in body:
            return f"the tracking page of {code} shows neither its code nor its title"
        return None

    return Target(call=call, check=check)


# --- the office's list, search, statistics --------------------------------------------------------
def _staff_scope(env: Env):
    from renda.opinions.models import Opinion
    from renda.org.models import Place

    towns = list(Place.objects.filter(congress_id=env.staff_congress_id, kind__in=["town", "street"])
                 .values_list("id", flat=True))
    if not towns:
        towns = list(Place.objects.filter(congress__parent_id=env.staff_congress_id, kind__in=["town", "street"])
                     .values_list("id", flat=True))
    if not Opinion.objects.exists():
        raise Skip("no opinions: generate with the opinions step")
    return towns


def _list_filtered(env: Env) -> Target:
    from renda.opinions.models import Opinion

    towns = _staff_scope(env)
    combos = [(s, t) for t in towns for s in ("forwarded", "closed", "replied")]

    def url(i: int) -> str:
        status, town = combos[i % len(combos)]
        return f"/opinions/all/?status={status}&town={town}"

    def expect(i: int) -> set[str]:
        status, town = combos[i % len(combos)]
        return set(Opinion.objects.filter(congress_id=env.staff_congress_id, status=status, town_id=town)
                   .order_by("-submitted_at", "-id")
                   .values_list("tracking_code", flat=True)[:5])

    return http(env.staff, url, expect)


def _list_first(env: Env) -> Target:
    _staff_scope(env)
    return http(env.staff, lambda i: "/opinions/all/")


def _search(env: Env) -> Target:
    from renda.opinions.models import Opinion

    _staff_scope(env)
    titles = set(Opinion.objects.filter(congress_id=env.staff_congress_id, title__contains="电梯")
                 .values_list("title", flat=True)[:50])
    return http(env.staff, lambda i: "/opinions/all/?q=%E7%94%B5%E6%A2%AF", lambda i: titles)


def _stats(env: Env) -> Target:
    _staff_scope(env)
    return http(env.staff, lambda i: "/opinions/stats/")


CASES: list[Case] = [
    Case("base.insert", f"POST {INSERT_URL}: a bare view inserting one row", "anonymous", None, _bare_insert),
    Case("voice.submit", "POST /deputy/{id}/write/ (public submission → receipt redirect)", "anonymous",
         "base.insert", _submit, throughput=True),
    Case("voice.track", "POST /track/ (code + phone digits) then GET /track/{code}/", "anonymous", "base.anon",
         _track),
    Case("opinions.list", "GET /opinions/all/ (first page)", "staff", "base.staff", _list_first),
    Case("opinions.filtered", "GET /opinions/all/?status=…&town=…", "staff", "base.staff", _list_filtered),
    Case("opinions.search", "GET /opinions/all/?q=电梯 (2-character search)", "staff", "base.staff", _search),
    Case("opinions.stats", "GET /opinions/stats/ (statistics page)", "staff", "base.staff", _stats),
]
