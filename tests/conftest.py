"""Personas: the people whose stories the tests tell.

The ILD coaches the principal's school; the other ILD coaches the other principal's
school. The unit head leads the unit the unit staff member works in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client

from district.models import School, Unit, User
from tests import factories


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
