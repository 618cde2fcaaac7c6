"""Two people at once, for the race tests of every workflow: real threads and real transactions
(SQLite IMMEDIATE / PostgreSQL SELECT … FOR UPDATE), so run them on both databases.

Use in a test marked ``pytest.mark.django_db(transaction=True)``: each thread opens its own connection.
"""

import threading
from collections.abc import Callable


def acting(username: str):
    """A fresh user object (one per thread: nothing is shared between the racers), acting in its first role."""
    from renda.accounts.models import User

    user = User.objects.get(username=username)
    user.active_assignment = user.assignments.filter(is_active=True).first()
    return user


def run_concurrently(*calls: Callable[[], object]) -> list[str]:
    """Run the calls at the same moment, one thread each, released together by a barrier.

    Returns, in call order, "ok", "conflict" (a ConflictError: somebody else acted first), or the
    error's class name and message, so an assertion shows what went wrong.
    """
    from django.db import close_old_connections

    from renda.core.workflow import ConflictError

    results: list[str] = [""] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(i: int, call) -> None:
        try:
            barrier.wait()
            call()
            results[i] = "ok"
        except ConflictError:
            results[i] = "conflict"
        except Exception as e:  # noqa: BLE001  (reported in the caller's assertion)
            results[i] = type(e).__name__ + ": " + str(e)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
