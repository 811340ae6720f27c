"""Listens to allauth: marks the session (see ``signin.session``) and writes the sign-in log."""

from __future__ import annotations

from typing import Any

from allauth.account.authentication import get_authentication_records
from allauth.account.signals import authentication_step_completed, user_logged_in
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authentication_failed, authenticator_added, authenticator_removed
from django.dispatch import receiver
from django.http import HttpRequest

from signin.models import SignInEvent
from signin.policy import two_factor_required_for
from signin.services import sign_in_event_record
from signin.session import mark_second_factor, mark_setup_due

Method = SignInEvent.Method
Outcome = SignInEvent.Outcome


@receiver(authentication_step_completed)
def second_factor_shown(sender: Any, request: HttpRequest, user: Any, method: str, **kwargs: Any) -> None:
    if method == "mfa":
        mark_second_factor(request.session, user)


@receiver(user_logged_in)
def signed_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    sociallogin = kwargs.get("sociallogin")
    if sociallogin is not None:
        mark_second_factor(request.session, user)
        sign_in_event_record(
            request=request,
            method=Method.SINGLE_SIGN_ON,
            outcome=Outcome.SIGNED_IN,
            person=user,
            provider=sociallogin.provider.sub_id,
        )
        return
    codes = [r for r in get_authentication_records(request, user) if r.get("method") == "mfa"]
    if not codes and two_factor_required_for(user):
        mark_setup_due(request.session, user)
    sign_in_event_record(
        request=request,
        method=Method.PASSWORD,
        outcome=Outcome.SIGNED_IN,
        person=user,
        second_factor=str(codes[-1].get("type", "")) if codes else "",
    )


@receiver(authentication_failed)
def wrong_code(sender: Any, request: HttpRequest, user: Any, authenticator: Authenticator, **kwargs: Any) -> None:
    sign_in_event_record(
        request=request,
        method=Method.PASSWORD,
        outcome=Outcome.REFUSED,
        reason=SignInEvent.Reason.WRONG_CODE,
        person=user,
        detail="when asked again" if kwargs.get("reauthentication") else "",
    )


@receiver(authenticator_added)
def two_factor_on(sender: Any, request: HttpRequest, user: Any, authenticator: Authenticator, **kwargs: Any) -> None:
    if authenticator.type != Authenticator.Type.TOTP:
        return
    # Setting up an authenticator proves the person holds it.
    mark_second_factor(request.session, user)
    sign_in_event_record(
        request=request, method=Method.PASSWORD, outcome=Outcome.TWO_FACTOR_ON, person=user, second_factor="totp"
    )


@receiver(authenticator_removed)
def two_factor_off(sender: Any, request: HttpRequest, user: Any, authenticator: Authenticator, **kwargs: Any) -> None:
    if authenticator.type == Authenticator.Type.TOTP:
        sign_in_event_record(request=request, method=Method.PASSWORD, outcome=Outcome.TWO_FACTOR_OFF, person=user)
