"""Start-up shared by the bench scripts: choose the database, then set Django up.

The scripts set DATABASE_URL themselves (never inherited from the shell) so that a benchmark can
never write into the development database or into whatever DATABASE_URL a terminal happens to hold.
"""

import os
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = ROOT / "var" / "bench.sqlite3"
DEFAULT_DATABASE_URL = f"sqlite:///{DEFAULT_SQLITE}"
# The database the developer works in (config.settings.base's default): never a bench target.
DEV_SQLITE = ROOT / "db.sqlite3"

ERR_DEV_DATABASE = (
    "refusing to use the development database {path}: pass a bench database (default {default})"
)
ERR_MEMORY = "an in-memory SQLite database would vanish between generate.py and run.py: give a file"
ERR_RESET_NAME = (
    "refusing to reset {name!r}: --reset only drops databases whose name contains 'bench'"
)

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def add_database_arguments(parser) -> None:
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help=f"sqlite:///path or postgres://user@host:port/name (default {DEFAULT_DATABASE_URL})",
    )
    parser.add_argument(
        "--redis-url",
        default="",
        help="use Redis as the cache (as production does); default: the database cache",
    )


def sqlite_path(url: str) -> Path | None:
    if not url.startswith("sqlite:"):
        return None
    # As dj-database-url reads them: sqlite:////abs/path is absolute, sqlite:///var/x is relative.
    path = unquote(urlsplit(url).path)[1:]
    if not path or path == ":memory:":
        raise SystemExit(ERR_MEMORY)
    return Path(path).resolve()


def is_postgres(url: str) -> bool:
    return url.split(":", 1)[0] in {"postgres", "postgresql", "pgsql", "postgis"}


def _pg_parts(url: str) -> tuple[dict, str]:
    u = urlsplit(url)
    conninfo = {
        "host": u.hostname or "127.0.0.1",
        "port": u.port or 5432,
        "user": unquote(u.username or "postgres"),
        "dbname": "postgres",
    }
    if u.password:
        conninfo["password"] = unquote(u.password)
    return conninfo, unquote(u.path.lstrip("/"))


def pg_ensure_database(url: str, *, drop: bool = False) -> bool:
    """Create the PostgreSQL database if missing; True if created.

    UTF-8 from template0, as the test settings do: pg_trgm finds nothing for Chinese otherwise.
    """
    import psycopg
    from psycopg import sql

    conninfo, name = _pg_parts(url)
    if drop and "bench" not in name:
        raise SystemExit(ERR_RESET_NAME.format(name=name))
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        if drop:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            return False
        conn.execute(
            sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(
                sql.Identifier(name)
            )
        )
        return True


def sqlite_remove(path: Path) -> None:
    if "bench" not in path.name:
        raise SystemExit(ERR_RESET_NAME.format(name=str(path)))
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def setup(database_url: str, *, redis_url: str = "") -> None:
    """Point Django at the bench database with the production-shaped base settings; set it up."""
    path = sqlite_path(database_url)
    if path is not None:
        if path == DEV_SQLITE.resolve():
            raise SystemExit(ERR_DEV_DATABASE.format(path=path, default=DEFAULT_SQLITE))
        path.parent.mkdir(parents=True, exist_ok=True)
        database_url = f"sqlite:///{path}"  # absolute: the same file from any working directory
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ["DATABASE_URL"] = database_url
    # Production shape: DEBUG off (DEBUG keeps every query in memory and changes the timings).
    os.environ["DEBUG"] = "0"
    if redis_url:
        os.environ["REDIS_URL"] = redis_url
    else:
        os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


def describe_database() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} ({connection.settings_dict['NAME']})"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    s = connection.settings_dict
    return f"PostgreSQL {version} ({s['HOST']}:{s['PORT']}/{s['NAME']})"
