"""Benchmark cases of issue 4, deputies' suggestions (代表建议); registered in bench/cases.py.

Targets (QUALITY.md, 100,000 suggestions next to 1,000,000 opinions):

* Similar suggestions while a deputy types: `selectors.similar_suggestions` with a draft text, and
  the htmx panel /suggestions/similar/?text=… — p99 ≤ 50 ms.
* The office's list filtered by status and category: `selectors.suggestion_page_for_user`, and the
  page /suggestions/office/?status=handling&category=… — p99 ≤ 50 ms.
* The annual report `renda.suggestions.documents.annual_report(congress, year)` — ≤ 5 s. About a
  second each, it is not run 220 times in the full pass: it runs when named, e.g.
  ``bench/run.py --only suggestions.report --requests 10 --warmup 2 --rounds 1``, or in a quick run.
* The statistics page /suggestions/stats/ — ≤ 200 ms.

Each check reads the expected answer with plain ORM queries, independent of the code under test.
A page or function that does not exist yet is skipped with the reason.
"""

import re
import sys
from urllib.parse import quote

from bench.cases import Case, Env, Skip, Target, http

DRAFTS = [
    "建议加快老旧小区加装电梯，简化审批流程，提高财政补贴，协调低层住户意见",
    "优化城乡公交线网，加密镇村公交班次，开通轨道交通站点接驳专线",
    "城区学校学位紧张，建议新建小区配套学校同步建设，增加教师编制",
    "推进社区养老助餐服务全覆盖，完善助餐点运营补贴，开展送餐上门",
    "加强农村河道综合整治，制定轮浚计划，落实河长巡河制度",
]
KEYWORDS = ["电梯", "公交", "学校", "助餐", "河道"]
LINK = re.compile(r"/suggestions/(\d+)/")


def _staff_user(env: Env):
    from bench.steps.foundation import BENCH_STAFF
    from renda.accounts.models import User
    from renda.suggestions.models import Suggestion

    if not Suggestion.objects.filter(congress_id=env.staff_congress_id).exists():
        raise Skip("no suggestions: generate with the suggestions step")
    user = User.objects.get(username=BENCH_STAFF)
    user.active_assignment = user.assignments.filter(is_active=True).order_by("id").first()
    return user


_titles: dict[str, set[str]] = {}


def _titles_with(env: Env, word: str) -> set[str]:
    from django.utils.html import escape

    from renda.suggestions.models import Suggestion

    if word not in _titles:
        _titles[word] = {escape(t) for t in Suggestion.objects.filter(
            congress_id=env.staff_congress_id, title__contains=word).values_list("title", flat=True).distinct()}
    return _titles[word]


# --- similar suggestions while typing --------------------------------------------------------------
def _similar_selector(env: Env) -> Target:
    from renda.suggestions import selectors

    _staff_user(env)

    def call(i: int):
        return selectors.similar_suggestions(congress_id=env.staff_congress_id, text=DRAFTS[i % len(DRAFTS)])

    def check(i: int, result) -> str | None:
        word = KEYWORDS[i % len(KEYWORDS)]
        if not result:
            return f"no similar suggestions for a draft about {word}"
        if word not in result[0].suggestion.title:
            return f"the best similar suggestion for {word} is {result[0].suggestion.title!r}"
        if any(s.suggestion.congress_id != env.staff_congress_id for s in result):
            return "a similar suggestion of another congress"
        return None

    return Target(call=call, check=check)


def _similar_page(env: Env) -> Target:
    _staff_user(env)
    target = http(env.staff, lambda i: f"/suggestions/similar/?text={quote(DRAFTS[i % len(DRAFTS)])}")

    def check(i: int, response) -> str | None:
        problem = target.check(i, response)
        if problem:
            return problem
        # The panel lists titles (no links): one of the congress's titles with the draft's keyword.
        body = response.content.decode()
        word = KEYWORDS[i % len(KEYWORDS)]
        if not any(t in body for t in _titles_with(env, word)):
            return f"the similar panel shows no suggestion about {word}"
        return None

    return Target(call=target.call, check=check)


# --- the office's filtered list ------------------------------------------------------------------------
def _office_combos(env: Env) -> list[tuple[str, int]]:
    from renda.suggestions.models import Category, Suggestion

    _staff_user(env)
    combos = []
    for cat in Category.objects.order_by("sort", "id"):
        for status in ("handling", "closed", "following"):
            if Suggestion.objects.filter(congress_id=env.staff_congress_id, status=status, category=cat).exists():
                combos.append((status, cat.pk))
    if not combos:
        raise Skip("no suggestions to filter")
    return combos


def _expected_ids(env: Env, status: str, category: int) -> list[int]:
    from renda.suggestions.models import Suggestion

    return list(Suggestion.objects.filter(congress_id=env.staff_congress_id, status=status, category_id=category)
                .order_by("-submitted_at", "-id").values_list("id", flat=True)[:50])


def _office_selector(env: Env) -> Target:
    from renda.suggestions import selectors

    user = _staff_user(env)
    combos = _office_combos(env)

    def call(i: int):
        status, category = combos[i % len(combos)]
        return selectors.suggestion_page_for_user(
            user=user, filters=selectors.SuggestionFilters(status=status, category=category))

    def check(i: int, page) -> str | None:
        status, category = combos[i % len(combos)]
        want = _expected_ids(env, status, category)
        got = [s.pk for s in page.rows]
        return None if got == want else f"page rows {got[:3]}… differ from {want[:3]}… ({status}, {category})"

    return Target(call=call, check=check)


def _office_page(env: Env) -> Target:
    combos = _office_combos(env)

    def url(i: int) -> str:
        status, category = combos[i % len(combos)]
        return f"/suggestions/office/?status={status}&category={category}"

    target = http(env.staff, url)

    def check(i: int, response) -> str | None:
        problem = target.check(i, response)
        if problem:
            return problem
        status, category = combos[i % len(combos)]
        want = _expected_ids(env, status, category)
        shown = {int(x) for x in LINK.findall(response.content.decode())}
        missing = [pk for pk in want[:5] if pk not in shown]
        return f"{url(i)} does not link {missing[:3]}" if missing else None

    return Target(call=target.call, check=check)


# --- the annual report and the statistics page ---------------------------------------------------------
def _report(env: Env) -> Target:
    from bench.run import parse_args
    from renda.org.models import Congress
    from renda.suggestions.models import Suggestion

    _staff_user(env)
    try:
        from renda.suggestions.documents import annual_report
    except ImportError as e:
        raise Skip(f"not built yet: renda.suggestions.documents.annual_report ({e})") from None
    args = parse_args(sys.argv[1:])
    if args.requests + args.warmup > 40 and "suggestions.report" not in args.only:
        raise Skip("a report of about a second each: run it alone, "
                   "--only suggestions.report --requests 10 --warmup 2 --rounds 1")
    congress = Congress.objects.get(pk=env.staff_congress_id)
    years = sorted({d.year for d in Suggestion.objects.filter(congress=congress).exclude(submitted_at=None)
                    .values_list("submitted_at", flat=True)[:5000]})
    year = years[-2] if len(years) > 1 else years[-1]  # the last whole year

    def call(i: int):
        return annual_report(congress, year)

    def check(i: int, result) -> str | None:
        if result is None:
            return "annual_report returned nothing"
        size = len(result) if isinstance(result, (bytes, str)) else len(getattr(result, "content", b"") or b"x")
        return None if size else "the annual report is empty"

    return Target(call=call, check=check)


def _stats(env: Env) -> Target:
    _staff_user(env)
    return http(env.staff, lambda i: "/suggestions/stats/")


CASES: list[Case] = [
    Case("suggestions.similar.selector", "similar_suggestions(draft text) while typing", "-", "base.orm",
         _similar_selector),
    Case("suggestions.similar", "GET /suggestions/similar/?text=… (panel while typing)", "staff", "base.staff",
         _similar_page),
    Case("suggestions.office.selector", "suggestion_page_for_user(status, category)", "staff", "base.orm",
         _office_selector),
    Case("suggestions.office", "GET /suggestions/office/?status=…&category=…", "staff", "base.staff", _office_page),
    Case("suggestions.report", "documents.annual_report(congress, year)", "-", "base.orm", _report),
    Case("suggestions.stats", "GET /suggestions/stats/ (statistics page)", "staff", "base.staff", _stats),
]
