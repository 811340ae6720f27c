"""Service-menu pages: the permission ladder, htmx answers, exports and query counts."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from district.models import User
from service_menu import services
from service_menu.models import Request
from tests.conftest import District
from tests.factories import CaseloadFactory, SchoolFactory, ServiceFactory
from tests.http import body_text
from tests.service_menu.conftest import TODAY, Menus

pytestmark = pytest.mark.django_db


def urls(m: Menus, district: District) -> dict[str, str]:
    return {
        "catalog": reverse("service_menu:catalog"),
        "service": reverse("service_menu:service_detail", args=[m.service.pk]),
        "unit_menu": reverse("service_menu:unit_menu", args=[district.unit.pk]),
        "menu_version": reverse("service_menu:menu_version", args=[m.menu.pk]),
        "request_create": reverse("service_menu:request_create", args=[m.service.pk]),
        "request_detail": reverse("service_menu:request_detail", args=[m.request.pk]),
        "request_list": reverse("service_menu:request_list"),
        "workspace": reverse("service_menu:workspace"),
        "school_360": reverse("service_menu:school_360", args=[district.school.code]),
        "measures": reverse("service_menu:unit_measures", args=[district.unit.pk]),
        "service_create": reverse("service_menu:service_create", args=[m.menu.pk]),
    }


LADDER: dict[str, dict[str, int]] = {
    "principal": {"catalog": 200, "service": 200, "unit_menu": 200, "menu_version": 200, "request_create": 200,
                  "request_detail": 200, "request_list": 200, "workspace": 403, "school_360": 200, "measures": 403,
                  "service_create": 403},
    "other_principal": {"catalog": 200, "service": 200, "unit_menu": 200, "menu_version": 200, "request_create": 200,
                        "request_detail": 404, "request_list": 200, "workspace": 403, "school_360": 404,
                        "measures": 403, "service_create": 403},
    "ild": {"catalog": 200, "service": 200, "unit_menu": 200, "menu_version": 200, "request_create": 200,
            "request_detail": 200, "request_list": 200, "workspace": 403, "school_360": 200, "measures": 403,
            "service_create": 403},
    "other_ild": {"catalog": 200, "service": 200, "unit_menu": 200, "menu_version": 200, "request_create": 200,
                  "request_detail": 404, "request_list": 200, "workspace": 403, "school_360": 404, "measures": 403,
                  "service_create": 403},
    "unit_head": {"catalog": 200, "service": 200, "unit_menu": 200, "menu_version": 200, "request_create": 403,
                  "request_detail": 200, "request_list": 200, "workspace": 200, "school_360": 404, "measures": 200,
                  "service_create": 403},
    "unit_staff": {"catalog": 200, "service": 200, "unit_menu": 200, "menu_version": 200, "request_create": 403,
                   "request_detail": 200, "request_list": 200, "workspace": 200, "school_360": 404, "measures": 200,
                   "service_create": 403},
    "executive": {"catalog": 200, "service": 200, "unit_menu": 200, "menu_version": 200, "request_create": 403,
                  "request_detail": 200, "request_list": 200, "workspace": 403, "school_360": 200, "measures": 200,
                  "service_create": 403},
}  # fmt: skip


@pytest.mark.parametrize("persona", list(LADDER))
def test_permission_ladder(client_for: Callable[[str], Client], district: District, menus: Menus, persona: str) -> None:
    client = client_for(persona)
    for name, url in urls(menus, district).items():
        assert client.get(url).status_code == LADDER[persona][name], f"{persona} → {name}"


def test_anonymous_people_are_sent_to_sign_in(client: Client, district: District, menus: Menus) -> None:
    for name, url in urls(menus, district).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name


def test_draft_menus_are_for_the_unit_only(
    client_for: Callable[[str], Client], district: District, menus: Menus
) -> None:
    draft = services.menu_start_draft(unit=district.unit, school_year=menus.menu.school_year)
    url = reverse("service_menu:menu_version", args=[draft.pk])
    assert client_for("principal").get(url).status_code == 404
    assert client_for("unit_staff").get(url).status_code == 200
    assert client_for("unit_staff").get(reverse("service_menu:service_create", args=[draft.pk])).status_code == 403
    assert client_for("unit_head").get(reverse("service_menu:service_create", args=[draft.pk])).status_code == 200


def test_only_the_unit_answers_and_only_the_school_cancels(
    client_for: Callable[[str], Client], district: District, menus: Menus
) -> None:
    accept = reverse("service_menu:request_action", args=[menus.request.pk, "accept"])
    version = {"version": menus.request.version}
    assert client_for("principal").post(accept, version).status_code == 403
    assert client_for("executive").post(accept, version).status_code == 403
    assert client_for("other_principal").post(accept, version).status_code == 404
    assert client_for("unit_staff").post(accept, version).status_code == 302
    menus.request.refresh_from_db()
    assert menus.request.status == Request.Status.ACCEPTED
    cancel = reverse("service_menu:request_action", args=[menus.request.pk, "cancel"])
    version = {"version": menus.request.version}
    assert client_for("unit_staff").post(cancel, version).status_code == 403
    assert client_for("principal").post(cancel, version).status_code == 302


def test_principal_requests_for_their_own_school_only(
    client_for: Callable[[str], Client], district: District, menus: Menus
) -> None:
    other_service = ServiceFactory.create(menu=menus.menu, title="Data coaching")
    url = reverse("service_menu:request_create", args=[other_service.pk])
    data = {"school": district.other_school.pk, "term": menus.term.pk, "rationale": "x", "improvement_priority": "y"}
    response = client_for("principal").post(url, data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    response = client_for("principal").post(url, {**data, "school": district.school.pk})
    assert response.status_code == 302
    assert Request.objects.filter(service=other_service, school=district.school).exists()


def test_decline_form_keeps_what_was_typed_when_the_alternative_is_missing(
    client_for: Callable[[str], Client], menus: Menus
) -> None:
    url = reverse("service_menu:request_action", args=[menus.request.pk, "decline"])
    data = {"version": menus.request.version, "decline_reason": "Our coaches are all booked."}
    response = client_for("unit_staff").post(url, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "no, but" in body
    assert "Our coaches are all booked." in body
    menus.request.refresh_from_db()
    assert menus.request.status == Request.Status.SUBMITTED


def test_a_stale_answer_is_told(client_for: Callable[[str], Client], menus: Menus) -> None:
    version = menus.request.version
    client = client_for("unit_staff")
    client.post(reverse("service_menu:request_action", args=[menus.request.pk, "accept"]), {"version": version})
    response = client.post(
        reverse("service_menu:request_action", args=[menus.request.pk, "waitlist"]), {"version": version}, follow=True
    )
    assert "Someone else answered this request first" in response.content.decode()


def test_workspace_answers_inline_with_htmx(client_for: Callable[[str], Client], menus: Menus) -> None:
    client = client_for("unit_staff")
    page = client.get(reverse("service_menu:workspace")).content.decode()
    assert f'id="request-row-{menus.request.pk}"' in page
    assert "hx-post" in page
    response = client.post(
        reverse("service_menu:request_action", args=[menus.request.pk, "accept"]),
        {"version": menus.request.version},
        headers={"HX-Request": "true", "HX-Target": f"request-row-{menus.request.pk}"},
    )
    body = response.content.decode()
    assert "<html" not in body
    assert f'<tr id="request-row-{menus.request.pk}"' in body
    assert "accepted" in body


def test_workspace_flags_requests_past_the_response_target(client_for: Callable[[str], Client], menus: Menus) -> None:
    Request.objects.filter(pk=menus.request.pk).update(
        created_at=menus.request.created_at - datetime.timedelta(days=14)
    )
    body = client_for("unit_staff").get(reverse("service_menu:workspace")).content.decode()
    assert "overdue" in body


def test_request_csv_neutralises_formulas(
    client_for: Callable[[str], Client], district: District, menus: Menus
) -> None:
    Request.objects.filter(pk=menus.request.pk).update(improvement_priority="x")
    district.school.name = "=cmd|' /C calc'!A0"
    district.school.save()
    text = body_text(client_for("unit_staff").get(reverse("service_menu:request_list"), {"export": "csv"}))
    assert "'=cmd" in text
    assert "\n=cmd" not in text


@pytest.mark.parametrize("rows", [3, 30])
def test_catalog_workspace_and_school_360_queries_stay_flat(
    client_for: Callable[[str], Client],
    district: District,
    menus: Menus,
    principal: User,
    django_assert_num_queries: Any,
    rows: int,
) -> None:
    for i in range(rows):
        service = ServiceFactory.create(menu=menus.menu, title=f"Extra {i}", capacity_per_term=None)
        school = SchoolFactory.create()
        services.request_submit(
            school=school,
            service=service,
            term=menus.term,
            requested_by=principal,
            rationale="x",
            improvement_priority="y",
        )
        services.request_submit(
            school=district.school,
            service=service,
            term=menus.term,
            requested_by=principal,
            rationale="x",
            improvement_priority="y",
        )
    client = client_for("principal")
    with django_assert_num_queries(12):
        assert client.get(reverse("service_menu:catalog"), {"per_page": 50}).status_code == 200
    with django_assert_num_queries(14):
        response = client.get(reverse("service_menu:school_360", args=[district.school.code]))
    client = client_for("unit_staff")
    with django_assert_num_queries(15):
        assert client.get(reverse("service_menu:workspace"), {"per_page": 100}).status_code == 200
    assert response.status_code == 200
    assert response.content.decode().count("Extra ") >= rows


def test_brokering_in_a_visit_becomes_a_request(
    client_for: Callable[[str], Client], district: District, menus: Menus, ild: User
) -> None:
    from tests.factories import VisitFactory

    visit = VisitFactory.create(school=district.school, ild=ild, brokered_resource="District literacy lab")
    detail = client_for("ild").get(reverse("coaching:visit_detail", args=[visit.pk])).content.decode()
    assert "Make it a request" in detail
    response = client_for("ild").get(
        reverse("service_menu:request_from_visit", args=[visit.pk]), {"service": menus.intensive.pk}
    )
    assert response.status_code == 302
    form_url = response["Location"]
    assert f"visit={visit.pk}" in form_url
    response = client_for("ild").post(
        form_url,
        {"school": district.school.pk, "term": menus.term.pk, "rationale": "Brokered", "improvement_priority": "Math"},
    )
    assert response.status_code == 302
    request = Request.objects.get(brokered_from_visit=visit)
    assert request.status == Request.Status.ENDORSED
    detail = client_for("principal").get(reverse("coaching:visit_detail", args=[visit.pk])).content.decode()
    assert "request for Intensive math turnaround" in detail
    assert client_for("other_ild").get(reverse("service_menu:request_from_visit", args=[visit.pk])).status_code == 404
    CaseloadFactory  # noqa: B018 - imported for symmetry with other tests


def test_menu_and_catalog_pdfs(client_for: Callable[[str], Client], district: District, menus: Menus) -> None:
    from tests.coaching.test_private_notes import pdf_text

    response = client_for("principal").get(reverse("service_menu:menu_pdf", args=[district.unit.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Literacy lab classrooms" in text
    assert "Intensive math turnaround" in text
    catalog = pdf_text(client_for("unit_staff").get(reverse("service_menu:catalog_pdf")).content)
    assert "District service catalog" in catalog
    assert TODAY


def test_a_principal_takes_up_the_alternative_in_one_step(
    client_for: Callable[[str], Client], district: District, menus: Menus, unit_staff: User
) -> None:
    other = ServiceFactory.create(menu=menus.menu, title="After-school planning sessions")
    services.request_transition(
        request=menus.request, action="decline", by=unit_staff, decline_reason="Full", alternative_service=other
    )
    client = client_for("principal")
    detail = client.get(reverse("service_menu:request_detail", args=[menus.request.pk])).content.decode()
    assert "Take this alternative" in detail
    url = reverse("service_menu:request_create", args=[other.pk]) + f"?taken_from={menus.request.pk}"
    assert "Taking up the alternative" in client.get(url).content.decode()
    response = client.post(
        url,
        {"school": district.school.pk, "term": menus.term.pk, "rationale": "Yes please", "improvement_priority": "x"},
    )
    assert response.status_code == 302
    assert Request.objects.get(service=other).taken_from == menus.request
    from service_menu.pipeline import unit_measures

    assert unit_measures(unit=district.unit).alternatives_taken == 1
