from collections.abc import Iterator

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError

from district.models import User


class SignInForm(AuthenticationForm):
    """Email and password sign-in."""

    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email", "class": "form-control"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "class": "form-control"}),
    )

    error_messages = {
        "invalid_login": "That email and password do not match. Check both and try again.",
        "inactive": "This account has been switched off. Ask your district administrator.",
    }


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label="Roster file (CSV)",
        help_text="A schools, caseloads or units file; the kind is read from its header row.",
    )


class ChoosePasswordForm(PasswordResetForm):
    """Password reset that also lets people added by a roster import choose their first password.

    Django's form skips accounts without a usable password; here every active account
    with that email address gets the link.
    """

    def get_users(self, email: str) -> Iterator[User]:
        return iter(User.objects.filter(email__iexact=email, is_active=True))


def normalise_username(request: object, credentials: dict[str, str]) -> str:
    """The lower-cased email that django-axes counts failed sign-ins under."""
    return (credentials.get("username") or "").strip().lower()


def apply_validation_error(
    error: ValidationError, form: forms.BaseForm, *, elsewhere: dict[str, list[str]] | None = None
) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one.

    Messages for names listed in ``elsewhere`` (e.g. a formset beside the form) are collected
    there instead of on the form.
    """
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, messages in error.message_dict.items():
        if elsewhere is not None and field in elsewhere:
            elsewhere[field].extend(messages)
            continue
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
