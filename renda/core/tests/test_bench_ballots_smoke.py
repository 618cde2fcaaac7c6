"""bench/ballots.py (issue 5) must keep working as the code changes: a quick run with a few voters.

It prepares a fresh SQLite database, starts gunicorn, has every voter cast once (some twice) against it,
closes and publishes; this checks that every ballot was accepted and the report is complete. It
measures nothing (timings on a shared test machine mean nothing).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
VOTERS = 40


@pytest.mark.slow
def test_bench_ballots_quick_run(tmp_path):
    db = f"sqlite:///{tmp_path / 'bench-ballots-smoke.sqlite3'}"
    out = tmp_path / "ballots.json"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    run = subprocess.run(
        [sys.executable, "bench/ballots.py", "--quick", "--voters", str(VOTERS), "--warmup", "8",
         "--database-url", db, "--json", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "target: every ballot accepted — yes" in run.stdout
    for case in ("base.ping", "base.insert", "ballot.page", "ballot.cast", "ballot.again"):
        assert f"| {case} |" in run.stdout, case
    assert "close → published result" in run.stdout and "machine:" in run.stdout

    data = json.loads(out.read_text())
    cases, figures = data["cases"], data["figures"]
    assert data["problems"] == []
    assert cases["ballot.cast"]["n"] == cases["ballot.cast"]["ok"] == VOTERS  # each first press accepted
    assert cases["ballot.again"]["n"] == cases["ballot.again"]["ok"] == 2  # 5%: each second press refused
    for case in ("base.ping", "base.insert", "ballot.page"):
        assert cases[case]["ok"] == cases[case]["n"] > 0, case
    assert figures["papers"] == figures["roll_voted"] == figures["snapshot_voted"] == VOTERS
    assert figures["result"] == figures["sent"] and sum(figures["result"].values()) == VOTERS
    assert figures["status"] == "published"
    assert data["closing"]["visible_ms"] >= data["closing"]["close_ms"] > 0
