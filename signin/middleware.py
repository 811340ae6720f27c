"""Enforces what a sign-in left to do, on every later request.

Reads only the session (no queries) except on the admin's pages for a session that has not
shown a second factor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from signin.forms import PASSWORDS_OFF
from signin.policy import passwords_enabled
from signin.session import has_second_factor, mark_setup_due, setup_due

SETUP_FIRST = "Your role needs two-factor sign-in: set up an authenticator app to continue."
ADMIN_NEEDS_CODE = "The admin needs a second factor: enter a code from your authenticator app."

# Pages a person who must set up two-factor sign-in may still open.
SETUP_PAGES = {
    "mfa_activate_totp",
    "mfa_view_recovery_codes",
    "mfa_download_recovery_codes",
    "account_reauthenticate",
    "logout",
}
# Pages that only make sense with passwords: closed when a deployment turns them off.
PASSWORD_PAGES = {
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "password_change",
    "password_change_done",
    "account_reauthenticate",
}


class SignInPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        name = match.view_name if match else ""
        if name in PASSWORD_PAGES and not passwords_enabled():
            messages.info(request, PASSWORDS_OFF)
            return HttpResponseRedirect(reverse("login"))
        person = request.user
        if not person.is_authenticated:
            return None
        if setup_due(request.session, person):
            if name in SETUP_PAGES:
                return None
            messages.info(request, SETUP_FIRST)
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        in_admin = match is not None and "admin" in match.namespaces
        if in_admin and person.is_staff and settings.SIGNIN_TWO_FACTOR_REQUIRED:
            return self._admin_second_factor(request, person)
        return None

    def _admin_second_factor(self, request: HttpRequest, person: Any) -> HttpResponse | None:
        if has_second_factor(request.session, person):
            return None
        if is_mfa_enabled(person, [Authenticator.Type.TOTP]):
            messages.info(request, ADMIN_NEEDS_CODE)
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('mfa_reauthenticate')}?{query}")
        mark_setup_due(request.session, person)
        messages.info(request, SETUP_FIRST)
        return HttpResponseRedirect(reverse("mfa_activate_totp"))
