"""The ILD's caseload dashboard, the executive's view of the coaches, and the ILD's calendar
feed."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django_htmx.http import HttpResponseClientRefresh

from coaching import calendar, selectors, services
from coaching.filters import CaseloadFilter
from coaching.models import CalendarFeed
from coaching.tables import CaseloadTable
from district.access import require_perm
from district.exports import csv_response
from district.http import AuthenticatedRequest
from district.listing import render_table_page
from district.roles import roles_for
from district.templatetags.schoolward import percent

# --- ILD dashboard and executive view -------------------------------------------------


def dashboard(request: AuthenticatedRequest) -> HttpResponseBase:
    require_perm(request.user, "coaching.view_dashboard")
    rows = selectors.caseload_rows(ild=request.user)
    filterset = CaseloadFilter(request.GET, queryset=rows)
    htmx_table_only = request.htmx and request.htmx.target == "table-region"
    return render_table_page(
        request,
        template_name="coaching/dashboard.html",
        table=CaseloadTable(filterset.qs, target=selectors.visits_per_term_target()),
        filterset=filterset,
        export_name="caseload",
        context={"mix": None if htmx_table_only else selectors.practice_mix(ild=request.user)},
    )


def _coach_rows_csv(rows: list[selectors.CoachRow], target: int) -> list[list[object]]:
    header: list[object] = [
        "ILD",
        "Schools",
        "Visits this term",
        f"Visits per school (target {target})",
        "Joint (this year)",
        "Principal led (this term)",
        "Most used moves (this year)",
    ]
    return [header] + [
        [
            row.ild.full_name,
            row.schools,
            row.visits_this_term,
            f"{row.visits_per_school:.1f}",
            percent(row.joint_share),
            percent(row.principal_led_share),
            ", ".join(f"{name} ({count})" for name, count in row.top_moves),
        ]
        for row in rows
    ]


def coaches(request: AuthenticatedRequest) -> HttpResponseBase:
    require_perm(request.user, "coaching.view_coaches")
    if request.GET.get("export") == "csv":
        target = selectors.visits_per_term_target()
        rows = selectors.coaches_overview(ilds=list(selectors.current_ilds()))
        return csv_response("coaches.csv", _coach_rows_csv(rows, target))
    page = Paginator(selectors.current_ilds(), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "coaching/coaches.html",
        {
            "page": page,
            "rows": selectors.coaches_overview(ilds=list(page.object_list)),
            "target": selectors.visits_per_term_target(),
        },
    )


# --- Calendar -------------------------------------------------------------------------


def calendar_settings(request: AuthenticatedRequest) -> HttpResponse:
    require_perm(request.user, "coaching.use_calendar")
    if request.method == "POST":
        feed = services.calendar_feed_revoke(user=request.user)
        messages.success(request, "A new calendar address is ready; the old one no longer works.")
        if request.htmx:
            return HttpResponseClientRefresh()
    else:
        feed = services.calendar_feed_for(user=request.user)
    url = request.build_absolute_uri(f"/coaching/calendar/{feed.token}.ics")
    return render(request, "coaching/calendar.html", {"feed": feed, "feed_url": url})


def calendar_feed(request: AuthenticatedRequest, token: str) -> HttpResponse:
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None:
        raise Http404("This calendar address has been replaced or never existed.")
    since = timezone.localdate() - datetime.timedelta(days=60)
    if not roles_for(feed.user).is_ild:
        raise Http404("This calendar belongs to someone who no longer has a caseload.")
    response = HttpResponse(
        calendar.visits_ical(user=feed.user, since=since, site_url=request.build_absolute_uri("/").rstrip("/")),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="schoolward-visits.ics"'
    return response
