"""Anonymity, as properties over generated populations: nothing under the threshold shows,
or can be worked out from what shows."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from cycles.satisfaction.aggregates import Cell, breakdown, min_responses, suppress
from tests.conftest import District
from tests.cycles.fixtures import MARKER, Surveys, answer
from tests.factories import ClusterFactory, SchoolFactory

THRESHOLD = 5

populations = st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=8)


def cells_for(sizes: list[int]) -> tuple[Cell, list[Cell]]:
    cells = [Cell(label=f"group {i}", n=n, total=3 * n, favourable=n // 2) for i, n in enumerate(sizes) if n]
    return Cell(label="all", n=sum(sizes), total=3 * sum(sizes)), cells


@given(populations)
@settings(max_examples=400, deadline=None)
def test_no_shown_cell_is_small_and_no_hidden_cell_can_be_derived(sizes: list[int]) -> None:
    total, cells = cells_for(sizes)
    suppress(total, cells, THRESHOLD)
    shown = [c for c in cells if not c.suppressed]
    hidden = [c for c in cells if c.suppressed]
    assert all(c.n >= THRESHOLD for c in shown), "a shown cell is under the threshold"
    if total.suppressed:
        assert total.n < THRESHOLD
        assert not shown, "cells show under a suppressed total"
        return
    derivable = total.n - sum(c.n for c in shown)
    assert derivable == sum(c.n for c in hidden)
    assert derivable == 0 or derivable >= THRESHOLD, "subtracting shown cells from the total reveals a small group"
    assert len(hidden) != 1 or hidden[0].n >= THRESHOLD


@given(populations)
@settings(max_examples=200, deadline=None)
def test_suppression_hides_as_little_as_it_can(sizes: list[int]) -> None:
    total, cells = cells_for(sizes)
    suppress(total, cells, THRESHOLD)
    if not total.suppressed:
        big = [c for c in cells if c.n >= THRESHOLD]
        hidden_big = [c for c in big if c.suppressed]
        assert len(hidden_big) <= 1, "only one complementary cell is ever needed"


def test_the_threshold_is_never_below_three() -> None:
    with override_settings(SATISFACTION_MIN_RESPONSES=1):
        assert min_responses() == 3


@pytest.mark.django_db
def test_a_real_breakdown_keeps_the_small_cluster_hidden(district: District, surveys: Surveys) -> None:
    small_cluster = ClusterFactory.create(name="Tiny")
    answer(surveys.closed, district.unit, SchoolFactory.create(cluster=small_cluster), surveys.items, 1)
    result = breakdown(
        unit_id=district.unit.pk, item_id=surveys.items[-1].pk, term_id=surveys.closed_term.pk, by="cluster"
    )
    tiny = next(c for c in result.cells if c.label == "Tiny")
    assert tiny.suppressed
    assert tiny.mean is None
    shown_n = sum(c.n for c in result.cells if not c.suppressed)
    assert result.total.n - shown_n == 0 or result.total.n - shown_n >= min_responses()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["unit_head", "unit_staff", "executive", "ild", "principal", "admin_user"])
def test_a_comment_under_the_threshold_appears_nowhere(
    client_for: Callable[[str], Client], district: District, surveys: Surveys, persona: str
) -> None:
    client = client_for(persona)
    urls = [
        reverse("cycles:unit_results", args=[district.unit.pk]),
        reverse("cycles:unit_report_pdf", args=[district.unit.pk]),
        reverse("cycles:heat_map"),
        reverse("cycles:transparency"),
        reverse("home"),
    ]
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            continue
        if response["Content-Type"] == "application/pdf":
            from tests.coaching.test_private_notes import pdf_text

            assert MARKER not in pdf_text(response.content), url
        else:
            assert MARKER not in response.content.decode(), url


@pytest.mark.django_db
def test_comments_show_once_enough_principals_answered(
    client_for: Callable[[str], Client], district: District, surveys: Surveys
) -> None:
    for _ in range(5):
        answer(surveys.closed, district.unit, SchoolFactory.create(), surveys.items, 4)
    body = client_for("unit_head").get(reverse("cycles:unit_results", args=[district.unit.pk])).content.decode()
    assert MARKER in body
    body = client_for("principal").get(reverse("cycles:unit_results", args=[district.unit.pk])).content.decode()
    assert MARKER not in body, "principals see aggregates, not comments"


@pytest.mark.django_db
def test_individual_answers_are_only_for_their_author(
    client_for: Callable[[str], Client], district: District, surveys: Surveys
) -> None:
    mine = client_for("principal").get(reverse("cycles:my_answers")).content.decode()
    assert MARKER in mine
    assert client_for("other_principal").get(reverse("cycles:my_answers")).content.decode().count(MARKER) == 0
    assert client_for("executive").get(reverse("cycles:my_answers")).status_code == 403
    admin_index = client_for("admin_user").get(reverse("admin:index")).content.decode()
    assert "Submissions" not in admin_index
    assert "Answers" not in admin_index


@pytest.mark.django_db
def test_a_hidden_unit_is_left_out_of_the_district_average(district: District, surveys: Surveys) -> None:
    from cycles.satisfaction.aggregates import district_item_term_cells
    from tests.factories import UnitFactory

    small = UnitFactory.create(name="Small unit")
    answer(surveys.closed, small, SchoolFactory.create(), surveys.items, 1)
    cells = district_item_term_cells()
    overall = cells[(surveys.items[-1].pk, surveys.closed_term.pk)]
    assert overall.n == 6, "only the unit with enough responses counts"
    assert overall.mean == pytest.approx(4.0)


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2)), min_size=0, max_size=40))
@settings(max_examples=300, deadline=None)
def test_two_breakdowns_of_the_same_answers_cannot_be_combined(people: list[tuple[int, int]]) -> None:
    """Cluster and level tables over the same answers: no hidden group can be recovered."""
    from cycles.satisfaction.aggregates import Breakdown
    from cycles.satisfaction.selectors import hide_crossing_breakdowns

    def table(index: int) -> Breakdown:
        counts: dict[int, int] = {}
        for person in people:
            counts[person[index]] = counts.get(person[index], 0) + 1
        total, cells = cells_for([counts.get(k, 0) for k in range(4)])
        suppress(total, cells, THRESHOLD)
        return Breakdown(title=str(index), total=total, cells=cells)

    tables = hide_crossing_breakdowns([table(0), table(1)])
    partly_hidden = [t for t in tables if any(c.suppressed for c in t.cells) and any(not c.suppressed for c in t.cells)]
    assert len(partly_hidden) <= 1, "two partly hidden breakdowns of one population can be differenced"
