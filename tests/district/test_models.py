"""Rules the database keeps about the org chart."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from district.models import Caseload, SchoolYear, Unit
from district.roles import roles_for
from tests.conftest import District
from tests.factories import CaseloadFactory, ClusterFactory, SchoolFactory, SchoolYearFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_school_has_at_most_one_open_caseload() -> None:
    school = SchoolFactory.create()
    CaseloadFactory.create(school=school)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseloadFactory.create(school=school)


def test_overlapping_dated_caseloads_are_refused_with_a_clear_message() -> None:
    school = SchoolFactory.create()
    CaseloadFactory.create(school=school, start_date=datetime.date(2024, 8, 1), end_date=datetime.date(2025, 6, 30))
    overlapping = Caseload(
        ild=UserFactory.create(),
        school=school,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 3, 1),
    )
    with pytest.raises(ValidationError, match="one ILD at a time"):
        overlapping.full_clean()
    after = Caseload(ild=UserFactory.create(), school=school, start_date=datetime.date(2025, 7, 1))
    after.full_clean()


def test_only_one_school_year_is_current() -> None:
    SchoolYearFactory.create(name="2025–26", start_date=datetime.date(2025, 8, 1), end_date=datetime.date(2026, 6, 30))
    second = SchoolYear(
        name="2026–27", start_date=datetime.date(2026, 8, 1), end_date=datetime.date(2027, 6, 30), is_current=True
    )
    with pytest.raises(ValidationError, match="Only one school year"):
        second.full_clean()


def test_a_lead_partner_unit_serves_a_cluster() -> None:
    unit = Unit(name="Partner", kind=Unit.Kind.LEAD_PARTNER, cluster=None)
    with pytest.raises(ValidationError, match="lead-partner unit serves one cluster"):
        unit.full_clean()
    unit.cluster = ClusterFactory.create()
    unit.full_clean()


def test_roles_come_from_relationships_and_an_ended_caseload_is_no_role(district: District) -> None:
    ild = district.school.caseloads.get().ild
    assert roles_for(ild).is_ild
    assert roles_for(ild).labels == ["ILD"]
    Caseload.objects.filter(ild=ild).update(end_date=datetime.date.today() - datetime.timedelta(days=1))
    ild.refresh_from_db()
    fresh = type(ild).objects.get(pk=ild.pk)
    assert not roles_for(fresh).is_ild


def test_making_a_year_current_moves_the_flag_so_exactly_one_is_current() -> None:
    from district.services import school_year_make_current

    old = SchoolYearFactory.create(
        name="2025–26", start_date=datetime.date(2025, 8, 1), end_date=datetime.date(2026, 6, 30), is_current=True
    )
    new = SchoolYearFactory.create(
        name="2026–27", start_date=datetime.date(2026, 8, 1), end_date=datetime.date(2027, 6, 30), is_current=False
    )
    school_year_make_current(year=new)
    old.refresh_from_db()
    assert not old.is_current
    assert SchoolYear.objects.get(is_current=True) == new
