"""The outbox: every email Schoolward sends, recorded with the change that causes it.

A notice is one message to one address about one thing (a request, a visit, a unit's
overdue list) in one window (a day for reminders, empty for a one-off event). The unique
constraint over those four is what makes a rerun send nothing twice.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone


class NoticeQuerySet(models.QuerySet["Notice"]):
    def queued(self) -> NoticeQuerySet:
        return self.filter(status=Notice.Status.QUEUED)

    def due(self, *, before: datetime.datetime | None = None) -> NoticeQuerySet:
        """Queued notices whose next try was due at ``before`` (now by default)."""
        return self.queued().filter(next_attempt_at__lte=before or timezone.now())

    def failed(self) -> NoticeQuerySet:
        return self.filter(status=Notice.Status.FAILED)


class Notice(models.Model):
    """One email to one address, from the moment it is decided until it is sent or given up."""

    class Kind(models.TextChoices):
        VISIT_LOGGED = "visit_logged", "Visit summary to the principal"
        NEW_REQUEST = "new_request", "New request to the unit"
        ENDORSEMENT_NEEDED = "endorsement_needed", "Request waiting for the ILD's endorsement"
        ANSWER = "answer", "Answer to a request"
        OVERDUE_REQUESTS = "overdue_requests", "Requests waiting past the response target"
        SURVEY_REMINDER = "survey_reminder", "Survey not yet answered"
        PASSWORD_RESET = "password_reset", "Password reset link"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=24, choices=Kind.choices)
    recipient = models.EmailField()
    subject_key = models.CharField(max_length=100, help_text="What the notice is about, e.g. service_menu.request:42.")
    window = models.CharField(
        max_length=40,
        blank=True,
        help_text="The day of a reminder, or the event a notice reports; empty for a one-off.",
    )
    subject = models.CharField(max_length=255)
    body = models.TextField(
        blank=True, help_text="Empty for messages holding a secret (a reset link): those are written when sent."
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    task_id = models.CharField(max_length=64, blank=True, help_text="The background task last asked to send it.")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "subject_key", "window"], name="one_notice_per_recipient_subject_window"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notice_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient}"
