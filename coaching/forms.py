from __future__ import annotations

from collections import defaultdict
from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from coaching.models import GrowthGoal, LeadRole, NextStep, PracticeLevel, TeachingMove, Visit
from coaching.services import NextStepData
from district.models import School, SchoolYear


def _grouped_levels(levels: QuerySet[PracticeLevel]) -> list[tuple[str, list[tuple[int, str]]]]:
    groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for level in levels.select_related("practice").order_by("practice__order", "rank"):
        groups[level.practice.name].append((level.pk, f"{level.rank}. {level.name}"))
    return list(groups.items())


class GroupedLevelField(forms.ModelChoiceField):
    """Levels shown under their practice, so the right rung is easy to find on a phone."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=PracticeLevel.objects.all(), **kwargs)

    def group_choices(self) -> None:
        """Read the rubric when the form is built, not when the module is imported."""
        self.choices = [("", "—"), *_grouped_levels(PracticeLevel.objects.all())]


def _group_level_fields(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field, GroupedLevelField):
            field.group_choices()


class FocusGoalField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        draft = ", draft" if obj.status == GrowthGoal.Status.DRAFT else ""
        return f"{obj.practice} ({obj.school_year}{draft})"


class VisitForm(forms.ModelForm):
    moves = forms.MultipleChoiceField(
        label="Your teaching moves",
        choices=TeachingMove.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    lead_role = forms.TypedChoiceField(
        label=Visit._meta.get_field("lead_role").verbose_name.capitalize(),
        choices=[("", "Not recorded"), *LeadRole.choices],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    observed_level = GroupedLevelField(required=False, label="Principal's observed level on the focus practice")
    focus_goals = FocusGoalField(
        queryset=GrowthGoal.objects.none(),
        required=False,
        label="Growth goals in focus",
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Visit
        fields = [
            "school",
            "date",
            "start_time",
            "duration_minutes",
            "status",
            "principal_present",
            "other_participants",
            "classrooms_visited",
            "grades_subjects",
            "focus_goals",
            "lead_role",
            "observed_level",
            "what_we_saw",
            "brokered_resource",
            "private_note",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "status": forms.RadioSelect,
            "focus_goals": forms.CheckboxSelectMultiple,
            "what_we_saw": forms.Textarea(attrs={"rows": 4}),
            "private_note": forms.Textarea(attrs={"rows": 2}),
            "classrooms_visited": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "duration_minutes": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "step": 15}),
        }
        labels = {"duration_minutes": "Duration (minutes)", "focus_goals": "Growth goals in focus"}

    def __init__(self, *args: Any, schools: QuerySet[School], goals: QuerySet[GrowthGoal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _group_level_fields(self)
        school_field = cast(forms.ModelChoiceField, self.fields["school"])
        school_field.queryset = schools
        goals_field = cast(forms.ModelMultipleChoiceField, self.fields["focus_goals"])
        goals_field.queryset = goals
        if self.instance.pk:
            school_field.disabled = True
            self.fields["moves"].initial = [m.move for m in self.instance.moves.all()]
            self.fields["version"].initial = self.instance.version


class NextStepForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    owner = forms.ChoiceField(label="For", choices=NextStep.Owner.choices)
    description = forms.CharField(label="Next step", max_length=300)
    due_date = forms.DateField(label="Due", widget=forms.DateInput(attrs={"type": "date"}))

    def as_data(self) -> NextStepData:
        data = self.cleaned_data
        return NextStepData(
            owner=data["owner"], description=data["description"], due_date=data["due_date"], pk=data.get("id")
        )


class BaseNextStepFormSet(forms.BaseFormSet):
    def kept(self) -> list[NextStepData]:
        """Next steps to keep: filled-in rows not marked for removal (blank added rows are skipped)."""
        return [f.as_data() for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]

    def removed_ids(self) -> list[int]:
        return [f.cleaned_data["id"] for f in self.forms if f.cleaned_data.get("DELETE") and f.cleaned_data.get("id")]


NextStepFormSet = forms.formset_factory(NextStepForm, formset=BaseNextStepFormSet, extra=0, can_delete=True)
NEXT_STEP_PREFIX = "steps"


def next_step_initial(visit: Visit) -> list[dict[str, Any]]:
    return [
        {"id": s.pk, "owner": s.owner, "description": s.description, "due_date": s.due_date}
        for s in visit.next_steps.all()
    ]


class ReflectionForm(forms.Form):
    principal_reflection = forms.CharField(
        label="Your reflection",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What did you notice, what will you try, what do you need from your ILD?",
    )


class GoalForm(forms.ModelForm):
    baseline_level = GroupedLevelField(label="Baseline level (where the principal is now)")
    target_level = GroupedLevelField(label="Target level (by the end of the year)")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = GrowthGoal
        fields = [
            "school",
            "school_year",
            "practice",
            "statement",
            "baseline_level",
            "target_level",
            "success_criteria",
            "evidence",
            "status",
        ]
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 3}),
            "success_criteria": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, schools: QuerySet[School], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _group_level_fields(self)
        school_field = cast(forms.ModelChoiceField, self.fields["school"])
        school_field.queryset = schools
        year_field = cast(forms.ModelChoiceField, self.fields["school_year"])
        year_field.queryset = SchoolYear.objects.order_by("-start_date")
        if not self.instance.pk:
            current = SchoolYear.objects.current()
            if current:
                year_field.initial = current.pk
            del self.fields["status"]
            del self.fields["evidence"]
        else:
            school_field.disabled = True
            year_field.disabled = True
            self.fields["version"].initial = self.instance.version
            status_field = cast(forms.ChoiceField, self.fields["status"])
            # Carrying over is its own action, and a draft becomes active when the principal confirms.
            excluded = {GrowthGoal.Status.CARRIED_OVER}
            if self.instance.status == GrowthGoal.Status.DRAFT:
                excluded.add(GrowthGoal.Status.ACTIVE)  # only the principal's confirmation makes it active
            status_field.choices = [c for c in GrowthGoal.Status.choices if c[0] not in excluded]
