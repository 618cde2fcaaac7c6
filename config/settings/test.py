"""Test settings: the base settings with fast hashing and tasks run immediately."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, CACHES, DATABASES

DEBUG = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: shared-cache in-memory SQLite ignores busy_timeout ("table is locked"), so
    # concurrency tests and the browser tests' live server need a real file with WAL.
    # One file per test process, so parallel runs on one machine never share a database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3")}
    (BASE_DIR / "var").mkdir(exist_ok=True)
else:
    # A fresh UTF-8 test database: pg_trgm finds nothing for Chinese in a C-locale database.
    DATABASES["default"]["TEST"] = {"TEMPLATE": "template0", "CHARSET": "UTF8"}
if CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Every test client comes from 127.0.0.1: without this, all API tests share one anonymous budget.
RENDA_API_THROTTLE_RATES = {"anon": None, "auth": None}

# The public opinion forms: no minimum age (tests post at once) and no per-IP limits (every test
# client is 127.0.0.1 and the cache outlives a test); the tests of those guards set them explicitly.
RENDA_ANTIBOT_MIN_SECONDS = 0
RENDA_PUBLIC_RATES = {"submit": None, "track": None, "similar": None}
