"""The district's schools as a spreadsheet: read straight from the database, cell for cell the table's."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from district import selectors
from district.exports import csv_lines
from district.listing import export_rows
from district.models import School, User
from district.tables import SchoolTable
from tests.conftest import District
from tests.factories import CaseloadFactory, ClusterFactory, SchoolFactory, UserFactory
from tests.http import csv_rows

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def _caseload(school: School, ild: str, *, start: int, end: int | None) -> None:
    """``ild`` in charge of ``school`` from ``start`` days from today to ``end`` (open when None)."""
    CaseloadFactory.create(
        school=school,
        ild=UserFactory.create(full_name=ild),
        start_date=TODAY + datetime.timedelta(days=start),
        end_date=None if end is None else TODAY + datetime.timedelta(days=end),
    )


def test_the_schools_csv_read_straight_from_the_database_says_what_the_tables_cells_say(
    district: District, executive: User
) -> None:
    vacant = SchoolFactory.create(name="=HYPERLINK(evil)", code="EV01", level=School.Level.K8, principal=None)
    SchoolFactory.create(name="", code="+01", level=School.Level.HIGH, cluster=ClusterFactory.create(name="-Bronx"))
    shared = SchoolFactory.create(name="Shared", level=School.Level.K12, principal=UserFactory.create(full_name=""))
    # Two ILDs at once (the newest first), one caseload ended and one not begun: only current ones print.
    _caseload(shared, "Older ILD", start=-400, end=30)
    _caseload(shared, "@Newer ILD", start=-10, end=60)
    _caseload(vacant, "Gone", start=-400, end=-1)
    _caseload(vacant, "Not yet", start=1, end=None)
    CaseloadFactory.create(school=SchoolFactory.create(name="Nameless ILD"), ild=UserFactory.create(full_name=""))
    schools = selectors.school_list(viewer=executive)

    for exclude in [(), ("code", "ild")]:
        table = SchoolTable(schools, exclude=exclude)
        straight = list(csv_lines(export_rows(table, exclude=exclude)))
        assert straight == list(
            csv_lines(table.as_values(exclude_columns=exclude))
        )  # every cell through django-tables2
    text = "".join(csv_lines(export_rows(SchoolTable(schools))))
    assert "'=HYPERLINK(evil),EV01,K-8," in text
    assert "@Newer ILD, Older ILD" in text
    assert "Gone" not in text
    assert "— none —" in text
    assert "Harriet Tubman Elementary,HT01,Elementary," in text


@pytest.mark.parametrize("schools", [3, 30])
def test_the_schools_csv_reads_every_school_in_flat_queries(
    client_for: Callable[[str], Client], district: District, django_assert_num_queries: Any, schools: int
) -> None:
    for i in range(schools):
        CaseloadFactory.create(school=SchoolFactory.create(principal=None if i % 3 == 0 else UserFactory.create()))
    client = client_for("executive")
    with django_assert_num_queries(9):
        rows = csv_rows(client.get(reverse("district:school_list"), {"export": "csv"}))
    assert rows[0] == ["Name", "Code", "Level", "Cluster", "Principal", "ILD"]
    assert len(rows) == schools + 2 + 1, "every school, not one page of them"
