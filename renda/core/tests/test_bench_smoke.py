"""The benchmark scripts must keep working as the code changes: a tiny generate + quick run.

This checks that bench/ runs and that every case answers (exit 1 otherwise); it measures nothing.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.slow
def test_bench_generate_and_quick_run(tmp_path):
    db = f"sqlite:///{tmp_path / 'bench-smoke.sqlite3'}"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env["BENCH_OPINIONS_PER_DEPUTY"] = "5"  # 1,000 opinions: the opinions step at tiny scale
    env["BENCH_SUGGESTIONS_PER_DEPUTY"] = "2"  # 400 suggestions: the suggestions step at tiny scale
    gen = subprocess.run([sys.executable, "bench/generate.py", "--deputies", "200", "--quiet", "--database-url", db],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert gen.returncode == 0, gen.stdout[-2000:] + gen.stderr[-2000:]
    counts = {k.strip(): int(v.replace(",", "")) for k, v in (
        line.rsplit(None, 1) for line in gen.stdout.splitlines() if line.startswith("  "))}
    assert counts["opinions"] == counts["search documents (opinions)"] == 1000
    assert counts["opinion events"] > 1000 and counts["opinion assignments"] > 0
    # Deputies' suggestions (issue 4): every submitted one is in the search index, with its parts and events.
    assert counts["suggestions"] == 400 and counts["suggestion periods"] > 0
    assert 0 < counts["suggestion search documents"] <= 400 and counts["suggestion parts"] > 0
    assert counts["suggestion events"] > 400 and counts["suggestion ratings"] > 0
    run = subprocess.run([sys.executable, "bench/run.py", "--quick", "--strict", "--database-url", db], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=600)
    # Only a page another issue has not built yet may be skipped, and it says so.
    pending = {"suggestions.report", "suggestions.stats"}
    failed = re.search(r"--strict: (.*) did not run cleanly", run.stderr)
    failed_cases = set(failed.group(1).split(", ")) if failed else set()
    assert run.returncode == 0 or (failed_cases and failed_cases <= pending), run.stdout[-3000:] + run.stderr[-3000:]
    for case in failed_cases:
        assert re.search(rf"\| {re.escape(case)} \|.*skipped: not built yet", run.stdout), case
    assert "p99" in run.stdout and "find" in run.stdout
    # The citizens' channel (issue 3): every case ran (--strict) and the submission's throughput line.
    for case in ("base.insert", "voice.submit", "voice.track", "opinions.filtered", "opinions.search",
                 "opinions.stats"):
        assert f"| {case} |" in run.stdout
    assert "voice.submit runs at" in run.stdout
    for case in ("suggestions.similar.selector", "suggestions.similar", "suggestions.office.selector",
                 "suggestions.office", "suggestions.report", "suggestions.stats"):
        assert f"| {case} |" in run.stdout
    for case in ("suggestions.similar.selector", "suggestions.office.selector"):  # the selectors always run
        assert not re.search(rf"\| {re.escape(case)} \|.*skipped", run.stdout), case
