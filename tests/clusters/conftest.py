"""Two clusters, each with a lead-partner unit: the principal's school is in the first
(Northside), the other principal's in the second (Riverside)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from clusters.models import ContractMeasure, ContractTarget, PerformanceContract
from coaching.models import GrowthGoal, Visit
from cycles.satisfaction.models import Survey, SurveyItem
from district.models import Cluster, School, Unit, User
from service_menu.models import Menu, Service
from tests.conftest import TODAY, District, Menus
from tests.cycles.fixtures import answer, make_items
from tests.factories import (
    GoalFactory,
    MenuFactory,
    PracticeFactory,
    SchoolFactory,
    SchoolYearFactory,
    ServiceFactory,
    TermFactory,
    UnitFactory,
    UnitMembershipFactory,
    UserFactory,
    VisitFactory,
    level,
)


@dataclass
class LeadPartners:
    cluster: Cluster
    other_cluster: Cluster
    unit: Unit
    other_unit: Unit
    menu: Menu
    service: Service
    other_service: Service


@pytest.fixture
def lead_partners(district: District, menus: Menus) -> LeadPartners:
    cluster = district.school.cluster
    other_cluster = district.other_school.cluster
    Cluster.objects.filter(pk=cluster.pk).update(name="Northside")
    Cluster.objects.filter(pk=other_cluster.pk).update(name="Riverside")
    cluster.refresh_from_db()
    other_cluster.refresh_from_db()
    unit = UnitFactory.create(
        name="Northside Partners",
        kind=Unit.Kind.LEAD_PARTNER,
        cluster=cluster,
        head=UserFactory.create(email="lp.head@district.test", full_name="Lena Park"),
    )
    UnitMembershipFactory.create(
        unit=unit, user=UserFactory.create(email="lp.staff@district.test", full_name="Leo Stone")
    )
    other_unit = UnitFactory.create(
        name="Riverside Partners",
        kind=Unit.Kind.LEAD_PARTNER,
        cluster=other_cluster,
        head=UserFactory.create(email="other.lp.head@district.test", full_name="Rita Moss"),
    )
    menu = MenuFactory.create(unit=unit, school_year=menus.menu.school_year)
    other_menu = MenuFactory.create(unit=other_unit, school_year=menus.menu.school_year)
    service = ServiceFactory.create(menu=menu, title="Northside literacy coaching", capacity_per_term=None)
    other_service = ServiceFactory.create(menu=other_menu, title="Riverside math coaching", capacity_per_term=None)
    return LeadPartners(
        cluster=cluster,
        other_cluster=other_cluster,
        unit=unit,
        other_unit=other_unit,
        menu=menu,
        service=service,
        other_service=other_service,
    )


@pytest.fixture
def lp_head(lead_partners: LeadPartners) -> User:
    return User.objects.get(email="lp.head@district.test")


@pytest.fixture
def lp_staff(lead_partners: LeadPartners) -> User:
    return User.objects.get(email="lp.staff@district.test")


@pytest.fixture
def other_lp_head(lead_partners: LeadPartners) -> User:
    return User.objects.get(email="other.lp.head@district.test")


PRIVATE = "PRIVATE-NOTE-MARKER-NEVER-SHOWN"
REFLECTION = "REFLECTION-MARKER"


@dataclass
class ClusterData:
    survey: Survey
    items: list[SurveyItem]
    middle: School
    high: School
    visit: Visit
    goal: GrowthGoal


def add_schools(cluster: Cluster, count: int, *, feeds_into: School | None = None) -> list[School]:
    return [
        SchoolFactory.create(
            cluster=cluster,
            level=School.Level.ELEMENTARY,
            feeds_into=feeds_into,
            principal=UserFactory.create(),
        )
        for _ in range(count)
    ]


@pytest.fixture
def cluster_data(district: District, menus: Menus, lead_partners: LeadPartners, ild: User) -> ClusterData:
    """Northside: the principal's elementary school feeds a middle school, which feeds a high
    school; a closed survey this year in which six Northside principals rated the central unit
    and the lead partner, and two Riverside principals the central unit; a joint visit with a
    private note, and a goal whose observed level has risen."""
    year = menus.menu.school_year
    earlier = TermFactory.create(
        school_year=year,
        name="Earlier",
        start_date=TODAY - datetime.timedelta(days=99),
        end_date=TODAY - datetime.timedelta(days=31),
    )
    survey = Survey.objects.create(
        term=earlier,
        title="Earlier survey",
        opens_on=TODAY - datetime.timedelta(days=45),
        closes_on=TODAY - datetime.timedelta(days=35),
    )
    items, _ = make_items()
    cluster, other = lead_partners.cluster, lead_partners.other_cluster
    high = SchoolFactory.create(name="Northside High", code="NH09", cluster=cluster, level=School.Level.HIGH)
    middle = SchoolFactory.create(
        name="Northside Middle", code="NM06", cluster=cluster, level=School.Level.MIDDLE, feeds_into=high
    )
    School.objects.filter(pk=district.school.pk).update(feeds_into=middle, level=School.Level.ELEMENTARY)
    north = [district.school, high, middle, *add_schools(cluster, 3, feeds_into=middle)]
    for school in north:
        answer(survey, district.unit, school, items, 4)
        answer(survey, lead_partners.unit, school, items, 5)
    for school in [district.other_school, *add_schools(other, 1)]:
        answer(survey, district.unit, school, items, 2)
    practice = PracticeFactory.create()
    goal = GoalFactory.create(school=district.school, school_year=year, practice=practice)
    visit = VisitFactory.create(
        school=district.school,
        ild=ild,
        principal_present=True,
        private_note=PRIVATE,
        principal_reflection=REFLECTION,
        observed_level=level(practice, 2),
    )
    VisitFactory.create(school=district.school, ild=ild, principal_present=False)
    return ClusterData(survey=survey, items=items, middle=middle, high=high, visit=visit, goal=goal)


@pytest.fixture
def contract(lead_partners: LeadPartners, menus: Menus, cluster_data: ClusterData) -> PerformanceContract:
    """The Northside lead partner's contract for this year and the next, with three measures."""
    year = menus.menu.school_year
    next_year = SchoolYearFactory.create(
        name="Next year",
        start_date=year.end_date + datetime.timedelta(days=1),
        end_date=year.end_date + datetime.timedelta(days=365),
        is_current=False,
    )
    agreed = PerformanceContract.objects.create(
        unit=lead_partners.unit, start_year=year, end_year=next_year, summary="Raise instruction across the cluster."
    )
    for order, (kind, targets) in enumerate(
        [
            (ContractMeasure.Kind.SATISFACTION, ("4.5", "4.6")),
            (ContractMeasure.Kind.GOALS_MET, ("50", "60")),
            (ContractMeasure.Kind.RESPONSE_DAYS, ("3", "2")),
        ]
    ):
        measure = ContractMeasure.objects.create(contract=agreed, kind=kind, order=order)
        for school_year, target in zip((year, next_year), targets, strict=True):
            ContractTarget.objects.create(measure=measure, school_year=school_year, target=Decimal(target))
    return agreed
