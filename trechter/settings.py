"""Trechter settings: one file, read from environment variables through helpers that refuse bad values.

TRECHTER_DEBUG          1/0 (default 0). `make run` sets 1.
TRECHTER_SECRET_KEY     required unless TRECHTER_DEBUG=1 or under pytest.
TRECHTER_ALLOWED_HOSTS  comma-separated (default: localhost names when debugging, none otherwise).
TRECHTER_DATA_DIR       where the SQLite file lives (default ./var).
DATABASE_URL            postgres://user@host:port/name switches to PostgreSQL; default SQLite.
TRECHTER_EMAIL_HOST     SMTP host for mail (with _PORT, _USER, _PASSWORD, _TLS, _FROM); none: mail is printed.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [part.strip() for part in raw.split(",") if part.strip()]
    if any(" " in item for item in items):
        raise ImproperlyConfigured(f"{name} is a comma-separated list without spaces inside items")
    return items


def env_path(name: str, default: Path) -> Path:
    raw = os.environ.get(name)
    return Path(raw).expanduser().resolve() if raw else default


DEBUG = env_bool("TRECHTER_DEBUG", False)
# pytest ≥ 8.2 sets PYTEST_VERSION for the run; tests get a throw-away key.
TESTING = "PYTEST_VERSION" in os.environ

SECRET_KEY = os.environ.get("TRECHTER_SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("TRECHTER_SECRET_KEY must be set when TRECHTER_DEBUG is off")
    SECRET_KEY = "insecure-development-key-" + ("test" if TESTING else "debug")
elif len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("TRECHTER_SECRET_KEY must be at least 32 characters")

ALLOWED_HOSTS = env_list("TRECHTER_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG or TESTING else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "template_partials",
    "django_htmx",
    "trechter.accounts",
    "trechter.actors",
    "trechter.agenda",
    "trechter.funding",
    "trechter.assessment",
    "trechter.seed",
    "trechter.versions",
    "trechter.search",
    "trechter.reports",
    "trechter.exchange",
    "trechter.api",
    "trechter.evidence",
    "trechter.partners",
    "trechter.topics",
    "trechter.fof",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves /static/ from the app itself, compressed and cached, in production too (no CDN).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Early: a cached public page for an anonymous visitor skips everything below.
    "trechter.pagecache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records the signed-in user as the author of every history entry made in a request.
    "simple_history.middleware.HistoryRequestMiddleware",
]

# Per-object permissions (trechter/accounts/rules.py) first, then Django's own.
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

ROOT_URLCONF = "trechter.urls"
WSGI_APPLICATION = "trechter.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "trechter" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATA_DIR = env_path("TRECHTER_DATA_DIR", BASE_DIR / "var")

# SQLite: WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at
# BEGIN so two writers queue on busy_timeout instead of failing with "database is locked"
# half-way through a transaction. tests/integration/test_database.py checks these.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
}

_database_url = os.environ.get("DATABASE_URL", "").strip()
if _database_url:
    if not _database_url.startswith(("postgres://", "postgresql://", "sqlite:")):
        raise ImproperlyConfigured("DATABASE_URL must be a postgres:// or sqlite: URL")
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["OPTIONS"] = dict(SQLITE_OPTIONS)
else:
    # The embedded default: the file's folder is created on first use so `make run` just works.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "trechter.sqlite3"),
            "OPTIONS": dict(SQLITE_OPTIONS),
            # Keep connections: opening one runs the PRAGMAs above, a large share of a cached page's cost.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            # A file, not Django's in-memory default, so tests see WAL and real locking.
            "TEST": {"NAME": os.environ.get("TRECHTER_TEST_DB") or str(DATA_DIR / "test.sqlite3")},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Per-process memory cache: each server process keeps its own copy of public pages; the
# content stamp in the database keeps them all current (trechter/pagecache.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "trechter"}}
# Off in tests by default: tests change content behind the stamp's back (bulk updates)
# and share one process; tests/integration/test_pagecache.py switches it on. Off when
# debugging, so template edits show at once.
PAGE_CACHE = env_bool("TRECHTER_PAGE_CACHE", not (TESTING or DEBUG))
PAGE_CACHE_SECONDS = 600
# Largest file /data/import/ and `trechter import` accept (bytes), checked before any parsing.
IMPORT_MAX_BYTES = int(os.environ.get("TRECHTER_IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
# Mail (the FoF label reminders): printed to the console unless an SMTP host is given.
EMAIL_HOST = os.environ.get("TRECHTER_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("TRECHTER_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("TRECHTER_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("TRECHTER_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("TRECHTER_EMAIL_TLS", True)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("TRECHTER_EMAIL_FROM", "trechter@localhost")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

if TESTING:
    # Hashing is not under test; the default (slow by design) would dominate the suite's time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "trechter" / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "trechter" / "static"]
STATIC_ROOT = DATA_DIR / "static"
# Without collectstatic (development, tests) WhiteNoise reads the finders directly.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and not TESTING
CSRF_COOKIE_SECURE = not DEBUG and not TESTING
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TRECHTER_LOG_LEVEL", "INFO")},
}

# The REST API (trechter/api): 50 items a page unless ?limit= asks otherwise, at most 200.
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200
