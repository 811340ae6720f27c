"""Recording notices with the change that causes them, and sending them from a background worker.

``notify`` is called inside the transaction of the change (a request answered, a visit
logged): the notices and the task that will send them are written with it, so either the
change and its emails both happen or neither does, and no email leaves for a change that
was rolled back. The worker (``manage.py db_worker``) runs ``notices.tasks.send_notices``:
one SMTP connection per batch, each notice marked sent in the transaction in which its
send succeeded, failures retried with exponential backoff and, after
``NOTICE_MAX_ATTEMPTS``, left failed for an administrator to see and send again.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import smtplib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import batched
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import models, transaction
from django.db.models import Q
from django.tasks import TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string

from notices.models import Notice

logger = logging.getLogger(__name__)

# Every message carries the notice it comes from, so a duplicate could be told from a resend.
NOTICE_HEADER = "X-Schoolward-Notice"

# Messages holding a secret (a password-reset link) are written when they are sent and never
# stored: the kind names a function taking the notice and returning (subject, body), or None
# when there is nothing to send any more.
COMPOSED_WHEN_SENT: dict[str, str] = {
    Notice.Kind.PASSWORD_RESET: "district.password_reset.compose_reset_email",
}


def subject_key_for(obj: models.Model | str) -> str:
    """The key a notice is filed under: ``app_label.model:pk`` for a record, or the string itself."""
    if isinstance(obj, models.Model):
        return f"{obj._meta.label_lower}:{obj.pk}"
    return obj


def _addresses(recipients: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(e.strip().lower() for e in recipients if e and e.strip()))


def notice_record(
    *,
    kind: Notice.Kind,
    recipients: Iterable[str | None],
    about: models.Model | str,
    window: str = "",
    subject: str,
    template: str | None,
    context: Mapping[str, Any] | None = None,
) -> list[Notice]:
    """The notices of one message to each of ``recipients`` not yet told about ``about`` in ``window``.

    Returns only the notices made now: an address already told (sent, queued or failed) is
    skipped, so running a reminder twice the same day records nothing the second time, even
    when the two runs overlap (the second waits on the unique constraint). ``template`` is
    rendered once for all recipients; None for kinds written when sent. Nothing is sent:
    see ``notify`` and ``notices_send``.
    """
    key = subject_key_for(about)
    body = render_to_string(template, dict(context or {})) if template else ""
    made: list[Notice] = []
    with transaction.atomic():
        for address in _addresses(recipients):
            notice, created = Notice.objects.get_or_create(
                kind=kind,
                recipient=address,
                subject_key=key,
                window=window,
                defaults={"subject": subject[:255], "body": body},
            )
            if created:
                made.append(notice)
    return made


def notify(
    *,
    kind: Notice.Kind,
    recipients: Iterable[str | None],
    about: models.Model | str,
    window: str = "",
    subject: str,
    template: str | None,
    context: Mapping[str, Any] | None = None,
) -> list[Notice]:
    """Record a message to each recipient (see ``notice_record``) and hand the new notices to the worker.

    Call it inside the transaction of the change it reports. Returns the notices made now.
    """
    made = notice_record(
        kind=kind,
        recipients=recipients,
        about=about,
        window=window,
        subject=subject,
        template=template,
        context=context,
    )
    notices_send(made)
    return made


def _batch_size() -> int:
    return max(1, int(getattr(settings, "NOTICE_BATCH_SIZE", 100)))


def _queue_shares_the_database() -> bool:
    """Whether enqueued tasks are rows in this database, and so commit or roll back with the change."""
    from django_tasks_db import DatabaseBackend

    from notices.tasks import send_notices

    return isinstance(send_notices.get_backend(), DatabaseBackend)


def notices_send(notices: Sequence[Notice], *, run_after: datetime.datetime | None = None) -> None:
    """Ask the worker to send ``notices``, in batches of ``NOTICE_BATCH_SIZE``, at ``run_after`` at the earliest.

    With the database queue the task is written in the current transaction. Any other
    backend (the immediate one in tests) is asked only once the transaction commits, so a
    rolled-back change never sends its emails.
    """
    from notices.tasks import send_notices

    ids = [n.pk for n in notices]
    if not ids:
        return
    task = send_notices
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # such a backend cannot wait: ``send_pending_notices`` retries these
        task = task.using(run_after=run_after)
    for chunk in batched(ids, _batch_size()):
        batch = list(chunk)
        if _queue_shares_the_database():
            result = task.enqueue(notice_ids=batch)
            Notice.objects.filter(pk__in=batch).update(task_id=str(result.id))
        else:
            transaction.on_commit(lambda batch=batch: task.enqueue(notice_ids=batch), robust=True)  # type: ignore[misc]


# --- Sending (in the worker) -----------------------------------------------------------


@dataclass
class Delivery:
    """What one run of ``notices_deliver`` did with its batch."""

    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {"sent": len(self.sent), "retrying": len(self.retrying), "failed": len(self.failed)}


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential backoff: NOTICE_RETRY_SECONDS after the first failure, doubling, at most an hour apart."""
    base = float(getattr(settings, "NOTICE_RETRY_SECONDS", 60))
    return datetime.timedelta(seconds=min(base * 2 ** (attempts - 1), max(base, 3600.0)))


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def _compose(notice: Notice) -> EmailMessage | None:
    subject, body = notice.subject, notice.body
    composer = COMPOSED_WHEN_SENT.get(notice.kind)
    if composer is not None:
        composed = import_string(composer)(notice)
        if composed is None:
            return None
        subject, body = composed
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notice.recipient],
        headers={NOTICE_HEADER: str(notice.pk)},
    )


def _failed_attempt(notice: Notice, error: BaseException, outcome: Delivery, *, final: bool = False) -> None:
    notice.attempts += 1
    notice.last_error = _describe(error)
    if final or notice.attempts >= int(getattr(settings, "NOTICE_MAX_ATTEMPTS", 8)):
        notice.status = Notice.Status.FAILED
        outcome.failed.append(notice.pk)
        logger.error(
            "Notice %s (%s) failed for good after %s attempt(s): %s",
            notice.pk,
            notice.kind,
            notice.attempts,
            notice.last_error,
        )
    else:
        notice.next_attempt_at = timezone.now() + retry_delay(notice.attempts)
        outcome.retrying.append(notice.pk)
        logger.warning(
            "Notice %s (%s) not sent, attempt %s: %s", notice.pk, notice.kind, notice.attempts, notice.last_error
        )
    notice.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])


def _connection_lost(error: BaseException) -> bool:
    """Whether the server itself is unreachable (every later message would fail too), not one message refused."""
    return not isinstance(error, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused)


def notices_deliver(*, notice_ids: Sequence[int]) -> Delivery:
    """Send those of ``notice_ids`` still queued, over one connection to the mail server.

    Each notice is locked (skipping one another worker holds) and marked sent in the
    transaction in which its send succeeded, so a worker killed mid-batch leaves the rest
    queued and the ones sent marked. A failure counts an attempt and schedules a retry with
    backoff; the last allowed attempt, or a message that can never be sent, marks it failed.
    When the server cannot be reached the rest of the batch waits for the retry too.
    """
    outcome = Delivery()
    pending = list(Notice.objects.queued().filter(pk__in=list(notice_ids)).order_by("pk").values_list("pk", flat=True))
    if not pending:
        return outcome
    connection = mailers.default
    unreachable: BaseException | None = None
    try:
        connection.open()
    except OSError as error:  # smtplib's errors are OSErrors too
        unreachable = error
    try:
        for pk in pending:
            with transaction.atomic():
                notice = Notice.objects.select_for_update(skip_locked=True).queued().filter(pk=pk).first()
                if notice is None:
                    continue  # sent or given up meanwhile, or in another worker's hands right now
                if unreachable is not None:
                    _failed_attempt(notice, unreachable, outcome)
                    continue
                try:
                    message = _compose(notice)
                except Exception as error:  # a template or data problem: retrying cannot help
                    _failed_attempt(notice, error, outcome, final=True)
                    continue
                if message is None:
                    _failed_attempt(notice, ValueError("There is nothing to send any more."), outcome, final=True)
                    continue
                try:
                    connection.send_messages([message])
                except OSError as error:
                    _failed_attempt(notice, error, outcome)
                    if _connection_lost(error):
                        unreachable = error
                    continue
                except ValueError as error:  # an address the mail server could never accept
                    _failed_attempt(notice, error, outcome, final=True)
                    continue
                notice.status = Notice.Status.SENT
                notice.sent_at = timezone.now()
                notice.attempts += 1
                notice.save(update_fields=["status", "sent_at", "attempts"])
                outcome.sent.append(notice.pk)
    finally:
        with contextlib.suppress(OSError):  # the server went away; the outcome is already recorded
            connection.close()
    if outcome.retrying:
        waiting = Notice.objects.filter(pk__in=outcome.retrying)
        earliest = min(n.next_attempt_at for n in waiting)
        notices_send(list(waiting), run_after=earliest)
    return outcome


# --- For administrators and the scheduler ----------------------------------------------


def notices_send_again(*, notices: Iterable[Notice]) -> int:
    """Queue failed (or stuck) notices for a fresh round of attempts; sent ones are never sent twice.

    Returns how many were queued again.
    """
    with transaction.atomic():
        chosen = list(
            Notice.objects.select_for_update().filter(pk__in=[n.pk for n in notices]).exclude(status=Notice.Status.SENT)
        )
        Notice.objects.filter(pk__in=[n.pk for n in chosen]).update(
            status=Notice.Status.QUEUED, attempts=0, next_attempt_at=timezone.now()
        )
        notices_send(chosen)
    return len(chosen)


def _task_waiting(task_id: str) -> bool:
    from notices.tasks import send_notices

    if not task_id or not send_notices.get_backend().supports_get_result:
        return False
    try:
        result = send_notices.get_result(task_id)
    except TaskResultDoesNotExist:
        return False
    return result.status == TaskResultStatus.READY


def notices_requeue_stalled(*, older_than: datetime.timedelta) -> int:
    """Hand the worker again every queued notice due more than ``older_than`` ago whose task is not waiting.

    A worker killed mid-batch leaves its task "running" for ever and its unsent notices
    queued: this finds them. Running it while the first task is in fact alive is harmless,
    since each notice is locked while it is sent and marked sent in the same transaction.
    Returns how many notices were handed over.
    """
    stalled = list(Notice.objects.due(before=timezone.now() - older_than).order_by("pk"))
    waiting = {task_id for task_id in {n.task_id for n in stalled} if _task_waiting(task_id)}
    again = [n for n in stalled if n.task_id not in waiting]
    with transaction.atomic():
        notices_send(again)
    return len(again)


def notice_counts() -> dict[str, int]:
    """How many notices are queued and failed, for the scheduler's log."""
    counts = Notice.objects.aggregate(
        queued=models.Count("pk", filter=Q(status=Notice.Status.QUEUED)),
        failed=models.Count("pk", filter=Q(status=Notice.Status.FAILED)),
    )
    return {key: value or 0 for key, value in counts.items()}
