"""Survey results counted once: summary rows per survey, unit, item and population.

A survey's answers stop changing when its window closes, so its results are counted then,
once, into `ResultSummary` rows (every school, each cluster's schools, each level's), and
pages read those instead of grouping every answer of every term on each request. The count
is made by `manage.py summarize_survey_results` (daily, after windows close), when an import
lands, and when the demo is seeded; a submission saved to a closed survey drops its summary.
Until a survey is summarized, and whenever its window has moved since, its results are read
from its answers, with the same numbers. Breakdowns keep the cluster and level each school
had when the results were counted.

`cycles.satisfaction.aggregates` reads the rows and applies the anonymity rules there, at read time, as
for answers read directly: no row here is ever shown as it is.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, cast

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from cycles.satisfaction.models import RespondentCount, ResultSummary, Submission, SummarizedSurvey, Survey
from district.bulk import bulk_insert

P = ResultSummary.Population
SCORE_COUNTS = {f"count_{score}": Count("pk", filter=Q(score=score)) for score in range(1, 6)}
POPULATIONS: list[tuple[str, list[str]]] = [
    (P.ALL, []),
    (P.CLUSTER, ["submission__school__cluster_id"]),
    (P.LEVEL, ["submission__school__level"]),
]


def _scored_answers() -> Any:
    # The same answers as `cycles.satisfaction.aggregates.scored_answers` (imported late: it imports this module).
    from cycles.satisfaction.aggregates import scored_answers

    return scored_answers()


def summarize_survey(*, survey: Survey) -> int:
    """Count the survey's results into summary rows, replacing any before; returns how many rows.

    Three grouped queries over the survey's answers (one per population), one over its
    submissions (respondents per unit, for response rates) and bulk inserts (COPY on
    PostgreSQL), whether or not the survey was summarized before.
    """
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        ResultSummary.objects.filter(survey=locked).delete()
        RespondentCount.objects.filter(survey=locked).delete()
        answers = _scored_answers().filter(submission__survey=locked)
        rows = []
        for population, fields in POPULATIONS:
            grouped = (
                answers.values("submission__unit_id", "item_id", *fields)
                .annotate(n=Count("pk"), total=Sum("score"), **SCORE_COUNTS)
                .order_by()
            )
            for row in grouped:
                rows.append(
                    ResultSummary(
                        survey=locked,
                        unit_id=row["submission__unit_id"],
                        item_id=row["item_id"],
                        population=population,
                        cluster_id=row.get("submission__school__cluster_id"),
                        level=row.get("submission__school__level") or "",
                        n=row["n"],
                        total=row["total"] or 0,
                        **{key: row[key] for key in SCORE_COUNTS},
                    )
                )
        bulk_insert(rows)
        bulk_insert(
            [
                RespondentCount(survey=locked, unit_id=row["unit_id"], n=row["n"])
                for row in Submission.objects.submitted()
                .filter(survey=locked)
                .values("unit_id")
                .annotate(n=Count("pk"))
                .order_by()
            ]
        )
        SummarizedSurvey.objects.filter(survey=locked).delete()
        SummarizedSurvey.objects.create(survey=locked, closes_on=locked.closes_on)
    return len(rows)


def summarize_closed_surveys(*, today: datetime.date | None = None, only: Iterable[int] | None = None) -> int:
    """Summarize every closed survey (or those in ``only``) whose summary is missing or was made
    for another window; returns how many surveys were summarized."""
    day = today or timezone.localdate()
    surveys = Survey.objects.closed_by(day).select_related("summarized")
    if only is not None:
        surveys = surveys.filter(pk__in=list(only))
    done = 0
    for survey in surveys:
        summary = getattr(survey, "summarized", None)
        if summary is None or summary.closes_on != survey.closes_on:
            summarize_survey(survey=survey)
            done += 1
    return done


def drop_summary(*, survey_id: int) -> None:
    """Forget a survey's summary: it is counted again the next time its results are read."""
    SummarizedSurvey.objects.filter(survey_id=survey_id).delete()
    ResultSummary.objects.filter(survey_id=survey_id).delete()
    RespondentCount.objects.filter(survey_id=survey_id).delete()


def _closed(survey_id: int, survey: Survey | None) -> bool:
    if survey is None:
        survey = Survey.objects.filter(pk=survey_id).first()
    return survey is not None and survey.is_closed()


@receiver(post_save, sender=Submission)
def _submission_saved(sender: type[Submission], instance: Submission, **kwargs: Any) -> None:
    """A submission saved after its window closed makes the survey's summary stale.

    While a window is open nothing is summarized, so the surveys people are answering cost no
    query here.
    """
    survey = cast("Survey | None", Submission.survey.field.get_cached_value(instance, default=None))
    if _closed(instance.survey_id, survey):
        drop_summary(survey_id=instance.survey_id)
