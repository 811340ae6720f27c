"""The email-and-password form of the sign-in page."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm
from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from signin.adapters import ACCOUNT_OFF
from signin.models import SignInEvent
from signin.policy import passwords_enabled
from signin.services import sign_in_event_record

PASSWORDS_OFF = "Schoolward does not use passwords here: sign in with your district account below."

Reason = SignInEvent.Reason


class SignInForm(LoginForm):
    """allauth's sign-in form, asking for the email address under the name ``username``.

    The field is ``login`` to allauth; in the page it keeps the name it always had, which
    django-axes reads to count failures, and the messages it always gave.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"] = forms.EmailField(
            label="Email address",
            widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email", "class": "form-control"}),
        )
        self.fields["password"] = forms.CharField(
            label="Password",
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "class": "form-control"}),
        )

    def add_prefix(self, field_name: str) -> str:
        return super().add_prefix("username" if field_name == "login" else field_name)

    def clean(self) -> dict[str, Any]:
        email = str(self.data.get(self.add_prefix("login"), ""))
        if not passwords_enabled():
            self._record_refusal(Reason.PASSWORDS_OFF, email)
            raise ValidationError(PASSWORDS_OFF)
        try:
            cleaned = super().clean()
        except ValidationError:
            locked = getattr(self.request, "axes_locked_out", False)
            self._record_refusal(Reason.LOCKED_OUT if locked else Reason.WRONG_PASSWORD, email)
            raise
        if self.user is not None and not self.user.is_active:
            self._record_refusal(Reason.ACCOUNT_OFF, email, person=self.user)
            raise ValidationError(ACCOUNT_OFF)
        return cleaned

    def _record_refusal(self, reason: str, email: str, person: Any = None) -> None:
        sign_in_event_record(
            request=self.request,
            method=SignInEvent.Method.PASSWORD,
            outcome=SignInEvent.Outcome.REFUSED,
            reason=reason,
            email=email,
            person=person,
        )


def normalise_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The lower-cased email that django-axes counts failed sign-ins under.

    Sign-in passes it as ``email``; the form posts it as ``username``.
    """
    source: Any = credentials or request.POST
    return str(source.get("email") or source.get("username") or "").strip().lower()
