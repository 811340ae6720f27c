"""Dashboards: the right numbers, and a fixed number of queries however much data there is."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from coaching import services
from coaching.models import Visit, VisitMove
from district.models import User
from tests.coaching.conftest import Coaching
from tests.conftest import District
from tests.factories import CaseloadFactory, GoalFactory, NextStepFactory, SchoolFactory, VisitFactory
from tests.http import body_text

pytestmark = pytest.mark.django_db


def grow_caseload(ild: User, coaching: Coaching, schools: int) -> None:
    for i in range(schools):
        school = SchoolFactory.create()
        CaseloadFactory.create(ild=ild, school=school)
        goal = GoalFactory.create(school=school, practice=coaching.practice, school_year=coaching.goal.school_year)
        visit = VisitFactory.create(
            school=school,
            ild=ild,
            principal_present=i % 2 == 0,
            lead_role=1 + i % 4,
            observed_level=goal.baseline_level,
        )
        visit.focus_goals.add(goal)
        VisitMove.objects.create(visit=visit, move="debrief")
        NextStepFactory.create(visit=visit, due_date=datetime.date.today() - datetime.timedelta(days=1))


@pytest.mark.parametrize("schools", [3, 30])
def test_dashboard_queries_stay_flat(
    client_for: Callable[[str], Client],
    coaching: Coaching,
    ild: User,
    django_assert_num_queries: Any,
    schools: int,
) -> None:
    grow_caseload(ild, coaching, schools)
    client = client_for("ild")
    with django_assert_num_queries(14):
        response = client.get(reverse("coaching:dashboard"), {"per_page": 50})
    assert response.status_code == 200
    assert response.content.decode().count('href="/coaching/schools/') >= schools


@pytest.mark.parametrize("visits", [3, 30])
def test_growth_view_queries_stay_flat(
    client_for: Callable[[str], Client],
    district: District,
    coaching: Coaching,
    ild: User,
    django_assert_num_queries: Any,
    visits: int,
) -> None:
    for i in range(visits):
        visit = VisitFactory.create(
            school=district.school,
            ild=ild,
            date=datetime.date.today() - datetime.timedelta(days=i + 5),
            observed_level=coaching.goal.baseline_level,
        )
        visit.focus_goals.add(coaching.goal)
        NextStepFactory.create(visit=visit)
    client = client_for("principal")
    with django_assert_num_queries(17):
        response = client.get(reverse("coaching:growth", args=[district.school.code]))
    assert response.status_code == 200
    assert "Observed level on" in response.content.decode()


@pytest.mark.parametrize("ilds", [3, 30])
def test_executive_view_queries_stay_flat(
    client_for: Callable[[str], Client], coaching: Coaching, django_assert_num_queries: Any, ilds: int
) -> None:
    for _ in range(ilds):
        ild = CaseloadFactory.create().ild
        VisitMove.objects.create(visit=VisitFactory.create(ild=ild, lead_role=3), move="modelling")
    client = client_for("executive")
    with django_assert_num_queries(14):
        response = client.get(reverse("coaching:coaches"))
    assert response.status_code == 200


def test_dashboard_numbers_are_computed_from_visits(
    client_for: Callable[[str], Client], district: District, coaching: Coaching, ild: User
) -> None:
    VisitFactory.create(school=district.school, ild=ild, principal_present=False)
    NextStepFactory.create(visit=coaching.visit, due_date=datetime.date.today() - datetime.timedelta(days=2))
    response = client_for("ild").get(reverse("coaching:dashboard"), {"export": "csv"})
    rows = [line.split(",") for line in body_text(response).strip().splitlines()]
    header, row = rows[0], rows[1]
    record = dict(zip(header, row, strict=True))
    assert record["School"] == "Harriet Tubman Elementary"
    assert record["Joint"] == "50%"
    assert record["Overdue steps"] == "1"
    assert record["Active goals"] == "1"


def test_executive_sees_each_ilds_joint_share(
    client_for: Callable[[str], Client], coaching: Coaching, ild: User, other_ild: User
) -> None:
    Visit.objects.filter(ild=other_ild).update(principal_present=False)
    body = client_for("executive").get(reverse("coaching:coaches")).content.decode()
    assert "Irene Lopez" in body
    assert "Omar Ibrahim" in body
    assert "100%" in body
    assert "0%" in body


def test_calendar_feed_lists_planned_visits_and_can_be_revoked(
    client_for: Callable[[str], Client], client: Client, district: District, ild: User
) -> None:
    VisitFactory.create(
        school=district.school,
        ild=ild,
        status="planned",
        date=datetime.date.today() + datetime.timedelta(days=2),
        start_time=datetime.time(9, 30),
        duration_minutes=60,
    )
    feed = services.calendar_feed_for(user=ild)
    url = reverse("coaching:calendar_feed", args=[feed.token])
    response = client.get(url)
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = [c for c in calendar.walk("VEVENT")]
    assert any("Harriet Tubman Elementary" in str(e["SUMMARY"]) for e in events)
    page = client_for("ild").post(reverse("coaching:calendar"))
    assert page.status_code == 200
    assert client.get(url).status_code == 404, "the old address stops working"
    assert client.get("/coaching/calendar/not-a-token.ics").status_code == 404
