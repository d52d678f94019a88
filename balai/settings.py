"""Balai settings: one module, everything that differs between machines comes from the environment.

See `.env.example` for every variable. ADR 0002 explains why there is one settings module.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from balai.env import env_bool, env_int, env_list, env_str, load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("BALAI_VAR_DIR", str(BASE_DIR / "var")))
load_dotenv(BASE_DIR / ".env")

# --- environment -----------------------------------------------------------------------------
BALAI_ENV = env_str("BALAI_ENV", "development")  # development | production
PRODUCTION = BALAI_ENV == "production"
DEBUG = env_bool("DEBUG", default=False)
# Demo mode: demo logins, the development message gateway at /dev/pesan/, documented demo secrets.
DEMO_MODE = env_bool("BALAI_DEMO", default=not PRODUCTION)

SECRET_KEY = env_str("SECRET_KEY")
if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("Refusing to start: DEBUG must be off in production.")
    if not SECRET_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("Refusing to start: set SECRET_KEY (at least 32 characters) in production.")
    if DEMO_MODE:
        raise ImproperlyConfigured("Refusing to start: BALAI_DEMO must be off in production.")
elif not SECRET_KEY:
    SECRET_KEY = "insecure-development-key-do-not-use-in-production-0123456789"  # noqa: S105

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
    # faces
    "balai.portal",
    "balai.office",
    "balai.api",
    "balai.channels",
    "balai.opendata",
    "balai.ops",
    # Django and third parties
    "django.contrib.admin",
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
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
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
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# authenticate() is called with username=... (admin and /kantor/ alike), not the model's USERNAME_FIELD "email".
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "office/locked_out.html"
OTP_TOTP_ISSUER = "Balai"

# Sessions: staff are signed out after inactivity (the session is refreshed on every request).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
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

# --- cache (rate limits, one-time codes) ----------------------------------------------------
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL")}
        if env_str("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "balai_cache"}
    )
}

# --- background work ------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
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
# Key for encrypting NIKs at rest and keying their look-up hash; defaults to one derived from SECRET_KEY.
FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY")

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
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

# --- logging ------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO" if PRODUCTION else "WARNING")},
}

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
BALAI_PERIODIC_TASKS["balai.transparency.tasks.update_rollups"] = 60  # roll-ups follow events (ADR 0010)
BALAI_PERIODIC_TASKS["balai.opendata.tasks.record_audit_head"] = 3600  # publishes the audit head (first run of each day)
BALAI_PERIODIC_TASKS["balai.api.open311.tasks.poll_forwarded"] = 300  # status of forwarded cases (ADR 0013)
BALAI_PERIODIC_TASKS["balai.portal.tasks.purge_draft_uploads"] = 3600  # files of unsent portal drafts
BALAI_PERIODIC_TASKS["balai.channels.tasks.forget_inbound_messages"] = 3600  # UU PDP retention, below
BALAI_PERIODIC_TASKS["balai.office.tasks.send_staff_digests"] = 300  # staff digest, 07:00 on working days
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
# BALAI_SMS_GATEWAY='{"url": "https://...", "token": "...", "request_format": "json"}'. Unset: the
# development gateway (messages at /dev/pesan/) outside production; nothing is sent in production.
BALAI_SMS_GATEWAY = json.loads(env_str("BALAI_SMS_GATEWAY") or "null")
BALAI_WHATSAPP_GATEWAY = json.loads(env_str("BALAI_WHATSAPP_GATEWAY") or "null")
BALAI_EMAIL_GATEWAY = env_str("BALAI_EMAIL_GATEWAY", "dev" if DEMO_MODE else "django")  # "django" | "dev"
# Inbound channels (balai/channels, ADR 0011): webhooks /kanal/sms/, /kanal/wa/, /kanal/email/ check an
# HMAC-SHA256 signature made with the "inbound_secret" of BALAI_SMS_GATEWAY / BALAI_WHATSAPP_GATEWAY /
# BALAI_EMAIL_INBOUND (outside production a secret derived from SECRET_KEY is used when none is set).
# BALAI_EMAIL_INBOUND='{"inbound_secret": "...", "reply_address": "balas+{code}@balai.example.id",
# "default_category": "LAYANAN"}'. Rate limit per sender: [[window seconds, messages], ...].
BALAI_EMAIL_INBOUND = json.loads(env_str("BALAI_EMAIL_INBOUND") or "null")
BALAI_CHANNELS_RATE_LIMITS = json.loads(env_str("BALAI_CHANNELS_RATE_LIMITS") or "[[600, 10], [86400, 60]]")

# A citizen may reopen a closed case within this many working days of its closure.
BALAI_REOPEN_DAYS = env_int("BALAI_REOPEN_DAYS", 10)
