"""Password-reset emails through the outbox, with the link written only when the email is sent.

The outbox keeps what it sends, and a reset link is a key to the account: so the notice
records only whom to write to (``district.user:<pk>``), and the worker builds the link from
the account as it is at that moment. A link built then works like Django's own: once, and
not after the password changed.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from district.models import User
from notices.models import Notice
from notices.services import notify

SUBJECT_TEMPLATE = "registration/password_reset_subject.txt"
BODY_TEMPLATE = "registration/password_reset_email.html"


def password_reset_request(*, user: User, email: str) -> list[Notice]:
    """Queue a reset email to ``email`` for ``user``; a second ask within the same minute sends nothing more."""
    return notify(
        kind=Notice.Kind.PASSWORD_RESET,
        recipients=[email],
        about=user,
        window=timezone.now().strftime("%Y-%m-%dT%H:%M"),
        subject=_subject({"user": user}),
        template=None,
    )


def _subject(context: dict[str, object]) -> str:
    return "".join(render_to_string(SUBJECT_TEMPLATE, context).splitlines())


def compose_reset_email(notice: Notice) -> tuple[str, str] | None:
    """Subject and body with a fresh reset link, or None when the account may no longer reset (off, or moved)."""
    pk = notice.subject_key.removeprefix(f"{User._meta.label_lower}:")
    user = User.objects.filter(pk=pk, is_active=True, email__iexact=notice.recipient).first() if pk.isdigit() else None
    if user is None:
        return None
    site = urlsplit(settings.SITE_URL)
    context = {
        "email": notice.recipient,
        "domain": site.netloc,
        "site_name": "Schoolward",
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": site.scheme or "https",
    }
    return _subject(context), render_to_string(BODY_TEMPLATE, context)
