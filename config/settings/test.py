"""Test settings: fast hashing, in-memory mail, plain static storage."""

import os

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"  # noqa: S105 - never used outside the test suite
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Tasks run at once, after the transaction that enqueues them commits (see notices.services);
# the tests of the worker switch to the database queue themselves.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
if not os.environ.get("DATABASE_URL"):
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}  # noqa: F405

# Serve static files from the apps and packages directly; no collectstatic in tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# A real OpenID Connect provider for the single sign-on tests (django-oauth-toolkit, a test-only
# dependency), mounted by tests.urls under /test-oidc/; never part of the running site.
INSTALLED_APPS += ["oauth2_provider"]  # noqa: F405
ROOT_URLCONF = "tests.urls"


def _signing_key() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return pem.decode()


OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": _signing_key(),
    "OAUTH2_VALIDATOR_CLASS": "tests.signin.provider.DirectoryValidator",
    "SCOPES": {"openid": "OpenID Connect", "profile": "Name", "email": "Email address"},
}
