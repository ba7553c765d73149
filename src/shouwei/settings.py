"""Settings, one file, read from the environment with local defaults (healthchecks' habit).

SHOUWEI_DATABASE_URL   postgres://user:pass@host:port/db  (default: SQLite in the data dir)
SHOUWEI_DATA_DIR       where the SQLite file, the secret key, uploads and import files live
SHOUWEI_SECRET_KEY     generated into the data dir when absent
SHOUWEI_DEBUG          1/true to enable debug pages (never in production)
SHOUWEI_ALLOWED_HOSTS  comma-separated host names
SHOUWEI_SESSION_IDLE_MINUTES  idle session timeout, default 30
SHOUWEI_MAX_SESSIONS   concurrent sessions per user (the oldest end beyond), default 3, 0: no limit
SHOUWEI_REAUTH_MINUTES minutes a re-entered password counts for admin work and exports, default 10
SHOUWEI_PORTAL_UNIT    code of the unit whose figures the portal's open data publish
SHOUWEI_REPLICA_URLS   comma-separated URLs of PostgreSQL hot standbys read by GET pages
SHOUWEI_REPLICA_LAG_NOTICE  seconds of replica lag after which a page says so, default 5
SHOUWEI_LIST_EXACT_COUNT_UP_TO  lists longer than this show PostgreSQL's estimate (约 N 条),
                       default 10000
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(
    os.environ.get("SHOUWEI_DATA_DIR")
    or Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "shouwei"
)
# The data directory holds unpublished statistics, the secret key and uploads: only the
# service's own account may read it. Files this process creates are 0600 and directories
# 0700 (the umask), and the directory and the SQLite file are put back to that on start.
os.umask(0o077)
DATA_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
for _private in (DATA_DIR, DATA_DIR / "shouwei.sqlite3"):
    try:
        if _private.exists() and _private.stat().st_uid == os.getuid():
            _private.chmod(0o700 if _private.is_dir() else 0o600)
    except OSError:  # a read-only mount: nothing to tighten there
        pass


def _secret_key() -> str:
    if key := os.environ.get("SHOUWEI_SECRET_KEY"):
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        # O_EXCL: two processes starting together must not write two different keys.
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
# Key rotation (docs/security.md): the previous keys, still accepted for what they signed.
SECRET_KEY_FALLBACKS = [
    k.strip() for k in os.environ.get("SHOUWEI_SECRET_KEY_FALLBACKS", "").split(",") if k.strip()
]
DEBUG = _env_bool("SHOUWEI_DEBUG")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("SHOUWEI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "shouwei.core.apps.AxesConfig",  # axes, named in Chinese in the admin
    "django_otp",
    "django_otp.plugins.otp_totp",  # the TOTP second factor (core.twofactor)
    "django_filters",
    "django_tables2",
    "django_tasks",
    "shouwei.core.apps.TasksDatabaseConfig",  # django_tasks_db, likewise
    # Its templates and static files let /api/docs serve Swagger UI locally, not from a CDN.
    "ninja",
    "shouwei.core",
    "shouwei.indicators",
    "shouwei.projects",
    "shouwei.investment",
    "shouwei.imports",
    "shouwei.api",
    "shouwei.demo",
    "django.contrib.sitemaps",
    "shouwei.portal",
    "shouwei.evaluation_web",
    "shouwei.enterprises",
    "shouwei.supervision",
    "shouwei.reports",
]

MIDDLEWARE = [
    "shouwei.core.middleware.RequestContextMiddleware",  # log lines carry address and user
    "django.middleware.security.SecurityMiddleware",
    "shouwei.core.middleware.SecurityHeadersMiddleware",
    "shouwei.core.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "shouwei.core.session_expiry.ThrottledSessionMiddleware",  # idle timeout, few writes
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "shouwei.core.user_sessions.UserSessionMiddleware",  # last seen of the user's sessions
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "shouwei.core.middleware.LoginRequiredMiddleware",
    "shouwei.core.middleware.PasswordChangeRequiredMiddleware",
    "shouwei.core.middleware.SecondFactorEnrolmentMiddleware",
    # axes last: it inspects the response of the login view.
    "axes.middleware.AxesMiddleware",
]

# SHOUWEI_SITE=portal: an instance serving only the public portal and its static files (the
# internet-facing deployment); the platform and the admin are not routed there at all.
SHOUWEI_SITE = os.environ.get("SHOUWEI_SITE", "platform").strip().lower()
ROOT_URLCONF = "shouwei.urls_portal" if SHOUWEI_SITE == "portal" else "shouwei.urls"
if SHOUWEI_SITE == "portal":
    # Nobody logs in or edits on the public instance: what only the platform needs (audit user,
    # login wall, lockout) would be a tenth of a cached page's CPU for nothing.
    _PLATFORM_ONLY = {
        "simple_history.middleware.HistoryRequestMiddleware",
        "shouwei.core.middleware.LoginRequiredMiddleware",
        "shouwei.core.middleware.PasswordChangeRequiredMiddleware",
        "shouwei.core.middleware.SecondFactorEnrolmentMiddleware",
        "shouwei.core.user_sessions.UserSessionMiddleware",
        "axes.middleware.AxesMiddleware",
    }
    MIDDLEWARE = [m for m in MIDDLEWARE if m not in _PLATFORM_ONLY]
    SILENCED_SYSTEM_CHECKS = ["axes.W002"]  # no login form to protect on this instance
WSGI_APPLICATION = "shouwei.wsgi.application"

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
                "shouwei.core.context_processors.navigation",
                "shouwei.core.context_processors.notifications",
                "shouwei.core.context_processors.demo_clock",
                "shouwei.core.replicas.lag_notice",
            ],
            "builtins": ["shouwei.core.templatetags.shouwei"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("SHOUWEI_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'shouwei.sqlite3'}",
        conn_max_age=int(os.environ.get("SHOUWEI_DB_CONN_MAX_AGE", "60")),
        # A kept connection is checked before a request uses it: after the database restarted,
        # the first request reconnects instead of failing on the dead connection.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker write while pages read; the timeout rides out short write locks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
    # Connections are kept (SHOUWEI_DB_CONN_MAX_AGE) as on PostgreSQL: opening one costs ~3 ms
    # of CPU (Django registers its SQL functions, SQLite parses the whole schema again), more
    # than a cached portal page takes to serve. An idle connection in autocommit holds no lock.
# Read replicas (core/replicas.py): hot standbys of the primary, comma-separated URLs. GET pages
# read from them, writes and a writer's next pages from the primary; PostgreSQL only.
REPLICA_URLS = [
    u.strip() for u in os.environ.get("SHOUWEI_REPLICA_URLS", "").split(",") if u.strip()
]
if REPLICA_URLS and DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    raise ImproperlyConfigured("SHOUWEI_REPLICA_URLS 需要 PostgreSQL 主库（SHOUWEI_DATABASE_URL）")
for _n, _url in enumerate(REPLICA_URLS, start=1):
    DATABASES[f"replica{_n}"] = dj_database_url.parse(
        _url,
        conn_max_age=int(os.environ.get("SHOUWEI_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    # Tests run against the primary's test database only.
    DATABASES[f"replica{_n}"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["shouwei.core.replicas.ReplicaRouter"] if REPLICA_URLS else []
if REPLICA_URLS:
    # First: the routing must be set before the session is read.
    MIDDLEWARE.insert(0, "shouwei.core.replicas.ReplicaMiddleware")
# A page read from a replica further behind than this many seconds says so.
SHOUWEI_REPLICA_LAG_NOTICE = float(os.environ.get("SHOUWEI_REPLICA_LAG_NOTICE", "5"))
# A list counts its rows exactly up to this many; past it PostgreSQL's planner estimates them
# (core.generic.pagination.ListPaginator), so that page 1 never counts 300,000 rows.
SHOUWEI_LIST_EXACT_COUNT_UP_TO = int(os.environ.get("SHOUWEI_LIST_EXACT_COUNT_UP_TO", "10000"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Password policy (core.passwords): length, three of four character classes, not one of the
# last five; SHOUWEI_PASSWORD_MAX_AGE_DAYS (0: off) asks for a new one after that long.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("SHOUWEI_PASSWORD_MIN_LENGTH", "12"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "shouwei.core.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {
        "NAME": "shouwei.core.passwords.NotReusedValidator",
        "OPTIONS": {"last": int(os.environ.get("SHOUWEI_PASSWORD_HISTORY", "5"))},
    },
]
SHOUWEI_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("SHOUWEI_PASSWORD_MAX_AGE_DAYS", "0"))
# Accounts with no login for this long are disabled by the daily job (superusers excepted).
SHOUWEI_ACCOUNT_INACTIVE_DAYS = int(os.environ.get("SHOUWEI_ACCOUNT_INACTIVE_DAYS", "90"))
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout: 5 failures for one user name from one address locks it for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Idle timeout: the session expires after this long without a request.
SESSION_COOKIE_AGE = int(os.environ.get("SHOUWEI_SESSION_IDLE_MINUTES", "30")) * 60
# Each save slides the expiry; an unchanged session is saved at most this often (seconds), not on
# every page (core.session_expiry): the timeout holds to within this interval.
SESSION_SAVE_EVERY_REQUEST = False
SHOUWEI_SESSION_SAVE_SECONDS = int(os.environ.get("SHOUWEI_SESSION_SAVE_SECONDS", "60"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
# At most this many sessions per person at once: a login beyond ends the oldest (0: no limit).
SHOUWEI_MAX_SESSIONS = int(os.environ.get("SHOUWEI_MAX_SESSIONS", "3"))
# The Django admin and exports of non-public data ask for the password again (and the code of
# the authenticator app) when the person last gave it longer ago than this (core.reauth).
SHOUWEI_REAUTH_MINUTES = int(os.environ.get("SHOUWEI_REAUTH_MINUTES", "10"))
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _env_bool("SHOUWEI_SECURE_COOKIES")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind TLS (SHOUWEI_SECURE_COOKIES=1): browsers are told to use HTTPS only, for a year. Django
# sends the header on secure requests only; behind a TLS-terminating proxy, trust its
# X-Forwarded-Proto when SHOUWEI_TRUST_PROXY_PROTO=1 so that requests are seen as secure.
SECURE_HSTS_SECONDS = 31536000 if _env_bool("SHOUWEI_SECURE_COOKIES") else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False  # a government domain's other hosts are not ours to pin
if _env_bool("SHOUWEI_TRUST_PROXY_PROTO"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# The package's own static tree (vendored assets, app.css) sits beside the apps, not in one.
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if _env_bool("SHOUWEI_COLLECTED_STATIC")
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without collectstatic (the demo, tests) WhiteNoise serves straight from the app directories.
WHITENOISE_USE_FINDERS = not _env_bool("SHOUWEI_COLLECTED_STATIC")
WHITENOISE_AUTOREFRESH = DEBUG
# collectstatic writes gzip and brotli copies (brotli: the `brotli` package) that WhiteNoise sends
# to browsers accepting them. Not of the CJK .ttf: 10 MB that only the server reads (PDFs, chart
# images) and that brotli takes over a minute to squeeze.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "ttf", "otf"]

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Alerts to operators (a tampered portal page, a failing job): besides the log and the in-app
# bell, optionally e-mail (comma-separated addresses; Django's EMAIL_* settings) and a webhook
# (DingTalk/WeCom/Feishu robot style JSON POST).
SHOUWEI_ALERT_EMAILS = [
    a.strip() for a in os.environ.get("SHOUWEI_ALERT_EMAILS", "").split(",") if a.strip()
]
SHOUWEI_ALERT_WEBHOOK_URL = os.environ.get("SHOUWEI_ALERT_WEBHOOK_URL", "")
EMAIL_HOST = os.environ.get("SHOUWEI_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("SHOUWEI_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("SHOUWEI_EMAIL_FROM", "shouwei@localhost")
# Overdue enterprise requests (诉求): besides the bell, e-mail the department head and then the
# responsible leader, to the address on their account, when this is on.
SHOUWEI_ESCALATION_EMAIL = _env_bool("SHOUWEI_ESCALATION_EMAIL")
# How often `shouwei worker` looks for due periodic jobs (seconds).
SHOUWEI_SCHEDULE_TICK_SECONDS = int(os.environ.get("SHOUWEI_SCHEDULE_TICK_SECONDS", "30"))

# Imports: uploads larger than this are refused before they are parsed.
SHOUWEI_IMPORT_MAX_BYTES = int(os.environ.get("SHOUWEI_IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))
SHOUWEI_IMPORT_MAX_ROWS = int(os.environ.get("SHOUWEI_IMPORT_MAX_ROWS", "200000"))
# Files with more data rows than this are validated and committed by the task worker.
SHOUWEI_IMPORT_INLINE_ROWS = int(os.environ.get("SHOUWEI_IMPORT_INLINE_ROWS", "2000"))
# A batch being validated or written by a process on another machine, with no progress for
# this long, counts as abandoned (a process on this machine is checked directly).
SHOUWEI_IMPORT_STALE_MINUTES = int(os.environ.get("SHOUWEI_IMPORT_STALE_MINUTES", "30"))
# The unit whose website the portal is (a unit code): its open data are that unit's approved
# figures. Unset, the portal takes the highest unit with published figures (portal.selectors).
SHOUWEI_PORTAL_UNIT = os.environ.get("SHOUWEI_PORTAL_UNIT", "").strip()
# Portal attachments (images, PDF, Word, Excel) larger than this are refused.
SHOUWEI_PORTAL_UPLOAD_MAX_BYTES = int(
    os.environ.get("SHOUWEI_PORTAL_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024))
)
# A request's attachment (诉求附件): a scanned licence or a PDF, not a video.
SHOUWEI_REQUEST_UPLOAD_MAX_BYTES = int(
    os.environ.get("SHOUWEI_REQUEST_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024))
)
# A supervision progress report's attachment (督查进展附件): a deliverable, minutes, photos.
SHOUWEI_SUPERVISION_UPLOAD_MAX_BYTES = int(
    os.environ.get("SHOUWEI_SUPERVISION_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024))
)
# Key-project progress photos larger than this are refused (a phone photo is 3–8 MB); those
# kept are shrunk to 1600 px and re-encoded.
SHOUWEI_PHOTO_UPLOAD_MAX_BYTES = int(
    os.environ.get("SHOUWEI_PHOTO_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024))
)
# Published portal pages are served from the cache (shouwei.portal.cache) for this long at most
# (their 浏览量 is as old as that); 0 renders every request. Home and channel pages: shorter.
SHOUWEI_PORTAL_CACHE_SECONDS = int(os.environ.get("SHOUWEI_PORTAL_CACHE_SECONDS", "300"))
# A person's cockpit blocks are kept until the next data write (core.data_version), and at most
# this long; 0 renders every request.
SHOUWEI_PERSON_CACHE_SECONDS = int(os.environ.get("SHOUWEI_PERSON_CACHE_SECONDS", "600"))
SHOUWEI_PORTAL_LIST_CACHE_SECONDS = int(os.environ.get("SHOUWEI_PORTAL_LIST_CACHE_SECONDS", "60"))


def _cache(url: str) -> dict:
    """SHOUWEI_CACHE_URL → a CACHES entry. locmem:// is one process's memory; every process
    that serves pages must share the others (see docs/operator-guide.md, "Cache")."""
    scheme, _, rest = url.partition("://")
    backends = {
        "locmem": "django.core.cache.backends.locmem.LocMemCache",
        "file": "django.core.cache.backends.filebased.FileBasedCache",
        "redis": "django.core.cache.backends.redis.RedisCache",
        "rediss": "django.core.cache.backends.redis.RedisCache",
        "memcached": "django.core.cache.backends.memcached.PyMemcacheCache",
        "dummy": "django.core.cache.backends.dummy.DummyCache",
    }
    if scheme not in backends:
        raise ValueError(f"SHOUWEI_CACHE_URL: unknown scheme {scheme!r} ({', '.join(backends)})")
    entry = {"BACKEND": backends[scheme], "KEY_PREFIX": "shouwei"}
    if scheme in ("redis", "rediss"):
        entry["LOCATION"] = url
    elif scheme == "memcached":
        entry["LOCATION"] = rest
    elif scheme == "file":
        entry["LOCATION"] = rest or str(DATA_DIR / "cache")
    if scheme in ("locmem", "file"):
        # View marks (one per visitor and article a day) are small and many; least recently
        # used entries go first, so the pages being read stay.
        entry["OPTIONS"] = {"MAX_ENTRIES": 20000}
    return entry


CACHES = {"default": _cache(os.environ.get("SHOUWEI_CACHE_URL", "locmem://"))}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-vcenter card-table table-striped"}

# Every line with its time; security lines and server errors with the source address and user
# too. django.request: every 500 with its traceback, with or without DEBUG (Django's own
# handler for it prints only when DEBUG is on).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "shouwei.core.logs.RequestFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "request": {
            "format": "%(asctime)s %(levelname)s %(name)s ip=%(ip)s user=%(user)s %(message)s"
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "request_console": {
            "class": "logging.StreamHandler",
            "formatter": "request",
            "filters": ["request"],
        },
        # The append-only security log table (core.models.SecurityEvent, /audit/security-log/).
        "security_table": {"class": "shouwei.core.logs.SecurityLogHandler"},
    },
    "loggers": {
        "shouwei": {"handlers": ["console"], "level": os.environ.get("SHOUWEI_LOG_LEVEL", "INFO")},
        "shouwei.security": {
            "handlers": ["request_console", "security_table"],
            "level": "INFO",
            "propagate": False,
        },
        "django.request": {"handlers": ["request_console"], "level": "ERROR", "propagate": False},
    },
}

# API tokens expire after this many days unless issued for fewer (never more than the maximum).
SHOUWEI_API_TOKEN_DAYS = int(os.environ.get("SHOUWEI_API_TOKEN_DAYS", "90"))
SHOUWEI_API_TOKEN_MAX_DAYS = int(os.environ.get("SHOUWEI_API_TOKEN_MAX_DAYS", "365"))
# API calls per caller and minute (429 beyond, with Retry-After).
SHOUWEI_API_RATE_PER_MINUTE = int(os.environ.get("SHOUWEI_API_RATE_PER_MINUTE", "600"))

# The security log table keeps this many days (等保2.0: at least six months).
# The second factor (core.twofactor): required for these roles (and superusers), optional for
# the others; the name authenticator apps show; how many recovery codes an enrolment gives.
SHOUWEI_2FA_REQUIRED_ROLES = ("admin", "statistician")
OTP_TOTP_ISSUER = "首位"
SHOUWEI_2FA_RECOVERY_CODES = 10
SHOUWEI_SECURITY_LOG_DAYS = int(os.environ.get("SHOUWEI_SECURITY_LOG_DAYS", "365"))

# Free text (notes, narratives, descriptions): at most this many characters.
SHOUWEI_TEXT_MAX_CHARS = int(os.environ.get("SHOUWEI_TEXT_MAX_CHARS", "2000"))

# Reported figures are refused for periods that have not begun; plans and targets may be set
# this many years ahead of the current one (next year's targets are set in the autumn).
SHOUWEI_PLAN_YEARS_AHEAD = int(os.environ.get("SHOUWEI_PLAN_YEARS_AHEAD", "1"))

# Key projects: behind plan when the completion rate trails the year's elapsed share by more.
SHOUWEI_PROJECT_BEHIND_MARGIN = os.environ.get("SHOUWEI_PROJECT_BEHIND_MARGIN", "0.10")
