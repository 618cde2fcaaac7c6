#!/usr/bin/env python
"""Fill a bench database at scale, with a progress bar per step.

    # SQLite, var/bench.sqlite3:
    .venv/bin/python bench/generate.py --deputies 10000
    # PostgreSQL; the database is created (UTF-8) if missing:
    .venv/bin/python bench/generate.py --deputies 10000 --reset \\
        --database-url postgres://postgres@127.0.0.1:5432/renda_bench

The database is migrated first. Data is deterministic for a given --seed and --deputies. The steps
come from bench/steps/ (see bench/registry.py for adding one); --list-steps shows them.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import bootstrap  # noqa: E402

ERR_NOT_EMPTY = (
    "the database already holds {n} deputies: pass --reset to drop it and generate again "
    "(only databases whose name contains 'bench' can be reset)"
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Fill a bench database with generated data at scale."
    )
    parser.add_argument(
        "--deputies", type=int, default=10_000, help="deputy seats to generate (default 10000)"
    )
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    parser.add_argument("--reset", action="store_true", help="drop the bench database first")
    parser.add_argument(
        "--list-steps", action="store_true", help="list the generator steps and exit"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    bootstrap.add_database_arguments(parser)
    args = parser.parse_args(argv)
    if args.deputies < 10:
        parser.error("--deputies must be at least 10")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from bench.registry import Context, ordered_steps
    from bench.steps import load_all

    load_all()
    if args.list_steps:
        for s in ordered_steps():
            print(f"{s.order:>4}  {s.name:<14} {s.doc}")
        return 0

    started = time.perf_counter()
    url = args.database_url
    path = bootstrap.sqlite_path(url)
    if args.reset and path is not None:
        bootstrap.sqlite_remove(path)
    if bootstrap.is_postgres(url) and bootstrap.pg_ensure_database(url, drop=args.reset):
        print("created the database (UTF-8, template0)")
    bootstrap.setup(url, redis_url=args.redis_url)

    from django.core.management import call_command
    from django.db import connection

    from renda.deputies.models import Deputy

    print(f"database: {bootstrap.describe_database()}")
    print("migrating…", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    existing = Deputy.objects.count()
    if existing:
        print(ERR_NOT_EMPTY.format(n=existing), file=sys.stderr)
        return 2

    ctx = Context(deputies=args.deputies, seed=args.seed, quiet=args.quiet)
    for s in ordered_steps():
        s.func(ctx)
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load: without statistics the planner guesses, and
        # without the visibility map a capped count reads the heap instead of the index only.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    elapsed = time.perf_counter() - started
    print()
    for label, n in ctx.counts.items():
        print(f"  {label:<26} {n:>9,}")
    print(f"generated {args.deputies:,} deputies (seed {args.seed}) in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
