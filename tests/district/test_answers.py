"""A failed action is caught once and answered the same way everywhere: on the form, in the
htmx row that asked, or as a message above the page."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from district.answers import asked_by_row, failed_action
from district.services import EditConflict


class NoteForm(forms.Form):
    note = forms.CharField()


def test_a_refusal_lands_on_the_field_it_names_and_a_lost_race_keeps_the_current_record() -> None:
    form = NoteForm({"note": "x"})
    assert form.is_valid()
    with failed_action(form) as failed:
        raise ValidationError({"note": "Too short."})
    assert failed
    assert failed.error is not None
    assert failed.current is None
    assert form.errors["note"] == ["Too short."]
    assert failed.says() == "Too short."

    with failed_action(form, conflict="Someone else saved it.") as lost:
        raise EditConflict(current="the other version")
    assert lost.current == "the other version"
    assert "Someone else saved it." in form.non_field_errors()

    with failed_action(form) as fine:
        pass
    assert not fine


def test_only_an_htmx_request_from_one_of_the_rows_is_answered_in_the_row() -> None:
    row = "service_menu/workspace.html#request-row"
    factory = RequestFactory()
    from_row = factory.post("/", headers={"HX-Request": "true", "HX-Target": "request-row-12"})
    from_elsewhere = factory.post("/", headers={"HX-Request": "true", "HX-Target": "table-region"})
    plain = factory.post("/")
    for request in (from_row, from_elsewhere, plain):
        request.htmx = HtmxDetails(request)  # type: ignore[attr-defined]
    assert asked_by_row(from_row, row)
    assert not asked_by_row(from_elsewhere, row)
    assert not asked_by_row(plain, row)
