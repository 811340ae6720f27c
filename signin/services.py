"""Writing the sign-in log: one row per event, and one structured log line beside it."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from district.client_address import client_address
from signin.models import SignInEvent

logger = logging.getLogger("schoolward.signin")


def sign_in_event_record(
    *,
    request: HttpRequest | None,
    method: str,
    outcome: str,
    person: Any = None,
    email: str = "",
    provider: str = "",
    reason: str = "",
    second_factor: str = "",
    detail: str = "",
) -> SignInEvent:
    """Record a sign-in, a refusal or a change to someone's second factor.

    The email is kept as typed or asserted (lower-cased), so refusals of unknown addresses can
    be read too; the address is the client's as the trusted proxies report it. Nothing secret
    (passwords, codes, tokens) is ever passed here.
    """
    email = (email or (person.email if person is not None else "")).strip().lower()
    event = SignInEvent(
        person=person if person is not None and person.pk else None,
        email=email[:254],
        method=method,
        provider=provider,
        outcome=outcome,
        reason=reason,
        second_factor=second_factor,
        ip_address=(client_address(request) or None) if request is not None else None,
        detail=detail[:255],
    )
    event.full_clean()
    with transaction.atomic():
        event.save()
    logger.info(
        "sign-in outcome=%s method=%s provider=%s email=%s reason=%s second_factor=%s ip=%s",
        outcome,
        method,
        provider or "-",
        email or "-",
        reason or "-",
        second_factor or "-",
        event.ip_address or "-",
    )
    return event
