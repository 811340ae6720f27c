"""Cycle-of-inquiry pages: the unit's workspace, one cycle, the executive overview, and
"you said, we did" for principals."""

from __future__ import annotations

from collections.abc import Iterable

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_tables2.paginators import LazyPaginator

from cycles.inquiry import selectors, services
from cycles.inquiry.forms import ActionForm, CheckInForm, CloseCycleForm, CycleForm
from cycles.inquiry.models import CycleOfInquiry, PlanAction
from cycles.satisfaction.models import SurveyItem
from district.access import can, require_perm
from district.answers import answer, failed_action
from district.exports import csv_response
from district.history import history_rows
from district.http import AuthenticatedRequest
from district.listing import export_rows, render_table_page
from district.models import Term, Unit
from district.pdf import page_size_key
from district.tables import WIDE_ONLY
from documents.views import document_response

ACTION_CHANGED = "Someone else updated this action after you opened it; nothing was overwritten. Reload to see it."


def unit_cycles(request: AuthenticatedRequest, unit_pk: int) -> HttpResponseBase:
    unit = get_object_or_404(Unit.objects.select_related("head"), pk=unit_pk)
    require_perm(request.user, "cycles.view_cycles", unit)
    if request.GET.get("export") == "csv":
        table = CycleTable(selectors.cycle_queryset().filter(unit=unit).order_by("status", "-opened_at"))
        return csv_response(f"cycles-{unit.pk}.csv", export_rows(table, exclude=("unit",)))
    return render(
        request,
        "cycles/inquiry/unit_cycles.html",
        {
            "unit": unit,
            "cycles": selectors.unit_cycles(unit=unit),
            "can_open": can(request.user, "cycles.open_cycle", unit),
        },
    )


def _cycle_for(request: AuthenticatedRequest, pk: int) -> CycleOfInquiry:
    cycle = get_object_or_404(selectors.cycle_detail(), pk=pk)
    require_perm(request.user, "cycles.view_cycles", cycle.unit)
    return cycle


def cycle_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    cycle = _cycle_for(request, pk)
    return render(
        request,
        "cycles/inquiry/cycle_detail.html",
        {
            "cycle": cycle,
            "result": services.cycle_result(cycle),
            "can_edit": can(request.user, "cycles.edit_cycle", cycle) and cycle.status == CycleOfInquiry.Status.ACTIVE,
            "action_form": ActionForm(unit=cycle.unit, initial={"due_date": timezone.localdate()}),
            "close_form": CloseCycleForm(),
            "history": history_rows(cycle.history, limit=15, hidden=frozenset({"closed_at"})),
        },
    )


def cycle_edit(request: AuthenticatedRequest, unit_pk: int | None = None, pk: int | None = None) -> HttpResponse:
    if pk is not None:
        cycle = _cycle_for(request, pk)
        require_perm(request.user, "cycles.edit_cycle", cycle)
        if cycle.status == CycleOfInquiry.Status.CLOSED:
            messages.error(request, "This cycle is closed; its record stays as it was decided.")
            return redirect("inquiry:cycle_detail", pk=cycle.pk)
        unit = cycle.unit
    else:
        unit = get_object_or_404(Unit, pk=unit_pk)
        require_perm(request.user, "cycles.open_cycle", unit)
        cycle = CycleOfInquiry(unit=unit)
    initial = {}
    item = None
    if pk is None:
        item_id, term_id = request.GET.get("item", ""), request.GET.get("term", "")
        item = SurveyItem.objects.filter(pk=item_id).first() if item_id.isdigit() else None
        term = Term.objects.filter(pk=term_id).first() if term_id.isdigit() else None
        initial = {"metric_item": item, "baseline_term": term}
    form = CycleForm(request.POST or None, instance=cycle, unit=unit, initial=initial)
    conflict = None
    # Another active cycle on the same item is told before saving, and a second one needs a yes.
    others = (
        selectors.active_cycles_on_metric(unit_id=unit.pk, item_id=item.pk)
        if item is not None and request.method != "POST"
        else []
    )
    if request.method == "POST" and form.is_valid():
        if pk is None or "metric_item" in form.changed_data:
            others = selectors.active_cycles_on_metric(
                unit_id=unit.pk, item_id=form.cleaned_data["metric_item"].pk, exclude_pk=cycle.pk
            )
        if others and request.POST.get("second_cycle") != "yes":
            return render(
                request,
                "cycles/inquiry/cycle_form.html",
                {"form": form, "unit": unit, "cycle": cycle, "others": others, "confirm_second": True},
            )
        with failed_action(form) as failed:
            saved = services.cycle_save(
                cycle=form.save(commit=False), by=request.user, expected_version=form.cleaned_data.get("version")
            )
            return answer(request, "Cycle saved.", back_to=reverse("inquiry:cycle_detail", args=[saved.pk]))
        conflict = failed.current
    return render(
        request,
        "cycles/inquiry/cycle_form.html",
        {"form": form, "unit": unit, "cycle": cycle, "conflict": conflict, "others": others},
    )


@require_POST
def cycle_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    cycle = _cycle_for(request, pk)
    require_perm(request.user, "cycles.edit_cycle", cycle)
    form = CloseCycleForm(request.POST)
    if form.is_valid():
        with failed_action(form):
            services.cycle_close(cycle=cycle, by=request.user, **form.cleaned_data)
            return answer(
                request,
                "Cycle closed. Its lessons stay with the unit.",
                back_to=reverse("inquiry:cycle_detail", args=[cycle.pk]),
            )
    return render(
        request,
        "cycles/inquiry/cycle_detail.html",
        {
            "cycle": cycle,
            "result": services.cycle_result(cycle),
            "can_edit": True,
            "action_form": ActionForm(unit=cycle.unit),
            "close_form": form,
            "open_close": True,
        },
        status=400,
    )


def action_edit(request: AuthenticatedRequest, cycle_pk: int, pk: int | None = None) -> HttpResponse:
    cycle = _cycle_for(request, cycle_pk)
    require_perm(request.user, "cycles.edit_cycle", cycle)
    if cycle.status == CycleOfInquiry.Status.CLOSED:
        messages.error(request, "This cycle is closed; its plan can no longer change.")
        return redirect("inquiry:cycle_detail", pk=cycle.pk)
    action = get_object_or_404(PlanAction, pk=pk, cycle=cycle) if pk else PlanAction(cycle=cycle)
    form = ActionForm(request.POST or None, instance=action, unit=cycle.unit)
    conflict = None
    if request.method == "POST" and form.is_valid():
        with failed_action(form) as failed:
            services.action_save(action=form.save(commit=False), expected_version=form.cleaned_data.get("version"))
            return answer(request, "Action saved.", back_to=reverse("inquiry:cycle_detail", args=[cycle.pk]))
        conflict = failed.current
    return render(
        request,
        "cycles/inquiry/action_form.html",
        {"form": form, "cycle": cycle, "action": action, "conflict": conflict},
    )


def action_check_in(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(PlanAction.objects.select_related("cycle__unit", "owner"), pk=pk)
    require_perm(request.user, "cycles.view_cycles", action.cycle.unit)
    require_perm(request.user, "cycles.update_action", action)
    if action.cycle.status == CycleOfInquiry.Status.CLOSED:
        messages.error(request, "This cycle is closed; its plan can no longer change.")
        return redirect("inquiry:cycle_detail", pk=action.cycle_id)
    form = CheckInForm(request.POST or None, initial={"status": action.status, "version": action.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with failed_action(form, conflict=ACTION_CHANGED):
            services.action_check_in(
                action=action, by=request.user, note=data["note"], status=data["status"], evidence=data["evidence"],
                expected_version=data.get("version"),
            )  # fmt: skip
            return answer(request, "Check-in saved.", back_to=reverse("inquiry:cycle_detail", args=[action.cycle_id]))
    return render(request, "cycles/inquiry/check_in.html", {"form": form, "action": action})


def my_actions(request: AuthenticatedRequest) -> HttpResponse:
    actions = PlanAction.objects.filter(owner=request.user).select_related("cycle__unit").order_by("status", "due_date")
    return render(request, "cycles/inquiry/my_actions.html", {"actions": actions})


class CycleTable(tables.Table):
    unit = tables.Column(accessor="unit__name", verbose_name="Unit")
    title = tables.Column(linkify=("inquiry:cycle_detail", {"pk": tables.A("pk")}))
    stage = tables.Column(attrs=WIDE_ONLY)
    status = tables.Column()
    done_actions = tables.Column(verbose_name="Actions done", attrs=WIDE_ONLY)
    overdue_actions = tables.Column(verbose_name="Overdue")
    result = tables.Column(empty_values=(), orderable=False, verbose_name="Baseline → result")

    class Meta:
        model = CycleOfInquiry
        fields = ("unit", "title", "stage", "status", "done_actions", "overdue_actions", "result")
        empty_text = "No cycles of inquiry yet."

    def before_render(self, request: object) -> None:
        """Read every shown cycle's baseline and result in one query, not one per row."""
        selectors.attach_readings(row.record for row in self.paginated_rows)

    def prepare_export(self, records: Iterable[CycleOfInquiry]) -> None:
        """Read a chunk of exported cycles' readings in one query."""
        selectors.attach_readings(records)

    def render_result(self, record: CycleOfInquiry) -> str:
        readings = getattr(record, "readings", None)
        if readings is None:
            return "—"

        def shown(cell: object) -> str:
            mean = getattr(cell, "mean", None)
            return "suppressed" if cell is not None and mean is None else (f"{mean:.2f}" if mean is not None else "—")

        result = shown(readings.result) if readings.target_closed else "pending"
        return f"{shown(readings.baseline)} → {result}"

    def value_result(self, record: CycleOfInquiry) -> str:
        return self.render_result(record)


class CycleFilter(django_filters.FilterSet):
    unit = django_filters.ModelChoiceFilter(queryset=Unit.objects.all(), empty_label="All units")
    stage = django_filters.ChoiceFilter(choices=CycleOfInquiry.Stage.choices, empty_label="Any stage")
    status = django_filters.ChoiceFilter(choices=CycleOfInquiry.Status.choices, empty_label="Any status")
    overdue = django_filters.BooleanFilter(
        method="with_overdue", label="With overdue actions", widget=forms.CheckboxInput
    )

    class Meta:
        model = CycleOfInquiry
        fields = ["unit", "stage", "status", "overdue"]

    def with_overdue(self, queryset: QuerySet[CycleOfInquiry], name: str, value: bool) -> QuerySet[CycleOfInquiry]:
        # overdue_actions is annotated by cycle_queryset(), which the stubs cannot see.
        return queryset.filter(overdue_actions__gt=0) if value else queryset  # type: ignore[misc]


def overview(request: AuthenticatedRequest) -> HttpResponseBase:
    require_perm(request.user, "cycles.view_overview")
    filterset = CycleFilter(request.GET, queryset=selectors.cycle_queryset().order_by("unit__name", "-opened_at"))
    return render_table_page(
        request,
        template_name="cycles/inquiry/overview.html",
        table=CycleTable(filterset.qs),
        filterset=filterset,
        export_name="cycles",
        # Every cycle the district ever ran: pages without counting them all.
        paginator_class=LazyPaginator,
    )


def you_said_we_did(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "cycles/inquiry/you_said.html", {"groups": selectors.you_said_we_did()})


def unit_cabinet_pdf(request: AuthenticatedRequest, unit_pk: int) -> HttpResponse:
    """Built in the background (see cycles/documents.py); served at once when nothing changed."""
    unit = get_object_or_404(Unit, pk=unit_pk)
    require_perm(request.user, "cycles.view_cycles", unit)
    return document_response(
        request, kind="unit_cabinet_report", params={"unit": unit.pk, "size": page_size_key(request)}
    )


def district_packet_pdf(request: AuthenticatedRequest) -> HttpResponse:
    """Built in the background (see cycles/documents.py); served at once when nothing changed."""
    require_perm(request.user, "cycles.view_overview")
    return document_response(request, kind="cabinet_packet", params={"size": page_size_key(request)})
