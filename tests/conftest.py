"""Personas: the people whose stories the tests tell.

The ILD coaches the principal's school; the other ILD coaches the other principal's
school. The unit head leads the unit the unit staff member works in.

``client.force_login`` stands for a sign-in that went all the way, second factor included;
the sign-in itself is tested through its pages in tests/signin/.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client

from district.models import School, Term, Unit, User
from service_menu.models import Menu, Request, Service, Tier
from service_menu.services import request_submit
from signin.session import mark_second_factor
from tests import factories
from tests.factories import MenuFactory, SchoolYearFactory, ServiceFactory, TermFactory, TierFactory

# Fixtures shared with the browser tests live in their own modules.
pytest_plugins = ["tests.cycles.fixtures", "tests.signin.fixtures"]


class SignedInClient(Client):
    """A test client whose ``force_login`` also marks the second factor as shown."""

    def force_login(self, user: object, backend: str | None = None) -> None:
        super().force_login(user, backend)  # type: ignore[arg-type]
        session = self.session
        mark_second_factor(session, user)
        session.save()


@pytest.fixture
def client() -> Client:
    return SignedInClient()


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate limits and used two-factor codes live in the cache: no test inherits another's."""
    cache.clear()


@dataclass
class District:
    school: School
    other_school: School
    unit: Unit


@pytest.fixture
def district(db: None) -> District:
    ild = factories.UserFactory.create(email="ild@district.test", full_name="Irene Lopez")
    other_ild = factories.UserFactory.create(email="other.ild@district.test", full_name="Omar Ibrahim")
    principal = factories.UserFactory.create(email="principal@district.test", full_name="Paula Chen")
    other_principal = factories.UserFactory.create(email="other.principal@district.test", full_name="Oscar Patel")
    school = factories.SchoolFactory.create(name="Harriet Tubman Elementary", code="HT01", principal=principal)
    other_school = factories.SchoolFactory.create(name="Langston Hughes Middle", code="LH02", principal=other_principal)
    factories.CaseloadFactory.create(ild=ild, school=school)
    factories.CaseloadFactory.create(ild=other_ild, school=other_school)
    head = factories.UserFactory.create(email="unit.head@district.test", full_name="Hana Kim")
    unit = factories.UnitFactory.create(name="Instructional Services", head=head)
    factories.UnitMembershipFactory.create(
        unit=unit, user=factories.UserFactory.create(email="unit.staff@district.test", full_name="Sam Brooks")
    )
    factories.ExecutiveFactory.create(
        user=factories.UserFactory.create(email="executive@district.test", full_name="Eve Walker")
    )
    factories.UserFactory.create(email="admin@district.test", full_name="Ada Admin", is_staff=True, is_superuser=True)
    return District(school=school, other_school=other_school, unit=unit)


def _person(email: str) -> User:
    return User.objects.get(email=email)


@pytest.fixture
def ild(district: District) -> User:
    return _person("ild@district.test")


@pytest.fixture
def other_ild(district: District) -> User:
    return _person("other.ild@district.test")


@pytest.fixture
def principal(district: District) -> User:
    return _person("principal@district.test")


@pytest.fixture
def other_principal(district: District) -> User:
    return _person("other.principal@district.test")


@pytest.fixture
def unit_head(district: District) -> User:
    return _person("unit.head@district.test")


@pytest.fixture
def unit_staff(district: District) -> User:
    return _person("unit.staff@district.test")


@pytest.fixture
def executive(district: District) -> User:
    return _person("executive@district.test")


@pytest.fixture
def admin_user(district: District) -> User:
    return _person("admin@district.test")


PERSONAS = ["ild", "other_ild", "principal", "other_principal", "unit_head", "unit_staff", "executive", "admin_user"]


@pytest.fixture
def client_for(client: Client, request: pytest.FixtureRequest) -> Callable[[str], Client]:
    """A signed-in test client for a persona named as a fixture, e.g. client_for("ild")."""

    def sign_in(persona: str) -> Client:
        user = request.getfixturevalue(persona)
        client.force_login(user)
        return client

    return sign_in


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
    """The unit's published menu this year, and the principal's request for its lab classrooms."""
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
