"""Trends that point at the dips, cycles aimed at terms still to come, one active cycle per
item unless the head says otherwise, and every satisfaction table as a CSV with the same
cells hidden as on the page."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, cast

import pytest
from django.db import connection
from django.forms import ModelChoiceField
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cycles.inquiry import services as inquiry
from cycles.inquiry.forms import CycleForm
from cycles.inquiry.models import CycleOfInquiry
from cycles.satisfaction.aggregates import Cell
from cycles.satisfaction.models import Survey
from cycles.satisfaction.selectors import dip_reason
from district.models import Term, Unit, User
from tests.conftest import District
from tests.cycles.fixtures import TODAY, Surveys, answer
from tests.factories import SchoolFactory, TermFactory, UnitFactory
from tests.http import csv_rows

pytestmark = pytest.mark.django_db


def rows_of(response: Any) -> list[list[str]]:
    return csv_rows(response)


def shown(mean: float, n: int = 6) -> Cell:
    return Cell(label="", n=n, total=round(mean * n))


HIDDEN = Cell(label="", n=2, total=10, suppressed=True)


def test_a_term_dips_below_the_term_before_or_the_district_and_hidden_cells_never_do() -> None:
    unit = [shown(4.0), shown(3.5), HIDDEN, shown(3.0)]
    district = [shown(3.0), shown(3.0), shown(4.0), HIDDEN]
    assert dip_reason(unit, district, 0) == ""
    assert dip_reason(unit, district, 1) == "below the term before"
    assert dip_reason(unit, district, 2) == "", "a hidden cell is never marked"
    assert dip_reason(unit, district, 3) == "", "nothing shown to compare with"
    assert dip_reason([shown(3.0)], [shown(4.0)], 0) == "below the district average"


def other_unit_answers(surveys: Surveys, score: int, schools: int = 5) -> Unit:
    unit = UnitFactory.create(name="Facilities")
    for _ in range(schools):
        answer(surveys.closed, unit, SchoolFactory.create(), surveys.items, score)
    return unit


def test_the_trend_offers_a_cycle_only_where_the_unit_dipped(
    client_for: Callable[[str], Client], district: District, surveys: Surveys
) -> None:
    strong = other_unit_answers(surveys, 5)  # the district average rises above the unit's 4.0
    body = client_for("unit_head").get(reverse("cycles:unit_results", args=[district.unit.pk])).content.decode()
    assert body.count("open a cycle</a>") == len(surveys.items)
    assert body.count('<span class="visually-hidden">below the district average</span>') == len(surveys.items)

    executive = client_for("executive")
    body = executive.get(reverse("cycles:unit_results", args=[strong.pk])).content.decode()
    assert 'title="Below' not in body
    assert "open a cycle</a>" not in body
    body = executive.get(reverse("cycles:unit_results", args=[district.unit.pk])).content.decode()
    assert 'title="Below the district average"' in body
    assert "open a cycle</a>" not in body, "only the unit's head opens cycles"


def test_unit_results_csv_hides_what_the_page_hides(
    client_for: Callable[[str], Client], district: District, surveys: Surveys
) -> None:
    small = UnitFactory.create(name="Small unit")
    for _ in range(2):
        answer(surveys.closed, small, SchoolFactory.create(), surveys.items, 1)
    other_unit_answers(surveys, 5)
    own = reverse("cycles:unit_results", args=[district.unit.pk])
    rows = rows_of(client_for("unit_head").get(own, {"export": "csv"}))
    assert rows[0] == ["Item", "Term", "Mean", "Favourable", "Responses", "District average", "Dipped"]
    overall = next(r for r in rows if r[0] == "Overall")
    assert overall[1:5] == [str(surveys.closed_term), "4.00", "67%", "6"]
    assert overall[6] == "below the district average"

    page = client_for("executive").get(reverse("cycles:unit_results", args=[small.pk])).content.decode()
    assert "hidden (n &lt; 5)" in page
    rows = rows_of(client_for("executive").get(reverse("cycles:unit_results", args=[small.pk]), {"export": "csv"}))
    for row in rows[1:]:
        assert row[2:5] == ["hidden", "", ""], row
        assert row[6] == ""
    other = reverse("cycles:unit_results", args=[small.pk])
    assert client_for("unit_head").get(other, {"export": "csv"}).status_code == 403


def test_heat_map_csv_hides_small_units_and_their_change(
    client_for: Callable[[str], Client], district: District, surveys: Surveys
) -> None:
    small = UnitFactory.create(name="Small unit")
    answer(surveys.closed, small, SchoolFactory.create(), surveys.items, 1)
    for persona in ["executive", "ild"]:
        page = client_for(persona).get(reverse("cycles:heat_map")).content.decode()
        assert "?export=csv" in page
        rows = rows_of(client_for(persona).get(reverse("cycles:heat_map"), {"export": "csv"}))
        by_unit = {row[0]: row for row in rows[1:]}
        assert by_unit["Small unit"][1:] == ["hidden", ""] * len(surveys.items)
        assert by_unit[district.unit.name][1] == "4.00"
    assert client_for("principal").get(reverse("cycles:heat_map"), {"export": "csv"}).status_code == 403
    rows = rows_of(client_for("principal").get(reverse("cycles:transparency"), {"export": "csv"}))
    assert {row[0] for row in rows[1:]} == {district.unit.name, "Small unit"}


def test_response_rates_csv_shows_a_unit_only_its_own_rows(
    client_for: Callable[[str], Client], district: District, surveys: Surveys
) -> None:
    other_unit_answers(surveys, 4, schools=1)
    mine = rows_of(client_for("unit_staff").get(reverse("cycles:response_rates"), {"export": "csv"}))
    assert {row[3] for row in mine[1:]} == {district.unit.name}
    everyone = rows_of(client_for("executive").get(reverse("cycles:response_rates"), {"export": "csv"}))
    assert {row[3] for row in everyone[1:]} == {district.unit.name, "Facilities"}
    closed = next(r for r in everyone if r[0] == surveys.closed.title and r[3] == district.unit.name)
    assert closed[4] == "6"
    assert client_for("principal").get(reverse("cycles:response_rates"), {"export": "csv"}).status_code == 403


# --- Opening cycles -------------------------------------------------------------------


def cycle_data(surveys: Surveys, **overrides: Any) -> dict[str, Any]:
    return {
        "title": "Faster answers",
        "problem_of_practice": "Principals wait.",
        "metric_item": surveys.items[-1].pk,
        "baseline_term": surveys.closed_term.pk,
        "theory_if": "a",
        "theory_then": "b",
        "theory_because": "c",
        "target_value": "4.5",
        "target_term": surveys.open_term.pk,
        "stage": "plan",
        **overrides,
    }


def target_terms(form: CycleForm) -> list[Term]:
    queryset = cast(ModelChoiceField, form.fields["target_term"]).queryset
    assert queryset is not None
    return list(queryset)


def test_target_terms_are_the_ones_still_to_come(district: District, surveys: Surveys) -> None:
    later = TermFactory.create(
        school_year=surveys.open_term.school_year,
        name="Later",
        start_date=surveys.open_term.end_date + datetime.timedelta(days=1),
        end_date=surveys.open_term.end_date + datetime.timedelta(days=40),
    )
    offered = target_terms(CycleForm(unit=district.unit))
    assert offered == [surveys.open_term, later], "not the past term, whose survey has closed"
    Survey.objects.filter(pk=surveys.open.pk).update(closes_on=TODAY - datetime.timedelta(days=1))
    assert target_terms(CycleForm(unit=district.unit)) == [later]


def test_editing_a_cycle_keeps_its_target_term_even_once_it_has_passed(
    district: District, surveys: Surveys, unit_head: User
) -> None:
    cycle = inquiry.cycle_save(
        cycle=CycleOfInquiry(
            unit=district.unit, title="t", problem_of_practice="p", metric_item=surveys.items[0],
            baseline_term=surveys.closed_term, target_term=surveys.open_term, target_value=4,
            theory_if="a", theory_then="b", theory_because="c",
        ),
        by=unit_head,
    )  # fmt: skip
    Survey.objects.filter(pk=surveys.open.pk).update(closes_on=TODAY - datetime.timedelta(days=1))
    assert surveys.open_term in target_terms(CycleForm(instance=cycle, unit=district.unit))


def test_a_second_active_cycle_on_the_same_item_needs_a_yes(
    client_for: Callable[[str], Client], district: District, surveys: Surveys
) -> None:
    url = reverse("inquiry:cycle_create", args=[district.unit.pk])
    client = client_for("unit_head")
    assert client.post(url, cycle_data(surveys)).status_code == 302
    first = CycleOfInquiry.objects.get()

    page = client.get(url, {"item": surveys.items[-1].pk, "term": surveys.closed_term.pk}).content.decode()
    assert 'data-testid="second-cycle"' in page
    assert reverse("inquiry:cycle_detail", args=[first.pk]) in page

    response = client.post(url, cycle_data(surveys, title="Second try"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Open a second cycle anyway" in body
    assert "Second try" in body, "what was typed stays"
    assert CycleOfInquiry.objects.count() == 1

    assert client.post(url, cycle_data(surveys, title="Second try", second_cycle="yes")).status_code == 302
    assert CycleOfInquiry.objects.count() == 2

    assert client.post(url, cycle_data(surveys, title="Other item", metric_item=surveys.items[0].pk)).status_code == 302
    edit = reverse("inquiry:cycle_edit", args=[first.pk])
    data = cycle_data(surveys, title="Renamed", version=first.version)
    assert client.post(edit, data).status_code == 302, "editing a cycle without changing its item asks nothing"
    page = client.get(url, {"item": surveys.items[0].pk}).content.decode()
    assert 'data-testid="second-cycle"' in page


# --- Unit cycles as CSV ---------------------------------------------------------------


@pytest.mark.parametrize("rows", [3, 30])
def test_unit_cycles_csv(
    client_for: Callable[[str], Client],
    district: District,
    surveys: Surveys,
    unit_head: User,
    django_assert_num_queries: Any,
    rows: int,
) -> None:
    for i in range(rows):
        inquiry.cycle_save(
            cycle=CycleOfInquiry(
                unit=district.unit, title=f"=Cycle {i}", problem_of_practice="p", metric_item=surveys.items[i % 3],
                baseline_term=surveys.closed_term, target_term=surveys.open_term, target_value=4,
                theory_if="a", theory_then="b", theory_because="c",
            ),
            by=unit_head,
        )  # fmt: skip
    url = reverse("inquiry:unit_cycles", args=[district.unit.pk])
    client = client_for("unit_staff")
    assert "?export=csv" in client.get(url).content.decode()
    with django_assert_num_queries(12):
        table = rows_of(client.get(url, {"export": "csv"}))
    assert table[0][:2] == ["Title", "Stage"]
    assert len(table) == rows + 1
    assert "'=Cycle 0" in {row[0] for row in table}
    assert table[1][-1] == "4.00 → pending"
    assert client_for("principal").get(url, {"export": "csv"}).status_code == 403


def test_response_rates_read_in_the_same_queries_however_many_surveys_have_closed(
    client_for: Callable[[str], Client],
    district: District,
    surveys: Surveys,
) -> None:
    executive = client_for("executive")
    url = reverse("cycles:response_rates")
    with CaptureQueriesContext(connection) as two_surveys:
        executive.get(url)
    for years_back in range(1, 4):
        start = surveys.closed_term.start_date - datetime.timedelta(days=365 * years_back)
        term = TermFactory.create(
            name=f"Past {years_back}", start_date=start, end_date=start + datetime.timedelta(days=120)
        )
        old = Survey.objects.create(
            term=term,
            title=f"Survey {years_back}",
            opens_on=term.end_date - datetime.timedelta(days=20),
            closes_on=term.end_date,
        )
        old.units.add(district.unit)
        answer(old, district.unit, district.school, surveys.items, 4)
    with CaptureQueriesContext(connection) as five_surveys:
        page = executive.get(url)
    assert len(five_surveys) == len(two_surveys)
    assert all(f"Survey {n}" in page.content.decode() for n in range(1, 4))
