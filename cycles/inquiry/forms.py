"""Forms for opening and closing a cycle, its plan actions and their check-ins."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from cycles.inquiry.models import CycleOfInquiry, PlanAction
from cycles.satisfaction.models import SurveyItem
from district.forms import HiddenFieldsChecked, VersionField, ids_checked
from district.models import Term, Unit, User
from service_menu.models import Service


class CycleForm(HiddenFieldsChecked, forms.ModelForm):
    version = VersionField()

    class Meta:
        model = CycleOfInquiry
        formfield_callback = ids_checked
        fields = [
            "title",
            "problem_of_practice",
            "metric_item",
            "service",
            "baseline_term",
            "theory_if",
            "theory_then",
            "theory_because",
            "target_value",
            "target_term",
            "stage",
        ]
        widgets = {
            "problem_of_practice": forms.Textarea(attrs={"rows": 3}),
            "theory_if": forms.Textarea(attrs={"rows": 2}),
            "theory_then": forms.Textarea(attrs={"rows": 2}),
            "theory_because": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["metric_item"]).queryset = SurveyItem.objects.scored()
        # One entry per service: this year's published version (every version shares the service's key).
        current = Service.objects.on_current_menus().filter(menu__unit=unit)
        if self.instance.service_id:
            current = current | Service.objects.filter(pk=self.instance.service_id)
        cast(forms.ModelChoiceField, self.fields["service"]).queryset = current.order_by("title")
        target = cast(forms.ModelChoiceField, self.fields["target_term"])
        target.queryset = target_terms(keep=self.instance.target_term_id)
        target.help_text = "Terms still to come: a result is read once that term's survey closes."
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


def target_terms(*, keep: int | None = None, today: datetime.date | None = None) -> QuerySet[Term]:
    """Terms a cycle can still aim at: not ended, and whose survey has not closed.

    ``keep`` is the term an existing cycle already targets, kept so that editing it still works.
    """
    day = today or timezone.localdate()
    future = Q(end_date__gte=day) & ~Q(survey__closes_on__lt=day)
    return Term.objects.filter(future | Q(pk=keep or 0)).select_related("school_year").order_by("start_date")


class CloseCycleForm(forms.Form):
    decision = forms.ChoiceField(choices=CycleOfInquiry.Decision.choices, widget=forms.RadioSelect)
    lessons_learned = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    close_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="If actions are still open: why close now?",
    )


class ActionForm(HiddenFieldsChecked, forms.ModelForm):
    version = VersionField()

    class Meta:
        model = PlanAction
        formfield_callback = ids_checked
        fields = ["title", "owner", "due_date", "benchmark", "status"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Offer the unit's people; the service checks again, for forged posts.
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = User.objects.filter(
            Q(unit_membership__unit=unit) | Q(headed_unit=unit)
        ).order_by("full_name")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class CheckInForm(HiddenFieldsChecked, forms.Form):
    status = forms.ChoiceField(choices=PlanAction.Status.choices)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="What happened since the last check-in")
    evidence = forms.CharField(required=False, max_length=255)
    version = VersionField(required=True)
