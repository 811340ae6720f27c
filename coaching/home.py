"""Reads for the coaching part of the home page: what an ILD or a principal should do next.

Each selector loads everything its part of the page shows, in a fixed number of queries
however many schools, visits or steps there are.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone

from coaching.models import GrowthGoal, NextStep, Visit
from coaching.selectors import caseload_rows, visits_per_term_target
from district.models import School, Term, User
from district.roles import Roles


def _week(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = day - datetime.timedelta(days=day.weekday())
    return start, start + datetime.timedelta(days=6)


def _is_past(visit: Visit, now: datetime.datetime) -> bool:
    """A planned visit is past once its day is over, or today once its start time has gone by."""
    today = now.date()
    if visit.date != today:
        return visit.date < today
    return visit.start_time is not None and visit.start_time <= now.time()


def _term_share_elapsed(term: Term | None, day: datetime.date) -> float:
    if term is None:
        return 0.0
    length = (term.end_date - term.start_date).days + 1
    return min(max(((day - term.start_date).days + 1) / length, 0.0), 1.0)


@dataclass(frozen=True)
class StepGroup:
    """One school's open next steps that are due today or overdue."""

    school: School
    steps: list[NextStep]

    @property
    def overdue(self) -> int:
        return sum(1 for step in self.steps if step.is_overdue)


def group_steps_by_school(steps: list[NextStep]) -> list[StepGroup]:
    """Steps (already ordered by due date) grouped by school; schools with the most overdue first."""
    groups: dict[int, StepGroup] = {}
    for step in steps:
        school = step.visit.school
        groups.setdefault(school.pk, StepGroup(school=school, steps=[])).steps.append(step)
    return sorted(groups.values(), key=lambda g: (-g.overdue, g.steps[0].due_date, g.school.name))


@dataclass(frozen=True)
class TimeInSchools:
    """Done visits and their minutes this term, against the cadence of visits per school."""

    term: Term | None
    minutes: int
    visits: int
    schools: int
    per_school: int
    on_pace_per_school: int

    @property
    def target_visits(self) -> int:
        return self.schools * self.per_school

    @property
    def on_pace_visits(self) -> int:
        return self.schools * self.on_pace_per_school

    @property
    def hours(self) -> int:
        return self.minutes // 60

    @property
    def rest_minutes(self) -> int:
        return self.minutes % 60


@dataclass(frozen=True)
class IldCoaching:
    day: datetime.date
    to_log: list[Visit]
    today: list[Visit]
    rest_of_week: list[Visit]
    step_groups: list[StepGroup]
    goals_awaiting_principal: list[GrowthGoal]
    time: TimeInSchools
    caseload: list[School]
    behind: list[School] = field(default_factory=list)

    @property
    def overdue_steps(self) -> int:
        return sum(group.overdue for group in self.step_groups)


def ild_coaching(*, ild: User, roles: Roles, now: datetime.datetime | None = None) -> IldCoaching:
    """An ILD's coaching to-do list and week, for their current caseload only.

    Visits to log are the ILD's own planned visits whose time has passed (only they may log
    them); the week shows every visit at their schools. Five queries.
    """
    moment = timezone.localtime(now)
    day = moment.date()
    week_start, week_end = _week(day)
    school_ids = roles.caseload_school_ids
    visits = list(
        Visit.objects.filter(school_id__in=school_ids)
        .filter(
            Q(date__gte=week_start, date__lte=week_end) & ~Q(status=Visit.Status.CANCELLED)
            | Q(ild=ild, status=Visit.Status.PLANNED, date__lte=day)
        )
        .select_related("school")
        .order_by("date", "start_time", "school__name")
    )
    to_log = [v for v in visits if v.status == Visit.Status.PLANNED and v.ild_id == ild.pk and _is_past(v, moment)]
    logging = {v.pk for v in to_log}
    in_week = [v for v in visits if week_start <= v.date <= week_end and v.pk not in logging]
    steps = list(
        NextStep.objects.open()
        .filter(visit__school_id__in=school_ids, due_date__lte=day)
        .select_related("visit__school")
        .order_by("due_date", "pk")
    )
    goals = list(
        GrowthGoal.objects.filter(school_id__in=school_ids, status=GrowthGoal.Status.DRAFT)
        .select_related("school", "principal", "practice", "school_year")
        .order_by("created_at")
    )
    # caseload_rows reads the current term and school year itself (three queries).
    caseload = list(caseload_rows(ild=ild, today=day))
    term = Term.objects.containing(day)
    per_school = visits_per_term_target()
    on_pace = int(per_school * _term_share_elapsed(term, day))
    behind = [s for s in caseload if s.visits_this_term < on_pace and s.next_visit is None]  # type: ignore[attr-defined]
    return IldCoaching(
        day=day,
        to_log=to_log,
        today=[v for v in in_week if v.date == day],
        rest_of_week=[v for v in in_week if v.date != day],
        step_groups=group_steps_by_school(steps),
        goals_awaiting_principal=goals,
        time=TimeInSchools(
            term=term,
            minutes=sum(s.minutes_this_term for s in caseload),  # type: ignore[attr-defined]
            visits=sum(s.visits_this_term for s in caseload),  # type: ignore[attr-defined]
            schools=len(caseload),
            per_school=per_school,
            on_pace_per_school=on_pace,
        ),
        caseload=caseload,
        behind=behind,
    )


@dataclass(frozen=True)
class PrincipalCoaching:
    day: datetime.date
    steps: list[NextStep]
    latest_visit: Visit | None
    goals_to_confirm: list[GrowthGoal]
    week_visits: list[Visit]
    goals: list[GrowthGoal]

    @property
    def reflection_due(self) -> bool:
        return self.latest_visit is not None and not self.latest_visit.principal_reflection


def principal_coaching(*, principal: User, school: School, today: datetime.date | None = None) -> PrincipalCoaching:
    """A principal's next steps (their own), latest visit, goals to confirm and this week's visits.

    Goals are the principal's own: a new principal does not inherit a predecessor's. Four queries.
    """
    day = today or timezone.localdate()
    _, week_end = _week(day)
    latest = (
        Visit.objects.done().filter(school=school, date__lte=day).select_related("ild").order_by("-date", "-pk").first()
    )
    week = list(
        Visit.objects.planned()
        .filter(school=school, date__gte=day, date__lte=week_end)
        .select_related("ild")
        .order_by("date", "start_time")
    )
    steps = list(
        NextStep.objects.open()
        .filter(visit__school=school, owner=NextStep.Owner.PRINCIPAL)
        .select_related("visit")
        .order_by("due_date", "pk")
    )
    goals = list(
        GrowthGoal.objects.filter(school=school, principal=principal)
        .filter(Q(status=GrowthGoal.Status.DRAFT) | Q(status=GrowthGoal.Status.ACTIVE, school_year__is_current=True))
        .select_related("practice", "target_level", "school_year", "drafted_by")
        .order_by("practice__order")
    )
    return PrincipalCoaching(
        day=day,
        steps=steps,
        latest_visit=latest,
        goals_to_confirm=[g for g in goals if g.status == GrowthGoal.Status.DRAFT],
        week_visits=week,
        goals=[g for g in goals if g.status == GrowthGoal.Status.ACTIVE],
    )


@dataclass(frozen=True)
class DistrictCoaching:
    """The district's coaching this term, at a glance, for the executive home."""

    term: Term | None
    visits: int
    joint: int
    minutes: int
    schools_covered: int
    per_school: int

    @property
    def target_visits(self) -> int:
        return self.schools_covered * self.per_school

    @property
    def joint_share(self) -> float | None:
        return self.joint / self.visits if self.visits else None

    @property
    def hours(self) -> int:
        return self.minutes // 60


def district_coaching(*, term: Term | None, schools_with_ild: int) -> DistrictCoaching:
    """Done visits this term across the district: how many, how many joint, how long (one query)."""
    done = Visit.objects.done().between(term.start_date, term.end_date) if term else Visit.objects.none()
    totals = done.aggregate(
        n=Count("pk"), joint=Count("pk", filter=Q(principal_present=True)), m=Sum("duration_minutes")
    )
    return DistrictCoaching(
        term=term,
        visits=totals["n"] or 0,
        joint=totals["joint"] or 0,
        minutes=totals["m"] or 0,
        schools_covered=schools_with_ild,
        per_school=visits_per_term_target(),
    )
