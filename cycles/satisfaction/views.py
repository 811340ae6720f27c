"""Satisfaction pages: the survey and request ratings for principals, unit results and their
PDF report, the heat map, response rates and a principal's own answers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from cycles.satisfaction import respondents, selectors, services
from cycles.satisfaction.aggregates import Cell
from cycles.satisfaction.forms import RatingForm, UnitSurveyForm
from cycles.satisfaction.models import Survey, SurveyItem
from district.access import can, get_visible_or_404, require_perm
from district.answers import answer, failed_action
from district.exports import csv_response
from district.http import AuthenticatedRequest
from district.models import School, Term, Unit
from district.pdf import page_size_key
from district.roles import roles_for
from district.templatetags.schoolward import percent
from documents.views import document_response
from service_menu.selectors import request_detail as request_queryset


def index(request: AuthenticatedRequest) -> HttpResponse:
    """Each role's way into satisfaction results."""
    roles = roles_for(request.user)
    if roles.unit is not None and not roles.sees_whole_district:
        return redirect("cycles:unit_results", pk=roles.unit.pk)
    if can(request.user, "cycles.view_heat_map"):
        return redirect("cycles:heat_map")
    if roles.is_principal:
        return redirect("cycles:transparency")
    raise Http404


def _survey_items() -> list[SurveyItem]:
    return list(SurveyItem.objects.scored())


def _survey_context(
    request: AuthenticatedRequest,
    open_survey: Survey,
    school: School,
    *,
    outcome: services.SurveyOutcome | None = None,
    bound: dict[int, UnitSurveyForm] | None = None,
) -> dict[str, Any]:
    """The survey page: a card per unit (its form, or its thanks), and how far the principal is."""
    items = _survey_items()
    entries = []
    for entry in selectors.survey_for_principal(survey=open_survey, principal=request.user, school=school):
        pk = entry.unit.pk
        form = (bound or {}).get(pk) if outcome and pk in outcome.problems else None
        if form is None:
            initial = {f"item_{i}": score for i, score in entry.scores.items()} | {"comment": entry.comment}
            form = UnitSurveyForm(items=items, prefix=f"u{pk}", initial=initial)
        notice = outcome.already.get(pk, "") if outcome else ""
        problem = outcome.problems.get(pk, "") if outcome else ""
        entries.append((entry, form, notice, problem))
    done = sum(1 for entry, *_ in entries if entry.submitted or entry.answered_by_school)
    return {
        "survey": open_survey,
        "entries": entries,
        "school": school,
        "done": done,
        "total": len(entries),
        "outcome": outcome,
    }


def survey(request: AuthenticatedRequest) -> HttpResponse:
    require_perm(request.user, "cycles.take_survey")
    school = roles_for(request.user).principal_school
    open_survey = selectors.open_survey()
    if open_survey is None or school is None:
        return render(request, "cycles/satisfaction/survey.html", {"survey": None})
    return render(request, "cycles/satisfaction/survey.html", _survey_context(request, open_survey, school))


@require_POST
def survey_submit(request: AuthenticatedRequest) -> HttpResponse:
    """One "Submit my answers" for the whole survey: every unit with answers is submitted, a
    unit left blank is skipped, and a unit with a question unanswered says so on its card.

    Over htmx the answer is the survey's body (progress, outcome, cards); without JavaScript,
    a redirect to the survey with a message.
    """
    require_perm(request.user, "cycles.take_survey")
    school = roles_for(request.user).principal_school
    open_survey = selectors.open_survey()
    if open_survey is None or school is None:
        messages.error(request, "There is no survey open now; your answers were not saved.")
        return redirect("cycles:survey")
    items = _survey_items()
    shown = {int(pk) for pk in request.POST.getlist("units") if pk.isdigit() and len(pk) < 10}
    bound: dict[int, UnitSurveyForm] = {}
    answers: dict[int, tuple[dict[int, int | None], str]] = {}
    invalid: dict[int, str] = {}
    for pk in shown:
        form = UnitSurveyForm(request.POST, items=items, prefix=f"u{pk}")
        bound[pk] = form
        if form.is_valid():
            answers[pk] = (form.scores(), form.cleaned_data["comment"])
        else:
            invalid[pk] = "Scores run from 1 to 5."
    outcome = services.survey_submit_all(survey=open_survey, principal=request.user, answers=answers)
    outcome.problems.update(invalid)
    if request.htmx:
        context = _survey_context(request, open_survey, school, outcome=outcome, bound=bound)
        return render(request, "cycles/satisfaction/survey.html#survey-body", context)
    if outcome.submitted:
        names = ", ".join(unit.name for unit in outcome.submitted)
        messages.success(request, f"Thank you: your answers about {names} are submitted.")
    for message in [*outcome.already.values(), *outcome.problems.values()]:
        messages.error(request, message)
    if not outcome.submitted and not outcome.already and not outcome.problems:
        messages.info(request, "Nothing to submit yet: answer the questions about at least one unit.")
    return redirect("cycles:survey")


@require_POST
def survey_save(request: AuthenticatedRequest, unit_pk: int) -> HttpResponse:
    """Save one unit's answers: a draft on every change (htmx), or the final submission.

    Over htmx a draft save answers with the card's status line; a submission (or a repeat of
    one) answers with the whole card in its submitted state, which replaces the form. Errors
    the person can fix come back as 200 so htmx shows them; a forged form is a 400.
    """
    require_perm(request.user, "cycles.take_survey")
    open_survey = selectors.open_survey()
    unit = get_object_or_404(Unit, pk=unit_pk)
    form = UnitSurveyForm(request.POST, items=_survey_items(), prefix=f"u{unit.pk}")
    submit = "submit" in request.POST
    submission = None
    error = ""
    already_submitted = False
    if open_survey is None:
        error = "There is no survey open now; your answers were not saved."
    elif form.is_valid():
        with failed_action() as failed:
            submission = services.survey_save(
                survey=open_survey,
                unit=unit,
                principal=request.user,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                submit=submit,
            )
        error = failed.says()
        already_submitted = getattr(failed.error, "code", None) == "already_submitted"
    else:
        error = "Scores run from 1 to 5."
    if request.htmx:
        school = roles_for(request.user).principal_school
        entries = (
            selectors.survey_for_principal(survey=open_survey, principal=request.user, school=school, unit=unit)
            if open_survey is not None and school is not None and (already_submitted or (submit and not error))
            else []
        )
        if entries:
            context = {"entry": entries[0], "notice": error, "just_submitted": not error}
            response = render(request, "cycles/satisfaction/survey.html#unit-card", context)
            return reswap(retarget(response, f"#unit-card-{unit.pk}"), "outerHTML")
        context = {"unit": unit, "submission": submission, "error": error}
        return render(
            request, "cycles/satisfaction/survey.html#save-status", context, status=400 if form.errors else 200
        )
    if already_submitted:
        messages.info(request, error)
    elif error:
        messages.error(request, error)
    else:
        messages.success(request, f"Your answers about {unit} are {'submitted' if submit else 'saved as a draft'}.")
    return redirect("cycles:survey")


HIDDEN = "hidden"  # what a suppressed cell shows in a CSV, as on the page: never its number


def _mean(cell: Cell | None, digits: int = 2) -> str:
    if cell is None or cell.mean is None:
        return HIDDEN if cell is not None and cell.suppressed else ""
    return f"{cell.mean:.{digits}f}"


def _unit_results_csv(trends: selectors.UnitTrends) -> HttpResponseBase:
    rows: list[list[object]] = [
        ["Item", "Term", "Mean", "Favourable", "Responses", "District average", "Dipped"],
    ]
    for trend in trends.items:
        for survey, cell, district, dip in trend.marked_columns:
            shown = not cell.suppressed
            rows.append(
                [
                    trend.item.short_label,
                    str(survey.term),
                    _mean(cell) if shown else HIDDEN,
                    percent(cell.pct_favourable) if shown else "",
                    cell.n if shown else "",
                    _mean(district),
                    dip,
                ]
            )
    return csv_response(f"satisfaction-{trends.unit.pk}.csv", rows)


def unit_results(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    unit = get_object_or_404(Unit, pk=pk)
    require_perm(request.user, "cycles.view_unit_results", unit)
    trends = selectors.unit_trends(unit=unit, show_comments=can(request.user, "cycles.view_unit_comments", unit))
    if request.GET.get("export") == "csv":
        return _unit_results_csv(trends)
    return render(request, "cycles/satisfaction/unit_results.html", {"t": trends})


def unit_report_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Built in the background (see cycles/documents.py); served at once when nothing changed.

    Comments are in the document only for people who may read them: theirs is a different
    document from everyone else's.
    """
    unit = get_object_or_404(Unit, pk=pk)
    require_perm(request.user, "cycles.view_unit_results", unit)
    term_id = request.GET.get("term", "")
    up_to = Term.objects.filter(pk=term_id).values_list("pk", flat=True).first() if term_id.isdigit() else None
    params = {
        "unit": unit.pk,
        "term": up_to,
        "comments": can(request.user, "cycles.view_unit_comments", unit),
        "size": page_size_key(request),
    }
    return document_response(request, kind="unit_satisfaction_report", params=params)


def _heat_map_page(
    request: AuthenticatedRequest, heat: selectors.HeatMap, title: str, filename: str
) -> HttpResponseBase:
    """The heat map, or its cells as CSV: a hidden cell is hidden in both, and so is its change."""
    if request.GET.get("export") != "csv":
        return render(request, "cycles/satisfaction/heat_map.html", {"h": heat, "title": title})
    since = f" since {heat.prior}" if heat.prior else ""
    header: list[object] = ["Unit"]
    for item in heat.items:
        header += [f"{item.short_label}: mean, {heat.term}", f"{item.short_label}: change{since}"]
    rows = [header]
    for row in heat.rows:
        line: list[object] = [row.unit.name]
        for cell, change in row.cells:
            line += [_mean(cell), "" if change is None else f"{change:+.2f}".replace("-0.00", "+0.00")]
        rows.append(line)
    return csv_response(filename, rows)


def _term_id(request: AuthenticatedRequest) -> int | None:
    """The term a page was asked for (``?term=``), or None for the latest."""
    value = request.GET.get("term", "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def heat_map(request: AuthenticatedRequest) -> HttpResponseBase:
    require_perm(request.user, "cycles.view_heat_map")
    heat = selectors.heat_map(term_id=_term_id(request))
    return _heat_map_page(request, heat, "Units at a glance", "heat-map.csv")


def transparency(request: AuthenticatedRequest) -> HttpResponseBase:
    require_perm(request.user, "cycles.view_own_answers")
    heat = selectors.transparency(term_id=_term_id(request))
    return _heat_map_page(request, heat, "How the units that serve you are rated", "units-rated.csv")


def my_answers(request: AuthenticatedRequest) -> HttpResponse:
    require_perm(request.user, "cycles.view_own_answers")
    school = roles_for(request.user).principal_school
    submissions = selectors.my_past_answers(principal=request.user)
    return render(request, "cycles/satisfaction/my_answers.html", {"submissions": submissions, "school": school})


def response_rates(request: AuthenticatedRequest) -> HttpResponseBase:
    require_perm(request.user, "cycles.list_response_rates")
    roles = roles_for(request.user)
    surveys = selectors.closed_surveys() + ([s] if (s := selectors.open_survey()) else [])
    rows = respondents.response_rates_by_survey(list(reversed(surveys)))
    if not roles.sees_whole_district:
        rows = [
            (item, [r for r in rates if roles.unit is not None and r[0].pk == roles.unit.pk]) for item, rates in rows
        ]
    expected = respondents.expected_respondents()
    if request.GET.get("export") == "csv":
        return csv_response(
            "response-rates.csv",
            [
                ["Survey", "Opened", "Closed", "Unit", "Answered", f"Rate (of {expected} principals)"],
                *(
                    [survey.title, f"{survey.opens_on:%Y-%m-%d}", f"{survey.closes_on:%Y-%m-%d}", unit.name, n,
                     percent(rate)]
                    for survey, rates in rows
                    for unit, n, rate in rates
                ),
            ],
        )  # fmt: skip
    return render(request, "cycles/satisfaction/response_rates.html", {"rows": rows, "expected": expected})


@require_POST
def rate_request(request: AuthenticatedRequest, request_pk: int) -> HttpResponse:
    service_request = get_visible_or_404(request.user, request_queryset(), "service_menu.view_request", pk=request_pk)
    require_perm(request.user, "cycles.rate_requests")
    form = RatingForm(request.POST)
    back_to = reverse("service_menu:request_detail", args=[service_request.pk])
    if not form.is_valid():
        return answer(request, "Choose a score from 1 to 5 for both questions.", back_to=back_to, failed=True)
    with failed_action() as failed:
        services.rating_submit(request=service_request, principal=request.user, **form.cleaned_data)
        return answer(request, "Thank you: your rating counts toward the unit's results, anonymously.", back_to=back_to)
    return answer(request, failed.says(), back_to=back_to, failed=True)
