"""Settings shared by every environment; each value comes from the environment.

Concrete modules (development, production, test) decide SECRET_KEY, DEBUG and
ALLOWED_HOSTS, which must never have a shared default.
"""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import (
    database_from_url,
    env_choice,
    env_decimal,
    env_int,
    env_str,
    redis_url,
    site_url,
    smtp_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "provinces",
    "programmes",
    "indicators",
    "reports",
    "reference",
    "progress",
    "exports",
    "api",
    "notifications",
    "axes",
    "csp",
]

MIDDLEWARE = [
    # First: the container's health check must not depend on the host or the scheme asked.
    "sxtd.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sxtd.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it answers a locked-out login with its own page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sxtd.urls"
WSGI_APPLICATION = "sxtd.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
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

DATABASES = {
    "default": database_from_url(
        "DATABASE_URL", env_str("DATABASE_URL", "sqlite:///db.sqlite3") or "", BASE_DIR
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Every script is a file this server serves (plotly.js vendored, charts.js, the API docs'
# bundles): no inline script, no eval, nothing from another host, so that an injected
# <script> in a figure's note or source cannot run. Styles may be inline because plotly.js
# and Redoc write their own; the API docs' Redoc reads the schema in a blob: worker.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "worker-src": [SELF, "blob:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password guessing: after LOGIN_FAILURE_LIMIT wrong passwords for one username from one
# address, that pair is refused for LOGIN_LOCKOUT_MINUTES. Locking the username alone would
# let anyone lock a colleague out from elsewhere; the address alone would lock a whole Sở
# behind one NAT. A successful login clears the count; the administrator can lift a lock
# under "Access attempts" in /admin/.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30, minimum=1))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.login_locked_out"
# Behind the TLS reverse proxy every request comes from the proxy's address: the client's is
# read from X-Forwarded-For, at the position the proxies in front wrote it (sxtd.client_ip).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "sxtd.client_ip.client_ip"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first: the ministry and the Sở Công Thương work in Vietnamese;
# English is offered beside it for partners.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# The second holds Vietnamese for the Django REST framework messages the API sends, which
# DRF's own catalogue leaves in English; makemessages writes only to the first.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "drf"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["sxtd.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")) or "")

EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_MB", 10, minimum=1) * 2**20
# Uploads above this stay on disk while Django reads them, not in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2**20
# The entry form sends nine fields and a file part (empty unless chosen) a line: Django's
# defaults, 1,000 fields and 100 files, refuse a unit reporting on more than 100 indicators
# with a bare 400. These still bound what one request may make the server parse.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DATA_UPLOAD_MAX_NUMBER_FILES = 1_000

# The spreadsheet import of yearly results (README, "Roles, reports and review"): the
# largest file, the most data rows, and how far an .xlsx (a zip) may expand when read.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_MB", 5, minimum=1) * 2**20
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 20000, minimum=1)
IMPORT_MAX_UNCOMPRESSED_BYTES = env_int("IMPORT_MAX_UNCOMPRESSED_MB", 50, minimum=1) * 2**20
IMPORT_BATCH_RETENTION_DAYS = env_int("IMPORT_BATCH_RETENTION_DAYS", 7, minimum=1)

REDIS_URL = redis_url("REDIS_URL")

if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Without a broker the tasks run in the calling process, so the embedded
# SQLite set-up needs no worker; with REDIS_URL they go to the real queue. The memory
# transport is named with a host: without one kombu warns on every eager task that it
# "reverts to localhost", which reads as if a broker were being looked for.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task past the soft limit is interrupted inside its code: a recompute run is recorded as
# failed and its transaction rolled back, which releases the lock. The hard limit kills the
# process, which records nothing, so it comes later. A national full run takes seconds.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 600, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 720, minimum=1)
if CELERY_TASK_SOFT_TIME_LIMIT >= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        f"CELERY_TASK_SOFT_TIME_LIMIT={CELERY_TASK_SOFT_TIME_LIMIT} is not below "
        f"CELERY_TASK_TIME_LIMIT={CELERY_TASK_TIME_LIMIT}: the soft limit must come first, "
        "or a run is killed without being recorded as failed."
    )

CELERY_BEAT_SCHEDULE = {
    # The whole table again every night, whatever the day's approvals touched.
    "recompute-progress-nightly": {
        "task": "progress.tasks.recompute_progress_nightly",
        "schedule": crontab(hour=2, minute=0),
    },
    # Uploaded spreadsheets are kept for their preview and confirmation, not for ever.
    "purge-import-batches-nightly": {
        "task": "reports.tasks.purge_import_batches",
        "schedule": crontab(hour=3, minute=0),
    },
    # Runs scheduled while the broker was down are queued again when it is back.
    "dispatch-pending-recomputes": {
        "task": "progress.tasks.dispatch_pending_recomputes",
        "schedule": 60.0,
    },
}
# Fail fast when the broker is down: the run is recorded as pending and dispatched later,
# so an approval must not wait for retries.
PROGRESS_PUBLISH_RETRY_POLICY = {
    "max_retries": env_int("PROGRESS_PUBLISH_RETRIES", 1),
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# A review step's mails are handed to the broker the same way: the step never waits longer
# for its mails than an approval for its recompute (notifications.services).
NOTIFICATION_PUBLISH_RETRY_POLICY = PROGRESS_PUBLISH_RETRY_POLICY
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}

# Mails of the review steps (notifications). Links in them are written from SITE_URL, since
# the worker that sends them has no request to read the host from. Without EMAIL_URL they
# are printed by the process that sends them (the worker, or the web process when tasks
# run in it), so that an install with no mail server still shows what would go out.
SITE_URL = site_url("SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env_str("EMAIL_FROM", "SXTD Tracker <sxtd@localhost>")
_smtp = smtp_url("EMAIL_URL")
if _smtp is None:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST, EMAIL_PORT = _smtp.host, _smtp.port
    EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = _smtp.user, _smtp.password
    EMAIL_USE_TLS, EMAIL_USE_SSL = _smtp.use_tls, _smtp.use_ssl
# Django waits for a silent mail server for ever by default: a worker would hang with it.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)

# Target-vs-actual thresholds (README, "How progress is computed").
PROGRESS_APPROXIMATE_TOLERANCE = env_decimal("PROGRESS_APPROXIMATE_TOLERANCE", Decimal("0.05"))
PROGRESS_ON_TRACK_RATIO = env_decimal("PROGRESS_ON_TRACK_RATIO", Decimal("0.95"))
PROGRESS_AT_RISK_RATIO = env_decimal("PROGRESS_AT_RISK_RATIO", Decimal("0.6"))
if PROGRESS_AT_RISK_RATIO > PROGRESS_ON_TRACK_RATIO:
    # Otherwise no pace would ever read "at risk": a silent change of every status.
    raise ImproperlyConfigured(
        f"PROGRESS_AT_RISK_RATIO={PROGRESS_AT_RISK_RATIO} is above "
        f"PROGRESS_ON_TRACK_RATIO={PROGRESS_ON_TRACK_RATIO}; the at-risk threshold must be "
        "the lower one."
    )

REST_FRAMEWORK = {
    # Token first: a script without credentials is answered 401 with
    # "WWW-Authenticate: Token"; a browser's session is still read, with its CSRF check.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": env_int("API_PAGE_SIZE", 100, minimum=1),
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    # `?format=csv` is ours (api.views.CsvListView), not DRF's renderer switch.
    "URL_FORMAT_OVERRIDE": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "SXTD Tracker API",
    "DESCRIPTION": (
        "Units, documents, indicators, targets, reported values, progress and reporting "
        "status of the National Action Programme on Sustainable Production and Consumption "
        "(QĐ 889/QĐ-TTg), and the officers' and reviewers' writes. Session (with CSRF) or "
        "`Authorization: Token <key>`; report writes need `If-Match` with the report's ETag."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # The server is offline: Swagger UI comes from drf-spectacular-sidecar, Redoc from our
    # copy of the sidecar's (templates/drf_spectacular/redoc.html).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Swagger UI would otherwise ask validator.swagger.io about the schema. Its highlighter
    # writes each colour inline, out of a stylesheet's reach: the default theme's numbers
    # are 3.5:1 on its grey; this one draws what JSON and the curl line hold (strings,
    # numbers, keywords) at 5.6:1 or more (WCAG AA asks 4.5), and only its red for HTML
    # tags and variables, which our answers do not have, at 4.46:1.
    "SWAGGER_UI_SETTINGS": {
        "validatorUrl": None,
        "deepLinking": True,
        "syntaxHighlight": {"theme": "tomorrow-night"},
    },
    "ENUM_NAME_OVERRIDES": {
        "ReportStatusEnum": "reports.models.Report.Status",
        "ProgressStatusEnum": "progress.models.Progress.Status",
        "QualifierEnum": "reports.models.ReportedValue.Qualifier",
        "QualitativeStatusEnum": "reports.models.ReportedValue.QualitativeStatus",
        # A status grid's cell and each report it expects: a report's status, or "none".
        "ReportingStatusEnum": "api.serializers.REPORTING_STATUS_CHOICES",
    },
}

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_choice("LOG_LEVEL", "INFO", LOG_LEVELS)},
    "loggers": {
        # Django's default configuration gives its loggers a console handler of their own
        # (with DEBUG on): with the root's, each line was printed twice.
        "django": {"handlers": [], "level": "INFO"},
        # django-axes logs every start and login at INFO; its warnings (each failed login,
        # each lock) are what an administrator needs.
        "axes": {"level": "WARNING"},
        # An eager task runs inside the command or request that queued it, which says the
        # outcome itself: Celery's "Task … succeeded" line broke into load_reference_data's
        # summary. Its failures are errors and still show; a worker keeps every line.
        **({"celery.app.trace": {"level": "WARNING"}} if CELERY_TASK_ALWAYS_EAGER else {}),
    },
}
