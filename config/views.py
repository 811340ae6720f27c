"""The role-aware home page: each person's starting point, across every app."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from coaching.selectors import coaching_home
from cycles.selectors import satisfaction_home
from district import selectors as district_selectors
from district.http import AuthenticatedRequest
from district.roles import roles_for
from service_menu.selectors import service_home


def home(request: AuthenticatedRequest) -> HttpResponse:
    """A person with several roles sees each of their panels."""
    roles = roles_for(request.user)
    context = {
        "caseload_schools": district_selectors.caseload_schools(roles=roles),
        "principal_ild": district_selectors.principal_school_ild(roles=roles),
        "overview": district_selectors.district_overview() if roles.sees_whole_district else None,
        "unit_staff": district_selectors.unit_staff(roles=roles),
        "coaching": coaching_home(roles=roles),
        "services": service_home(roles=roles),
        "satisfaction": satisfaction_home(principal_school=roles.principal_school, unit=roles.unit),
    }
    return render(request, "home.html", context)
