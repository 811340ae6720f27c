"""Writes to the org chart that must keep its rules."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from district.models import SchoolYear


class EditConflict(Exception):
    """Someone else saved the record after this person opened it; nothing was written."""

    def __init__(self, current: Any) -> None:
        super().__init__("changed by someone else")
        self.current = current


@transaction.atomic
def school_year_make_current(*, year: SchoolYear) -> SchoolYear:
    """Make ``year`` the one current school year; the previous one stops being current."""
    SchoolYear.objects.select_for_update().filter(is_current=True).exclude(pk=year.pk).update(is_current=False)
    year.is_current = True
    year.save(update_fields=["is_current"])
    return year
