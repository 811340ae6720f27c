"""Reads for the satisfaction and cycle-of-inquiry parts of the home page.

Only aggregates above the anonymity threshold leave this module, as everywhere else.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from cycles.inquiry.models import CycleOfInquiry, PlanAction
from cycles.inquiry.selectors import cycle_queryset
from cycles.satisfaction.aggregates import Cell, district_item_term_cells, grade_for, unit_item_term_cells
from cycles.satisfaction.models import Submission, Survey, SurveyItem
from cycles.satisfaction.selectors import closed_surveys, dip_reason, open_survey
from district.models import School, Unit, User


@dataclass(frozen=True)
class SurveyDue:
    survey: Survey | None
    units_left: int


def survey_due(*, school: School, today: datetime.date | None = None) -> SurveyDue:
    """The open survey and how many of its units the school has still to rate (four queries)."""
    survey = open_survey(today)
    if survey is None:
        return SurveyDue(survey=None, units_left=0)
    covered = survey.covered_units().count()
    done = Submission.objects.submitted().filter(survey=survey, school=school).count()
    return SurveyDue(survey=survey, units_left=max(covered - done, 0))


@dataclass(frozen=True)
class Dip:
    item: SurveyItem
    cell: Cell
    prior: Cell | None
    district: Cell | None
    reason: str


@dataclass(frozen=True)
class UnitResults:
    """The unit's grade in the latest closed survey and the items that dipped in it."""

    latest: Survey | None
    grade: str
    dips: list[Dip]


def unit_results(*, unit: Unit, today: datetime.date | None = None) -> UnitResults:
    """Latest grade (overall item) and each shown item below the term before or the district.

    Hidden cells are never compared, so a dip tells nothing about a cell under the threshold.
    Four queries.
    """
    surveys = closed_surveys(today)
    if not surveys:
        return UnitResults(latest=None, grade=grade_for(None), dips=[])
    latest = surveys[-1]
    prior = surveys[-2] if len(surveys) > 1 else None
    items = list(SurveyItem.objects.scored())
    shown_terms = [s.term_id for s in (latest, prior) if s is not None]
    cells = unit_item_term_cells(unit_ids=[unit.pk], item_ids=[i.pk for i in items], term_ids=shown_terms)
    district = district_item_term_cells(term_ids=shown_terms)
    hidden = Cell(label="", n=0, suppressed=True)
    overall = next((i for i in items if i.code == "overall"), None)
    overall_cell = cells.get((unit.pk, overall.pk, latest.term_id)) if overall else None
    dips = []
    for item in items:
        now = cells.get((unit.pk, item.pk, latest.term_id), hidden)
        before = cells.get((unit.pk, item.pk, prior.term_id), hidden) if prior else hidden
        average = district.get((item.pk, latest.term_id), hidden)
        reason = dip_reason([before, now], [hidden, average], 1)
        if reason:
            dips.append(Dip(item=item, cell=now, prior=before if before.mean is not None else None,
                            district=average if average.mean is not None else None, reason=reason))  # fmt: skip
    return UnitResults(latest=latest, grade=grade_for(overall_cell.pct_favourable if overall_cell else None), dips=dips)


@dataclass(frozen=True)
class UnitCycles:
    """The unit's active cycles and the plan actions that need someone now."""

    active: list[CycleOfInquiry]
    overdue: list[PlanAction]
    mine: list[PlanAction]

    @property
    def active_item_ids(self) -> set[int]:
        """The satisfaction items an active cycle already looks into."""
        return {cycle.metric_item_id for cycle in self.active}


def unit_cycles(*, unit: Unit, person: User, is_head: bool, today: datetime.date | None = None) -> UnitCycles:
    """Active cycles with their action counts; overdue open actions, and the person's own coming up.

    The head sees every overdue action of the unit; staff see their own. Actions of closed
    cycles are history, not work. Two queries.
    """
    day = today or timezone.localdate()
    overdue = Q(due_date__lt=day) if is_head else Q(pk__in=[])
    active = list(cycle_queryset().filter(unit=unit, status=CycleOfInquiry.Status.ACTIVE).order_by("-opened_at"))
    actions = list(
        PlanAction.objects.filter(
            cycle__unit=unit, cycle__status=CycleOfInquiry.Status.ACTIVE, status__in=PlanAction.OPEN
        )
        .filter(overdue | Q(owner=person))
        .select_related("owner", "cycle")
        .order_by("due_date", "pk")
    )
    return UnitCycles(
        active=active,
        overdue=[a for a in actions if a.due_date < day],  # the head's whole unit, or the person's own
        mine=[a for a in actions if a.owner_id == person.pk and a.due_date >= day],
    )


@dataclass(frozen=True)
class DistrictCycles:
    active: int
    with_overdue: int
    overdue_actions: int


def district_cycles(*, today: datetime.date | None = None) -> DistrictCycles:
    """Active cycles across the district, and how many have overdue actions (one query)."""
    day = today or timezone.localdate()
    overdue = Q(actions__status__in=PlanAction.OPEN, actions__due_date__lt=day)
    per_cycle = CycleOfInquiry.objects.active().annotate(overdue=Count("actions", filter=overdue))
    totals = CycleOfInquiry.objects.active().aggregate(
        active=Count("pk", distinct=True),
        overdue_actions=Count("actions", filter=overdue),
        with_overdue=Count("pk", distinct=True, filter=Q(pk__in=per_cycle.filter(overdue__gt=0).values("pk"))),
    )
    return DistrictCycles(
        active=totals["active"], with_overdue=totals["with_overdue"], overdue_actions=totals["overdue_actions"]
    )
