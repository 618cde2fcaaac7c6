"""Named benchmark cases. Each builds a target (one request or call per invocation) and a check
that the target really returns the data it should; a case whose code is missing or broken is skipped
with the reason, so the benchmark runs while the pages are still being written.

To add a case, append `Case(name, title, who, baseline, build)` to CASES, where `build(env)`
returns a Target or raises Skip.
"""

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import connection
from django.urls import Resolver404, resolve

from bench.urls import PING_URL


class Skip(Exception):
    """The case cannot run here (not built yet, or it returned the wrong thing)."""


@dataclass
class Env:
    anon: object  # django.test.Client, no session
    staff: object  # signed in as the first city's 代表工委 staff
    admin: object  # signed in as a superuser (sees all congresses)
    staff_congress_id: int
    samples: list[tuple[int, int]]  # (town id, community id) pairs the 找代表 cases rotate through


@dataclass
class Target:
    call: Callable[[int], object]
    # None when the result is right, else why not. Run on the warm-up calls, not the timed ones.
    check: Callable[[int, object], str | None]


@dataclass(frozen=True)
class Case:
    name: str
    title: str
    who: str
    baseline: str | None  # name of the case this one is divided by; None for the baselines
    build: Callable[[Env], Target]
    throughput: bool = False  # also print requests per second against the baseline's


# --- expected data, read with plain ORM queries (independent of the code under test) -------------


def _names_in_community(community_id: int) -> set[str]:
    from renda.deputies.models import Deputy

    return set(
        Deputy.objects.filter(district__places__id=community_id, status="active").values_list(
            "person__name", flat=True
        )
    )


def _body(response) -> str:
    text = response.content.decode()
    if response.get("Content-Type", "").startswith("application/json"):
        # Whatever the renderer's escaping, compare decoded text.
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return text


_addresses = itertools.count(1)


def _fresh_address() -> str:
    # Each anonymous request comes from its own address, as citizens do: per-address rate limits are
    # exercised (their cache reads and writes are part of the cost) without ever refusing a request.
    n = next(_addresses)
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def http(
    client,
    url: Callable[[int], str],
    expect: Callable[[int], set[str]] | None = None,
    *,
    anonymous: bool = False,
) -> Target:
    path = urlsplit(url(0)).path
    try:
        resolve(path)
    except Resolver404:
        raise Skip(f"not built yet: no URL {path}") from None

    def call(i: int):
        extra = {"REMOTE_ADDR": _fresh_address()} if anonymous else {}
        return client.get(url(i), secure=True, **extra)

    def check(i: int, response) -> str | None:
        if response.status_code != 200:
            return f"HTTP {response.status_code} for {url(i)}"
        wanted = expect(i) if expect else set()
        if wanted and not any(w in _body(response) for w in wanted):
            return f"{url(i)} does not show the expected data (none of {sorted(wanted)[:3]}…)"
        return None

    return Target(call=call, check=check)


# --- baselines ---------------------------------------------------------------------------------


def _ping_anon(env: Env) -> Target:
    return http(env.anon, lambda i: PING_URL, anonymous=True)


def _ping_staff(env: Env) -> Target:
    return http(env.staff, lambda i: PING_URL)


def _orm_row(env: Env) -> Target:
    from renda.deputies.models import Person

    ids = list(Person.objects.order_by("id").values_list("id", flat=True)[:500])
    return Target(
        call=lambda i: Person.objects.filter(pk=ids[i % len(ids)]).first(),
        check=lambda i, r: None if r is not None else "no person",
    )


def _sql_select_1(env: Env) -> Target:
    def call(i: int):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()

    return Target(call=call, check=lambda i, r: None if r == (1,) else f"got {r!r}")


# --- 找代表 --------------------------------------------------------------------------------


def _sample(env: Env, i: int) -> tuple[int, int]:
    return env.samples[i % len(env.samples)]


def _find_selectors(env: Env) -> Target:
    try:
        from renda.deputies.selectors import (
            deputies_public_for_community,
            stations_public_for_community,
        )
    except ImportError as e:
        raise Skip(f"not built yet: {e}") from None

    def call(i: int):
        _, community = _sample(env, i)
        return (
            list(deputies_public_for_community(community_id=community)),
            list(stations_public_for_community(community_id=community)),
        )

    def check(i: int, result) -> str | None:
        deputies, stations = result
        wanted = _names_in_community(_sample(env, i)[1])
        got = {d.person.name for d in deputies}
        if got != wanted:
            return (
                f"deputies differ from the districts' active deputies ({len(got)} vs {len(wanted)})"
            )
        return None if stations else "no stations"

    return Target(call=call, check=check)


def _find_api(env: Env) -> Target:
    return http(
        env.anon,
        lambda i: f"/api/public/communities/{_sample(env, i)[1]}/representatives",
        lambda i: _names_in_community(_sample(env, i)[1]),
        anonymous=True,
    )


def _find_step1(env: Env) -> Target:
    from renda.org.models import Place

    towns = set(
        Place.objects.filter(kind__in=["town", "street"]).values_list("name", flat=True)[:50]
    )
    return http(env.anon, lambda i: "/find/", lambda i: towns, anonymous=True)


def _find_step2(env: Env) -> Target:
    from renda.org.models import Place

    def expect(i: int) -> set[str]:
        return set(
            Place.objects.filter(parent_id=_sample(env, i)[0]).values_list("name", flat=True)
        )

    return http(env.anon, lambda i: f"/find/?town={_sample(env, i)[0]}", expect, anonymous=True)


def _find_step3(env: Env) -> Target:
    def url(i: int) -> str:
        town, community = _sample(env, i)
        return f"/find/?town={town}&community={community}"

    return http(env.anon, url, lambda i: _names_in_community(_sample(env, i)[1]), anonymous=True)


def _public_deputy(env: Env) -> Target:
    from renda.deputies.models import Deputy

    rows = list(
        Deputy.objects.filter(status="active", district__places__id__in=[c for _, c in env.samples])
        .order_by("id")
        .values_list("id", "person__name")
        .distinct()[:200]
    )
    return http(
        env.anon,
        lambda i: f"/deputy/{rows[i % len(rows)][0]}/",
        lambda i: {rows[i % len(rows)][1]},
        anonymous=True,
    )


def _public_station(env: Env) -> Target:
    from renda.deputies.models import LiaisonStation

    rows = list(LiaisonStation.objects.order_by("id").values_list("id", "name")[:200])
    return http(
        env.anon,
        lambda i: f"/station/{rows[i % len(rows)][0]}/",
        lambda i: {rows[i % len(rows)][1]},
        anonymous=True,
    )


# --- the staff deputy list ------------------------------------------------------------------------


def _page_size() -> int:
    try:
        from renda.deputies.views import PAGE_SIZE
    except ImportError:
        return 50
    return PAGE_SIZE


def _roster_names(**filters) -> set[str]:
    from renda.deputies.models import Deputy

    return set(Deputy.objects.filter(**filters).values_list("person__name", flat=True))


def _last_page(congress_id: int | None) -> int:
    from renda.deputies.models import Deputy

    qs = (
        Deputy.objects.all()
        if congress_id is None
        else Deputy.objects.filter(congress_id=congress_id)
    )
    return max(1, -(-qs.count() // _page_size()))


def _list_first(env: Env) -> Target:
    names = _roster_names(congress_id=env.staff_congress_id)
    return http(env.staff, lambda i: "/deputies/", lambda i: names)


def _list_last(env: Env) -> Target:
    names = _roster_names(congress_id=env.staff_congress_id)
    last = _last_page(env.staff_congress_id)
    return http(env.staff, lambda i: f"/deputies/?page={last}", lambda i: names)


def _list_filtered(env: Env) -> Target:
    from django.db.models import Q

    from renda.deputies.models import Deputy

    names = set(
        Deputy.objects.filter(
            Q(person__name__contains="张") | Q(person__occupation__contains="张"),
            congress_id=env.staff_congress_id,
            status="active",
        ).values_list("person__name", flat=True)
    )
    return http(env.staff, lambda i: "/deputies/?q=%E5%BC%A0&status=active", lambda i: names)


def _list_admin_last(env: Env) -> Target:
    names = _roster_names()
    last = _last_page(None)
    return http(env.admin, lambda i: f"/deputies/?page={last}", lambda i: names)


CASES: list[Case] = [
    Case("base.sql", "SELECT 1 (one database round trip)", "-", None, _sql_select_1),
    Case("base.orm", "one row by primary key through the ORM", "-", None, _orm_row),
    Case("base.anon", f"trivial view {PING_URL}, full middleware", "anonymous", None, _ping_anon),
    Case("base.staff", f"trivial view {PING_URL}, full middleware", "staff", None, _ping_staff),
    Case(
        "find.selectors",
        "deputies_public_for_community + stations_public_for_community",
        "-",
        "base.orm",
        _find_selectors,
    ),
    Case(
        "find.api",
        "GET /api/public/communities/{id}/representatives",
        "anonymous",
        "base.anon",
        _find_api,
    ),
    Case("find.step1", "GET /find/ (pick a town)", "anonymous", "base.anon", _find_step1),
    Case(
        "find.step2", "GET /find/?town=… (pick a community)", "anonymous", "base.anon", _find_step2
    ),
    Case(
        "find.step3",
        "GET /find/?town=…&community=… (deputies and stations)",
        "anonymous",
        "base.anon",
        _find_step3,
    ),
    Case(
        "find.deputy",
        "GET /deputy/{id}/ (public profile)",
        "anonymous",
        "base.anon",
        _public_deputy,
    ),
    Case(
        "find.station",
        "GET /station/{id}/ (station, deputies on duty)",
        "anonymous",
        "base.anon",
        _public_station,
    ),
    Case("list.first", "GET /deputies/ (first page)", "staff", "base.staff", _list_first),
    Case("list.last", "GET /deputies/?page=<last>", "staff", "base.staff", _list_last),
    Case(
        "list.filtered", "GET /deputies/?q=张&status=active", "staff", "base.staff", _list_filtered
    ),
    Case(
        "list.all.last",
        "GET /deputies/?page=<last> over every congress",
        "superuser",
        "base.staff",
        _list_admin_last,
    ),
]

# Issue 3, the citizens' channel (imported last: that module reads the names above).
from bench.cases_opinions import CASES as _OPINION_CASES  # noqa: E402

CASES += _OPINION_CASES

# Issue 4, deputies' suggestions.
from bench.cases_suggestions import CASES as _SUGGESTION_CASES  # noqa: E402

CASES += _SUGGESTION_CASES
