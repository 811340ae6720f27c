"""The sign-in log: every sign-in and every refusal, by method, for administrators to read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class SignInEventQuerySet(models.QuerySet["SignInEvent"]):
    def refused(self) -> SignInEventQuerySet:
        return self.filter(outcome=SignInEvent.Outcome.REFUSED)

    def for_email(self, email: str) -> SignInEventQuerySet:
        return self.filter(email__iexact=email)


class SignInEvent(models.Model):
    class Method(models.TextChoices):
        PASSWORD = "password", "Email and password"
        SINGLE_SIGN_ON = "sso", "Single sign-on"

    class Outcome(models.TextChoices):
        SIGNED_IN = "signed_in", "Signed in"
        REFUSED = "refused", "Refused"
        TWO_FACTOR_ON = "two_factor_on", "Turned on two-factor sign-in"
        TWO_FACTOR_OFF = "two_factor_off", "Turned off two-factor sign-in"

    class Reason(models.TextChoices):
        NONE = "", "—"
        WRONG_PASSWORD = "wrong_password", "Wrong email or password"
        LOCKED_OUT = "locked_out", "Locked out after repeated failures"
        ACCOUNT_OFF = "account_off", "Account switched off"
        UNKNOWN_EMAIL = "unknown_email", "Email not in the roster"
        PASSWORDS_OFF = "passwords_off", "Password sign-in is turned off"
        WRONG_CODE = "wrong_code", "Wrong two-factor code"
        NONCE_MISMATCH = "nonce_mismatch", "ID token not issued for this sign-in"
        PROVIDER_ERROR = "provider_error", "The provider's answer was refused"
        CANCELLED = "cancelled", "Cancelled at the provider"

    at = models.DateTimeField("when", default=timezone.now, db_index=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="sign_in_events"
    )
    email = models.CharField(max_length=254, blank=True, help_text="As typed, or as the provider asserted it.")
    method = models.CharField(max_length=20, choices=Method.choices)
    provider = models.CharField(max_length=50, blank=True, help_text="The single sign-on provider, if any.")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reason = models.CharField(max_length=20, choices=Reason.choices, blank=True)
    second_factor = models.CharField(
        max_length=20, blank=True, help_text="The second factor shown: an authenticator code or a recovery code."
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.CharField(max_length=255, blank=True)

    objects = SignInEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "sign-in event"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.email or self.person} {self.get_outcome_display()}"
