from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils import timezone

from coaching.models import GrowthGoal
from cycles.inquiry.models import CycleOfInquiry
from district.forms import IdChoiceField, ids_checked
from district.models import School, Term
from service_menu.models import Service


def _goal_label(goal: GrowthGoal) -> str:
    label = f"{goal.practice} ({goal.school_year})"
    return label if goal.status == GrowthGoal.Status.ACTIVE else f"{label}, {goal.get_status_display().lower()}"


def _service_label(service: Service) -> str:
    return f"{service.title} ({service.tier})"


class ServicesByUnit(ModelChoiceIterator):
    """Choices grouped under one <optgroup> per unit; the queryset comes ordered by unit."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for unit, services in itertools.groupby(self.queryset, key=lambda service: service.menu.unit):
            yield (unit.name, [self.choice(service) for service in services])


class ServiceForm(forms.ModelForm):
    eligible_levels = forms.MultipleChoiceField(
        choices=School.Level.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked if every school may request it.",
    )

    class Meta:
        model = Service
        formfield_callback = ids_checked
        fields = [
            "title",
            "summary",
            "description",
            "content_area",
            "tier",
            "format_dosage",
            "provider",
            "partner_name",
            "capacity_per_term",
            "cost_per_school",
            "eligible_levels",
            "rationale",
            "hours_saved",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "rationale": forms.Textarea(attrs={"rows": 3}),
        }


class PublishForm(forms.Form):
    cycle = IdChoiceField(
        queryset=CycleOfInquiry.objects.none(),
        required=False,
        label="Because of the cycle of inquiry",
        help_text="If this revision comes out of a cycle, cite it: the cycle lists the revisions it caused.",
    )
    change_note = forms.CharField(
        label="What changed and why",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Principals read this with the new version. Required when revising a published menu.",
    )

    def __init__(self, *args: Any, unit: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if unit is not None:
            cast(forms.ModelChoiceField, self.fields["cycle"]).queryset = CycleOfInquiry.objects.filter(unit=unit)


class RequestForm(forms.Form):
    school = IdChoiceField(queryset=School.objects.none(), label="For school")
    term = IdChoiceField(queryset=Term.objects.none())
    growth_goal = IdChoiceField(
        queryset=GrowthGoal.objects.none(),
        required=False,
        label="Growth goal it serves",
        empty_label="— none of these —",
    )
    improvement_priority = forms.CharField(
        required=False, max_length=255, label="Or the improvement priority it serves"
    )
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label="Why this service, for this school, now"
    )

    def __init__(self, *args: Any, schools: QuerySet[School], goals: QuerySet[GrowthGoal], **kwargs: Any) -> None:
        """``goals`` are the chosen school's only: the view reads them for the school in the form."""
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["school"]).queryset = schools
        cast(forms.ModelChoiceField, self.fields["term"]).queryset = Term.objects.filter(
            school_year__is_current=True, end_date__gte=timezone.localdate()
        ).select_related("school_year")
        goal_field = cast(forms.ModelChoiceField, self.fields["growth_goal"])
        goal_field.queryset = goals
        goal_field.label_from_instance = _goal_label  # type: ignore[method-assign,assignment]


class ScheduleForm(forms.Form):
    scheduled_start = forms.DateField(label="First date", widget=forms.DateInput(attrs={"type": "date"}))
    scheduled_end = forms.DateField(label="Last date", widget=forms.DateInput(attrs={"type": "date"}))


class DeclineForm(forms.Form):
    decline_reason = forms.CharField(label="Why not", widget=forms.Textarea(attrs={"rows": 2}))
    alternative_service = IdChoiceField(
        queryset=Service.objects.none(), required=False, label="No, but: another service (any unit)"
    )
    alternative_term = IdChoiceField(queryset=Term.objects.none(), required=False, label="No, but: a later term")
    alternative_note = forms.CharField(
        required=False, label="No, but: a workaround", widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, services: QuerySet[Service], terms: QuerySet[Term], **kwargs: Any) -> None:
        """``services`` must come ordered by unit: the picker groups them under one heading per unit."""
        super().__init__(*args, **kwargs)
        service_field = cast(forms.ModelChoiceField, self.fields["alternative_service"])
        service_field.iterator = ServicesByUnit  # before the queryset, which hands the widget its choices
        service_field.label_from_instance = _service_label  # type: ignore[method-assign,assignment]
        service_field.queryset = services
        cast(forms.ModelChoiceField, self.fields["alternative_term"]).queryset = terms


class DeliveryForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(max_digits=5, decimal_places=1, min_value=0)
    note = forms.CharField(label="What was delivered", widget=forms.Textarea(attrs={"rows": 2}))
