"""Service menus: what each unit offers, in tiers, and the requests schools make of it."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from district.models import School, SchoolYear, Term, Unit, User

if TYPE_CHECKING:
    from django_stubs_ext.db.models.manager import RelatedManager


class ContentArea(models.Model):
    """A configurable area of work: elementary math, literacy, facilities, …"""

    name = models.CharField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Tier(models.Model):
    """A configurable, ordered tier, from the service every school gets to the most intensive."""

    name = models.CharField(max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(max_length=255, blank=True)
    needs_request = models.BooleanField(
        default=True, help_text="Off for services every school receives without asking (e.g. Essential)."
    )
    needs_endorsement = models.BooleanField(
        default=False, help_text="Requests need the school's ILD to endorse them before the unit answers."
    )

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class MenuQuerySet(models.QuerySet["Menu"]):
    def published(self) -> MenuQuerySet:
        return self.filter(status=Menu.Status.PUBLISHED)

    def current(self) -> MenuQuerySet:
        """The menus principals see: each unit's published version for the current year."""
        return self.published().filter(school_year__is_current=True)


class Menu(models.Model):
    """One version of a unit's menu for a school year. Publishing freezes it."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="menus")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="menus")
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    change_note = models.TextField(blank=True, help_text="What changed from the last version, and why.")
    cycle = models.ForeignKey(
        "cycles.CycleOfInquiry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="menu_revisions",
        help_text="The cycle of inquiry that motivated this version, if any.",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = MenuQuerySet.as_manager()

    if TYPE_CHECKING:
        services: RelatedManager[Service]

    class Meta:
        ordering = ["unit__name", "-school_year__start_date", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "school_year", "version"], name="menu_version_unique"),
            models.UniqueConstraint(
                fields=["unit", "school_year"],
                condition=Q(status="published"),
                name="one_published_menu_per_unit_year",
            ),
            models.UniqueConstraint(
                fields=["unit", "school_year"], condition=Q(status="draft"), name="one_draft_menu_per_unit_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} menu {self.school_year}, version {self.version}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class ServiceQuerySet(models.QuerySet["Service"]):
    def on_current_menus(self) -> ServiceQuerySet:
        return self.filter(menu__in=Menu.objects.current())

    def for_level(self, level: str) -> ServiceQuerySet:
        return self.filter(Q(eligible_levels=[]) | Q(eligible_levels__icontains=level))

    def offered_to(self, school: School) -> ServiceQuerySet:
        """Services the school may ask for: every central unit's, and its own cluster's lead partner's."""
        return self.filter(Q(menu__unit__kind=Unit.Kind.CENTRAL) | Q(menu__unit__cluster_id=school.cluster_id))


class Service(models.Model):
    """A service on one menu version. Versions of the same service share a ``key``."""

    class Provider(models.TextChoices):
        INTERNAL = "internal", "The unit's own staff"
        BROKERED = "brokered", "External partner (brokered)"

    menu = models.ForeignKey(Menu, on_delete=models.CASCADE, related_name="services")
    key = models.UUIDField(default=uuid.uuid4, editable=False, help_text="The same service across menu versions.")
    title = models.CharField(max_length=150)
    summary = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    content_area = models.ForeignKey(ContentArea, on_delete=models.PROTECT, related_name="services")
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="services")
    format_dosage = models.CharField("format and dosage", max_length=150, help_text="e.g. 4 coaching days per semester")
    provider = models.CharField(max_length=10, choices=Provider.choices, default=Provider.INTERNAL)
    partner_name = models.CharField("external partner", max_length=150, blank=True)
    capacity_per_term = models.PositiveIntegerField(
        "capacity per term", null=True, blank=True, help_text="Schools served per term; empty means no limit."
    )
    cost_per_school = models.DecimalField(
        max_digits=9, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(Decimal(0))]
    )
    eligible_levels = models.JSONField(default=list, blank=True, help_text="Empty means every school level.")
    rationale = models.TextField(help_text="Why this should improve teaching and learning.")
    hours_saved = models.DecimalField(
        "principal hours saved per school",
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["tier__order", "content_area__order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["menu", "key"], name="service_once_per_menu"),
            models.CheckConstraint(
                condition=Q(provider="internal") | ~Q(partner_name=""),
                name="brokered_service_names_partner",
                violation_error_message="Name the external partner for a brokered service.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def unit(self) -> Unit:
        return self.menu.unit

    def eligible_for(self, school: School) -> bool:
        return not self.eligible_levels or school.level in self.eligible_levels

    def offered_to(self, school: School) -> bool:
        """A lead partner serves its own cluster's schools only; a central unit serves every school."""
        unit = self.menu.unit
        return unit.kind != Unit.Kind.LEAD_PARTNER or unit.cluster_id == school.cluster_id

    @property
    def cluster_only(self) -> bool:
        """Whether only one cluster's schools may ask for it (it is a lead partner's service)."""
        return self.menu.unit.kind == Unit.Kind.LEAD_PARTNER

    @property
    def eligible_level_labels(self) -> list[str]:
        labels = dict(School.Level.choices)
        return [labels.get(level, level) for level in self.eligible_levels] or ["All schools"]


class RequestQuerySet(models.QuerySet["Request"]):
    def open(self) -> RequestQuerySet:
        return self.exclude(status__in=Request.FINAL_STATUSES)

    def awaiting_answer(self) -> RequestQuerySet:
        return self.filter(status__in=[Request.Status.SUBMITTED, Request.Status.ENDORSED])

    def holding_capacity(self) -> RequestQuerySet:
        return self.filter(status__in=Request.CAPACITY_STATUSES)

    def for_unit(self, unit: Unit) -> RequestQuerySet:
        return self.filter(service__menu__unit=unit)


class Request(models.Model):
    """A school's request for a service in a term, and the unit's answer."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        ENDORSED = "endorsed", "Endorsed by the ILD"
        ACCEPTED = "accepted", "Accepted"
        SCHEDULED = "scheduled", "Scheduled"
        DELIVERED = "delivered", "Delivered"
        CLOSED = "closed", "Closed"
        DECLINED = "declined", "Declined, with an alternative"
        WAITLISTED = "waitlisted", "Waitlisted"
        CANCELLED = "cancelled", "Cancelled by the school"

    FINAL_STATUSES = (Status.CLOSED, Status.DECLINED, Status.CANCELLED)
    CAPACITY_STATUSES = (Status.ACCEPTED, Status.SCHEDULED, Status.DELIVERED, Status.CLOSED)

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="service_requests")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="requests")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="service_requests")
    growth_goal = models.ForeignKey(
        "coaching.GrowthGoal", on_delete=models.SET_NULL, null=True, blank=True, related_name="service_requests"
    )
    improvement_priority = models.CharField(
        max_length=255, blank=True, help_text="The school's improvement priority this serves, if not a growth goal."
    )
    rationale = models.TextField(help_text="Why this service, for this school, now.")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="service_requests")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    endorsed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    endorsed_at = models.DateTimeField(null=True, blank=True)
    first_answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    scheduled_start = models.DateField(null=True, blank=True)
    scheduled_end = models.DateField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    alternative_service = models.ForeignKey(
        Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="offered_as_alternative"
    )
    alternative_term = models.ForeignKey(Term, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    alternative_note = models.TextField("workaround", blank=True)
    taken_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alternatives_taken",
        help_text="The declined request whose alternative this request takes up.",
    )
    brokered_from_visit = models.ForeignKey(
        "coaching.Visit", on_delete=models.SET_NULL, null=True, blank=True, related_name="service_requests"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = RequestQuerySet.as_manager()

    if TYPE_CHECKING:
        events: RelatedManager[RequestEvent]
        deliveries: RelatedManager[DeliveryLog]

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "term"]),
            # Request lists, newest first, read one page off this index instead of sorting all.
            models.Index(fields=["created_at", "id"], name="request_by_created"),
        ]

    def __str__(self) -> str:
        return f"{self.school} — {self.service}"

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL_STATUSES

    @property
    def outside_cluster(self) -> bool:
        """A lead partner's service asked for by a school outside its cluster (kept, and flagged)."""
        return not self.service.offered_to(self.school)

    @property
    def has_alternative(self) -> bool:
        return bool(self.alternative_service_id or self.alternative_term_id or self.alternative_note.strip())


class RequestEvent(models.Model):
    """Each change of a request's status: who, when, from what to what."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, choices=Request.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Request.Status.choices)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


class DeliveryLog(models.Model):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="deliveries")
    date = models.DateField()
    hours = models.DecimalField(max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal(0))])
    note = models.TextField()
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.request} on {self.date}"


class UnitSettings(models.Model):
    """A unit's response target, in school days."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="service_settings")
    response_target_days = models.PositiveSmallIntegerField(default=3)

    class Meta:
        verbose_name = "unit's service settings"
        verbose_name_plural = "units' service settings"

    def __str__(self) -> str:
        return f"{self.unit}: answer within {self.response_target_days} school days"
