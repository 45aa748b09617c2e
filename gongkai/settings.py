"""Django settings for Gongkai, read from the environment.

Defaults are safe for one machine (SQLite under var/). `make run` runs like production:
DEBUG off, a secret key generated once into var/secret_key (read here when SECRET_KEY is
unset), ALLOWED_HOSTS=127.0.0.1,localhost. Production (DEBUG off) refuses to start with
the development key or an empty ALLOWED_HOSTS; see gongkai/core/checks.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GONGKAI_VAR_DIR", BASE_DIR / "var"))

DEV_SECRET_KEY = "gongkai-development-key-do-not-use-in-production"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _read_secret_key(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeError):
        return ""


DEBUG = _bool("DEBUG", True)
SECRET_KEY_FILE = VAR_DIR / "secret_key"  # written by `python -m gongkai.core.secretkey` (make run)
SECRET_KEY = os.environ.get("SECRET_KEY") or _read_secret_key(SECRET_KEY_FILE) or DEV_SECRET_KEY
# Key of personal data at rest (gongkai.core.crypto): the environment, else the file
# GONGKAI_FIELD_KEY_FILE (default var/field.key, written by `make demo` on first run).
_FIELD_KEY_FILE = Path(os.environ.get("GONGKAI_FIELD_KEY_FILE", VAR_DIR / "field.key"))
GONGKAI_FIELD_KEY = os.environ.get("GONGKAI_FIELD_KEY") or (
    _FIELD_KEY_FILE.read_text().strip() if _FIELD_KEY_FILE.is_file() else "")
ALLOWED_HOSTS = _list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = _list("CSRF_TRUSTED_ORIGINS", "")
# Reverse proxies whose X-Forwarded-For is believed (addresses or CIDRs, comma-separated).
# None by default; with the shipped deploy/nginx.conf on the same machine: TRUSTED_PROXIES=127.0.0.1.
# See gongkai/core/clientip.py.
TRUSTED_PROXIES = _list("TRUSTED_PROXIES", "")

INSTALLED_APPS = [
    "django_prometheus",  # request latency and counts for /metrics (gongkai/core/metrics.py)
    # Gongkai apps
    "gongkai.core",
    "gongkai.audit",
    "gongkai.agencies",
    "gongkai.accounts",
    "gongkai.calendars",
    "gongkai.portal",
    "gongkai.interaction",
    "gongkai.applications",
    "gongkai.annualreport",
    "gongkai.inspection",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Security
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Background work
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gongkai.portal.mounts.MountMiddleware",
    "gongkai.core.request_guard.RequestGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "gongkai.accounts.middleware.RequireTwoFactorMiddleware",
    "gongkai.agencies.admin_guard.AdminAgencyGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gongkai.core.redirects.PublicRedirectMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "gongkai.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gongkai" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "gongkai.wsgi.application"

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'gongkai.sqlite3'}"
try:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")))
    }
except ValueError as exc:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"DATABASE_URL 无法识别（{exc}）。示例：postgres://用户@127.0.0.1:5432/库名 或 sqlite:////绝对路径/gongkai.sqlite3"
    ) from None
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    # Every transaction takes the write lock when it begins, so concurrent requests wait their turn (up to
    # the timeout). SQLite's default (deferred) lets two transactions that both read and then write fail at
    # once with "database is locked", whatever the timeout: seen in a live-server browser test under load.
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "gongkai.accounts.validators.CharacterClassValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文")]
# Wagtail 8 autosaves the editor every 0.5 s, the page-creation form included: an autosave still
# in flight when the editor clicks 提交审核 posts a second creation of the same page, which ends in
# a slug clash (a server error, the page left out of the workflow; seen in CI). Off by default;
# GONGKAI_AUTOSAVE_MS=<milliseconds> turns it on.
WAGTAIL_AUTOSAVE_INTERVAL = int(os.environ.get("GONGKAI_AUTOSAVE_MS", "0"))

# Website self-inspection (gongkai.inspection): the availability probe's interval (0 = off), the
# probe's base URL when the sites are not reachable by their own host names (e.g. http://127.0.0.1:8000,
# the Host header then names the site), external link checking, and a province's 考核细则 file.
GONGKAI_PROBE_EVERY_MINUTES = int(os.environ.get("GONGKAI_PROBE_EVERY_MINUTES", "30"))
GONGKAI_PROBE_BASE_URL = os.environ.get("GONGKAI_PROBE_BASE_URL", "")
GONGKAI_CHECK_EXTERNAL_LINKS = os.environ.get("GONGKAI_CHECK_EXTERNAL_LINKS", "") in ("1", "true", "yes")
GONGKAI_INSPECTION_RULES = os.environ.get("GONGKAI_INSPECTION_RULES", "")
# The demo crawls its two sites when it loads, so that 网站自查 shows the planted dead link at once
# (a few seconds; the test suite, which loads the demo often, turns it off where it does not look).
GONGKAI_DEMO_CRAWL = os.environ.get("GONGKAI_DEMO_CRAWL", "1") not in ("0", "false", "no")
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "gongkai" / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
# Files every site answers at its root (/favicon.ico), served by WhiteNoise.
WHITENOISE_ROOT = Path(__file__).resolve().parent / "portal" / "root"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
PUBLISH_ROOT = Path(os.environ.get("PUBLISH_ROOT", VAR_DIR / "publish"))
# Addresses that may read /metrics (Prometheus); everyone else gets 404.
METRICS_ALLOWED = [a.strip() for a in os.environ.get("GONGKAI_METRICS_ALLOWED", "127.0.0.1,::1").split(",") if a.strip()]
# A failed static publication is tried again after this many seconds, then twice as long, then shown as 发布失败.
PUBLISH_RETRY_SECONDS = float(os.environ.get("GONGKAI_PUBLISH_RETRY_SECONDS", "30"))

# Redaction (gongkai.core.redaction): limits on what is accepted, and OCR of scanned pages.
REDACTION_MAX_PAGES = int(os.environ.get("GONGKAI_REDACTION_MAX_PAGES", "300"))
REDACTION_MAX_BYTES = int(os.environ.get("GONGKAI_REDACTION_MAX_BYTES", str(200 * 1024 * 1024)))
REDACTION_ZIP_MAX_BYTES = int(os.environ.get("GONGKAI_REDACTION_ZIP_MAX_BYTES", str(200 * 1024 * 1024)))
REDACTION_ZIP_MAX_RATIO = int(os.environ.get("GONGKAI_REDACTION_ZIP_MAX_RATIO", "100"))
REDACTION_ZIP_MAX_ENTRIES = int(os.environ.get("GONGKAI_REDACTION_ZIP_MAX_ENTRIES", "10000"))
REDACTION_IMAGE_MAX_PIXELS = int(os.environ.get("GONGKAI_REDACTION_IMAGE_MAX_PIXELS", "100000000"))
REDACTION_CONVERT_TIMEOUT = int(os.environ.get("GONGKAI_REDACTION_CONVERT_TIMEOUT", "180"))
REDACTION_OCR_LANGS = os.environ.get("GONGKAI_REDACTION_OCR_LANGS", "chi_sim")
REDACTION_OCR_DPI = int(os.environ.get("GONGKAI_REDACTION_OCR_DPI", "200"))

# Background work goes through Django's Tasks API (the django-tasks backport). GONGKAI_TASKS
# picks the engine: "database" (default: jobs wait in the database until a worker —
# `manage.py gongkai_worker`, started by `make run` — takes them; no other service needed),
# "celery" (production with many workers: jobs go through RabbitMQ or Redis, named by
# GONGKAI_CELERY_BROKER; the same `manage.py gongkai_worker` starts a Celery worker) or
# "immediate" (the job runs at once in the process that asks for it; the test suite).
TASK_ENGINES = {
    "database": "django_tasks_db.DatabaseBackend",
    "celery": "gongkai.core.celery_engine.CeleryBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
GONGKAI_TASKS = os.environ.get("GONGKAI_TASKS", "database")
if GONGKAI_TASKS not in TASK_ENGINES:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"GONGKAI_TASKS={GONGKAI_TASKS!r} 不是可用的后台任务引擎，请设为 {' 或 '.join(TASK_ENGINES)}。")
CELERY_BROKER_URL = os.environ.get("GONGKAI_CELERY_BROKER", "amqp://guest:guest@127.0.0.1:5672//")
CELERY_QUEUE = os.environ.get("GONGKAI_CELERY_QUEUE", "gongkai")
# Redis broker only: a job taken by a worker that died is given to another after this many seconds.
CELERY_VISIBILITY_TIMEOUT = int(os.environ.get("GONGKAI_CELERY_VISIBILITY_TIMEOUT", "3600"))
TASKS = {"default": {"BACKEND": TASK_ENGINES[GONGKAI_TASKS]}}
# Workers write a heartbeat this often; one silent for three beats is gone (its jobs run again).
WORKER_BEAT_SECONDS = float(os.environ.get("GONGKAI_WORKER_BEAT_SECONDS", "10"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Sessions: staff sessions expire after inactivity and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = _bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTP -> HTTPS redirection belongs to the TLS terminator in front of gunicorn (nginx or the
# agency's gateway); Django redirecting as well loops when that terminator speaks plain HTTP to
# nginx. Turn it on with SECURE_SSL_REDIRECT=1 when Django sees X-Forwarded-Proto reliably.
SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a commitment the owner of the whole domain makes by submitting it to the
    # browsers' preload list; an application setting cannot decide it for a government domain.
    "security.W021",
    # X_FRAME_OPTIONS stays SAMEORIGIN, not DENY: the Wagtail editor shows the page preview
    # in a same-origin iframe. Other sites still cannot frame us (CSP frame-ancestors 'self').
    "security.W019",
]
if not SECURE_SSL_REDIRECT:
    SILENCED_SYSTEM_CHECKS.append("security.W008")  # see SECURE_SSL_REDIRECT above

# Content-Security-Policy (django-csp) on every dynamic page, the admin included: nothing from
# another host, no inline script without this response's nonce. The policy and its reasons are
# in gongkai/core/cspconfig.py; published files get the same one from serving.py and nginx.
from gongkai.core.cspconfig import DIRECTIVES as _CSP_DIRECTIVES  # noqa: E402

CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}

LOGIN_URL = "/admin/login/"
WAGTAILADMIN_USER_LOGIN_FORM = "gongkai.accounts.forms.ChineseLoginForm"

# Login throttling (django-axes): lock a username+IP after 5 failures for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# The address axes locks is the real client's (X-Forwarded-For only from TRUSTED_PROXIES):
# behind nginx every citizen would otherwise share 127.0.0.1 and one attacker could lock any
# staff account. Locking username AND address means nobody can lock a colleague from elsewhere.
AXES_CLIENT_IP_CALLABLE = "gongkai.core.clientip.client_ip"
AXES_LOCKOUT_CALLABLE = "gongkai.accounts.views_admin.locked_out"

OTP_TOTP_ISSUER = "Gongkai 政府信息公开平台"

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "政府信息公开平台")
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
# No avatars from gravatar.com: it would send a hash of every staff e-mail abroad.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_DOCUMENT_FORM_BASE = "gongkai.portal.documents.CheckedDocumentForm"
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
GONGKAI_INDEX_NUMBER_PATTERN = os.environ.get("INDEX_NUMBER_PATTERN", "{credit_code}/{year}-{serial:05d}")
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "doc", "xls", "txt", "ofd", "wps", "zip"]
# Every document download passes Gongkai's gate (portal/documents.py, `before_serve_document`):
# never a redirect to, or a link straight into, MEDIA_ROOT.
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# Searches one address may make a minute on the public sites (/search/); beyond it the page asks to wait.
PORTAL_SEARCH_RATE_LIMIT = int(os.environ.get("GONGKAI_SEARCH_RATE_LIMIT", "120"))
# 《条例》第四十四条 (依申请转主动): a group of cases asking for the same information is shown when this many
# distinct applicants asked for it, cases of the last N months are compared, texts at this similarity (Dice of
# character bigrams, gongkai/law/sameinfo.py) count as the same. Lookups of already-published items while a
# citizen types on /apply/: per address and minute.
SAME_INFO_MIN_APPLICANTS = int(os.environ.get("GONGKAI_SAME_INFO_MIN_APPLICANTS", "3"))
SAME_INFO_MONTHS = int(os.environ.get("GONGKAI_SAME_INFO_MONTHS", "36"))
SAME_INFO_THRESHOLD = float(os.environ.get("GONGKAI_SAME_INFO_THRESHOLD", "0.6"))
APPLY_PUBLISHED_RATE_LIMIT = int(os.environ.get("GONGKAI_APPLY_PUBLISHED_RATE_LIMIT", "60"))

# The database cache is shared by every gunicorn worker (rate limits count across them).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "gongkai_cache",
    }
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "gongkai@localhost")

# Audit events are kept at least 180 days (GB/T 22239-2019 8.1.4.3; 《网络安全法》第二十一条);
# `gongkai audit purge` refuses younger ones, and the PostgreSQL trigger refuses them too.
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", str(365 * 3)))
if AUDIT_RETENTION_DAYS < 180:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"AUDIT_RETENTION_DAYS={AUDIT_RETENTION_DAYS} 过短：审计记录至少保存 180 天（等保三级要求），请设为 180 或更大。")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Release package and electronic delivery of 依申请公开 (gongkai/applications/release.py, docs/release.md):
# upload limit, days after the decision during which the applicant may download from the status
# page, lifetime of a signed download link.
RELEASE_MAX_UPLOAD_MB = int(os.environ.get("GONGKAI_RELEASE_MAX_UPLOAD_MB", "50"))
RELEASE_ONLINE_DAYS = int(os.environ.get("GONGKAI_RELEASE_ONLINE_DAYS", "30"))
RELEASE_LINK_SECONDS = int(os.environ.get("GONGKAI_RELEASE_LINK_SECONDS", "600"))
