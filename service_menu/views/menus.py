"""The service catalog, a unit's menu and its versions (draft, publish, revise), and their PDFs."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from district.access import can, get_visible_or_404, require_perm
from district.answers import answer, failed_action
from district.http import AuthenticatedRequest
from district.listing import render_table_page
from district.models import School, SchoolYear, Unit
from district.pdf import page_size_key, pdf_response
from district.roles import roles_for
from documents.views import document_response
from service_menu import selectors, services
from service_menu.filters import CatalogFilter
from service_menu.forms import PublishForm, ServiceForm
from service_menu.models import Menu, Service
from service_menu.tables import CatalogTable

# --- Catalog and menus ----------------------------------------------------------------


def _viewer_cluster_ids(request: AuthenticatedRequest) -> set[int] | None:
    """The clusters of the schools this person asks for; None for people who ask for none."""
    roles = roles_for(request.user)
    ids = {roles.principal_school.cluster_id} if roles.principal_school else set()
    if roles.caseload_school_ids:
        ids |= set(School.objects.filter(pk__in=roles.caseload_school_ids).values_list("cluster_id", flat=True))
    return ids or None


def catalog(request: AuthenticatedRequest) -> HttpResponseBase:
    filterset = CatalogFilter(request.GET, queryset=selectors.catalog_services())
    return render_table_page(
        request,
        template_name="service_menu/catalog.html",
        table=CatalogTable(filterset.qs, viewer_cluster_ids=_viewer_cluster_ids(request)),
        filterset=filterset,
        export_name="service-catalog",
    )


def catalog_pdf(request: AuthenticatedRequest) -> HttpResponse:
    """Built in the background (see service_menu/documents.py); served at once when nothing changed."""
    return document_response(request, kind="service_catalog", params={"size": page_size_key(request)})


def service_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(
        Service.objects.select_related("menu__unit__cluster", "menu__school_year", "tier", "content_area"), pk=pk
    )
    if not can(request.user, "service_menu.view_menu", service.menu):
        raise Http404
    term = selectors.current_term()
    selectors.with_remaining_capacity([service], term)
    cluster_ids = _viewer_cluster_ids(request) if service.cluster_only else None
    not_offered = cluster_ids is not None and service.menu.unit.cluster_id not in cluster_ids
    return render(
        request, "service_menu/service_detail.html", {"service": service, "term": term, "not_offered": not_offered}
    )


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
    groups = selectors.catalog_grouped(services_)
    return pdf_response(
        "service_menu/pdf/catalog.html",
        {
            "groups": groups,
            "tier_list": selectors.tiers_in(groups),
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
        with failed_action(form):
            services.menu_publish(
                menu=menu,
                by=request.user,
                change_note=form.cleaned_data["change_note"],
                cycle=form.cleaned_data["cycle"],
            )
            return answer(
                request,
                f"Version {menu.version} is published; principals see it now.",
                back_to=reverse("service_menu:unit_menu", args=[menu.unit_id]),
            )
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
        with failed_action(form):
            services.service_save(service=form.save(commit=False))
            return answer(
                request, "Service saved on the draft.", back_to=reverse("service_menu:menu_version", args=[menu.pk])
            )
    return render(request, "service_menu/service_form.html", {"form": form, "menu": menu, "service": instance})


@require_POST
def service_remove(request: AuthenticatedRequest, menu_pk: int, pk: int) -> HttpResponse:
    menu = get_visible_or_404(request.user, Menu.objects.select_related("unit"), "service_menu.view_menu", pk=menu_pk)
    require_perm(request.user, "service_menu.edit_menu", menu)
    service = get_object_or_404(Service, pk=pk, menu=menu)
    with failed_action() as failed:
        services.service_remove(service=service)
        return answer(
            request,
            f"“{service.title}” is off the draft.",
            back_to=reverse("service_menu:menu_version", args=[menu.pk]),
        )
    return answer(request, failed.says(), back_to=reverse("service_menu:menu_version", args=[menu.pk]), failed=True)
