"""Coaching stories: the ILD's visit to the principal's school, with a private note."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from coaching.models import GrowthGoal, LeadershipPractice, NextStep, Visit
from district.models import User
from tests.conftest import District
from tests.factories import GoalFactory, NextStepFactory, PracticeFactory, VisitFactory

PRIVATE_MARKER = "PRIVATE-NOTE-MARKER-7f3a"


@dataclass
class Coaching:
    practice: LeadershipPractice
    goal: GrowthGoal
    visit: Visit
    step: NextStep
    other_visit: Visit


@pytest.fixture
def coaching(district: District, ild: User, other_ild: User) -> Coaching:
    practice = PracticeFactory.create(name="Observing instruction and giving feedback")
    goal = GoalFactory.create(school=district.school, practice=practice)
    visit = VisitFactory.create(
        school=district.school, ild=ild, private_note=f"Worried about burnout. {PRIVATE_MARKER}"
    )
    visit.focus_goals.add(goal)
    step = NextStepFactory.create(visit=visit, description="Share look-fors with the team")
    other_visit = VisitFactory.create(school=district.other_school, ild=other_ild)
    return Coaching(practice=practice, goal=goal, visit=visit, step=step, other_visit=other_visit)
