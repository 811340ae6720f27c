"""Answering the survey, rating delivered services, and importing results from elsewhere."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cycles.satisfaction import respondents, services
from cycles.satisfaction.models import Answer, RequestRating, Submission, Survey
from district.csvimport import ImportFailed
from district.models import User
from tests.conftest import District, Menus
from tests.cycles.fixtures import MARKER, TODAY, Surveys
from tests.factories import SchoolFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def post_scores(
    client: Client, unit_pk: int, surveys: Surveys, scores: dict[int, int], submit: bool = False, **headers: str
) -> Any:
    """Post one unit's form as htmx does when a principal changes an answer."""
    data: dict[str, str] = {
        f"u{unit_pk}-item_{item.pk}": str(score) for item in surveys.items if (score := scores.get(item.pk))
    }
    data[f"u{unit_pk}-comment"] = "Helpful coaches."
    if submit:
        data["submit"] = "1"
    return client.post(reverse("cycles:survey_save", args=[unit_pk]), data, headers={"HX-Request": "true"})


def test_a_principal_answers_in_two_sittings_then_submits(
    client_for: Callable[[str], Client], district: District, surveys: Surveys
) -> None:
    client = client_for("principal")
    page = client.get(reverse("cycles:survey")).content.decode()
    assert district.unit.name in page
    first = {surveys.items[0].pk: 4}
    response = post_scores(client, district.unit.pk, surveys, first)
    assert response.status_code == 200
    assert "Draft saved" in response.content.decode()
    assert "HX-Retarget" not in response.headers, "a draft only updates the status line"
    submission = Submission.objects.get(survey=surveys.open, unit=district.unit)
    assert submission.status == "draft"
    incomplete = post_scores(client, district.unit.pk, surveys, first, submit=True)
    assert incomplete.status_code == 200, "htmx swaps only 2xx answers: the principal must see what to fix"
    assert "Answer every question" in incomplete.content.decode()
    everything = {item.pk: 5 for item in surveys.items}
    done = post_scores(client, district.unit.pk, surveys, everything, submit=True)
    assert done.status_code == 200
    assert (done.headers["HX-Retarget"], done.headers["HX-Reswap"]) == (f"#unit-card-{district.unit.pk}", "outerHTML")
    body = done.content.decode()
    assert "Thank you." in body
    assert 'data-testid="survey-thanks"' in body
    assert "<form" not in body, "the card replaces the form"
    assert "<nav" not in body, "the card alone, not a page inside the page"
    submission.refresh_from_db()
    assert submission.status == "submitted"
    again = post_scores(client, district.unit.pk, surveys, {surveys.items[0].pk: 1}, submit=True)
    assert again.status_code == 200
    assert again.headers["HX-Retarget"] == f"#unit-card-{district.unit.pk}"
    assert "You already submitted your answers" in again.content.decode()
    assert "Thank you." in again.content.decode()
    assert Answer.objects.get(submission=submission, item=surveys.items[0]).score == 5
    page = client.get(reverse("cycles:survey")).content.decode()
    assert 'data-testid="survey-thanks"' in page
    assert f'action="{reverse("cycles:survey_save", args=[district.unit.pk])}"' not in page


def test_without_javascript_the_survey_form_posts_and_comes_back_with_a_message(
    client_for: Callable[[str], Client], district: District, surveys: Surveys
) -> None:
    client = client_for("principal")
    url = reverse("cycles:survey_save", args=[district.unit.pk])
    data = {f"u{district.unit.pk}-item_{item.pk}": "4" for item in surveys.items} | {"submit": "1"}
    response = client.post(url, data, follow=True)
    assert response.redirect_chain == [(reverse("cycles:survey"), 302)]
    assert f"Your answers about {district.unit.name} are submitted." in response.content.decode()
    again = client.post(url, data, follow=True).content.decode()
    assert "You already submitted your answers" in again
    assert 'data-testid="survey-thanks"' in again


def test_bad_survey_input_is_refused_with_a_reason(
    client_for: Callable[[str], Client], district: District, surveys: Surveys, principal: User
) -> None:
    client = client_for("principal")
    out_of_range = post_scores(client, district.unit.pk, surveys, {surveys.items[0].pk: 9})
    assert out_of_range.status_code == 400
    assert "1 to 5" in out_of_range.content.decode()
    assert client.post(reverse("cycles:survey_save", args=[999_999])).status_code == 404
    surveys.open.units.add(UnitFactory.create(name="Only unit in survey"))
    with pytest.raises(ValidationError, match="not part of this survey"):
        services.survey_save(survey=surveys.open, unit=district.unit, principal=principal, scores={})
    with pytest.raises(ValidationError, match="window closed"):
        services.survey_save(survey=surveys.closed, unit=district.unit, principal=principal, scores={})
    assert client_for("unit_head").post(reverse("cycles:survey_save", args=[district.unit.pk])).status_code == 403


def test_delivered_requests_are_rated_once(
    client_for: Callable[[str], Client], menus: Menus, unit_staff: User, principal: User
) -> None:
    from service_menu.models import Request

    Request.objects.filter(pk=menus.request.pk).update(status=Request.Status.DELIVERED)
    url = reverse("cycles:rate_request", args=[menus.request.pk])
    assert client_for("unit_staff").post(url, {"quality": 5, "responsiveness": 5}).status_code == 403
    client = client_for("principal")
    assert "How was it?" in client.get(reverse("service_menu:request_detail", args=[menus.request.pk])).content.decode()
    client.post(url, {"quality": 4, "responsiveness": 3, "comment": "Good"})
    assert RequestRating.objects.get(request=menus.request).quality == 4
    Request.objects.filter(pk=menus.request.pk).update(status=Request.Status.SCHEDULED)
    Request.objects.filter(pk=menus.request.pk).update(status=Request.Status.DELIVERED)
    response = client.post(url, {"quality": 1, "responsiveness": 1}, follow=True)
    assert "already been rated" in response.content.decode()
    assert RequestRating.objects.count() == 1


HEADER = "school_code,unit,term,item,score,comment\n"


def failed(data: bytes) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportFailed) as raised:
        services.import_survey_results(data=data)
    return [(e.line, e.column, e.message) for e in raised.value.result.errors]


def test_import_reports_every_bad_row(district: District, surveys: Surveys) -> None:
    SchoolFactory.create(code="NW01")
    unit, term = district.unit.name, "Past Survey year"
    errors = failed(
        (
            HEADER + f"NOPE,{unit},{term},quality,4,\n"
            f"HT01,Nowhere Unit,{term},quality,4,\n"
            f"HT01,{unit},Winter 1999,quality,4,\n"
            f"NW01,{unit},{term},happiness,4,\n"
            f"NW01,{unit},{term},quality,7,\n"
            f"NW01,{unit},{term},quality,4,\n"
            f"NW01,{unit},{term},quality,5,\n"
        ).encode()
    )
    assert (2, "school_code", "unknown school “NOPE”") in errors
    assert (3, "unit", "unknown unit “Nowhere Unit”") in errors
    assert errors[2][:2] == (4, "term")
    assert errors[3][:2] == (5, "item")
    assert (6, "score", "“7” is not a score from 1 to 5") in errors
    assert errors[-1][:2] == (8, "item")
    assert "duplicate row" in errors[-1][2]
    assert failed(b"") == [(0, "", "the file is empty")]
    assert "not UTF-8" in failed((HEADER + "Éc,x,y,z,1,\n").encode("latin-1"))[0][2]
    assert failed(b"school_code,unit\nHT01,x\n")[0][1] == "term"


def test_import_is_idempotent(district: District, surveys: Surveys) -> None:
    data = (
        HEADER + f"HT01,{district.unit.name},Now Survey year,quality,4,Great\n"
        f"HT01,{district.unit.name},Now Survey year,overall,5,\n"
    ).encode()
    first = services.import_survey_results(data=data)
    assert (first.created, first.updated) == (2, 0)
    second = services.import_survey_results(data=data)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert Submission.objects.filter(source="imported").count() == 1


def results_file(unit_names: list[str], schools: int) -> bytes:
    lines = [HEADER]
    for i in range(schools):
        for name in unit_names:
            for item in ("quality", "responsiveness"):
                lines.append(f"B{i:04d},{name},Past Survey year,{item},4,\n")
    return "".join(lines).encode()


def test_import_cost_does_not_grow_with_the_file(district: District, surveys: Surveys) -> None:
    """Rows are checked and written in bulk: ten times the rows, the same queries (the timing is in make benchmark)."""
    for i in range(60):
        SchoolFactory.create(code=f"B{i:04d}")
    names = [district.unit.name] + [UnitFactory.create(name=f"Unit {i}").name for i in range(4)]
    with CaptureQueriesContext(connection) as small:
        assert services.import_survey_results(data=results_file(names[:1], schools=6)).created == 12
    with CaptureQueriesContext(connection) as large:
        assert services.import_survey_results(data=results_file(names, schools=60)).created == 600 - 12
    assert len(large) == len(small)
    assert Answer.objects.filter(submission__source="imported").count() == 600
    assert Submission.objects.filter(source="imported").count() == 300


def test_the_admin_import_page_is_for_admins(client_for: Callable[[str], Client], surveys: Surveys) -> None:
    url = reverse("admin:cycles_import_results")
    assert client_for("admin_user").get(url).status_code == 200
    assert client_for("executive").get(url).status_code == 302
    assert Survey.objects.count() == 2
    assert TODAY - datetime.timedelta(days=1) < TODAY


def test_an_import_cannot_replace_a_principals_own_answers(district: District, surveys: Surveys) -> None:
    errors = failed((HEADER + f"HT01,{district.unit.name},Past Survey year,quality,1,\n").encode())
    assert errors[0][:2] == (2, "school_code")
    assert "cannot replace" in errors[0][2]


def test_survey_windows_do_not_overlap(surveys: Surveys) -> None:
    overlapping = Survey(
        term=surveys.closed_term, title="Clash", opens_on=surveys.open.opens_on, closes_on=surveys.open.closes_on
    )
    with pytest.raises(ValidationError, match="overlaps"):
        overlapping.clean()


def test_a_new_principal_sees_none_of_the_previous_principals_answers_and_the_school_answers_once(
    client: Client, district: District, surveys: Surveys, principal: User
) -> None:
    """Paula leaves mid-survey: she submitted about one unit and left a draft about another."""
    family = UnitFactory.create(name="Family Engagement")
    services.survey_save(
        survey=surveys.open, unit=district.unit, principal=principal,
        scores={item.pk: 2 for item in surveys.items}, comment="PAULA-SUBMITTED", submit=True,
    )  # fmt: skip
    services.survey_save(
        survey=surveys.open, unit=family, principal=principal, scores={surveys.items[0].pk: 1}, comment="PAULA-DRAFT"
    )
    successor = UserFactory.create(email="successor@district.test", full_name="Sam Rivera")
    district.school.principal = successor
    district.school.save()
    client.force_login(successor)

    page = client.get(reverse("cycles:survey")).content.decode()
    assert "PAULA" not in page
    assert "Draft saved" not in page, "not even when the predecessor last saved"
    assert f"Your school's answers about {district.unit.name} for this term were already given" in page
    family_card = page[page.index(f'id="unit-card-{family.pk}"') :]
    assert "checked" not in family_card[: family_card.index("</section>")]

    refused = post_scores(client, district.unit.pk, surveys, {item.pk: 5 for item in surveys.items}, submit=True)
    assert refused.status_code == 200
    assert "were already given by the previous principal" in refused.content.decode()
    paulas = Submission.objects.get(survey=surveys.open, unit=district.unit)
    assert (paulas.respondent, set(paulas.answers.exclude(score=None).values_list("score", flat=True))) == (
        principal,
        {2},
    )

    post_scores(client, family.pk, surveys, {surveys.items[1].pk: 5})
    draft = Submission.objects.get(survey=surveys.open, unit=family)
    assert draft.respondent == successor
    assert {(a.item_id, a.score) for a in draft.answers.exclude(score=None)} == {(surveys.items[1].pk, 5)}
    assert not Answer.objects.filter(comment="PAULA-DRAFT").exists(), "her unfinished draft is not handed on"
    assert "Draft saved" in client.get(reverse("cycles:survey")).content.decode()

    mine = client.get(reverse("cycles:my_answers")).content.decode()
    assert "PAULA-SUBMITTED" not in mine
    assert MARKER not in mine, "nor her answers from earlier terms"
    assert "You have not submitted any survey answers yet." in mine
    counted = {unit.pk: n for unit, n, _ in respondents.response_rates(survey=surveys.open)}
    assert counted[district.unit.pk] == 1, "still one answer per school per unit per term"

    new_school = SchoolFactory.create(name="Ida B. Wells High", principal=principal)
    client.force_login(principal)
    hers = client.get(reverse("cycles:my_answers")).content.decode()
    assert "PAULA-SUBMITTED" in hers, "her answers follow her to her new school"
    assert MARKER in hers
    assert f"as principal of {district.school.name}" in hers
    assert new_school.name not in hers
