"""Every unit's response times, side by side, computed in SQL as each unit's own page does."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import F
from django.utils import timezone

from district.models import User
from service_menu.models import Request, RequestEvent, UnitSettings
from service_menu.pipeline import unit_measures
from service_menu.response_times import school_days, unit_response_times
from service_menu.selectors import school_days_between
from service_menu.services import delivery_log_add, request_submit, request_transition
from tests.conftest import District, Menus
from tests.factories import MenuFactory, SchoolFactory, SchoolYearFactory, ServiceFactory, TermFactory, UnitFactory

pytestmark = pytest.mark.django_db

# A Monday, so the waits below are easy to count in school days.
MONDAY = timezone.make_aware(datetime.datetime(2026, 9, 7, 10, 0))


def _asked(menus: Menus, service: Any = None) -> Request:
    school = SchoolFactory.create()
    assert school.principal is not None
    return request_submit(
        school=school,
        service=service or menus.service,
        term=menus.term,
        requested_by=school.principal,
        rationale="Our plan needs it.",
        improvement_priority="Early literacy",
    )


def _answered(menus: Menus, by: User, action: str, asked: datetime.datetime, answered: datetime.datetime) -> Request:
    request = _asked(menus)
    options: dict[str, Any] = (
        {"decline_reason": "Full.", "alternative_term": menus.later_term} if action == "decline" else {}
    )
    request_transition(request=request, action=action, by=by, **options)
    Request.objects.filter(pk=request.pk).update(created_at=asked, first_answered_at=answered)
    return request


def test_median_within_target_and_no_but_rate_match_the_unit_measures_page(
    menus: Menus, unit_staff: User, district: District
) -> None:
    UnitSettings.objects.create(unit=district.unit, response_target_days=2)
    menus.service.capacity_per_term = None
    menus.service.save()
    day = datetime.timedelta(days=1)
    # Waits of 1, 2, 4 and 7 school days (a weekend inside the last two): median 3, half within 2.
    _answered(menus, unit_staff, "accept", MONDAY, MONDAY + day)
    _answered(menus, unit_staff, "accept", MONDAY, MONDAY + 2 * day)
    _answered(menus, unit_staff, "decline", MONDAY, MONDAY + 6 * day)
    _answered(menus, unit_staff, "accept", MONDAY, MONDAY + 9 * day)
    _asked(menus)  # still waiting: counted as a request, not as an answer
    other = UnitFactory.create(name="Another unit")
    ServiceFactory.create(menu=MenuFactory.create(unit=other, school_year=menus.term.school_year))

    rows = {row.unit.pk: row for row in unit_response_times()}
    row = rows[district.unit.pk]
    measures = unit_measures(unit=district.unit)
    assert row.median_days_to_answer == measures.median_days_to_answer == 3
    assert row.within_target == measures.within_target == 0.5
    assert row.no_but_rate == measures.decline_rate == 0.25
    assert (row.requests, row.answered, row.target_days) == (measures.requests, measures.answered, 2)
    # A unit with no requests shows dashes, not zeros.
    assert rows[other.pk].median_days_to_answer is None
    assert rows[other.pk].within_target is None
    assert rows[other.pk].target_days == 3


def test_the_clock_starts_at_the_ild_endorsement_when_the_tier_needs_one(
    menus: Menus, ild: User, unit_staff: User, district: District
) -> None:
    request = request_submit(
        school=district.school,
        service=menus.intensive,
        term=menus.term,
        requested_by=district.school.principal,  # type: ignore[arg-type]
        rationale="Grade 3 math.",
        improvement_priority="Math",
    )
    request_transition(request=request, action="endorse", by=ild)
    request_transition(request=request, action="accept", by=unit_staff)
    Request.objects.filter(pk=request.pk).update(
        created_at=MONDAY,
        endorsed_at=MONDAY + datetime.timedelta(days=7),
        first_answered_at=MONDAY + datetime.timedelta(days=8),
    )
    Request.objects.filter(pk=menus.request.pk).delete()
    row = next(r for r in unit_response_times() if r.unit.pk == district.unit.pk)
    assert row.median_days_to_answer == 1 == unit_measures(unit=district.unit).median_days_to_answer


def test_days_to_delivery_run_from_the_request_to_the_day_it_was_marked_delivered(
    menus: Menus, unit_staff: User, district: District
) -> None:
    today = timezone.localdate()
    for weeks in (2, 4, 5):
        request = _asked(menus, ServiceFactory.create(menu=menus.menu, capacity_per_term=None))
        request_transition(request=request, action="accept", by=unit_staff)
        request = request_transition(
            request=request, action="schedule", by=unit_staff, scheduled_start=today, scheduled_end=today
        ).request
        delivery_log_add(request=request, by=unit_staff, date=today, hours=2, note="Two coaching sessions.")
        request_transition(request=request, action="deliver", by=unit_staff)
        Request.objects.filter(pk=request.pk).update(created_at=MONDAY)
        RequestEvent.objects.filter(request=request, to_status="delivered").update(
            at=MONDAY + datetime.timedelta(weeks=weeks)
        )
    row = next(r for r in unit_response_times() if r.unit.pk == district.unit.pk)
    assert row.delivered == 3
    assert row.median_days_to_delivery == 20  # four weeks of school days


@pytest.mark.parametrize("start_offset", range(7))
def test_school_days_in_sql_count_as_the_python_does(menus: Menus, start_offset: int) -> None:
    start = MONDAY + datetime.timedelta(days=start_offset)
    Request.objects.filter(pk=menus.request.pk).update(created_at=start)
    for days in range(-2, 23):
        end = start + datetime.timedelta(days=days)
        Request.objects.filter(pk=menus.request.pk).update(first_answered_at=end)
        counted = (
            Request.objects.filter(pk=menus.request.pk)
            .annotate(n=school_days(F("created_at"), F("first_answered_at")))
            .values_list("n", flat=True)
            .get()
        )
        assert counted == school_days_between(start.date(), end.date()), days


def test_all_units_cost_four_queries_however_many_there_are(
    menus: Menus, unit_staff: User, django_assert_num_queries: Callable[[int], Any]
) -> None:
    for i in range(3):
        unit = UnitFactory.create(name=f"Unit {i}")
        _asked(menus, ServiceFactory.create(menu=MenuFactory.create(unit=unit, school_year=menus.term.school_year)))
        _answered(menus, unit_staff, "accept", MONDAY, MONDAY + datetime.timedelta(days=i + 1))
    with django_assert_num_queries(4):
        rows = unit_response_times()
    assert len(rows) == 4


def test_this_school_years_figures_leave_last_years_requests_to_the_tables_by_term(
    menus: Menus, unit_staff: User, district: District
) -> None:
    """The executive home and the top of the unit's measures count this year's terms; a
    district five years in would otherwise read every request it ever had on each visit."""
    last_year = SchoolYearFactory.create(
        name="Last year", start_date=datetime.date(2025, 8, 1), end_date=datetime.date(2026, 6, 30), is_current=False
    )
    last_fall = TermFactory.create(
        school_year=last_year, name="Fall", start_date=datetime.date(2025, 8, 1), end_date=datetime.date(2025, 12, 31)
    )
    menus.service.capacity_per_term = None
    menus.service.save()
    day = datetime.timedelta(days=1)
    _answered(menus, unit_staff, "accept", MONDAY, MONDAY + day)
    old = _answered(menus, unit_staff, "decline", MONDAY, MONDAY + 21 * day)
    Request.objects.filter(pk=old.pk).update(term=last_fall)

    this_year = next(r for r in unit_response_times(school_year=menus.term.school_year) if r.unit == district.unit)
    every_year = next(r for r in unit_response_times() if r.unit == district.unit)
    measures = unit_measures(unit=district.unit)

    assert (this_year.answered, this_year.median_days_to_answer, this_year.no_but_rate) == (1, 1, 0)
    assert (every_year.answered, every_year.median_days_to_answer) == (2, 8)
    assert (measures.answered, measures.median_days_to_answer, measures.decline_rate) == (1, 1, 0)
    assert measures.requests == this_year.requests == 2  # the answered one and the fixture's open one
    assert measures.school_year == menus.term.school_year
    by_term = {row[0]: row for row in measures.term_rows}
    assert by_term["Fall Last year"][2] == 1  # still in the table by term, answered after 15 school days
    assert by_term["Fall Last year"][3] == 15
