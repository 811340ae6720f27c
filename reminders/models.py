"""A log of the scheduled reminders that went out, so none goes twice in a day."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class SentReminder(models.Model):
    """One reminder email to one address about one thing on one day."""

    class Kind(models.TextChoices):
        OVERDUE_REQUESTS = "overdue_requests", "Requests waiting past the response target"
        SURVEY = "survey", "Survey not yet answered"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipient = models.EmailField()
    about = models.CharField(max_length=80, help_text="What the reminder was about, e.g. district.unit:3.")
    sent_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_on", "kind", "recipient"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "about", "sent_on"], name="one_reminder_per_recipient_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient} on {self.sent_on}"
