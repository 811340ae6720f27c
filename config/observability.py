"""Structured request logs with a request id, and optional error reporting.

Every request gets an id: the incoming ``X-Request-ID`` when it looks like a safe token (a
proxy or load balancer set it), else a new uuid4. The id goes back in the response's
``X-Request-ID``, onto every log record written while the request is served, and into one
line per request: method, path, status, duration, user id. Query strings and bodies are
never logged (tokens may live there), and URL parts named like a secret (a reset token,
a calendar address) are blanked out of the path. ``LOG_FORMAT=json`` writes each record as
one JSON object.
"""

from __future__ import annotations

import datetime
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

REQUEST_ID_HEADER = "X-Request-ID"
HEALTH_PATH = "/healthz"
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")
# URL parameters whose values are secrets: a reset token, a calendar address, an allauth key.
_SECRET_URL_PARAMETER = re.compile(r"token|key|secret|uid", re.IGNORECASE)
REDACTED = "…"
_QUERY_STRING = re.compile(r"\?[^\s\"]*")

request_id: ContextVar[str] = ContextVar("request_id", default="-")
request_logger = logging.getLogger("schoolward.requests")

# Attributes a request log record carries beyond the message, copied into JSON output.
_REQUEST_FIELDS = ("method", "path", "status", "duration_ms", "user_id")


def _incoming_id(request: HttpRequest) -> str:
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    return offered if _SAFE_REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex


def _loggable_path(request: HttpRequest) -> str:
    """The path without its query string, with secret URL parameters blanked out."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            if _SECRET_URL_PARAMETER.search(name) and str(value):
                path = path.replace(str(value), REDACTED)
    return path


def _user_id(request: HttpRequest) -> int | None:
    # Only a user the request already loaded: looking one up just to log it would cost a query.
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


def request_log_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Give the request an id, hand it back in the response, and log one line when it is answered."""

    def middleware(request: HttpRequest) -> HttpResponse:
        rid = _incoming_id(request)
        # Kept until the response is closed (see _forget_request_id), so Django's own
        # "Not Found" and error lines, written after the middleware, carry it too.
        request_id.set(rid)
        started = time.monotonic()
        response = get_response(request)
        response[REQUEST_ID_HEADER] = rid
        fields = {
            "method": request.method,
            "path": _loggable_path(request),
            "status": response.status_code,
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
            "user_id": _user_id(request),
        }
        # A load balancer asks for /healthz every few seconds: only a failing answer is news.
        quiet = request.path == HEALTH_PATH and response.status_code == 200
        request_logger.log(
            logging.DEBUG if quiet else logging.INFO,
            "%s %s %s %sms user=%s",
            fields["method"],
            fields["path"],
            fields["status"],
            fields["duration_ms"],
            fields["user_id"] if fields["user_id"] is not None else "-",
            extra=fields,
        )
        return response

    return middleware


@receiver(request_finished)
def _forget_request_id(**kwargs: Any) -> None:
    request_id.set("-")


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (``-`` outside a request, e.g. in the worker).

    It also keeps secrets out of the lines Django writes itself: "Not Found: <path>" gets the
    path with its secret parts blanked out, and the development server's request lines lose
    their query strings.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest) and isinstance(record.args, tuple):
            record.args = tuple(_loggable_path(request) if arg == request.path else arg for arg in record.args)
        elif record.name == "django.server" and isinstance(record.args, tuple):
            record.args = tuple(_QUERY_STRING.sub("", arg) if isinstance(arg, str) else arg for arg in record.args)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC), level, logger, message, request id and the request fields."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id.get()),
        }
        for name in _REQUEST_FIELDS:
            if hasattr(record, name):
                data[name] = getattr(record, name)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str)


def logging_config(*, level: str, json_lines: bool) -> dict[str, Any]:
    """The LOGGING setting: the console, each record with its request id, as text or JSON lines."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "config.observability.RequestIdFilter"}},
        "formatters": {
            "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
            "json": {"()": "config.observability.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": "json" if json_lines else "text",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        # These libraries narrate every step at INFO; only their warnings are worth reading.
        "loggers": {
            **{name: {"level": "WARNING"} for name in ("weasyprint", "fontTools", "axes", "axes.watch_login")},
            # Django's own lines go to the console above (once, with the request id), not also to
            # its default handlers. The development server's repeat the request log, with the raw
            # path (secrets included): only its errors are kept.
            "django": {"handlers": [], "propagate": True},
            "django.server": {"handlers": [], "level": "ERROR", "propagate": True},
        },
    }


def _scrub(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """Leave query strings, bodies and cookies out of error reports, as out of the logs."""
    request = event.get("request") or {}
    for secret in ("query_string", "data", "cookies"):
        request.pop(secret, None)
    if isinstance(request.get("url"), str):
        request["url"] = request["url"].split("?", 1)[0]
    return event


def start_error_reporting(dsn: str, *, environment: str = "") -> bool:
    """Report unhandled errors to Sentry when the sentry-sdk package is installed; False when it is not."""
    try:
        import sentry_sdk
    except ImportError:
        logging.getLogger(__name__).warning(
            "SENTRY_DSN is set but sentry-sdk is not installed: errors are only logged."
        )
        return False
    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        send_default_pii=False,
        max_request_body_size="never",
        before_send=_scrub,
    )
    return True
