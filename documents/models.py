"""Long documents (PDFs) built by the task worker and kept until their inputs change.

A document is one kind (the cabinet packet, a unit's report...) with its parameters (the
unit, the term, the page size), built from the data as it stood at one fingerprint: a
digest of the inputs' versions. Asking again while the fingerprint is the same serves the
stored file at once; a change in the inputs makes a new row, built afresh.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Document(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        BUILDING = "building", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict)
    key = models.CharField(max_length=200, help_text="The kind and its parameters, as one comparable string.")
    fingerprint = models.CharField(max_length=64, help_text="Digest of the versions of the document's inputs.")
    title = models.CharField(max_length=200)
    filename = models.CharField(max_length=120)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    content = models.BinaryField(default=b"", editable=False)
    size = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_path = models.CharField(max_length=500, blank=True)
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "fingerprint"], name="document_once_per_fingerprint")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def waiting(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.BUILDING}

    @property
    def seconds_to_build(self) -> float | None:
        if self.started_at is None or self.built_at is None:
            return None
        return (self.built_at - self.started_at).total_seconds()
