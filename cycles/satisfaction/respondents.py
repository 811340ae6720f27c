"""Who answered the survey: schools per unit and survey, the share of the principals asked,
and the principals still to answer.

Closed surveys summarized for their window are read from the respondent counts kept with their
results (`cycles.satisfaction.summaries`); the others are counted from their submissions.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, F

from cycles.satisfaction.models import RespondentCount, Submission, Survey
from district.models import School, Unit, User


def respondent_counts(
    *, surveys: Sequence[Survey], unit_ids: Sequence[int] | None = None
) -> dict[tuple[int, int], int]:
    """Schools that submitted about each unit, by (survey id, unit id), in one query: read from
    the respondent counts of surveys summarized for their window, counted from the submissions
    of the others (open, or reopened since). Surveys loaded with ``summarized`` (as
    `closed_surveys` and `open_survey` load them) cost no query to sort."""
    if all(Survey.summarized.is_cached(survey) for survey in surveys):
        summarized = {
            s.pk for s in surveys if getattr(getattr(s, "summarized", None), "closes_on", None) == s.closes_on
        }
    else:
        summarized = set(
            Survey.objects.filter(pk__in=[s.pk for s in surveys], summarized__closes_on=F("closes_on")).values_list(
                "pk", flat=True
            )
        )
    counted = RespondentCount.objects.filter(survey__in=summarized)
    live = Submission.objects.submitted().filter(survey__in=[s.pk for s in surveys if s.pk not in summarized])
    if unit_ids is not None:
        counted = counted.filter(unit_id__in=unit_ids)
        live = live.filter(unit_id__in=unit_ids)
    counts = live.values("survey_id", "unit_id").annotate(n=Count("pk")).values_list("survey_id", "unit_id", "n")
    rows = counted.values_list("survey_id", "unit_id", "n").order_by().union(counts.order_by(), all=True)
    return {(survey_id, unit_id): n for survey_id, unit_id, n in rows}


def expected_respondents() -> int:
    """Every active school with a principal is asked about every covered unit."""
    return School.objects.active().filter(principal__isnull=False).count()


RateRow = tuple[Unit, int, float | None]


def response_rates(*, survey: Survey) -> list[RateRow]:
    return response_rates_by_survey([survey])[0][1]


def response_rates_by_survey(surveys: Sequence[Survey]) -> list[tuple[Survey, list[RateRow]]]:
    """Each survey's submissions per covered unit and their share of the principals asked.

    Four queries however many surveys have accumulated: the page must not grow with the years.
    Surveys summarized for their window are read from their respondent counts; the others
    (open, or reopened since) are counted from their submissions, in the same query.
    """
    expected = expected_respondents()
    units = list(Unit.objects.order_by("name"))
    chosen: dict[int, set[int]] = {survey.pk: set() for survey in surveys}
    for survey_id, unit_id in Survey.units.through.objects.filter(survey__in=surveys).values_list(
        "survey_id", "unit_id"
    ):
        chosen[survey_id].add(unit_id)
    counts = respondent_counts(surveys=surveys)

    def rates(survey: Survey) -> list[RateRow]:
        covered = [unit for unit in units if not chosen[survey.pk] or unit.pk in chosen[survey.pk]]
        answered = {unit.pk: counts.get((survey.pk, unit.pk), 0) for unit in covered}
        return [(unit, answered[unit.pk], answered[unit.pk] / expected if expected else None) for unit in covered]

    return [(survey, rates(survey)) for survey in surveys]


def principals_without_answers(*, survey: Survey) -> list[User]:
    """Principals who have not submitted about every covered unit (for reminders)."""
    units = survey.covered_units().count()
    done = (
        Submission.objects.submitted()
        .filter(survey=survey)
        .values("school_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=units)
        .values("school_id")
    )
    return list(User.objects.filter(led_school__active=True).exclude(led_school__in=done).order_by("full_name"))
