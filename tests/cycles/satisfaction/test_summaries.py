"""Survey results counted once into summary rows read the same as the answers they count."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cycles.satisfaction import services
from cycles.satisfaction.aggregates import Breakdown, Cell, breakdown, district_item_term_cells, unit_item_term_cells
from cycles.satisfaction.models import Answer, RespondentCount, ResultSummary, Submission, SummarizedSurvey, Survey
from cycles.satisfaction.respondents import response_rates_by_survey
from cycles.satisfaction.summaries import summarize_closed_surveys, summarize_survey
from district.models import School, Unit
from tests.conftest import District
from tests.cycles.fixtures import TODAY, Surveys, answer
from tests.factories import ClusterFactory, SchoolFactory, UnitFactory

pytestmark = pytest.mark.django_db

LEVELS = [School.Level.ELEMENTARY, School.Level.MIDDLE, School.Level.HIGH]


def populate(district: District, surveys: Surveys, seed: int) -> list[Unit]:
    """Principals of schools in several clusters and levels answer about three units, each score at random."""
    rng = random.Random(seed)  # noqa: S311 - repeatable test data, not security
    clusters = [ClusterFactory.create(name=f"Cluster {seed}-{i}") for i in range(3)]
    units = [district.unit, *(UnitFactory.create() for _ in range(2))]
    for i in range(rng.randint(8, 30)):
        school = SchoolFactory.create(cluster=rng.choice(clusters), level=rng.choice(LEVELS))
        for unit in rng.sample(units, k=rng.randint(1, 3)):
            submission = Submission.objects.create(
                survey=surveys.closed, unit=unit, school=school, status="submitted", respondent=school.principal
            )
            Answer.objects.bulk_create(
                [Answer(submission=submission, item=item, score=rng.randint(1, 5)) for item in surveys.items]
            )
        if i % 4 == 0:  # a draft never counts
            Submission.objects.create(survey=surveys.closed, unit=units[1], school=SchoolFactory.create())
    return units


def numbers(cells: dict[Any, Cell]) -> dict[Any, tuple[int, int, int, bool]]:
    return {key: (c.n, c.total, c.favourable, c.suppressed) for key, c in cells.items()}


def shown(table: Breakdown) -> list[tuple[str, int, int, int, bool]]:
    return [(c.label, c.n, c.total, c.favourable, c.suppressed) for c in [table.total, *table.cells]]


def rates(surveys: Surveys) -> list[tuple[int, list[tuple[int, int, float | None]]]]:
    return [
        (survey.pk, [(unit.pk, n, share) for unit, n, share in rows])
        for survey, rows in response_rates_by_survey([surveys.closed, surveys.open])
    ]


def everything(units: list[Unit], surveys: Surveys) -> dict[str, Any]:
    term = surveys.closed_term.pk
    return {
        "response rates": rates(surveys),
        "units": numbers(unit_item_term_cells(unit_ids=[u.pk for u in units])),
        "district": numbers(district_item_term_cells()),
        "breakdowns": [
            shown(breakdown(unit_id=u.pk, item_id=item.pk, term_id=term, by=by))
            for u in units
            for item in surveys.items
            for by in ("cluster", "level")
        ],
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_summaries_read_exactly_as_a_recount_of_the_answers(district: District, surveys: Surveys, seed: int) -> None:
    units = populate(district, surveys, seed)
    from_answers = everything(units, surveys)
    assert summarize_closed_surveys() == 1, "only the closed survey is summarized; the open one is still answered"
    assert not SummarizedSurvey.objects.filter(survey=surveys.open).exists()
    assert everything(units, surveys) == from_answers
    assert RespondentCount.objects.filter(survey=surveys.closed).count() == len(units)

    # Each row is the count of the answers it stands for, score by score.
    scored = Answer.objects.filter(submission__survey=surveys.closed, submission__status="submitted")
    for row in ResultSummary.objects.filter(survey=surveys.closed):
        answers = scored.filter(submission__unit_id=row.unit_id, item_id=row.item_id)
        if row.population == ResultSummary.Population.CLUSTER:
            answers = answers.filter(submission__school__cluster=row.cluster)
        elif row.population == ResultSummary.Population.LEVEL:
            answers = answers.filter(submission__school__level=row.level)
        scores = Counter(score or 0 for score in answers.values_list("score", flat=True))
        assert (row.n, row.total) == (sum(scores.values()), sum(k * v for k, v in scores.items()))
        assert [row.count_1, row.count_2, row.count_3, row.count_4, row.count_5] == [scores[s] for s in range(1, 6)]


def test_a_window_moved_or_a_late_submission_is_read_from_the_answers_until_counted_again(
    district: District, surveys: Surveys
) -> None:
    summarize_survey(survey=surveys.closed)
    key = (district.unit.pk, surveys.items[-1].pk, surveys.closed_term.pk)
    assert unit_item_term_cells(unit_ids=[district.unit.pk])[key].n == 6
    respondents = RespondentCount.objects.get(survey=surveys.closed, unit=district.unit)
    assert respondents.n == 6
    Submission.objects.filter(survey=surveys.closed, unit=district.unit).update(status="draft")
    assert dict(rates(surveys))[surveys.closed.pk][0][1] == 6, "a summarized survey's rates are read, not counted"
    Submission.objects.filter(survey=surveys.closed, unit=district.unit).update(status="submitted")

    late = answer(surveys.closed, district.unit, SchoolFactory.create(), surveys.items, 1)
    assert not SummarizedSurvey.objects.filter(survey=surveys.closed).exists(), "a late submission drops the count"
    assert not RespondentCount.objects.filter(survey=surveys.closed).exists()
    assert unit_item_term_cells(unit_ids=[district.unit.pk])[key].n == 7
    assert dict(rates(surveys))[surveys.closed.pk][0][1] == 7

    summarize_closed_surveys()
    Survey.objects.filter(pk=surveys.closed.pk).update(closes_on=TODAY + datetime.timedelta(days=3))
    Answer.objects.filter(submission=late).update(score=5)
    reopened = unit_item_term_cells(unit_ids=[district.unit.pk])[key]
    assert reopened.total == 3 + 4 + 5 + 3 + 4 + 5 + 5, "a reopened window is read from its answers"
    Submission.objects.filter(pk=late.pk).update(status="draft")
    assert dict(rates(surveys))[surveys.closed.pk][0][1] == 6, "and its response rates from its submissions"
    assert summarize_closed_surveys() == 0, "nothing to count while it is open"


def test_an_import_into_a_closed_term_counts_it_again(district: District, surveys: Surveys) -> None:
    summarize_survey(survey=surveys.closed)
    school = SchoolFactory.create(code="IMP1")
    data = (
        "school_code,unit,term,item,score,comment\n"
        f"IMP1,{district.unit.name},Past Survey year,{surveys.items[-1].code},1,\n"
    ).encode()
    services.import_survey_results(data=data)
    assert SummarizedSurvey.objects.filter(survey=surveys.closed, closes_on=surveys.closed.closes_on).exists()
    row = ResultSummary.objects.get(
        survey=surveys.closed, unit=district.unit, item=surveys.items[-1], population=ResultSummary.Population.ALL
    )
    assert (row.n, row.count_1) == (7, 1)
    assert school.survey_submissions.count() == 1


def test_pages_cost_the_same_queries_from_summaries_as_from_answers(
    client_for: Callable[[str], Client], district: District, surveys: Surveys
) -> None:
    pages = [
        ("unit_head", reverse("cycles:unit_results", args=[district.unit.pk])),
        ("executive", reverse("cycles:heat_map")),
        ("principal", reverse("cycles:transparency")),
    ]

    def read(persona: str, url: str) -> tuple[int, str]:
        client = client_for(persona)
        client.get(url)  # the first request after signing in settles the session
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        return len(queries), page

    from_answers = [read(persona, url) for persona, url in pages]
    call_command("summarize_survey_results", stdout=StringIO())
    for (persona, url), (count, page) in zip(pages, from_answers, strict=True):
        again_count, again = read(persona, url)
        assert again_count == count, url
        assert again.count("4.0") == page.count("4.0") > 0, url


def test_the_command_says_how_many_surveys_it_counted(surveys: Surveys) -> None:
    out = StringIO()
    call_command("summarize_survey_results", stdout=out)
    assert out.getvalue().strip() == "Summarized 1 survey(s)."
    out = StringIO()
    call_command("summarize_survey_results", stdout=out)
    assert out.getvalue().strip() == "Summarized 0 survey(s).", "a second run has nothing new to count"
