"""1,000 voters at once on one vote, each trying twice: exactly one ballot per voter and totals that
equal the roll. Real threads and transactions; CI runs this on SQLite and on PostgreSQL."""

import queue
import random
import threading
from collections import Counter

import pytest
from django.db import close_old_connections, connection

from renda.ballots import services
from renda.ballots.models import Ballot, Roll
from renda.ballots.world import act, make_people, motion, voter
from renda.core.workflow import ConflictError

pytestmark = pytest.mark.django_db(transaction=True)

# Eight threads keep casts in flight at once (PostgreSQL allows 100 connections; on SQLite more
# threads only queue longer on the one write lock, past busy_timeout on a loaded 2-core machine).
WORKERS = 8


def run_all(tasks, worker):
    """Run worker(task) for every task on WORKERS threads; return the outcomes in task order."""
    q: queue.Queue = queue.Queue()
    for i, t in enumerate(tasks):
        q.put((i, t))
    out = [None] * len(tasks)
    start = threading.Barrier(WORKERS)

    def loop():
        start.wait()
        try:
            while True:
                try:
                    i, t = q.get_nowait()
                except queue.Empty:
                    return
                try:
                    worker(t)
                    out[i] = "ok"
                except ConflictError as e:
                    out[i] = e.code
                except Exception as e:  # noqa: BLE001  (reported by the assertions)
                    out[i] = f"{type(e).__name__}: {e}"
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=loop) for _ in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def test_a_thousand_voters_each_trying_twice(world):
    people = make_people(1000)
    vote = motion(world, people=people, secret=True, title="关于召开市第十七届人民代表大会第三次会议的决定")
    key = str(vote.options.get().pk)
    rnd = random.Random(2022)
    choice = {p.pk: rnd.choice(["yes", "no", "abstain"]) for p in people}
    tasks = [p for p in people for _ in range(2)]
    rnd.shuffle(tasks)
    outcomes = run_all(tasks, lambda p: services.cast(user=voter(p), vote_id=vote.pk, marks={key: choice[p.pk]}))
    assert outcomes.count("ok") == 1000, Counter(outcomes).most_common(5)
    assert outcomes.count("already_voted") == 1000, Counter(outcomes).most_common(5)
    assert Ballot.objects.filter(vote=vote).count() == 1000
    assert Roll.objects.filter(vote=vote, voted=True).count() == 1000
    vote = services.close_vote(actor=act(world, "staff"), vote_id=vote.pk)
    (option,) = vote.result["options"]
    expected = [list(choice.values()).count(c) for c in ("yes", "no", "abstain")]
    assert [option["yes"], option["no"], option["abstain"]] == expected
    assert sum(expected) == vote.snapshot["close"]["voted"] == 1000


def test_closing_while_voters_cast_counts_exactly_the_roll(world):
    people = make_people(300)
    vote = motion(world, people=people, secret=True)
    key = str(vote.options.get().pk)
    tasks = [("cast", p) for p in people]
    tasks.insert(150, ("close", None))

    def work(task):
        kind, p = task
        if kind == "close":
            services.close_vote(actor=act(world, "staff"), vote_id=vote.pk)
        else:
            services.cast(user=voter(p), vote_id=vote.pk, marks={key: "yes"})

    outcomes = run_all(tasks, work)
    assert set(outcomes) <= {"ok", "not_open"}, Counter(outcomes).most_common(5)
    vote.refresh_from_db()
    voted = Roll.objects.filter(vote=vote, voted=True).count()
    # Every accepted paper is counted, none after the close, and the roll agrees with the papers.
    assert outcomes.count("ok") - 1 == voted == Ballot.objects.filter(vote=vote).count()
    assert vote.result["options"][0]["yes"] == voted == vote.snapshot["close"]["voted"]
