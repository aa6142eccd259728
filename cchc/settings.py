"""Django settings. Everything a deployment changes comes from the environment (see README)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("CCHC_DATA_DIR", Path.cwd() / "data")).resolve()
PRODUCTION = env_flag("CCHC_PRODUCTION")
DEBUG = env_flag("CCHC_DEBUG", default=not PRODUCTION)
# The business date pinned (2026-03-15 or 15/03/2026) for a reproducible demo: cchc/today.py.
CCHC_TODAY = os.environ.get("CCHC_TODAY") or None


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated on first run and kept in the data dir."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

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
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "django_q",
    "cchc.history",
    "cchc.units",
    "cchc.accounts",
    "cchc.plans",
    "cchc.tracking",
    "cchc.reporting",
    "cchc.surveys",
    "cchc.par",
    "cchc.planning",
    "cchc.notifications",
    "cchc.ops",
    "cchc.front",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cchc.history.middleware.ChangeContextMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "cchc.urls"
WSGI_APPLICATION = "cchc.wsgi.application"

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
                "cchc.front.context_processors.navigation",
                "cchc.notifications.context_processors.unread",
                "cchc.accounts.sso.context",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'cchc.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while a writer (an import, the job worker) holds the database.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Django's own `vi` formats lack input formats and thousands grouping; ours fill them in.
FORMAT_MODULE_PATH = ["cchc.formats"]
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production WhiteNoise serves straight from the app's static folders: no collectstatic needed.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT")

# E-mail: SMTP when EMAIL_HOST is set, otherwise mails are written as files to DATA_DIR/mail.
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", default=True)
    EMAIL_USE_SSL = env_flag("EMAIL_USE_SSL")
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cchc@localhost")
# Absolute links in e-mails (reminders, digests).
SITE_URL = os.environ.get("CCHC_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": False,
    "EXCEPTION_HANDLER": "cchc.api_exceptions.handle_exception",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "cchc API",
    "DESCRIPTION": "Kế hoạch, nhiệm vụ và đơn vị cải cách hành chính.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a `kind` or `status`: give each choice set its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "UnitKindEnum": "cchc.units.models.UnitKind",
        "SuccessionKindEnum": "cchc.units.models.Succession.Kind",
        "MilestoneKindEnum": "cchc.plans.models.Milestone.Kind",
        "PlanStatusEnum": "cchc.plans.models.Plan.Status",
        "ObligationStatusEnum": "cchc.plans.models.STATUS_CHOICES",
        "NotificationKindEnum": "cchc.notifications.models.Kind",
        "PeriodKindEnum": "cchc.reporting.models.ReportingPeriod.Kind",
        "PeriodStatusEnum": "cchc.reporting.models.ReportingPeriod.Status",
        "SubmissionStatusEnum": "cchc.reporting.models.Submission.Status",
    },
}

Q_CLUSTER = {
    "name": "cchc",
    "orm": "default",
    "workers": int(os.environ.get("Q_WORKERS", "1")),
    "timeout": 600,
    "retry": 900,
    "catch_up": False,
    "cache": "cchc_q",  # cluster status shared between processes (the /healthz worker check)
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "cchc_q": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": DATA_DIR / "cache"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Security (issue 13; OWASP ASVS level 2): login throttling, passwords, sessions, headers. ---
INSTALLED_APPS.append("axes")
MIDDLEWARE.insert(1, "cchc.ops.middleware.RequestSizeLimitMiddleware")  # before anything reads the body
MIDDLEWARE += [
    "cchc.ops.middleware.DatabaseUnavailableMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]
AUTHENTICATION_BACKENDS.insert(0, "cchc.ops.security.ThrottledBackend")
# Five wrong passwords for one user name from one address lock that pair out for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("CCHC_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = int(os.environ.get("CCHC_LOCKOUT_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "ops/lockout.html"
AXES_CLIENT_IP_CALLABLE = "cchc.ops.security.client_ip"
AXES_VERBOSE = False
AUTH_PASSWORD_VALIDATORS[1] = {"NAME": "cchc.ops.security.MinimumLengthValidator", "OPTIONS": {"min_length": 10}}
AUTH_PASSWORD_VALIDATORS.append({"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"})
# A session lasts one working day at most and ends with the browser.
SESSION_COOKIE_AGE = int(os.environ.get("CCHC_SESSION_HOURS", "8")) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger uploads go to a temporary file, never to memory
# ... in DATA_DIR/scratch, where `cchc.scratch.sweep` finds what a killed process left behind.
FILE_UPLOAD_TEMP_DIR = str(DATA_DIR / "scratch")
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000  # the form-entry grid posts a few hundred cells
# Scripts come only from this origin: no inline scripts or handlers, no eval (htmx's allowEval is off
# in base.html, page data travels as json_script). Style *elements* are locked the same way; style
# *attributes* (computed widths and indents in templates) need 'unsafe-inline' in style-src-attr, and
# style-src keeps it only as the fallback for browsers without CSP level 3 (tests/web/test_csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "style-src-elem": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
if PRODUCTION:
    STORAGES["staticfiles"]["BACKEND"] = "cchc.ops.storage.StaticStorage"  # see cchc/ops/storage.py
    # Production sits behind TLS (nginx, see README): redirect plain HTTP, pin HTTPS for a year.
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's and the operator's loopback probe
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    # HSTS preload is a commitment made by submitting the domain, not something to switch on here.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Optional sign-in with the province's OpenID Connect directory: off unless OIDC_RP_CLIENT_ID is set.
from cchc.accounts import sso as _sso  # noqa: E402

_OIDC = _sso.oidc_settings(os.environ)
globals().update(_OIDC)
if _OIDC["CCHC_OIDC"]:
    AUTHENTICATION_BACKENDS.append(_sso.BACKEND)

# Optional sign-in against the province's LDAP directory: off unless CCHC_LDAP_URI is set (make setup-ldap).
_LDAP = _sso.ldap_settings(os.environ)
globals().update(_LDAP)
if _LDAP["CCHC_LDAP"]:
    AUTHENTICATION_BACKENDS.append(_sso.LDAP_BACKEND)
