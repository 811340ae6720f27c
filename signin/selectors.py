"""Reads for the sign-in and security pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount

from signin.policy import two_factor_required_for


@dataclass(frozen=True)
class SecurityOverview:
    totp: Authenticator | None
    unused_recovery_codes: int
    linked_accounts: list[SocialAccount]
    two_factor_required: bool

    @property
    def two_factor_on(self) -> bool:
        return self.totp is not None


def security_overview(*, person: Any) -> SecurityOverview:
    """A person's second factor and linked single sign-on accounts, in two queries."""
    authenticators = {a.type: a for a in Authenticator.objects.filter(user=person)}
    codes = authenticators.get(Authenticator.Type.RECOVERY_CODES)
    return SecurityOverview(
        totp=authenticators.get(Authenticator.Type.TOTP),
        unused_recovery_codes=len(codes.wrap().get_unused_codes()) if codes is not None else 0,
        linked_accounts=list(SocialAccount.objects.filter(user=person).order_by("date_joined")),
        two_factor_required=two_factor_required_for(person),
    )
