"""Contracts read in bulk: every measure of every contract, for every year shown, in a fixed
number of queries, with exactly the readings a measure read alone for one year gives."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clusters.contracts import Reading, contract_reports, read_measure, read_measures
from clusters.models import ContractMeasure, ContractTarget, PerformanceContract
from coaching.models import GrowthGoal, LeadershipPractice
from cycles.inquiry.selectors import cabinet_sections
from cycles.satisfaction.models import Survey, SurveyItem
from district.models import SchoolYear, Term, Unit, User
from service_menu.models import Request, UnitSettings
from tests.cycles.fixtures import answer, make_items
from tests.factories import (
    ClusterFactory,
    GoalFactory,
    MenuFactory,
    PracticeFactory,
    SchoolFactory,
    SchoolYearFactory,
    ServiceFactory,
    TermFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

K = ContractMeasure.Kind
TODAY = datetime.date.today()
G = GrowthGoal.Status


def _years(count: int) -> list[SchoolYear]:
    """``count`` past school years, this year and next year, earliest first."""
    years = []
    for back in range(count, -2, -1):  # count years ago … this year (0) … next year (-1)
        start = TODAY - datetime.timedelta(days=100 + 365 * back)
        years.append(
            SchoolYearFactory.create(
                name=f"Year {back}",
                start_date=start,
                end_date=start + datetime.timedelta(days=300),
                is_current=back == 0,
            )
        )
    return years


def _terms(year: SchoolYear) -> tuple[Term, Term]:
    """Fall (whose survey has closed by now this year) and spring (whose survey is still open)."""
    middle = year.start_date + datetime.timedelta(days=90)
    fall = TermFactory.create(school_year=year, name="Fall", start_date=year.start_date, end_date=middle)
    spring = TermFactory.create(
        school_year=year, name="Spring", start_date=middle + datetime.timedelta(days=1), end_date=year.end_date
    )
    return fall, spring


def _survey(term: Term) -> Survey:
    """The term's survey, closing five days before the term ends."""
    return Survey.objects.create(
        term=term,
        title=f"{term} survey",
        opens_on=term.end_date - datetime.timedelta(days=20),
        closes_on=term.end_date - datetime.timedelta(days=5),
    )


def _answered(request: Request, days: int) -> None:
    asked = timezone.make_aware(datetime.datetime.combine(request.term.start_date, datetime.time(10)))
    Request.objects.filter(pk=request.pk).update(
        created_at=asked, first_answered_at=asked + datetime.timedelta(days=days)
    )


# Each partner's spring scores, by partner and year: three answers (too few to show), nine summing
# to 31 (whose mean PostgreSQL's decimal average and a float division round differently), six, seven.
SPRING_SCORES = [[5, 4, 3], [4, 4, 4, 4, 3, 3, 3, 3, 3], [5, 4, 4, 3, 5, 4], [2, 3, 5, 4, 4, 1, 5]]
GOALS = [G.MET, G.NOT_MET, G.ACTIVE, G.DRAFT, G.MET, G.PARTLY_MET]


@dataclass
class City:
    """School years with fall and spring surveys, and lead partners with their contracts."""

    years: list[SchoolYear]  # earliest first; the last but one is this year, the last is next year
    terms: list[tuple[Term, Term]]  # fall and spring of every year but next year
    surveys: list[tuple[Survey, Survey]]
    items: dict[str, SurveyItem]  # quality, responsiveness, overall
    practice: LeadershipPractice
    principal: User
    partners: list[Unit] = field(default_factory=list)
    contracts: list[PerformanceContract] = field(default_factory=list)

    def add_partner(self, measures: list[tuple[str, str | None]], *, start: int = 0) -> PerformanceContract:
        """A lead partner in a cluster of its own, with survey results in fall and spring, growth
        goals and requests that differ by partner and year, and a contract from ``years[start]``
        to next year."""
        p = len(self.partners)
        cluster = ClusterFactory.create()
        unit = UnitFactory.create(name=f"Partner {p}", kind=Unit.Kind.LEAD_PARTNER, cluster=cluster)
        if p % 2:
            UnitSettings.objects.create(unit=unit, response_target_days=2)
        schools = [SchoolFactory.create(cluster=cluster) for _ in range(9)]
        menu = MenuFactory.create(unit=unit, school_year=self.years[-2])
        service = ServiceFactory.create(menu=menu, capacity_per_term=None)
        items = list(self.items.values())
        for y, (year, (fall, spring)) in enumerate(zip(self.years, self.surveys, strict=False)):
            # Fall and spring differ: a year is read from its last closed survey (spring, once closed).
            for s, (school, score) in enumerate(zip(schools, SPRING_SCORES[(p + y) % 4], strict=False)):
                answer(fall, unit, school, items, 1 + (score + s) % 5)
                answer(spring, unit, school, items if s % 4 else items[:2], score)  # some skip "overall"
            for school, status in zip(schools, GOALS[: 2 + (p + y) % 5], strict=False):
                GoalFactory.create(school=school, school_year=year, practice=self.practice, status=status)
            for r in range(1 + (p + y) % 4):
                request = Request.objects.create(
                    school=schools[r],
                    service=service,
                    term=self.terms[y][r % 2],
                    requested_by=self.principal,
                    rationale="Our plan needs it.",
                    status=Request.Status.SUBMITTED if r == 0 else Request.Status.ACCEPTED,
                )
                if r:  # the first is still waiting for an answer
                    _answered(request, 1 + (r * 3 + p + y) % 8)
        contract = PerformanceContract.objects.create(unit=unit, start_year=self.years[start], end_year=self.years[-1])
        for order, (kind, code) in enumerate(measures):
            measure = ContractMeasure.objects.create(
                contract=contract, kind=kind, item=self.items[code] if code else None, order=order
            )
            for year in self.years[start:]:
                ContractTarget.objects.create(measure=measure, school_year=year, target=Decimal("3.5"))
        self.partners.append(unit)
        self.contracts.append(contract)
        return contract


def _city(*, partners: int, past_years: int, measures: list[tuple[str, str | None]]) -> City:
    """``past_years`` school years before this one, this year and next, each with lead partners
    whose contracts run over all of them."""
    years = _years(past_years)
    terms = [_terms(year) for year in years[:-1]]
    items, _ = make_items()
    city = City(
        years=years,
        terms=terms,
        surveys=[(_survey(fall), _survey(spring)) for fall, spring in terms],
        items={item.code: item for item in items},
        practice=PracticeFactory.create(),
        principal=UserFactory.create(),
    )
    for _ in range(partners):
        city.add_partner(measures)
    return city


EVERY_KIND: list[tuple[str, str | None]] = [
    (K.SATISFACTION, None),
    (K.GOALS_MET, None),
    (K.RESPONSE_DAYS, None),
    (K.WITHIN_TARGET, None),
]
MORE: list[tuple[str, str | None]] = [*EVERY_KIND, (K.SATISFACTION, "quality"), (K.SATISFACTION, "responsiveness")]


def test_every_measure_read_in_bulk_is_the_measure_read_alone_for_each_year() -> None:
    city = _city(partners=3, past_years=3, measures=MORE)
    overall = SurveyItem.objects.get(code="overall").pk
    measures = list(
        ContractMeasure.objects.filter(contract__in=city.contracts).select_related("contract__unit", "item")
    )
    bulk = read_measures(measures, years=city.years, overall_item_id=overall, day=TODAY)
    seen: list[Reading] = []
    for measure in measures:
        for year in city.years:
            alone = read_measure(measure, year=year, overall_item_id=overall, day=TODAY)
            assert bulk[(measure.pk, year.pk)] == alone, (measure, year)
            seen.append(alone)
    assert len(bulk) == len(measures) * len(city.years)
    # The mix covers shown, suppressed and pending readings, and values that are not round.
    assert any(r.suppressed and r.n for r in seen)
    assert any(r.pending and r.value is None for r in seen)
    assert any(r.pending and r.value is not None for r in seen)  # this year's goals, so far
    assert any(r.value is not None and not r.pending and r.value != round(r.value, 2) for r in seen)
    assert {m.kind for m in measures} == set(K.values)


def test_a_measure_without_an_item_and_no_overall_item_reads_nothing() -> None:
    city = _city(partners=1, past_years=1, measures=[(K.SATISFACTION, None)])
    [measure] = ContractMeasure.objects.filter(contract__in=city.contracts).select_related("contract__unit")
    bulk = read_measures([measure], years=city.years, overall_item_id=None, day=TODAY)
    for year in city.years:
        assert bulk[(measure.pk, year.pk)] == read_measure(measure, year=year, overall_item_id=None, day=TODAY)
        assert bulk[(measure.pk, year.pk)] == Reading(value=None)


def test_each_years_baseline_is_the_year_before_read_in_the_same_go() -> None:
    city = _city(partners=2, past_years=2, measures=EVERY_KIND)
    overall = SurveyItem.objects.get(code="overall").pk
    PerformanceContract.objects.filter(pk__in=[c.pk for c in city.contracts]).update(start_year=city.years[1])
    for report in contract_reports(city.partners, today=TODAY):
        for measured in report.measures:
            assert [row.year for row in measured.years] == city.years[1:]
            for before, row in zip(city.years, measured.years, strict=False):
                alone = read_measure(measured.measure, year=row.year, overall_item_id=overall, day=TODAY)
                assert row.actual == (alone if row.year.start_date <= TODAY else Reading(value=None, pending=True))
                assert row.baseline == read_measure(measured.measure, year=before, overall_item_id=overall, day=TODAY)


@pytest.mark.parametrize(
    ("partners", "past_years", "measures"),
    [(1, 0, EVERY_KIND), (4, 3, MORE)],
    ids=["one contract, this year and next", "four contracts, five years, six measures"],
)
def test_the_contracts_cost_the_same_queries_however_many_contracts_measures_and_years(
    partners: int,
    past_years: int,
    measures: list[tuple[str, str | None]],
    django_assert_num_queries: Any,
) -> None:
    city = _city(partners=partners, past_years=past_years, measures=measures)
    with django_assert_num_queries(CONTRACT_QUERIES):
        reports = contract_reports(city.partners, today=TODAY)
    assert len(reports) == partners
    assert {len(r.measures) for r in reports} == {len(measures)}
    assert {len(m.years) for r in reports for m in r.measures} == {past_years + 2}


# Contracts, their measures and targets (3), the years and the overall item (2), the years'
# last closed surveys and their results (2), growth goals (1), response times (2).
CONTRACT_QUERIES = 10


def test_the_cabinet_packet_reads_one_contract_or_four_in_the_same_queries() -> None:
    city = _city(partners=0, past_years=3, measures=[])
    city.add_partner(EVERY_KIND, start=len(city.years) - 2)  # this year and next
    one = _queries_for_sections(contracts=1)
    for _ in range(3):
        city.add_partner(MORE)  # five years, six measures
    assert _queries_for_sections(contracts=4) == one


def _queries_for_sections(*, contracts: int) -> int:
    units = list(Unit.objects.order_by("name"))
    with CaptureQueriesContext(connection) as captured:
        sections = cabinet_sections(units)
    assert sum(len(section.contracts) for section in sections) == contracts
    return len(captured)
