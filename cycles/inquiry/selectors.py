"""Reads for the cycle-of-inquiry screens, with baselines and results read in bulk."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from cycles.inquiry.models import CheckIn, CycleOfInquiry, PlanAction
from cycles.satisfaction.aggregates import Cell, district_item_term_cells, unit_item_term_cells
from cycles.satisfaction.models import Survey
from cycles.satisfaction.selectors import HeatMap, ItemTrend, UnitTrends, heat_map, units_trends
from district.models import SchoolYear, Unit

if TYPE_CHECKING:
    from clusters.contracts import ContractReport
    from coaching.selectors import CoachRow
    from service_menu.response_times import UnitResponseTimes


@dataclass(frozen=True)
class Readings:
    baseline: Cell | None
    result: Cell | None
    target_closed: bool

    @property
    def change(self) -> float | None:
        if self.baseline is None or self.result is None:
            return None
        if self.baseline.mean is None or self.result.mean is None:
            return None
        return self.result.mean - self.baseline.mean


def cycle_queryset() -> QuerySet[CycleOfInquiry]:
    today = timezone.localdate()
    return CycleOfInquiry.objects.select_related(
        "unit", "metric_item", "baseline_term__school_year", "target_term__school_year", "service", "opened_by"
    ).annotate(
        open_actions=Count("actions", filter=Q(actions__status__in=PlanAction.OPEN)),
        overdue_actions=Count(
            "actions",
            filter=Q(
                status=CycleOfInquiry.Status.ACTIVE, actions__status__in=PlanAction.OPEN, actions__due_date__lt=today
            ),
        ),
        done_actions=Count("actions", filter=Q(actions__status=PlanAction.Status.DONE)),
    )


def attach_readings(cycles: Iterable[CycleOfInquiry], *, today: datetime.date | None = None) -> list[CycleOfInquiry]:
    """Give each cycle ``readings`` (baseline and result) from one aggregate query."""
    cycles = list(cycles)
    if not cycles:
        return cycles
    day = today or timezone.localdate()
    closed_terms = set(Survey.objects.closed_by(day).values_list("term_id", flat=True))
    cells = unit_item_term_cells(
        unit_ids={c.unit_id for c in cycles},
        item_ids={c.metric_item_id for c in cycles},
        term_ids=closed_terms & {t for c in cycles for t in (c.baseline_term_id, c.target_term_id)},
    )
    for cycle in cycles:
        closed = cycle.target_term_id in closed_terms
        cycle.readings = Readings(  # type: ignore[attr-defined]
            baseline=cells.get((cycle.unit_id, cycle.metric_item_id, cycle.baseline_term_id))
            if cycle.baseline_term_id in closed_terms
            else None,
            result=cells.get((cycle.unit_id, cycle.metric_item_id, cycle.target_term_id)) if closed else None,
            target_closed=closed,
        )
    return cycles


def active_cycles_on_metric(*, unit_id: int, item_id: int, exclude_pk: int | None = None) -> list[CycleOfInquiry]:
    """The unit's active cycles on one item: opening a second one deserves a second thought."""
    return list(
        CycleOfInquiry.objects.active()
        .filter(unit_id=unit_id, metric_item_id=item_id)
        .exclude(pk=exclude_pk or 0)
        .select_related("metric_item", "target_term__school_year")
        .order_by("-opened_at")
    )


def unit_cycles(*, unit: Unit) -> list[CycleOfInquiry]:
    """Every cycle the unit ever ran, active first: its history outlasts its leaders."""
    cycles = cycle_queryset().filter(unit=unit).order_by("status", "-opened_at")
    return attach_readings(cycles)


def cycle_detail() -> QuerySet[CycleOfInquiry]:
    return cycle_queryset().prefetch_related(
        Prefetch(
            "actions",
            queryset=PlanAction.objects.select_related("owner").prefetch_related(
                Prefetch("check_ins", queryset=CheckIn.objects.select_related("by"))
            ),
        ),
        "menu_revisions__school_year",
    )


def you_said_we_did() -> list[tuple[Unit, list[CycleOfInquiry]]]:
    """Closed cycles, unit by unit: what the data said, what changed, what happened next."""
    cycles = attach_readings(
        cycle_queryset()
        .filter(status=CycleOfInquiry.Status.CLOSED)
        .prefetch_related(
            Prefetch("actions", queryset=PlanAction.objects.filter(status=PlanAction.Status.DONE)),
            "menu_revisions__school_year",
        )
        .order_by("unit__name", "-closed_at")
    )
    grouped: dict[int, tuple[Unit, list[CycleOfInquiry]]] = {}
    for cycle in cycles:
        grouped.setdefault(cycle.unit_id, (cycle.unit, []))[1].append(cycle)
    return list(grouped.values())


@dataclass(frozen=True)
class CabinetSection:
    unit: Unit
    trends: UnitTrends
    current: CycleOfInquiry | None
    actions: list[PlanAction]
    cycles: list[CycleOfInquiry]
    contracts: list[ContractReport] = field(default_factory=list)
    response_times: UnitResponseTimes | None = None

    @property
    def closed(self) -> list[CycleOfInquiry]:
        """Closed cycles other than the one shown as current, newest first, with their results."""
        return [c for c in self.cycles if c.status == CycleOfInquiry.Status.CLOSED and c != self.current]

    @property
    def chart_rows(self) -> list[list[ItemTrend]]:
        """The unit's trends in rows of two for print, overall satisfaction first."""
        trends = sorted(self.trends.items, key=lambda trend: trend.item.code != "overall")
        return [trends[i : i + 2] for i in range(0, len(trends), 2)]


def cabinet_sections(units: Iterable[Unit]) -> list[CabinetSection]:
    """One section per unit for cabinet: its trend, its current cycle and the plan's status.

    Every kind of row is read once for all the units (trends, cycles and their readings,
    the current plans' actions, contracts, response times): the same queries for three
    units or forty.
    """
    from clusters.contracts import contract_reports

    district = district_item_term_cells(
        term_ids=Survey.objects.closed_by(timezone.localdate()).values_list("term_id", flat=True)
    )
    units = list(units)
    contracts: dict[int, list[ContractReport]] = {}
    for report in contract_reports([u for u in units if u.kind == Unit.Kind.LEAD_PARTNER]):
        contracts.setdefault(report.contract.unit_id, []).append(report)
    from service_menu.response_times import unit_response_times

    times = {
        row.unit.pk: row
        for row in unit_response_times(unit_ids=[u.pk for u in units], school_year=SchoolYear.objects.current())
    }
    trends = units_trends(units=units, district=district)
    cycles_by_unit: dict[int, list[CycleOfInquiry]] = {unit.pk: [] for unit in units}
    for cycle in attach_readings(
        cycle_queryset().filter(unit__in=[u.pk for u in units]).order_by("unit_id", "status", "-opened_at")
    ):
        cycles_by_unit[cycle.unit_id].append(cycle)
    currents = {
        unit_id: next((c for c in cycles if c.status == CycleOfInquiry.Status.ACTIVE), cycles[0] if cycles else None)
        for unit_id, cycles in cycles_by_unit.items()
    }
    actions: dict[int, list[PlanAction]] = {}
    current_ids = [c.pk for c in currents.values() if c is not None]
    for action in PlanAction.objects.filter(cycle_id__in=current_ids).select_related("owner") if current_ids else []:
        actions.setdefault(action.cycle_id, []).append(action)
    sections = []
    for unit in units:
        current = currents[unit.pk]
        sections.append(
            CabinetSection(
                unit=unit,
                trends=trends[unit.pk],
                current=current,
                actions=actions.get(current.pk, []) if current else [],
                cycles=cycles_by_unit[unit.pk],
                contracts=contracts.get(unit.pk, []),
                response_times=times.get(unit.pk),
            )
        )
    return sections


@dataclass(frozen=True)
class CabinetSummary:
    """The district page that opens the cabinet packet."""

    heat: HeatMap
    overall: Cell | None
    overall_prior: Cell | None
    response_times: list[UnitResponseTimes]
    school_year: SchoolYear | None  # the response times' year
    answered_within_target: float | None
    coaches: list[CoachRow]
    joint_share: float | None
    visits: int

    @property
    def overall_change(self) -> float | None:
        if self.overall is None or self.overall_prior is None:
            return None
        if self.overall.mean is None or self.overall_prior.mean is None:
            return None
        return self.overall.mean - self.overall_prior.mean

    @property
    def lead_terms(self) -> list[str]:
        """The terms of the ILDs' gradual-release rows (the same for every ILD)."""
        return self.coaches[0].lead_trend.table_header[1:] if self.coaches else []


def cabinet_summary(*, today: datetime.date | None = None) -> CabinetSummary:
    """Satisfaction across units (the heat map and its movers), every unit's response times,
    and the coaching of principals by ILD: joint-visit share and gradual release."""
    from coaching.models import Visit
    from coaching.selectors import coaches_overview, current_ilds
    from service_menu.response_times import unit_response_times

    day = today or timezone.localdate()
    heat = heat_map(day=day)
    overall_item = next((item for item in heat.items if item.code == "overall"), None)
    district = district_item_term_cells() if heat.term else {}
    overall = district.get((overall_item.pk, heat.term.pk)) if overall_item and heat.term else None
    prior = district.get((overall_item.pk, heat.prior.pk)) if overall_item and heat.prior else None
    year = SchoolYear.objects.current()
    times = unit_response_times(school_year=year)
    answered = sum(row.answered for row in times)
    within = sum((row.within_target or 0) * row.answered for row in times)
    year_start = day - datetime.timedelta(days=365)
    visits = Visit.objects.done().filter(date__gte=year_start, date__lte=day)
    totals = visits.aggregate(n=Count("pk"), joint=Count("pk", filter=Q(principal_present=True)))
    return CabinetSummary(
        heat=heat,
        overall=overall,
        overall_prior=prior,
        response_times=times,
        school_year=year,
        answered_within_target=(within / answered) if answered else None,
        coaches=coaches_overview(ilds=list(current_ilds(today=day)), today=day),
        joint_share=(totals["joint"] / totals["n"]) if totals["n"] else None,
        visits=totals["n"],
    )
