"""A real OpenID Connect provider for the tests: django-oauth-toolkit under /test-oidc/.

Mounted by the test settings only (``tests.urls``) and served by pytest-django's live server
at a second host name (127.0.0.1, while Schoolward is at localhost), so the provider's session
and Schoolward's are separate cookies, as with a real provider. Discovery, the token, the
userinfo and the ID token are the toolkit's own.

The provider keeps its own directory: a provider account is a row it signs in, and the email
it asserts for that account is whatever the test says, which need not be in Schoolward's
roster.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse_lazy
from django.utils.html import escape
from django.views.decorators.csp import csp_override
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider import urls as toolkit_urls
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.views import AuthorizationView

from district.models import User

# Provider account id → the claims the provider asserts for it.
DIRECTORY: dict[int, dict[str, Any]] = {}


def provider_account(email: str, *, email_verified: bool = True, name: str = "Provider Person") -> User:
    """An account at the provider that asserts ``email`` (its own row is never that address)."""
    account = User.objects.create_user(email=f"account-{uuid.uuid4().hex}@provider.test", full_name=name)
    DIRECTORY[account.pk] = {"email": email, "email_verified": email_verified, "name": name}
    return account


class DirectoryValidator(OAuth2Validator):
    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        return dict(DIRECTORY.get(request.user.pk, {}))


class ProviderAuthorizationView(AuthorizationView):
    login_url = reverse_lazy("oauth2_provider:sign-in")


# The provider's own page: its CSP is its business, not Schoolward's.
@csp_override({})
@csrf_exempt
@login_not_required
def provider_sign_in(request: HttpRequest) -> HttpResponse:
    """The provider's sign-in page: choose one of its accounts (it asks for no password)."""
    if request.method == "POST":
        login(
            request, User.objects.get(pk=request.POST["account"]), backend="django.contrib.auth.backends.ModelBackend"
        )
        return HttpResponseRedirect(request.GET.get("next", "/"))
    options = "".join(
        f'<option value="{pk}">{escape(claims["email"])}</option>' for pk, claims in sorted(DIRECTORY.items())
    )
    return HttpResponse(
        "<!doctype html><title>Test provider</title><h1>Test provider</h1>"
        f'<form method="post"><label>Account <select name="account">{options}</select></label>'
        "<button>Continue</button></form>"
    )


urlpatterns = [
    path("authorize/", ProviderAuthorizationView.as_view(), name="authorize"),
    path("sign-in/", provider_sign_in, name="sign-in"),
    *toolkit_urls.base_urlpatterns,
    *toolkit_urls.oidc_urlpatterns,
]
