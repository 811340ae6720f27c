"""The demo district."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from district.demo import DEMO_PASSWORD
from district.models import Caseload, Cluster, ExecutiveDesignation, School, SchoolYear, Term, Unit, User
from district.roles import roles_for

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_a_believable_district_and_prints_a_login_per_role() -> None:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert School.objects.count() == 40
    assert Cluster.objects.count() == 4
    assert Unit.objects.filter(kind=Unit.Kind.CENTRAL).count() == 8
    assert Unit.objects.filter(kind=Unit.Kind.LEAD_PARTNER).count() == 1
    assert SchoolYear.objects.count() == 3
    assert SchoolYear.objects.filter(is_current=True).count() == 1
    assert Term.objects.count() == 6
    assert ExecutiveDesignation.objects.exists()
    assert Caseload.objects.current().values("ild").distinct().count() == 4
    assert Caseload.objects.filter(end_date__isnull=False).exists(), "some schools changed ILD"
    text = out.getvalue()
    assert DEMO_PASSWORD in text
    for role in ["Executive", "ILD", "Principal", "Unit head", "Unit staff", "Admin"]:
        assert role in text
    for email, check in [
        ("ild1@district.example", "is_ild"),
        ("principal1@district.example", "is_principal"),
        ("head.instructional-services@district.example", "is_unit_head"),
        ("staff.instructional-services.1@district.example", "is_unit_staff"),
        ("superintendent@district.example", "is_executive"),
        ("admin@district.example", "is_admin"),
    ]:
        user = User.objects.get(email=email)
        assert getattr(roles_for(user), check), email
        assert user.check_password(DEMO_PASSWORD)


def test_seed_demo_twice_is_safe_and_reset_starts_over() -> None:
    call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "already here" in out.getvalue()
    assert School.objects.count() == 40
    call_command("seed_demo", "--reset", "--schools", "12", stdout=StringIO())
    assert School.objects.count() == 12


def test_seed_demo_scales_with_bulk_inserts(django_assert_max_num_queries: Any) -> None:
    # Bulk inserts: the count depends on the rubric and the years, not on the number of schools.
    with django_assert_max_num_queries(450):
        call_command("seed_demo", "--schools", "200", stdout=StringIO())
    assert School.objects.count() == 200
    assert Caseload.objects.current().values("ild").distinct().count() == 20


def test_seed_demo_takes_more_years_and_units_for_a_city_sized_district() -> None:
    from coaching.models import Visit
    from service_menu.models import Menu, Request

    call_command("seed_demo", "--schools", "12", "--years", "4", "--units", "15", stdout=StringIO())
    assert SchoolYear.objects.count() == 5, "four years of history after a first year of surveys"
    *_, current = SchoolYear.objects.order_by("start_date")
    assert current.is_current
    assert Unit.objects.filter(kind=Unit.Kind.LEAD_PARTNER).count() == 3
    assert Unit.objects.filter(kind=Unit.Kind.CENTRAL).count() == 12
    coached = SchoolYear.objects.order_by("start_date")[1]
    assert Visit.objects.filter(date__range=(coached.start_date, coached.end_date)).exists()
    assert not Visit.objects.filter(date__lt=coached.start_date).exists(), "the first year holds surveys only"
    assert Menu.objects.filter(school_year=coached).count() == 15
    assert Request.objects.filter(term__school_year=coached).exists()
