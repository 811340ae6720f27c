"""Who signs in how: the deployment's choices and the rule for who needs a second factor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings

from district.roles import roles_for

if TYPE_CHECKING:
    from django.http import HttpRequest


def passwords_enabled() -> bool:
    """Whether this deployment lets people sign in with an email and password (PASSWORD_SIGN_IN)."""
    return bool(settings.SIGNIN_PASSWORDS)


def two_factor_required_for(person: Any) -> bool:
    """Admins and executives must show a second factor after their password (TWO_FACTOR_REQUIRED)."""
    if not settings.SIGNIN_TWO_FACTOR_REQUIRED or not person.is_authenticated:
        return False
    return bool(person.is_staff or person.is_superuser or roles_for(person).is_executive)


@dataclass(frozen=True)
class Provider:
    """A single sign-on provider as the sign-in page offers it."""

    id: str
    name: str
    login_url: str


def sso_apps() -> list[dict[str, Any]]:
    """The OpenID Connect providers configured for this deployment, as allauth reads them."""
    providers: dict[str, Any] = settings.SOCIALACCOUNT_PROVIDERS
    return list(providers.get("openid_connect", {}).get("APPS", []))


def sso_providers(request: HttpRequest) -> list[Provider]:
    from allauth.socialaccount.adapter import get_adapter

    providers = []
    for app in sso_apps():
        provider = get_adapter().get_provider(request, app["provider_id"])
        providers.append(Provider(id=app["provider_id"], name=app["name"], login_url=provider.get_login_url(request)))
    return providers
