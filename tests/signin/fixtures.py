"""Fixtures for signing in: the test OpenID Connect provider, and authenticator codes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils.csp import CSP
from oauth2_provider.models import Application
from pytest_django.fixtures import Settings

from district.models import User
from tests.signin import provider

PROVIDER_ID = "testidp"
PROVIDER_NAME = "District sign-in"
CLIENT_ID = "schoolward-tests"
CLIENT_SECRET = "a-client-secret-for-the-tests-only"


def totp_code(secret: str, *, step: int = 0) -> str:
    """The code an authenticator app shows now (``step`` periods of 30 seconds away), per RFC 6238."""
    key = base64.b32decode(secret, casefold=True)
    counter = int(time.time()) // 30 + step
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def wrong_code(secret: str) -> str:
    """A code no window the server accepts (now, and 30 seconds either side) would match."""
    valid = {totp_code(secret, step=step) for step in (-2, -1, 0, 1, 2)}
    return next(code for code in ("000000", "111111", "222222", "333333", "444444", "555555") if code not in valid)


@dataclass
class Enrolment:
    secret: str
    recovery_codes: list[str]


def enrol(person: User) -> Enrolment:
    """Turn on two-factor sign-in for a person, as the set-up page does."""
    secret = generate_totp_secret()
    TOTP.activate(person, secret)
    codes = RecoveryCodes.activate(person)
    return Enrolment(secret=secret, recovery_codes=codes.get_unused_codes())


@dataclass
class OidcProvider:
    base_url: str  # Schoolward, at localhost
    issuer: str  # the provider, at 127.0.0.1
    login_path: str

    def account(self, email: str, *, email_verified: bool = True) -> User:
        return provider.provider_account(email, email_verified=email_verified)


@pytest.fixture
def oidc_provider(live_server: object, settings: Settings) -> Iterator[OidcProvider]:
    """Schoolward with one single sign-on provider: django-oauth-toolkit, served by the live server."""
    base_url = str(live_server)
    issuer = base_url.replace("://localhost", "://127.0.0.1") + "/test-oidc"
    Application.objects.create(
        name="Schoolward",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=f"{base_url}/accounts/oidc/{PROVIDER_ID}/login/callback/",
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            **settings.SOCIALACCOUNT_PROVIDERS["openid_connect"],
            "APPS": [
                {
                    "provider_id": PROVIDER_ID,
                    "name": PROVIDER_NAME,
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {"server_url": issuer},
                }
            ],
        }
    }
    # As the settings do for each configured provider: the sign-in button may lead there.
    origin = issuer.removesuffix("/test-oidc")
    settings.SECURE_CSP = {**settings.SECURE_CSP, "form-action": [CSP.SELF, origin]}
    yield OidcProvider(base_url=base_url, issuer=issuer, login_path=f"/accounts/oidc/{PROVIDER_ID}/login/")
    provider.DIRECTORY.clear()
