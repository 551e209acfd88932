"""Skill Tree settings, read from the environment.

With nothing set, the app runs in development: DEBUG on, an SQLite file beside manage.py.
Production sets DJANGO_DEBUG=0, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from redis.backoff import NoBackoff
from redis.retry import Retry

from skilltree.logs import json_logging
from skilltree.single_sign_on import providers_from_environment, sign_in_origins

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG=0 Skill Tree refuses to start on a "
            "default key: set DJANGO_SECRET_KEY to a long random string."
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.github",
    "allauth.mfa",
    "csp",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "outbox",
    "curriculum",
    "accounts",
    "assessments",
    "cohorts",
    "notices",
    "api",
]

MIDDLEWARE = [
    "skilltree.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "api.middleware.ApiMiddleware",
    "skilltree.middleware.RefuseNulBytesMiddleware",
    "pages.VisitorPagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.PrivateAnswersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.HtmxLoginRedirectMiddleware",
    "axes.middleware.AxesMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffSecondFactorMiddleware",
]

ROOT_URLCONF = "skilltree.urls"
WSGI_APPLICATION = "skilltree.wsgi.application"

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
                "cohorts.roles.role",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    # A database that does not answer fails a request (and /healthz) in seconds, not minutes.
    _connect_timeout = int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "5"))
    _options.setdefault("connect_timeout", _connect_timeout)
    _pool_size = int(os.environ.get("DJANGO_DB_POOL_MAX_SIZE", "0"))
    if _pool_size:
        # Django's psycopg pool: each gunicorn process shares up to this many open connections
        # among its threads. It replaces persistent connections, which must then be off.
        # Waiting for a pooled connection gives up as soon as connecting would; the pool checks
        # each connection before handing it out (conn_health_checks), so after a database
        # restart requests get fresh connections, not dead ones.
        _options["pool"] = {"min_size": 1, "max_size": _pool_size, "timeout": _connect_timeout}
        DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Behind PgBouncer in transaction mode, a server-side cursor (QuerySet.iterator()) cannot
    # outlive its transaction on one server connection: fetch whole results instead.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool(
        "DJANGO_DISABLE_SERVER_SIDE_CURSORS", False
    )

# The page cache (pages/__init__.py). "default" is each process's own memory: what is kept
# (visitors' pages, fragments of signed-in pages, curriculum reads) under keys holding the
# versions it was made at. "shared" holds those versions, which every process must agree on:
# Redis with REDIS_URL (the way for more than one server); otherwise Django's file cache in
# DJANGO_CACHE_DIR (by default in /dev/shm, memory, where there is one), which the processes of
# one server share: gunicorn's workers, manage.py commands. In development (DEBUG on: runserver,
# the tests) they stay in the one process's memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_DIR = os.environ.get("DJANGO_CACHE_DIR", "") or (
    ""
    if DEBUG
    else str(
        Path("/dev/shm" if os.access("/dev/shm", os.W_OK) else tempfile.gettempdir())
        / "skilltree-cache"
    )
)
# A version (and, with Redis, the session) is read on every page: a cache that is down or hangs
# must cost a page at most about 50 ms, and then the page is computed from the database (one try:
# redis-py retries three times by default).
REDIS_OPTIONS = {
    "socket_connect_timeout": 0.05,
    "socket_timeout": 0.05,
    "retry": Retry(NoBackoff(), 0),
}
# Tokens are tiny: one per learner and per cohort who changed anything, and one more. Culling
# one only makes it afresh, which moves its pages on.
SHARED_MAX_ENTRIES = 100_000
if REDIS_URL:
    SHARED_CACHE = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "skilltree",
        "OPTIONS": REDIS_OPTIONS,
    }
elif CACHE_DIR:
    SHARED_CACHE = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": CACHE_DIR,
        "OPTIONS": {"MAX_ENTRIES": SHARED_MAX_ENTRIES},
    }
else:
    SHARED_CACHE = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "shared",
        "OPTIONS": {"MAX_ENTRIES": SHARED_MAX_ENTRIES},
    }
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "this-process",
        # Pages and fragments are 5-80 KB: about 50 MB per process when full, oldest first out.
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
    "shared": SHARED_CACHE,
}
if REDIS_URL:
    # The sessions' copies (cached_db): any session the cache cannot give is read from the
    # database. A Redis down or hung costs a request at most about 50 ms (skilltree/sessions.py).
    CACHES["sessions"] = {
        "BACKEND": "skilltree.sessions.SessionsRedis",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "skilltree",
        "OPTIONS": REDIS_OPTIONS,
    }
elif CACHE_DIR:
    # One server's processes share the sessions' copies in files beside the versions: a session
    # signed out in one worker is deleted for all. Each file takes a page of memory in /dev/shm,
    # so at most 10,000 are kept (a third culled at random past it: those sessions
    # are read from the database again).
    CACHES["sessions"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(Path(CACHE_DIR) / "sessions"),
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    }
if "sessions" in CACHES:
    SESSION_CACHE_ALIAS = "sessions"

AUTH_USER_MODEL = "accounts.User"
# django-axes first (it refuses a locked-out log-in), then Django's ModelBackend (a username as
# typed; sessions made before django-allauth name it, and keep working), then allauth's, a
# ModelBackend that also takes an email or a username in another case.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "cohorts:landing"
# Self-serve cohorts: any signed-in user may start one unless the operator restricts it to the
# "Cohort leads" group (permission cohorts.lead_cohorts).
COHORTS_RESTRICTED_TO_GROUP = env_bool("DJANGO_COHORT_LEADS_GROUP_ONLY", False)
LOGOUT_REDIRECT_URL = "curriculum:home"

# Accounts (django-allauth). Log in with a username or an email. Email is verified by a link,
# and optional for logging in: accounts made before verification existed keep working, and
# mail goes only to verified addresses (accounts.models.UserQuerySet.with_verified_email).
# Sign-up answers the same whether or not the address is taken ("strict"): a second account may
# hold an address unverified, but only one account can verify it. A changed address is used
# once it is verified.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignUpEmailChoices"
ACCOUNT_FORMS = {"login": "accounts.login.LoginForm"}
# No "remember me" box: a session lasts SESSION_COOKIE_AGE, as before django-allauth.
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = "strict"
ACCOUNT_CHANGE_EMAIL = True
# A reset asked for an unknown address sends nothing (no mail to addresses nobody gave us).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_SIGNUP_REDIRECT_URL = "assessments:quick_audit"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
# One mechanism against password guessing: django-axes (below). allauth's own log-in limits are
# off; its limits on sign-up, reset and verification mails stay: at most one link mailed to an
# address every three minutes (the pages say so).
ACCOUNT_RATE_LIMITS = {"login": None, "login_failed": None, "confirm_email": "1/180s/key"}

# Single sign-on (django-allauth's socialaccount): OpenID Connect issuers, Google and GitHub, each
# only when the environment configures it (skilltree/single_sign_on.py, docs/deploy.md). Someone
# signing in this way for the first time gets an account of their own, unless the provider
# asserts their address verified and an account here has verified the same address: then they
# sign in to that account, which keeps the provider connected
# (accounts.adapter.SocialAccountAdapter.can_authenticate_by_email).
SOCIALACCOUNT_PROVIDERS = providers_from_environment(os.environ)
SOCIALACCOUNT_ADAPTER = "accounts.adapter.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
# Tokens are used once, to read who signed in; nothing is kept.
SOCIALACCOUNT_STORE_TOKENS = False

# A second factor (django-allauth's mfa): an authenticator app (TOTP) with recovery codes, and
# passkeys (WebAuthn), which also sign a person in without a password ("Use a passkey instead").
# Anyone may turn one on at /accounts/2fa/; staff must before the admin lets them in
# (accounts.middleware.StaffSecondFactorMiddleware). A log-in by password to an account with one
# asks for it next. Passkeys need a secure context: https, or http://localhost in development.
MFA_ADAPTER = "accounts.adapter.SecondFactorAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_FORMS = {"add_webauthn": "accounts.second_factor.AddPasskeyForm"}
MFA_TOTP_ISSUER = "Skill Tree"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# One way to write a date everywhere: "5 December 2026" (skilltree/formats/en/formats.py).
FORMAT_MODULE_PATH = "skilltree.formats"

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
# Without a timeout, an SMTP server that stops answering holds a web worker forever.
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Skill Tree <noreply@localhost>")
# Mail waits in the database until a worker (`manage.py mail_worker`) sends it (outbox/).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The site's address as people reach it: the links in emails are built on it.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000")

if not DEBUG:
    # Off only for `make demo`, served on plain http at 127.0.0.1.
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
if env_bool("DJANGO_BEHIND_PROXY", False):
    # Only behind a proxy that sets X-Forwarded-Proto itself and strips what clients send.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = env_bool("DJANGO_USE_X_FORWARDED_HOST", False)
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, read through a copy ("sessions" above: Redis, or one server's
# files) where there is one (cached_db): the database is asked only when the copy is missing.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if "sessions" in CACHES
    else "django.contrib.sessions.backends.db"
)
# htmx sends the token from the page (data-hx-headers on <body>), so no script needs to read the cookie.
CSRF_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Everything the pages load comes from this origin; no inline scripts or styles anywhere
# (htmx's indicator <style> is switched off by the htmx-config meta tag in base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        # "Continue with" a sign-in provider posts here and is sent on to the provider.
        "form-action": [SELF, *sign_in_origins(SOCIALACCOUNT_PROVIDERS)],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# Login throttling: after AXES_FAILURE_LIMIT failed log-ins for one username from one address,
# that pair is locked out until the cool-off passes or staff delete the attempt in the admin.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("DJANGO_AXES_COOLOFF_HOURS", "1")) or None
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# allauth's log-in form names its field "login" (a username or an email).
AXES_USERNAME_CALLABLE = "accounts.login.login_attempted_as"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429  # Too Many Requests, with the branded lockout page
AXES_VERBOSE = False
# The address a failed log-in is counted under: REMOTE_ADDR, or behind DJANGO_BEHIND_PROXY the
# client's as the proxies in front saw it (PROXY_COUNT, below); the API counts visitors by it too.
AXES_CLIENT_IP_CALLABLE = "accounts.login.client_address"

# One JSON object per line on stdout, for whatever collects the container's output.
LOGGING = json_logging(
    os.environ.get("DJANGO_LOG_LEVEL", "INFO"),
    # Django's own handlers would print request errors a second time (and to stderr).
    loggers={
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
)

# The API (/api/v1/, the api app): requests a token may make per window ("requests/seconds"),
# and a visitor (no token) per address; counted in the shared cache. Browsers on other origins
# may call it only from the origins listed (CORS; none by default).
API_RATE_LIMIT = os.environ.get("DJANGO_API_RATE_LIMIT", "600/60")
API_VISITOR_RATE_LIMIT = os.environ.get("DJANGO_API_VISITOR_RATE_LIMIT", "120/60")
API_CORS_ALLOWED_ORIGINS = env_list("DJANGO_API_CORS_ORIGINS")
# Behind DJANGO_BEHIND_PROXY, how many proxies stand in front, each adding the address it was
# reached from to X-Forwarded-For: a visitor's address is that many entries from its end (0:
# REMOTE_ADDR, and X-Forwarded-For is not read).
PROXY_COUNT = (
    int(os.environ.get("DJANGO_PROXY_COUNT", "1")) if env_bool("DJANGO_BEHIND_PROXY", False) else 0
)
