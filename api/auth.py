"""Bearer-token authentication and a per-token rate limit for the read API."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from api.models import ApiToken, hash_token


def token_from(plain: str) -> ApiToken | None:
    """The usable token matching this secret, with its person; None for unknown, revoked or expired."""
    if not plain:
        return None
    return ApiToken.objects.usable().select_related("user").filter(token_hash=hash_token(plain)).first()


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``, and nothing else: no query string, no cookie.

    The header is never logged; an unknown, revoked or expired token gets 401.
    """

    def __call__(self, request: HttpRequest) -> ApiToken | None:
        scheme, _, plain = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        return self.authenticate(request, plain.strip())

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = token_from(token)
        if api_token is None:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        # Every rule and selector below reads request.user: the token's person.
        request.user = api_token.user
        return api_token


class TokenRateThrottle(SimpleRateThrottle):
    """At most ``API_RATE_LIMIT`` requests per token, counted in the cache."""

    scope = "api_token"

    def __init__(self) -> None:
        super().__init__(settings.API_RATE_LIMIT)

    def allow_request(self, request: HttpRequest) -> bool:
        # Read the rate on each request so a deployment (or a test) can change it.
        self.rate = settings.API_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token: Any = getattr(request, "auth", None)
        if not isinstance(token, ApiToken):
            return None
        return f"throttle_{self.scope}_{token.pk}"
