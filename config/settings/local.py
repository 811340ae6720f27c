"""Development settings: SQLite by default, debug on, mail to the console."""

import os

from .base import *  # noqa: F403

DEBUG = os.environ.get("DEBUG", "true").lower() in {"1", "true", "yes", "on"}
SECRET_KEY = os.environ.get("SECRET_KEY") or "local-development-only-not-secret"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The demo's executives and admins sign in with the shared password alone; anyone may still
# turn on two-factor sign-in from their Security page. Production keeps it required.
SIGNIN_TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", False)  # noqa: F405
