"""Settings shared by every environment, read from environment variables."""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.csp import CSP

from config.observability import logging_config, start_error_reporting

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "bootstrap",
    "django_bootstrap5",
    "django_htmx",
    "django_tables2",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "signin",
    "district",
    "coaching",
    "service_menu",
    "cycles",
    "clusters",
    "notices",
    "documents",
    "django_tasks_db",
    "ninja",
    "api",
]

MIDDLEWARE = [
    # First, so every log line of the request carries its id (see config.observability).
    "config.observability.request_log_middleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "signin.middleware.SignInPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "district.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler starts on queries it guesses to be costly, such as a year of
    # requests grouped by unit, and spends 20-30 ms compiling for a query that runs in less:
    # a page's queries are never long enough to win that back.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "district.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Idle sessions expire: every request pushes the expiry forward.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Lockout after repeated failed sign-ins, lifted automatically after the cool-off.
# How many proxies in front of the app append to X-Forwarded-For (1 behind one TLS proxy).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "district.client_address.client_address"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "signin.forms.normalise_username"

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Mail goes to the console unless an SMTP host is configured.
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": int(os.environ.get("EMAIL_TIMEOUT", "30")),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Schoolward <no-reply@schoolward.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- Sign-in: email and password, single sign-on, two-factor codes (signin/, django-allauth) ---
# See the README's "Single sign-on and two-factor sign-in" for each variable.
SIGNIN_PASSWORDS = env_bool("PASSWORD_SIGN_IN", True)
SIGNIN_TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)


def _sso_app(provider_id: str, name: str, variables: str, server_url: str, **extra: object) -> list[dict]:
    """A provider when its <variables>_CLIENT_ID is set, in allauth's form."""
    client_id = os.environ.get(f"{variables}_CLIENT_ID", "")
    if not client_id:
        return []
    secret = os.environ.get(f"{variables}_CLIENT_SECRET", "")
    settings = {"server_url": server_url.rstrip("/"), **extra}
    return [{"provider_id": provider_id, "name": name, "client_id": client_id, "secret": secret, "settings": settings}]


_GOOGLE_DOMAIN = os.environ.get("SSO_GOOGLE_DOMAIN", "")
SSO_APPS = [
    *_sso_app(
        "google",
        "Google",
        "SSO_GOOGLE",
        "https://accounts.google.com",
        **({"auth_params": {"hd": _GOOGLE_DOMAIN}} if _GOOGLE_DOMAIN else {}),
    ),
    # The tenant's own issuer, never "common": tokens from other tenants must not verify.
    *_sso_app(
        "microsoft",
        "Microsoft",
        "SSO_ENTRA",
        f"https://login.microsoftonline.com/{os.environ.get('SSO_ENTRA_TENANT_ID', '')}/v2.0",
    ),
    *_sso_app(
        "district",
        os.environ.get("SSO_OIDC_NAME", "your district account"),
        "SSO_OIDC",
        os.environ.get("SSO_OIDC_SERVER_URL", ""),
    ),
]
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "provider_class": "signin.oidc.OpenIDConnectProvider",
        "OAUTH_PKCE_ENABLED": True,
        "APPS": SSO_APPS,
    }
}
# The sign-in buttons post to this site, which redirects to the provider: form-action must allow it.
SECURE_CSP["form-action"] = [
    CSP.SELF,
    *("{0.scheme}://{0.netloc}".format(urlsplit(app["settings"]["server_url"])) for app in SSO_APPS),
]
ACCOUNT_ADAPTER = "signin.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "signin.adapters.SocialAccountAdapter"
MFA_ADAPTER = "signin.adapters.MFAAdapter"
ACCOUNT_FORMS = {"login": "signin.forms.SignInForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]  # nobody signs up; this keeps the password field
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"  # emails come from the district's roster
ACCOUNT_SESSION_REMEMBER = False  # sessions end with the browser and after SESSION_IDLE_MINUTES
ACCOUNT_RATE_LIMITS = {
    # django-axes locks out repeated failed passwords; a limit per address would also stop a
    # whole school behind one address on a Monday morning.
    "login": "",
    # Counts wrong two-factor codes only (passwords are axes' job): five per person, then a wait.
    "login_failed": "5/5m/key",
}
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Schoolward"
MFA_TOTP_TOLERANCE = 1  # a code from the previous or next 30 seconds, for phones whose clocks drift
MFA_ALLOW_UNVERIFIED_EMAIL = True  # the roster vouches for every email address

DJANGO_TABLES2_TEMPLATE = "django_tables2/schoolward.html"
# Sort and page links swap the table region through htmx (hx-boost); links in the rows lead
# to other pages, so they must navigate normally rather than be swapped into the region.
DJANGO_TABLES2_TABLE_ATTRS = {
    "class": "table table-sm table-hover align-middle stack-on-phone",
    "tbody": {"hx-boost": "false"},
}

MESSAGE_TAGS = {40: "danger"}

# Request logs carry a request id; LOG_FORMAT=json writes one JSON object per line (see config.observability).
LOGGING = logging_config(
    level=os.environ.get("LOG_LEVEL", "INFO"), json_lines=os.environ.get("LOG_FORMAT", "text") == "json"
)
if os.environ.get("SENTRY_DSN"):
    start_error_reporting(os.environ["SENTRY_DSN"], environment=os.environ.get("SENTRY_ENVIRONMENT", ""))

# Background work (django.tasks) on a queue in the database, run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Email (notices/): tries per message, the wait after the first failure (doubling each time), batch size.
NOTICE_MAX_ATTEMPTS = int(os.environ.get("NOTICE_MAX_ATTEMPTS", "8"))
NOTICE_RETRY_SECONDS = float(os.environ.get("NOTICE_RETRY_SECONDS", "60"))
NOTICE_BATCH_SIZE = int(os.environ.get("NOTICE_BATCH_SIZE", "100"))
# /healthz fails when the oldest task ready to run has waited longer than this (workers down or behind).
HEALTH_MAX_QUEUE_LAG_SECONDS = int(os.environ.get("HEALTH_MAX_QUEUE_LAG_SECONDS", "900"))

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
COACHING_VISITS_PER_TERM = int(os.environ.get("COACHING_VISITS_PER_TERM", "6"))

# Anonymity thresholds for satisfaction results (see cycles.satisfaction.aggregates).
SATISFACTION_MIN_RESPONSES = int(os.environ.get("SATISFACTION_MIN_RESPONSES", "5"))
SATISFACTION_MIN_COMMENT_RESPONSES = int(os.environ.get("SATISFACTION_MIN_COMMENT_RESPONSES", "10"))

# The read API (see api/): requests allowed per token, e.g. 120/m, 5000/h.
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120/m")
