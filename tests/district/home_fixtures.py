"""A district where every role has something to do, and so does the person next door.

The ILD, the principal and the unit each get one item of every kind their home lists; the
other ILD, the other principal and another unit get the same, so a test can check that no
home shows another person's work. `grow` adds more of everything, to show that a home's
queries do not grow with its rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from coaching.models import GrowthGoal, LeadershipPractice, NextStep, Visit
from cycles.inquiry import services as inquiry
from cycles.inquiry.models import CycleOfInquiry, PlanAction
from cycles.satisfaction.models import Survey, SurveyItem
from district.models import School, SchoolYear, Term, Unit, User
from service_menu.models import Request, Service
from service_menu.services import request_submit, request_transition
from tests.conftest import District
from tests.cycles.fixtures import answer, make_items
from tests.factories import (
    CaseloadFactory,
    GoalFactory,
    MenuFactory,
    NextStepFactory,
    PracticeFactory,
    SchoolFactory,
    SchoolYearFactory,
    ServiceFactory,
    TermFactory,
    TierFactory,
    UnitFactory,
    UnitMembershipFactory,
    UserFactory,
    VisitFactory,
)


@dataclass
class Homes:
    district: District
    ild: User
    other_ild: User
    principal: User
    other_principal: User
    unit_head: User
    unit_staff: User
    year: SchoolYear
    earlier: Term
    term: Term
    later: Term
    practice: LeadershipPractice
    service: Service
    intensive: Service
    other_unit: Unit
    other_service: Service
    items: list[SurveyItem]
    cycle: CycleOfInquiry
    visit_to_log: Visit
    step: NextStep
    draft_goal: GrowthGoal
    to_endorse: Request
    no_but: Request
    awaiting: Request
    overdue_request: Request
    overdue_action: PlanAction
    other_unit_request: Request
    others: list[object] = field(default_factory=list)

    @property
    def today(self) -> datetime.date:
        return timezone.localdate()


def _days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def _request(school: School, service: Service, term: Term, by: User, why: str = "Our plan needs it.") -> Request:
    return request_submit(
        school=school, service=service, term=term, requested_by=by, rationale=why, improvement_priority="Early literacy"
    )


def _decline(request: Request, by: User, alternative: Service) -> Request:
    return request_transition(
        request=request,
        action="decline",
        by=by,
        decline_reason="Our coaches are committed this term.",
        alternative_service=alternative,
    ).request


def build_homes(district: District) -> Homes:
    """Everything each persona's home lists, for them and for their neighbour."""
    people = {u.email.split("@")[0]: u for u in User.objects.all()}
    ild, other_ild = people["ild"], people["other.ild"]
    principal, other_principal = people["principal"], people["other.principal"]
    unit_head, unit_staff = people["unit.head"], people["unit.staff"]
    today = timezone.localdate()
    year = SchoolYearFactory.create(
        name="Home year", start_date=today - datetime.timedelta(days=150), end_date=today + datetime.timedelta(days=200)
    )
    earlier = TermFactory.create(
        school_year=year,
        name="Earlier",
        start_date=year.start_date,
        end_date=today - datetime.timedelta(days=31),
    )
    term = TermFactory.create(
        school_year=year,
        name="Now",
        start_date=today - datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=60),
    )
    later = TermFactory.create(
        school_year=year, name="Later", start_date=today + datetime.timedelta(days=61), end_date=year.end_date
    )

    # Satisfaction: the unit is rated below the district, the other unit above it.
    other_unit = UnitFactory.create(name="Facilities")
    other_head = UserFactory.create(email="facilities.head@district.test", full_name="Fay Cortez")
    other_unit.head = other_head
    other_unit.save()
    UnitMembershipFactory.create(unit=other_unit, user=UserFactory.create(email="facilities.staff@district.test"))
    closed = Survey.objects.create(
        term=earlier,
        title="Earlier survey",
        opens_on=earlier.end_date - datetime.timedelta(days=20),
        closes_on=earlier.end_date - datetime.timedelta(days=5),
    )
    Survey.objects.create(
        term=term,
        title="Now survey",
        opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=10),
    )
    items, _ = make_items()
    raters = [district.school, district.other_school] + [SchoolFactory.create() for _ in range(4)]
    for school in raters:
        answer(closed, district.unit, school, items, 3)
        answer(closed, other_unit, school, items, 5)

    # Menus: the unit's targeted and intensive services, and the other unit's.
    menu = MenuFactory.create(unit=district.unit, school_year=year)
    service = ServiceFactory.create(menu=menu, title="Literacy lab classrooms", capacity_per_term=None)
    intensive_tier = TierFactory.create(name="Intensive", order=3, needs_endorsement=True)
    intensive = ServiceFactory.create(
        menu=menu, title="Intensive math turnaround", tier=intensive_tier, capacity_per_term=None
    )
    other_menu = MenuFactory.create(unit=other_unit, school_year=year)
    other_service = ServiceFactory.create(menu=other_menu, title="Outdoor classroom build", capacity_per_term=None)
    alternative = ServiceFactory.create(menu=menu, title="Reading walkthroughs", capacity_per_term=None)

    # Requests: one awaiting the ILD, one declined with "no, but", one waiting for the unit.
    to_endorse = _request(district.school, intensive, term, principal)
    _request(district.other_school, intensive, term, other_principal)
    no_but = _decline(_request(district.school, other_service, term, principal), other_head, alternative)
    _decline(_request(district.other_school, other_service, term, other_principal), other_head, alternative)
    awaiting = _request(district.school, service, term, principal)
    overdue_request = _request(district.other_school, service, term, other_principal)
    Request.objects.filter(pk=overdue_request.pk).update(created_at=_days_ago(14))
    other_unit_request = _request(district.school, other_service, later, principal)

    # Coaching: a visit to log, an overdue step and a draft goal, for each ILD's school.
    practice = PracticeFactory.create(name="Leading teacher teams")
    yesterday = today - datetime.timedelta(days=1)
    visit_to_log = VisitFactory.create(school=district.school, ild=ild, date=yesterday, status=Visit.Status.PLANNED)
    VisitFactory.create(school=district.other_school, ild=other_ild, date=yesterday, status=Visit.Status.PLANNED)
    done = VisitFactory.create(school=district.school, ild=ild, date=today - datetime.timedelta(days=9))
    other_done = VisitFactory.create(
        school=district.other_school, ild=other_ild, date=today - datetime.timedelta(days=9)
    )
    step = NextStepFactory.create(visit=done, description="Give feedback to two teachers", due_date=yesterday)
    NextStepFactory.create(visit=other_done, description="Visit a sister school", due_date=yesterday)
    draft_goal = GoalFactory.create(
        school=district.school, school_year=year, practice=practice, status=GrowthGoal.Status.DRAFT, drafted_by=ild
    )
    GoalFactory.create(
        school=district.other_school,
        school_year=year,
        practice=practice,
        status=GrowthGoal.Status.DRAFT,
        drafted_by=other_ild,
    )

    # Cycles: each unit has an active cycle with an overdue action.
    cycle = _cycle(district.unit, items[0], earlier, term, unit_head)
    overdue_action = inquiry.action_save(
        action=PlanAction(
            cycle=cycle, title="Call every waiting school", owner=unit_staff, due_date=yesterday, benchmark="A log"
        )
    )
    other_cycle = _cycle(other_unit, items[0], earlier, term, other_head)
    inquiry.action_save(
        action=PlanAction(
            cycle=other_cycle,
            title="Survey the playgrounds",
            owner=other_unit.memberships.get().user,
            due_date=yesterday,
            benchmark="A list",
        )
    )
    return Homes(
        district=district,
        ild=ild,
        other_ild=other_ild,
        principal=principal,
        other_principal=other_principal,
        unit_head=unit_head,
        unit_staff=unit_staff,
        year=year,
        earlier=earlier,
        term=term,
        later=later,
        practice=practice,
        service=service,
        intensive=intensive,
        other_unit=other_unit,
        other_service=other_service,
        items=items,
        cycle=cycle,
        visit_to_log=visit_to_log,
        step=step,
        draft_goal=draft_goal,
        to_endorse=to_endorse,
        no_but=no_but,
        awaiting=awaiting,
        overdue_request=overdue_request,
        overdue_action=overdue_action,
        other_unit_request=other_unit_request,
    )


def _cycle(unit: Unit, item: SurveyItem, baseline: Term, target: Term, head: User) -> CycleOfInquiry:
    return inquiry.cycle_save(
        cycle=CycleOfInquiry(
            unit=unit,
            title=f"{unit.name}: faster answers",
            problem_of_practice="Principals wait too long.",
            metric_item=item,
            baseline_term=baseline,
            target_term=target,
            target_value=4,
            theory_if="we answer in three days",
            theory_then="principals plan with confidence",
            theory_because="a quick no is better than silence",
        ),
        by=head,
    )


def grow(homes: Homes, rows: int) -> None:
    """``rows`` more of everything each home lists, for each persona."""
    district = homes.district
    today = homes.today
    yesterday = today - datetime.timedelta(days=1)
    for i in range(rows):
        school = SchoolFactory.create(name=f"Caseload school {i}")
        CaseloadFactory.create(ild=homes.ild, school=school)
        VisitFactory.create(school=school, ild=homes.ild, date=yesterday, status=Visit.Status.PLANNED)
        done = VisitFactory.create(school=school, ild=homes.ild, date=today - datetime.timedelta(days=5))
        NextStepFactory.create(visit=done, due_date=yesterday)
        GoalFactory.create(school=school, school_year=homes.year, practice=homes.practice, status="draft")
        assert school.principal is not None
        _request(school, homes.intensive, homes.term, school.principal)
        for service in (homes.service, homes.other_service):
            request = _request(school, service, homes.term, school.principal)
            Request.objects.filter(pk=request.pk).update(created_at=_days_ago(10 + i))
        # The principal's own school: more steps, answers and goals.
        visit = VisitFactory.create(school=district.school, ild=homes.ild, date=today - datetime.timedelta(days=20 + i))
        NextStepFactory.create(visit=visit, due_date=today + datetime.timedelta(days=i))
        practice = PracticeFactory.create()
        GoalFactory.create(school=district.school, school_year=homes.year, practice=practice, status="draft")
        extra = ServiceFactory.create(menu=homes.other_service.menu, title=f"Extra service {i}", capacity_per_term=None)
        _decline(
            _request(district.school, extra, homes.term, homes.principal),
            homes.other_unit.head or homes.unit_head,
            homes.service,
        )
        inquiry.action_save(
            action=PlanAction(
                cycle=homes.cycle, title=f"Action {i}", owner=homes.unit_staff, due_date=yesterday, benchmark="b"
            )
        )
        unit = UnitFactory.create(name=f"Unit {i}")
        menu = MenuFactory.create(unit=unit, school_year=homes.year)
        _request(school, ServiceFactory.create(menu=menu, capacity_per_term=None), homes.term, school.principal)
