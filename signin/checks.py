from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from signin.policy import sso_apps


@register()
def someone_can_sign_in(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if settings.SIGNIN_PASSWORDS or sso_apps():
        return []
    return [
        Error(
            "PASSWORD_SIGN_IN is off and no single sign-on provider is configured, so nobody could sign in.",
            hint="Set the SSO_GOOGLE_*, SSO_ENTRA_* or SSO_OIDC_* variables, or turn PASSWORD_SIGN_IN back on.",
            id="signin.E001",
        )
    ]
