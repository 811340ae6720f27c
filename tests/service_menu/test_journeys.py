"""Journeys without dead ends: the request form chooses for you, "no, but …" leads somewhere,
the ILD cannot cancel a principal's request, and the school 360° shows services beside coaching."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coaching.models import GrowthGoal, LeadershipPractice
from district.models import School, User
from service_menu import services
from service_menu.models import Request, Service
from tests.conftest import District
from tests.factories import (
    CaseloadFactory,
    GoalFactory,
    MenuFactory,
    PracticeFactory,
    SchoolFactory,
    SchoolYearFactory,
    ServiceFactory,
    TermFactory,
    UnitFactory,
    VisitFactory,
)
from tests.http import body_text, csv_rows
from tests.service_menu.conftest import TODAY, Menus

pytestmark = pytest.mark.django_db

PRIVATE_MARKER = "PRIVATE-NOTE-MARKER-360"


def goal_for(school: School, menus: Menus, practice: LeadershipPractice | None = None, **kwargs: Any) -> GrowthGoal:
    return GoalFactory.create(
        school=school, school_year=menus.menu.school_year, practice=practice or PracticeFactory.create(), **kwargs
    )


def form_of(response: Any) -> Any:
    return response.context["form"]


# --- The request form -----------------------------------------------------------------


def test_the_request_form_preselects_the_current_term_and_the_schools_only_active_goal(
    client_for: Callable[[str], Client], district: District, menus: Menus
) -> None:
    goal = goal_for(district.school, menus)
    goal_for(district.school, menus, status=GrowthGoal.Status.MET)
    elsewhere = goal_for(district.other_school, menus)
    response = client_for("principal").get(reverse("service_menu:request_create", args=[menus.intensive.pk]))
    form = form_of(response)
    assert form["school"].value() == district.school.pk
    assert form["term"].value() == menus.term.pk
    assert form["growth_goal"].value() == goal.pk
    assert list(form.fields["growth_goal"].queryset) == [goal], "only the school's open goals are offered"
    assert elsewhere.practice.name not in response.content.decode()


def test_two_active_goals_are_left_for_the_person_to_choose(
    client_for: Callable[[str], Client], district: District, menus: Menus
) -> None:
    goal_for(district.school, menus)
    goal_for(district.school, menus)
    form = form_of(client_for("principal").get(reverse("service_menu:request_create", args=[menus.intensive.pk])))
    assert form["growth_goal"].value() is None
    assert form["term"].value() == menus.term.pk


def test_an_ild_who_changes_the_school_gets_that_schools_goals_as_a_fragment(
    client_for: Callable[[str], Client], district: District, menus: Menus, ild: User
) -> None:
    second = SchoolFactory.create(name="Zora Neale Hurston K-8")
    CaseloadFactory.create(ild=ild, school=second)
    first_goal = goal_for(district.school, menus)
    second_goal = goal_for(second, menus)
    url = reverse("service_menu:request_create", args=[menus.intensive.pk])
    client = client_for("ild")

    page = client.get(url)
    assert form_of(page)["school"].value() is None, "an ILD with two schools picks one"
    body = page.content.decode()
    assert "Choose the school to see its growth goals." in body
    assert 'hx-target="#school-fields"' in body
    assert f'href="?school={second.pk}"' in body, "without JavaScript, a link per school shows its goals"

    htmx = {"HX-Request": "true", "HX-Target": "school-fields"}
    fragment = client.get(url, {"school": second.pk}, headers=htmx)
    text = fragment.content.decode()
    assert "<html" not in text
    assert 'id="school-fields"' in text
    assert second_goal.practice.name in text
    assert first_goal.practice.name not in text
    assert f'value="{second_goal.pk}" selected' in text, "the school's only active goal is chosen"

    whole = client.get(url, {"school": second.pk})
    assert "<html" in whole.content.decode()
    assert form_of(whole)["growth_goal"].value() == second_goal.pk

    foreign = client.get(url, {"school": district.other_school.pk}, headers=htmx)
    assert "Choose the school" in foreign.content.decode(), "a school outside the caseload shows nothing"


def test_a_goal_of_another_school_is_refused(
    client_for: Callable[[str], Client], district: District, menus: Menus, ild: User
) -> None:
    second = SchoolFactory.create()
    CaseloadFactory.create(ild=ild, school=second)
    second_goal = goal_for(second, menus)
    response = client_for("ild").post(
        reverse("service_menu:request_create", args=[menus.intensive.pk]),
        {"school": district.school.pk, "term": menus.term.pk, "growth_goal": second_goal.pk, "rationale": "x"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Request.objects.filter(service=menus.intensive).exists()


def test_a_brokered_visit_becomes_a_request_with_its_school_and_goal_filled_in(
    client_for: Callable[[str], Client], district: District, menus: Menus, ild: User
) -> None:
    second = SchoolFactory.create()
    CaseloadFactory.create(ild=ild, school=second)
    goal_for(second, menus)
    focus = goal_for(district.school, menus)
    goal_for(district.school, menus)  # two active goals: the visit's focus decides
    visit = VisitFactory.create(school=district.school, ild=ild, brokered_resource="District math coach")
    visit.focus_goals.add(focus)
    response = client_for("ild").get(
        reverse("service_menu:request_from_visit", args=[visit.pk]), {"service": menus.intensive.pk}, follow=True
    )
    form = form_of(response)
    assert form["school"].value() == district.school.pk
    assert form["growth_goal"].value() == focus.pk
    assert form["term"].value() == menus.term.pk
    assert "District math coach" in form["rationale"].value()
    assert {g.school_id for g in form.fields["growth_goal"].queryset} == {district.school.pk}


def test_the_form_says_when_the_school_already_asked_for_the_service(
    client_for: Callable[[str], Client], district: District, menus: Menus
) -> None:
    body = client_for("principal").get(reverse("service_menu:request_create", args=[menus.service.pk])).content
    assert b'data-testid="already-requested"' in body
    assert reverse("service_menu:request_detail", args=[menus.request.pk]).encode() in body


# --- "No, but …" ----------------------------------------------------------------------


def test_the_alternative_picker_is_grouped_by_unit_and_offers_only_later_terms(
    client_for: Callable[[str], Client], district: District, menus: Menus
) -> None:
    other_unit = UnitFactory.create(name="Student Services")
    other_menu = MenuFactory.create(unit=other_unit, school_year=menus.menu.school_year)
    ServiceFactory.create(menu=other_menu, title="Attendance teams")
    response = client_for("unit_staff").get(reverse("service_menu:request_detail", args=[menus.request.pk]))
    body = response.content.decode()
    assert '<optgroup label="Instructional Services">' in body
    assert '<optgroup label="Student Services">' in body
    field = response.context["decline_form"].fields["alternative_service"]
    offered = {s.pk for s in field.queryset}
    assert menus.intensive.pk in offered
    assert menus.service.pk not in offered, "the declined service is no alternative to itself"
    terms = list(response.context["decline_form"].fields["alternative_term"].queryset)
    assert terms == [menus.later_term]


def test_taking_the_alternative_prefills_the_later_term(
    client_for: Callable[[str], Client], district: District, menus: Menus, unit_staff: User
) -> None:
    services.request_transition(
        request=menus.request,
        action="decline",
        by=unit_staff,
        decline_reason="Full",
        alternative_service=menus.intensive,
        alternative_term=menus.later_term,
    )
    client = client_for("principal")
    detail = client.get(reverse("service_menu:request_detail", args=[menus.request.pk])).content.decode()
    assert "Take this alternative" in detail
    response = client.get(
        reverse("service_menu:request_create", args=[menus.intensive.pk]), {"taken_from": menus.request.pk}
    )
    form = form_of(response)
    assert form["term"].value() == menus.later_term.pk
    assert form["improvement_priority"].value() == "Early literacy"


def test_taking_an_alternative_the_school_already_asked_for_leads_to_that_request(
    client_for: Callable[[str], Client], district: District, menus: Menus, principal: User, unit_staff: User
) -> None:
    other = ServiceFactory.create(menu=menus.menu, title="After-school planning sessions", capacity_per_term=None)
    open_one = services.request_submit(
        school=district.school,
        service=other,
        term=menus.later_term,
        requested_by=principal,
        rationale="Planning time",
        improvement_priority="Planning",
    )
    services.request_transition(
        request=menus.request, action="decline", by=unit_staff, decline_reason="Full", alternative_service=other
    )
    response = client_for("principal").get(
        reverse("service_menu:request_create", args=[other.pk]), {"taken_from": menus.request.pk}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("service_menu:request_detail", args=[open_one.pk])
    assert "already has an open request for “After-school planning sessions”" in response.content.decode()


# --- Cancelling -----------------------------------------------------------------------


def test_the_ild_cannot_cancel_a_principals_request_but_can_cancel_their_own(
    client_for: Callable[[str], Client], district: District, menus: Menus, ild: User
) -> None:
    detail = reverse("service_menu:request_detail", args=[menus.request.pk])
    cancel = reverse("service_menu:request_action", args=[menus.request.pk, "cancel"])
    client = client_for("ild")
    assert "Cancel the request" not in client.get(detail).content.decode()
    assert client.post(cancel, {"version": menus.request.version}).status_code == 403
    assert client_for("other_ild").post(cancel).status_code == 404

    own = services.request_submit(
        school=district.school,
        service=menus.intensive,
        term=menus.term,
        requested_by=ild,
        rationale="Brokered",
        improvement_priority="Math",
    )
    client = client_for("ild")
    assert "Cancel the request" in client.get(reverse("service_menu:request_detail", args=[own.pk])).content.decode()
    own_cancel = reverse("service_menu:request_action", args=[own.pk, "cancel"])
    assert client.post(own_cancel, {"version": own.version}).status_code == 302
    own.refresh_from_db()
    assert own.status == Request.Status.CANCELLED

    client = client_for("principal")
    assert "Cancel the request" in client.get(detail).content.decode()
    assert client.post(cancel, {"version": menus.request.version}).status_code == 302
    menus.request.refresh_from_db()
    assert menus.request.status == Request.Status.CANCELLED


# --- School 360° ----------------------------------------------------------------------


def coaching_for(district: District, menus: Menus, ild: User) -> tuple[GrowthGoal, Any]:
    goal = goal_for(district.school, menus)
    visit = VisitFactory.create(
        school=district.school, ild=ild, private_note=PRIVATE_MARKER, brokered_resource="Literacy coach"
    )
    visit.focus_goals.add(goal)
    return goal, visit


@pytest.mark.parametrize("persona", ["principal", "ild", "executive"])
def test_the_360_shows_coaching_beside_services_and_never_a_private_note(
    client_for: Callable[[str], Client], district: District, menus: Menus, ild: User, persona: str
) -> None:
    goal, visit = coaching_for(district, menus, ild)
    response = client_for(persona).get(reverse("service_menu:school_360", args=[district.school.code]))
    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("coaching:goal_detail", args=[goal.pk]) in body
    assert reverse("coaching:visit_detail", args=[visit.pk]) in body
    assert menus.service.title in body
    assert PRIVATE_MARKER not in body


def test_a_new_principal_does_not_see_a_predecessors_goals_in_the_360(
    client_for: Callable[[str], Client], district: District, menus: Menus, ild: User, principal: User
) -> None:
    goal, _ = coaching_for(district, menus, ild)
    successor = User.objects.create_user(email="successor@district.test", password="x", full_name="Sam Successor")
    district.school.principal = successor
    district.school.save()
    client = client_for("ild")
    assert (
        reverse("coaching:goal_detail", args=[goal.pk])
        in client.get(reverse("service_menu:school_360", args=[district.school.code])).content.decode()
    )
    client.force_login(successor)
    body = client.get(reverse("service_menu:school_360", args=[district.school.code])).content.decode()
    assert reverse("coaching:goal_detail", args=[goal.pk]) not in body


def test_the_360_shows_earlier_years_when_chosen(
    client_for: Callable[[str], Client], district: District, menus: Menus, principal: User
) -> None:
    last_year = SchoolYearFactory.create(
        name="Last year",
        start_date=menus.menu.school_year.start_date - datetime.timedelta(days=365),
        end_date=menus.menu.school_year.start_date - datetime.timedelta(days=1),
        is_current=False,
    )
    old_term = TermFactory.create(
        school_year=last_year, name="Spring", start_date=last_year.start_date, end_date=last_year.end_date
    )
    old_service = ServiceFactory.create(menu=MenuFactory.create(unit=district.unit, school_year=last_year), title="Old")
    old = Request.objects.create(
        school=district.school, service=old_service, term=old_term, requested_by=principal, rationale="Then"
    )
    url = reverse("service_menu:school_360", args=[district.school.code])
    client = client_for("principal")
    now = client.get(url).content.decode()
    assert reverse("service_menu:request_detail", args=[old.pk]) not in now
    assert f'<option value="{last_year.pk}"' in now
    then = client.get(url, {"year": last_year.pk}).content.decode()
    assert reverse("service_menu:request_detail", args=[old.pk]) in then
    assert reverse("service_menu:request_detail", args=[menus.request.pk]) not in then
    assert client.get(url, {"year": "99999999999999999999"}).status_code == 200


def test_the_360_is_linked_from_the_school_page_and_the_caseload(
    client_for: Callable[[str], Client], district: District, menus: Menus
) -> None:
    link = reverse("service_menu:school_360", args=[district.school.code])
    for persona in ["principal", "ild", "executive"]:
        page = client_for(persona).get(reverse("district:school_detail", args=[district.school.code]))
        assert link in page.content.decode(), persona
    assert link in client_for("ild").get(reverse("coaching:dashboard")).content.decode()
    caseload_csv = body_text(client_for("ild").get(reverse("coaching:dashboard"), {"export": "csv"}))
    assert "360" not in caseload_csv, "the link column stays out of the spreadsheet"


@pytest.mark.parametrize("rows", [3, 30])
def test_the_360_reads_a_fixed_number_of_queries(
    client_for: Callable[[str], Client],
    district: District,
    menus: Menus,
    ild: User,
    principal: User,
    django_assert_num_queries: Any,
    rows: int,
) -> None:
    practice = PracticeFactory.create()
    for i in range(rows):
        service = ServiceFactory.create(menu=menus.menu, title=f"Extra {i}", capacity_per_term=None)
        services.request_submit(
            school=district.school,
            service=service,
            term=menus.term,
            requested_by=principal,
            rationale="x",
            improvement_priority="y",
        )
        goal = goal_for(district.school, menus, practice=practice if i == 0 else None)
        visit = VisitFactory.create(school=district.school, ild=ild, brokered_resource=f"Resource {i}")
        visit.focus_goals.add(goal)
        Request.objects.filter(service=service).update(brokered_from_visit=visit)
    client = client_for("principal")
    with django_assert_num_queries(16):
        response = client.get(reverse("service_menu:school_360", args=[district.school.code]))
    body = response.content.decode()
    assert body.count("Resource ") == rows
    assert body.count("request for Extra") == rows


# --- Measures as CSV ------------------------------------------------------------------


def test_unit_measures_download_as_csv_with_formulas_neutralised(
    client_for: Callable[[str], Client], district: District, menus: Menus
) -> None:
    Service.objects.filter(pk=menus.service.pk).update(title="=HYPERLINK(1)")
    url = reverse("service_menu:unit_measures", args=[district.unit.pk])
    page = client_for("unit_head").get(url).content.decode()
    for table in ["capacity", "demand", "terms"]:
        assert f"?export=csv&amp;table={table}" in page
    rows = csv_rows(client_for("unit_head").get(url, {"export": "csv", "table": "capacity"}))
    assert rows[0] == ["Service", "Places used this term", "Capacity per term"]
    assert ["'=HYPERLINK(1)", "0", "2"] in rows
    terms = csv_rows(client_for("executive").get(url, {"export": "csv", "table": "terms"}))
    assert terms[1][:3] == [f"{menus.term.name} {menus.term.school_year.name}", "1", "0"]
    assert client_for("principal").get(url, {"export": "csv", "table": "capacity"}).status_code == 403
    assert TODAY
