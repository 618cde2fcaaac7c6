#!/usr/bin/env python
"""Issue 5: 3,000 voters (the size of the National People's Congress) cast a ballot within a 60-second
window against a running server.

    .venv/bin/python bench/ballots.py                        # SQLite var/bench-ballots.sqlite3 (made fresh)
    .venv/bin/python bench/ballots.py --redis-url redis://127.0.0.1:6379/6 \\
        --database-url postgres://postgres@127.0.0.1:5432/renda_bench_ballots
    .venv/bin/python bench/ballots.py --quick --voters 60    # a few seconds: a smoke run, not a measurement

What it does, in one run:

1. Prepares a fresh database (the SQLite file is deleted, the PostgreSQL database dropped and created:
   only names containing "bench"), migrates it, and writes one congress with N deputies, each a person
   with a user account and a deputy role, a chair (the office's staff) and one secret motion vote
   opened for all of them through the ballot services (renda/ballots/services.py), as a meeting would.
2. Signs every voter in without the password hasher: a server-side session per voter (Django's
   session store, as `login()` writes it) and a CSRF cookie with a masked form token.
3. Starts gunicorn as docs/deployment.md runs it (`-k gthread -w 2 --threads 8`) with the
   production-shaped base settings (DEBUG off, HTTPS behind a proxy: the client sends
   X-Forwarded-Proto as nginx does; on PostgreSQL psycopg's pool, DATABASE_POOL=1). The only settings
   changed are the URLconf (bench/urls.py adds the baseline views) and plain static storage, as in
   bench/run.py. The workers are warmed with page views (voters opening the vote page) first.
4. Each voter POSTs the page's form once (/ballots/<id>/, opt_<option>=yes|no|abstain) at a steady
   arrival rate over the window, from a pool of client threads, one new connection per request (as
   nginx talks to its upstream). Interleaved with the casts, on the same server: the baselines GET
   /__bench__/ping (a trivial view through the full middleware, signed in) and POST /__bench__/insert
   (one row inserted, signed in, CSRF checked), the voter's page GET /ballots/<id>/, and a share of
   voters pressing the button a second time (must be refused: one paper per voter).
5. After the window: the chair closes the vote and publishes the result (the services), and a voter's
   page is read until it shows the result; the time from close to result is reported. Then it checks
   that every ballot was accepted: papers = roll voted = N, and the published totals equal what was
   sent.

Prints p50/p95/p99/max per request kind (from sending the request to the last byte of the answer), the
ratios to the baselines measured side by side, the throughput, the server's CPU time, the machine and its
load, how late a probe process sleeping 5 ms in a loop woke during the window (the shared machine), and on
SQLite how often the WAL file was removed. Exit status 0 when every ballot was accepted and the checks hold.

Diagnosis: --access-log FILE (gunicorn's time inside the worker per request); --conn-max-age N (on SQLite,
how long the server keeps a database connection: the settings have 60 s; 0 opens one per request).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import bootstrap  # noqa: E402
from bench.run import (  # noqa: E402  (nearest rank: of 3,000 samples p99 is the 30th slowest)
    cpu_model,
    memory,
    percentile,
)

DEFAULT_DATABASE_URL = f"sqlite:///{ROOT / 'var' / 'bench-ballots.sqlite3'}"
TARGET_P99_MS = 100.0
CHOICES = ("yes", "no", "abstain")
WEIGHTS = (80, 12, 8)  # a motion passes comfortably; the exact counts are checked after publishing
PING_URL = "/__bench__/ping"
INSERT_URL = "/__bench__/insert"
PLAIN_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
KINDS = {
    # name: (what, baseline)
    "base.ping": ("GET /__bench__/ping: trivial view, full middleware, signed-in voter", None),
    "base.insert": ("POST /__bench__/insert: one row inserted, signed-in voter, CSRF", None),
    "ballot.page": ("GET /ballots/{id}/: the voter's page", "base.ping"),
    "ballot.cast": ("POST /ballots/{id}/: cast the ballot (302 back to the page)", "base.insert"),
    "ballot.again": ("POST /ballots/{id}/ a second time: refused", "base.insert"),
}


# --- the server side: gunicorn imports this module and calls server_app() in each worker ------------------


def server_app():
    """WSGI application for `gunicorn 'bench.ballots:server_app()'`: config.wsgi plus the bench URLconf
    (baseline views) and plain static storage (no collectstatic needed); nothing else differs."""
    import django

    warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise: STATIC_ROOT not collected
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    django.setup(set_prefix=False)
    from django.core.handlers.wsgi import WSGIHandler
    from django.test.utils import override_settings

    override_settings(ROOT_URLCONF="bench.urls", STORAGES=PLAIN_STORAGES).enable()
    return WSGIHandler()


# --- arguments -------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="3,000 voters cast a ballot within a window against a running server.")
    p.add_argument("--database-url", default=DEFAULT_DATABASE_URL,
                   help=f"sqlite:///path or postgres://user@host:port/name, made fresh "
                        f"(default {DEFAULT_DATABASE_URL})")
    p.add_argument("--redis-url", default="", help="the server's cache in Redis (as production at scale)")
    p.add_argument("--voters", type=int, help="voters on the roll, each casting once (default 3000; 100 with --quick)")
    p.add_argument("--window", type=float, default=60.0, help="seconds over which the voters arrive (default 60)")
    p.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    p.add_argument("--threads", type=int, default=8, help="gunicorn threads per worker (default 8)")
    p.add_argument("--no-pool", action="store_true", help="PostgreSQL: no connection pool (DATABASE_POOL=0)")
    p.add_argument("--clients", type=int, default=512,
                   help="client threads at most (default 512: arrivals stay on time even when the server lags)")
    p.add_argument("--interleave-every", type=int, default=3,
                   help="one interleaved request (ping, insert, page in turn) per this many casts (default 3)")
    p.add_argument("--again", type=float, default=0.05,
                   help="share of voters who press the button again 0.5 s after the answer (default 0.05)")
    p.add_argument("--warmup", type=int, default=200, help="untimed page views before the window (default 200)")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--quick", action="store_true",
                   help="a smoke run: 3 s window, 20 warm-up requests, 100 voters unless --voters says otherwise")
    p.add_argument("--json", type=Path, help="also write the figures (and raw latencies) to this JSON file")
    p.add_argument("--conn-max-age", type=int,
                   help="on SQLite, the server's CONN_MAX_AGE in seconds (DATABASE_CONN_MAX_AGE; the settings have "
                        "60; 0 opens a connection per request)")
    p.add_argument("--access-log", type=Path,
                   help="diagnosis: gunicorn's access log with each request's time inside the worker (%%(M)s ms)")
    args = p.parse_args(argv)
    if args.voters is None:
        args.voters = 100 if args.quick else 3000
    if args.quick:
        args.window = min(args.window, 3.0)
        args.warmup = min(args.warmup, 20)
    if args.voters < 1 or args.window < 0 or args.interleave_every < 1 or not 0 <= args.again <= 1:
        p.error("--voters ≥ 1, --window ≥ 0, --interleave-every ≥ 1, 0 ≤ --again ≤ 1")
    return args


# --- 1. the database ---------------------------------------------------------------------------------------


@dataclass
class Voter:
    user_id: int
    person_id: int
    session_key: str
    csrf_secret: str
    csrf_token: str
    choice: str

    def cookie(self) -> str:
        return f"sessionid={self.session_key}; csrftoken={self.csrf_secret}"


@dataclass
class World:
    congress_id: int
    vote_id: int
    option_id: int
    chair_id: int
    voters: list[Voter]
    seconds: dict = field(default_factory=dict)


def fresh_database(url: str) -> None:
    path = bootstrap.sqlite_path(url)
    if path is not None:
        bootstrap.sqlite_remove(path)  # refuses names without "bench"
    elif bootstrap.is_postgres(url):
        bootstrap.pg_ensure_database(url, drop=True)  # idem


def prepare(args) -> World:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.db import transaction
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from renda.accounts.models import Role, RoleAssignment, User
    from renda.ballots import services
    from renda.ballots.world import make_people
    from renda.deputies.models import Deputy
    from renda.org.models import Congress, Term

    seconds = {}
    t = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    seconds["migrate"] = time.perf_counter() - t

    t = time.perf_counter()
    rng = random.Random(args.seed)
    n = args.voters
    unusable = make_password(None)  # "!…": nobody signs in with a password; no hashing at load time
    with transaction.atomic():
        congress = Congress.objects.create(name="云江省人民代表大会", short_name="云江省人大",
                                           kind=Congress.Kind.PROVINCE, body_name="常务委员会")
        term = Term.objects.create(congress=congress, number=14, start_date=dt.date(2023, 1, 1))
        people = make_people(n)
        Deputy.objects.bulk_create([Deputy(congress=congress, term=term, person=p) for p in people], batch_size=500)
        deputies = dict(Deputy.objects.filter(congress=congress).values_list("person_id", "id"))
        User.objects.bulk_create([User(username=f"voter-{p.pk}", display_name=p.name, person=p, password=unusable)
                                  for p in people], batch_size=500)
        users = dict(User.objects.filter(person__in=people).values_list("person_id", "id"))
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(user_id=users[p.pk], role=Role.DEPUTY, congress=congress, deputy_id=deputies[p.pk])
             for p in people], batch_size=500)
        chair = User.objects.create(username="bench-chair", display_name="大会秘书处", password=unusable)
        RoleAssignment.objects.create(user=chair, role=Role.STAFF, congress=congress)
    seconds["people"] = time.perf_counter() - t

    t = time.perf_counter()
    chair = act_as(chair.pk)
    vote = services.create_vote(
        actor=chair, congress=congress, kind="motion", secret=True, seated=n,
        title="关于批准国民经济和社会发展计划执行情况的报告的决议（草案）",
        quorum={"base": "seated", "num": 1, "den": 2},  # more than half of all members present
    )
    vote = services.open_vote(actor=chair, vote_id=vote.pk, electorate=[p.pk for p in people])
    option_id = vote.options.get().pk
    seconds["vote"] = time.perf_counter() - t

    # Sessions as login() writes them (user id, backend, password hash), made here and not through the
    # login form: the password hasher would cost 3,000 × ~0.3 s of CPU and measure nothing of voting.
    t = time.perf_counter()
    store = SessionStore()
    expires = timezone.now() + dt.timedelta(days=1)
    hashes = {u.pk: u.get_session_auth_hash() for u in User.objects.filter(pk__in=users.values())}
    voters, sessions = [], []
    for p in people:
        uid = users[p.pk]
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        sessions.append(Session(session_key=key, expire_date=expires, session_data=store.encode({
            SESSION_KEY: str(uid), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: hashes[uid]})))
        secret = _get_new_csrf_string()
        voters.append(Voter(user_id=uid, person_id=p.pk, session_key=key, csrf_secret=secret,
                            csrf_token=_mask_cipher_secret(secret), choice=rng.choices(CHOICES, WEIGHTS)[0]))
    Session.objects.bulk_create(sessions, batch_size=500)
    seconds["sessions"] = time.perf_counter() - t
    return World(congress_id=congress.pk, vote_id=vote.pk, option_id=option_id, chair_id=chair.pk, voters=voters,
                 seconds=seconds)


def act_as(user_id: int):
    from renda.accounts.models import User

    user = User.objects.get(pk=user_id)
    user.active_assignment = user.assignments.filter(is_active=True).order_by("id").first()
    return user


# --- 2. the server ----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(args, database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DATABASE_POOL", "DEBUG"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.base", DATABASE_URL=database_url, DEBUG="0",
               PYTHONPATH=str(ROOT))
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    if bootstrap.is_postgres(database_url) and not args.no_pool:
        env["DATABASE_POOL"] = "1"
    if args.conn_max_age is not None:
        env["DATABASE_CONN_MAX_AGE"] = str(args.conn_max_age)
    return env


def start_server(args, database_url: str, log) -> tuple[subprocess.Popen, int, list[str]]:
    port = free_port()
    cmd = [sys.executable, "-m", "gunicorn", "bench.ballots:server_app()", "-k", "gthread",
           "-w", str(args.workers), "--threads", str(args.threads), "-b", f"127.0.0.1:{port}",
           "--chdir", str(ROOT), "--graceful-timeout", "5"]
    if args.access_log:
        cmd += ["--access-logfile", str(args.access_log), "--access-logformat", "%(m)s %(U)s %(s)s %(M)s"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=server_env(args, database_url), stdout=log, stderr=log,
                            start_new_session=True)
    return proc, port, cmd


class Http:
    """One request per new connection, as a phone (or nginx without keep-alive upstream) sends it."""

    def __init__(self, port: int):
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"

    def request(self, method: str, path: str, voter: Voter | None = None, body: dict | None = None,
                timeout: float = 60.0) -> tuple[int, dict, bytes]:
        headers = {"X-Forwarded-Proto": "https", "Connection": "close", "User-Agent": "renda-bench-ballots"}
        data = None
        if voter is not None:
            headers["Cookie"] = voter.cookie()
        if body is not None:
            data = urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            cookies = SimpleCookie()
            for value in response.headers.get_all("Set-Cookie") or []:
                cookies.load(value)
            return response.status, {"location": response.headers.get("Location", ""), "cookies": cookies}, payload
        finally:
            conn.close()


def wait_ready(http_: Http, proc: subprocess.Popen, timeout: float = 90.0) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with status {proc.returncode}")
        try:
            status, _h, body = http_.request("GET", PING_URL, timeout=5)
            if status == 200 and body == b"ok":
                return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server did not answer within {timeout:.0f} s")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)  # our own gunicorn's process group (start_new_session)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def process_cpu_seconds(root_pid: int) -> float:
    """utime + stime of gunicorn's master and its workers (from /proc), in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        pid, ppid = int(entry.name), int(fields[1])
        if pid == root_pid or ppid == root_pid:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


# A process that sleeps 5 ms in a loop and notes how late it wakes: the machine's scheduling delay during
# the window, which every request on a shared machine pays too. perf_counter is CLOCK_MONOTONIC on Linux,
# so its times compare with this process's.
# On SQLite it also watches the WAL file: SQLite checkpoints and deletes it whenever the last open
# connection to the database closes.
PROBE = """
import json, os, sys, threading, time
wal = sys.argv[1]
stop = []
threading.Thread(target=lambda: (sys.stdin.read(), stop.append(1)), daemon=True).start()
late, removed, seen = [], [], False
while not stop:
    t = time.perf_counter()
    time.sleep(0.005)
    late.append((t, (time.perf_counter() - t - 0.005) * 1000))
    if wal:
        exists = os.path.exists(wal)
        if seen and not exists:
            removed.append(t)
        seen = exists
print(json.dumps({"late": late, "wal_removed": removed}))
"""


def start_probe(database_url: str) -> subprocess.Popen:
    path = bootstrap.sqlite_path(database_url)
    return subprocess.Popen([sys.executable, "-c", PROBE, f"{path}-wal" if path else ""],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def stop_probe(proc: subprocess.Popen, clock0: float) -> dict:
    out, _err = proc.communicate("", timeout=30)
    data = json.loads(out or '{"late": [], "wal_removed": []}')
    return {"late": [(round(t - clock0, 4), round(ms, 3)) for t, ms in data["late"] if t >= clock0],
            "wal_removed": [round(t - clock0, 4) for t in data["wal_removed"] if t >= clock0]}


# --- 3. the load ------------------------------------------------------------------------------------------


def message_levels(cookies: SimpleCookie) -> list[int]:
    """The levels of the messages the response set (CookieStorage), e.g. [25] for success."""
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest

    morsel = cookies.get("messages")
    if morsel is None or not morsel.value:
        return []
    decoded = CookieStorage(HttpRequest())._decode(morsel.value)
    return [m.level for m in decoded or []]


@dataclass
class Sample:
    kind: str
    voter: int
    due: float  # seconds after the window's start
    sent: float = 0.0
    done: float = 0.0
    status: int = 0
    outcome: str = ""  # accepted | refused | ok | error: …
    again: Sample | None = None  # the same voter's second press, sent 0.5 s after this one's answer

    @property
    def ms(self) -> float:
        return (self.done - self.sent) * 1000

    @property
    def lag_ms(self) -> float:
        return (self.sent - self.due) * 1000


def schedule(args, n: int) -> list[Sample]:
    """The casts at a steady rate over the window, in random voter order; one interleaved request per
    `interleave_every` casts, half-way between two casts. Second presses are not scheduled: each is sent
    by the thread of the first, 0.5 s after its answer (so the first press is always the one counted)."""
    rng = random.Random(args.seed + 1)
    order = list(range(n))
    rng.shuffle(order)
    step = args.window / n
    samples = [Sample("ballot.cast", v, i * step) for i, v in enumerate(order)]
    extra = ("base.ping", "base.insert", "ballot.page")
    for j, i in enumerate(range(0, n, args.interleave_every)):
        samples.append(Sample(extra[j % 3], rng.randrange(n), (i + 0.5) * step))
    casts = samples[:n]
    for i in sorted(rng.sample(range(n), round(args.again * n))):
        casts[i].again = Sample("ballot.again", casts[i].voter, 0.0)
    samples.sort(key=lambda s: s.due)
    return samples


def perform(http_: Http, world: World, s: Sample, clock0: float) -> None:
    voter = world.voters[s.voter]
    path = f"/ballots/{world.vote_id}/"
    s.sent = time.perf_counter() - clock0
    try:
        if s.kind == "base.ping":
            status, _h, body = http_.request("GET", PING_URL, voter)
            ok = status == 200 and body == b"ok"
        elif s.kind == "base.insert":
            status, _h, body = http_.request("POST", INSERT_URL, voter,
                                             {"csrfmiddlewaretoken": voter.csrf_token, "n": "ballots"})
            ok = status == 200 and body == b"ok"
        elif s.kind == "ballot.page":
            status, _h, body = http_.request("GET", path, voter)
            ok = status == 200 and (b'data-testid="ballot"' in body or "您已投票".encode() in body)
        else:
            status, h, _body = http_.request("POST", path, voter, {
                "csrfmiddlewaretoken": voter.csrf_token, f"opt_{world.option_id}": voter.choice})
            s.done = time.perf_counter() - clock0
            s.status = status
            levels = message_levels(h["cookies"]) if status == 302 and h["location"].endswith(path) else []
            s.outcome = "accepted" if levels == [25] else "refused" if levels == [40] else f"error: {status} {levels}"
            if s.again is not None:
                time.sleep(0.5)
                s.again.due = time.perf_counter() - clock0
                perform(http_, world, s.again, clock0)
            return
        s.done = time.perf_counter() - clock0
        s.status = status
        s.outcome = "ok" if ok else f"error: {status}"
    except OSError as e:
        s.done = time.perf_counter() - clock0
        s.outcome = f"error: {type(e).__name__}: {e}"


def warm_up(http_: Http, world: World, count: int, clients: int) -> None:
    """Voters open the vote page before the chair opens the floor (also warms every worker thread)."""
    if count <= 0:
        return
    rng = random.Random(7)
    jobs = []
    for i in range(count):
        v = world.voters[rng.randrange(len(world.voters))]
        jobs.append(("GET", f"/ballots/{world.vote_id}/", v, None) if i % 4 else
                    ("POST", INSERT_URL, v, {"csrfmiddlewaretoken": v.csrf_token, "n": "warm-up"}) if i % 8 == 0
                    else ("GET", PING_URL, v, None))
    with ThreadPoolExecutor(max_workers=min(clients, 16)) as pool:
        statuses = list(pool.map(lambda j: http_.request(*j)[0], jobs))
    bad = [s for s in statuses if s != 200]
    if bad:
        raise SystemExit(f"warm-up: {len(bad)} of {count} requests answered {sorted(set(bad))}, not 200")


def run_window(args, http_: Http, world: World) -> tuple[list[Sample], float, dict]:
    samples = schedule(args, len(world.voters))
    pool = ThreadPoolExecutor(max_workers=args.clients)
    probe = start_probe(args.database_url)
    time.sleep(0.2)  # the probe's interpreter is up
    clock0 = time.perf_counter()
    futures = []
    for s in samples:
        delay = s.due - (time.perf_counter() - clock0)
        if delay > 0:
            time.sleep(delay)
        futures.append(pool.submit(perform, http_, world, s, clock0))
    for f in futures:
        f.result()
    pool.shutdown()
    elapsed = time.perf_counter() - clock0
    samples += [s.again for s in samples if s.again is not None]
    return samples, elapsed, stop_probe(probe, clock0)


# --- 4. closing, publishing, checking -----------------------------------------------------------------------


def close_and_publish(http_: Http, world: World) -> dict:
    """The chair closes and publishes (the services, as the chair's screen calls them); then a voter's
    page is read until it shows the result. Times in ms from the start of closing."""
    from renda.ballots import services

    chair = act_as(world.chair_id)
    voter = world.voters[0]
    t0 = time.perf_counter()
    services.close_vote(actor=chair, vote_id=world.vote_id)
    t1 = time.perf_counter()
    services.publish(actor=chair, vote_id=world.vote_id)
    t2 = time.perf_counter()
    polls = 0
    while True:
        polls += 1
        status, _h, body = http_.request("GET", f"/ballots/{world.vote_id}/", voter)
        if status == 200 and b'data-testid="result"' in body:
            break
        if time.perf_counter() - t0 > 30:
            raise SystemExit("the voter's page did not show the published result within 30 s")
    t3 = time.perf_counter()
    return {"close_ms": (t1 - t0) * 1000, "publish_ms": (t2 - t1) * 1000, "visible_ms": (t3 - t0) * 1000,
            "page_ms": (t3 - t2) * 1000, "polls": polls}


def check(world: World, samples: list[Sample]) -> tuple[list[str], dict]:
    from collections import Counter

    from renda.ballots.models import Ballot, Roll, Vote

    n = len(world.voters)
    vote = Vote.objects.get(pk=world.vote_id)
    accepted = Counter(s.voter for s in samples
                       if s.kind in ("ballot.cast", "ballot.again") and s.outcome == "accepted")
    sent = Counter(world.voters[v].choice for v in accepted)
    (result,) = vote.result["options"]
    figures = {
        "accepted": sum(accepted.values()),
        "voters_with_one_accepted": sum(1 for c in accepted.values() if c == 1),
        "papers": Ballot.objects.filter(vote_id=vote.pk).count(),
        "roll_voted": Roll.objects.filter(vote_id=vote.pk, voted=True).count(),
        "snapshot_voted": vote.snapshot["close"]["voted"],
        "result": {c: result[c] for c in CHOICES},
        "sent": {c: sent[c] for c in CHOICES},
        "status": vote.status,
        "passed": result.get("passed"),
        "explanation": vote.result.get("explanation") or result.get("explanation", ""),
    }
    problems = []
    if figures["accepted"] != n or figures["voters_with_one_accepted"] != n:
        problems.append(f"{figures['accepted']} ballots accepted for {n} voters "
                        f"({figures['voters_with_one_accepted']} voters with exactly one)")
    if not figures["papers"] == figures["roll_voted"] == figures["snapshot_voted"] == n:
        problems.append(f"papers {figures['papers']}, roll voted {figures['roll_voted']}, "
                        f"snapshot voted {figures['snapshot_voted']}: not all {n}")
    if figures["result"] != figures["sent"] or sum(figures["result"].values()) != n:
        problems.append(f"published totals {figures['result']} differ from the ballots sent {figures['sent']}")
    if vote.status != Vote.Status.PUBLISHED:
        problems.append(f"the vote is {vote.status}, not published")
    return problems, figures


# --- 5. the report -------------------------------------------------------------------------------------------


def stats(samples: list[Sample]) -> dict:
    by_kind: dict[str, dict] = {}
    for kind in KINDS:
        mine = [s for s in samples if s.kind == kind]
        if not mine:
            continue
        ms = sorted(s.ms for s in mine)
        expected = {"ballot.cast": "accepted", "ballot.again": "refused"}.get(kind, "ok")
        by_kind[kind] = {
            "n": len(mine), "ok": sum(1 for s in mine if s.outcome == expected),
            "outcomes": {o: sum(1 for s in mine if s.outcome == o) for o in sorted({s.outcome for s in mine})},
            "p50": percentile(ms, 50), "p95": percentile(ms, 95), "p99": percentile(ms, 99), "max": ms[-1],
            "mean": sum(ms) / len(ms), "ms": [round(s.ms, 3) for s in mine],
            "sent_s": [round(s.sent, 4) for s in mine],  # seconds after the window's start, same order as ms
        }
    return by_kind


def probe_lines(probe: dict, sqlite: bool) -> list[str]:
    if not probe["late"]:
        return ["machine during the window: no probe figures"]
    late = sorted(ms for _t, ms in probe["late"])
    stalls = [t for t, ms in probe["late"] if ms >= 50]
    lines = [f"machine during the window: a probe process sleeping 5 ms in a loop woke late by p50 "
             f"{percentile(late, 50):.1f} ms, p99 {percentile(late, 99):.1f} ms, max {late[-1]:.0f} ms; "
             f"{len(stalls)} wake-ups ≥ 50 ms late, in {len({int(t) for t in stalls})} of the window's seconds"]
    if sqlite:
        lines.append(f"SQLite: the WAL file was removed at least {len(probe['wal_removed']):,} times during the "
                     f"window (a checkpoint each time the last open connection closed; polled every 5 ms)")
    return lines


def machine_lines(load_start: float, server_cmd: list[str], database: str, conn_max_age: int | None) -> list[str]:
    import django
    from django.conf import settings

    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    try:
        from importlib.metadata import version

        gunicorn = f"gunicorn {version('gunicorn')}"
    except Exception:  # noqa: BLE001
        gunicorn = "gunicorn"
    server = " ".join(a for a in server_cmd[3:] if not a.startswith("127.0.0.1") and a not in {"-b"})
    server = server.replace(f"--chdir {ROOT} ", "")
    pool = " + psycopg pool" if os.environ.get("DATABASE_POOL") == "1" else ""
    if conn_max_age is None:
        conn_max_age = settings.DATABASES["default"].get("CONN_MAX_AGE", 0)
    pool += f", CONN_MAX_AGE={conn_max_age}"
    return [
        f"machine: {nproc} CPUs (nproc; {os.cpu_count()} online), {cpu_model()}, {memory()}, "
        f"{platform.system()} {platform.release()}, load average {load_start:.2f} at start",
        f"software: Python {platform.python_version()}, Django {django.get_version()}, {database}{pool}, "
        f"cache {cache}; {gunicorn}: {server}",
    ]


def report(args, world: World, samples: list[Sample], elapsed: float, closing: dict, problems: list[str],
           figures: dict, header: list[str], server_cpu: float, client_cpu: float, load_end: float,
           probe: dict) -> tuple[str, dict]:
    n = len(world.voters)
    s = stats(samples)
    lag = sorted(x.lag_ms for x in samples)
    lines = [*header, "",
             f"data: 1 congress, {n:,} deputies (a person, a user account and a deputy role each), one secret "
             f"motion vote opened for all of them (roll {n:,}, quorum more than half of all members)",
             f"load: {n:,} casts at a steady {n / args.window if args.window else float('inf'):.1f}/s over "
             f"{args.window:g} s, in random voter order; one interleaved request (ping, insert, page in turn) per "
             f"{args.interleave_every} casts; {round(args.again * n):,} second presses 0.5 s after the first one's "
             f"answer; {args.clients} client threads, a new connection per request; {args.warmup} page views "
             f"first (untimed)",
             "",
             "| case | what | requests | as expected | p50 ms | p95 ms | p99 ms | max ms | baseline | p50 × | p99 × |",
             "|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|"]
    for kind, (what, baseline) in KINDS.items():
        r = s.get(kind)
        if r is None:
            continue
        base = s.get(baseline) if baseline else None
        outcomes = ", ".join(f"{k}: {v}" for k, v in r["outcomes"].items())
        ok = f"{r['ok']:,}" if r["ok"] == r["n"] else f"**{r['ok']:,}** ({outcomes})"
        ratios = (f"{baseline} | {r['p50'] / base['p50']:.1f} | {r['p99'] / base['p99']:.1f}" if base
                  else "– | |")
        lines.append(f"| {kind} | {what.format(id=world.vote_id)} | {r['n']:,} | {ok} | {r['p50']:.1f} | "
                     f"{r['p95']:.1f} | {r['p99']:.1f} | {r['max']:.1f} | {ratios} |")
    cast = s["ballot.cast"]
    casts = [x for x in samples if x.kind == "ballot.cast"]
    cast_span = max(x.done for x in casts) - min(x.sent for x in casts)
    lines += [
        "",
        f"throughput: {cast['ok']:,} of {n:,} casts accepted in {cast_span:.1f} s = {cast['ok'] / cast_span:.1f} "
        f"ballots/s; all {len(samples):,} requests in {elapsed:.1f} s = {len(samples) / elapsed:.1f}/s",
        f"client: dispatch lag p99 {percentile(lag, 99):.1f} ms, max {lag[-1]:.1f} ms (how late a request left "
        f"after its due time); client CPU {client_cpu:.1f} s",
        *probe_lines(probe, bootstrap.sqlite_path(args.database_url) is not None),
        f"server CPU (gunicorn master + workers): {server_cpu:.1f} s over the window = "
        f"{server_cpu * 1000 / len(samples):.1f} ms per request (all kinds, database server's not included); "
        f"load average {load_end:.2f} at the end",
        f"close → published result: close {closing['close_ms']:.0f} ms (snapshot, papers rewritten in random "
        f"order, result computed), publish {closing['publish_ms']:.0f} ms, the voter's page shows the result "
        f"{closing['visible_ms']:.0f} ms after closing began",
        f"result: {figures['explanation']}",
        f"checks: papers {figures['papers']:,}, roll voted {figures['roll_voted']:,}, snapshot voted "
        f"{figures['snapshot_voted']:,}, published {figures['result']} = sent {figures['sent']}",
    ]
    met = cast["p99"] <= TARGET_P99_MS
    lines.append(f"target: every ballot accepted — {'yes' if not problems else 'NO'}; "
                 f"cast p99 ≤ {TARGET_P99_MS:.0f} ms — {'met' if met else 'missed'} ({cast['p99']:.1f} ms)")
    for p in problems:
        lines.append(f"PROBLEM: {p}")
    data = {"header": header, "voters": n, "window_s": args.window, "elapsed_s": elapsed, "cases": s,
            "closing": closing, "figures": figures, "problems": problems, "server_cpu_s": server_cpu,
            "client_cpu_s": client_cpu, "lag_ms_max": lag[-1], "target_p99_met": met,
            "probe_late_ms": [p for p in probe["late"] if p[1] >= 10],  # [seconds after the start, ms late]
            "wal_removed_s": probe["wal_removed"],
            "seconds": world.seconds}
    return "\n".join(lines), data


# --- main ---------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    load_start = os.getloadavg()[0]
    url = args.database_url
    path = bootstrap.sqlite_path(url)
    if path is not None:
        url = f"sqlite:///{path}"
    fresh_database(url)
    bootstrap.setup(url, redis_url=args.redis_url)
    warnings.filterwarnings("ignore", message="No directory at")
    if bootstrap.is_postgres(url) and not args.no_pool:
        os.environ["DATABASE_POOL"] = "1"  # for the report line; this process's settings are already read
    # The server starts (imports Django, two workers) while the database is being prepared: it reads
    # nothing before the first request.
    log = tempfile.NamedTemporaryFile("w+", prefix="bench-ballots-gunicorn-", suffix=".log", delete=False)
    proc, port, cmd = start_server(args, url, log)
    started = time.perf_counter()
    try:
        world = prepare(args)
    except BaseException:
        stop_server(proc)
        raise
    database = bootstrap.describe_database()
    from django.db import connections

    connections.close_all()  # the server has the database to itself during the window
    print(f"prepared {len(world.voters):,} voters in {time.perf_counter() - started:.1f} s "
          f"({', '.join(f'{k} {v:.1f} s' for k, v in world.seconds.items())})", flush=True)

    try:
        http_ = Http(port)
        ready = wait_ready(http_, proc)
        warm_up(http_, world, args.warmup, args.clients)
        print(f"server answering {ready:.1f} s later (pid {proc.pid}, port {port}); "
              f"{len(world.voters):,} voters over {args.window:g} s…", flush=True)
        header = [f"# Renda ballots benchmark, {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}", "",
                  *machine_lines(load_start, cmd, database, args.conn_max_age)]
        cpu0, client0 = process_cpu_seconds(proc.pid), time.process_time()
        samples, elapsed, probe = run_window(args, http_, world)
        server_cpu, client_cpu = process_cpu_seconds(proc.pid) - cpu0, time.process_time() - client0
        load_end = os.getloadavg()[0]
        closing = close_and_publish(http_, world)
    except BaseException:
        log.flush()
        log.seek(0)
        tail = log.read()[-3000:]
        if tail:
            print(f"--- server log (tail of {log.name}) ---\n{tail}", file=sys.stderr)
        raise
    finally:
        stop_server(proc)
    problems, figures = check(world, samples)
    text, data = report(args, world, samples, elapsed, closing, problems, figures, header,
                        server_cpu, client_cpu, load_end, probe)
    print()
    print(text)
    log.close()
    errors = Path(log.name).read_text()
    if "Traceback" in errors:
        print(f"\nthe server logged errors: see {log.name}", file=sys.stderr)
    else:
        os.unlink(log.name)
    if args.json:
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=1))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
