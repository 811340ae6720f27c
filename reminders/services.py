"""Scheduled reminders: each goes to an address at most once a day about the same thing."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone

from reminders.models import SentReminder


def reminder_about(obj: models.Model) -> str:
    """The key a reminder is logged under: the object it is about, e.g. ``district.unit:3``."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def reminder_send(
    *,
    kind: SentReminder.Kind,
    about: models.Model,
    recipients: Iterable[str],
    subject: str,
    body: str,
    today: datetime.date | None = None,
) -> bool:
    """Email those of ``recipients`` not yet reminded today about ``about``; True if an email went out.

    The log rows are written before the email, in one transaction with it: a second run (or
    one running at the same time, which waits on the unique constraint) finds them and sends
    nothing, and a failed send rolls them back so the next run tries again.
    """
    day = today or timezone.localdate()
    key = reminder_about(about)
    with transaction.atomic():
        due = [
            email
            for email in dict.fromkeys(e.strip().lower() for e in recipients if e.strip())
            if SentReminder.objects.get_or_create(kind=kind, recipient=email, about=key, sent_on=day)[1]
        ]
        if due:
            send_mail(subject=subject, message=body, from_email=None, recipient_list=due)
    return bool(due)
