"""Satisfaction fixtures: an item bank, a closed survey with results, and an open one."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from cycles.satisfaction.models import Answer, Submission, Survey, SurveyItem
from district.models import School, Term, Unit
from tests.conftest import District
from tests.factories import SchoolFactory, SchoolYearFactory, TermFactory

TODAY = datetime.date.today()
MARKER = "UNDER-THRESHOLD-COMMENT-MARKER"


@dataclass
class Surveys:
    items: list[SurveyItem]
    comment_item: SurveyItem
    closed: Survey
    open: Survey
    closed_term: Term
    open_term: Term


def make_items() -> tuple[list[SurveyItem], SurveyItem]:
    items = [
        SurveyItem.objects.create(code=code, short_label=code.title(), text=f"{code.title()} was good.", order=i)
        for i, code in enumerate(["quality", "responsiveness", "overall"])
    ]
    comment = SurveyItem.objects.create(
        code="comment", short_label="Comment", text="Anything else?", kind="comment", order=9
    )
    return items, comment


def answer(
    survey: Survey,
    unit: Unit,
    school: School,
    items: list[SurveyItem],
    score: int,
    comment: str = "",
    comment_item: SurveyItem | None = None,
) -> Submission:
    submission = Submission.objects.create(
        survey=survey, unit=unit, school=school, status="submitted", respondent=school.principal
    )
    Answer.objects.bulk_create([Answer(submission=submission, item=item, score=score) for item in items])
    if comment and comment_item:
        Answer.objects.create(submission=submission, item=comment_item, comment=comment)
    return submission


@pytest.fixture
def surveys(district: District) -> Surveys:
    year = SchoolYearFactory.create(
        name="Survey year",
        start_date=TODAY - datetime.timedelta(days=200),
        end_date=TODAY + datetime.timedelta(days=150),
    )
    closed_term = TermFactory.create(
        school_year=year,
        name="Past",
        start_date=TODAY - datetime.timedelta(days=190),
        end_date=TODAY - datetime.timedelta(days=40),
    )
    open_term = TermFactory.create(
        school_year=year,
        name="Now",
        start_date=TODAY - datetime.timedelta(days=39),
        end_date=TODAY + datetime.timedelta(days=100),
    )
    closed = Survey.objects.create(
        term=closed_term,
        title="Past survey",
        opens_on=closed_term.end_date - datetime.timedelta(days=20),
        closes_on=closed_term.end_date - datetime.timedelta(days=5),
    )
    opened = Survey.objects.create(
        term=open_term,
        title="Now survey",
        opens_on=TODAY - datetime.timedelta(days=3),
        closes_on=TODAY + datetime.timedelta(days=10),
    )
    items, comment_item = make_items()
    # Six principals answered about the unit last term: enough for totals, not for comments.
    schools = [district.school, district.other_school] + [SchoolFactory.create() for _ in range(4)]
    for i, school in enumerate(schools):
        answer(
            closed, district.unit, school, items, 3 + i % 3, comment=MARKER if i == 0 else "", comment_item=comment_item
        )
    return Surveys(
        items=items, comment_item=comment_item, closed=closed, open=opened, closed_term=closed_term, open_term=open_term
    )
