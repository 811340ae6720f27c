"""The read API's world, shared with the export tests: the coaching story, the unit's menu and
requests, a closed survey with a canary comment, and a cycle of inquiry."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from cycles.inquiry.models import CheckIn, CycleOfInquiry, PlanAction
from cycles.satisfaction.models import Survey, SurveyItem
from district.models import Term, User
from tests.coaching.conftest import PRIVATE_MARKER, Coaching
from tests.conftest import District, Menus
from tests.cycles.fixtures import MARKER, answer, make_items
from tests.factories import GoalFactory, NextStepFactory, PracticeFactory, SchoolFactory, TermFactory, VisitFactory


@dataclass
class World:
    district: District
    coaching: Coaching
    menus: Menus
    items: list[SurveyItem]
    closed_term: Term
    cycle: CycleOfInquiry
    action: PlanAction


@pytest.fixture
def world(district: District, menus: Menus, ild: User, other_ild: User, unit_head: User, unit_staff: User) -> World:
    # The coaching story of tests.coaching, in the menus' school year (one current year at a time).
    practice = PracticeFactory.create(name="Observing instruction and giving feedback")
    goal = GoalFactory.create(school=district.school, practice=practice, school_year=menus.menu.school_year)
    visit = VisitFactory.create(
        school=district.school, ild=ild, private_note=f"Worried about burnout. {PRIVATE_MARKER}"
    )
    visit.focus_goals.add(goal)
    visit.moves.create(move="modelling")
    step = NextStepFactory.create(visit=visit, description="Share look-fors with the team")
    other_visit = VisitFactory.create(school=district.other_school, ild=other_ild)
    coaching = Coaching(practice=practice, goal=goal, visit=visit, step=step, other_visit=other_visit)
    today = datetime.date.today()
    closed_term = TermFactory.create(
        school_year=menus.menu.school_year,
        name="Past",
        start_date=today - datetime.timedelta(days=95),
        end_date=today - datetime.timedelta(days=31),
    )
    closed = Survey.objects.create(
        term=closed_term,
        title="Past survey",
        opens_on=closed_term.end_date - datetime.timedelta(days=20),
        closes_on=closed_term.end_date - datetime.timedelta(days=5),
    )
    items, comment_item = make_items()
    # Six principals answered: enough for the unit's means, not for its comments; one comment is a canary.
    schools = [district.school, district.other_school] + [SchoolFactory.create() for _ in range(4)]
    for i, school in enumerate(schools):
        comment = MARKER if i == 0 else ""
        answer(closed, district.unit, school, items, 3 + i % 3, comment=comment, comment_item=comment_item)
    cycle = CycleOfInquiry.objects.create(
        unit=district.unit,
        title="Faster first answers",
        problem_of_practice="Principals wait too long for a first answer.",
        metric_item=items[1],
        baseline_term=closed_term,
        theory_if="we answer within two days",
        theory_then="principals will plan with us earlier",
        theory_because="they can count on us",
        target_value=Decimal("4.2"),
        target_term=menus.later_term,
        opened_by=unit_head,
    )
    action = PlanAction.objects.create(
        cycle=cycle,
        title="Triage requests every morning",
        owner=unit_staff,
        due_date=datetime.date.today() + datetime.timedelta(days=20),
        benchmark="Every request answered within two school days.",
    )
    CheckIn.objects.create(action=action, note="Started the morning triage.", by=unit_staff)
    return World(
        district=district,
        coaching=coaching,
        menus=menus,
        items=items,
        closed_term=closed_term,
        cycle=cycle,
        action=action,
    )
