"""Every form of the project checks the ids and versions it is sent, the same way."""

from __future__ import annotations

import inspect
from types import ModuleType

import pytest
from django import forms

import coaching.forms
import cycles.inquiry.forms
import cycles.satisfaction.forms
import district.forms
import service_menu.forms
from district.forms import HiddenFieldsChecked, IdChoiceField, IdField, IdMultipleChoiceField, VersionField

MODULES = [coaching.forms, cycles.inquiry.forms, cycles.satisfaction.forms, district.forms, service_menu.forms]


def project_forms(module: ModuleType) -> list[type[forms.BaseForm]]:
    """The form classes a module defines (those with fields: not bare bases such as HiddenFieldsChecked)."""
    return [
        cls
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__ and "base_fields" in vars(cls)
    ]


@pytest.mark.parametrize("form_class", [cls for module in MODULES for cls in project_forms(module)], ids=str)
def test_every_form_checks_the_ids_and_versions_it_takes(form_class: type[forms.BaseForm]) -> None:
    base_fields: dict[str, forms.Field] = vars(form_class)["base_fields"]
    for name, field in base_fields.items():
        where = f"{form_class.__name__}.{name}"
        if isinstance(field, forms.ModelMultipleChoiceField):
            assert isinstance(field, IdMultipleChoiceField), f"{where}: use IdMultipleChoiceField"
        elif isinstance(field, forms.ModelChoiceField):
            assert isinstance(field, IdChoiceField), f"{where}: use IdChoiceField (or ids_checked in Meta)"
        if name == "version":
            assert isinstance(field, VersionField), f"{where}: use VersionField"
            assert issubclass(form_class, HiddenFieldsChecked), f"{form_class.__name__}: base it on HiddenFieldsChecked"
        elif isinstance(field, forms.IntegerField) and field.widget.is_hidden:
            assert isinstance(field, IdField), f"{where}: a hidden id is an IdField"
            assert issubclass(form_class, HiddenFieldsChecked), f"{form_class.__name__}: base it on HiddenFieldsChecked"
