"""Reading responses in tests the way a server sends them."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponseBase


def body_text(response: HttpResponseBase) -> str:
    """The whole body of a streamed response, as text.

    Reading the stream to its end closes the response, as a server does, so the database
    connection a streamed export used goes back to the test.
    """
    assert response.streaming, "exports stream a row at a time instead of being built in memory"
    return b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]


def csv_rows(response: HttpResponseBase) -> list[list[str]]:
    """A streamed CSV download, row by row."""
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(body_text(response))))
