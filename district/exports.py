"""CSV exports that are safe to open in a spreadsheet, streamed a row at a time."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import StreamingHttpResponse

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


class _Echo:
    """A file-like object whose ``write`` hands the line back, so the csv writer formats one row at a time."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Each row as one formatted CSV line, formulas neutralised."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def csv_response(filename: str, rows: Iterable[Iterable[Any]]) -> StreamingHttpResponse:
    """Stream ``rows`` as a CSV download: memory and time to the first byte do not grow with the rows.

    ``rows`` is consumed lazily, while the response is sent; pass an iterator (a queryset's
    ``.iterator()``) rather than a list when there may be many.
    """
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
