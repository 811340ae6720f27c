"""Running the real worker inside a test."""

from __future__ import annotations

import signal
from io import StringIO

from django.core.management import call_command


def run_worker() -> str:
    """Run the worker until the queue is empty, as ``manage.py db_worker --batch`` does; returns its output."""
    # The worker installs its own SIGINT/SIGTERM handlers; the test run keeps pytest's.
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    out = StringIO()
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", stdout=out)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    return out.getvalue()
