"""Each role's home starts with its to-do list, shows only that person's work, and costs
the same number of queries however much there is to do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from district.models import SchoolYear
from district.roles import forget_roles
from tests.conftest import District
from tests.district.home_fixtures import Homes, build_homes, grow
from tests.factories import CaseloadFactory, SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def homes(district: District) -> Homes:
    return build_homes(district)


def home_of(client_for: Callable[[str], Client], persona: str) -> str:
    response = client_for(persona).get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def todo_of(body: str, testid: str) -> str:
    """The to-do list of one role's section, up to the next heading."""
    start = body.index(f'data-testid="{testid}"')
    return body[start : body.index("<h3", start)]


def test_ild_home_lists_the_visits_to_log_requests_to_endorse_overdue_steps_and_waiting_goals(
    client_for: Callable[[str], Client], homes: Homes
) -> None:
    body = home_of(client_for, "ild")
    todo = todo_of(body, "ild-todo")
    assert "Log your visit to Harriet Tubman Elementary" in todo
    assert reverse("coaching:visit_edit", args=[homes.visit_to_log.pk]) in todo
    assert "Endorse or discuss “Intensive math turnaround” for Harriet Tubman Elementary" in todo
    assert reverse("service_menu:request_detail", args=[homes.to_endorse.pk]) in todo
    assert "Next steps at Harriet Tubman Elementary" in todo
    assert "Give feedback to two teachers" in todo
    assert "1 overdue" in todo
    assert reverse("coaching:goal_detail", args=[homes.draft_goal.pk]) in todo
    assert "Paula Chen has not confirmed it yet" in todo
    assert "Time in schools this term" in body
    # The other ILD's school never appears: not its visit, its steps, its requests or its goal.
    assert "Langston Hughes" not in body
    assert "Visit a sister school" not in body


def test_overdue_next_steps_are_grouped_under_their_school(client_for: Callable[[str], Client], homes: Homes) -> None:
    grow(homes, 2)
    todo = todo_of(home_of(client_for, "ild"), "ild-todo")
    assert todo.count("Next steps at Harriet Tubman Elementary") == 1
    assert todo.count("Next steps at Caseload school 0") == 1
    assert "list-group-item-warning" not in todo


def test_time_in_schools_sums_the_minutes_of_done_visits_this_term_against_the_cadence(
    client_for: Callable[[str], Client], homes: Homes, settings: Any
) -> None:
    settings.COACHING_VISITS_PER_TERM = 4
    body = home_of(client_for, "ild")
    # One done visit of 90 minutes this term, at one school; the planned one does not count.
    assert "1 h 30 min" in body
    assert "1 of 4 visits: the cadence is 4 per school per term for your 1 school" in body


def test_a_logged_visit_leaves_the_ild_to_do_list(client_for: Callable[[str], Client], homes: Homes) -> None:
    homes.visit_to_log.status = "done"
    homes.visit_to_log.save()
    assert "Log your visit" not in home_of(client_for, "ild")


def test_principal_home_puts_no_but_first_then_steps_survey_and_reflection(
    client_for: Callable[[str], Client], homes: Homes
) -> None:
    body = home_of(client_for, "principal")
    todo = todo_of(body, "principal-todo")
    no_but = todo.index("“Outdoor classroom build”: no, but …")
    assert "Facilities suggests “Reading walkthroughs” from Instructional Services" in todo
    assert no_but < todo.index("Give feedback to two teachers") < todo.index("Rate the units that serve you")
    assert todo.index("Rate the units that serve you") < todo.index("Reflect on the visit of")
    assert "2 units still to rate" in todo
    assert "Confirm your goal on “Leading teacher teams”" in todo
    # Answers and waiting requests follow the list, each with its status.
    assert "Waiting for your ILD" in body
    assert "Waiting for the unit" in body
    assert "Langston Hughes" not in body
    assert "Visit a sister school" not in body


def test_an_alternative_taken_up_leaves_the_principal_to_do_list(
    client_for: Callable[[str], Client], homes: Homes
) -> None:
    from service_menu.services import request_submit

    request_submit(
        school=homes.district.school,
        service=homes.no_but.alternative_service,  # type: ignore[arg-type]
        term=homes.later,
        requested_by=homes.principal,
        rationale="We take the alternative.",
        improvement_priority="Early literacy",
        taken_from=homes.no_but,
    )
    assert "no, but …" not in todo_of(home_of(client_for, "principal"), "principal-todo")


def test_unit_head_home_lists_requests_to_answer_oldest_first_with_overdue_flags(
    client_for: Callable[[str], Client], homes: Homes
) -> None:
    body = home_of(client_for, "unit_head")
    todo = todo_of(body, "unit-todo")
    oldest = todo.index(reverse("service_menu:request_detail", args=[homes.overdue_request.pk]))
    newer = todo.index(reverse("service_menu:request_detail", args=[homes.awaiting.pk]))
    assert oldest < newer
    assert todo.count("Overdue") == 2  # the old request and the plan action
    # The intensive request waits for the ILD, not the unit; the other unit's requests are not here.
    assert reverse("service_menu:request_detail", args=[homes.to_endorse.pk]) not in todo
    assert "2 more requests wait for an ILD" in body
    assert "Outdoor classroom build" not in todo
    assert "Call every waiting school" in todo
    assert "Survey the playgrounds" not in body
    # The grade and the items that dipped below the district, with a cycle to open.
    assert 'data-testid="unit-grade"' in body
    assert "Look into “Responsiveness”" in todo
    assert "below the district average" in todo
    assert f"{reverse('inquiry:cycle_create', args=[homes.district.unit.pk])}?item=" in todo


def test_unit_staff_see_their_own_actions_but_no_cycle_to_open(
    client_for: Callable[[str], Client], homes: Homes
) -> None:
    todo = todo_of(home_of(client_for, "unit_staff"), "unit-todo")
    assert "Call every waiting school" in todo
    assert reverse("inquiry:check_in", args=[homes.overdue_action.pk]) in todo
    assert "Look into" not in todo


def test_executive_home_links_every_district_view_and_compares_units(
    client_for: Callable[[str], Client], homes: Homes
) -> None:
    body = home_of(client_for, "executive")
    for url in [
        reverse("cycles:heat_map"),
        reverse("coaching:coaches"),
        reverse("inquiry:overview"),
        reverse("inquiry:packet_pdf"),
        reverse("service_menu:unit_measures", args=[homes.other_unit.pk]),
        f"{reverse('district:school_list')}?cluster={homes.district.school.cluster_id}",
    ]:
        assert url in body, url
    table = body[body.index('data-testid="response-times"') :]
    assert table.index("Facilities") < table.index("Instructional Services")
    year = SchoolYear.objects.current()
    assert year is not None
    assert f"over the requests for {year.name}'s terms" in body
    assert "▲ +" not in body  # one closed survey: no movers yet


def test_a_person_with_several_roles_sees_each_to_do_list(client_for: Callable[[str], Client], homes: Homes) -> None:
    CaseloadFactory.create(ild=homes.principal, school=SchoolFactory.create(name="Second School"))
    forget_roles(homes.principal)
    body = home_of(client_for, "principal")
    assert 'data-testid="ild-todo"' in body
    assert 'data-testid="principal-todo"' in body


# Signing in and saving the session cost seven of each; the rest is each role's home.
HOME_QUERIES = {"ild": 16, "principal": 18, "unit_head": 20, "unit_staff": 20, "executive": 25, "admin_user": 14}


@pytest.mark.parametrize("rows", [0, 4])
def test_every_home_costs_the_same_queries_with_few_or_many_rows(
    client_for: Callable[[str], Client],
    homes: Homes,
    django_assert_num_queries: Callable[[int], Any],
    rows: int,
) -> None:
    grow(homes, rows)
    for persona, queries in HOME_QUERIES.items():
        client = client_for(persona)
        with django_assert_num_queries(queries):
            assert client.get(reverse("home")).status_code == 200
