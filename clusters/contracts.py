"""Performance contracts, read from the data like a cycle of inquiry's baseline and result.

A measure's value in a school year is never typed: it is read every time from the survey
results, the growth goals and the requests, with the same anonymity rules as every page.
Each year's baseline is the measure read for the year before.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from clusters.models import ContractMeasure, ContractTarget, PerformanceContract
from coaching.models import GrowthGoal
from cycles.inquiry.services import reading
from cycles.satisfaction.models import Survey, SurveyItem
from district.models import SchoolYear, Unit
from service_menu.models import Request
from service_menu.response_times import unit_response_times

K = ContractMeasure.Kind
# Goals that have been worked on: drafts are not yet agreed, carried-over ones count in their new year.
COUNTED_GOALS = (
    GrowthGoal.Status.ACTIVE,
    GrowthGoal.Status.MET,
    GrowthGoal.Status.PARTLY_MET,
    GrowthGoal.Status.NOT_MET,
)


@dataclass(frozen=True)
class Reading:
    """A measure read for one school year: its value, or why there is none."""

    value: float | None
    n: int = 0
    suppressed: bool = False
    pending: bool = False

    @property
    def shown(self) -> bool:
        return self.value is not None


NO_DATA = Reading(value=None)


@dataclass(frozen=True)
class YearRow:
    year: SchoolYear
    baseline: Reading
    target: Decimal | None
    actual: Reading
    met: bool | None


@dataclass(frozen=True)
class MeasureReport:
    measure: ContractMeasure
    label: str
    unit_label: str
    lower_is_better: bool
    years: list[YearRow]


@dataclass(frozen=True)
class ContractReport:
    contract: PerformanceContract
    measures: list[MeasureReport]


def _satisfaction(*, unit: Unit, item_id: int, year: SchoolYear, day: datetime.date) -> Reading:
    """The lead partner's mean on the item in the year's last term whose survey has closed."""
    survey = (
        Survey.objects.closed_by(day).filter(term__school_year=year).order_by("-term__start_date").only("term").first()
    )
    if survey is None:
        return Reading(value=None, pending=year.end_date >= day)
    measured = reading(unit_id=unit.pk, item_id=item_id, term_id=survey.term_id, today=day)
    if measured is None:
        return NO_DATA
    return Reading(value=measured.mean, n=measured.n, suppressed=measured.suppressed)


def _goals_met(*, unit: Unit, year: SchoolYear, day: datetime.date) -> Reading:
    """The share of the cluster's principals' goals for the year that were met, in percent."""
    row = GrowthGoal.objects.filter(
        school__cluster=unit.cluster_id, school_year=year, status__in=COUNTED_GOALS
    ).aggregate(n=Count("pk"), met=Count("pk", filter=Q(status=GrowthGoal.Status.MET)))
    if not row["n"]:
        return Reading(value=None, pending=year.end_date >= day)
    return Reading(value=100 * row["met"] / row["n"], n=row["n"], pending=year.end_date >= day)


def _responses(*, unit: Unit, year: SchoolYear, kind: str, day: datetime.date) -> Reading:
    """The lead partner's response times over the year's requests (all its schools are its cluster's)."""
    requests = Request.objects.filter(term__school_year=year)
    row = next(iter(unit_response_times(requests=requests, unit_ids=[unit.pk])), None)
    if row is None or not row.answered:
        return Reading(value=None, pending=year.end_date >= day)
    value = row.median_days_to_answer if kind == K.RESPONSE_DAYS else 100 * (row.within_target or 0)
    return Reading(value=value, n=row.answered, pending=year.end_date >= day)


def read_measure(
    measure: ContractMeasure, *, year: SchoolYear, overall_item_id: int | None, day: datetime.date
) -> Reading:
    """One measure of a lead partner's contract, read from the data for one school year."""
    unit = measure.contract.unit
    if measure.kind == K.SATISFACTION:
        item_id = measure.item_id or overall_item_id
        return _satisfaction(unit=unit, item_id=item_id, year=year, day=day) if item_id else NO_DATA
    if measure.kind == K.GOALS_MET:
        return _goals_met(unit=unit, year=year, day=day)
    return _responses(unit=unit, year=year, kind=measure.kind, day=day)


def _met(measure: ContractMeasure, actual: Reading, target: Decimal | None) -> bool | None:
    if actual.value is None or target is None or actual.pending:
        return None
    return actual.value <= float(target) if measure.lower_is_better else actual.value >= float(target)


UNIT_LABELS = {K.SATISFACTION: "of 5", K.GOALS_MET: "%", K.RESPONSE_DAYS: "school days", K.WITHIN_TARGET: "%"}


def contract_reports(
    units: Iterable[Unit],
    *,
    today: datetime.date | None = None,
    current_only: bool = True,
    years: Iterable[SchoolYear] | None = None,
) -> list[ContractReport]:
    """The contracts of these lead partners, each measure read for every year of the contract.

    ``current_only`` keeps contracts that cover the current school year (or the latest, when
    none does). The cost grows with the number of measures and years, not with the cluster's size.
    """
    day = today or timezone.localdate()
    unit_ids = [u.pk for u in units]
    if not unit_ids:
        return []
    contracts = list(
        PerformanceContract.objects.filter(unit_id__in=unit_ids)
        .select_related("unit", "start_year", "end_year")
        .prefetch_related(
            Prefetch(
                "measures",
                queryset=ContractMeasure.objects.select_related("item").prefetch_related(
                    Prefetch("targets", queryset=ContractTarget.objects.select_related("school_year"))
                ),
            )
        )
        .order_by("unit__name", "-start_year__start_date")
    )
    all_years = sorted(SchoolYear.objects.all() if years is None else years, key=lambda y: y.start_date)
    if current_only:
        chosen: dict[int, PerformanceContract] = {}
        for contract in contracts:  # newest first: the one in force today wins, else the newest
            held = chosen.get(contract.unit_id)
            if held is None or (_in_force(contract, day) and not _in_force(held, day)):
                chosen[contract.unit_id] = contract
        contracts = list(chosen.values())
    overall = SurveyItem.objects.filter(code="overall").values_list("pk", flat=True).first()
    reports = []
    for contract in contracts:
        span = contract.years(all_years)
        measures = []
        for measure in contract.measures.all():
            targets = {t.school_year_id: t.target for t in measure.targets.all()}
            read = {
                year.pk: read_measure(measure, year=year, overall_item_id=overall, day=day)
                for year in span
                if year.start_date <= day
            }
            rows = []
            for index, year in enumerate(span):
                before = span[index - 1] if index else _year_before(all_years, year)
                if before is None:
                    baseline = NO_DATA
                elif before.pk in read:
                    baseline = read[before.pk]
                else:
                    baseline = read_measure(measure, year=before, overall_item_id=overall, day=day)
                actual = read.get(year.pk, Reading(value=None, pending=True))
                target = targets.get(year.pk)
                met = _met(measure, actual, target)
                rows.append(YearRow(year=year, baseline=baseline, target=target, actual=actual, met=met))
            measures.append(
                MeasureReport(
                    measure=measure,
                    label=str(measure),
                    unit_label=UNIT_LABELS[ContractMeasure.Kind(measure.kind)],
                    lower_is_better=measure.lower_is_better,
                    years=rows,
                )
            )
        reports.append(ContractReport(contract=contract, measures=measures))
    return reports


def _in_force(contract: PerformanceContract, day: datetime.date) -> bool:
    return contract.start_year.start_date <= day <= contract.end_year.end_date


def _year_before(all_years: list[SchoolYear], year: SchoolYear) -> SchoolYear | None:
    earlier = [y for y in all_years if y.start_date < year.start_date]
    return earlier[-1] if earlier else None
