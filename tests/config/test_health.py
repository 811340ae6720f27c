"""The load balancer's health check."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from config import health

pytestmark = pytest.mark.django_db


def test_a_healthy_process_answers_ok_without_signing_in(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": True, "migrations": True, "task_queue": True}}
    assert "no-cache" in response["Cache-Control"]


def test_an_unreachable_database_is_a_503(client: Client) -> None:
    with mock.patch.object(health, "_database_answers", return_value=False):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": False, "migrations": False, "task_queue": False}


def test_unapplied_migrations_are_a_503(client: Client) -> None:
    with (
        mock.patch.object(health, "_migrations_applied", False),
        mock.patch.object(health.MigrationExecutor, "migration_plan", return_value=[("pending", False)]),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] is False


def test_only_get_is_allowed(client: Client) -> None:
    assert client.post("/healthz").status_code == 405


DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _ready_task(*, waited: datetime.timedelta, deferred: bool = False) -> None:
    from django_tasks_db.models import DBTaskResult

    from notices.tasks import send_notices

    task = send_notices.using(run_after=timezone.now() - waited) if deferred else send_notices
    result = task.enqueue(notice_ids=[])
    if not deferred:
        DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=timezone.now() - waited)


def test_the_task_queue_is_healthy_while_workers_keep_up(client: Client, settings: Settings) -> None:
    settings.TASKS = DATABASE_QUEUE
    assert client.get("/healthz").json() == {
        "status": "ok",
        "checks": {"database": True, "migrations": True, "task_queue": True},
        "task_queue_lag_seconds": 0,
    }
    _ready_task(waited=datetime.timedelta(minutes=2))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert 120 <= response.json()["task_queue_lag_seconds"] < 900


def test_a_task_waiting_longer_than_the_threshold_is_a_503(client: Client, settings: Settings) -> None:
    settings.TASKS = DATABASE_QUEUE
    _ready_task(waited=datetime.timedelta(minutes=20))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["task_queue"] is False
    assert response.json()["task_queue_lag_seconds"] >= 1200

    settings.HEALTH_MAX_QUEUE_LAG_SECONDS = 3600
    assert client.get("/healthz").status_code == 200, "the threshold is a setting"
    settings.HEALTH_MAX_QUEUE_LAG_SECONDS = 0
    response = client.get("/healthz")
    assert response.status_code == 200, "0: the lag is reported but does not fail the check"
    assert response.json()["task_queue_lag_seconds"] >= 1200


def test_a_retry_waits_from_when_it_was_due_not_from_when_it_was_enqueued(client: Client, settings: Settings) -> None:
    from notices.tasks import send_notices

    settings.TASKS = DATABASE_QUEUE
    send_notices.using(run_after=timezone.now() + datetime.timedelta(hours=1)).enqueue(notice_ids=[])
    assert client.get("/healthz").json()["task_queue_lag_seconds"] == 0, "not due yet: not late"
    _ready_task(waited=datetime.timedelta(minutes=30), deferred=True)
    assert client.get("/healthz").status_code == 503
