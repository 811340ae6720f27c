"""The district's org chart: people, schools, clusters, units, years and caseloads."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from django_stubs_ext.db.models.manager import RelatedManager


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("Every person needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> User:
        """Sign-in matches the email address whatever its capitals."""
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        "system administrator",
        default=False,
        help_text="May use the Django admin and import rosters.",
    )
    date_joined = models.DateTimeField(default=timezone.now)
    sourced_id = models.CharField(
        "OneRoster sourcedId",
        max_length=255,
        blank=True,
        default="",
        help_text="The student information system's id for this person, set by the OneRoster import.",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_case_insensitive_unique"),
            models.UniqueConstraint(fields=["sourced_id"], condition=~Q(sourced_id=""), name="user_sourced_id_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Cluster(models.Model):
    """A feeder pattern of schools around one high school."""

    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=255, blank=True)
    sourced_id = models.CharField(
        "OneRoster sourcedId",
        max_length=255,
        blank=True,
        default="",
        help_text="The org this cluster comes from in OneRoster files, if any.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["sourced_id"], condition=~Q(sourced_id=""), name="cluster_sourced_id_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SchoolQuerySet(models.QuerySet["School"]):
    def active(self) -> SchoolQuerySet:
        return self.filter(active=True)

    def in_caseload_of(self, user: User, on: datetime.date | None = None) -> SchoolQuerySet:
        caseloads = Caseload.objects.current(on).filter(ild=user)
        return self.filter(pk__in=caseloads.values("school_id"))

    def visible_to(self, user: User) -> SchoolQuerySet:
        """Schools this person may see: all for executives and admins, else their own
        (a lead partner's are its cluster's)."""
        from district.roles import roles_for

        roles = roles_for(user)
        if roles.sees_whole_district:
            return self.all()
        school_ids = set(roles.caseload_school_ids)
        if roles.principal_school_id:
            school_ids.add(roles.principal_school_id)
        if roles.lead_partner_cluster_id is not None:
            return self.filter(Q(pk__in=school_ids) | Q(cluster_id=roles.lead_partner_cluster_id))
        return self.filter(pk__in=school_ids)


class School(models.Model):
    class Level(models.TextChoices):
        ELEMENTARY = "elementary", "Elementary"
        MIDDLE = "middle", "Middle"
        HIGH = "high", "High"
        K8 = "k8", "K-8"
        K12 = "k12", "K-12"

    name = models.CharField(max_length=150)
    code = models.CharField(max_length=20, unique=True, help_text="The district's school code.")
    level = models.CharField(max_length=12, choices=Level.choices)
    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="schools")
    principal = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_school",
    )
    active = models.BooleanField(default=True)
    feeds_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feeders",
        verbose_name="students go on to",
        help_text="The school most of its students go on to: the feeder pattern (elementary → middle → high).",
    )
    sourced_id = models.CharField(
        "OneRoster sourcedId",
        max_length=255,
        blank=True,
        default="",
        help_text="The student information system's id for this school, set by the OneRoster import.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["sourced_id"], condition=~Q(sourced_id=""), name="school_sourced_id_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.feeds_into_id is None:
            return
        if self.feeds_into_id == self.pk:
            raise ValidationError({"feeds_into": "A school cannot feed into itself."})
        seen = {self.pk}
        step = School.objects.filter(pk=self.feeds_into_id).values_list("feeds_into_id", flat=True).first()
        while step is not None:
            if step in seen:
                raise ValidationError({"feeds_into": "This would make the feeder pattern go round in a circle."})
            seen.add(step)
            step = School.objects.filter(pk=step).values_list("feeds_into_id", flat=True).first()


class Unit(models.Model):
    """A central-office unit, or a cluster's lead-partner unit."""

    class Kind(models.TextChoices):
        CENTRAL = "central", "Central-office unit"
        LEAD_PARTNER = "lead_partner", "Lead-partner unit"

    name = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CENTRAL)
    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_partner_units",
        help_text="Only for a lead-partner unit: the cluster it serves.",
    )
    head = models.OneToOneField(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="headed_unit")
    description = models.CharField(max_length=500, blank=True)
    contact_email = models.EmailField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    if TYPE_CHECKING:
        memberships: RelatedManager[UnitMembership]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="central", cluster__isnull=True) | Q(kind="lead_partner", cluster__isnull=False),
                name="unit_lead_partner_has_cluster",
                violation_error_message="A lead-partner unit serves one cluster; a central unit none.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class UnitMembership(models.Model):
    """A staff member of one unit (the head is recorded on the unit itself)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="unit_membership")
    title = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["unit__name", "user__full_name"]

    def __str__(self) -> str:
        return f"{self.user} — {self.unit}"


class SchoolYearQuerySet(models.QuerySet["SchoolYear"]):
    def current(self) -> SchoolYear | None:
        return self.filter(is_current=True).first()


class SchoolYear(models.Model):
    name = models.CharField(max_length=20, unique=True, help_text="For example 2026–27.")
    start_date = models.DateField()
    end_date = models.DateField()
    is_current = models.BooleanField(default=False)

    objects = SchoolYearQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")),
                name="school_year_ends_after_start",
                violation_error_message="A school year must end after it starts.",
            ),
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="one_current_school_year",
                violation_error_message="Only one school year can be the current one.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TermQuerySet(models.QuerySet["Term"]):
    def containing(self, day: datetime.date | None = None) -> Term | None:
        """The term a day falls in (today by default), with its school year."""
        day = day or timezone.localdate()
        return self.filter(start_date__lte=day, end_date__gte=day).select_related("school_year").first()


class Term(models.Model):
    school_year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="terms")
    name = models.CharField(max_length=40)
    start_date = models.DateField()
    end_date = models.DateField()

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "name"], name="term_name_unique_in_year"),
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")),
                name="term_ends_after_start",
                violation_error_message="A term must end after it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.school_year}"

    def clean(self) -> None:
        year = self.school_year if self.school_year_id else None
        if year and (self.start_date < year.start_date or self.end_date > year.end_date):
            raise ValidationError("A term must fall inside its school year.")


class CaseloadQuerySet(models.QuerySet["Caseload"]):
    def current(self, on: datetime.date | None = None) -> CaseloadQuerySet:
        """Caseload assignments in force on a date (today by default)."""
        day = on or timezone.localdate()
        return self.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))


class Caseload(models.Model):
    """An ILD's responsibility for one school, dated so history survives a change of ILD."""

    ild = models.ForeignKey(User, on_delete=models.PROTECT, related_name="caseloads")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="caseloads")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = CaseloadQuerySet.as_manager()

    class Meta:
        ordering = ["school__name", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(end_date__isnull=True),
                name="one_open_caseload_per_school",
                violation_error_message="This school already has an ILD; end that caseload first.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="caseload_ends_after_start",
                violation_error_message="A caseload cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ild} → {self.school}"

    def clean(self) -> None:
        if not self.school_id or not self.start_date:
            return
        overlapping = Caseload.objects.filter(school_id=self.school_id).exclude(pk=self.pk)
        overlapping = overlapping.filter(Q(end_date__isnull=True) | Q(end_date__gte=self.start_date))
        if self.end_date:
            overlapping = overlapping.filter(start_date__lte=self.end_date)
        if overlapping.exists():
            raise ValidationError("A school has one ILD at a time; these dates overlap another caseload.")


class ExecutiveDesignation(models.Model):
    class Title(models.TextChoices):
        SUPERINTENDENT = "superintendent", "Superintendent"
        CHIEF_OF_SCHOOLS = "chief_of_schools", "Chief of schools"
        CABINET = "cabinet", "Cabinet member"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="executive")
    title = models.CharField(max_length=20, choices=Title.choices)

    class Meta:
        ordering = ["title", "user__full_name"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_title_display()})"


class DistrictExport(models.Model):
    """One full export of the district's data: who took it, and when."""

    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="district_exports")
    created_at = models.DateTimeField(default=timezone.now)
    tables = models.PositiveSmallIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)
    size_bytes = models.PositiveBigIntegerField("size (bytes)", default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "full export"
        verbose_name_plural = "full exports"

    def __str__(self) -> str:
        return f"Export by {self.requested_by} on {self.created_at:%Y-%m-%d %H:%M}"
