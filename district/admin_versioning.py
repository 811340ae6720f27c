"""Admin edits of records that people also edit in the app: same conflict rule, same history.

The app refuses a save when someone else changed the record since the form was opened (the
record's ``version``); without this, an administrator's save would silently overwrite a
principal's or an ILD's change, and theirs would overwrite the administrator's.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest

CONFLICT_MESSAGE = (
    "Someone changed this record while you had it open. Nothing was saved: reload the page to see "
    "their change, then make yours again."
)


class VersionedAdminForm(forms.ModelForm):
    """Carries the version the administrator saw, and refuses the save if the record moved on."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk:
            seen = cleaned.get("seen_version")
            current = type(self.instance)._default_manager.filter(pk=self.instance.pk).values_list("version", flat=True)
            if seen is None or seen != current.first():
                raise forms.ValidationError(CONFLICT_MESSAGE, code="edit_conflict")
        return cleaned


class VersionedAdminMixin(admin.ModelAdmin):
    """Admin for a model with an optimistic-lock ``version``: read-only there, checked and bumped here."""

    form = VersionedAdminForm

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [*super().get_readonly_fields(request, obj), "version"]

    def save_model(self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool) -> None:
        with transaction.atomic():
            if change:
                current = type(obj)._default_manager.select_for_update().only("version").get(pk=obj.pk)
                obj.version = current.version + 1
            super().save_model(request, obj, form, change)
