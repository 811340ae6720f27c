"""The mail server down, then up; a worker killed mid-batch: every notice still arrives exactly once.

Real worker processes (``manage.py db_worker``) send to a real SMTP server (aiosmtpd) that
the test switches on and off, and counts every message by the notice it carries.
"""

from __future__ import annotations

import asyncio
import email
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings

from notices.models import Notice
from notices.services import NOTICE_HEADER, notify
from tests.conftest import District
from tests.notices.worker import run_worker

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
POLL_SECONDS = 0.05
PATIENCE = 120  # seconds to wait for what must happen (a busy machine starts a worker slowly)


class Inbox:
    """An SMTP server's handler that keeps the notice id of each message it accepts.

    ``hold_at`` makes the n-th recipient wait, mid-conversation, until ``release`` is set: a
    worker killed then has sent the messages before and not that one.
    """

    def __init__(self) -> None:
        self.received: list[int] = []
        self.recipients = 0
        self.hold_at: int | None = None
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        self.recipients += 1
        if self.recipients == self.hold_at:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
            return "451 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(int(email.message_from_bytes(envelope.content)[NOTICE_HEADER]))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _until(condition: Callable[[], bool], what: str) -> None:
    """Wait for what must happen; PATIENCE only keeps a broken run from hanging forever."""
    for _ in range(int(PATIENCE / POLL_SECONDS)):
        if condition():
            return
        time.sleep(POLL_SECONDS)
    pytest.fail(f"still waiting for {what} after {PATIENCE} s")


class Workers:
    """``manage.py db_worker`` processes on this test's database, sending to the test's SMTP port."""

    def __init__(self, port: int, logs: Path) -> None:
        db = connection.settings_dict
        where = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
        url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{where}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.load.worker_settings",
            "DATABASE_URL": url,
            "FAULT_TEST_SMTP_PORT": str(port),
        }
        self.logs = logs
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, *extra: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"worker-{len(self.started)}.log").open("wb")
        process = subprocess.Popen(  # noqa: S603 - this interpreter and this project's manage.py
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-startup-delay",
                "--no-reload",
                "--interval",
                "0.1",
                *extra,
            ],
            cwd=django_settings.BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.started.append(process)
        return process

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.started:
            try:
                process.wait(timeout=PATIENCE)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, Controller]]:
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    yield inbox, server
    inbox.release.set()
    if getattr(server, "_thread", None) is not None:
        server.stop()


@pytest.fixture
def workers(smtp: tuple[Inbox, Controller], tmp_path: Path) -> Iterator[Workers]:
    _, server = smtp
    started = Workers(server.port, tmp_path)
    yield started
    started.stop_all()


def _notices(district: District, count: int) -> list[int]:
    with transaction.atomic():
        made = notify(
            kind=Notice.Kind.OVERDUE_REQUESTS,
            recipients=[f"desk{i}@district.test" for i in range(count)],
            about=district.unit,
            window="fault-test",
            subject="Requests waiting",
            template="service_menu/email/overdue.txt",
            context={"unit": district.unit, "overdue": [], "url": "http://schoolward.test/"},
        )
    return [n.pk for n in made]


def test_with_the_mail_server_down_for_a_while_then_up_every_notice_is_sent_exactly_once(
    postgresql: None, district: District, settings: Settings, smtp: tuple[Inbox, Controller], workers: Workers
) -> None:
    inbox, server = smtp
    settings.TASKS = DATABASE_QUEUE
    settings.NOTICE_BATCH_SIZE = 10
    ids = _notices(district, 40)
    assert DBTaskResult.objects.count() == 4, "four batches"

    workers.start()
    workers.start()
    # Down: every notice fails at least twice, retried with backoff by both workers.
    _until(lambda: not Notice.objects.filter(pk__in=ids, attempts__lt=2).exists(), "two failed tries of each")
    assert Notice.objects.filter(pk__in=ids, status=Notice.Status.QUEUED).count() == 40
    assert inbox.received == []

    server.start()
    _until(lambda: not Notice.objects.filter(pk__in=ids).exclude(status=Notice.Status.SENT).exists(), "all sent")
    workers.stop_all()

    assert Counter(inbox.received) == Counter(ids), "each notice arrives exactly once"
    for notice in Notice.objects.filter(pk__in=ids):
        assert notice.attempts >= 3
        assert "Connection refused" in notice.last_error or "ConnectionRefused" in notice.last_error


def test_a_worker_killed_mid_batch_and_restarted_sends_every_notice_exactly_once(
    postgresql: None, district: District, settings: Settings, smtp: tuple[Inbox, Controller], workers: Workers
) -> None:
    inbox, server = smtp
    settings.TASKS = DATABASE_QUEUE
    ids = _notices(district, 10)
    inbox.hold_at = 4
    server.start()

    first = workers.start()
    _until(inbox.holding.is_set, "the fourth message to be under way")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=PATIENCE)
    inbox.release.set()

    assert sorted(inbox.received) == ids[:3]
    assert Notice.objects.filter(pk__in=ids[:3], status=Notice.Status.SENT).count() == 3, "marked as they went"
    assert DBTaskResult.objects.get().status == "RUNNING", "the killed worker's task never finishes"

    def all_free() -> bool:
        # The database rolls back the killed worker's transaction (and its lock) once it sees it gone.
        with transaction.atomic():
            free = Notice.objects.select_for_update(skip_locked=True).filter(status=Notice.Status.QUEUED)
            return free.count() == 7

    _until(all_free, "the killed worker's lock to go")
    call_command("send_pending_notices", "--older-than", "0", stdout=open(os.devnull, "w"))  # noqa: SIM115
    inbox.hold_at = None
    # Restarted here, in the test's own process: the same worker, one process start the fewer.
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "use_tls": False, "timeout": 10},
        }
    }
    run_worker()

    assert Counter(inbox.received) == Counter(ids), "each notice arrives exactly once"
    assert set(Notice.objects.filter(pk__in=ids).values_list("status", flat=True)) == {Notice.Status.SENT}
