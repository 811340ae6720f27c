"""Overdue-request reminders: each address hears about a unit's late requests once a day."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from reminders.models import SentReminder
from service_menu import services
from service_menu.models import Request
from tests.service_menu.conftest import Menus

pytestmark = pytest.mark.django_db


def make_overdue(menus: Menus) -> None:
    Request.objects.filter(pk=menus.request.pk).update(
        created_at=menus.request.created_at - datetime.timedelta(days=10)
    )


def test_running_the_overdue_reminders_twice_in_a_day_sends_nothing_the_second_time(menus: Menus) -> None:
    make_overdue(menus)
    unit = menus.menu.unit
    first, second = StringIO(), StringIO()
    call_command("send_overdue_reminders", stdout=first)
    call_command("send_overdue_reminders", stdout=second)
    assert "Reminded 1 unit(s)" in first.getvalue()
    assert "Reminded 0 unit(s)" in second.getvalue()
    assert len(mail.outbox) == 1
    assert "Literacy lab classrooms" in mail.outbox[0].body
    logged = set(SentReminder.objects.values_list("kind", "recipient", "about", "sent_on"))
    expected = {e.lower() for e in [unit.contact_email, unit.head.email if unit.head else ""] if e}
    about = f"district.unit:{unit.pk}"
    assert logged == {("overdue_requests", email, about, timezone.localdate()) for email in expected}

    unit.contact_email = "new.desk@district.test"
    unit.save()
    assert services.send_overdue_reminders() == 1, "an address added today still hears once"
    assert mail.outbox[-1].to == ["new.desk@district.test"]

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert services.send_overdue_reminders(today=tomorrow) == 1, "still late the next day: reminded again"
    assert services.send_overdue_reminders(today=tomorrow) == 0


def test_a_reminder_that_failed_to_send_is_not_recorded_and_goes_next_time(
    menus: Menus, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_overdue(menus)

    def broken_mail_server(**kwargs: object) -> int:
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("reminders.services.send_mail", broken_mail_server)
    with pytest.raises(ConnectionRefusedError):
        services.send_overdue_reminders()
    assert not SentReminder.objects.exists()
    monkeypatch.undo()
    assert services.send_overdue_reminders() == 1
    assert len(mail.outbox) == 1
