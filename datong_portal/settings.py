"""Settings for the Datong civilized-city portal.

One environment-driven file. With no environment at all it runs embedded: SQLite and a Celery broker on the
filesystem, both under ``var/``. ``DATABASE_URL`` switches to PostgreSQL, ``CELERY_BROKER_URL`` / ``REDIS_URL`` to
Redis. ``DJANGO_ENV=production`` turns on the deployment hardening and requires ``SECRET_KEY``.
"""

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from datong_portal.env import (
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_networks,
    env_str,
    redis_database_for_worker,
)
from datong_portal.ops.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

ENVIRONMENT = env_str("DJANGO_ENV", "development")
if ENVIRONMENT not in {"development", "test", "production"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"DJANGO_ENV={ENVIRONMENT!r}: use development, test or production")
PRODUCTION = ENVIRONMENT == "production"

SECRET_KEY = env_str("SECRET_KEY", required=PRODUCTION) or "dev-only-insecure-key-datong-portal-change-me"
DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The portal's own apps, ground floor first. Each says what it contributes (pages, API routes, menus, home panels,
# dashboard figures, sweeps, seed steps) in its AppConfig.ready() — campaigns/registry.py — and the portal visits
# the contributions in this order.
PORTAL_APPS = ["campaigns", "taskforces", "supervision", "inspections", "volunteers"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "simple_history",
    "django_prometheus",
    *PORTAL_APPS,
    "datong_portal.briefing",  # the monthly briefing: reads every app, like the dashboard; nothing reads from it
    "datong_portal.ops",  # health, metrics, logs, backup and restore
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",  # first and last: the whole request is timed
    "datong_portal.ops.logs.RequestLogMiddleware",  # a request id, and one log line per request
    "django.middleware.security.SecurityMiddleware",
    "campaigns.middleware.SecurityHeadersMiddleware",
    "campaigns.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "campaigns.middleware.SessionTimeoutMiddleware",
    # Edit history (campaigns/history.py) names the request's user; DRF's token sign-in reaches it as well.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

if PRODUCTION:
    # WhiteNoise serves the collected static files beside gunicorn; runserver and the test server serve them alone.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 2,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )

ROOT_URLCONF = "datong_portal.urls"
WSGI_APPLICATION = "datong_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "campaigns.context_processors.portal",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(env_str("DATABASE_URL", "sqlite:///var/db.sqlite3"), BASE_DIR)}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Several web machines and workers share PostgreSQL through a pooler: keep each connection for DATABASE_CONN_MAX_AGE
    # seconds (0: one per request); behind PgBouncer in transaction mode server-side cursors must be off.
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DATABASE_DISABLE_SERVER_SIDE_CURSORS", False)
# django-prometheus's engine wrappers count every query (django_db_execute_total); same databases, same SQL.
DATABASES["default"]["ENGINE"] = DATABASES["default"]["ENGINE"].replace(
    "django.db.backends.", "django_prometheus.db.backends."
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "campaigns.User"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    if ENVIRONMENT == "test" and os.environ.get("PYTEST_XDIST_WORKER", "").startswith("gw"):
        # Parallel test workers each get a Redis database of their own: a test's cache.clear() (FLUSHDB) must not
        # wipe the throttle counters of a test running beside it.
        CACHES["default"]["LOCATION"] = redis_database_for_worker(REDIS_URL, os.environ["PYTEST_XDIST_WORKER"])
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": VAR_DIR / "cache"}
    }
# The dashboard's figures kept in Redis until a write changes them (campaigns/figures.py); never without Redis.
FIGURES_CACHE = env_bool("FIGURES_CACHE", default=True)
# In production the sessions live in Redis beside the cache, so any web machine can answer any signed-in person.
# Elsewhere they stay in the database: the tests empty the cache between tests.
SESSION_ENGINE = env_str(
    "SESSION_ENGINE",
    "django.contrib.sessions.backends.cache" if PRODUCTION and REDIS_URL else "django.contrib.sessions.backends.db",
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if ENVIRONMENT == "test":
    # Hashing the demo accounts' passwords at full strength would dominate the suite's time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (campaigns/throttle.py): failures are counted per (username, address), per username and — at a
# much higher bound, since one address may be a whole office behind a proxy — per address; all cool off.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_USERNAME_FAILURE_LIMIT = env_int("LOGIN_USERNAME_FAILURE_LIMIT", 20)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 300)
LOGIN_COOLOFF_SECONDS = env_int("LOGIN_COOLOFF_SECONDS", 15 * 60)
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks); none by default.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES", [])

# The public rating link (volunteers/public_rating.py): how long a printed card's link lives, and the rate limits per
# address and per device ("count/period", period s, m, h or d: django-ratelimit's notation).
RATING_LINK_MAX_AGE_DAYS = env_int("RATING_LINK_MAX_AGE_DAYS", 366)
RATING_RATE_PER_ADDRESS = env_str("RATING_RATE_PER_ADDRESS", "30/h")
RATING_RATE_PER_DEVICE = env_str("RATING_RATE_PER_DEVICE", "10/h")

# Sessions end after 30 idle minutes and after 12 hours at most.
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文"))]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: uploads go through views that check who may see them
# Uploads: local disk by default (one machine, or MEDIA_ROOT on shared storage such as NFS); S3_BUCKET switches to an
# S3-compatible object store (MinIO, OSS, COS …) through django-storages, private, served only through the views.
S3_BUCKET = env_str("S3_BUCKET", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if not S3_BUCKET
    else {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("S3_PREFIX", "media"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "addressing_style": env_str("S3_ADDRESSING_STYLE", "path"),
        },
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Any request whose body is larger is refused with a 413 before it is read (campaigns.middleware.RequestSizeLimit…).
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", 50 * 1024 * 1024)
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 10 * 1024 * 1024)  # an .xlsx to import, before it is unpacked
UPLOAD_IMAGE_MAX_BYTES = env_int("UPLOAD_IMAGE_MAX_BYTES", 8 * 1024 * 1024)

# Security headers. The Content-Security-Policy is set by campaigns.middleware.SecurityHeadersMiddleware.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# The email outbox retries a row claimed but not marked sent (its sender died mid-send) after this many seconds.
NOTIFICATION_EMAIL_LEASE_SECONDS = env_int("NOTIFICATION_EMAIL_LEASE_SECONDS", 10 * 60)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "创城指挥部 <noreply@datong.example>")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes anonymous requests 401, not 403.
        "campaigns.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "campaigns.api.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # The browsable API without its forms (campaigns/api/renderers.py): no <select> of a whole city's people.
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "campaigns.api.renderers.ReadingBrowsableAPIRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "campaigns.api.filters.PortalFilterBackend",  # django-filter, no form when no filter is asked for
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "campaigns.api.pagination.PortalPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "campaigns.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "campaigns.api.errors.portal_exception_handler",
    "DATETIME_FORMAT": "iso-8601",
    "DEFAULT_THROTTLE_RATES": {"token": "10/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "大同市创建全国文明城市 工作平台 API",
    "DESCRIPTION": "REST API v1：组织、计划、任务、提示卡、周报月报、督办卡、点位测评、志愿服务。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Readable without signing in (client authors generate code from it; it holds no data). docs/openapi.yaml is
    # the same schema, committed; /api/docs/ stays behind the login.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a ``status``; name each choice set after its workflow.
    "ENUM_NAME_OVERRIDES": {
        "TaskStatusEnum": "campaigns.choices.TaskStatus",
        "ReportStatusEnum": "taskforces.choices.ReportStatus",
        "CardStatusEnum": "supervision.choices.CardStatus",
        "ExtensionStatusEnum": "supervision.choices.ExtensionStatus",
    },
}

# Celery. Embedded default: kombu's filesystem transport under var/, every folder set explicitly (PITFALLS).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
_BROKER_DIR = VAR_DIR / "celery"
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(_BROKER_DIR / "queue"),
        "data_folder_out": str(_BROKER_DIR / "queue"),
        "processed_folder": str(_BROKER_DIR / "processed"),
        "control_folder": str(_BROKER_DIR / "control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    # Redis redelivers a task not acknowledged within this time (a worker killed mid-task acknowledges nothing): ten
    # minutes, so a lost sweep runs again in minutes. Every task's hard time limit stays below it (see below), or a
    # task still running would be delivered a second time.
    else {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 10 * 60)}
)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 9 * 60  # below the visibility timeout
CELERY_TASK_SOFT_TIME_LIMIT = 8 * 60
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The email outbox runs every minute whatever the beat tables say (campaigns.tasks.send_pending_emails).
CELERY_BEAT_SCHEDULE = {
    "email-outbox": {"task": "campaigns.tasks.send_pending_emails", "schedule": 60.0, "options": {"expires": 55}}
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# The admin shows each record's history but cannot revert it: a revert would write past the services.
SIMPLE_HISTORY_REVERT_DISABLED = True

DEMO_PASSWORD = env_str("DEMO_PASSWORD", "Datong-2021")
# Lists longer than this export in the background (Celery) with a progress bar instead of at once.
EXPORT_INLINE_ROWS = env_int("EXPORT_INLINE_ROWS", 5000)
API_TOKEN_TTL_DAYS = env_int("API_TOKEN_TTL_DAYS", 30)

# Logs: one structured line per event, JSON in production (one per request, with a request id that the Celery tasks
# it starts carry too), readable lines at the desk. ID-card and mobile numbers are masked on every line.
LOG_FORMAT = env_str("LOG_FORMAT", "json" if PRODUCTION else "console")
if LOG_FORMAT not in {"json", "console"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: use json or console")
LOGGING = logging_config(level=env_str("LOG_LEVEL", "INFO"), json=LOG_FORMAT == "json")
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # the worker's lines go through the same formatter

# /healthz: which database alias it probes, how long it waits for a worker's answer, and how late the beat may be
# (django-celery-beat saves ``last_run_at`` every few minutes, so less than ten minutes would cry wolf).
HEALTHZ_DATABASE_ALIAS = env_str("HEALTHZ_DATABASE_ALIAS", "default")
HEALTHZ_WORKER_TIMEOUT_SECONDS = env_int("HEALTHZ_WORKER_TIMEOUT_SECONDS", 2)
HEALTHZ_BEAT_GRACE_SECONDS = env_int("HEALTHZ_BEAT_GRACE_SECONDS", 10 * 60)

# `manage.py backup` / `restore` (datong_portal/ops/backup.py). pg_dump and pg_restore must match the server's major
# version: PG_BIN_DIR names their folder (e.g. /usr/lib/postgresql/15/bin) when PATH has others.
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(VAR_DIR / "backups")))
BACKUP_KEEP = env_int("BACKUP_KEEP", 7)
PG_BIN_DIR = env_str("PG_BIN_DIR", "")

# /metrics (datong_portal/ops/metrics.py): addresses that may scrape directly (not through the proxy), and a bearer
# token that may scrape from anywhere. Default: this machine only.
METRICS_ALLOWED_IPS = env_networks("METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"])
METRICS_TOKEN = env_str("METRICS_TOKEN", "")

PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000")

# `manage.py benchmark` (datong_portal/ops/management/commands/benchmark.py) starts gunicorn with BENCH=1: only then
# is the bare view it measures against mounted at /ops/bench/bare/ (datong_portal/ops/bench.py). Off by default.
BENCH = env_bool("BENCH", False)
