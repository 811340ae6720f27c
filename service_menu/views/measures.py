"""What a school receives beside its coaching (the 360° page), and how a unit answers (its measures)."""

from __future__ import annotations

import dataclasses

from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render

from district.access import can, get_visible_or_404, require_perm
from district.exports import csv_response
from district.forms import small_id
from district.http import AuthenticatedRequest
from district.models import School, SchoolYear, Unit
from service_menu import pipeline, selectors


def school_360(request: AuthenticatedRequest, code: str) -> HttpResponse:
    """One school, one year: its services beside its coaching, each part as the person's role allows."""
    school = get_visible_or_404(
        request.user, School.objects.select_related("principal", "cluster"), "service_menu.view_school_360", code=code
    )
    year_id = small_id(request.GET.get("year"))
    year = (SchoolYear.objects.filter(pk=year_id).first() if year_id else None) or SchoolYear.objects.current()
    view = selectors.school_360(school=school, year=year)
    view = dataclasses.replace(
        view,
        visits=[v for v in view.visits if can(request.user, "coaching.view_visit", v)],
        goals=[g for g in view.goals if can(request.user, "coaching.view_goal", g)],
    )
    return render(request, "service_menu/school_360.html", {"view": view})


MEASURE_TABLES = {
    "capacity": ("Service", "Places used this term", "Capacity per term"),
    "demand": ("Area", "Requests this term", "Places this term"),
    "terms": ("Term", "Requests", "Answered", "Median school days to a first answer", *pipeline.OUTCOMES),
}


def unit_measures(request: AuthenticatedRequest, unit_pk: int) -> HttpResponseBase:
    unit = get_object_or_404(Unit, pk=unit_pk)
    require_perm(request.user, "service_menu.view_measures", unit)
    measures = pipeline.unit_measures(unit=unit)
    table = request.GET.get("table", "")
    if request.GET.get("export") == "csv" and table in MEASURE_TABLES:
        rows: list[tuple[object, ...]]
        if table == "capacity":
            rows = [
                (getattr(r["service"], "title", ""), r["used"], "no limit" if r["capacity"] is None else r["capacity"])
                for r in measures.capacity_rows
            ]
        elif table == "demand":
            rows = [(r["area"], r["demand"], r["supply"]) for r in measures.demand_rows]
        else:
            rows = measures.term_rows
        return csv_response(f"measures-{unit.pk}-{table}.csv", [MEASURE_TABLES[table], *rows])
    return render(request, "service_menu/measures.html", {"m": measures})
