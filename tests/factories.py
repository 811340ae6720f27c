"""Typed factories for the org chart."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from district.models import (
    Caseload,
    Cluster,
    ExecutiveDesignation,
    School,
    SchoolYear,
    Term,
    Unit,
    UnitMembership,
    User,
)

TEST_PASSWORD = "correct horse battery staple"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@district.test")
    full_name = factory.Faker("name")
    password = factory.django.Password(TEST_PASSWORD)


class ClusterFactory(DjangoModelFactory[Cluster]):
    class Meta:
        model = Cluster
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Cluster {n}")


class SchoolFactory(DjangoModelFactory[School]):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"School {n}")
    code = factory.Sequence(lambda n: f"T{n:04d}")
    level = School.Level.ELEMENTARY
    cluster = factory.SubFactory(ClusterFactory)
    principal = factory.SubFactory(UserFactory)


class CaseloadFactory(DjangoModelFactory[Caseload]):
    class Meta:
        model = Caseload

    ild = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    start_date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=365))
    end_date = None


class UnitFactory(DjangoModelFactory[Unit]):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Unit {n}")
    kind = Unit.Kind.CENTRAL
    head = factory.SubFactory(UserFactory)
    description = "Serves every school."
    contact_email = factory.Sequence(lambda n: f"unit{n}@district.test")


class UnitMembershipFactory(DjangoModelFactory[UnitMembership]):
    class Meta:
        model = UnitMembership

    unit = factory.SubFactory(UnitFactory)
    user = factory.SubFactory(UserFactory)
    title = "Coordinator"


class ExecutiveFactory(DjangoModelFactory[ExecutiveDesignation]):
    class Meta:
        model = ExecutiveDesignation

    user = factory.SubFactory(UserFactory)
    title = ExecutiveDesignation.Title.SUPERINTENDENT


class SchoolYearFactory(DjangoModelFactory[SchoolYear]):
    class Meta:
        model = SchoolYear
        django_get_or_create = ("name",)

    name = "2026–27"
    start_date = datetime.date(2026, 8, 1)
    end_date = datetime.date(2027, 6, 30)
    is_current = True


class TermFactory(DjangoModelFactory[Term]):
    class Meta:
        model = Term

    school_year = factory.SubFactory(SchoolYearFactory)
    name = "Fall"
    start_date = datetime.date(2026, 8, 1)
    end_date = datetime.date(2026, 12, 31)
