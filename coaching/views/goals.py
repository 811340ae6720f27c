"""Growth goals (drafted by either partner, confirmed by the principal, carried over) and a
school's growth view and report."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from coaching import selectors, services
from coaching.forms import (
    GoalForm,
)
from coaching.models import GrowthGoal
from district.access import get_visible_or_404, require_perm
from district.answers import answer, failed_action
from district.exports import csv_response
from district.history import history_rows
from district.http import AuthenticatedRequest
from district.models import School, SchoolYear
from district.pdf import pdf_response
from district.roles import roles_for

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
