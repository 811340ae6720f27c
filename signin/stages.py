"""The second-factor step of a sign-in, for passwords only."""

from __future__ import annotations

from allauth.mfa.stages import AuthenticateStage
from django.http import HttpRequest


class SecondFactorStage(AuthenticateStage):
    """allauth's code step, skipped for single sign-on: the district's provider runs its own."""

    def _should_handle(self, request: HttpRequest) -> bool:
        if (self.login.signal_kwargs or {}).get("sociallogin") is not None:
            return False
        return super()._should_handle(request)
