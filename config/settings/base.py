"""Settings for every environment. Production differs only by environment variables.

Environment:
  DATABASE_URL   default sqlite:///<repo>/db.sqlite3 (postgres://… at scale)
  REDIS_URL      when set: Redis cache (rate limits, lockouts, scheduler lock)
  SECRET_KEY, ALLOWED_HOSTS (comma separated), DEBUG (1/0)
  EMAIL_URL-ish: EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS
  RENDA_EMAIL_SENDER / RENDA_SMS_SENDER: dotted sender classes (file sender by default)
  OIDC_RP_CLIENT_ID …: government single sign-on, off unless OIDC_OP_AUTHORIZATION_ENDPOINT is set
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY", "renda-insecure-development-key-change-me-in-production-0123456789")
ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o for o in env("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # only for its bundled Swagger UI assets: /api/docs works offline
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_tasks_db",
    "crontask",
    "renda.core",
    "renda.core.workdays",
    "renda.core.search",
    "renda.core.notify",
    "renda.accounts",
    "renda.org",
    "renda.deputies",
    "renda.opinions",
    "renda.suggestions",
    "renda.ballots",
    "renda.meetings",
    "renda.portal",
    "renda.api",
    "renda.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "renda.accounts.middleware.ActiveRoleMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "renda" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "renda.accounts.context_processors.roles",
            ],
        },
    },
]

# --- database -------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Persistent connections: opening one per request costs little, but each time the last one
    # closes SQLite checkpoints and deletes the WAL, and those stalls were the ballot benchmark's
    # p99 (docs/performance.md). The health check drops a connection that broke between requests.
    DATABASES["default"]["CONN_MAX_AGE"] = int(env("DATABASE_CONN_MAX_AGE", "60"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Without IMMEDIATE transactions and WAL, concurrent writers see "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;"
        ),
    }
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    if env_bool("DATABASE_POOL", False):
        DATABASES["default"]["OPTIONS"]["pool"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache ------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # A database cache, not LocMem: rate limits and lockouts must hold across processes.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "renda_cache"}}

# --- auth -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT")
if OIDC_OP_AUTHORIZATION_ENDPOINT:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.insert(1, "renda.accounts.oidc.GovernmentOIDCBackend")
    OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", "RS256")
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "portal:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
RATELIMIT_VIEW = "renda.core.views.ratelimited"

# --- i18n -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and media ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "renda" / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- security -------------------------------------------------------------------
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG and env_bool("RENDA_HTTPS", True):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- background work ------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
CRONTASK = {"REDIS_URL": REDIS_URL or None}

# --- API -------------------------------------------------------------------------
# Behind nginx set NINJA_NUM_PROXIES=1, or anonymous limits key on a spoofable X-Forwarded-For.
NINJA_NUM_PROXIES = int(env("NINJA_NUM_PROXIES", "0")) or None
RENDA_API_THROTTLE_RATES = {
    "anon": env("RENDA_API_THROTTLE_ANON", "120/min"),
    "auth": env("RENDA_API_THROTTLE_AUTH", "1200/min"),
}

# --- deadlines: reminders and escalation (docs/deadlines.md) -------------------------
RENDA_DEADLINE_WARN_DAYS = int(env("RENDA_DEADLINE_WARN_DAYS", "2"))
RENDA_ESCALATION = {
    "office_after_days": int(env("RENDA_ESCALATE_OFFICE_AFTER", "3")),
    "director_after_days": int(env("RENDA_ESCALATE_DIRECTOR_AFTER", "5")),
}
RENDA_DEADLINE_CHANNELS = ("inbox", "sms")

# --- the citizens' channel (docs/workflows/opinions.md, docs/portal-opinions.md) ----------
# Working days a citizen has to rate an answer before the item closes unrated.
RENDA_OPINION_RATING_DAYS = int(env("RENDA_OPINION_RATING_DAYS", "15"))
# The public form is refused when sent sooner than this after it was shown (a bot's speed).
RENDA_ANTIBOT_MIN_SECONDS = int(env("RENDA_ANTIBOT_MIN_SECONDS", "3"))

# --- mail and SMS -------------------------------------------------------------------
# Django 6.1 MAILERS. Used only by the SMTP sender of the notification outbox; by default the
# outbox writes files (RENDA_SENDERS below), so nothing leaves the machine unless configured.
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env("EMAIL_HOST", "localhost"),
            "port": int(env("EMAIL_PORT", "25")),
            "username": env("EMAIL_HOST_USER"),
            "password": env("EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
        },
    }
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "renda@localhost")
RENDA_OUTBOX_DIR = Path(env("RENDA_OUTBOX_DIR", str(BASE_DIR / "var" / "outbox")))
RENDA_SENDERS = {
    "email": env("RENDA_EMAIL_SENDER", "renda.core.notify.senders.FileSender"),
    "sms": env("RENDA_SMS_SENDER", "renda.core.notify.senders.FileSender"),
}
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL")
SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN")

# --- uploads -----------------------------------------------------------------------
RENDA_ATTACHMENT_MAX_BYTES = int(env("RENDA_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
