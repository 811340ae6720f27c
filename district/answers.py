"""How views answer an action, the same way in every app: `failed_action` catches a lost race
(`EditConflict`) or a refusal (`ValidationError`) around a service call, putting it on the form;
`answer` says how it went in the htmx row that asked, or above the full page.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from district.forms import apply_validation_error
from district.services import EditConflict

CHANGED = "Someone else changed this after you opened it; nothing was overwritten. Reload to see it."


@dataclass
class Failure:
    """What stopped an action, if anything: a lost race or the service's refusal."""

    conflict: EditConflict | None = None
    error: ValidationError | None = None

    def __bool__(self) -> bool:
        return self.conflict is not None or self.error is not None

    @property
    def current(self) -> Any:
        """The record as the other person saved it; None unless the action lost a race."""
        return self.conflict.current if self.conflict is not None else None

    def says(self, *, conflict: str = CHANGED) -> str:
        """The failure in words: ``conflict`` for a lost race, else the service's own messages."""
        if self.conflict is not None:
            return conflict
        return " ".join(self.error.messages) if self.error is not None else ""


@contextmanager
def failed_action(
    form: forms.BaseForm | None = None,
    *,
    elsewhere: dict[str, list[str]] | None = None,
    conflict: str | None = None,
) -> Iterator[Failure]:
    """Run the block; an `EditConflict` or `ValidationError` is caught into the `Failure` it yields.

    Put the success answer inside the block (it returns there); after the block the action failed.
    A refusal lands on ``form`` (on the fields it names; ``elsewhere`` as in
    `apply_validation_error`); a lost race adds ``conflict`` to the form's own errors, if given.
    """
    failure = Failure()
    try:
        yield failure
    except EditConflict as clash:
        failure.conflict = clash
        if form is not None and conflict:
            form.add_error(None, conflict)
    except ValidationError as error:
        failure.error = error
        if form is not None:
            apply_validation_error(error, form, elsewhere=elsewhere)


def asked_by_row(request: HttpRequest, row: str) -> bool:
    """An htmx request from one row of a list: it targets ``<partial name>-<id>`` of ``row``
    (``"app/page.html#request-row"`` answers targets ``request-row-12``)."""
    htmx = getattr(request, "htmx", None)
    target: str = (htmx.target if htmx else None) or ""
    return target.startswith(row.partition("#")[2] + "-")


def answer(
    request: HttpRequest,
    message: str,
    *,
    back_to: str,
    failed: bool = False,
    row: str | None = None,
    context: Mapping[str, Any] | None = None,
    row_message: str | None = None,
    level: int | None = None,
) -> HttpResponse:
    """Say how an action went where it was asked: in the htmx row that sent it (the ``row``
    partial with ``context``, ``message`` and ``failed``), else as a message above ``back_to``
    (a success, or an error when it ``failed``, unless ``level`` says otherwise)."""
    if row is not None and asked_by_row(request, row):
        return render(request, row, {**(context or {}), "message": row_message or message, "failed": failed})
    messages.add_message(request, level or (messages.ERROR if failed else messages.SUCCESS), message)
    return redirect(back_to)
