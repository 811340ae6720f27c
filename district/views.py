from __future__ import annotations

from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render

from district import selectors
from district.access import get_visible_or_404, require_perm
from district.filters import SchoolFilter
from district.http import AuthenticatedRequest
from district.listing import render_table_page
from district.tables import SchoolTable, UnitTable


def ping(request: AuthenticatedRequest) -> HttpResponse:
    """A signed-in page that reads nothing: what any page costs before its own work (the benchmark's baseline)."""
    return HttpResponse("ok", content_type="text/plain")


def school_list(request: AuthenticatedRequest) -> HttpResponseBase:
    require_perm(request.user, "district.list_schools")
    filterset = SchoolFilter(request.GET, queryset=selectors.school_list(viewer=request.user))
    return render_table_page(
        request,
        template_name="district/school_list.html",
        table=SchoolTable(filterset.qs),
        filterset=filterset,
        export_name="schools",
    )


def school_detail(request: AuthenticatedRequest, code: str) -> HttpResponse:
    school = get_visible_or_404(request.user, selectors.school_detail(code=code), "district.view_school")
    return render(request, "district/school_detail.html", {"school": school})


def unit_list(request: AuthenticatedRequest) -> HttpResponseBase:
    return render_table_page(
        request,
        template_name="district/unit_list.html",
        table=UnitTable(selectors.unit_list()),
        export_name="units",
    )


def unit_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    unit = get_visible_or_404(request.user, selectors.unit_detail(), "district.view_unit", pk=pk)
    return render(request, "district/unit_detail.html", {"unit": unit})
