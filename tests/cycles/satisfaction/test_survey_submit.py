"""One "Submit my answers" for the whole survey: units answered are submitted, units left
blank are skipped, a unit half answered says what is missing, and the page shows progress."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from cycles.satisfaction.models import Submission
from tests.conftest import District
from tests.cycles.fixtures import Surveys
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_only_a_principal_submits_the_survey(
    client: Client, client_for: Callable[[str], Client], surveys: Surveys
) -> None:
    url = reverse("cycles:survey_submit")
    assert client.post(url).status_code == 302
    assert client_for("unit_head").post(url).status_code == 403
    assert client_for("principal").get(url).status_code == 405
    assert client_for("principal").post(url).status_code == 302


def test_one_submit_sends_every_answered_unit_and_skips_the_blank_ones(
    client_for: Callable[[str], Client], district: District, surveys: Surveys
) -> None:
    half = UnitFactory.create(name="Half answered")
    blank = UnitFactory.create(name="Left blank")
    client = client_for("principal")
    page = client.get(reverse("cycles:survey")).content.decode()
    assert page.count(">Submit my answers</button>") == 1
    assert "1 = poor" in page
    assert "5 = excellent" in page
    assert 'data-testid="survey-progress"' in page

    first = surveys.items[0]
    data: dict[str, str | list[str]] = {"units": [str(district.unit.pk), str(half.pk), str(blank.pk)]}
    data |= {f"u{district.unit.pk}-item_{item.pk}": "4" for item in surveys.items}
    data[f"u{half.pk}-item_{first.pk}"] = "2"
    response = client.post(reverse("cycles:survey_submit"), data, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body, "htmx gets the survey's body, not the page"
    assert 'data-testid="survey-outcome"' in body
    assert f"Your answers about {district.unit.name} are submitted" in body
    assert f'href="#unit-card-{half.pk}"' in body, "the error summary links to the unit to fix"
    assert "Answer every question before submitting" in body
    assert f'name="u{half.pk}-item_{first.pk}" value="2"' in body.replace(" checked", "")
    submitted = set(Submission.objects.submitted().filter(survey=surveys.open).values_list("unit__name", flat=True))
    assert submitted == {district.unit.name}
    assert not Submission.objects.filter(survey=surveys.open, unit=blank).exists()

    # Without JavaScript: a redirect and a message; a tab left open reports the unit as done.
    again = client.post(reverse("cycles:survey_submit"), {"units": [str(district.unit.pk)]}, follow=True)
    assert again.redirect_chain == [(reverse("cycles:survey"), 302)]
    assert "You already submitted your answers" in again.content.decode()
