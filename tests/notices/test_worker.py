"""The real worker (``manage.py db_worker``) against tasks on the database queue."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings

from district.models import User
from notices.models import Notice
from notices.services import notices_send_again
from service_menu import services
from service_menu.models import Request
from tests.conftest import Menus
from tests.notices.mailers import SwitchableBackend
from tests.notices.worker import run_worker

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_the_worker_sends_what_the_change_enqueued_in_its_own_transaction(
    menus: Menus, unit_staff: User, settings: Settings
) -> None:
    settings.TASKS = DATABASE_QUEUE
    mail.outbox.clear()
    services.request_transition(request=menus.request, action="accept", by=unit_staff)
    answers = Notice.objects.filter(kind=Notice.Kind.ANSWER)
    assert set(answers.values_list("status", flat=True)) == {"queued"}
    (task,) = DBTaskResult.objects.all()
    assert task.status == "READY"
    assert set(answers.values_list("task_id", flat=True)) == {str(task.id)}
    assert mail.outbox == [], "nothing leaves the web process"

    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == ["ild@district.test", "principal@district.test"]
    assert set(answers.values_list("status", flat=True)) == {"sent"}
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert task.return_value == {"sent": 2, "retrying": 0, "failed": 0}
    run_worker()
    assert len(mail.outbox) == 2, "a second run finds nothing to send"


def test_a_failing_change_leaves_no_task_behind(menus: Menus, unit_staff: User, settings: Settings) -> None:
    settings.TASKS = DATABASE_QUEUE
    Request.objects.filter(pk=menus.request.pk).update(status=Request.Status.CLOSED)
    with pytest.raises(Exception, match="cannot be done now"):
        services.request_transition(request=menus.request, action="accept", by=unit_staff)
    assert not DBTaskResult.objects.exists()


def test_the_worker_retries_with_backoff_until_the_last_attempt_and_an_admin_can_send_again(
    menus: Menus, unit_staff: User, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TASKS = DATABASE_QUEUE
    settings.MAILERS = {"default": {"BACKEND": "tests.notices.mailers.SwitchableBackend"}}
    settings.NOTICE_MAX_ATTEMPTS = 3
    settings.NOTICE_RETRY_SECONDS = 0  # each retry is due at once, so one batch run sees them all
    monkeypatch.setattr(SwitchableBackend, "down", True)
    mail.outbox.clear()
    services.request_transition(request=menus.request, action="accept", by=unit_staff)

    run_worker()
    answers = Notice.objects.filter(kind=Notice.Kind.ANSWER)
    assert set(answers.values_list("status", "attempts")) == {("failed", 3)}
    assert all("ConnectionRefusedError" in n.last_error for n in answers)
    assert DBTaskResult.objects.count() == 3, "the first try and one task per retry"
    assert mail.outbox == []

    monkeypatch.setattr(SwitchableBackend, "down", False)
    assert notices_send_again(notices=list(answers)) == 2
    run_worker()
    assert set(answers.values_list("status", flat=True)) == {"sent"}
    assert len(mail.outbox) == 2


def test_notices_whose_task_died_are_handed_to_the_worker_again_and_sent_once(
    menus: Menus, unit_staff: User, settings: Settings
) -> None:
    settings.TASKS = DATABASE_QUEUE
    mail.outbox.clear()
    services.request_transition(request=menus.request, action="accept", by=unit_staff)
    # A worker claimed the task and was killed before sending anything.
    DBTaskResult.objects.update(status="RUNNING", worker_ids=["killed"])
    run_worker()
    assert mail.outbox == []

    first, second = StringIO(), StringIO()
    call_command("send_pending_notices", "--older-than", "0", stdout=first)
    assert "Queued again 2 notice(s)" in first.getvalue()
    call_command("send_pending_notices", "--older-than", "0", stdout=second)
    assert "Queued again 0 notice(s)" in second.getvalue(), "their new task is waiting: nothing more to do"
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == ["ild@district.test", "principal@district.test"]
