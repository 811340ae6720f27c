"""What a token may read: the querysets the pages use, scoped by the same roles and rules.

Each selector answers for one person (a token's owner) and preloads every relation the
API's schemas touch, so a list costs the same few queries for three rows or thirty. Where
the pages already have a scoped selector (schools, visits, requests) it is reused; the
others mirror the rule that guards the matching page, and tests compare each list with
the rule, object by object.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from coaching.models import GrowthGoal, NextStep, Visit
from coaching.selectors import visits_visible_to
from cycles.inquiry.models import CheckIn, CycleOfInquiry, PlanAction
from cycles.inquiry.selectors import attach_readings, cycle_queryset
from cycles.satisfaction.aggregates import Cell, district_item_term_cells, unit_item_term_cells
from cycles.satisfaction.models import SurveyItem
from cycles.satisfaction.selectors import closed_surveys
from district.models import Caseload, Cluster, School, Unit, UnitMembership, User
from district.roles import Roles, roles_for
from service_menu.models import Menu, Request, RequestEvent, Service
from service_menu.selectors import requests_visible_to


def _school_ids(roles: Roles) -> set[int]:
    ids = set(roles.caseload_school_ids)
    if roles.principal_school_id:
        ids.add(roles.principal_school_id)
    return ids


def schools_for(user: User) -> QuerySet[School]:
    """Schools as the school directory shows them (``School.objects.visible_to``)."""
    return School.objects.visible_to(user).select_related("cluster", "principal").order_by("pk")


def clusters_for(user: User) -> QuerySet[Cluster]:
    """Every cluster: the shape of the district is no secret to anyone signed in."""
    return Cluster.objects.order_by("pk")


def units_for(user: User) -> QuerySet[Unit]:
    """Every unit with its head and staff, as the unit directory shows them."""
    return (
        Unit.objects.select_related("head", "cluster")
        .prefetch_related(Prefetch("memberships", queryset=UnitMembership.objects.select_related("user")))
        .order_by("pk")
    )


def caseloads_for(user: User) -> QuerySet[Caseload]:
    """Caseload history of the schools the person may see, as each school's page lists it."""
    schools = School.objects.visible_to(user)
    return Caseload.objects.filter(school__in=schools).select_related("ild").order_by("pk")


def visits_for(user: User) -> QuerySet[Visit]:
    """Visits as the visit list scopes them; the private note is never loaded."""
    return (
        visits_visible_to(roles=roles_for(user))
        .defer("private_note")
        .prefetch_related(
            "focus_goals",
            Prefetch("next_steps", queryset=NextStep.objects.order_by("pk")),
        )
        .order_by("pk")
    )


def goals_for(user: User) -> QuerySet[GrowthGoal]:
    """Goals under ``coaching.view_goal``: the whole district, a caseload's, or a principal's own."""
    roles = roles_for(user)
    goals = GrowthGoal.objects.select_related("practice", "school_year", "baseline_level", "target_level")
    if not roles.sees_whole_district:
        condition = Q(school_id__in=roles.caseload_school_ids)
        if roles.principal_school_id:
            condition |= Q(school_id=roles.principal_school_id, principal=user)
        goals = goals.filter(condition)
    return goals.order_by("pk")


def next_steps_for(user: User) -> QuerySet[NextStep]:
    """Next steps of the visits the person may read."""
    visits = visits_visible_to(roles=roles_for(user))
    return NextStep.objects.filter(visit__in=visits.values("pk")).order_by("pk")


def menus_for(user: User) -> QuerySet[Menu]:
    """Menus under ``service_menu.view_menu``: published or frozen ones, the person's own unit's drafts,
    everything for the whole district."""
    roles = roles_for(user)
    menus = Menu.objects.select_related("unit", "school_year")
    if not roles.sees_whole_district:
        condition = ~Q(status=Menu.Status.DRAFT)
        if roles.unit is not None:
            condition |= Q(unit=roles.unit)
        menus = menus.filter(condition)
    return menus.order_by("pk")


def services_for(user: User) -> QuerySet[Service]:
    """Services on the menus the person may read."""
    return (
        Service.objects.filter(menu__in=menus_for(user).values("pk"))
        .select_related("menu", "tier", "content_area")
        .order_by("pk")
    )


def requests_for(user: User) -> QuerySet[Request]:
    """Requests as the request lists scope them, with their status events."""
    return (
        requests_visible_to(roles=roles_for(user))
        .prefetch_related(Prefetch("events", queryset=RequestEvent.objects.order_by("at", "pk")))
        .order_by("pk")
    )


def cycles_for(user: User) -> QuerySet[CycleOfInquiry]:
    """Cycles under ``cycles.view_cycles``: the person's own unit's, or every unit's for the district."""
    roles = roles_for(user)
    cycles = cycle_queryset()
    if not roles.sees_whole_district:
        cycles = cycles.filter(unit=roles.unit) if roles.unit is not None else cycles.none()
    return cycles.order_by("pk")


def actions_for(user: User) -> QuerySet[PlanAction]:
    """Plan actions of the cycles the person may read, with their check-ins."""
    return (
        PlanAction.objects.filter(cycle__in=cycles_for(user).values("pk"))
        .select_related("owner")
        .prefetch_related(Prefetch("check_ins", queryset=CheckIn.objects.select_related("by").order_by("pk")))
        .order_by("pk")
    )


def with_readings(cycles: list[CycleOfInquiry]) -> list[CycleOfInquiry]:
    """Baselines and results for a page of cycles, suppressed as on every page."""
    return attach_readings(cycles)


def satisfaction_units_for(user: User) -> QuerySet[Unit]:
    """Units whose results the person may read (``cycles.view_unit_results``)."""
    roles = roles_for(user)
    if roles.is_executive or roles.is_admin or roles.is_ild or roles.is_principal:
        return Unit.objects.order_by("pk")
    if roles.unit is not None:
        return Unit.objects.filter(pk=roles.unit.pk)
    return Unit.objects.none()


@dataclass(frozen=True)
class SatisfactionRow:
    unit_id: int
    unit: str
    item: str
    term_id: int
    term: str
    cell: Cell
    district: Cell | None


def satisfaction_rows(*, units: list[Unit], day: datetime.date | None = None) -> list[SatisfactionRow]:
    """Each unit's mean per scored item and closed term, beside the district average.

    Cells come from ``cycles.satisfaction.aggregates``, so a cell under the anonymity threshold is
    hidden here exactly as on the pages; no answer, score or comment leaves this function.
    """
    surveys = closed_surveys(day)
    if not units or not surveys:
        return []
    items = list(SurveyItem.objects.scored())
    closed_terms = [s.term_id for s in surveys]
    cells = unit_item_term_cells(unit_ids=[u.pk for u in units], term_ids=closed_terms)
    district = district_item_term_cells(term_ids=closed_terms)
    empty = Cell(label="", n=0, suppressed=True)
    return [
        SatisfactionRow(
            unit_id=unit.pk,
            unit=unit.name,
            item=item.code,
            term_id=survey.term_id,
            term=str(survey.term),
            cell=cells.get((unit.pk, item.pk, survey.term_id), empty),
            district=district.get((item.pk, survey.term_id)),
        )
        for unit in units
        for item in items
        for survey in surveys
    ]
