"""Visits: the list, the phone-first form (also sent from the offline queue), its page, the principal's
reflection, its PDF, and the next-step rows the form adds and removes over htmx."""

from __future__ import annotations

import re
import uuid
from typing import cast

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import time_format
from django.views.decorators.http import require_GET, require_POST
from django_tables2.paginators import LazyPaginator

from coaching import selectors, services
from coaching.filters import VisitFilter
from coaching.forms import (
    NEXT_STEP_PREFIX,
    BaseNextStepFormSet,
    NextStepForm,
    NextStepFormSet,
    ReflectionForm,
    VisitForm,
    date_or_none,
    next_step_initial,
)
from coaching.models import NextStep, Visit
from coaching.tables import VisitTable
from district.access import can, get_visible_or_404, require_perm
from district.answers import failed_action
from district.history import history_rows
from district.http import AuthenticatedRequest
from district.listing import render_table_page
from district.models import School
from district.offline import keep_offline
from district.pdf import pdf_response
from district.roles import roles_for
from service_menu.selectors import requestable_services

# --- Visits ---------------------------------------------------------------------------


def visit_list(request: AuthenticatedRequest) -> HttpResponseBase:
    require_perm(request.user, "coaching.list_visits")
    filterset = VisitFilter(request.GET, queryset=selectors.visits_visible_to(roles=roles_for(request.user)))
    return render_table_page(
        request,
        template_name="coaching/visit_list.html",
        table=VisitTable(filterset.qs),
        filterset=filterset,
        export_name="visits",
        # The district's history is hundreds of thousands of visits: pages without a total.
        paginator_class=LazyPaginator,
    )


def _chosen_school(request: AuthenticatedRequest, schools: QuerySet[School], visit: Visit | None) -> School | None:
    """The visit's school: fixed once a visit exists, else the one picked in the form."""
    if visit is not None:
        return visit.school
    raw = request.POST.get("school") or request.GET.get("school") or ""
    if raw.isdigit():
        return schools.filter(pk=raw).first()
    return schools.filter(code=raw).first() if raw else None


VISIT_FORM_PARTS = frozenset({"focus-fields", "observed-level", "status-field"})


def _visit_form_page(request: AuthenticatedRequest, visit: Visit | None) -> HttpResponse:
    roles = roles_for(request.user)
    schools = School.objects.filter(pk__in=roles.caseload_school_ids).order_by("name")
    school = _chosen_school(request, schools, visit)
    goals = selectors.goals_for_form(roles=roles, school=school)
    instance = visit or Visit(ild=request.user, date=timezone.localdate())
    if visit is None and school is not None:
        instance.school = school
    if request.htmx and request.htmx.target in VISIT_FORM_PARTS and not request.htmx.history_restore_request:
        # The school, the goals ticked or the date changed: redraw what depends on them.
        if visit is None:
            instance.date = date_or_none(request.GET.get("date", "")) or instance.date
        form = VisitForm(
            instance=instance, schools=schools, goals=goals, focus_goal_ids=request.GET.getlist("focus_goals")
        )
        return render(request, f"coaching/visit_form.html#{request.htmx.target}", {"form": form, "school": school})
    conflict: Visit | None = None
    formset_errors: list[str] = []
    as_json = "application/json" in request.headers.get("Accept", "")
    if request.method == "POST":
        sent_before = _sent_from_phone_before(request) if visit is None else None
        if sent_before is not None:
            return _visit_saved(request, sent_before, as_json=as_json)
        form = VisitForm(request.POST, instance=instance, schools=schools, goals=goals)
        formset = cast(BaseNextStepFormSet, NextStepFormSet(request.POST, prefix=NEXT_STEP_PREFIX))
        if form.is_valid() and formset.is_valid():
            with failed_action(form, elsewhere={"next_steps": formset_errors}) as failed:
                saved = services.visit_save(
                    ild=request.user,
                    visit=form.save(commit=False),
                    moves=form.cleaned_data["moves"],
                    focus_goals=form.cleaned_data["focus_goals"],
                    next_steps=formset.kept(),
                    removed_step_ids=formset.removed_ids(),
                    expected_version=form.cleaned_data.get("version"),
                    client_id=form.cleaned_data.get("client_id"),
                )
                return _visit_saved(request, saved, as_json=as_json)
            conflict = failed.current
        if as_json:
            return _visit_refused(form, formset, formset_errors, conflict)
    else:
        form = VisitForm(instance=instance, schools=schools, goals=goals)
        formset = cast(
            BaseNextStepFormSet,
            NextStepFormSet(prefix=NEXT_STEP_PREFIX, initial=next_step_initial(visit) if visit else None),
        )
    page = render(
        request,
        "coaching/visit_form.html",
        {
            "form": form,
            "formset": formset,
            "formset_errors": formset_errors,
            "visit": visit,
            "school": school,
            "conflict": conflict,
            "no_schools": not schools.exists(),
        },
    )
    # A blank new-visit form holds nothing private: the phone may keep it to log visits offline.
    return keep_offline(page, request=request) if visit is None else page


# Sent by the phone with a visit it queued while offline: it says so itself, no message to flash.
SEND_HEADER = "Schoolward-Send"


def _sent_from_phone_before(request: AuthenticatedRequest) -> Visit | None:
    """The visit this ILD's phone already sent with the same id, when this is a repeat."""
    try:
        client_id = uuid.UUID(request.POST.get("client_id", ""))
    except ValueError:
        return None
    return selectors.visit_sent_from_phone(ild=request.user, client_id=client_id)


def _visit_saved(request: AuthenticatedRequest, visit: Visit, *, as_json: bool) -> HttpResponse:
    url = reverse("coaching:visit_detail", args=[visit.pk])
    if request.headers.get(SEND_HEADER) != "queued":
        messages.success(request, "Visit saved.")
    if as_json:
        return JsonResponse({"saved": True, "id": visit.pk, "url": url})
    return redirect(url)


def _visit_refused(
    form: VisitForm, formset: BaseNextStepFormSet, formset_errors: list[str], conflict: Visit | None
) -> JsonResponse:
    """Why a save sent by the phone was refused, in words the phone shows beside its draft."""
    if conflict is not None:
        at = time_format(timezone.localtime(conflict.updated_at), "H:i")
        return JsonResponse(
            {
                "saved": False,
                "conflict": True,
                "message": f"Someone else saved this visit after you opened it (at {at}). Nothing was overwritten.",
                "url": reverse("coaching:visit_detail", args=[conflict.pk]),
                "version": conflict.version,
            },
            status=409,
        )
    errors = [
        f"{form[name].label}: {message}" if name in form.fields and not form[name].is_hidden else message
        for name, messages_ in form.errors.items()
        for message in messages_
    ]
    errors += [*formset.non_form_errors(), *formset_errors]
    for number, step in enumerate(formset.forms, start=1):
        for name, messages_ in step.errors.items():
            label = step[name].label if name in step.fields and not step[name].is_hidden else ""
            errors += [f"Next step {number}{f', {label}' if label else ''}: {message}" for message in messages_]
    return JsonResponse(
        {"saved": False, "message": "Schoolward did not save this visit.", "errors": errors}, status=422
    )


def visit_create(request: AuthenticatedRequest) -> HttpResponse:
    require_perm(request.user, "coaching.log_visit")
    return _visit_form_page(request, None)


@require_GET
def visit_form_data(request: AuthenticatedRequest) -> JsonResponse:
    """What the visit form needs to work offline: the caseload, its goals and the rubric's levels."""
    require_perm(request.user, "coaching.log_visit")
    data = selectors.visit_form_data(roles=roles_for(request.user))
    # The words the form's own template uses around the goals, for the phone to draw them alike.
    data["labels"] = {
        "focus_goals": str(VisitForm.base_fields["focus_goals"].label),
        "observed_level": str(VisitForm.base_fields["observed_level"].label),
        "choose_school": "Choose the school to see its growth goals.",
        "no_goals": "has no draft or active growth goal.",
        "tick_a_goal": "Tick a goal in focus to record the principal's observed level on its practice.",
    }
    return keep_offline(JsonResponse(data), request=request)


def _visit_for(request: AuthenticatedRequest, pk: int, perm: str = "coaching.view_visit") -> Visit:
    return get_visible_or_404(request.user, selectors.visit_queryset(), perm, pk=pk)


def visit_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    visit = _visit_for(request, pk)
    require_perm(request.user, "coaching.change_visit", visit)
    return _visit_form_page(request, visit)


# Set by the system beside a change a person made, so they say nothing more in the history.
VISIT_BOOKKEEPING = frozenset({"reflection_at", "principal_notified_at"})


def _visit_page(
    request: AuthenticatedRequest, visit: Visit, reflection_form: ReflectionForm | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "coaching/visit_detail.html",
        {
            "visit": visit,
            "history": history_rows(visit.history, hidden=VISIT_BOOKKEEPING),
            "brokering_services": (
                requestable_services()
                if visit.brokered_resource and can(request.user, "coaching.change_visit", visit)
                else []
            ),
            "reflection_form": reflection_form
            or ReflectionForm(initial={"principal_reflection": visit.principal_reflection}),
        },
        status=status,
    )


def visit_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _visit_page(request, _visit_for(request, pk))


@require_POST
def visit_reflect(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    visit = _visit_for(request, pk)
    require_perm(request.user, "coaching.reflect_on_visit", visit)
    form = ReflectionForm(request.POST)
    if form.is_valid():
        services.visit_reflect(
            visit=visit, principal=request.user, reflection=form.cleaned_data["principal_reflection"]
        )
        messages.success(request, "Your reflection is saved; your ILD will see it.")
        return redirect("coaching:visit_detail", pk=visit.pk)
    return _visit_page(request, visit, reflection_form=form, status=400)


def visit_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    visit = _visit_for(request, pk)
    return pdf_response(
        "coaching/pdf/visit.html",
        {"visit": visit},
        filename=f"visit-{visit.school.code}-{visit.date:%Y-%m-%d}.pdf",
        request=request,
    )


# --- Next steps (htmx fragments) ------------------------------------------------------


@require_GET
def next_step_row(request: AuthenticatedRequest) -> HttpResponse:
    """A blank next-step row for the visit form, and the counters that follow it."""
    require_perm(request.user, "coaching.log_visit")
    try:
        index = max(0, min(int(request.GET.get("index", "0")), 50))
    except ValueError:
        index = 0
    form = NextStepForm(prefix=f"{NEXT_STEP_PREFIX}-{index}", initial={"owner": request.GET.get("owner", "principal")})
    return render(
        request,
        "coaching/visit_form.html#next-step-added",
        {"step_form": form, "index": index, "next_index": index + 1},
    )


@require_GET
def next_step_removed(request: AuthenticatedRequest) -> HttpResponse:
    """What stays of a removed next-step row: the marks that tell the form to drop it."""
    require_perm(request.user, "coaching.log_visit")
    prefix = request.GET.get("prefix", "")
    if not re.fullmatch(rf"{NEXT_STEP_PREFIX}-\d{{1,3}}", prefix):
        raise Http404
    step_id = request.GET.get("id", "")
    return render(
        request,
        "coaching/includes/next_step_form.html#removed",
        {"prefix": prefix, "step_id": step_id if step_id.isdigit() else ""},
    )


@require_POST
def next_step_toggle(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    step = get_object_or_404(NextStep.objects.select_related("visit__school"), pk=pk)
    if not can(request.user, "coaching.view_visit", step.visit):
        raise Http404
    require_perm(request.user, "coaching.tick_next_step", step)
    step = services.next_step_set_done(step=step, user=request.user, done=request.POST.get("done") == "on")
    if request.htmx:
        return render(request, "coaching/includes/next_step.html#step", {"step": step, "can_tick": True})
    return redirect("coaching:visit_detail", pk=step.visit_id)
