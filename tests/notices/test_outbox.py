"""The outbox: every email recorded with its change, sent once, retried with backoff, failures shown to admins."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from district.models import User
from notices.models import Notice
from notices.services import NOTICE_HEADER, notices_deliver, notices_send_again, notify, retry_delay
from service_menu.models import Request
from tests.conftest import District, Menus
from tests.notices.mailers import SwitchableBackend

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


@pytest.fixture
def switchable(settings: Settings) -> None:
    settings.MAILERS = {"default": {"BACKEND": "tests.notices.mailers.SwitchableBackend"}}


def _tell(district: District, recipients: list[str], window: str = "") -> list[Notice]:
    return notify(
        kind=Notice.Kind.NEW_REQUEST,
        recipients=recipients,
        about=district.unit,
        window=window,
        subject="Something happened",
        template="service_menu/email/overdue.txt",
        context={"unit": district.unit, "overdue": [], "url": "http://example.test/"},
    )


def test_a_notice_is_recorded_once_per_recipient_subject_and_window(district: District, capture: Capture) -> None:
    with capture(execute=True):
        first = _tell(district, ["A@district.test", "a@district.test ", "b@district.test"], window="2026-11-23")
    assert [n.recipient for n in first] == ["a@district.test", "b@district.test"], "addresses count once, any case"
    with capture(execute=True):
        assert _tell(district, ["a@district.test", "b@district.test"], window="2026-11-23") == []
        again = _tell(district, ["a@district.test"], window="2026-11-24")
    assert len(again) == 1, "another window is another notice"
    assert sorted(m.to[0] for m in mail.outbox) == ["a@district.test", "a@district.test", "b@district.test"]
    assert all(n.status == "sent" and n.attempts == 1 and n.sent_at for n in Notice.objects.all())


def test_a_change_that_rolls_back_records_and_sends_nothing(district: District, capture: Capture) -> None:
    def change_that_fails() -> None:
        with transaction.atomic():
            _tell(district, ["a@district.test"])
            raise RuntimeError("the change failed after deciding to tell someone")

    with capture(execute=True), pytest.raises(RuntimeError):
        change_that_fails()
    assert not Notice.objects.exists()
    assert mail.outbox == []


def test_a_batch_goes_over_one_connection_each_message_naming_its_notice(
    district: District, switchable: None, capture: Capture
) -> None:
    with capture(execute=True):
        made = _tell(district, [f"p{i}@district.test" for i in range(5)])
    assert SwitchableBackend.connections == 1
    assert sorted(m.extra_headers[NOTICE_HEADER] for m in mail.outbox) == sorted(str(n.pk) for n in made)


def test_a_send_that_fails_is_retried_later_with_backoff_then_given_up(
    district: District, switchable: None, settings: Settings, capture: Capture
) -> None:
    settings.NOTICE_MAX_ATTEMPTS = 3
    SwitchableBackend.down = True
    with capture(execute=True):
        (notice,) = _tell(district, ["a@district.test"])
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == ("queued", 1)
    assert "Connection refused" in notice.last_error
    first_try_due = notice.next_attempt_at
    assert notice.created_at + retry_delay(1) <= first_try_due <= timezone.now() + retry_delay(1)

    notices_deliver(notice_ids=[notice.pk])
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == ("queued", 2)
    assert notice.next_attempt_at - first_try_due >= retry_delay(2) - retry_delay(1), "each wait is longer"
    notices_deliver(notice_ids=[notice.pk])
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == ("failed", 3)
    assert retry_delay(2) == 2 * retry_delay(1)
    assert retry_delay(30) == datetime.timedelta(hours=1), "never more than an hour apart"

    SwitchableBackend.down = False
    notices_deliver(notice_ids=[notice.pk])
    assert mail.outbox == [], "a failed notice waits for an administrator"


def test_the_person_who_saves_never_sees_the_mail_server_fail(
    client_for: Callable[[str], Client], menus: Menus, switchable: None, capture: Capture
) -> None:
    SwitchableBackend.down = True
    client = client_for("unit_staff")
    with capture(execute=True):
        response = client.post(
            reverse("service_menu:request_action", args=[menus.request.pk, "accept"]),
            {"version": menus.request.version},
            follow=True,
        )
    assert response.status_code == 200
    assert "The request is now “Accepted”." in response.content.decode()
    assert Request.objects.get(pk=menus.request.pk).status == "accepted"
    answers = Notice.objects.filter(kind=Notice.Kind.ANSWER)
    assert {(n.recipient, n.status) for n in answers} == {
        ("principal@district.test", "queued"),
        ("ild@district.test", "queued"),
    }


def test_failed_notices_show_in_the_admin_and_can_be_sent_again_but_never_a_sent_one_twice(
    district: District, client_for: Callable[[str], Client], switchable: None, settings: Settings, capture: Capture
) -> None:
    settings.NOTICE_MAX_ATTEMPTS = 1
    SwitchableBackend.down = True
    with capture(execute=True):
        (failed,) = _tell(district, ["a@district.test"])
    SwitchableBackend.down = False
    with capture(execute=True):
        (sent,) = _tell(district, ["b@district.test"])
    mail.outbox.clear()

    url = reverse("admin:notices_notice_changelist")
    assert Client().get(url).status_code == 302, "anonymous: to the sign-in page"
    assert client_for("principal").get(url).status_code == 302, "not staff: to the sign-in page"
    admin = client_for("admin_user")
    page = admin.get(url, {"status__exact": "failed"}).content.decode()
    assert "a@district.test" in page
    assert "ConnectionRefusedError" in page
    assert "b@district.test" not in page
    assert admin.get(reverse("admin:notices_notice_change", args=[failed.pk])).status_code == 200
    assert admin.get(reverse("admin:notices_notice_add")).status_code == 403

    with capture(execute=True):
        response = admin.post(url, {"action": "send_again", "_selected_action": [failed.pk, sent.pk]}, follow=True)
    content = response.content.decode()
    assert "1 notice(s) queued to be sent again." in content
    assert "1 notice(s) were already sent and were left alone." in content
    assert [m.to for m in mail.outbox] == [["a@district.test"]]
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("sent", 1)


def test_sending_again_never_resends_a_sent_notice(district: District, capture: Capture) -> None:
    with capture(execute=True):
        (notice,) = _tell(district, ["a@district.test"])
    with capture(execute=True):
        assert notices_send_again(notices=[notice]) == 0
    assert len(mail.outbox) == 1


def test_a_reset_link_is_never_stored_and_is_written_when_sent(
    client: Client, principal: User, capture: Capture
) -> None:
    with capture(execute=True) as callbacks:
        client.post(reverse("password_reset"), {"email": "principal@district.test"})
        client.post(reverse("password_reset"), {"email": "principal@district.test"})
    notice = Notice.objects.get(kind=Notice.Kind.PASSWORD_RESET)
    assert notice.body == ""
    assert notice.subject_key == f"district.user:{principal.pk}"
    assert len(callbacks) == 1, "a second ask in the same minute sends nothing more"
    (message,) = mail.outbox
    assert "/accounts/reset/" in message.body
    assert message.subject == "Reset your Schoolward password"


def test_no_reset_link_goes_to_an_account_switched_off_before_the_worker_sends_it(principal: User) -> None:
    from district.password_reset import password_reset_request

    (notice,) = password_reset_request(user=principal, email=principal.email)  # not sent: no commit in this test
    principal.is_active = False
    principal.save()
    notices_deliver(notice_ids=[notice.pk])
    notice.refresh_from_db()
    assert (notice.status, notice.last_error) == ("failed", "ValueError: There is nothing to send any more.")
    assert mail.outbox == []


@pytest.fixture
def capture(django_capture_on_commit_callbacks: Capture) -> Capture:
    """Runs what the commit would start: in the tests' immediate backend, the sending itself."""
    return django_capture_on_commit_callbacks
