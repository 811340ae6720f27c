"""Requests as a spreadsheet, district-wide and in a unit's workspace: read straight from the
database, cell for cell what the table says."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from district.exports import csv_lines
from district.listing import export_rows
from district.models import User
from service_menu import selectors, services
from service_menu.models import Request
from service_menu.tables import RequestTable
from tests.conftest import District, Menus
from tests.factories import SchoolFactory, ServiceFactory, TermFactory
from tests.http import csv_rows

pytestmark = pytest.mark.django_db


def _ask(menus: Menus, *, school_name: str, service: Any = None, **options: Any) -> Request:
    school = SchoolFactory.create(name=school_name)
    assert school.principal is not None
    return services.request_submit(
        school=school,
        service=service or menus.service,
        term=menus.term,
        requested_by=school.principal,
        rationale="Our plan needs it.",
        improvement_priority="Early literacy",
        **options,
    )


def test_the_request_csv_read_straight_from_the_database_says_what_the_tables_cells_say(
    district: District, menus: Menus, unit_staff: User, ild: User
) -> None:
    roomy = ServiceFactory.create(menu=menus.menu, title="+SUM(A1)", capacity_per_term=None)
    other = ServiceFactory.create(menu=menus.menu, title="After-school planning sessions", capacity_per_term=None)
    for i in range(2):  # the lab's two places
        services.request_transition(request=_ask(menus, school_name=f"Full {i}"), action="accept", by=unit_staff)
    waitlisted = _ask(menus, school_name="=cmd|' /C calc'!A0")
    services.request_transition(request=waitlisted, action="accept", by=unit_staff)  # full: waitlisted
    declined = _ask(menus, school_name="", service=roomy)
    services.request_transition(
        request=declined,
        action="decline",
        by=unit_staff,
        decline_reason="Not this term",
        alternative_service=other,
        alternative_term=menus.later_term,
    )
    _ask(menus, school_name="Took the alternative", service=other, taken_from=declined)
    services.request_transition(
        request=_ask(menus, school_name="Changed its mind", service=roomy), action="cancel", by=declined.requested_by
    )
    endorsed = _ask(menus, school_name="Needs its ILD", service=menus.intensive)
    services.request_transition(request=endorsed, action="endorse", by=ild)
    odd_term = TermFactory.create(school_year=menus.term.school_year, name="@Summer")
    Request.objects.filter(pk=endorsed.pk).update(
        term=odd_term, created_at=timezone.now().replace(microsecond=0) - datetime.timedelta(days=20)
    )
    overdue = {menus.request.pk, endorsed.pk}
    rows = selectors.request_rows()

    for exclude in [(), ("term", "waiting")]:
        for table in [
            RequestTable(rows, exclude=exclude),
            RequestTable(rows, exclude=exclude, overdue_ids=overdue, quick_answers=True),
        ]:
            straight = list(csv_lines(export_rows(table, exclude=exclude)))
            assert straight == list(csv_lines(table.as_values(exclude_columns=exclude)))  # every cell, one by one
    text = "".join(csv_lines(export_rows(RequestTable(rows, overdue_ids=overdue))))
    assert Request.objects.count() == 8
    for shown in [
        "Submitted",
        "Accepted",
        "Waitlisted",
        "Declined, with an alternative",
        "Cancelled by the school",
        "Endorsed by the ILD",
    ]:
        assert shown in text
    assert "'=cmd" in text
    assert "'+SUM(A1)" in text
    assert "'@Summer" in text
    assert text.count(",overdue\r\n") == 2


@pytest.mark.parametrize("requests", [3, 30])
def test_the_request_csvs_read_every_request_in_flat_queries(
    client_for: Callable[[str], Client],
    menus: Menus,
    unit_staff: User,
    django_assert_num_queries: Any,
    requests: int,
) -> None:
    roomy = ServiceFactory.create(menu=menus.menu, title="Roomy", capacity_per_term=None)
    for i in range(requests):
        asked = _ask(menus, school_name=f"School {i:02d}", service=roomy)
        if i % 2:
            services.request_transition(request=asked, action="accept", by=unit_staff)
    Request.objects.filter(pk=menus.request.pk).update(created_at=timezone.now() - datetime.timedelta(days=14))
    header = ["Asked", "School", "Service", "Term", "Status", ""]
    client = client_for("executive")
    with django_assert_num_queries(8):
        rows = csv_rows(client.get(reverse("service_menu:request_list"), {"export": "csv"}))
    assert rows[0] == header
    assert len(rows) == requests + 1 + 1, "every request, not one page of them"
    client = client_for("unit_staff")
    with django_assert_num_queries(14):
        rows = csv_rows(client.get(reverse("service_menu:workspace"), {"export": "csv"}))
    assert rows[0] == header
    assert len(rows) == requests + 1 + 1
    assert [row[-1] for row in rows].count("overdue") == 1
