"""allauth's OpenID Connect provider, with a nonce bound to the session.

allauth checks the ``state`` of every callback and, with PKCE, binds the code to this browser;
it sends no ``nonce``. Here each redirect to the provider carries a fresh nonce, kept with the
state, and the adapter refuses an ID token that does not carry it back
(``signin.adapters.SocialAccountAdapter``), so a token minted for another sign-in is useless.
"""

from __future__ import annotations

import secrets
from typing import Any

import requests
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider as BaseProvider
from django.http import HttpRequest, HttpResponse

NONCE_STATE_KEY = "nonce"


class OpenIDConnectProvider(BaseProvider):
    # URLs and views stay allauth's own.
    package = "allauth.socialaccount.providers.openid_connect"

    def redirect(
        self, request: HttpRequest, process: Any, next_url: str | None = None, data: Any = None, **kwargs: Any
    ) -> HttpResponse:
        nonce = secrets.token_urlsafe(32)
        auth_params = kwargs.pop("auth_params", None)
        auth_params = dict(self.get_auth_params() if auth_params is None else auth_params)
        auth_params["nonce"] = nonce
        # Keyword arguments left over are stored in the state, beside the PKCE verifier.
        kwargs[NONCE_STATE_KEY] = nonce
        try:
            return super().redirect(request, process, next_url, data, auth_params=auth_params, **kwargs)
        except requests.RequestException as error:  # the provider's discovery document is out of reach
            return render_authentication_error(request, self, exception=error)
