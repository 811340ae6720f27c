"""Forms for answering the survey, rating a delivered request and importing results."""

from __future__ import annotations

from html import escape
from typing import Any

from django import forms
from django.utils.safestring import SafeString, mark_safe

from cycles.satisfaction.models import SurveyItem

SCORE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


class RatingOptions(forms.RadioSelect):
    """The 1–5 scale as a row of tap-sized labelled options.

    The same inputs as RadioSelect, written here rather than through a template per option:
    a survey shows about a thousand of them (forty units), and the per-option templates were
    most of the page's time.
    """

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        labels = []
        for _, group, _ in widget["optgroups"]:
            for option in group:
                attributes = "".join(
                    f" {key}" if value is True else f' {key}="{escape(str(value))}"'
                    for key, value in option["attrs"].items()
                    if value is not False and value is not None
                )
                field_id = escape(option["attrs"].get("id", ""))
                input_name, input_value = escape(option["name"]), escape(str(option["value"]))
                labels.append(
                    f'<label class="rating-option" for="{field_id}">'
                    f'<input type="{option["type"]}" name="{input_name}" value="{input_value}"{attributes}>'
                    f"<span>{escape(str(option['label']))}</span></label>"
                )
        return mark_safe(f'<div class="rating-options">{"".join(labels)}</div>')  # noqa: S308 - every value escaped above


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
                widget=RatingOptions(attrs={"class": "form-check-input"}),
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
