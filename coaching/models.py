"""Principal coaching: the leadership rubric, growth goals, visits and next steps."""

from __future__ import annotations

import datetime
import secrets
from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from district.models import School, SchoolYear, User

if TYPE_CHECKING:
    from django_stubs_ext.db.models.manager import RelatedManager


class LeadershipPractice(models.Model):
    """One practice of instructional leadership in the district's rubric."""

    name = models.CharField(max_length=150, unique=True)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    if TYPE_CHECKING:
        levels: RelatedManager[PracticeLevel]

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class PracticeLevel(models.Model):
    """An ordered level of a practice, from emerging (rank 1) to leading."""

    practice = models.ForeignKey(LeadershipPractice, on_delete=models.CASCADE, related_name="levels")
    rank = models.PositiveSmallIntegerField(help_text="1 is the first level; higher is more advanced.")
    name = models.CharField(max_length=60)
    descriptor = models.TextField(help_text="What a principal at this level does.")

    class Meta:
        ordering = ["practice__order", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "rank"], name="practice_level_rank_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.name}"


class GrowthGoalQuerySet(models.QuerySet["GrowthGoal"]):
    def active(self) -> GrowthGoalQuerySet:
        return self.filter(status=GrowthGoal.Status.ACTIVE)

    def for_school(self, school: School) -> GrowthGoalQuerySet:
        return self.filter(school=school)


class GrowthGoal(models.Model):
    """A principal's goal for one school year on one practice, written with their ILD."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        MET = "met", "Met"
        PARTLY_MET = "partly_met", "Partly met"
        NOT_MET = "not_met", "Not met"
        CARRIED_OVER = "carried_over", "Carried over"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="growth_goals")
    principal = models.ForeignKey(User, on_delete=models.PROTECT, related_name="growth_goals")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="growth_goals")
    practice = models.ForeignKey(LeadershipPractice, on_delete=models.PROTECT, related_name="growth_goals")
    statement = models.TextField(help_text="What the principal will be able to do, in their own words.")
    baseline_level = models.ForeignKey(PracticeLevel, on_delete=models.PROTECT, related_name="+")
    target_level = models.ForeignKey(PracticeLevel, on_delete=models.PROTECT, related_name="+")
    success_criteria = models.TextField(help_text="The evidence that will show the goal is met.")
    evidence = models.TextField(blank=True, help_text="Evidence gathered so far.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    drafted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    carried_from = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_into",
        verbose_name="carried over from",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = GrowthGoalQuerySet.as_manager()

    class Meta:
        ordering = ["-school_year__start_date", "practice__order"]

    def __str__(self) -> str:
        return f"{self.practice} — {self.school} {self.school_year}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class VisitQuerySet(models.QuerySet["Visit"]):
    def done(self) -> VisitQuerySet:
        return self.filter(status=Visit.Status.DONE)

    def planned(self) -> VisitQuerySet:
        return self.filter(status=Visit.Status.PLANNED)

    def joint(self) -> VisitQuerySet:
        return self.filter(principal_present=True)

    def between(self, start: datetime.date, end: datetime.date) -> VisitQuerySet:
        return self.filter(date__gte=start, date__lte=end)


class TeachingMove(models.TextChoices):
    MODELLING = "modelling", "Modelling"
    JOINT_OBSERVATION = "joint_observation", "Joint observation"
    THINK_ALOUD = "think_aloud", "Think-aloud"
    TOOL = "tool", "Using or developing a tool"
    BROKERING = "brokering", "Brokering a resource"
    DIFFERENTIATING = "differentiating", "Differentiating support"
    PRESSING = "pressing", "Pressing / challenging"
    DEBRIEF = "debrief", "Debrief"


class LeadRole(models.IntegerChoices):
    """Who led the leadership task: the gradual release from ILD to principal."""

    ILD_MODELLED = 1, "ILD modelled"
    CO_LED = 2, "Co-led"
    PRINCIPAL_WITH_FEEDBACK = 3, "Principal led, ILD gave feedback"
    PRINCIPAL_INDEPENDENT = 4, "Principal led independently"


class Visit(models.Model):
    """A classroom visit by an ILD, ideally alongside the principal."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="visits")
    ild = models.ForeignKey(User, on_delete=models.PROTECT, related_name="coaching_visits", verbose_name="ILD")
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField("duration (minutes)", default=90)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    principal_present = models.BooleanField(
        "joint visit (principal present)",
        default=True,
        help_text="Visiting alongside the principal is how principals learn to lead instruction.",
    )
    other_participants = models.CharField(max_length=255, blank=True)
    classrooms_visited = models.PositiveSmallIntegerField(default=0)
    grades_subjects = models.CharField("grades and subjects", max_length=255, blank=True)
    focus_goals = models.ManyToManyField(GrowthGoal, blank=True, related_name="visits")
    lead_role = models.PositiveSmallIntegerField(
        "who led the leadership task", choices=LeadRole.choices, null=True, blank=True
    )
    observed_level = models.ForeignKey(
        PracticeLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The principal's level on the focus practice, as observed today.",
    )
    what_we_saw = models.TextField("what we saw", blank=True, help_text="Shared with the principal.")
    private_note = models.TextField(
        blank=True, help_text="Only you will ever see this note: not the principal, not executives."
    )
    brokered_resource = models.CharField(
        "what was brokered",
        max_length=255,
        blank=True,
        help_text="The resource, person or service you connected the principal with.",
    )
    principal_reflection = models.TextField("principal's reflection", blank=True)
    reflection_at = models.DateTimeField(null=True, blank=True)
    principal_notified_at = models.DateTimeField(null=True, blank=True)
    client_id = models.UUIDField(
        "id given on the phone",
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="The id the ILD's phone gave the visit before sending it, so a repeated send is the same visit.",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Private notes never enter the history: the history is readable by administrators. The
    # phone's id never changes after the visit is made, so the history has nothing to say of it.
    history = HistoricalRecords(excluded_fields=["private_note", "client_id"])
    objects = VisitQuerySet.as_manager()

    if TYPE_CHECKING:
        moves: RelatedManager[VisitMove]
        next_steps: RelatedManager[NextStep]

    class Meta:
        ordering = ["-date", "-start_time"]
        indexes = [
            models.Index(fields=["ild", "date"]),
            models.Index(fields=["school", "date"]),
            # The district's visits list, newest first, reads one page off this index
            # instead of sorting every visit.
            models.Index(fields=["date", "id"], name="visit_by_date"),
        ]

    def __str__(self) -> str:
        return f"{self.school} · {self.date:%b %-d, %Y}"

    @property
    def is_joint(self) -> bool:
        return self.principal_present

    @property
    def move_labels(self) -> list[str]:
        return [TeachingMove(m.move).label for m in self.moves.all()]


class VisitMove(models.Model):
    """One teaching move an ILD used in a visit (a fixed vocabulary)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="moves")
    move = models.CharField(max_length=24, choices=TeachingMove.choices)

    class Meta:
        ordering = ["move"]
        constraints = [models.UniqueConstraint(fields=["visit", "move"], name="visit_move_unique")]

    def __str__(self) -> str:
        return self.get_move_display()


class NextStepQuerySet(models.QuerySet["NextStep"]):
    def open(self) -> NextStepQuerySet:
        return self.filter(done=False)

    def overdue(self, today: datetime.date | None = None) -> NextStepQuerySet:
        return self.open().filter(due_date__lt=today or timezone.localdate())


class NextStep(models.Model):
    class Owner(models.TextChoices):
        PRINCIPAL = "principal", "Principal"
        ILD = "ild", "ILD"

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="next_steps")
    owner = models.CharField(max_length=10, choices=Owner.choices, default=Owner.PRINCIPAL)
    description = models.CharField(max_length=300)
    due_date = models.DateField()
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = NextStepQuerySet.as_manager()

    class Meta:
        ordering = ["done", "due_date"]

    def __str__(self) -> str:
        return self.description

    @property
    def is_overdue(self) -> bool:
        return not self.done and self.due_date < timezone.localdate()


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's secret calendar address; revoking it replaces the token."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar of {self.user}"


__all__ = [
    "CalendarFeed",
    "GrowthGoal",
    "LeadRole",
    "LeadershipPractice",
    "NextStep",
    "PracticeLevel",
    "TeachingMove",
    "Visit",
    "VisitMove",
]
