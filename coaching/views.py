from __future__ import annotations

import datetime
import re
import uuid
from typing import cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import time_format
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh
from django_tables2.paginators import LazyPaginator

from coaching import calendar, selectors, services
from coaching.filters import CaseloadFilter, VisitFilter
from coaching.forms import (
    NEXT_STEP_PREFIX,
    BaseNextStepFormSet,
    GoalForm,
    NextStepForm,
    NextStepFormSet,
    ReflectionForm,
    VisitForm,
    date_or_none,
    next_step_initial,
)
from coaching.models import CalendarFeed, GrowthGoal, NextStep, Visit
from coaching.tables import CaseloadTable, VisitTable
from district.access import can, get_visible_or_404, require_perm
from district.answers import answer, failed_action
from district.exports import csv_response
from district.history import history_rows
from district.http import AuthenticatedRequest
from district.listing import render_table_page
from district.models import School, SchoolYear
from district.offline import keep_offline
from district.pdf import pdf_response
from district.roles import roles_for
from district.templatetags.schoolward import percent
from service_menu.selectors import requestable_services

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


# --- Growth goals ---------------------------------------------------------------------


def _goal_schools(request: AuthenticatedRequest) -> QuerySet[School]:
    roles = roles_for(request.user)
    ids = set(roles.caseload_school_ids)
    if roles.principal_school_id:
        ids.add(roles.principal_school_id)
    return School.objects.filter(pk__in=ids).order_by("name")


def goal_create(request: AuthenticatedRequest) -> HttpResponse:
    require_perm(request.user, "coaching.add_goal")
    schools = _goal_schools(request)
    initial = {}
    if request.GET.get("school"):
        initial["school"] = schools.filter(code=request.GET["school"]).first()
    form = GoalForm(request.POST or None, schools=schools, initial=initial)
    if request.method == "POST" and form.is_valid():
        with failed_action(form):
            goal = services.goal_save(goal=form.save(commit=False), author=request.user)
            confirm = (
                "Confirm it to make it active."
                if roles_for(request.user).principal_school_id == goal.school_id
                else "The principal confirms it to make it active."
            )
            return answer(request, f"Goal drafted. {confirm}", back_to=reverse("coaching:goal_detail", args=[goal.pk]))
    return render(request, "coaching/goal_form.html", {"form": form, "goal": None})


def _goal_queryset() -> QuerySet[GrowthGoal]:
    return GrowthGoal.objects.select_related(
        "school__principal",
        "school_year",
        "practice",
        "baseline_level",
        "target_level",
        "drafted_by",
        "carried_from__school_year",
    )


def goal_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    goal = get_visible_or_404(request.user, _goal_queryset(), "coaching.view_goal", pk=pk)
    later_years = SchoolYear.objects.filter(start_date__gt=goal.school_year.start_date).order_by("start_date")
    return render(
        request,
        "coaching/goal_detail.html",
        {
            "goal": goal,
            "carried_into": GrowthGoal.objects.filter(carried_from=goal).select_related("school_year").first(),
            "later_years": later_years,
            "history": history_rows(goal.history, hidden=frozenset({"confirmed_at"})),
        },
    )


def goal_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    goal = get_visible_or_404(request.user, _goal_queryset(), "coaching.view_goal", pk=pk)
    require_perm(request.user, "coaching.change_goal", goal)
    form = GoalForm(request.POST or None, instance=goal, schools=_goal_schools(request))
    conflict = None
    if request.method == "POST" and form.is_valid():
        with failed_action(form) as failed:
            services.goal_save(
                goal=form.save(commit=False), author=request.user, expected_version=form.cleaned_data.get("version")
            )
            return answer(request, "Goal saved.", back_to=reverse("coaching:goal_detail", args=[goal.pk]))
        conflict = failed.current
    return render(request, "coaching/goal_form.html", {"form": form, "goal": goal, "conflict": conflict})


@require_POST
def goal_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    goal = get_visible_or_404(request.user, _goal_queryset(), "coaching.view_goal", pk=pk)
    require_perm(request.user, "coaching.confirm_goal", goal)
    services.goal_confirm(goal=goal, principal=request.user)
    messages.success(request, "Goal confirmed: it is now active.")
    return redirect("coaching:goal_detail", pk=goal.pk)


@require_POST
def goal_carry_over(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    goal = get_visible_or_404(request.user, _goal_queryset(), "coaching.view_goal", pk=pk)
    require_perm(request.user, "coaching.carry_over_goal", goal)
    year_id = request.POST.get("school_year", "")
    year = SchoolYear.objects.filter(pk=year_id).first() if year_id.isdigit() else None
    if year is None:
        messages.error(request, "Choose the school year to carry the goal into.")
        return redirect("coaching:goal_detail", pk=goal.pk)
    with failed_action() as failed:
        carried = services.goal_carry_over(goal=goal, into_year=year, author=request.user)
        return answer(
            request,
            f"Goal carried into {year}; review it and confirm.",
            back_to=reverse("coaching:goal_detail", args=[carried.pk]),
        )
    return answer(request, failed.says(), back_to=reverse("coaching:goal_detail", args=[goal.pk]), failed=True)


# --- Principal growth view and report -------------------------------------------------


def _growth_for(request: AuthenticatedRequest, code: str) -> selectors.GrowthView:
    school = get_visible_or_404(
        request.user, School.objects.select_related("principal", "cluster"), "coaching.view_growth", code=code
    )
    year = None
    year_id = request.GET.get("year", "")
    if year_id.isdigit():
        year = SchoolYear.objects.filter(pk=year_id).first()
    year = year or SchoolYear.objects.current() or SchoolYear.objects.order_by("-start_date").first()
    if year is None:
        raise Http404("No school years are set up yet.")
    return selectors.growth_view(school=school, year=year, viewer=request.user)


def _growth_csv(view: selectors.GrowthView, table: str) -> HttpResponseBase:
    name = f"{table.replace('_', '-')}-{view.school.code}-{view.year.start_date:%Y}.csv"
    if table == "goals":
        header = ["Practice", "Status", "Goal", "Baseline", "Target", "Success criteria", "Principal", "Confirmed"]
        goals = [item.goal for item in view.goals]
        return csv_response(
            name,
            [header]
            + [
                [
                    goal.practice.name,
                    goal.get_status_display(),
                    goal.statement,
                    goal.baseline_level.name,
                    goal.target_level.name,
                    goal.success_criteria,
                    goal.principal.full_name,
                    f"{goal.confirmed_at:%Y-%m-%d}" if goal.confirmed_at else "",
                ]
                for goal in goals
            ],
        )
    header = ["Visit", "Owner", "Next step", "Due", "Done", "Done on"]
    return csv_response(
        name,
        [header]
        + [
            [
                f"{step.visit.date:%Y-%m-%d}",
                step.get_owner_display(),
                step.description,
                f"{step.due_date:%Y-%m-%d}",
                "yes" if step.done else ("overdue" if step.is_overdue else "no"),
                f"{step.done_at:%Y-%m-%d}" if step.done_at else "",
            ]
            for step in [*view.open_steps, *view.done_steps]
        ],
    )


def growth(request: AuthenticatedRequest, code: str) -> HttpResponseBase:
    view = _growth_for(request, code)
    table = request.GET.get("table", "")
    if request.GET.get("export") == "csv" and table in {"goals", "next_steps"}:
        return _growth_csv(view, table)
    return render(request, "coaching/growth.html", {"growth": view})


def growth_pdf(request: AuthenticatedRequest, code: str) -> HttpResponse:
    view = _growth_for(request, code)
    return pdf_response(
        "coaching/pdf/growth.html",
        {"growth": view},
        filename=f"growth-{view.school.code}-{view.year.start_date:%Y}.pdf",
        request=request,
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
