"""Demo satisfaction data (three years of surveys with stories worth finding) and the cycles of
inquiry units opened on it; serves both halves.

- Operations improved after it changed how it answers requests.
- Facilities dropped sharply in the latest closed term.
- The lead-partner unit is small: its breakdowns stay suppressed.
"""

from __future__ import annotations

import datetime
import random
from itertools import batched
from typing import Any, cast

from django.db import transaction
from django.utils import timezone

from cycles.satisfaction.models import Answer, RequestRating, Submission, Survey, SurveyItem
from district.bulk import bulk_insert
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
SUBMISSIONS_AT_A_TIME = 20_000  # a city's answers are built and saved this many submissions at a time


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


def build_satisfaction_demo(
    *,
    today: datetime.date,
    seed: int = 2026,
    response_rate: float = 0.65,
    max_respondents: int | None = MAX_RESPONDENTS,
) -> None:
    """A survey per term, each closed one answered by ``response_rate`` of the principals about
    each unit (at most ``max_respondents`` a unit), ratings of delivered requests, and cycles."""
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
        plans: list[tuple[Survey, Unit, School, float, bool]] = []
        for index, survey in enumerate(surveys):
            if not survey.is_closed(today):
                continue
            for unit in units:
                pool = [s for s in schools if unit.cluster_id is None or s.cluster_id == unit.cluster_id]
                # The small lead-partner unit heard from very few principals in its first term.
                rate = 0.3 if unit.kind == Unit.Kind.LEAD_PARTNER and index == 0 else response_rate
                respondents = [s for s in pool if rng.random() < rate][:max_respondents]
                for school in respondents:
                    plans.append((survey, unit, school, _base_score(unit, index, len(surveys)), rng.random() < 0.35))
        for chunk in batched(plans, SUBMISSIONS_AT_A_TIME):
            submissions = bulk_insert(
                [
                    Submission(
                        survey=survey,
                        unit=unit,
                        school=school,
                        respondent_id=school.principal_id,
                        status=Submission.Status.SUBMITTED,
                        submitted_at=timezone.make_aware(
                            datetime.datetime.combine(survey.closes_on - datetime.timedelta(days=2), datetime.time(15))
                        ),
                    )
                    for survey, unit, school, _, _ in chunk
                ]
            )
            answers = []
            for submission, (_, _, _, base, comments) in zip(submissions, chunk, strict=True):
                for item in items:
                    score = round(min(5, max(1, rng.gauss(base, 0.8))))
                    answers.append(Answer(submission=submission, item=item, score=score))
                if comments:
                    mood = "good" if base >= 3.3 else "bad"
                    answers.append(Answer(submission=submission, item=comment_item, comment=rng.choice(COMMENTS[mood])))
            bulk_insert(answers)
        _build_ratings(rng)
        _build_cycles(rng=rng, terms=terms, items=items, today=today)


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
    bulk_insert(ratings)


def reset_satisfaction_demo() -> None:
    from cycles.inquiry.models import CycleOfInquiry
    from service_menu.models import Menu

    with transaction.atomic():
        Menu.objects.update(cycle=None)
        CycleOfInquiry.objects.all().delete()
        CycleOfInquiry.history.all().delete()
        RequestRating.objects.all().delete()
        Answer.objects.all().delete()
        Submission.objects.all().delete()
        Survey.objects.all().delete()
        SurveyItem.objects.all().delete()


def _build_cycles(*, rng: random.Random, terms: list[Term], items: list[SurveyItem], today: datetime.date) -> None:
    """Cycles across three years: one met its target, one did not and was adapted, one has a
    suppressed baseline, and every unit has one under way."""
    from cycles.inquiry.models import CheckIn, CycleOfInquiry, PlanAction
    from service_menu.models import Menu

    if len(terms) < 5:
        return
    overall = next(i for i in items if i.code == "overall")
    responsiveness = next(i for i in items if i.code == "responsiveness")
    by_name = {u.name: u for u in Unit.objects.select_related("head")}
    staff = {u.pk: list(u.memberships.select_related("user")) for u in by_name.values()}
    current, latest_closed = terms[-1], terms[-2]

    def cycle(unit: Unit, **fields: Any) -> CycleOfInquiry:
        opened = cast(datetime.date, fields.pop("opened", today))
        c = CycleOfInquiry.objects.create(
            unit=unit, opened_by=unit.head or staff[unit.pk][0].user,
            opened_at=timezone.make_aware(datetime.datetime.combine(opened, datetime.time(9))),
            **fields,
        )  # fmt: skip
        return c

    def actions(c: CycleOfInquiry, specs: list[tuple[str, int, str]]) -> None:
        people = [m.user for m in staff[c.unit_id]] or [c.opened_by]
        for i, (title, due_in, status) in enumerate(specs):
            action = PlanAction.objects.create(
                cycle=c, title=title, owner=people[i % len(people)], due_date=today + datetime.timedelta(days=due_in),
                benchmark="Evidence filed in the unit's shared folder", status=status,
            )  # fmt: skip
            if status != PlanAction.Status.NOT_STARTED:
                CheckIn.objects.create(
                    action=action, by=action.owner, date=min(today, action.due_date), note="On track; first results in.",
                    evidence="Meeting notes",
                )  # fmt: skip

    operations = by_name.get("Operations")
    if operations:
        c = cycle(
            operations, title="Answer every request within three days", opened=terms[0].end_date,
            problem_of_practice="Principals rated our responsiveness lowest of any unit: requests waited weeks for a first answer.",
            metric_item=responsiveness, baseline_term=terms[0], target_term=terms[2], target_value=3.2,
            theory_if="answer every request within three school days, with a named contact",
            theory_then="get what they need in time to plan",
            theory_because="a fast, clear answer (even “no, but …”) lets principals plan around it",
            stage="act", status="closed", decision="adopt", closed_at=timezone.now() - datetime.timedelta(days=120),
            lessons_learned="A daily 15-minute triage of new requests did more than any new system.",
        )  # fmt: skip
        actions(c, [("Daily triage of new requests", -300, "done"), ("Named contact per cluster", -250, "done")])
    nutrition = by_name.get("Nutrition Services")
    if nutrition:
        c = cycle(
            nutrition, title="Breakfast that reaches every classroom", opened=terms[0].end_date,
            problem_of_practice="Principals said universal breakfast disrupted the first period of instruction.",
            metric_item=overall, baseline_term=terms[0], target_term=terms[1], target_value=4.2,
            theory_if="deliver breakfast before the bell instead of during first period",
            theory_then="protect instructional time in the morning", theory_because="the first period is the most productive",
            stage="act", status="closed", decision="adapt", closed_at=timezone.now() - datetime.timedelta(days=300),
            lessons_learned="Earlier delivery helped only where buses arrive early; we will pilot grab-and-go carts next.",
            close_note="Cart pilot moved to the next cycle.",
        )  # fmt: skip
        actions(c, [("Move delivery before the bell", -400, "done"), ("Pilot grab-and-go carts", -380, "in_progress")])
    partner = next((u for u in by_name.values() if u.kind == Unit.Kind.LEAD_PARTNER), None)
    if partner:
        c = cycle(
            partner, title="Make the principal network worth the time", opened=terms[0].end_date,
            problem_of_practice="Too few principals answered to see our baseline; informal feedback says network meetings feel like compliance.",
            metric_item=overall, baseline_term=terms[0], target_term=terms[2], target_value=4.0,
            theory_if="let principals bring their own problems of practice to each network meeting",
            theory_then="use the network to solve real problems", theory_because="learning sticks when it is about your own school",
            stage="study",
        )  # fmt: skip
        actions(
            c, [("Principal-chosen problems of practice", -60, "done"), ("Rotate hosting schools", 20, "in_progress")]
        )
    facilities = by_name.get("Facilities")
    if facilities:
        c = cycle(
            facilities, title="Work orders that do not disappear", opened=today - datetime.timedelta(days=20),
            problem_of_practice=f"Overall satisfaction fell sharply in {latest_closed}; comments say work orders sit for weeks.",
            metric_item=overall, baseline_term=latest_closed, target_term=terms[-1] if terms[-1] != current else current,
            target_value=3.2, theory_if="send every school a status update within two days of a work order",
            theory_then="trust that their request is moving", theory_because="silence reads as neglect",
            stage="do",
        )  # fmt: skip
        actions(
            c,
            [
                ("Two-day status update for every work order", -5, "in_progress"),
                ("Weekly backlog review", 14, "not_started"),
            ],
        )
    instructional = by_name.get("Instructional Services")
    if instructional:
        c = cycle(
            instructional, title="Enough coaching for every school that asks", opened=terms[2].end_date,
            problem_of_practice="Principals were waitlisted too often for grade-team coaching.",
            metric_item=overall, baseline_term=terms[2], target_term=latest_closed, target_value=3.8,
            theory_if="double the grade-team coaching cohort", theory_then="get coaching when they need it",
            theory_because="waiting a term for coaching loses the momentum of the school's plan",
            stage="act", status="closed", decision="adopt", closed_at=timezone.now() - datetime.timedelta(days=60),
            lessons_learned="Demand was real; the second cohort filled in a week.",
        )  # fmt: skip
        actions(c, [("Recruit a second cohort of coaches", -120, "done")])
        Menu.objects.filter(unit=instructional, version=2).update(cycle=c)
    for unit in by_name.values():
        if not CycleOfInquiry.objects.filter(unit=unit, status="active").exists():
            c = cycle(
                unit, title=f"{unit.name}: from survey to practice", opened=today - datetime.timedelta(days=10),
                problem_of_practice="Relevance to instructional improvement trails our other items.",
                metric_item=overall, baseline_term=latest_closed, target_term=current, target_value=4.0,
                theory_if="ask each principal which of our services connects to their improvement plan",
                theory_then="see our work as part of their plan", theory_because="relevance is decided by the school",
                stage="plan",
            )  # fmt: skip
            actions(c, [("Interview five principals", 30, "not_started")])
