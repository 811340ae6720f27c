from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.db import connections, models

from district.models import User


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label="Roster file (CSV)",
        help_text="A schools, caseloads or units file; the kind is read from its header row.",
    )


class ChoosePasswordForm(PasswordResetForm):
    """Password reset that also lets people added by a roster import choose their first password.

    Django's form skips accounts without a usable password; here every active account
    with that email address gets the link.
    """

    def get_users(self, email: str) -> Iterator[User]:
        return iter(User.objects.filter(email__iexact=email, is_active=True))

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, object],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """Queue the email for the worker instead of sending it in the request; its link is written when sent."""
        from district.password_reset import password_reset_request

        user = context["user"]
        if isinstance(user, User):
            password_reset_request(user=user, email=to_email)


def apply_validation_error(
    error: ValidationError, form: forms.BaseForm, *, elsewhere: dict[str, list[str]] | None = None
) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one.

    Messages for names listed in ``elsewhere`` (e.g. a formset beside the form) are collected
    there instead of on the form.
    """
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, messages in error.message_dict.items():
        if elsewhere is not None and field in elsewhere:
            elsewhere[field].extend(messages)
            continue
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


# --- What a form sends back unseen: ids and versions -----------------------------------

# The widest id any table here holds (a BigAutoField): a hidden id beyond it was never ours.
MAX_ID = 2**63 - 1


def small_id(raw: str | None) -> int | None:
    """A database id from a query or form value; None for anything else, however long."""
    raw = raw or ""
    return int(raw) if raw.isdigit() and len(raw) <= 9 else None


STALE_FORM = "This page is out of date or was changed on the way: reload it and make your change again."
MISSING_VERSION = (
    "This form came back without the version of the record it changes, so it could overwrite someone "
    "else's change. Reload the page and make your change again."
)


def _outside_column(field: forms.ModelChoiceField, value: object) -> bool:
    """Whether ``value`` is an integer the field's key column could never hold (a query with it would fail)."""
    queryset = field.queryset
    if queryset is None or isinstance(value, models.Model):
        return False
    model_field = queryset.model._meta.get_field(field.to_field_name or queryset.model._meta.pk.name)
    if not isinstance(model_field, models.IntegerField):
        return False
    try:
        number = int(str(value))
    except ValueError:
        return False  # not a number at all: Django's own check says it is not a valid choice
    low, high = connections[queryset.db].ops.integer_field_range(model_field.get_internal_type())
    return (low is not None and number < low) or (high is not None and number > high)


class IdChoiceField(forms.ModelChoiceField):
    """A model choice that rejects ids out of the column's range as "Select a valid choice"."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and _outside_column(self, value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several model choices, each id checked against the column's range before any query runs."""

    def clean(self, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            for pk in value:
                if _outside_column(self, pk):
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                    )
        return super().clean(value)


def ids_checked(db_field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    """A ModelForm ``formfield_callback``: relations become the id-checking choice fields above."""
    if isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", IdMultipleChoiceField)
    elif isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", IdChoiceField)
    return db_field.formfield(**kwargs)


class IdField(forms.IntegerField):
    """A hidden id of a row the page showed (e.g. an inline next step)."""

    widget = forms.HiddenInput
    default_error_messages = {"invalid": STALE_FORM, "min_value": STALE_FORM, "max_value": STALE_FORM}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class VersionField(forms.IntegerField):
    """The hidden version of the record a form edits, as it was when the form was opened.

    The form requires it when it edits a saved record (see ``HiddenFieldsChecked``): without
    it the edit-conflict check could not run, so the edit is refused rather than let through.
    """

    widget = forms.HiddenInput
    default_error_messages = {
        "required": MISSING_VERSION,
        "invalid": MISSING_VERSION,
        "min_value": MISSING_VERSION,
        "max_value": MISSING_VERSION,
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class HiddenFieldsChecked(forms.BaseForm):
    """Base for forms that send ids and versions back in hidden fields; put it before the Form class.

    A ModelForm editing a saved record requires its ``version`` and starts from the record's
    own. Errors of hidden fields join the form's own errors, since no one can fix them in place.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        version = self.fields.get("version")
        if isinstance(version, VersionField) and instance is not None and instance.pk:
            version.required = True
            version.initial = getattr(instance, "version", None)

    def clean(self) -> dict[str, Any] | None:
        cleaned_data = super().clean()
        for bound_field in self.hidden_fields():
            for message in bound_field.errors:
                if message not in self.non_field_errors():
                    self.add_error(None, message)
        return cleaned_data
