"""Long documents are built by the worker, kept while their data stands, and served at once.

The service catalog stands for every kind here; the cabinet packet and the unit reports
are tested with their pages (tests/cycles/).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings

from documents.models import Document
from documents.services import document_build
from tests.conftest import Menus

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_a_document_asked_for_again_is_served_from_store_until_its_data_changes(
    client_for: Callable[[str], Client], menus: Menus
) -> None:
    client = client_for("principal")
    url = reverse("service_menu:catalog_pdf")
    first = client.get(url)
    assert first["Content-Type"] == "application/pdf"
    (document,) = Document.objects.all()
    assert document.status == "ready"
    assert document.size == len(first.content)

    again = client.get(url)
    assert again.content == first.content
    assert Document.objects.get().built_at == document.built_at, "nothing was built again"

    menus.service.title = "Literacy lab classrooms, renewed"
    menus.service.save()
    client.get(url)
    (rebuilt,) = Document.objects.all()
    assert rebuilt.pk != document.pk, "the changed catalog is a new document; the old one is gone"

    client.get(url + "?size=a4")
    assert Document.objects.count() == 2, "each page size is its own document"


def test_a_person_sees_the_document_being_prepared_then_opens_it(
    client_for: Callable[[str], Client], menus: Menus, settings: Settings
) -> None:
    settings.TASKS = DATABASE_QUEUE
    client = client_for("principal")
    response = client.get(reverse("service_menu:catalog_pdf"))
    document = Document.objects.get()
    page = reverse("documents:detail", args=[document.pk])
    assert response.status_code == 302
    assert response["Location"] == page
    assert DBTaskResult.objects.filter(status="READY").count() == 1, "the worker has the task"

    waiting = client.get(page)
    assert "Waiting for a free worker" in waiting.content.decode()
    assert 'hx-trigger="every 2s"' in waiting.content.decode()

    asked_again = client.get(reverse("service_menu:catalog_pdf"))
    assert asked_again["Location"] == page
    assert DBTaskResult.objects.count() == 1, "asking twice queues it once"

    document_build(document_id=document.pk)
    poll = client.get(page, headers={"HX-Request": "true", "HX-Target": "document-progress"})
    fragment = poll.content.decode()
    assert "<h1" not in fragment
    assert 'data-status="ready"' in fragment
    assert "every 2s" not in fragment, "polling stops once it is ready"
    assert client.get(page)["Content-Type"] == "application/pdf"
    assert client.get(reverse("service_menu:catalog_pdf"))["Content-Type"] == "application/pdf"


def test_a_failed_build_says_so_and_asking_again_queues_it_again(
    client_for: Callable[[str], Client], menus: Menus, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TASKS = DATABASE_QUEUE
    client = client_for("principal")
    client.get(reverse("service_menu:catalog_pdf"))
    document = Document.objects.get()
    monkeypatch.setattr("service_menu.documents.render_pdf", lambda *args, **kwargs: 1 / 0)
    assert document_build(document_id=document.pk) == "failed"
    page = client.get(reverse("documents:detail", args=[document.pk]))
    assert "could not be built" in page.content.decode()
    assert "ZeroDivisionError" in Document.objects.get().error

    client.get(reverse("service_menu:catalog_pdf"))
    assert Document.objects.get().status == "queued"
    assert DBTaskResult.objects.count() == 2


def test_a_document_id_serves_only_people_its_page_serves(client_for: Callable[[str], Client], menus: Menus) -> None:
    document = Document.objects.create(
        kind="service_catalog",
        params={"size": "letter"},
        key="k",
        fingerprint="f",
        title="t",
        filename="f.pdf",
        requested_at=menus.request.created_at,
    )
    other = Document.objects.create(
        kind="no_such_kind",
        params={},
        key="k2",
        fingerprint="f",
        title="t",
        filename="f.pdf",
        requested_at=menus.request.created_at,
    )
    assert Client().get(reverse("documents:detail", args=[document.pk])).status_code == 302, "anonymous: sign in"
    client = client_for("principal")
    assert client.get(reverse("documents:detail", args=[document.pk])).status_code == 200
    assert client.get(reverse("documents:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("documents:detail", args=[other.pk + 1])).status_code == 404
