from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from coaching.models import GrowthGoal, Visit
from district.access import can, get_visible_or_404, require_perm
from district.forms import apply_validation_error
from district.http import AuthenticatedRequest
from district.listing import render_table_page
from district.models import School, SchoolYear, Term, Unit
from district.pdf import pdf_response
from district.roles import roles_for
from service_menu import selectors, services
from service_menu.filters import CatalogFilter, RequestFilter
from service_menu.forms import DeclineForm, DeliveryForm, PublishForm, RequestForm, ScheduleForm, ServiceForm
from service_menu.models import Menu, Request, Service
from service_menu.tables import CatalogTable, RequestTable

# --- Catalog and menus ----------------------------------------------------------------


def catalog(request: AuthenticatedRequest) -> HttpResponse:
    filterset = CatalogFilter(request.GET, queryset=selectors.catalog_services())
    return render_table_page(
        request,
        template_name="service_menu/catalog.html",
        table=CatalogTable(filterset.qs),
        filterset=filterset,
        export_name="service-catalog",
    )


def catalog_pdf(request: AuthenticatedRequest) -> HttpResponse:
    services_ = list(selectors.catalog_services().order_by("menu__unit__name", "title"))
    year = SchoolYear.objects.current()
    return pdf_response(
        "service_menu/pdf/catalog.html",
        {"groups": selectors.catalog_grouped(services_), "year": year, "title": "District service catalog"},
        filename="service-catalog.pdf",
        request=request,
    )


def service_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(
        Service.objects.select_related("menu__unit", "menu__school_year", "tier", "content_area"), pk=pk
    )
    if not can(request.user, "service_menu.view_menu", service.menu):
        raise Http404
    term = selectors.current_term()
    selectors.with_remaining_capacity([service], term)
    return render(request, "service_menu/service_detail.html", {"service": service, "term": term})


def unit_menu(request: AuthenticatedRequest, unit_pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.select_related("head"), pk=unit_pk)
    menu = Menu.objects.current().filter(unit=unit).select_related("school_year", "published_by").first()
    services_ = (
        selectors.with_remaining_capacity(
            list(menu.services.select_related("tier", "content_area")), selectors.current_term()
        )
        if menu
        else []
    )
    versions = Menu.objects.filter(unit=unit).select_related("school_year", "published_by")
    if not can(request.user, "service_menu.manage_menu", unit):
        versions = versions.exclude(status=Menu.Status.DRAFT)
    return render(
        request,
        "service_menu/unit_menu.html",
        {"unit": unit, "menu": menu, "services": services_, "versions": versions},
    )


def menu_version(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    menu = get_visible_or_404(
        request.user,
        Menu.objects.select_related("unit", "school_year", "published_by"),
        "service_menu.view_menu",
        pk=pk,
    )
    return render(
        request,
        "service_menu/menu_version.html",
        {
            "menu": menu,
            "services": list(menu.services.select_related("tier", "content_area")),
            "publish_form": PublishForm(unit=menu.unit),
        },
    )


def menu_pdf(request: AuthenticatedRequest, unit_pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=unit_pk)
    menu = Menu.objects.current().filter(unit=unit).select_related("school_year").first()
    if menu is None:
        raise Http404("This unit has no published menu this year.")
    services_ = list(menu.services.select_related("tier", "content_area"))
    return pdf_response(
        "service_menu/pdf/catalog.html",
        {
            "groups": selectors.catalog_grouped(services_),
            "year": menu.school_year,
            "unit": unit,
            "menu": menu,
            "title": f"{unit.name}: service menu",
        },
        filename=f"menu-{unit.pk}-{menu.school_year.start_date:%Y}-v{menu.version}.pdf",
        request=request,
    )


@require_POST
def menu_start_draft(request: AuthenticatedRequest, unit_pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=unit_pk)
    require_perm(request.user, "service_menu.manage_menu", unit)
    year = SchoolYear.objects.current()
    if year is None:
        messages.error(request, "No current school year is set up.")
        return redirect("service_menu:unit_menu", unit_pk=unit.pk)
    draft = services.menu_start_draft(unit=unit, school_year=year)
    return redirect("service_menu:menu_version", pk=draft.pk)


@require_POST
def menu_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    menu = get_visible_or_404(request.user, Menu.objects.select_related("unit"), "service_menu.view_menu", pk=pk)
    require_perm(request.user, "service_menu.edit_menu", menu)
    form = PublishForm(request.POST, unit=menu.unit)
    if form.is_valid():
        try:
            services.menu_publish(
                menu=menu,
                by=request.user,
                change_note=form.cleaned_data["change_note"],
                cycle=form.cleaned_data["cycle"],
            )
        except ValidationError as error:
            apply_validation_error(error, form)
        else:
            messages.success(request, f"Version {menu.version} is published; principals see it now.")
            return redirect("service_menu:unit_menu", unit_pk=menu.unit_id)
    return render(
        request,
        "service_menu/menu_version.html",
        {"menu": menu, "services": list(menu.services.select_related("tier", "content_area")), "publish_form": form},
        status=400,
    )


def service_edit(request: AuthenticatedRequest, menu_pk: int, pk: int | None = None) -> HttpResponse:
    menu = get_visible_or_404(
        request.user, Menu.objects.select_related("unit", "school_year"), "service_menu.view_menu", pk=menu_pk
    )
    require_perm(request.user, "service_menu.edit_menu", menu)
    instance = get_object_or_404(Service, pk=pk, menu=menu) if pk else Service(menu=menu)
    form = ServiceForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_save(service=form.save(commit=False))
        except ValidationError as error:
            apply_validation_error(error, form)
        else:
            messages.success(request, "Service saved on the draft.")
            return redirect("service_menu:menu_version", pk=menu.pk)
    return render(request, "service_menu/service_form.html", {"form": form, "menu": menu, "service": instance})


@require_POST
def service_remove(request: AuthenticatedRequest, menu_pk: int, pk: int) -> HttpResponse:
    menu = get_visible_or_404(request.user, Menu.objects.select_related("unit"), "service_menu.view_menu", pk=menu_pk)
    require_perm(request.user, "service_menu.edit_menu", menu)
    service = get_object_or_404(Service, pk=pk, menu=menu)
    try:
        services.service_remove(service=service)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"“{service.title}” is off the draft.")
    return redirect("service_menu:menu_version", pk=menu.pk)


# --- Requests -------------------------------------------------------------------------


def _request_schools(request: AuthenticatedRequest) -> QuerySet[School]:
    roles = roles_for(request.user)
    ids = set(roles.caseload_school_ids)
    if roles.principal_school_id:
        ids.add(roles.principal_school_id)
    return School.objects.filter(pk__in=ids).order_by("name")


def request_create(request: AuthenticatedRequest, service_pk: int) -> HttpResponse:
    require_perm(request.user, "service_menu.make_requests")
    service = get_object_or_404(Service.objects.select_related("menu__unit", "tier"), pk=service_pk)
    if not can(request.user, "service_menu.view_menu", service.menu):
        raise Http404
    schools = _request_schools(request)
    visit = None
    if request.GET.get("visit", "").isdigit():
        visit = Visit.objects.filter(pk=request.GET["visit"], ild=request.user).select_related("school").first()
    goals = GrowthGoal.objects.filter(
        school__in=schools, status__in=[GrowthGoal.Status.DRAFT, GrowthGoal.Status.ACTIVE]
    ).select_related("school", "practice")
    taken_from = None
    if request.GET.get("taken_from", "").isdigit():
        taken_from = Request.objects.filter(
            pk=request.GET["taken_from"], status=Request.Status.DECLINED, school__in=schools
        ).first()
    initial: dict[str, Any] = {}
    if taken_from is not None:
        initial = {
            "school": taken_from.school,
            "growth_goal": taken_from.growth_goal,
            "improvement_priority": taken_from.improvement_priority,
            "rationale": taken_from.rationale,
        }
    if visit is not None:
        initial = {
            "school": visit.school,
            "rationale": f"Brokered in the visit of {visit.date:%b %-d}: {visit.brokered_resource}",
        }
    form = RequestForm(request.POST or None, schools=schools, goals=goals, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
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
        except ValidationError as error:
            apply_validation_error(error, form)
        else:
            messages.success(request, f"Request sent to {service.menu.unit}.")
            return redirect("service_menu:request_detail", pk=created.pk)
    return render(
        request,
        "service_menu/request_form.html",
        {"form": form, "service": service, "visit": visit, "taken_from": taken_from},
    )


def request_from_visit(request: AuthenticatedRequest, visit_pk: int) -> HttpResponse:
    """The brokering link: a resource brokered in a visit becomes a request with one action."""
    visit = get_visible_or_404(request.user, Visit.objects.all(), "coaching.change_visit", pk=visit_pk)
    service_pk = request.GET.get("service", "")
    if not service_pk.isdigit():
        raise Http404
    return redirect(f"{reverse('service_menu:request_create', args=[int(service_pk)])}?visit={visit.pk}")


def _request_for(request: AuthenticatedRequest, pk: int) -> Request:
    return get_visible_or_404(request.user, selectors.request_detail(), "service_menu.view_request", pk=pk)


def _decline_form(data: Any = None) -> DeclineForm:
    return DeclineForm(
        data,
        services=selectors.catalog_services().order_by("menu__unit__name", "title"),
        terms=Term.objects.filter(end_date__gte=timezone.localdate()).select_related("school_year"),
    )


def request_detail(
    request: AuthenticatedRequest, pk: int, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    obj = _request_for(request, pk)
    actions = services.legal_actions(obj)
    allowed = {
        name
        for name in actions
        if (services.TRANSITIONS[name].by_unit and can(request.user, "service_menu.answer_request", obj))
        or (name == "endorse" and can(request.user, "service_menu.endorse_request", obj))
        or (name == "cancel" and can(request.user, "service_menu.cancel_request", obj))
    }
    context = {
        "req": obj,
        "allowed": allowed,
        "transitions": services.TRANSITIONS,
        "schedule_form": ScheduleForm(),
        "decline_form": _decline_form(),
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
    perm = (
        "service_menu.answer_request"
        if transition.by_unit
        else "service_menu.endorse_request"
        if action == "endorse"
        else "service_menu.cancel_request"
    )
    require_perm(request.user, perm, obj)
    version = request.POST.get("version", "")
    kwargs: dict[str, Any] = {}
    form: BaseForm | None = None
    if action == "schedule":
        form = ScheduleForm(request.POST)
    elif action == "decline":
        form = _decline_form(request.POST)
    if form is not None:
        if not form.is_valid():
            return request_detail(request, pk, {f"{action}_form": form, "open_action": action}, status=400)
        kwargs = form.cleaned_data
    try:
        result = services.request_transition(
            request=obj,
            action=action,
            by=request.user,
            expected_version=int(version) if version.isdigit() else None,
            note=request.POST.get("note", ""),
            **kwargs,
        )
    except (services.EditConflict, ValidationError) as problem:
        if request.htmx and request.htmx.target and request.htmx.target.startswith("request-row-"):
            note = (
                "Someone else answered it first."
                if isinstance(problem, services.EditConflict)
                else " ".join(problem.messages)
            )
            return render(
                request, "service_menu/workspace.html#request-row", {"row": obj, "message": note, "failed": True}
            )
        if isinstance(problem, ValidationError):
            if form is not None:
                apply_validation_error(problem, form)
                return request_detail(request, pk, {f"{action}_form": form, "open_action": action}, status=400)
            messages.error(request, " ".join(problem.messages))
            return redirect("service_menu:request_detail", pk=obj.pk)
        clash = problem
        messages.warning(
            request,
            f"Someone else answered this request first (it is now {clash.current.get_status_display().lower()}). "
            "Nothing was overwritten; review it below.",
        )
        return redirect("service_menu:request_detail", pk=obj.pk)
    if request.htmx and request.htmx.target and request.htmx.target.startswith("request-row-"):
        return render(
            request, "service_menu/workspace.html#request-row", {"row": result.request, "message": result.message}
        )
    messages.success(request, result.message)
    return redirect("service_menu:request_detail", pk=obj.pk)


@require_POST
def delivery_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    obj = _request_for(request, pk)
    require_perm(request.user, "service_menu.answer_request", obj)
    form = DeliveryForm(request.POST)
    if form.is_valid():
        try:
            services.delivery_log_add(request=obj, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(error, form)
        else:
            messages.success(request, "Delivery logged.")
            return redirect("service_menu:request_detail", pk=obj.pk)
    return request_detail(request, pk, {"delivery_form": form}, status=400)


def request_list(request: AuthenticatedRequest) -> HttpResponse:
    require_perm(request.user, "service_menu.list_requests")
    filterset = RequestFilter(request.GET, queryset=selectors.requests_visible_to(roles=roles_for(request.user)))
    return render_table_page(
        request,
        template_name="service_menu/request_list.html",
        table=RequestTable(filterset.qs),
        filterset=filterset,
        export_name="requests",
    )


def workspace(request: AuthenticatedRequest) -> HttpResponse:
    require_perm(request.user, "service_menu.view_workspace")
    unit = roles_for(request.user).unit
    assert unit is not None  # noqa: S101 - view_workspace guarantees a unit
    requests = selectors.request_queryset().filter(service__menu__unit=unit)
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


def school_360(request: AuthenticatedRequest, code: str) -> HttpResponse:
    school = get_visible_or_404(
        request.user, School.objects.select_related("principal", "cluster"), "service_menu.view_school_360", code=code
    )
    return render(request, "service_menu/school_360.html", {"view": selectors.school_360(school=school)})


def unit_measures(request: AuthenticatedRequest, unit_pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=unit_pk)
    require_perm(request.user, "service_menu.view_measures", unit)
    return render(request, "service_menu/measures.html", {"m": selectors.unit_measures(unit=unit)})
