from django import forms
from django.contrib.auth.forms import AuthenticationForm


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
