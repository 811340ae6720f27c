"""An ILD's private note reaches no one else: no page, PDF, email, export or feed."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from coaching import services
from coaching.models import Visit
from district.models import User
from tests.coaching.conftest import PRIVATE_MARKER, Coaching
from tests.conftest import District
from tests.http import body_text

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    """The PDF's text as a reader would see it (poppler's pdftotext)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run([tool, "-", "-"], input=content, capture_output=True, check=True).stdout.decode()  # noqa: S603


def test_the_ild_who_wrote_it_sees_their_private_note(client_for: Callable[[str], Client], coaching: Coaching) -> None:
    body = client_for("ild").get(reverse("coaching:visit_detail", args=[coaching.visit.pk])).content.decode()
    assert PRIVATE_MARKER in body


@pytest.mark.parametrize("persona", ["principal", "executive", "admin_user"])
def test_private_note_appears_nowhere_another_role_can_reach(
    client_for: Callable[[str], Client], district: District, coaching: Coaching, persona: str
) -> None:
    client = client_for(persona)
    pages = [
        reverse("coaching:visit_detail", args=[coaching.visit.pk]),
        reverse("coaching:growth", args=[district.school.code]),
        reverse("coaching:visit_list"),
        reverse("coaching:visit_list") + "?export=csv",
        reverse("home"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = body_text(response) if response.streaming else response.content.decode()
        assert PRIVATE_MARKER not in text, url
    for url in [
        reverse("coaching:visit_pdf", args=[coaching.visit.pk]),
        reverse("coaching:growth_pdf", args=[district.school.code]),
    ]:
        response = client.get(url)
        assert response["Content-Type"] == "application/pdf"
        text = pdf_text(response.content)
        assert "Students explained their reasoning" in text, "the PDF has the shared notes"
        assert PRIVATE_MARKER not in text


def test_private_note_stays_out_of_the_admin_and_its_history(
    client_for: Callable[[str], Client], coaching: Coaching
) -> None:
    client = client_for("admin_user")
    for url in [
        reverse("admin:coaching_visit_change", args=[coaching.visit.pk]),
        reverse("admin:coaching_visit_history", args=[coaching.visit.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert PRIVATE_MARKER not in response.content.decode(), url
    assert not hasattr(Visit.history.model, "private_note")


def test_the_visit_email_to_the_principal_has_no_private_note(
    django_capture_on_commit_callbacks: Any, district: District, ild: User
) -> None:
    visit = Visit(
        school=district.school,
        ild=ild,
        date=district.school.caseloads.get().start_date.replace(year=2026, month=11, day=2),
        status=Visit.Status.DONE,
        what_we_saw="Partner talk in every room.",
        private_note=PRIVATE_MARKER,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_save(ild=ild, visit=visit, moves=["joint_observation"], focus_goals=[], next_steps=[])
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["principal@district.test"]
    assert "Partner talk in every room." in message.body
    assert PRIVATE_MARKER not in message.body
    assert PRIVATE_MARKER not in message.subject


def test_calendar_feed_carries_no_notes(client: Client, coaching: Coaching, ild: User) -> None:
    feed = services.calendar_feed_for(user=ild)
    coaching.visit.status = Visit.Status.PLANNED
    coaching.visit.save()
    body = client.get(reverse("coaching:calendar_feed", args=[feed.token])).content.decode()
    assert "BEGIN:VEVENT" in body
    assert PRIVATE_MARKER not in body
    assert "Students explained" not in body
