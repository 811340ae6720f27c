"""The role-aware home page: each person's to-do list first, across every app.

A person with several roles sees one section per role, each starting with what to do next.
Each selector runs only for the role that needs it, so every home costs a fixed number of
queries however much data there is.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from coaching import home as coaching_home
from cycles import home as cycles_home
from cycles.satisfaction.selectors import heat_map
from district import selectors as district_selectors
from district.http import AuthenticatedRequest
from district.roles import roles_for
from service_menu import home as service_home
from service_menu.response_times import unit_response_times


def home(request: AuthenticatedRequest) -> HttpResponse:
    roles = roles_for(request.user)
    person = request.user
    context: dict[str, Any] = {}
    if roles.sees_whole_district:
        overview = district_selectors.district_overview()
        context |= {"overview": overview, "term": overview.current_term}
        if roles.is_executive:
            context["executive"] = {
                "heat": heat_map(),
                "coaching": coaching_home.district_coaching(
                    term=overview.current_term, schools_with_ild=overview.school_count - overview.schools_without_ild
                ),
                "response_times": unit_response_times(school_year=overview.current_year),
                "cycles": cycles_home.district_cycles(),
            }
    else:
        context["term"] = district_selectors.current_term()
    if roles.is_ild:
        context["ild"] = {
            "coaching": coaching_home.ild_coaching(ild=person, roles=roles),
            "endorsements": service_home.awaiting_endorsement(roles=roles),
        }
    if roles.principal_school is not None:
        school = roles.principal_school
        context["principal"] = {
            "ild": district_selectors.principal_school_ild(roles=roles),
            "coaching": coaching_home.principal_coaching(principal=person, school=school),
            "requests": service_home.school_requests(school=school),
            "survey": cycles_home.survey_due(school=school),
        }
    if roles.unit is not None:
        unit = roles.unit
        context["unit"] = {
            "queue": service_home.unit_queue(unit=unit),
            "past_dates": service_home.unit_past_dates(unit=unit),
            "results": cycles_home.unit_results(unit=unit),
            "cycles": cycles_home.unit_cycles(unit=unit, person=person, is_head=roles.is_unit_head),
            "staff": district_selectors.unit_staff(roles=roles),
        }
    return render(request, "home.html", context)
