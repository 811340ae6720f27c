from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from coaching.models import GrowthGoal, LeadRole, NextStep, PracticeLevel, TeachingMove, Visit
from coaching.services import NextStepData
from district.forms import (
    MAX_ID,
    STALE_FORM,
    HiddenFieldsChecked,
    IdChoiceField,
    IdField,
    IdMultipleChoiceField,
    VersionField,
    ids_checked,
)
from district.models import School, SchoolYear


def _grouped_levels(levels: QuerySet[PracticeLevel]) -> list[tuple[str, list[tuple[int, str]]]]:
    groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for level in levels.select_related("practice").order_by("practice__order", "rank"):
        groups[level.practice.name].append((level.pk, f"{level.rank}. {level.name}"))
    return list(groups.items())


class GroupedLevelField(IdChoiceField):
    """Levels shown under their practice, so the right rung is easy to find on a phone."""

    offers_levels = True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=PracticeLevel.objects.all(), **kwargs)

    def group_choices(self) -> None:
        """Read the rubric when the form is built, not when the module is imported."""
        self.choices = [("", "—"), *_grouped_levels(PracticeLevel.objects.all())]

    def limit_to(self, *, practice_ids: list[int], keep: int | None = None) -> None:
        """Offer only the levels of these practices, and ``keep`` (the level already recorded)."""
        levels = PracticeLevel.objects.filter(Q(practice_id__in=practice_ids) | Q(pk=keep or 0))
        groups = _grouped_levels(levels)
        self.queryset = levels
        self.choices = [("", "—"), *groups]
        self.offers_levels = bool(groups)


def _group_level_fields(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field, GroupedLevelField):
            field.group_choices()


def goal_label(goal: GrowthGoal) -> str:
    """How a goal is named where a visit may focus on it (needs its practice and school year)."""
    draft = ", draft" if goal.status == GrowthGoal.Status.DRAFT else ""
    return f"{goal.practice} ({goal.school_year}{draft})"


class FocusGoalField(IdMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return goal_label(obj)


def date_or_none(raw: str) -> datetime.date | None:
    """A date typed in a date field, or None when it is not one (yet)."""
    try:
        return forms.DateField(required=False).clean(raw)
    except forms.ValidationError:
        return None


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit() and int(v) <= MAX_ID]


class VisitForm(HiddenFieldsChecked, forms.ModelForm):
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
    version = VersionField()
    # Given by the phone (or here, without JavaScript) so a form sent twice makes one visit.
    client_id = forms.UUIDField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Visit
        formfield_callback = ids_checked
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

    def __init__(
        self,
        *args: Any,
        schools: QuerySet[School],
        goals: QuerySet[GrowthGoal],
        focus_goal_ids: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        """``focus_goal_ids``: the goals ticked so far, when the page asks for the levels to offer."""
        super().__init__(*args, **kwargs)
        school_field = cast(forms.ModelChoiceField, self.fields["school"])
        school_field.queryset = schools
        school_field.error_messages["invalid_choice"] = (
            "Select a valid choice: this school is not in your caseload (any more)."
        )
        goals_field = cast(forms.ModelMultipleChoiceField, self.fields["focus_goals"])
        goals_field.queryset = goals
        classrooms = self.fields["classrooms_visited"]
        classrooms.required = False  # blank while planned; the clean method asks for it once done
        if self.instance.pk:
            school_field.disabled = True
            self.fields["moves"].initial = [m.move for m in self.instance.moves.all()]
            del self.fields["client_id"]
        else:
            self.fields["client_id"].initial = uuid.uuid4()
            # A visit dated today or earlier is usually being logged, not planned.
            self.initial["status"] = self.status_for(self.instance.date)
            self.initial["classrooms_visited"] = None
        in_focus = goals.filter(pk__in=_ids(self._ticked_goals(focus_goal_ids)))
        cast(GroupedLevelField, self.fields["observed_level"]).limit_to(
            practice_ids=list(in_focus.values_list("practice_id", flat=True)), keep=self.instance.observed_level_id
        )

    @staticmethod
    def status_for(date: datetime.date | None) -> str:
        """The status a new visit starts with: done if its day has come, planned if it is ahead."""
        if date is not None and date > timezone.localdate():
            return Visit.Status.PLANNED
        return Visit.Status.DONE

    def _ticked_goals(self, focus_goal_ids: list[str] | None) -> list[str]:
        if focus_goal_ids is not None:
            return focus_goal_ids
        if self.is_bound:
            widget = self.fields["focus_goals"].widget
            ticked = widget.value_from_datadict(self.data, self.files, self.add_prefix("focus_goals"))
            return [str(value) for value in ticked or []]
        if self.instance.pk:
            return [str(pk) for pk in self.instance.focus_goals.values_list("pk", flat=True)]
        return []

    def clean_classrooms_visited(self) -> int:
        count: int | None = self.cleaned_data.get("classrooms_visited")
        if count is not None:
            return count
        if self.cleaned_data.get("status") == Visit.Status.DONE:
            raise forms.ValidationError("Enter how many classrooms you visited (0 if none).", code="required")
        return 0


class NextStepForm(HiddenFieldsChecked, forms.Form):
    id = IdField()
    owner = forms.ChoiceField(label="For", choices=NextStep.Owner.choices)
    description = forms.CharField(label="Next step", max_length=300)
    due_date = forms.DateField(label="Due", widget=forms.DateInput(attrs={"type": "date"}))

    def as_data(self) -> NextStepData:
        data = self.cleaned_data
        return NextStepData(
            owner=data["owner"], description=data["description"], due_date=data["due_date"], pk=data.get("id")
        )


class BaseNextStepFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        # Django skips the checks of rows marked for removal, but their ids must still be ours.
        if any(form.errors.get("id") for form in self.forms if form.cleaned_data.get("DELETE")):
            raise forms.ValidationError(STALE_FORM)

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


class GoalForm(HiddenFieldsChecked, forms.ModelForm):
    baseline_level = GroupedLevelField(label="Baseline level (where the principal is now)")
    target_level = GroupedLevelField(label="Target level (by the end of the year)")
    version = VersionField()

    class Meta:
        model = GrowthGoal
        formfield_callback = ids_checked
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
            status_field = cast(forms.ChoiceField, self.fields["status"])
            # Carrying over is its own action, and a draft becomes active when the principal confirms.
            excluded = {GrowthGoal.Status.CARRIED_OVER}
            if self.instance.status == GrowthGoal.Status.DRAFT:
                excluded.add(GrowthGoal.Status.ACTIVE)  # only the principal's confirmation makes it active
            status_field.choices = [c for c in GrowthGoal.Status.choices if c[0] not in excluded]
