#!/usr/bin/env python
"""Benchmark 找代表 and the deputy list against a generated database (bench/generate.py first).

    # SQLite var/bench.sqlite3, 200 timed requests per case:
    .venv/bin/python bench/run.py
    .venv/bin/python bench/run.py --database-url postgres://postgres@127.0.0.1:5432/renda_bench \\
        --redis-url redis://127.0.0.1:6379/6
    # A few seconds: a smoke run, not a measurement:
    .venv/bin/python bench/run.py --quick

Every case runs in-process through django.test.Client (the full middleware stack; no network, no
server), warm, with the production-shaped base settings (DEBUG off). Cases are interleaved in rounds
so that each ratio compares figures measured side by side. Queries per request are counted on the
warm-up requests; timings are taken without query capture.
"""

import argparse
import datetime as dt
import json
import logging
import math
import os
import platform
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import bootstrap  # noqa: E402

ERR_EMPTY = (
    "no deputies in {db}: generate them first, "
    "e.g. .venv/bin/python bench/generate.py --deputies 10000"
)
ERR_NO_USER = "user {username!r} is missing: the database was not made by bench/generate.py"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark 找代表 and the deputy list.")
    parser.add_argument(
        "--requests", type=int, default=200, help="timed requests per case (default 200)"
    )
    parser.add_argument(
        "--warmup", type=int, default=20, help="untimed requests per case first (default 20)"
    )
    parser.add_argument(
        "--rounds", type=int, default=10, help="interleave the cases in this many rounds"
    )
    parser.add_argument("--quick", action="store_true", help="20 requests, 3 warm-up, 2 rounds")
    parser.add_argument(
        "--only", default="", help="comma-separated case name prefixes (baselines always run)"
    )
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 if a case was skipped or answered other than 200 (for CI)",
    )
    bootstrap.add_database_arguments(parser)
    args = parser.parse_args(argv)
    if args.quick:
        args.requests, args.warmup, args.rounds = 20, 3, 2
    args.rounds = max(1, min(args.rounds, args.requests))
    return args


def percentile(sorted_ms: list[float], p: float) -> float:
    """Nearest rank: with 200 samples p99 is the third slowest."""
    return sorted_ms[max(0, math.ceil(p / 100 * len(sorted_ms)) - 1)]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
    except OSError:
        pass
    return "RAM unknown"


def machine_lines() -> list[str]:
    import django
    from django.conf import settings

    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return [
        f"machine: {nproc} CPUs (nproc; {os.cpu_count()} online), {cpu_model()}, {memory()}, "
        f"{platform.system()} {platform.release()}, load average {os.getloadavg()[0]:.2f} at start",
        f"software: Python {platform.python_version()}, Django {django.get_version()}, "
        f"{bootstrap.describe_database()}, cache {cache}",
    ]


def data_line() -> str:
    from renda.deputies.models import Deputy, LiaisonStation, Person
    from renda.org.models import Congress, Place

    communities = Place.objects.filter(kind__in=["village", "community"]).count()
    from renda.opinions.models import Assignment, Opinion

    return (
        f"data: {Deputy.objects.count():,} deputies, {Person.objects.count():,} persons, "
        f"{Congress.objects.count():,} congresses, {communities:,} villages and communities, "
        f"{LiaisonStation.objects.count():,} liaison stations, {Opinion.objects.count():,} opinions, "
        f"{Assignment.objects.count():,} units' parts"
    )


def build_env():
    import random

    from django.test import Client

    from bench.cases import Env
    from bench.steps.foundation import BENCH_ADMIN, BENCH_STAFF
    from renda.accounts.models import RoleAssignment, User
    from renda.org.models import Place

    clients = {}
    for username in (BENCH_STAFF, BENCH_ADMIN):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise SystemExit(ERR_NO_USER.format(username=username))
        clients[username] = Client()
        clients[username].force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assignment = RoleAssignment.objects.filter(user__username=BENCH_STAFF).order_by("id").first()
    communities = list(
        Place.objects.filter(kind__in=["village", "community"], parent__isnull=False)
        .order_by("id")
        .values_list("parent_id", "id")
    )
    samples = random.Random(1).sample(communities, min(200, len(communities)))
    return Env(
        anon=Client(),
        staff=clients[BENCH_STAFF],
        admin=clients[BENCH_ADMIN],
        staff_congress_id=assignment.congress_id,
        samples=samples,
    )


def selected_cases(only: str):
    from bench.cases import CASES

    prefixes = [p.strip() for p in only.split(",") if p.strip()]
    return [
        c
        for c in CASES
        if c.baseline is None or not prefixes or any(c.name.startswith(p) for p in prefixes)
    ]


def warm_up(case, target, n: int) -> tuple[list[int], list[int]]:
    """Run the untimed requests, capture their queries and check their results. Raises Skip."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.cases import Skip

    queries, cache_queries = [], []
    for i in range(n):
        with CaptureQueriesContext(connection) as captured:
            result = target.call(i)
        problem = target.check(i, result)
        if problem:
            raise Skip(problem)
        queries.append(len(captured.captured_queries))
        cache_queries.append(sum(1 for q in captured.captured_queries if "renda_cache" in q["sql"]))
    return queries, cache_queries


def measure(args) -> dict:
    from django.test.utils import override_settings

    from bench.cases import Skip

    results: dict[str, dict] = {}
    skipped: dict[str, str] = {}
    # The bench URLconf adds the baseline view; plain static storage because the manifest comes from
    # collectstatic, which a benchmark should not need (a manifest lookup is one dict access).
    # The public forms' anti-bot minimum age and per-address rate limits are off: the benchmark
    # posts at once and from few addresses (the limits' cache reads still happen).
    with override_settings(
        RENDA_ANTIBOT_MIN_SECONDS=0,
        RENDA_PUBLIC_RATES={"submit": None, "track": None, "similar": None},
        ROOT_URLCONF="bench.urls",
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        env = build_env()
        targets = {}
        for case in selected_cases(args.only):
            try:
                target = case.build(env)
                queries, cache_queries = warm_up(case, target, max(1, args.warmup))
            except Skip as e:
                skipped[case.name] = str(e)
                continue
            except Exception as e:  # noqa: BLE001 - a broken page is reported, the others still run
                skipped[case.name] = (
                    f"error: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
                )
                continue
            targets[case.name] = (case, target)
            results[case.name] = {
                "case": case,
                "queries": queries,
                "cache_queries": cache_queries,
                "ms": [],
                "cpu_ms": [],
                "errors": 0,
            }
        per_round = math.ceil(args.requests / args.rounds)
        counter = args.warmup
        for _ in range(args.rounds):
            for name, (_case, target) in targets.items():
                r = results[name]
                for _ in range(min(per_round, args.requests - len(r["ms"]))):
                    counter += 1
                    started, cpu = time.perf_counter_ns(), time.thread_time_ns()
                    response = target.call(counter)
                    r["ms"].append((time.perf_counter_ns() - started) / 1e6)
                    r["cpu_ms"].append((time.thread_time_ns() - cpu) / 1e6)
                    if getattr(response, "status_code", 200) != 200:
                        r["errors"] += 1
    return {"results": results, "skipped": skipped}


def report(args, measured: dict, header: list[str]) -> tuple[str, dict]:
    from bench.cases import CASES

    results, skipped = measured["results"], measured["skipped"]
    data = {}
    for r in results.values():
        ms = sorted(r["ms"])
        r["p50"], r["p99"], r["mean"] = percentile(ms, 50), percentile(ms, 99), sum(ms) / len(ms)
        r["cpu_p50"] = percentile(sorted(r["cpu_ms"]), 50)
    lines = [
        *header,
        "",
        f"{args.requests} timed requests per case after {args.warmup} warm-up, "
        f"interleaved in {args.rounds} rounds; queries counted on the warm-up requests "
        f"(of which cache-table queries in brackets); "
        f"cpu = this process's CPU time (the database server's is not in it).",
        "",
        "| case | what | who | queries | p50 ms | p99 ms | cpu p50 ms | baseline | p50 × | p99 × |",
        "|---|---|---|---:|---:|---:|---:|---|---:|---:|",
    ]
    for case in CASES:
        if case.name in skipped:
            lines.append(
                f"| {case.name} | {case.title} | {case.who} | – | – | – | – | "
                f"skipped: {skipped[case.name]} | | |"
            )
            continue
        r = results.get(case.name)
        if r is None:
            continue
        lo, hi = min(r["queries"]), max(r["queries"])
        queries = f"{lo}" if lo == hi else f"{lo}–{hi}"
        cache = max(r["cache_queries"])
        if cache:
            queries += f" ({cache})"
        base = results.get(case.baseline) if case.baseline else None
        ratio50 = f"{r['p50'] / base['p50']:.1f}" if base else ""
        ratio99 = f"{r['p99'] / base['p99']:.1f}" if base else ""
        errors = f" ⚠ {r['errors']} non-200" if r["errors"] else ""
        lines.append(
            f"| {case.name} | {case.title} | {case.who} | {queries} "
            f"| {r['p50']:.2f} | {r['p99']:.2f} | "
            f"{r['cpu_p50']:.2f} | {case.baseline or '–'}{errors} | {ratio50} | {ratio99} |"
        )
        data[case.name] = {
            "title": case.title,
            "who": case.who,
            "queries": r["queries"],
            "cache_queries": r["cache_queries"],
            "p50_ms": r["p50"],
            "p99_ms": r["p99"],
            "mean_ms": r["mean"],
            "cpu_p50_ms": r["cpu_p50"],
            "baseline": case.baseline,
            "errors": r["errors"],
            "ms": r["ms"],
        }
    for case in CASES:
        r, base = results.get(case.name), results.get(case.baseline or "")
        if case.throughput and r and base:
            mine, theirs = 1000 / r["mean"], 1000 / base["mean"]
            lines.append(
                f"\nthroughput (one client, sequential): {case.name} {mine:.1f} req/s, "
                f"{case.baseline} {theirs:.1f} req/s: {case.name} runs at {100 * mine / theirs:.0f}% "
                f"of {case.baseline}"
            )
            data[case.name]["throughput_ratio"] = mine / theirs
    return "\n".join(lines), {"header": header, "cases": data, "skipped": skipped}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if (
        bootstrap.sqlite_path(args.database_url) is not None
        and not bootstrap.sqlite_path(args.database_url).exists()
    ):
        print(ERR_EMPTY.format(db=args.database_url), file=sys.stderr)
        return 2
    bootstrap.setup(args.database_url, redis_url=args.redis_url)
    # WhiteNoise warns once when STATIC_ROOT was never collected; irrelevant to these pages.
    warnings.filterwarnings("ignore", message="No directory at")
    # A failing page is reported once in the table (as skipped, with the error), not as a traceback.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)

    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from renda.deputies.models import Deputy

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        # The code moved on since the data was generated: bring the schema along (new tables stay
        # empty; regenerate with --reset to fill them).
        print(f"applying {len(pending)} new migrations to the bench database", file=sys.stderr)
        call_command("migrate", interactive=False, verbosity=0)
    if not Deputy.objects.exists():
        print(ERR_EMPTY.format(db=args.database_url), file=sys.stderr)
        return 2
    header = [
        f"# Renda benchmark, {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        "",
        *machine_lines(),
        data_line(),
    ]
    started = time.perf_counter()
    measured = measure(args)
    text, data = report(args, measured, header)
    print(text)
    print(f"\n(ran in {time.perf_counter() - started:.1f} s)")
    if args.json:
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=1))
    failed = sorted(data["skipped"]) + sorted(n for n, c in data["cases"].items() if c["errors"])
    if args.strict and failed:
        print(f"--strict: {', '.join(failed)} did not run cleanly", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
