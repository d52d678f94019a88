"""Balai settings: one module, everything that differs between machines comes from the environment.

See `.env.example` for every variable. ADR 0002 explains why there is one settings module.
"""

from __future__ import annotations

import ipaddress
import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from balai.env import (
    MIN_SECRET_LENGTH,
    channel_problems,
    env_bool,
    env_int,
    env_list,
    env_str,
    load_dotenv,
    local_secret_key,
)
from balai.net import parse_networks
from balai.ops.logs import default_format, logging_config, parse_levels

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("BALAI_VAR_DIR", str(BASE_DIR / "var")))
load_dotenv(BASE_DIR / ".env")

# --- environment -----------------------------------------------------------------------------
# Fail closed (ADR 0017): without BALAI_ENV this is development WITHOUT demo mode: DEBUG off, no
# development pages, no demo data, a secret key of this installation's own, webhooks that refuse every
# request until their channel has a secret. Demo mode only when asked for (BALAI_DEMO=1; `make run` does).
BALAI_ENV = env_str("BALAI_ENV").strip() or "development"  # development | production
if BALAI_ENV not in ("development", "production"):
    raise ImproperlyConfigured(f"Refusing to start: BALAI_ENV must be development or production, not {BALAI_ENV!r}.")
PRODUCTION = BALAI_ENV == "production"
DEBUG = env_bool("DEBUG", default=False)
# Demo mode: demo logins and keys with public secrets, the development message page at /dev/pesan/
# (loopback only), webhook secrets derived from SECRET_KEY. Never in production.
DEMO_MODE = env_bool("BALAI_DEMO", default=False)

# Reasons to refuse to start, collected so that one attempt names all of them (raised at the end).
_REFUSALS: list[str] = []
SECRET_KEY = env_str("SECRET_KEY")
if PRODUCTION:
    if DEBUG:
        _REFUSALS.append("DEBUG must be off in production")
    if not SECRET_KEY or len(SECRET_KEY) < MIN_SECRET_LENGTH:
        _REFUSALS.append(f"set SECRET_KEY (at least {MIN_SECRET_LENGTH} characters) in production")
    if DEMO_MODE:
        _REFUSALS.append("BALAI_DEMO must be off in production")
elif not SECRET_KEY:
    # Never a published default: a random key of this installation, kept under var/ (balai/env.py).
    SECRET_KEY = local_secret_key(VAR_DIR / "secret_key")
# Previous secret keys, still accepted for sessions and signed values while a new SECRET_KEY settles in
# (docs/operations/key-rotation.md); remove them after the session lifetime has passed.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])

# Reverse proxies whose X-Forwarded-For names the client (balai/net.py, ADR 0017): addresses or CIDR
# networks, comma-separated. Unset: REMOTE_ADDR is the client. Production needs an explicit value ("none"
# when no proxy stands in front), because a forgotten one makes every citizen share the proxy's limits.
_TRUSTED_PROXIES = env_str("BALAI_TRUSTED_PROXIES").strip()
BALAI_TRUSTED_PROXIES: list[str] = [] if _TRUSTED_PROXIES.lower() in ("", "none") else env_list(
    "BALAI_TRUSTED_PROXIES", [])
try:
    parse_networks(BALAI_TRUSTED_PROXIES)
except ValueError as exc:
    _REFUSALS.append(f"BALAI_TRUSTED_PROXIES: {exc}")
if PRODUCTION and not _TRUSTED_PROXIES:
    _REFUSALS.append('set BALAI_TRUSTED_PROXIES to the addresses of the reverse proxies (or "none")')

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:" + env_str("PORT", "8000"))

# --- applications ------------------------------------------------------------------------------
INSTALLED_APPS = [
    # base layer
    "balai.agencies",
    "balai.people",
    "balai.worktime",
    "balai.audit",
    # domain layer
    "balai.catalog",
    "balai.cases",
    "balai.notify",
    "balai.survey",
    "balai.transparency",
    "balai.participation",
    "balai.ppid",
    "balai.ict",
    # faces
    "balai.portal",
    "balai.office",
    "balai.api",
    "balai.channels",
    "balai.opendata",
    "balai.ops",
    # Django and third parties
    "balai.admin_apps.BalaiAdminConfig",  # django.contrib.admin behind the second factor (ADR 0015)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "balai.ops.middleware.RequestObservabilityMiddleware",  # request id, request log line, metrics: first
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "balai.portal.preferences.PreferencesMiddleware",  # display cookie; remembered language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "balai.csp_header.CSPMiddleware",  # django-csp's, the unchanged policy built once
    "axes.middleware.AxesMiddleware",
    "balai.pagecache.PageCacheMiddleware",  # last: a cached public page stands in for its view (ADR 0044)
]

ROOT_URLCONF = "balai.urls"
WSGI_APPLICATION = "balai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "balai.context_processors.site",
            ],
        },
    },
]

# --- database ---------------------------------------------------------------------------------
# SQLite file under var/ by default (ADR 0003); PostgreSQL in production and CI via DATABASE_URL.
VAR_DIR.mkdir(parents=True, exist_ok=True)
# Persistent connections are checked before their first use in each request or job
# (CONN_HEALTH_CHECKS), so the first request after a database restart gets a fresh connection instead
# of an error (ADR 0021).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'balai.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60 if PRODUCTION else 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker share the file; IMMEDIATE avoids lock upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME") or None}
# Optional streaming replica for public figures and open data (ADR 0022, balai/dbrouter.py): reads of
# those pages go there, unless the visitor wrote something in the last BALAI_REPLICA_PIN_SECONDS.
if env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL"), conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["balai.dbrouter.ReplicaRouter"]
    MIDDLEWARE.insert(0, "balai.dbrouter.ReplicaRoutingMiddleware")  # outermost: sees the session's save too
BALAI_REPLICA_PIN_SECONDS = env_int("BALAI_REPLICA_PIN_SECONDS", 10)
# URL prefixes whose GET requests may read from the replica (public figures and open data).
BALAI_REPLICA_PATHS = env_list("BALAI_REPLICA_PATHS", ["/kinerja/", "/data/", "/en/kinerja/", "/en/data/"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- auth -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "balai.people.backends.EmailOrPhoneBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "office:login"
# Sign-in lockout (balai/people/lockout.py, ADR 0015): failures of one ACCOUNT (whatever e-mail or phone
# spelling was typed) from one source address; wider limits for the account from anywhere and for one
# address across accounts. Password and second-factor failures count alike.
AXES_HANDLER = "balai.people.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
BALAI_LOGIN_ACCOUNT_FAILURE_LIMIT = env_int("BALAI_LOGIN_ACCOUNT_FAILURE_LIMIT", 20)
BALAI_LOGIN_SOURCE_FAILURE_LIMIT = env_int("BALAI_LOGIN_SOURCE_FAILURE_LIMIT", 50)
AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "balai.people.lockout.username_for_axes"
# Not on the password alone: failures are forgotten only after the second factor (balai.office.auth).
AXES_RESET_ON_SUCCESS = False
# authenticate() is called with username=... (/kantor/masuk/), not the model's USERNAME_FIELD "email".
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "office/locked_out.html"
# The source address of a sign-in: the client behind a trusted proxy, IPv6 per /64 (balai/net.py).
AXES_CLIENT_IP_CALLABLE = "balai.net.lockout_address"
OTP_TOTP_ISSUER = "Balai"

# Sessions: staff are signed out after inactivity (the session is refreshed on every request).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_ENGINE = "balai.sessions"  # Django's database sessions, plain statements (ADR 0049)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "balai.portal.errors.csrf_failure"  # a friendly, bilingual page
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # the language switch is remembered for a year
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

# Content-Security-Policy: no inline script or style; a nonce where a page truly needs one.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- i18n -------------------------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "balai" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Makassar")  # WITA, Kalimantan Timur

# --- static and uploads ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "balai" / "static"]
STORAGES = {
    # Uploads live outside the web root and are served only through views that check visibility.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "uploads"), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "uploads"
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- cache (rate limits, one-time codes; "pages": the public pages, ADR 0044) ------------------
# Redis when REDIS_URL is set (Django's RedisCache), else database tables (`manage.py createcachetable`).
# The public pages have a cache of their own, so that many pages never push out a rate-limit counter.
_REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _REDIS_URL}
        if _REDIS_URL
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "balai_cache"}
    ),
    "pages": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _REDIS_URL, "KEY_PREFIX": "pages"}
        if _REDIS_URL
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "balai_page_cache",
              "OPTIONS": {"MAX_ENTRIES": env_int("BALAI_PAGE_CACHE_ENTRIES", 5000)}}
    ),
}
# How long a cached public page is kept at most (it is replaced at once when what it shows changes);
# 0 turns the page cache off.
BALAI_PAGE_CACHE_SECONDS = env_int("BALAI_PAGE_CACHE_SECONDS", 300)
# Each process reads the pages' generations again at most this often (a change made in another process
# shows within this time; in the process that made it, at once).
BALAI_PAGE_CACHE_RECHECK_SECONDS = float(env_str("BALAI_PAGE_CACHE_RECHECK_SECONDS") or 1)

# --- background work ------------------------------------------------------------------------
TASKS = {
    "default": {
        # django-tasks-db's backend, also storing the enqueuing request's id with each job (ADR 0023).
        "BACKEND": env_str("TASKS_BACKEND", "balai.ops.jobs.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- e-mail -------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.locmem.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Balai <noreply@balai.invalid>")

# --- personal data ----------------------------------------------------------------------------
# NIKs at rest (ADR 0019): FIELD_ENCRYPTION_KEY encrypts (the newest key), FIELD_ENCRYPTION_OLD_KEYS
# (comma-separated) still decrypt until `manage.py rotate_field_encryption` has rewritten everything,
# FIELD_DIGEST_KEY keys the look-up digests and does not rotate with them. Outside production they fall
# back to SECRET_KEY; production refuses to start without its own keys.
FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY")
FIELD_ENCRYPTION_OLD_KEYS = env_list("FIELD_ENCRYPTION_OLD_KEYS", [])
FIELD_DIGEST_KEY = env_str("FIELD_DIGEST_KEY")
if PRODUCTION:
    for _name, _value in (("FIELD_ENCRYPTION_KEY", FIELD_ENCRYPTION_KEY), ("FIELD_DIGEST_KEY", FIELD_DIGEST_KEY)):
        if len(_value) < MIN_SECRET_LENGTH or _value == SECRET_KEY:
            _REFUSALS.append(f"set {_name} (at least {MIN_SECRET_LENGTH} characters, not the SECRET_KEY) in production")
    if FIELD_DIGEST_KEY and (FIELD_DIGEST_KEY == FIELD_ENCRYPTION_KEY or FIELD_DIGEST_KEY in FIELD_ENCRYPTION_OLD_KEYS):
        _REFUSALS.append("FIELD_DIGEST_KEY must differ from the encryption keys")

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK: dict[str, object] = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Balai API",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Open311 forwarding to other governments (ADR 0020): only public addresses are reached, no redirects
# followed. Host names or networks (CIDR) listed here may be reached although not public, e.g. a regency's
# endpoint on the government intranet: "open311.kukarkab.go.id,10.20.0.0/16".
BALAI_FORWARD_ALLOWED_HOSTS = env_list("BALAI_FORWARD_ALLOWED_HOSTS", [])
# ICT status probes (balai/ict/probes.py): same rule, their own allow-list (hosts or networks that are
# not public, e.g. the data centre's 10.0.0.0/8); strict timeouts; at most this many probes at once.
BALAI_PROBE_ALLOWED_HOSTS = env_list("BALAI_PROBE_ALLOWED_HOSTS", ["127.0.0.1/32"] if DEMO_MODE else [])
BALAI_PROBE_TIMEOUT_SECONDS = float(env_str("BALAI_PROBE_TIMEOUT_SECONDS") or "5")
BALAI_PROBE_CONCURRENCY = env_int("BALAI_PROBE_CONCURRENCY", 32)

# --- logs and metrics (ADR 0023) -----------------------------------------------------------------
# One line per request and per job, with a request id, never personal data. LOG_FORMAT: json | text;
# LOG_LEVEL for everything; LOG_LEVELS="logger=LEVEL,..." overrides single loggers.
LOGGING = logging_config(
    level=env_str("LOG_LEVEL") or ("INFO" if PRODUCTION else "WARNING"),
    fmt=env_str("LOG_FORMAT") or default_format(production=PRODUCTION),
    overrides=parse_levels(env_str("LOG_LEVELS")),
)
# Take the request id from the proxy's X-Request-ID header (when well-formed). Turn on only behind a proxy
# that sets the header itself (nginx: proxy_set_header X-Request-ID $request_id), or clients choose it.
BALAI_REQUEST_ID_FROM_PROXY = env_bool("BALAI_REQUEST_ID_FROM_PROXY", False)
# GET /metrics (Prometheus): from these networks (CIDRs, requests that did not pass a proxy) or with
# "Authorization: Bearer $BALAI_METRICS_TOKEN"; anyone else gets 404.
BALAI_METRICS_ALLOWED = [str(ipaddress.ip_network(net, strict=False)) for net in env_list(
    "BALAI_METRICS_ALLOWED", [] if PRODUCTION else ["127.0.0.0/8", "::1/128"])]
BALAI_METRICS_TOKEN = env_str("BALAI_METRICS_TOKEN")
if PRODUCTION and BALAI_METRICS_TOKEN and len(BALAI_METRICS_TOKEN) < 32:
    raise ImproperlyConfigured("Refusing to start: BALAI_METRICS_TOKEN must be at least 32 characters.")
BALAI_METRICS_CACHE_SECONDS = float(env_str("BALAI_METRICS_CACHE_SECONDS") or "5")
# More metric sources: dotted paths of callables returning prometheus_client metric families.
BALAI_METRICS_COLLECTORS: list[str] = env_list("BALAI_METRICS_COLLECTORS", [])
# The worker verifies the audit chain this often and records the result in the chain (balai/ops/services.py).
BALAI_AUDIT_VERIFY_HOURS = env_int("BALAI_AUDIT_VERIFY_HOURS", 24)

# --- backups (ADR 0025) -------------------------------------------------------------------------
# `manage.py backup` encrypts with this key (32 bytes, URL-safe base64: `manage.py backup --generate-key`).
# Keep it OUTSIDE the machine being backed up; without it a backup cannot be read.
BALAI_BACKUP_KEY = env_str("BALAI_BACKUP_KEY")
BALAI_BACKUP_DIR = Path(env_str("BALAI_BACKUP_DIR") or str(VAR_DIR / "backups"))

# Government this instance serves (the province by default).
BALAI_GOVERNMENT_CODE = env_str("BALAI_GOVERNMENT_CODE", "64")
# Letters before every tracking code (KT-7M4Q-2X9P); ADR 0006.
BALAI_CASE_PREFIX = env_str("BALAI_CASE_PREFIX", "KT")
os.environ.setdefault("PORT", "8000")

# Periodic jobs run by `manage.py run_worker`: dotted task path → interval in seconds.
BALAI_PERIODIC_TASKS: dict[str, int] = {"balai.cases.tasks.sweep_deadlines": 300}
BALAI_PERIODIC_TASKS["balai.notify.tasks.deliver_due_messages"] = 30  # outbox retries (ADR 0008)
BALAI_PERIODIC_TASKS["balai.cases.tasks.register_queued_submissions"] = 5  # queued intake (ADR 0014)
BALAI_PERIODIC_TASKS["balai.cases.tasks.forget_queued_submissions"] = 3600
# How many workers may register a burst of queued submissions at once (helper jobs, ADR 0014 and 0021).
BALAI_INTAKE_PARALLEL = env_int("BALAI_INTAKE_PARALLEL", 4)
BALAI_PERIODIC_TASKS["balai.ops.tasks.prune_task_results"] = 3600  # finished jobs older than 7 days
BALAI_PERIODIC_TASKS["balai.ops.tasks.clear_expired_sessions"] = 3600  # drafts' answers live in sessions
BALAI_PERIODIC_TASKS["balai.transparency.tasks.update_rollups"] = 60  # roll-ups follow events (ADR 0010)
BALAI_PERIODIC_TASKS["balai.opendata.tasks.record_audit_head"] = 3600  # publishes the audit head (first run of each day)
BALAI_PERIODIC_TASKS["balai.api.open311.tasks.poll_forwarded"] = 300  # status of forwarded cases (ADR 0013)
BALAI_PERIODIC_TASKS["balai.api.open311.tasks.forward_external_requests"] = 30  # other governments' services (ADR 0045)
BALAI_PERIODIC_TASKS["balai.portal.tasks.purge_draft_uploads"] = 3600  # files of unsent portal drafts
BALAI_PERIODIC_TASKS["balai.portal.tasks.forget_expired_codes"] = 3600  # one-time codes, rate counters
BALAI_PERIODIC_TASKS["balai.channels.tasks.forget_inbound_messages"] = 3600  # UU PDP retention, below
BALAI_PERIODIC_TASKS["balai.office.tasks.send_staff_digests"] = 300  # staff digest, 07:00 on working days
BALAI_PERIODIC_TASKS["balai.ops.tasks.verify_audit_chain"] = 3600  # verifies once per BALAI_AUDIT_VERIFY_HOURS
BALAI_PERIODIC_TASKS["balai.ppid.tasks.ppid_sweep"] = 3600  # stale periodic items, exemptions ending (PPID)
BALAI_PERIODIC_TASKS["balai.ict.tasks.probe_applications"] = 300  # status page probes (docs/regulations.md §13)
BALAI_PERIODIC_TASKS["balai.ict.tasks.sweep_ict_targets"] = 300  # ICT desk response/resolution targets
# Jobs that may run again after a lost database or a dead worker cut them off; every periodic job is
# idempotent too (ADR 0009). Any other interrupted job is marked failed with the reason (ADR 0021).
BALAI_IDEMPOTENT_TASKS = {
    "balai.notify.tasks.deliver_message",  # claimed by compare-and-set, resent with the same idempotency key
    "balai.cases.tasks.help_register_queued_submissions",  # rows are claimed with SKIP LOCKED
}
# The worker: heartbeat every N s; a worker silent for M s is presumed gone and its running jobs are
# taken back; after a lost database it retries at most every R s (exponential backoff up to R).
BALAI_WORKER_HEARTBEAT_SECONDS = env_int("BALAI_WORKER_HEARTBEAT_SECONDS", 5)
BALAI_WORKER_STALE_SECONDS = env_int("BALAI_WORKER_STALE_SECONDS", 60)
BALAI_WORKER_RECONNECT_MAX_SECONDS = env_int("BALAI_WORKER_RECONNECT_MAX_SECONDS", 5)
# Inbound SMS / WhatsApp / e-mail (sender and text) are deleted this many days after they arrived.
BALAI_INBOUND_RETENTION_DAYS = env_int("BALAI_INBOUND_RETENTION_DAYS", 90)
BALAI_PERIODIC_TASKS["balai.notify.tasks.forget_old_message_contents"] = 3600
# Recipient and text of sent messages are blanked this many days after they were written (UU PDP).
BALAI_MESSAGE_RETENTION_DAYS = env_int("BALAI_MESSAGE_RETENTION_DAYS", 365)

# Message gateways (balai/notify/gateways): an HTTP provider per channel as JSON in the environment, e.g.
# BALAI_SMS_GATEWAY='{"url": "https://...", "token": "...", "request_format": "json",
# "inbound_secret": "..."}'. Unset: the development gateway (messages at /dev/pesan/ in demo mode)
# outside production; nothing is sent in production. Production refuses plain http:// gateway URLs.
BALAI_SMS_GATEWAY = json.loads(env_str("BALAI_SMS_GATEWAY") or "null")
BALAI_WHATSAPP_GATEWAY = json.loads(env_str("BALAI_WHATSAPP_GATEWAY") or "null")
BALAI_EMAIL_GATEWAY = env_str("BALAI_EMAIL_GATEWAY", "dev" if DEMO_MODE else "django")  # "django" | "dev"
# Inbound channels (balai/channels, ADR 0011, 0017): webhooks /kanal/sms/, /kanal/wa/, /kanal/email/ and
# the delivery reports check an HMAC-SHA256 signature made with the channel's own "inbound_secret" in
# BALAI_SMS_GATEWAY / BALAI_WHATSAPP_GATEWAY / BALAI_EMAIL_INBOUND (delivery reports: "receipt_secret" if
# given, else "inbound_secret"). A channel without a secret refuses every request, except in demo mode,
# where a secret derived from SECRET_KEY lets /dev/pesan/ sign its simulated replies. Production refuses
# to start when an enabled channel has no secret of at least 32 characters.
# BALAI_EMAIL_INBOUND='{"inbound_secret": "...", "reply_address": "balas+{code}@balai.example.id",
# "default_category": "LAYANAN", "authserv_id": "mx.balai.example.id"}' (ADR 0018: whose
# Authentication-Results header is believed). Rate limit per sender: [[window seconds, messages], ...].
BALAI_EMAIL_INBOUND = json.loads(env_str("BALAI_EMAIL_INBOUND") or "null")
# The numbers citizens write to (published on /sms/, /kontak/, receipts and the A5 poster). Empty: the
# channel is not offered on those pages. Demo mode shows a fictitious number.
BALAI_SMS_NUMBER = env_str("BALAI_SMS_NUMBER", "0811-5400-1708" if DEMO_MODE else "")
BALAI_WHATSAPP_NUMBER = env_str("BALAI_WHATSAPP_NUMBER", "0811-5400-1708" if DEMO_MODE else "")
# How long a question sent by SMS/WhatsApp (place, publication, "choose a category") waits for its answer.
BALAI_CHANNELS_QUESTION_HOURS = env_int("BALAI_CHANNELS_QUESTION_HOURS", 72)
BALAI_CHANNELS_RATE_LIMITS = json.loads(env_str("BALAI_CHANNELS_RATE_LIMITS") or "[[600, 10], [86400, 60]]")
_REFUSALS += channel_problems({"BALAI_SMS_GATEWAY": BALAI_SMS_GATEWAY,
                               "BALAI_WHATSAPP_GATEWAY": BALAI_WHATSAPP_GATEWAY,
                               "BALAI_EMAIL_INBOUND": BALAI_EMAIL_INBOUND}, production=PRODUCTION)

# A citizen may reopen a closed case within this many working days of its closure.
BALAI_REOPEN_DAYS = env_int("BALAI_REOPEN_DAYS", 10)

if _REFUSALS:
    raise ImproperlyConfigured("Refusing to start: " + "; ".join(_REFUSALS) + ". See .env.example and ADR 0017.")
