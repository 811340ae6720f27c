"""Writes for personal API tokens."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from api.models import ApiToken, hash_token, new_token
from district.models import User


@transaction.atomic
def token_create(*, user: User, name: str, expires_in_days: int | None) -> tuple[ApiToken, str]:
    """A new token for ``user``, and its secret: the only time the secret exists outside its hash.

    ``expires_in_days`` of None means the token lasts until it is revoked.
    """
    plain = new_token()
    expires_at = timezone.now() + datetime.timedelta(days=expires_in_days) if expires_in_days else None
    token = ApiToken(user=user, name=name.strip(), token_hash=hash_token(plain), hint=plain[:8], expires_at=expires_at)
    token.full_clean()
    token.save()
    return token, plain


@transaction.atomic
def token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token for good; revoking twice keeps the first time."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
