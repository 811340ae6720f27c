"""CSV exports that are safe to open in a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse

# A cell starting with one of these is read as a formula by spreadsheet programs, which also
# skip leading spaces and read the full-width forms of = + - @ as their ASCII twins.
FORMULA_CHARACTERS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")


def neutralise(value: Any) -> str:
    """Text for one CSV cell, with a leading quote when it would start a formula."""
    text = "" if value is None else str(value)
    first = text.lstrip(" \u00a0\u3000")[:1] or text[:1]
    if first in FORMULA_CHARACTERS or text[:1] in FORMULA_CHARACTERS:
        return "'" + text
    return text


def csv_response(filename: str, rows: Iterable[Iterable[Any]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return response
