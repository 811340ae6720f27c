"""Demo satisfaction data: three years of surveys with stories worth finding.

- Operations improved after it changed how it answers requests.
- Facilities dropped sharply in the latest closed term.
- The lead-partner unit is small: its breakdowns stay suppressed.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from cycles.models import Answer, RequestRating, Submission, Survey, SurveyItem
from district.models import School, Term, Unit

ITEMS = [
    ("quality", "Quality", "The quality of this unit's services was high."),
    ("responsiveness", "Responsiveness", "This unit responded to my school's needs in a timely way."),
    ("relevance", "Relevance", "This unit's work was relevant to improving instruction at my school."),
    ("improved-teaching", "Helped improve teaching", "This unit helped my school improve teaching."),
    ("overall", "Overall", "Overall, I am satisfied with this unit."),
]
COMMENTS = {
    "good": [
        "Quick, clear answers this term.",
        "The coach knew our school and our data.",
        "They said no to one request but offered something that worked better.",
    ],
    "bad": [
        "Work orders sat for weeks without an update.",
        "Hard to know who to call.",
        "Nobody followed up after the first visit.",
    ],
}
MAX_RESPONDENTS = 150  # per unit and term: enough for every story, bounded for very large districts


def build_items() -> list[SurveyItem]:
    items = [
        SurveyItem.objects.get_or_create(code=code, defaults={"short_label": label, "text": text, "order": i})[0]
        for i, (code, label, text) in enumerate(ITEMS)
    ]
    SurveyItem.objects.get_or_create(
        code="comment",
        defaults={
            "short_label": "Comment",
            "text": "Anything else this unit should know?",
            "kind": "comment",
            "order": 99,
        },
    )
    return items


def _base_score(unit: Unit, term_index: int, terms: int) -> float:
    latest_closed = terms - 2
    if unit.name == "Operations":
        return 2.6 + 1.5 * term_index / max(terms - 1, 1)
    if unit.name == "Facilities":
        return 1.9 if term_index >= latest_closed else 3.6
    if unit.kind == Unit.Kind.LEAD_PARTNER:
        return 3.9
    return 3.4 + (hash(unit.name) % 5) / 10


def build_satisfaction_demo(*, today: datetime.date, seed: int = 2026) -> None:
    rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not security
    with transaction.atomic():
        items = build_items()
        comment_item = SurveyItem.objects.get(code="comment")
        terms = list(Term.objects.select_related("school_year").order_by("start_date"))
        terms = [t for t in terms if t.start_date <= today]
        units = list(Unit.objects.all())
        schools = list(School.objects.filter(principal__isnull=False).select_related("cluster"))
        surveys = []
        for term in terms:
            closes = term.end_date - datetime.timedelta(days=10)
            opens = closes - datetime.timedelta(days=21)
            if term.end_date >= today:  # the current term: open now
                opens, closes = today - datetime.timedelta(days=7), today + datetime.timedelta(days=14)
            surveys.append(
                Survey(term=term, title=f"{term.name} {term.school_year.name} survey", opens_on=opens, closes_on=closes)
            )
        Survey.objects.bulk_create(surveys)
        submissions: list[Submission] = []
        plans: list[tuple[Submission, float, bool]] = []
        for index, survey in enumerate(surveys):
            if not survey.is_closed(today):
                continue
            for unit in units:
                pool = [s for s in schools if unit.cluster_id is None or s.cluster_id == unit.cluster_id]
                respondents = [s for s in pool if rng.random() < 0.65][:MAX_RESPONDENTS]
                for school in respondents:
                    submission = Submission(
                        survey=survey, unit=unit, school=school, respondent_id=school.principal_id,
                        status=Submission.Status.SUBMITTED, submitted_at=timezone.make_aware(
                            datetime.datetime.combine(survey.closes_on - datetime.timedelta(days=2), datetime.time(15))
                        ),
                    )  # fmt: skip
                    submissions.append(submission)
                    plans.append((submission, _base_score(unit, index, len(surveys)), rng.random() < 0.35))
        Submission.objects.bulk_create(submissions, batch_size=2000)
        answers = []
        for submission, base, comments in plans:
            for item in items:
                score = round(min(5, max(1, rng.gauss(base, 0.8))))
                answers.append(Answer(submission=submission, item=item, score=score))
            if comments:
                mood = "good" if base >= 3.3 else "bad"
                answers.append(Answer(submission=submission, item=comment_item, comment=rng.choice(COMMENTS[mood])))
        Answer.objects.bulk_create(answers, batch_size=5000)
        _build_ratings(rng)


def _build_ratings(rng: random.Random) -> None:
    from service_menu.models import Request

    delivered = Request.objects.filter(status__in=[Request.Status.DELIVERED, Request.Status.CLOSED]).select_related(
        "service__menu__unit"
    )
    ratings = []
    for request in delivered:
        if rng.random() < 0.6:
            base = 2.2 if request.service.menu.unit.name == "Facilities" else 4.0
            ratings.append(
                RequestRating(
                    request=request,
                    respondent_id=request.requested_by_id,
                    quality=round(min(5, max(1, rng.gauss(base, 0.7)))),
                    responsiveness=round(min(5, max(1, rng.gauss(base, 0.9)))),
                )
            )
    RequestRating.objects.bulk_create(ratings, batch_size=2000)


def reset_satisfaction_demo() -> None:
    with transaction.atomic():
        RequestRating.objects.all().delete()
        Answer.objects.all().delete()
        Submission.objects.all().delete()
        Survey.objects.all().delete()
        SurveyItem.objects.all().delete()
