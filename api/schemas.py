"""What each API resource looks like. Private notes and survey answers have no field here."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Schema

from coaching.models import GrowthGoal, NextStep, Visit
from cycles.inquiry.models import CycleOfInquiry, PlanAction
from district.models import Caseload, School, Unit, User
from service_menu.models import Request, RequestEvent

from .selectors import SatisfactionRow


class Person(Schema):
    id: int
    name: str
    email: str

    @staticmethod
    def of(user: User | None) -> Person | None:
        return None if user is None else Person(id=user.pk, name=user.full_name, email=user.email)


class ClusterOut(Schema):
    id: int
    name: str
    description: str
    updated_at: datetime.datetime


class SchoolOut(Schema):
    id: int
    code: str
    name: str
    level: str
    cluster_id: int
    cluster: str
    principal: Person | None
    active: bool
    updated_at: datetime.datetime

    @staticmethod
    def resolve_cluster(obj: School) -> str:
        return obj.cluster.name

    @staticmethod
    def resolve_principal(obj: School) -> Person | None:
        return Person.of(obj.principal)


class StaffMember(Schema):
    id: int
    name: str
    email: str
    title: str


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    cluster_id: int | None
    description: str
    contact_email: str
    head: Person | None
    staff: list[StaffMember]
    updated_at: datetime.datetime

    @staticmethod
    def resolve_head(obj: Unit) -> Person | None:
        return Person.of(obj.head)

    @staticmethod
    def resolve_staff(obj: Unit) -> list[StaffMember]:
        return [
            StaffMember(id=m.user.pk, name=m.user.full_name, email=m.user.email, title=m.title)
            for m in obj.memberships.all()
        ]


class CaseloadOut(Schema):
    id: int
    school_id: int
    ild: Person
    start_date: datetime.date
    end_date: datetime.date | None
    updated_at: datetime.datetime

    @staticmethod
    def resolve_ild(obj: Caseload) -> Person | None:
        return Person.of(obj.ild)


class NextStepOut(Schema):
    id: int
    visit_id: int
    owner: str
    description: str
    due_date: datetime.date
    done: bool
    done_at: datetime.datetime | None
    updated_at: datetime.datetime


class VisitOut(Schema):
    """A visit as its readers see it. The ILD's private note is never part of it."""

    id: int
    school_id: int
    ild: Person
    date: datetime.date
    start_time: datetime.time | None
    duration_minutes: int
    status: str
    joint: bool
    other_participants: str
    classrooms_visited: int
    grades_subjects: str
    focus_goal_ids: list[int]
    teaching_moves: list[str]
    lead_role: int | None
    observed_level_id: int | None
    what_we_saw: str
    brokered_resource: str
    principal_reflection: str
    reflection_at: datetime.datetime | None
    next_steps: list[NextStepOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_ild(obj: Visit) -> Person | None:
        return Person.of(obj.ild)

    @staticmethod
    def resolve_joint(obj: Visit) -> bool:
        return obj.principal_present

    @staticmethod
    def resolve_focus_goal_ids(obj: Visit) -> list[int]:
        return [goal.pk for goal in obj.focus_goals.all()]

    @staticmethod
    def resolve_teaching_moves(obj: Visit) -> list[str]:
        return [move.move for move in obj.moves.all()]

    @staticmethod
    def resolve_next_steps(obj: Visit) -> list[NextStep]:
        return list(obj.next_steps.all())


class GoalOut(Schema):
    id: int
    school_id: int
    principal_id: int
    school_year: str
    practice: str
    statement: str
    baseline_level: int
    target_level: int
    success_criteria: str
    evidence: str
    status: str
    confirmed_at: datetime.datetime | None
    carried_from_id: int | None
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_school_year(obj: GrowthGoal) -> str:
        return obj.school_year.name

    @staticmethod
    def resolve_practice(obj: GrowthGoal) -> str:
        return obj.practice.name

    @staticmethod
    def resolve_baseline_level(obj: GrowthGoal) -> int:
        return obj.baseline_level.rank

    @staticmethod
    def resolve_target_level(obj: GrowthGoal) -> int:
        return obj.target_level.rank


class MenuOut(Schema):
    id: int
    unit_id: int
    school_year: str
    version: int
    status: str
    change_note: str
    cycle_id: int | None
    published_at: datetime.datetime | None
    updated_at: datetime.datetime

    @staticmethod
    def resolve_school_year(obj: object) -> str:
        return obj.school_year.name  # type: ignore[attr-defined]


class ServiceOut(Schema):
    id: int
    menu_id: int
    unit_id: int
    key: str
    title: str
    summary: str
    description: str
    content_area: str
    tier: str
    format_dosage: str
    provider: str
    partner_name: str
    capacity_per_term: int | None
    cost_per_school: Decimal | None
    eligible_levels: list[str]
    rationale: str
    hours_saved: Decimal | None
    updated_at: datetime.datetime

    @staticmethod
    def resolve_unit_id(obj: object) -> int:
        return obj.menu.unit_id  # type: ignore[attr-defined]

    @staticmethod
    def resolve_key(obj: object) -> str:
        return str(obj.key)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_content_area(obj: object) -> str:
        return obj.content_area.name  # type: ignore[attr-defined]

    @staticmethod
    def resolve_tier(obj: object) -> str:
        return obj.tier.name  # type: ignore[attr-defined]


class RequestEventOut(Schema):
    from_status: str
    to_status: str
    by_id: int | None
    at: datetime.datetime
    note: str


class RequestOut(Schema):
    id: int
    school_id: int
    service_id: int
    unit_id: int
    term: str
    growth_goal_id: int | None
    improvement_priority: str
    rationale: str
    requested_by: Person
    status: str
    endorsed_at: datetime.datetime | None
    first_answered_at: datetime.datetime | None
    scheduled_start: datetime.date | None
    scheduled_end: datetime.date | None
    decline_reason: str
    alternative_service_id: int | None
    alternative_note: str
    events: list[RequestEventOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_unit_id(obj: Request) -> int:
        return obj.service.menu.unit_id

    @staticmethod
    def resolve_term(obj: Request) -> str:
        return str(obj.term)

    @staticmethod
    def resolve_requested_by(obj: Request) -> Person | None:
        return Person.of(obj.requested_by)

    @staticmethod
    def resolve_events(obj: Request) -> list[RequestEvent]:
        return list(obj.events.all())


class Reading(Schema):
    """A suppressed reading shows neither its mean nor how many answered."""

    mean: float | None
    responses: int | None
    suppressed: bool


def reading(cell: object | None) -> Reading | None:
    if cell is None:
        return None
    return Reading(
        mean=None if cell.mean is None else round(cell.mean, 2),  # type: ignore[attr-defined]
        responses=cell.shown_n,  # type: ignore[attr-defined]
        suppressed=cell.suppressed,  # type: ignore[attr-defined]
    )


class CycleOut(Schema):
    id: int
    unit_id: int
    title: str
    problem_of_practice: str
    metric_item: str
    service_id: int | None
    baseline_term: str
    target_term: str
    target_value: Decimal
    theory_if: str
    theory_then: str
    theory_because: str
    stage: str
    status: str
    decision: str
    lessons_learned: str
    opened_at: datetime.datetime
    closed_at: datetime.datetime | None
    baseline: Reading | None
    result: Reading | None
    updated_at: datetime.datetime

    @staticmethod
    def resolve_metric_item(obj: CycleOfInquiry) -> str:
        return obj.metric_item.code

    @staticmethod
    def resolve_baseline_term(obj: CycleOfInquiry) -> str:
        return str(obj.baseline_term)

    @staticmethod
    def resolve_target_term(obj: CycleOfInquiry) -> str:
        return str(obj.target_term)

    @staticmethod
    def resolve_baseline(obj: CycleOfInquiry) -> Reading | None:
        readings = getattr(obj, "readings", None)
        return reading(readings.baseline) if readings else None

    @staticmethod
    def resolve_result(obj: CycleOfInquiry) -> Reading | None:
        readings = getattr(obj, "readings", None)
        return reading(readings.result) if readings else None


class CheckInOut(Schema):
    date: datetime.date
    note: str
    evidence: str
    by_id: int


class ActionOut(Schema):
    id: int
    cycle_id: int
    title: str
    owner: Person
    due_date: datetime.date
    benchmark: str
    status: str
    check_ins: list[CheckInOut]
    updated_at: datetime.datetime

    @staticmethod
    def resolve_owner(obj: PlanAction) -> Person | None:
        return Person.of(obj.owner)

    @staticmethod
    def resolve_check_ins(obj: PlanAction) -> list[object]:
        return list(obj.check_ins.all())


class SatisfactionOut(Schema):
    """One unit's result on one item in one closed term; hidden below the anonymity threshold."""

    unit_id: int
    unit: str
    item: str
    term_id: int
    term: str
    mean: float | None
    favourable: float | None
    responses: int | None
    suppressed: bool
    district_mean: float | None

    @staticmethod
    def of(row: SatisfactionRow) -> SatisfactionOut:
        cell = row.cell
        district = row.district
        return SatisfactionOut(
            unit_id=row.unit_id,
            unit=row.unit,
            item=row.item,
            term_id=row.term_id,
            term=row.term,
            mean=None if cell.mean is None else round(cell.mean, 2),
            favourable=None if cell.pct_favourable is None else round(cell.pct_favourable, 3),
            responses=cell.shown_n,
            suppressed=cell.suppressed,
            district_mean=None if district is None or district.mean is None else round(district.mean, 2),
        )


class Detail(Schema):
    detail: str
