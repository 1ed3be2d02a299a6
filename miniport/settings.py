"""Settings come from the environment; the defaults give a working local platform.

SQLite file under var/ unless DATABASE_URL is set; local-memory cache unless
REDIS_URL is set; mail written as files under var/mail/ unless EMAIL_URL is set.
"""

import logging
import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MINIPORT_VAR_DIR", BASE_DIR / "var"))
# The SQLite file, mail and SMS folders live here; make sure it exists.
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("MINIPORT_DEBUG", False)


def _local_secrets(path: Path) -> dict[str, str]:
    """A local platform's own random secrets, made once into var/secrets.json (mode 0600).

    Every secret below is read from the environment first; this file only stands in
    for the ones a developer's machine does not set, so no two installs share a key and
    no key is written in the repository. `miniport serve` refuses a non-loopback address
    while any secret still comes from here (miniport.cli.serve)."""
    import json
    import secrets as random

    known: dict[str, str]  # read below; the ID key's default looks into it
    wanted = {
        "SECRET_KEY": lambda: random.token_urlsafe(50),
        "MINIPORT_DIGEST_KEY": lambda: random.token_urlsafe(32),
        "MINIPORT_AUDIT_KEY": lambda: random.token_urlsafe(32),
        "MINIPORT_DATA_KEYS": lambda: "k1:" + random.token_urlsafe(32),
        # openids and unionids were keyed by SECRET_KEY before this key existed: an
        # existing file (an upgrade) takes the SECRET_KEY then in effect, the environment's
        # or else its own, so those ids stay the same; a fresh install gets its own key.
        "MINIPORT_ID_KEY": lambda: (
            ((os.environ.get("SECRET_KEY") or known.get("SECRET_KEY")) if known else None)
            or random.token_urlsafe(32)
        ),
    }
    try:
        known = json.loads(path.read_text())
    except (OSError, ValueError):
        known = {}
    missing = {name: make() for name, make in wanted.items() if not known.get(name)}
    if missing:
        known.update(missing)
        fresh = path.with_suffix(f".{os.getpid()}.tmp")
        descriptor = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            json.dump(known, handle, indent=2)
        try:
            if path.exists():  # a newer release added a secret to an existing file
                os.replace(fresh, path)
            else:
                os.link(fresh, path)  # first writer wins; a racing process reads the winner
        except FileExistsError:
            known = json.loads(path.read_text())
        finally:
            fresh.unlink(missing_ok=True)
    return known


_LOCAL_SECRETS = _local_secrets(VAR_DIR / "secrets.json")
# Which secrets the environment did not set (they come from var/secrets.json).
SECRETS_FROM_LOCAL_FILE = sorted(name for name in _LOCAL_SECRETS if not os.environ.get(name))


def _secret(name: str) -> str:
    return os.environ.get(name) or _LOCAL_SECRETS[name]


# The web secret: sessions, CSRF, signed cookies. Rotating it logs everyone out and
# nothing else (the keys below are separate on purpose).
SECRET_KEY = _secret("SECRET_KEY")
# Keyed digests used for lookups (AppSecret and token digests, ID-number and phone
# digests). Never rotates: every stored digest depends on it. An install upgraded from
# digests made with SECRET_KEY sets MINIPORT_DIGEST_KEY to that old SECRET_KEY.
DIGEST_KEY = _secret("MINIPORT_DIGEST_KEY")
# The key every openid and unionid derives from (miniport.identities.selectors). Never
# rotates: changing it changes every user's id in every app. Installs whose openids were
# keyed by SECRET_KEY keep them: var/secrets.json gets the SECRET_KEY it holds; a
# deployment configured by the environment sets MINIPORT_ID_KEY to its old SECRET_KEY.
ID_KEY = _secret("MINIPORT_ID_KEY")
# The audit chain's HMAC key and checkpoint signing key (miniport.core.audit).
AUDIT_KEY = _secret("MINIPORT_AUDIT_KEY")
# Key-encryption keys for personal data and secrets at rest, "id:key,id:key": the first
# wraps new data keys, the others still open what they wrapped (`miniport keys rotate`).
DATA_KEYS = _secret("MINIPORT_DATA_KEYS")
# The test client's host is added by miniport.test_settings only.
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
# Base URL used in mails and QR codes, e.g. https://mp.example.com
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The super-app this platform serves, named wherever the pages tell people to scan or
# confirm with it; "WeChat" appears only where the page truly means WeChat (the
# compatible API). The logo is a static file path or URL; empty shows the name alone.
SUPERAPP_NAME = os.environ.get("MINIPORT_SUPERAPP_NAME", "")  # empty: 超级应用 / "Super App"
SUPERAPP_LOGO = os.environ.get("MINIPORT_SUPERAPP_LOGO", "")
# Demo mode enables one-click identity sign-in on the mobile pages.
DEMO_MODE = env_flag("MINIPORT_DEMO_MODE", False)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Django's own form templates, for the renderer below.
    "django.forms",
    "captcha",
    "django_htmx",
    "miniport.core",
    "miniport.identities",
    "miniport.review",
    "miniport.accounts",
    "miniport.miniprograms",
    "miniport.releases",
    "miniport.payments",
    "miniport.plugins",
    "miniport.links.open_platform",
    "miniport.links.official_accounts",
    "miniport.links.enterprise",
    "miniport.console",
    "miniport.ops",
    "miniport.mobile",
    "miniport.openapi",
    "miniport.runtime",
]

# The JSON surfaces whose `*_api.py` modules register routes with `miniport.web.api`.
API_PACKAGES = ("miniport.openapi", "miniport.runtime")

MIDDLEWARE = [
    # The APIs' paths leave here for the short chain of API_MIDDLEWARE (issue 14 item 1).
    "miniport.web.lean.LeanPathMiddleware",
    # Request line and body caps per route (miniport.web.limits), before anything reads.
    "miniport.web.middleware.RequestLimitsMiddleware",
    # A page's HEAD runs as its GET, the body dropped.
    "miniport.web.middleware.HeadAsGetMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "miniport.web.middleware.SessionIdleTimeoutMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "miniport.web.middleware.RequestOriginMiddleware",
]

# The request path of the JSON and XML APIs (miniport.web.lean.LEAN_PREFIXES): what an API
# call needs of the list above and nothing a browser page needs (sessions, sign-in, CSRF,
# language choice, messages, htmx, static files).
API_MIDDLEWARE = [
    "miniport.web.middleware.RequestLimitsMiddleware",
    # SecurityMiddleware's headers and redirect, the Host check, the default language,
    # X-Frame-Options, the CSP header and Content-Length.
    "miniport.web.api_gate.ApiGateMiddleware",
    "miniport.web.middleware.RequestOriginMiddleware",
]

# Forms and JSON bodies: the default body cap (miniport.web.limits); routes that take
# files have their own caps there. Uploaded files spool to disk past 1 MiB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

ROOT_URLCONF = "miniport.urls"
WSGI_APPLICATION = "miniport.wsgi.application"
AUTH_USER_MODEL = "accounts.Account"
LOGIN_URL = "/login/"

# Forms render through the project's templates, so its error list
# (templates/django/forms/errors/list/ul.html) applies to every form.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "miniport" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # A refusal begins a sentence on a page (miniport.web.sentences).
            "libraries": {"sentences": "miniport.web.sentences"},
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "miniport.web.context.platform",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'miniport.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let concurrent writers queue instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if env_flag("MINIPORT_SQLITE_NO_PERSIST") else 60
    if "TEST" not in DATABASES["default"]:
        DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-miniport.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A stalled Redis costs a request half a second, not a worker's whole timeout:
            # what reads the cache falls back to the database (core.policy).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if env_flag("MINIPORT_FAST_HASHES"):
    # Tests only: argon2 on every persona would dominate the suite's run time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A signed-in session lasts 12 hours at most and ends after 30 minutes without a
# request (miniport.web.middleware.SessionIdleTimeoutMiddleware); phone pages the same.
SESSION_COOKIE_AGE = int(os.environ.get("MINIPORT_SESSION_MAX_SECONDS", str(12 * 3600)))
SESSION_IDLE_SECONDS = int(os.environ.get("MINIPORT_SESSION_IDLE_SECONDS", str(30 * 60)))
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "miniport.web.errors.csrf_failure"
SECURE = env_flag("MINIPORT_SECURE", False)
# Reverse proxies in front of the server that append the caller to X-Forwarded-For
# (0: callers connect directly and REMOTE_ADDR is the caller). See core.origin.client_ip.
TRUSTED_PROXY_HOPS = int(os.environ.get("MINIPORT_TRUSTED_PROXY_HOPS", "0") or 0)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
# X-Forwarded-Proto is only believed from a proxy the operator declared: a caller that
# connects directly could otherwise claim https.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if SECURE and TRUSTED_PROXY_HOPS > 0 else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "miniport" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every start when it is missing
STATICFILES_DIRS = [BASE_DIR / "miniport" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Files (code packages, images) on an S3-compatible object store (AWS S3, MinIO, Ceph)
# through django-storages when MINIPORT_S3_BUCKET is set; the local folder otherwise.
# Credentials come the way boto3 reads them (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY,
# or the machine's role). Objects stay private: downloads of code packages redirect to
# presigned URLs valid for MINIPORT_S3_URL_EXPIRE seconds.
S3_BUCKET = os.environ.get("MINIPORT_S3_BUCKET", "")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("MINIPORT_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MINIPORT_S3_REGION") or None,
            "location": os.environ.get("MINIPORT_S3_PREFIX", ""),
            "addressing_style": os.environ.get("MINIPORT_S3_ADDRESSING_STYLE") or None,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": int(os.environ.get("MINIPORT_S3_URL_EXPIRE", "300") or 300),
            "file_overwrite": True,
        },
    }
# Code package downloads (the runtime's) redirect to a signed store URL when the storage
# offers one; off: the web process streams the bytes itself (a store the host app
# cannot reach).
PACKAGE_DOWNLOAD_REDIRECT = env_flag("MINIPORT_PACKAGE_DOWNLOAD_REDIRECT", True)
PACKAGE_URL_EXPIRE_SECONDS = int(os.environ.get("MINIPORT_S3_URL_EXPIRE", "300") or 300)

# Mail: files under var/mail unless EMAIL_URL (smtp://user:pass@host:port) is given.
EMAIL_URL = os.environ.get("EMAIL_URL")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Miniport <no-reply@miniport.local>")
if EMAIL_URL:
    _mail = urlparse(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _mail.hostname or "localhost"
    EMAIL_PORT = _mail.port or 25
    EMAIL_HOST_USER = unquote(_mail.username or "")
    EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
    EMAIL_USE_TLS = _mail.scheme == "smtp+tls"
    EMAIL_USE_SSL = _mail.scheme == "smtps"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")

# SMS: the carrier cannot exist here; the file backend writes each message under var/sms/.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "miniport.core.sms.FileSmsBackend")
SMS_FILE_PATH = str(VAR_DIR / "sms")

# Outbound calls (push URL checks, webhooks) to private or loopback targets are refused
# unless the operator allows them.
OUTBOUND_ALLOW_PRIVATE = env_flag("MINIPORT_OUTBOUND_ALLOW_PRIVATE", False)

# Background work (B-6): with CELERY_BROKER_URL (e.g. the REDIS_URL's Redis) deliveries
# are queued to Celery workers (`celery -A miniport.celery worker -B`); without one,
# `miniport worker` (started by `make run`) runs them on its thread pool.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
MINIPORT_DELIVERY_DISPATCHER = "miniport.celery.dispatch" if CELERY_BROKER_URL else ""

# Host apps (super-apps) allowed to call the runtime API, as "id:secret" pairs separated
# by commas: MINIPORT_HOST_APPS="superapp:<long random secret>". With none configured the
# runtime refuses every call that needs a host app.
RUNTIME_HOST_APPS = dict(
    pair.strip().split(":", 1)
    for pair in os.environ.get("MINIPORT_HOST_APPS", "").split(",")
    if ":" in pair
)

# The platform's receiving account for the corporate remittance (REG-6), shown to the
# registrant after the subject is submitted.
REMITTANCE_ACCOUNT_NAME = os.environ.get(
    "MINIPORT_REMITTANCE_ACCOUNT_NAME", "Miniport Platform Co., Ltd."
)
REMITTANCE_ACCOUNT_NUMBER = os.environ.get(
    "MINIPORT_REMITTANCE_ACCOUNT_NUMBER", "6222 0000 1234 5678 901"
)
REMITTANCE_BANK = os.environ.get(
    "MINIPORT_REMITTANCE_BANK", "Miniport Settlement Bank, Shenzhen Branch"
)

CAPTCHA_IMAGE_SIZE = (120, 40)
CAPTCHA_LENGTH = 4
CAPTCHA_TEST_MODE = env_flag("MINIPORT_CAPTCHA_TEST_MODE", False)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "script-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}


class _OneLineWarning(logging.Filter):
    """Django logs every refused Host header (django.security.DisallowedHost) as an
    ERROR with its traceback: thirty lines a request that anyone can send without a
    credential, a flood of the server's log. The refusal is expected and its traceback
    says nothing, but its one line does (the Host that was refused): when a name the
    platform is reached by is missing from ALLOWED_HOSTS, every call answers 40097 and
    this line is how an operator finds out. So it stays, as a WARNING without the
    traceback (and so never mailed to ADMINS, whose handler takes ERROR)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        return True


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_warning": {"()": _OneLineWarning}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.security.DisallowedHost": {"filters": ["one_line_warning"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
