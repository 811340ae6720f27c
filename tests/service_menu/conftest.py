"""Service-menu stories: the unit publishes a menu; the principal's school asks for a service."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from district.models import Term, User
from service_menu.models import Menu, Request, Service, Tier
from service_menu.services import request_submit
from tests.conftest import District
from tests.factories import MenuFactory, SchoolYearFactory, ServiceFactory, TermFactory, TierFactory

TODAY = datetime.date.today()


@dataclass
class Menus:
    menu: Menu
    service: Service
    intensive: Service
    term: Term
    later_term: Term
    request: Request


@pytest.fixture
def menus(district: District, principal: User) -> Menus:
    year = SchoolYearFactory.create(
        name="This year", start_date=TODAY - datetime.timedelta(days=100), end_date=TODAY + datetime.timedelta(days=200)
    )
    term = TermFactory.create(
        school_year=year,
        name="Now",
        start_date=TODAY - datetime.timedelta(days=30),
        end_date=TODAY + datetime.timedelta(days=60),
    )
    later = TermFactory.create(
        school_year=year,
        name="Later",
        start_date=TODAY + datetime.timedelta(days=61),
        end_date=TODAY + datetime.timedelta(days=190),
    )
    menu = MenuFactory.create(unit=district.unit, school_year=year)
    service = ServiceFactory.create(menu=menu, title="Literacy lab classrooms", capacity_per_term=2)
    intensive_tier: Tier = TierFactory.create(name="Intensive", order=3, needs_endorsement=True)
    intensive = ServiceFactory.create(menu=menu, title="Intensive math turnaround", tier=intensive_tier)
    request = request_submit(
        school=district.school,
        service=service,
        term=term,
        requested_by=principal,
        rationale="Our teachers want to see strong small-group reading.",
        improvement_priority="Early literacy",
    )
    return Menus(menu=menu, service=service, intensive=intensive, term=term, later_term=later, request=request)
