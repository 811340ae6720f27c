"""Forms for answering the survey, rating a delivered request and importing results."""

from __future__ import annotations

from typing import Any

from django import forms

from cycles.satisfaction.models import SurveyItem

SCORE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


class UnitSurveyForm(forms.Form):
    """One unit's short form: a 1–5 score per item of the bank, and a comment."""

    comment = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Anything else? (shared anonymously only when enough principals answer)",
    )

    def __init__(self, *args: Any, items: list[SurveyItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.TypedChoiceField(
                label=item.text,
                choices=SCORE_CHOICES,
                coerce=int,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )

    @property
    def score_fields(self) -> list[forms.BoundField]:
        return [self[f"item_{item.pk}"] for item in self.items]

    def scores(self) -> dict[int, int | None]:
        return {item.pk: self.cleaned_data.get(f"item_{item.pk}") or None for item in self.items}


class RatingForm(forms.Form):
    quality = forms.TypedChoiceField(
        label="Quality of the service", choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    responsiveness = forms.TypedChoiceField(
        label="Responsiveness of the unit", choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ResultsImportForm(forms.Form):
    file = forms.FileField(
        label="Survey results (CSV)", help_text="Columns: school_code, unit, term, item, score, and optionally comment."
    )
