"""How allauth fits Schoolward: the roster decides who may sign in, and nobody signs up.

- Password sign-in: django-axes locks out repeated failures, so allauth's own counter of
  failed passwords is off (its counter still limits wrong two-factor codes).
- Single sign-on: the provider's email must already belong to an active person in the
  roster (matched whatever its capitals); the provider's account is then linked to that
  person. Anyone else is sent back to the sign-in page with the reason, and the refusal is
  logged. The ID token must carry the nonce this session sent (see ``signin.oidc``).
- Two-factor: leaders cannot turn it off while it is required of them.
"""

from __future__ import annotations

import secrets
import time
from typing import TYPE_CHECKING, Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthError, AuthProcess
from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from district.models import User
from signin.models import SignInEvent
from signin.oidc import NONCE_STATE_KEY
from signin.policy import two_factor_required_for
from signin.services import sign_in_event_record

if TYPE_CHECKING:
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialLogin

UNKNOWN_EMAIL = (
    "{email} is not in Schoolward's roster, so it cannot sign in here. "
    "If it should, ask your district administrator to add you."
)
NO_EMAIL = (
    "{provider} did not tell Schoolward your email address, so you cannot be signed in. "
    "Ask your district administrator."
)
ACCOUNT_OFF = "This account has been switched off. Ask your district administrator."
NOT_COMPLETED = "Signing in with {provider} did not complete, so you are not signed in. Please try again."
CANCELLED = "Signing in with {provider} was cancelled."

Reason = SignInEvent.Reason


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": "That email and password do not match. Check both and try again.",
        "account_inactive": ACCOUNT_OFF,
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Failed passwords are counted and locked out by django-axes, not here."""

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """A sign-in in the last few minutes counts as confirming who you are, as asking again would."""
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        records = get_authentication_records(context.request, context.request.user)
        return not records or time.time() - records[-1]["at"] >= account_settings.REAUTHENTICATION_TIMEOUT

    def get_login_stages(self) -> list[str]:
        return [
            "signin.stages.SecondFactorStage" if stage == "allauth.mfa.stages.AuthenticateStage" else stage
            for stage in super().get_login_stages()
        ]


def _refuse(
    request: HttpRequest,
    message: str,
    *,
    reason: str,
    provider: str,
    email: str = "",
    person: Any = None,
    detail: str = "",
) -> ImmediateHttpResponse:
    sign_in_event_record(
        request=request,
        method=SignInEvent.Method.SINGLE_SIGN_ON,
        outcome=SignInEvent.Outcome.REFUSED,
        reason=reason,
        provider=provider,
        email=email,
        person=person,
        detail=detail,
    )
    messages.error(request, message)
    return ImmediateHttpResponse(HttpResponseRedirect(reverse("login")))


def _claims(sociallogin: SocialLogin) -> dict[str, Any]:
    data = sociallogin.account.extra_data or {}
    return data.get("userinfo") or data.get("id_token") or {}


def _email_unverified(claims: dict[str, Any]) -> bool:
    return str(claims.get("email_verified", True)).lower() == "false"


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        provider = sociallogin.provider.sub_id
        name = sociallogin.provider.name
        if sociallogin.state.get("process", AuthProcess.LOGIN) != AuthProcess.LOGIN:
            raise _refuse(request, NOT_COMPLETED.format(provider=name), reason=Reason.PROVIDER_ERROR, provider=provider)
        expected = sociallogin.state.get(NONCE_STATE_KEY) or ""
        returned = str((sociallogin.account.extra_data or {}).get("id_token", {}).get("nonce") or "")
        if not expected or not secrets.compare_digest(expected, returned):
            raise _refuse(request, NOT_COMPLETED.format(provider=name), reason=Reason.NONCE_MISMATCH, provider=provider)

        claims = _claims(sociallogin)
        email = str(claims.get("email") or "").strip()
        if not email or _email_unverified(claims):
            raise _refuse(request, NO_EMAIL.format(provider=name), reason=Reason.UNKNOWN_EMAIL, provider=provider)
        person = User.objects.filter(email__iexact=email).first()
        if person is None or (sociallogin.is_existing and sociallogin.user.pk != person.pk):
            raise _refuse(
                request, UNKNOWN_EMAIL.format(email=email), reason=Reason.UNKNOWN_EMAIL, provider=provider, email=email
            )
        if not person.is_active:
            raise _refuse(
                request, ACCOUNT_OFF, reason=Reason.ACCOUNT_OFF, provider=provider, email=email, person=person
            )
        if not sociallogin.is_existing:
            sociallogin.connect(request, person)

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: BaseException | None = None,
        extra_context: dict[str, Any] | None = None,
    ) -> None:
        """A refused callback (unknown or forged state, an error from the provider, a bad token)."""
        cancelled = error == AuthError.CANCELLED
        context = extra_context or {}
        if exception is not None:
            detail = f"{type(exception).__name__}: {exception}"
        elif "state_id" in context and context.get("state") is None:
            detail = "The state returned is not one this browser sent."
        else:
            detail = str(request.GET.get("error", ""))
        raise _refuse(
            request,
            (CANCELLED if cancelled else NOT_COMPLETED).format(provider=provider.name),
            reason=Reason.CANCELLED if cancelled else Reason.PROVIDER_ERROR,
            provider=provider.sub_id,
            detail=detail,
        ) from exception


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": "That code is not right. Check your authenticator app, or use a recovery code.",
        "cannot_delete_authenticator": "Two-factor sign-in is required for your role, so it cannot be turned off.",
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        return not two_factor_required_for(authenticator.user)
