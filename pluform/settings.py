"""Pluform settings: one module, configured by environment variables.

Without any environment (``make run``) it runs on embedded local defaults: SQLite, a
private media folder under var/, Celery tasks run eagerly, e-mail to the console and
a secret key and master key generated once into var/local-secrets.json.
With ``DJANGO_DEBUG=0`` it refuses to start unless real secrets are configured.
"""

import sys
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from pluform.env import env, envbool, envint, envlist
from pluform.local_secrets import load_or_create
from pluform.storage import local_storage, s3_storage

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env("PLUFORM_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("DJANGO_DEBUG", True)
TESTING = envbool("PLUFORM_TESTING", "pytest" in sys.modules)

if DEBUG:
    _local = load_or_create(VAR_DIR / "local-secrets.json")
    SECRET_KEY = env("SECRET_KEY") or _local["SECRET_KEY"]
    PLUFORM_MASTER_KEYS = env("PLUFORM_MASTER_KEYS") or _local["PLUFORM_MASTER_KEYS"]
    # Local defaults serve local names only: a server reachable under a real host name must
    # run with DJANGO_DEBUG=0 and its checks, never on these defaults by accident.
    if env("ALLOWED_HOSTS"):
        raise ImproperlyConfigured("ALLOWED_HOSTS is for production: set DJANGO_DEBUG=0 too.")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
else:
    SECRET_KEY = env("SECRET_KEY")
    PLUFORM_MASTER_KEYS = env("PLUFORM_MASTER_KEYS")
    ALLOWED_HOSTS = envlist("ALLOWED_HOSTS")
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured("Production needs SECRET_KEY (50+ random characters).")
    if not PLUFORM_MASTER_KEYS:
        raise ImproperlyConfigured("Production needs PLUFORM_MASTER_KEYS (id:base64key,...).")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Production needs ALLOWED_HOSTS.")
    # Rate limits (login, two-factor, password reset) count in the cache: every worker must
    # share it, or each counts on its own (system check pluform.E010 says the same).
    if not env("REDIS_URL"):
        raise ImproperlyConfigured("Production needs REDIS_URL (a cache all workers share).")

SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "pluform.apps.PluformConfig",
    "pluform.admin_site.PluformAdminConfig",
    "pluform.crypto",
    "pluform.notices",
    "accounts",
    "dialogue",
    "interventions",
    "toolbox",
    "dossier",
    "privacy",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "guardian",
    "csp",
]

MIDDLEWARE = [
    "pluform.logs.RequestIdMiddleware",
    "pluform.security_headers.SecurityHeadersMiddleware",
    "pluform.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # High up, so that redirects of the middleware below carry the policy too.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pluform.middleware.NoStoreForSignedInMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "accounts.middleware.ActivityMiddleware",
    "accounts.middleware.EnforceMFAMiddleware",
    "pluform.crypto.middleware.DataKeyCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "pluform.urls"
WSGI_APPLICATION = "pluform.wsgi.application"

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
                "django.template.context_processors.i18n",
                "dialogue.context_processors.unread",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if env("KEYS_DATABASE_URL"):
    DATABASES["keys"] = dj_database_url.parse(
        env("KEYS_DATABASE_URL"), conn_max_age=600, conn_health_checks=True
    )
DATABASE_ROUTERS = ["pluform.crypto.routers.DataKeyRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# Sessions: 12 hours absolute, 30 minutes idle (enforced by SessionLifetimeMiddleware).
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_IDLE_TIMEOUT = 30 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The language cookie like the session cookie (Secure in production, below).
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else ("django.contrib.sessions.backends.db")
)

# django-allauth
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
# Accounts exist by invitation only: a reset for an unknown address mails nobody (allauth would
# send an "unknown account" notice to any address typed in, on demand). The page is the same.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Before an e-mail, two-factor, export or erasure step the password is asked again, and only
# the password: a code mailed to the inbox (allauth's "send me a sign-in code") would let
# whoever reads the mailbox take the account over, and an authenticator code alone would let
# whoever holds the phone do the same in a session left open.
ACCOUNT_REAUTHENTICATION_METHODS = ("password",)
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Pluform] "
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,10/m/key,20/15m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
}
ALLAUTH_TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Pluform"
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
# The same forms, but a code used a moment ago is refused as used, not as incorrect.
MFA_FORMS = {
    "authenticate": "accounts.mfa_forms.AuthenticateForm",
    "reauthenticate": "accounts.mfa_forms.ReauthenticateForm",
}

# django-guardian: no anonymous user object; object permissions live in direct FK tables.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["pluform.formats"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Files never live under a public URL: the default storage is a private folder (or a
# private S3 bucket) and every download goes through a permission-checked view.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
_default_storage = (
    s3_storage(
        AWS_STORAGE_BUCKET_NAME,
        endpoint_url=env("AWS_S3_ENDPOINT_URL"),
        region_name=env("AWS_S3_REGION_NAME"),
    )
    if AWS_STORAGE_BUCKET_NAME
    else local_storage(MEDIA_ROOT)
)
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Larger uploads wait in a temporary file until they are checked and encrypted: in
# production that folder is a tmpfs (docker-compose.yml), so plaintext never reaches a disk.
FILE_UPLOAD_TEMP_DIR = env("FILE_UPLOAD_TEMP_DIR") or None
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# E-mail
EMAIL_HOST = env("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = envint("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    # The console backend would write every e-mail, addresses included, into the logs.
    EMAIL_BACKEND = env("EMAIL_BACKEND")
    if not EMAIL_BACKEND:
        raise ImproperlyConfigured("Production needs EMAIL_HOST (SMTP) or an EMAIL_BACKEND.")
    EMAIL_FILE_PATH = env("EMAIL_FILE_PATH")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Pluform <noreply@pluform.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: eager without a broker, Redis when configured.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Workers log through LOGGING below (JSON lines, scrubbed), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A task whose worker died is handed out again once this has passed without an ack: above
# the longest task (an export or key rotation of a large practice), or it would run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 4 * 3600),
    # How often a worker looks for such tasks: every interval x throttle seconds.
    "unacked_restore_interval": envint("CELERY_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": envint("CELERY_RESTORE_THROTTLE", 10),
}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {}
CELERY_BEAT_SCHEDULE["notices-daily-digest"] = {
    "task": "notices.queue_daily_digests",
    "schedule": crontab(hour=7, minute=30),
}
# Before the digest: what is due in two days, and series occurrences that open today.
CELERY_BEAT_SCHEDULE["interventions-daily-notices"] = {
    "task": "interventions.send_daily_notices",
    "schedule": crontab(hour=7, minute=0),
}
# The audit sequencer chains queued events; an event waits at most about this long.
PLUFORM_AUDIT_SEQUENCE_SECONDS = envint("AUDIT_SEQUENCE_SECONDS", 5)
CELERY_BEAT_SCHEDULE["privacy-sequence-audit"] = {
    "task": "privacy.sequence_audit",
    "schedule": PLUFORM_AUDIT_SEQUENCE_SECONDS,
    "options": {"expires": PLUFORM_AUDIT_SEQUENCE_SECONDS},
}
CELERY_BEAT_SCHEDULE["accounts-clear-expired-sessions"] = {
    "task": "accounts.clear_expired_sessions",
    "schedule": crontab(hour=3, minute=45),
}
CELERY_BEAT_SCHEDULE["accounts-purge-login-attempts"] = {
    "task": "accounts.purge_login_attempts",
    "schedule": crontab(hour=3, minute=15),
}
# Data-subject requests due in 7 and in 2 days: their holders are reminded.
# The retention purge, then anything an interrupted erasure left.
CELERY_BEAT_SCHEDULE["privacy-purge-expired"] = {
    "task": "privacy.purge_expired",
    "schedule": crontab(hour=2, minute=30),
}
CELERY_BEAT_SCHEDULE["privacy-finish-erasures"] = {
    "task": "privacy.finish_erasures",
    "schedule": crontab(minute="*/15"),
}
CELERY_BEAT_SCHEDULE["privacy-request-reminders"] = {
    "task": "privacy.send_request_reminders",
    "schedule": crontab(hour=6, minute=45),
}

# Security
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
    }
}

# Logging never carries content: only ids, counts and outcomes are logged.
# JSON lines with a request id, scrubbed of addresses and tokens (pluform/logs.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub": {"()": "pluform.logs.ScrubFilter"}},
    "formatters": {"json": {"()": "pluform.logs.JSONFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["scrub"]}
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # SQL with its parameters would put ciphertext and addresses into the log.
    "loggers": {"django.db.backends": {"level": "WARNING", "propagate": True}},
}

# Pluform
PLUFORM_SESSION_ACTIVITY_INTERVAL = 300
PLUFORM_INVITATION_DAYS = 7
# Login attempts serve IT monitoring only; they are kept no longer than this.
PLUFORM_LOGIN_ATTEMPT_RETENTION_DAYS = envint("LOGIN_ATTEMPT_RETENTION_DAYS", 365)
PLUFORM_NOTIFY_DELAY_MINUTES = envint("NOTIFY_DELAY_MINUTES", 10)
# Coachee data is kept two years after the last trajectory ended, coach data two years after
# the licence ended (regulation 1.2.6.7, 1.3.5.6); the person is told 30 days before.
PLUFORM_RETENTION_MONTHS = 24
PLUFORM_RETENTION_NOTICE_DAYS = 30
# A purge run stops before erasing anything when more than this share of all coaches and
# coachees would go at once, unless they are no more than a handful.
PLUFORM_PURGE_MAX_SHARE = envint("PURGE_MAX_SHARE_PERCENT", 10) / 100
PLUFORM_PURGE_ALWAYS_ALLOWED = envint("PURGE_ALWAYS_ALLOWED", 5)
PLUFORM_PURGE_BATCH_SIZE = 50
PLUFORM_UPLOAD_LIMITS = {
    "image": envint("UPLOAD_LIMIT_IMAGE_MB", 10) * 1024 * 1024,
    "document": envint("UPLOAD_LIMIT_DOCUMENT_MB", 25) * 1024 * 1024,
    "audio": envint("UPLOAD_LIMIT_AUDIO_MB", 100) * 1024 * 1024,
    "video": envint("UPLOAD_LIMIT_VIDEO_MB", 500) * 1024 * 1024,
}
PLUFORM_MAX_IMAGE_PIXELS = envint("MAX_IMAGE_PIXELS", 40_000_000)

if TESTING:
    # Threads of the live server and of the in-process Celery worker must not keep
    # connections open, or the test database cannot be dropped afterwards.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    WHITENOISE_AUTOREFRESH = True
    INSTALLED_APPS.append("tests.cryptoapp")
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://"
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
