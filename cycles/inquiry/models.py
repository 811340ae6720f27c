"""Cycles of inquiry: a unit's cycle, its plan actions and their check-ins.

A cycle targets one satisfaction item; its baseline and result are read from the survey
results (`cycles.inquiry.services`), never typed in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cycles.satisfaction.models import SurveyItem
from district.models import Term, Unit, User

if TYPE_CHECKING:
    from django_stubs_ext.db.models.manager import RelatedManager


class CycleQuerySet(models.QuerySet["CycleOfInquiry"]):
    def active(self) -> CycleQuerySet:
        return self.filter(status=CycleOfInquiry.Status.ACTIVE)

    def closed(self) -> CycleQuerySet:
        return self.filter(status=CycleOfInquiry.Status.CLOSED)


class CycleOfInquiry(models.Model):
    """A unit's cycle: from what the data shows, through a plan, to a measured result."""

    class Stage(models.TextChoices):
        PLAN = "plan", "Plan"
        DO = "do", "Do"
        STUDY = "study", "Study"
        ACT = "act", "Act"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    class Decision(models.TextChoices):
        ADOPT = "adopt", "Adopt: keep the change"
        ADAPT = "adapt", "Adapt: change it and try again"
        ABANDON = "abandon", "Abandon: it did not work"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cycles")
    title = models.CharField(max_length=150)
    problem_of_practice = models.TextField(help_text="What the data shows, in the unit's own words.")
    metric_item = models.ForeignKey(
        SurveyItem, on_delete=models.PROTECT, related_name="+", help_text="The satisfaction item this cycle targets."
    )
    service = models.ForeignKey(
        "service_menu.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Optional: one service, whose delivered-request ratings give the interim readings.",
    )
    baseline_term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    theory_if = models.TextField("if we …")
    theory_then = models.TextField("then principals will …")
    theory_because = models.TextField("because …")
    target_value = models.DecimalField(
        max_digits=3, decimal_places=2, validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="The mean score (1–5) the unit aims for.",
    )  # fmt: skip
    target_term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(max_length=8, choices=Stage.choices, default=Stage.PLAN)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    lessons_learned = models.TextField(blank=True)
    decision = models.CharField(max_length=8, choices=Decision.choices, blank=True)
    close_note = models.TextField(blank=True, help_text="Why the cycle closed with actions still open.")
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = CycleQuerySet.as_manager()

    if TYPE_CHECKING:
        actions: RelatedManager[PlanAction]

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = "cycle of inquiry"
        verbose_name_plural = "cycles of inquiry"

    def __str__(self) -> str:
        return self.title


class PlanAction(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    OPEN = (Status.NOT_STARTED, Status.IN_PROGRESS)

    cycle = models.ForeignKey(CycleOfInquiry, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="plan_actions")
    due_date = models.DateField()
    benchmark = models.CharField(max_length=255, help_text="The evidence that shows this is done.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    if TYPE_CHECKING:
        check_ins: RelatedManager[CheckIn]

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_overdue(self) -> bool:
        """Open and past due, in a cycle still running (a closed cycle's leftovers are history, not late)."""
        return (
            self.is_open and self.due_date < timezone.localdate() and self.cycle.status == CycleOfInquiry.Status.ACTIVE
        )


class CheckIn(models.Model):
    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="check_ins")
    date = models.DateField(default=timezone.localdate)
    note = models.TextField()
    evidence = models.CharField(max_length=255, blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"Check-in on {self.action}"
