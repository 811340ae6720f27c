"""The cabinet packet and the unit reports are built by the worker, once per state of their data.

The packet reads each kind of row once for every unit, so it costs the same queries for
three units as for twelve; who may ask for a document is who may download it today, and
anyone else gets a 404 for its id.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.fixtures import Settings

from cycles.inquiry import services as inquiry
from cycles.inquiry.models import CycleOfInquiry, PlanAction
from cycles.inquiry.selectors import cabinet_sections
from district.models import Unit
from documents.models import Document
from documents.services import document_build
from tests.conftest import District, SignedInClient
from tests.cycles.fixtures import Surveys, answer
from tests.factories import SchoolFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
TODAY = datetime.date.today()


def _unit_with_a_plan(surveys: Surveys, name: str) -> Unit:
    head = UserFactory.create()
    unit = UnitFactory.create(name=name, head=head)
    for _ in range(5):
        answer(surveys.closed, unit, SchoolFactory.create(), surveys.items, 4)
    cycle = inquiry.cycle_save(
        cycle=CycleOfInquiry(
            unit=unit,
            title=f"{name}: faster answers",
            problem_of_practice="Principals wait too long.",
            metric_item=surveys.items[-1],
            baseline_term=surveys.closed_term,
            target_term=surveys.open_term,
            target_value=4,
            theory_if="answer in three days",
            theory_then="plan with confidence",
            theory_because="a quick no is better than silence",
        ),
        by=head,
    )
    for title in ("Call back within a day", "Publish the waiting times"):
        PlanAction.objects.create(cycle=cycle, title=title, owner=head, due_date=TODAY)
    return unit


def _queries_for_sections() -> tuple[int, int]:
    units = list(Unit.objects.order_by("name"))
    with CaptureQueriesContext(connection) as captured:
        sections = cabinet_sections(units)
        assert all(section.current is not None for section in sections if section.unit.name.startswith("Planned"))
    return len(captured), len(units)


def test_the_packet_reads_the_same_queries_for_three_units_as_for_twelve(district: District, surveys: Surveys) -> None:
    for i in range(3):
        _unit_with_a_plan(surveys, f"Planned {i:02}")
    few, few_units = _queries_for_sections()
    for i in range(3, 12):
        _unit_with_a_plan(surveys, f"Planned {i:02}")
    many, many_units = _queries_for_sections()
    assert many_units == few_units + 9
    assert many == few, f"{few} queries for {few_units} units, {many} for {many_units}"


def test_each_role_gets_the_packet_and_unit_reports_it_may_download_today(
    client_for: Callable[[str], Client], district: District, surveys: Surveys, settings: Settings
) -> None:
    settings.TASKS = DATABASE_QUEUE
    pages = {
        "packet": reverse("inquiry:packet_pdf"),
        "cabinet": reverse("inquiry:unit_pdf", args=[district.unit.pk]),
        "report": reverse("cycles:unit_report_pdf", args=[district.unit.pk]),
    }
    ids: dict[str, int] = {}
    executive = client_for("executive")
    for name, url in pages.items():
        response = executive.get(url)
        assert response.status_code == 302, name
        document = Document.objects.get(requested_path=url)
        assert response["Location"] == reverse("documents:detail", args=[document.pk])
        assert "Waiting for a free worker" in executive.get(response["Location"]).content.decode()
        assert document_build(document_id=document.pk) == "ready"
        assert executive.get(url)["Content-Type"] == "application/pdf", "served at once once built"
        ids[name] = document.pk

    unit_head = client_for("unit_head")
    assert unit_head.get(pages["packet"]).status_code == 403, "the packet stays the district's"
    assert unit_head.get(reverse("documents:detail", args=[ids["packet"]])).status_code == 404
    assert unit_head.get(reverse("documents:detail", args=[ids["cabinet"]])).status_code == 200

    other_head = UnitFactory.create(name="Other unit").head
    other = SignedInClient()
    other.force_login(other_head)
    assert other.get(pages["cabinet"]).status_code == 403
    assert other.get(reverse("documents:detail", args=[ids["cabinet"]])).status_code == 404, "another unit's report"


def test_a_unit_report_with_comments_is_never_served_to_someone_who_may_not_read_them(
    client_for: Callable[[str], Client], district: District, surveys: Surveys
) -> None:
    url = reverse("cycles:unit_report_pdf", args=[district.unit.pk])
    client_for("unit_head").get(url)
    client_for("principal").get(url)
    documents = {tuple(sorted(d.params.items())): d for d in Document.objects.all()}
    with_comments = [d for d in documents.values() if d.params["comments"]]
    without = [d for d in documents.values() if not d.params["comments"]]
    assert with_comments, "the unit head reads comments"
    assert without, "a principal does not"
    principal = client_for("principal")
    assert principal.get(reverse("documents:detail", args=[with_comments[0].pk])).status_code == 404
    assert principal.get(reverse("documents:detail", args=[without[0].pk]))["Content-Type"] == "application/pdf"
