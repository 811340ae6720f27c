"""Coaching tables as spreadsheets: the coaches view, and a school's goals and next steps."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coaching.models import GrowthGoal, LeadRole, Visit
from coaching.tables import VisitTable
from district.exports import csv_lines
from district.listing import export_rows
from district.models import User
from tests.coaching.conftest import Coaching
from tests.conftest import District
from tests.factories import CaseloadFactory, NextStepFactory, SchoolFactory, UserFactory, VisitFactory
from tests.http import csv_rows

pytestmark = pytest.mark.django_db


def rows_of(response: Any) -> list[list[str]]:
    return csv_rows(response)


@pytest.mark.parametrize("ilds", [3, 30])
def test_the_coaches_view_downloads_every_ild_as_csv(
    client_for: Callable[[str], Client], coaching: Coaching, django_assert_num_queries: Any, ilds: int
) -> None:
    for i in range(ilds):
        person = UserFactory.create(full_name=f"=Coach {i:02d}")
        school = SchoolFactory.create()
        CaseloadFactory.create(ild=person, school=school)
        VisitFactory.create(school=school, ild=person, principal_present=i % 2 == 0, lead_role=3)
    client = client_for("executive")
    assert "?export=csv" in client.get(reverse("coaching:coaches")).content.decode()
    with django_assert_num_queries(13):
        rows = rows_of(client.get(reverse("coaching:coaches"), {"export": "csv"}))
    assert rows[0][:3] == ["ILD", "Schools", "Visits this term"]
    assert len(rows) == ilds + 2 + 1, "every ILD, not one page of them (the personas' two ILDs too)"
    coach = next(row for row in rows if row[0] == "'=Coach 00")
    assert coach[1] == "1"
    assert coach[4] == "100%"


@pytest.mark.parametrize("persona", ["ild", "principal", "unit_head"])
def test_only_the_district_downloads_the_coaches_view(
    client_for: Callable[[str], Client], coaching: Coaching, persona: str
) -> None:
    assert client_for(persona).get(reverse("coaching:coaches"), {"export": "csv"}).status_code == 403


def test_a_schools_goals_and_next_steps_download_as_csv(
    client_for: Callable[[str], Client], district: District, coaching: Coaching, ild: User
) -> None:
    done = NextStepFactory.create(visit=coaching.visit, description="+Done already", owner="ild", done=True)
    url = reverse("coaching:growth", args=[district.school.code])
    page = client_for("principal").get(url).content.decode()
    assert "export=csv&amp;table=goals" in page
    assert "export=csv&amp;table=next_steps" in page
    year = str(coaching.goal.school_year.pk)
    for persona in ["principal", "ild", "executive"]:
        goals = rows_of(client_for(persona).get(url, {"year": year, "export": "csv", "table": "goals"}))
        assert goals[0][:3] == ["Practice", "Status", "Goal"]
        assert goals[1][:2] == [coaching.practice.name, GrowthGoal.Status.ACTIVE.label]
        steps = rows_of(client_for(persona).get(url, {"year": year, "export": "csv", "table": "next_steps"}))
        assert steps[0] == ["Visit", "Owner", "Next step", "Due", "Done", "Done on"]
        assert [coaching.visit.date.isoformat(), "Principal", coaching.step.description] == steps[1][:3]
        assert ["ILD", "'+Done already", done.due_date.isoformat(), "yes"] == steps[2][1:5]
    assert client_for("other_principal").get(url, {"export": "csv", "table": "goals"}).status_code == 404
    assert client_for("unit_staff").get(url, {"export": "csv", "table": "goals"}).status_code == 404
    assert datetime.date.today()


@pytest.mark.parametrize("visits", [3, 30])
def test_the_district_visits_csv_streams_in_flat_queries_without_what_it_never_prints(
    client_for: Callable[[str], Client], coaching: Coaching, django_assert_num_queries: Any, visits: int
) -> None:
    for _ in range(visits):
        VisitFactory.create(school=coaching.visit.school, ild=coaching.visit.ild)
    client = client_for("executive")
    with django_assert_num_queries(8) as captured:
        rows = csv_rows(client.get(reverse("coaching:visit_list"), {"export": "csv"}))
    assert rows[0] == ["Date", "School", "ILD", "Status", "Joint", "Who led"]
    assert len(rows) == visits + 2 + 1
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "visitmove" not in sql, "teaching moves are not in the CSV, so they are not read"
    assert "private_note" not in sql


def test_the_visits_csv_read_straight_from_the_database_says_what_the_tables_cells_say(district: District) -> None:
    ild = UserFactory.create(full_name='=HYPERLINK("x")')
    VisitFactory.create(school=district.school, ild=ild, lead_role=LeadRole.CO_LED)
    VisitFactory.create(school=district.school, status=Visit.Status.PLANNED, principal_present=False)
    VisitFactory.create(school=district.other_school, status=Visit.Status.CANCELLED, lead_role=LeadRole.ILD_MODELLED)
    visits = Visit.objects.order_by("-date", "-id")

    straight = list(csv_lines(export_rows(VisitTable(visits))))
    assert straight == list(csv_lines(VisitTable(visits).as_values()))  # django-tables2 reading every cell
    assert len(straight) == 4
    assert "Co-led" in "".join(straight)
    assert "'=HYPERLINK" in "".join(straight)
