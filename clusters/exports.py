"""The cluster page's tables as CSV rows, with the same cells hidden as on the page."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from clusters.selectors import ClusterPage

HIDDEN = "hidden (too few answers)"


def _number(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def schools(page: ClusterPage) -> Iterable[Iterable[Any]]:
    yield (
        *("School", "Code", "Level", "Goes on to", "Principal", "ILD"),
        *("Visits done", "Joint visits", "Goals", "Goals on track"),
    )
    for school in page.schools:
        ilds = ", ".join(c.ild.full_name for c in school.current_caseloads)  # type: ignore[attr-defined]
        yield (
            school.name,
            school.code,
            school.get_level_display(),
            school.feeds_into.name if school.feeds_into else "",
            school.principal.full_name if school.principal else "",
            ilds,
            school.visits_done,  # type: ignore[attr-defined]
            school.joint_visits,  # type: ignore[attr-defined]
            school.goal_count,  # type: ignore[attr-defined]
            school.goals_on_track,  # type: ignore[attr-defined]
        )


def services(page: ClusterPage) -> Iterable[Iterable[Any]]:
    yield ("Unit", *(f"{tier.name}: {what}" for tier in page.tiers for what in ("requested", "delivered")))
    for row in page.services:
        yield (row.unit_name, *(n for cell in row.cells for n in cell))


def response_times(page: ClusterPage) -> Iterable[Iterable[Any]]:
    yield (
        *("Unit", "Requests", "Answered", "Median school days to a first answer", "Share within target"),
        *("Target (school days)", "Median school days to delivery", "No, but rate"),
    )
    for row in page.response_times:
        yield (
            row.unit.name,
            row.requests,
            row.answered,
            _number(row.median_days_to_answer),
            _number(row.within_target, 2),
            row.target_days,
            _number(row.median_days_to_delivery),
            _number(row.no_but_rate, 2),
        )


def satisfaction(page: ClusterPage) -> Iterable[Iterable[Any]]:
    items = page.satisfaction.items
    means = [f"{item.short_label}: mean" for item in items]
    counts = [f"{item.short_label}: n" for item in items]
    yield ("Unit", "Term", *means, *counts)
    term = str(page.satisfaction.term or "")
    for row in page.satisfaction.rows:
        means = [HIDDEN if c.suppressed else _number(c.mean, 2) for c in row.cells]
        counts = ["" if c.suppressed else c.n for c in row.cells]
        yield (row.unit.name, term, *means, *counts)


def contract(page: ClusterPage) -> Iterable[Iterable[Any]]:
    yield ("Lead partner", "Measure", "School year", "Baseline", "Target", "Actual", "Met")
    for report in page.contracts:
        for measure in report.measures:
            for year in measure.years:
                yield (
                    report.contract.unit.name,
                    measure.label,
                    str(year.year),
                    _reading(year.baseline),
                    "" if year.target is None else year.target,
                    _reading(year.actual),
                    {True: "yes", False: "no", None: ""}[year.met],
                )


def _reading(reading: Any) -> str:
    if reading.suppressed:
        return HIDDEN
    if reading.value is None:
        return "pending" if reading.pending else "no data"
    return _number(reading.value, 2) + (" (so far)" if reading.pending else "")


TABLES: dict[str, Callable[[ClusterPage], Iterable[Iterable[Any]]]] = {
    "schools": schools,
    "services": services,
    "response_times": response_times,
    "satisfaction": satisfaction,
    "contract": contract,
}
