"""Performance contracts, read from the data like a cycle of inquiry's baseline and result.

A measure's value in a school year is never typed: it is read every time from the survey
results, the growth goals and the requests, with the same anonymity rules as every page.
Each year's baseline is the measure read for the year before. `read_measure` reads one
measure for one year; `read_measures` reads many measures for many years at once, with the
same results, in a fixed number of queries (as `contract_reports` does for the cluster page
and the cabinet packet).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Prefetch, Q
from django.utils import timezone

from clusters.models import ContractMeasure, ContractTarget, PerformanceContract
from coaching.models import GrowthGoal
from cycles.inquiry.services import reading
from cycles.satisfaction.aggregates import min_responses, scored_answers
from cycles.satisfaction.models import Survey, SurveyItem
from district.models import SchoolYear, Unit
from service_menu.models import Request
from service_menu.response_times import unit_answer_times_by_year, unit_response_times

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


def read_measures(
    measures: Iterable[ContractMeasure],
    *,
    years: Iterable[SchoolYear],
    overall_item_id: int | None,
    day: datetime.date,
) -> dict[tuple[int, int], Reading]:
    """Every measure read for every one of the years, keyed by (measure, year): each reading
    is the one `read_measure` gives for that measure and year.

    At most five queries however many measures, contracts and years: two for the years' last
    closed surveys and their results, one for growth goals, two for response times (a kind no
    measure has costs nothing). Each measure's contract and unit must be loaded.
    """
    measures = list(measures)
    years = list(years)
    readings: dict[tuple[int, int], Reading] = {}
    if not measures or not years:
        return readings
    kinds: dict[str, list[ContractMeasure]] = {}
    for measure in measures:
        kinds.setdefault(measure.kind, []).append(measure)
    if K.SATISFACTION in kinds:
        readings.update(_satisfaction_readings(kinds[K.SATISFACTION], years, overall_item_id, day))
    if K.GOALS_MET in kinds:
        readings.update(_goals_met_readings(kinds[K.GOALS_MET], years, day))
    responses = kinds.get(K.RESPONSE_DAYS, []) + kinds.get(K.WITHIN_TARGET, [])
    if responses:
        readings.update(_responses_readings(responses, years, day))
    return readings


def _satisfaction_readings(
    measures: list[ContractMeasure], years: list[SchoolYear], overall_item_id: int | None, day: datetime.date
) -> dict[tuple[int, int], Reading]:
    """`_satisfaction` for every measure and year: each year's last closed survey (one query),
    then the lead partners' results on the items in those terms (one grouped query).

    The results are counted and averaged from the answers by the same aggregates as `reading`,
    not from the survey summaries: PostgreSQL's average is a decimal division, which differs
    from the summaries' total / n in the last binary digit for some counts (nine answers
    summing to 31, say), and a contract reads the same value wherever it is shown.
    """
    items = {measure.pk: measure.item_id or overall_item_id for measure in measures}
    if not any(items.values()):
        return {(measure.pk, year.pk): NO_DATA for measure in measures for year in years}
    last_term: dict[int, int] = {}  # school year → the term of its last closed survey
    closed = (
        Survey.objects.closed_by(day)
        .filter(term__school_year_id__in=[year.pk for year in years])
        .order_by("term__start_date", "pk")
        .values_list("term__school_year_id", "term_id")
    )
    for year_id, closed_term_id in closed:
        last_term[year_id] = closed_term_id  # in order: the latest term wins
    key = ("submission__unit_id", "item_id", "submission__survey__term_id")
    results = (
        {
            tuple(row[field] for field in key): row
            for row in scored_answers()
            .filter(
                submission__unit_id__in={measure.contract.unit_id for measure in measures},
                item_id__in={item_id for item_id in items.values() if item_id},
                submission__survey__term_id__in=set(last_term.values()),
            )
            .values(*key)
            .annotate(n=Count("pk"), mean=Avg("score"))
            .order_by()
        }
        if last_term
        else {}
    )
    limit = min_responses()
    readings = {}
    for measure in measures:
        item_id = items[measure.pk]
        for year in years:
            term_id = last_term.get(year.pk)
            if not item_id:
                read = NO_DATA
            elif term_id is None:
                read = Reading(value=None, pending=year.end_date >= day)
            else:
                row = results.get((measure.contract.unit_id, item_id, term_id))
                n = row["n"] if row else 0
                suppressed = n < limit
                value = None if suppressed or row is None else float(row["mean"])
                read = Reading(value=value, n=n, suppressed=suppressed)
            readings[(measure.pk, year.pk)] = read
    return readings


def _goals_met_readings(
    measures: list[ContractMeasure], years: list[SchoolYear], day: datetime.date
) -> dict[tuple[int, int], Reading]:
    """`_goals_met` for every measure and year: one query grouped by cluster and year."""
    clusters = {m.contract.unit.cluster_id for m in measures if m.contract.unit.cluster_id is not None}
    counted = {
        (row["school__cluster_id"], row["school_year_id"]): row
        for row in GrowthGoal.objects.filter(
            school__cluster_id__in=clusters, school_year_id__in=[year.pk for year in years], status__in=COUNTED_GOALS
        )
        .values("school__cluster_id", "school_year_id")
        .annotate(n=Count("pk"), met=Count("pk", filter=Q(status=GrowthGoal.Status.MET)))
        .order_by()
    }
    readings = {}
    for measure in measures:
        for year in years:
            pending = year.end_date >= day
            cluster_id = measure.contract.unit.cluster_id
            row = counted.get((cluster_id, year.pk)) if cluster_id is not None else None
            readings[(measure.pk, year.pk)] = (
                Reading(value=100 * row["met"] / row["n"], n=row["n"], pending=pending)
                if row is not None and row["n"]
                else Reading(value=None, pending=pending)
            )
    return readings


def _responses_readings(
    measures: list[ContractMeasure], years: list[SchoolYear], day: datetime.date
) -> dict[tuple[int, int], Reading]:
    """`_responses` for every measure and year: `unit_answer_times_by_year` (two queries)."""
    times = unit_answer_times_by_year(
        unit_ids={measure.contract.unit_id for measure in measures}, year_ids=[year.pk for year in years]
    )
    readings = {}
    for measure in measures:
        for year in years:
            pending = year.end_date >= day
            row = times.get((measure.contract.unit_id, year.pk))
            if row is None or not row.answered:
                readings[(measure.pk, year.pk)] = Reading(value=None, pending=pending)
                continue
            value = row.median_days_to_answer if measure.kind == K.RESPONSE_DAYS else 100 * (row.within_target or 0)
            readings[(measure.pk, year.pk)] = Reading(value=value, n=row.answered, pending=pending)
    return readings


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
    none does). Every measure of every contract is read for its years in one go (`read_measures`):
    a fixed number of queries however many lead partners, contracts, measures and years.
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
    spans = {contract.pk: contract.years(all_years) for contract in contracts}
    wanted: dict[int, SchoolYear] = {}  # every year shown, and the year before each contract's first
    for span in spans.values():
        before = _year_before(all_years, span[0]) if span else None
        wanted.update((year.pk, year) for year in [*span, *([before] if before else [])])
    readings = read_measures(
        [measure for contract in contracts for measure in contract.measures.all()],
        years=wanted.values(),
        overall_item_id=overall,
        day=day,
    )
    reports = []
    for contract in contracts:
        span = spans[contract.pk]
        measures = []
        for measure in contract.measures.all():
            targets = {t.school_year_id: t.target for t in measure.targets.all()}
            read = {year.pk: readings[(measure.pk, year.pk)] for year in span if year.start_date <= day}
            rows = []
            for index, year in enumerate(span):
                before = span[index - 1] if index else _year_before(all_years, year)
                if before is None:
                    baseline = NO_DATA
                elif before.pk in read:
                    baseline = read[before.pk]
                else:
                    baseline = readings[(measure.pk, before.pk)]
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
