"""Typed factories for the org chart, coaching and service menus."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from coaching.models import GrowthGoal, LeadershipPractice, NextStep, PracticeLevel, Visit
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
from service_menu.models import ContentArea, Menu, Service, Tier

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


# --- coaching -------------------------------------------------------------------------


class PracticeFactory(DjangoModelFactory[LeadershipPractice]):
    class Meta:
        model = LeadershipPractice
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Practice {n}")
    description = "A practice of instructional leadership."

    @factory.post_generation
    def levels(obj: LeadershipPractice, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            for rank, name in enumerate(["Emerging", "Developing", "Proficient", "Leading"], start=1):
                PracticeLevel.objects.create(practice=obj, rank=rank, name=name, descriptor=f"{name} practice.")


def level(practice: LeadershipPractice, rank: int) -> PracticeLevel:
    return practice.levels.get(rank=rank)


class GoalFactory(DjangoModelFactory[GrowthGoal]):
    class Meta:
        model = GrowthGoal

    school = factory.SubFactory(SchoolFactory)
    principal = factory.LazyAttribute(lambda o: o.school.principal)
    school_year = factory.SubFactory(SchoolYearFactory)
    practice = factory.SubFactory(PracticeFactory)
    statement = "Give teachers specific, usable feedback."
    baseline_level = factory.LazyAttribute(lambda o: level(o.practice, 1))
    target_level = factory.LazyAttribute(lambda o: level(o.practice, 3))
    success_criteria = "Seen at the target level in two joint visits."
    status = GrowthGoal.Status.ACTIVE
    drafted_by = factory.LazyAttribute(lambda o: o.school.principal)


class VisitFactory(DjangoModelFactory[Visit]):
    class Meta:
        model = Visit

    school = factory.SubFactory(SchoolFactory)
    ild = factory.SubFactory(UserFactory)
    date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=3))
    status = Visit.Status.DONE
    principal_present = True
    what_we_saw = "Students explained their reasoning."


class NextStepFactory(DjangoModelFactory[NextStep]):
    class Meta:
        model = NextStep

    visit = factory.SubFactory(VisitFactory)
    owner = NextStep.Owner.PRINCIPAL
    description = "Give feedback to two teachers"
    due_date = factory.LazyAttribute(lambda o: o.visit.date + datetime.timedelta(days=7))


# --- service menus --------------------------------------------------------------------


class ContentAreaFactory(DjangoModelFactory[ContentArea]):
    class Meta:
        model = ContentArea
        django_get_or_create = ("name",)

    name = "Literacy"


class TierFactory(DjangoModelFactory[Tier]):
    class Meta:
        model = Tier
        django_get_or_create = ("name",)

    name = "Targeted"
    order = 2
    needs_request = True
    needs_endorsement = False


class MenuFactory(DjangoModelFactory[Menu]):
    class Meta:
        model = Menu

    unit = factory.SubFactory(UnitFactory)
    school_year = factory.SubFactory(SchoolYearFactory)
    status = Menu.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class ServiceFactory(DjangoModelFactory[Service]):
    class Meta:
        model = Service

    menu = factory.SubFactory(MenuFactory)
    title = factory.Sequence(lambda n: f"Service {n}")
    summary = "Coaching for teacher teams."
    content_area = factory.SubFactory(ContentAreaFactory)
    tier = factory.SubFactory(TierFactory)
    format_dosage = "4 coaching days per term"
    capacity_per_term = 2
    rationale = "Practice with feedback changes teaching."
