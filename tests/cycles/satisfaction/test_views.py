"""Satisfaction pages: who may read what, and queries that stay flat as units grow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import District
from tests.cycles.fixtures import Surveys, answer
from tests.factories import SchoolFactory, UnitFactory

pytestmark = pytest.mark.django_db


def urls(district: District) -> dict[str, str]:
    return {
        "survey": reverse("cycles:survey"),
        "unit_results": reverse("cycles:unit_results", args=[district.unit.pk]),
        "unit_pdf": reverse("cycles:unit_report_pdf", args=[district.unit.pk]),
        "heat_map": reverse("cycles:heat_map"),
        "transparency": reverse("cycles:transparency"),
        "my_answers": reverse("cycles:my_answers"),
        "response_rates": reverse("cycles:response_rates"),
    }


LADDER = {
    "principal": {"survey": 200, "unit_results": 200, "unit_pdf": 200, "heat_map": 403, "transparency": 200,
                  "my_answers": 200, "response_rates": 403},
    "ild": {"survey": 403, "unit_results": 200, "unit_pdf": 200, "heat_map": 200, "transparency": 403,
            "my_answers": 403, "response_rates": 403},
    "unit_head": {"survey": 403, "unit_results": 200, "unit_pdf": 200, "heat_map": 403, "transparency": 403,
                  "my_answers": 403, "response_rates": 200},
    "unit_staff": {"survey": 403, "unit_results": 200, "unit_pdf": 200, "heat_map": 403, "transparency": 403,
                   "my_answers": 403, "response_rates": 200},
    "executive": {"survey": 403, "unit_results": 200, "unit_pdf": 200, "heat_map": 200, "transparency": 403,
                  "my_answers": 403, "response_rates": 200},
}  # fmt: skip


@pytest.mark.parametrize("persona", list(LADDER))
def test_permission_ladder(
    client_for: Callable[[str], Client], district: District, surveys: Surveys, persona: str
) -> None:
    client = client_for(persona)
    for name, url in urls(district).items():
        assert client.get(url).status_code == LADDER[persona][name], f"{persona} → {name}"


def test_anonymous_people_are_sent_to_sign_in(client: Client, district: District, surveys: Surveys) -> None:
    for url in urls(district).values():
        assert client.get(url)["Location"].startswith(reverse("login"))


def test_unit_people_see_only_their_own_unit(
    client_for: Callable[[str], Client], district: District, surveys: Surveys
) -> None:
    other = UnitFactory.create(name="Other unit")
    assert client_for("unit_head").get(reverse("cycles:unit_results", args=[other.pk])).status_code == 403
    assert client_for("unit_staff").get(reverse("cycles:unit_results", args=[other.pk])).status_code == 403
    assert client_for("executive").get(reverse("cycles:unit_results", args=[other.pk])).status_code == 200
    assert client_for("executive").get(reverse("cycles:unit_results", args=[999_999])).status_code == 404


def test_the_trend_shows_the_closed_term_and_hides_the_open_one(
    client_for: Callable[[str], Client], district: District, surveys: Surveys
) -> None:
    for _ in range(6):
        answer(surveys.open, district.unit, SchoolFactory.create(), surveys.items, 5)
    body = client_for("unit_head").get(reverse("cycles:unit_results", args=[district.unit.pk])).content.decode()
    assert "Past Survey year" in body
    assert "Now Survey year" not in body, "results stay hidden until the window closes"


@pytest.mark.parametrize("units", [3, 30])
def test_trend_page_and_heat_map_queries_stay_flat(
    client_for: Callable[[str], Client],
    district: District,
    surveys: Surveys,
    django_assert_num_queries: Any,
    units: int,
) -> None:
    schools = [SchoolFactory.create() for _ in range(5)]
    for i in range(units):
        unit = UnitFactory.create(name=f"Unit {i:02d}")
        for school in schools:
            answer(surveys.closed, unit, school, surveys.items, 4)
    client = client_for("executive")
    with django_assert_num_queries(23):
        assert client.get(reverse("cycles:unit_results", args=[district.unit.pk])).status_code == 200
    with django_assert_num_queries(14):  # the district average each cell is shaded against is two more
        response = client.get(reverse("cycles:heat_map"))
    assert response.content.decode().count("Unit ") >= units


def test_the_unit_report_can_end_at_an_earlier_term(
    client_for: Callable[[str], Client], district: District, surveys: Surveys
) -> None:
    from tests.coaching.test_private_notes import pdf_text

    url = reverse("cycles:unit_report_pdf", args=[district.unit.pk])
    text = pdf_text(client_for("unit_head").get(url, {"term": surveys.closed_term.pk}).content)
    assert "Past Survey year" in text
    assert client_for("unit_head").get(url, {"term": "bogus"}).status_code == 200


def test_ratings_show_per_service_only_for_ended_terms(
    client_for: Callable[[str], Client], district: District, surveys: Surveys, principal: Any
) -> None:
    from cycles.satisfaction.models import RequestRating
    from service_menu.models import Request
    from tests.factories import MenuFactory, ServiceFactory

    menu = MenuFactory.create(unit=district.unit, school_year=surveys.closed_term.school_year)
    service = ServiceFactory.create(menu=menu, title="Rated coaching")

    def rate(term: Any, n: int) -> None:
        for _ in range(n):
            request = Request.objects.create(
                school=SchoolFactory.create(), service=service, term=term, rationale="x", requested_by=principal,
                status="delivered",
            )  # fmt: skip
            RequestRating.objects.create(request=request, quality=4, responsiveness=2)

    rate(surveys.open_term, 6)
    body = client_for("unit_head").get(reverse("cycles:unit_results", args=[district.unit.pk])).content.decode()
    assert "No ratings from ended terms yet." in body, "ratings of a running term stay out"
    rate(surveys.closed_term, 5)
    body = client_for("unit_head").get(reverse("cycles:unit_results", args=[district.unit.pk])).content.decode()
    assert "Rated coaching" in body
    assert "2.00" in body, "responsiveness is shown beside quality"
