"""Anonymity over cluster breakdowns, as properties: whichever cluster's page a person reads,
and however many of them, nothing under the threshold shows or can be worked out."""

from __future__ import annotations

from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from clusters.selectors import cluster_cell
from cycles.satisfaction.aggregates import Cell, suppress

THRESHOLD = 5
NAMES = ["Eastgate", "Hillcrest", "Lakeshore", "Northside", "Parkway", "Riverside", "Southview", "Westfield"]

# How many of each cluster's principals answered about one unit's item.
populations = st.lists(st.integers(min_value=0, max_value=25), min_size=1, max_size=len(NAMES))


def cells_for(sizes: list[int]) -> list[Cell]:
    """The unit's answers grouped by cluster, as the database returns them (no empty group)."""
    return [
        Cell(label=NAMES[i], key=NAMES[i], n=n, total=3 * n + i, favourable=n // 2) for i, n in enumerate(sizes) if n
    ]


def every_page(sizes: list[int]) -> tuple[dict[str, Cell], Cell]:
    """Each cluster's page read separately (fresh cells each time), and the unit's total."""
    shown: dict[str, Cell] = {}
    total = Cell(label="", n=0)
    for name in NAMES[: len(sizes)]:
        own, total = cluster_cell(cells_for(sizes), name)
        shown[name] = own
    return shown, total


@given(populations)
@settings(max_examples=400, deadline=None)
def test_reading_every_clusters_page_reveals_no_small_group(sizes: list[int]) -> None:
    with override_settings(SATISFACTION_MIN_RESPONSES=THRESHOLD):
        pages, total = every_page(sizes)
    visible = [cell for cell in pages.values() if not cell.suppressed]
    assert all(cell.n >= THRESHOLD for cell in visible), "a shown cluster cell is under the threshold"
    assert all(cell.mean is None for cell in pages.values() if cell.suppressed)
    if total.suppressed:
        assert not visible, "cluster cells show under a hidden total"
        return
    left = total.n - sum(cell.n for cell in visible)
    assert left == 0 or left >= THRESHOLD, "the total minus the shown clusters reveals a small group"
    hidden_with_answers = [cell for cell in pages.values() if cell.suppressed and cell.n]
    assert len(hidden_with_answers) != 1 or hidden_with_answers[0].n >= THRESHOLD


@given(populations)
@settings(max_examples=300, deadline=None)
def test_cluster_pages_hide_exactly_what_the_units_breakdown_hides(sizes: list[int]) -> None:
    with override_settings(SATISFACTION_MIN_RESPONSES=THRESHOLD):
        pages, total = every_page(sizes)
        breakdown_cells = cells_for(sizes)
        unit_total = Cell(label="All schools", n=sum(sizes))
        suppress(unit_total, breakdown_cells)
    by_name = {cell.label: cell for cell in breakdown_cells}
    assert total.suppressed == unit_total.suppressed
    for name, cell in pages.items():
        expected = by_name.get(name)
        # A cluster with no answers shows nothing either way.
        assert cell.suppressed == (expected.suppressed if expected else True), name


@given(populations, st.data())
@settings(max_examples=200, deadline=None)
def test_a_shown_cluster_mean_is_its_principals_mean(sizes: list[int], data: st.DataObject) -> None:
    with override_settings(SATISFACTION_MIN_RESPONSES=THRESHOLD):
        pages, _ = every_page(sizes)
    name = data.draw(st.sampled_from(NAMES[: len(sizes)]))
    cell = pages[name]
    if not cell.suppressed:
        i = NAMES.index(name)
        assert cell.mean == (3 * sizes[i] + i) / sizes[i]
