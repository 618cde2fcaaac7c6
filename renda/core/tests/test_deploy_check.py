import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_production_settings_pass_check_deploy():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "RENDA_HTTPS"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.base", SECRET_KEY=secrets.token_urlsafe(60),
               ALLOWED_HOSTS="renda.example.gov.cn")
    r = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
                       env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout
