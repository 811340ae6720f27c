"""Service-menu forms refuse ids the database could not hold, and answers that lost their version."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from district.forms import MISSING_VERSION
from service_menu import services
from service_menu.models import Request, Service
from tests.conftest import District
from tests.service_menu.conftest import Menus

pytestmark = pytest.mark.django_db

TOO_BIG = "99999999999999999999999"


def text(body: bytes) -> str:
    return body.decode().replace("&#x27;", "'")


@pytest.mark.parametrize("field", ["school", "term", "growth_goal"])
def test_a_request_with_an_id_too_large_is_an_invalid_choice(
    client_for: Callable[[str], Client], district: District, menus: Menus, field: str
) -> None:
    data = {
        "school": district.school.pk,
        "term": menus.term.pk,
        "rationale": "Our teachers asked for it.",
        "improvement_priority": "Early literacy",
        field: TOO_BIG,
    }
    response = client_for("principal").post(reverse("service_menu:request_create", args=[menus.intensive.pk]), data)
    assert response.status_code == 200
    assert "Select a valid choice" in text(response.content)
    assert not Request.objects.filter(service=menus.intensive).exists()


def test_a_decline_offering_an_alternative_id_too_large_is_an_invalid_choice(
    client_for: Callable[[str], Client], menus: Menus
) -> None:
    url = reverse("service_menu:request_action", args=[menus.request.pk, "decline"])
    data = {"version": menus.request.version, "decline_reason": "Booked.", "alternative_service": TOO_BIG}
    response = client_for("unit_staff").post(url, data)
    assert response.status_code == 400
    assert "Select a valid choice" in text(response.content)
    menus.request.refresh_from_db()
    assert menus.request.status == Request.Status.SUBMITTED


def test_a_draft_service_with_a_tier_id_too_large_is_an_invalid_choice(
    client_for: Callable[[str], Client], district: District, menus: Menus
) -> None:
    draft = services.menu_start_draft(unit=district.unit, school_year=menus.menu.school_year)
    data = {"title": "Data coaching", "summary": "Coaching on data.", "tier": TOO_BIG, "content_area": TOO_BIG}
    response = client_for("unit_head").post(reverse("service_menu:service_create", args=[draft.pk]), data)
    assert response.status_code == 200
    assert "Select a valid choice" in text(response.content)
    assert not Service.objects.filter(title="Data coaching").exists()


@pytest.mark.parametrize("version", [None, "", "abc"])
def test_an_answer_without_the_version_it_was_given_on_is_refused_with_a_reason(
    client_for: Callable[[str], Client], menus: Menus, version: str | None
) -> None:
    client = client_for("unit_staff")
    url = reverse("service_menu:request_action", args=[menus.request.pk, "accept"])
    data = {} if version is None else {"version": version}
    response = client.post(url, data, follow=True)
    assert MISSING_VERSION in text(response.content)
    menus.request.refresh_from_db()
    assert menus.request.status == Request.Status.SUBMITTED

    row = client.post(url, data, headers={"HX-Request": "true", "HX-Target": f"request-row-{menus.request.pk}"})
    body = text(row.content)
    assert "<html" not in body
    assert f'<tr id="request-row-{menus.request.pk}"' in body
    assert MISSING_VERSION in body
    menus.request.refresh_from_db()
    assert menus.request.status == Request.Status.SUBMITTED

    assert client.post(url, {"version": menus.request.version}).status_code == 302
    menus.request.refresh_from_db()
    assert menus.request.status == Request.Status.ACCEPTED
