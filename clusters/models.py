"""A lead partner's performance contract with the district: the measures it is held to, with a
target for each school year. Nothing measured is typed in: every value is read from the data."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from cycles.satisfaction.models import SurveyItem
from district.models import SchoolYear, Unit

if TYPE_CHECKING:
    from django_stubs_ext.db.models.manager import RelatedManager


class PerformanceContract(models.Model):
    """The agreement between the district and one lead-partner unit, over a span of school years."""

    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="performance_contracts",
        limit_choices_to={"kind": Unit.Kind.LEAD_PARTNER},
        verbose_name="lead partner",
    )
    start_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    end_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    signed_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True, help_text="What the lead partner undertakes, in a few sentences.")
    updated_at = models.DateTimeField(auto_now=True)

    if TYPE_CHECKING:
        measures: RelatedManager[ContractMeasure]

    class Meta:
        ordering = ["unit__name", "-start_year__start_date"]
        verbose_name = "performance contract"

    def __str__(self) -> str:
        return f"{self.unit}: {self.start_year}–{self.end_year}"

    def clean(self) -> None:
        if self.unit_id and self.unit.kind != Unit.Kind.LEAD_PARTNER:
            raise ValidationError({"unit": "Only a lead-partner unit holds a performance contract."})
        if self.start_year_id and self.end_year_id and self.end_year.start_date < self.start_year.start_date:
            raise ValidationError({"end_year": "The contract cannot end before it starts."})

    def years(self, all_years: list[SchoolYear]) -> list[SchoolYear]:
        """The contract's school years, earliest first, from a list of every year."""
        start, end = self.start_year.start_date, self.end_year.start_date
        return sorted((y for y in all_years if start <= y.start_date <= end), key=lambda y: y.start_date)


class ContractMeasure(models.Model):
    """One measure the lead partner is held to."""

    class Kind(models.TextChoices):
        SATISFACTION = "satisfaction", "Principals' satisfaction with the lead partner (mean, 1–5)"
        GOALS_MET = "goals_met", "Growth goals met by the cluster's principals (%)"
        RESPONSE_DAYS = "response_days", "Median school days to a first answer"
        WITHIN_TARGET = "within_target", "Requests answered within the response target (%)"

    contract = models.ForeignKey(PerformanceContract, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    item = models.ForeignKey(
        SurveyItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": SurveyItem.Kind.SCORE},
        help_text="For satisfaction only: the survey item read (overall satisfaction if left empty).",
    )
    order = models.PositiveSmallIntegerField(default=0)

    if TYPE_CHECKING:
        targets: RelatedManager[ContractTarget]

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "kind"], condition=Q(item__isnull=True), name="contract_measure_once"
            ),
            models.UniqueConstraint(
                fields=["contract", "kind", "item"], condition=Q(item__isnull=False), name="contract_item_measure_once"
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.SATISFACTION and self.item_id:
            return f"Principals' satisfaction with the lead partner: {self.item}"
        return self.get_kind_display()

    @property
    def lower_is_better(self) -> bool:
        return self.kind == self.Kind.RESPONSE_DAYS

    def clean(self) -> None:
        if self.item_id and self.kind != self.Kind.SATISFACTION:
            raise ValidationError({"item": "Only a satisfaction measure reads a survey item."})


class ContractTarget(models.Model):
    """What the measure should reach in one school year of the contract."""

    measure = models.ForeignKey(ContractMeasure, on_delete=models.CASCADE, related_name="targets")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    target = models.DecimalField(max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal(0))])

    class Meta:
        ordering = ["school_year__start_date"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "school_year"], name="contract_target_once_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.target} in {self.school_year}"

    def clean(self) -> None:
        if not (self.measure_id and self.school_year_id):
            return
        contract = self.measure.contract
        start, end = contract.start_year.start_date, contract.end_year.start_date
        if not start <= self.school_year.start_date <= end:
            raise ValidationError({"school_year": "Choose a school year the contract covers."})
