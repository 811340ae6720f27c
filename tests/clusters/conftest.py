"""Two clusters, each with a lead-partner unit: the principal's school is in the first
(Northside), the other principal's in the second (Riverside)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from district.models import Cluster, Unit, User
from service_menu.models import Menu, Service
from tests.conftest import District, Menus
from tests.factories import MenuFactory, ServiceFactory, UnitFactory, UnitMembershipFactory, UserFactory


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
