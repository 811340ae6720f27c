"""Overdue-request reminders: each address hears about a unit's late requests once a day."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from pytest_django.fixtures import Settings

from notices.models import Notice
from service_menu import services
from service_menu.models import Request
from tests.notices.mailers import SwitchableBackend
from tests.service_menu.conftest import Menus

pytestmark = pytest.mark.django_db


def make_overdue(menus: Menus) -> None:
    Request.objects.filter(pk=menus.request.pk).update(
        created_at=menus.request.created_at - datetime.timedelta(days=10)
    )


def test_running_the_overdue_reminders_twice_in_a_day_sends_nothing_the_second_time(
    menus: Menus, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    make_overdue(menus)
    unit = menus.menu.unit
    first, second = StringIO(), StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_overdue_reminders", stdout=first)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_overdue_reminders", stdout=second)
    assert "Reminded 1 unit(s)" in first.getvalue()
    assert "Reminded 0 unit(s)" in second.getvalue()
    expected = {e.lower() for e in [unit.contact_email, unit.head.email if unit.head else ""] if e}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(expected), "one email to each address"
    assert all("Literacy lab classrooms" in m.body for m in mail.outbox)
    reminders = Notice.objects.filter(kind=Notice.Kind.OVERDUE_REQUESTS)
    logged = set(reminders.values_list("kind", "recipient", "subject_key", "window", "status"))
    about = f"district.unit:{unit.pk}"
    today = timezone.localdate().isoformat()
    assert logged == {("overdue_requests", email, about, today, "sent") for email in expected}

    unit.contact_email = "new.desk@district.test"
    unit.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_overdue_reminders() == 1, "an address added today still hears once"
    assert mail.outbox[-1].to == ["new.desk@district.test"]

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert services.send_overdue_reminders(today=tomorrow) == 1, "still late the next day: reminded again"
    assert services.send_overdue_reminders(today=tomorrow) == 0


def test_a_reminder_the_mail_server_refused_waits_in_the_outbox_and_is_not_recorded_twice(
    menus: Menus,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    make_overdue(menus)
    settings.MAILERS = {"default": {"BACKEND": "tests.notices.mailers.SwitchableBackend"}}
    settings.NOTICE_RETRY_SECONDS = 0  # due again at once, for the scheduler's command below
    monkeypatch.setattr(SwitchableBackend, "down", True)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_overdue_reminders() == 1, "recorded, though not yet sent"
    assert mail.outbox == []
    reminders = Notice.objects.filter(kind=Notice.Kind.OVERDUE_REQUESTS)
    waiting = list(reminders)
    assert waiting
    assert all(n.status == "queued" and n.attempts == 1 and "refused" in n.last_error for n in waiting)
    assert services.send_overdue_reminders() == 0, "already in the outbox today: not recorded again"

    monkeypatch.setattr(SwitchableBackend, "down", False)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_pending_notices", "--older-than", "0", stdout=StringIO())
    assert sorted(m.to[0] for m in mail.outbox if "request(s) waiting" in m.subject) == sorted(
        n.recipient for n in waiting
    )
    assert set(reminders.values_list("status", flat=True)) == {"sent"}
