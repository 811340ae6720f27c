"""Requests: asking for a service (also from a visit), a request's page and its answers, delivery,
the district list and a unit's workspace."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from coaching.models import Visit
from district.access import can, get_visible_or_404, require_perm
from district.answers import answer, asked_by_row, failed_action
from district.forms import MISSING_VERSION, small_id
from district.http import AuthenticatedRequest
from district.listing import render_table_page
from district.models import School, Term
from district.roles import roles_for
from service_menu import selectors, services
from service_menu.filters import RequestFilter
from service_menu.forms import DeclineForm, DeliveryForm, RequestForm, ScheduleForm
from service_menu.models import Request, Service
from service_menu.tables import RequestTable

# --- Requests -------------------------------------------------------------------------

# A request's row on the unit's workspace, answered in place when htmx sends an action from it.
ROW = "service_menu/workspace.html#request-row"


def _request_schools(request: AuthenticatedRequest) -> QuerySet[School]:
    roles = roles_for(request.user)
    ids = set(roles.caseload_school_ids)
    if roles.principal_school_id:
        ids.add(roles.principal_school_id)
    return School.objects.filter(pk__in=ids).order_by("name")


def _chosen_school(
    request: AuthenticatedRequest, schools: QuerySet[School], *fallbacks: School | None
) -> School | None:
    """The school picked in the form (or in a no-JS link); else the first fallback among the person's schools."""
    data = request.POST if request.method == "POST" else request.GET
    if "school" in data:
        school_id = small_id(data["school"])
        return schools.filter(pk=school_id).first() if school_id else None
    allowed = {school.pk: school for school in schools}
    for school in fallbacks:
        if school is not None and school.pk in allowed:
            return school
    return next(iter(allowed.values())) if len(allowed) == 1 else None


def request_create(request: AuthenticatedRequest, service_pk: int) -> HttpResponse:
    require_perm(request.user, "service_menu.make_requests")
    service = get_object_or_404(Service.objects.select_related("menu__unit", "tier"), pk=service_pk)
    if not can(request.user, "service_menu.view_menu", service.menu):
        raise Http404
    schools = _request_schools(request)
    if service.cluster_only:
        offered = schools.filter(cluster=service.menu.unit.cluster_id)
        if not offered.exists():
            refused_for = schools.select_related("cluster").first()
            message = (
                services.out_of_cluster_message(service=service, school=refused_for)
                if refused_for
                else f"{service.menu.unit.name} serves only the schools of its own cluster."
            )
            refusal = {"service": service, "message": message}
            return render(request, "service_menu/request_refused.html", refusal, status=403)
        schools = offered
    visit_id = small_id(request.GET.get("visit"))
    visit = None
    if visit_id:
        visits = Visit.objects.filter(pk=visit_id, ild=request.user)
        visit = visits.select_related("school").prefetch_related("focus_goals").first()
    taken_id = small_id(request.GET.get("taken_from"))
    taken_from = None
    if taken_id:
        declined = Request.objects.filter(pk=taken_id, status=Request.Status.DECLINED, school__in=schools)
        taken_from = declined.select_related(
            "school", "term__school_year", "alternative_term__school_year", "service__menu__unit"
        ).first()
    if taken_from is not None and request.method == "GET" and "school" not in request.GET:
        already = selectors.open_request_for(school=taken_from.school, service=service)
        if already is not None:
            messages.info(
                request,
                f"{taken_from.school.name} already has an open request for “{service.title}” ({already.term}): "
                "here it is.",
            )
            return redirect("service_menu:request_detail", pk=already.pk)
    school = _chosen_school(
        request, schools, visit.school if visit else None, taken_from.school if taken_from else None
    )
    goals = selectors.goals_for_request(school=school)
    initial = selectors.request_defaults(school=school, goals=goals, visit=visit, taken_from=taken_from)
    context: dict[str, Any] = {
        "service": service,
        "visit": visit,
        "taken_from": taken_from,
        "school": school,
        "schools": schools,
        "already": selectors.open_request_for(school=school, service=service) if school else None,
        "keep_query": urlencode({k: v for k, v in (("visit", visit_id), ("taken_from", taken_id)) if v}),
    }
    if request.htmx and request.htmx.target == "school-fields":
        form = RequestForm(schools=schools, goals=goals, initial=initial)
        return render(request, "service_menu/request_form.html#school-fields", {**context, "form": form})
    form = RequestForm(request.POST or None, schools=schools, goals=goals, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with failed_action(form):
            created = services.request_submit(
                school=data["school"],
                service=service,
                term=data["term"],
                requested_by=request.user,
                rationale=data["rationale"],
                growth_goal=data["growth_goal"],
                improvement_priority=data["improvement_priority"],
                brokered_from_visit=visit,
                taken_from=taken_from,
            )
            return answer(
                request,
                f"Request sent to {service.menu.unit}.",
                back_to=reverse("service_menu:request_detail", args=[created.pk]),
            )
    return render(request, "service_menu/request_form.html", {**context, "form": form})


def request_from_visit(request: AuthenticatedRequest, visit_pk: int) -> HttpResponse:
    """The brokering link: a resource brokered in a visit becomes a request with one action."""
    visit = get_visible_or_404(request.user, Visit.objects.all(), "coaching.change_visit", pk=visit_pk)
    service_pk = request.GET.get("service", "")
    if not service_pk.isdigit():
        raise Http404
    return redirect(f"{reverse('service_menu:request_create', args=[int(service_pk)])}?visit={visit.pk}")


def _request_for(request: AuthenticatedRequest, pk: int) -> Request:
    return get_visible_or_404(request.user, selectors.request_detail(), "service_menu.view_request", pk=pk)


def _decline_form(obj: Request, data: Any = None) -> DeclineForm:
    """The "no, but …" choices: any other service on the menus, and terms after the one asked for."""
    return DeclineForm(
        data,
        services=selectors.alternative_services(request=obj),
        terms=Term.objects.filter(end_date__gte=timezone.localdate(), start_date__gt=obj.term.start_date)
        .select_related("school_year")
        .order_by("start_date"),
    )


def _action_perm(action: str) -> str:
    """The permission an action needs: the page shows a button exactly when the POST would be allowed."""
    if services.TRANSITIONS[action].by_unit:
        return "service_menu.answer_request"
    return "service_menu.endorse_request" if action == "endorse" else "service_menu.cancel_request"


def request_detail(
    request: AuthenticatedRequest, pk: int, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    obj = _request_for(request, pk)
    allowed = [name for name in services.legal_actions(obj) if can(request.user, _action_perm(name), obj)]
    context = {
        "req": obj,
        "allowed": allowed,
        "transitions": services.TRANSITIONS,
        "schedule_form": ScheduleForm(),
        "decline_form": _decline_form(obj),
        "delivery_form": DeliveryForm(initial={"date": timezone.localdate()}),
        "can_answer": can(request.user, "service_menu.answer_request", obj),
        "rating_questions": [("quality", "Quality of the service"), ("responsiveness", "Responsiveness of the unit")],
        **(forms or {}),
    }
    return render(request, "service_menu/request_detail.html", context, status=status)


@require_POST
def request_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    obj = _request_for(request, pk)
    transition = services.TRANSITIONS.get(action)
    if transition is None:
        raise Http404
    require_perm(request.user, _action_perm(action), obj)
    detail = reverse("service_menu:request_detail", args=[obj.pk])
    version = request.POST.get("version", "")
    if not version.isdigit():
        # Without the version the page was read at, the edit-conflict check cannot run: refuse.
        return answer(request, MISSING_VERSION, back_to=detail, failed=True, row=ROW, context={"row": obj})
    kwargs: dict[str, Any] = {}
    form: BaseForm | None = None
    if action == "schedule":
        form = ScheduleForm(request.POST)
    elif action == "decline":
        form = _decline_form(obj, request.POST)
    if form is not None:
        if not form.is_valid():
            return request_detail(request, pk, {f"{action}_form": form, "open_action": action}, status=400)
        kwargs = form.cleaned_data
    with failed_action(form) as failed:
        result = services.request_transition(
            request=obj,
            action=action,
            by=request.user,
            expected_version=int(version),
            note=request.POST.get("note", ""),
            **kwargs,
        )
        return answer(request, result.message, back_to=detail, row=ROW, context={"row": result.request})
    if failed.conflict is None:
        if form is not None and not asked_by_row(request, ROW):
            return request_detail(request, pk, {f"{action}_form": form, "open_action": action}, status=400)
        return answer(request, failed.says(), back_to=detail, failed=True, row=ROW, context={"row": obj})
    now = failed.current.get_status_display().lower()
    return answer(
        request,
        f"Someone else answered this request first (it is now {now}). Nothing was overwritten; review it below.",
        row_message="Someone else answered it first.",
        back_to=detail,
        failed=True,
        level=messages.WARNING,
        row=ROW,
        context={"row": obj},
    )


@require_POST
def delivery_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    obj = _request_for(request, pk)
    require_perm(request.user, "service_menu.answer_request", obj)
    form = DeliveryForm(request.POST)
    if form.is_valid():
        with failed_action(form):
            services.delivery_log_add(request=obj, by=request.user, **form.cleaned_data)
            return answer(request, "Delivery logged.", back_to=reverse("service_menu:request_detail", args=[obj.pk]))
    return request_detail(request, pk, {"delivery_form": form}, status=400)


def request_list(request: AuthenticatedRequest) -> HttpResponseBase:
    require_perm(request.user, "service_menu.list_requests")
    filterset = RequestFilter(
        request.GET,
        queryset=selectors.requests_visible_to(roles=roles_for(request.user), requests=selectors.request_rows()),
    )
    return render_table_page(
        request,
        template_name="service_menu/request_list.html",
        table=RequestTable(filterset.qs),
        filterset=filterset,
        export_name="requests",
    )


def workspace(request: AuthenticatedRequest) -> HttpResponseBase:
    require_perm(request.user, "service_menu.view_workspace")
    unit = roles_for(request.user).unit
    assert unit is not None  # noqa: S101 - view_workspace guarantees a unit
    requests = selectors.request_rows().filter(service__menu__unit=unit)
    filterset = RequestFilter(request.GET or {"awaiting": "on"}, queryset=requests)
    target = selectors.response_target(unit)
    overdue = {r.pk for r in requests.awaiting_answer() if selectors.is_overdue(r, target)}  # type: ignore[attr-defined]
    return render_table_page(
        request,
        template_name="service_menu/workspace.html",
        table=RequestTable(filterset.qs, overdue_ids=overdue, quick_answers=True),
        filterset=filterset,
        export_name="unit-requests",
        context={
            "unit": unit,
            "target": target,
            "overdue_count": len(overdue),
            "capacity": selectors.unit_capacity(unit=unit),
        },
    )
