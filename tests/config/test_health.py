"""The load balancer's health check."""

from __future__ import annotations

from unittest import mock

import pytest
from django.test import Client

from config import health

pytestmark = pytest.mark.django_db


def test_a_healthy_process_answers_ok_without_signing_in(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": True, "migrations": True}}
    assert "no-cache" in response["Cache-Control"]


def test_an_unreachable_database_is_a_503(client: Client) -> None:
    with mock.patch.object(health, "_database_answers", return_value=False):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": False, "migrations": False}


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
