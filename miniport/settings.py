"""Settings come from the environment; the defaults give a working local platform.

SQLite file under var/ unless DATABASE_URL is set; local-memory cache unless
REDIS_URL is set; mail written as files under var/mail/ unless EMAIL_URL is set.
"""

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
# The development default is marked insecure, so `check --deploy` refuses it.
SECRET_KEY = os.environ.get(
    "SECRET_KEY", "django-insecure-miniport-local-development-key-change-me-in-production"
)
ALLOWED_HOSTS = [
    h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h
]
# Base URL used in mails and QR codes, e.g. https://mp.example.com
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Demo mode enables one-click identity sign-in on the mobile pages.
DEMO_MODE = env_flag("MINIPORT_DEMO_MODE", False)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "captcha",
    "django_htmx",
    "miniport.core",
    "miniport.identities",
    "miniport.review",
    "miniport.accounts",
    "miniport.miniprograms",
    "miniport.releases",
    "miniport.console",
    "miniport.ops",
    "miniport.mobile",
    "miniport.openapi",
    "miniport.runtime",
]

# The JSON surfaces whose `*_api.py` modules register routes with `miniport.web.api`.
API_PACKAGES = ("miniport.openapi", "miniport.runtime")

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
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "miniport.web.middleware.RequestOriginMiddleware",
]

ROOT_URLCONF = "miniport.urls"
WSGI_APPLICATION = "miniport.wsgi.application"
AUTH_USER_MODEL = "accounts.Account"
LOGIN_URL = "/login/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "miniport" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
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
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
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
CSRF_COOKIE_SAMESITE = "Lax"
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
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
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
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
