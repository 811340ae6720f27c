"""One log line per request, a request id on every line of it, and never a query string or a secret."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from config.observability import JsonFormatter, RequestIdFilter
from district.models import User

pytestmark = pytest.mark.django_db


class _Collect(logging.Handler):
    """A handler set up like the console's: with the request-id filter."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.addFilter(RequestIdFilter())

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def logged() -> Iterator[list[logging.LogRecord]]:
    handler = _Collect()
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler.records
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


def _request_lines(records: list[logging.LogRecord]) -> list[logging.LogRecord]:
    return [r for r in records if r.name == "schoolward.requests"]


def test_each_request_gets_an_id_in_its_response_and_one_log_line(
    client: Client, principal: User, logged: list[logging.LogRecord]
) -> None:
    client.force_login(principal)
    response = client.get(reverse("home"), {"next": "/x", "token": "sw_secret-in-the-query"})
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    (line,) = _request_lines(logged)
    assert line.request_id == request_id  # type: ignore[attr-defined]
    assert (line.method, line.path, line.status, line.user_id) == ("GET", "/", 200, principal.pk)  # type: ignore[attr-defined]
    assert line.duration_ms >= 0  # type: ignore[attr-defined]
    everything = " ".join(r.getMessage() for r in logged)
    assert "sw_secret" not in everything
    assert "?" not in line.getMessage()


def test_every_line_written_while_serving_a_request_carries_its_id(
    client: Client, logged: list[logging.LogRecord]
) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    ids = {getattr(r, "request_id", None) for r in logged}
    assert ids == {response["X-Request-ID"]}
    assert any(r.name == "django.request" for r in logged), "Django's own 'Not Found' line too"
    assert _request_lines(logged)[0].user_id is None  # type: ignore[attr-defined]


def test_a_safe_incoming_request_id_is_kept_and_anything_else_replaced(client: Client) -> None:
    kept = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a9c2e-0001"})
    assert kept["X-Request-ID"] == "lb-7f3a9c2e-0001"
    for unsafe in ["short", "has spaces in it", "x" * 200, "evil\u2028id-00000", "<script>alert(1)</script>"]:
        replaced = client.get("/healthz", headers={"X-Request-ID": unsafe})
        assert replaced["X-Request-ID"] != unsafe
        assert len(replaced["X-Request-ID"]) == 32


def test_a_passing_health_check_is_logged_only_at_debug_level_and_a_failing_one_as_usual(
    client: Client, logged: list[logging.LogRecord]
) -> None:
    from unittest import mock

    from config import health

    client.get("/healthz")
    with mock.patch.object(health, "_database_answers", return_value=False):
        client.get("/healthz")
    assert [(r.levelname, r.status) for r in _request_lines(logged)] == [("DEBUG", 200), ("INFO", 503)]  # type: ignore[attr-defined]


def test_secrets_in_the_path_are_blanked_out_of_the_log(client: Client, logged: list[logging.LogRecord]) -> None:
    client.get("/accounts/reset/MQ/abc123-s3cr3tt0k3n/")
    client.get("/coaching/calendar/feed-s3cr3tt0k3n.ics")
    paths = [r.path for r in _request_lines(logged)]  # type: ignore[attr-defined]
    assert paths == ["/accounts/reset/…/…/", "/coaching/calendar/….ics"]
    assert not any("s3cr3t" in r.getMessage() for r in logged)


def test_log_format_json_writes_one_object_per_line(client: Client, logged: list[logging.LogRecord]) -> None:
    client.get("/accounts/login/", {"next": "/"})
    (line,) = _request_lines(logged)
    data = json.loads(JsonFormatter().format(line))
    assert data["logger"] == "schoolward.requests"
    assert data["level"] == "INFO"
    assert data["path"] == "/accounts/login/"
    assert data["status"] == 200
    assert data["time"].endswith("Z")
    assert data["request_id"] == line.request_id  # type: ignore[attr-defined]
    assert {"method", "duration_ms", "user_id", "time", "message"} <= set(data)
