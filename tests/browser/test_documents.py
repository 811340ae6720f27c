"""An executive asks for the cabinet packet, watches it being prepared, then opens it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from documents.models import Document
from documents.services import document_build
from tests.browser.test_sign_in import sign_in
from tests.conftest import District
from tests.cycles.fixtures import Surveys

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_the_packet_shows_its_progress_then_opens(
    page: Page, live_server: object, district: District, surveys: Surveys, settings: Settings
) -> None:
    settings.TASKS = DATABASE_QUEUE
    base = str(live_server)
    sign_in(page, base, "executive@district.test")
    page.goto(f"{base}/cycles/packet.pdf")
    progress = page.get_by_test_id("document-progress")
    expect(progress).to_contain_text("Waiting for a free worker")
    document = Document.objects.get(kind="cabinet_packet")
    assert page.url.endswith(f"/documents/{document.pk}/")

    document_build(document_id=document.pk)  # what the worker does
    link = page.get_by_test_id("document-download")
    expect(link).to_be_visible(timeout=10_000)
    expect(progress).to_contain_text("Ready")
    pdf = page.request.get(f"{base}{link.get_attribute('href')}")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
