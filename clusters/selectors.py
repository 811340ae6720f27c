"""Reads for a cluster's page: its schools along their feeder pattern, their coaching, the
services they receive, how fast the units serving them answer, and how their principals rate
those units. Every part costs the same few queries for three schools or thirty."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from clusters.contracts import COUNTED_GOALS, ContractReport, contract_reports
from coaching.models import GrowthGoal, Visit
from cycles.satisfaction.aggregates import AGG, Cell, scored_answers, suppress
from cycles.satisfaction.models import Survey, SurveyItem
from district.models import Caseload, Cluster, School, SchoolYear, Term, Unit
from service_menu.models import Request, Tier
from service_menu.response_times import UnitResponseTimes, unit_response_times

DELIVERED = (Request.Status.DELIVERED, Request.Status.CLOSED)


def cluster_queryset() -> QuerySet[Cluster]:
    return Cluster.objects.all()


@dataclass
class FeederNode:
    """A school and the schools whose students go on to it."""

    school: School
    feeders: list[FeederNode] = field(default_factory=list)


def feeder_tree(schools: list[School]) -> list[FeederNode]:
    """The cluster's schools as a forest: each root is a school that feeds no school in the
    cluster (usually the high school), with its feeders below it. No query."""
    nodes = {school.pk: FeederNode(school) for school in schools}
    roots = []
    for school in schools:
        parent = nodes.get(school.feeds_into_id) if school.feeds_into_id else None
        if parent is None or _would_loop(nodes, school.pk):
            roots.append(nodes[school.pk])
        else:
            parent.feeders.append(nodes[school.pk])
    level_order = {level: i for i, level in enumerate(["high", "k12", "middle", "k8", "elementary"])}
    roots.sort(key=lambda n: (level_order.get(n.school.level, 9), n.school.name))
    for node in nodes.values():
        node.feeders.sort(key=lambda n: (level_order.get(n.school.level, 9), n.school.name))
    return roots


def _would_loop(nodes: dict[int, FeederNode], start: int) -> bool:
    """Whether following feeds_into from ``start`` comes back to it (data made outside the form)."""
    seen = {start}
    step = nodes[start].school.feeds_into_id
    while step is not None and step in nodes:
        if step in seen:
            return True
        seen.add(step)
        step = nodes[step].school.feeds_into_id
    return False


@dataclass(frozen=True)
class ServiceRow:
    unit_id: int
    unit_name: str
    is_lead_partner: bool
    cells: list[tuple[int, int]]  # (requested, delivered) per tier, in tier order
    requested: int
    delivered: int


@dataclass(frozen=True)
class SatisfactionRow:
    unit: Unit
    cells: list[Cell]  # per item, this cluster's cell after suppression across clusters
    district: list[Cell]  # per item, the unit's total over every cluster
    items: list[SurveyItem]

    @property
    def pairs(self) -> list[tuple[SurveyItem, Cell, Cell]]:
        return list(zip(self.items, self.cells, self.district, strict=True))


@dataclass(frozen=True)
class Satisfaction:
    term: Term | None
    items: list[SurveyItem]
    rows: list[SatisfactionRow]


@dataclass(frozen=True)
class ClusterPage:
    cluster: Cluster
    year: SchoolYear | None
    years: list[SchoolYear]
    lead_partners: list[Unit]
    schools: list[School]
    feeders: list[FeederNode]
    tiers: list[Tier]
    services: list[ServiceRow]
    response_times: list[UnitResponseTimes]
    satisfaction: Satisfaction
    contracts: list[ContractReport]

    @property
    def ilds(self) -> list[Any]:
        seen: dict[int, Any] = {}
        for school in self.schools:
            for caseload in school.current_caseloads:  # type: ignore[attr-defined]
                seen.setdefault(caseload.ild_id, caseload.ild)
        return sorted(seen.values(), key=lambda u: u.full_name)


def _count(queryset: QuerySet[Any], column: str) -> Coalesce:
    """A correlated COUNT (0 when there are no rows), so several counts on one row never multiply each other."""
    return Coalesce(
        Subquery(
            queryset.order_by().values(column).annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()
        ),
        0,
    )


def cluster_schools(*, cluster: Cluster, year: SchoolYear | None, today: datetime.date) -> list[School]:
    """The cluster's active schools, each with its coaching for the year: visits done, joint
    visits, goals and goals on track. Never a note. Two queries.

    A goal is on track when it is met, or active with its latest observed level this year above
    its baseline.
    """
    start, end = (year.start_date, year.end_date) if year else (today, today)
    visits = Visit.objects.done().filter(school=OuterRef("pk"), date__gte=start, date__lte=min(end, today))
    latest_level = Subquery(
        Visit.objects.done()
        .filter(
            school=OuterRef("school"),
            observed_level__practice=OuterRef("practice"),
            date__gte=start,
            date__lte=end,
        )
        .order_by("-date", "-pk")
        .values("observed_level__rank")[:1]
    )
    goals = GrowthGoal.objects.filter(
        school=OuterRef("pk"),
        school_year=year,
        status__in=COUNTED_GOALS,
    )
    on_track = goals.annotate(latest=latest_level).filter(
        Q(status=GrowthGoal.Status.MET) | Q(status=GrowthGoal.Status.ACTIVE, latest__gt=F("baseline_level__rank"))
    )
    return list(
        School.objects.active()
        .filter(cluster=cluster)
        .select_related("principal", "feeds_into")
        .prefetch_related(
            Prefetch(
                "caseloads",
                queryset=Caseload.objects.current(today).select_related("ild"),
                to_attr="current_caseloads",
            )
        )
        .annotate(
            visits_done=_count(visits, "school"),
            joint_visits=_count(visits.filter(principal_present=True), "school"),
            goal_count=_count(goals, "school"),
            goals_on_track=_count(on_track, "school"),
        )
        .order_by("name")
    )


def services_by_unit_and_tier(*, cluster: Cluster, year: SchoolYear | None, tiers: list[Tier]) -> list[ServiceRow]:
    """Requests the cluster's schools made in the year, and how many were delivered, per unit and tier. One query."""
    if year is None:
        return []
    rows = (
        Request.objects.filter(school__cluster=cluster, term__school_year=year)
        .exclude(status=Request.Status.CANCELLED)
        .values("service__menu__unit_id", "service__menu__unit__name", "service__menu__unit__kind", "service__tier_id")
        .annotate(requested=Count("pk"), delivered=Count("pk", filter=Q(status__in=DELIVERED)))
        .order_by("service__menu__unit__name")
    )
    by_unit: dict[int, dict[str, Any]] = {}
    for row in rows:
        unit = by_unit.setdefault(
            row["service__menu__unit_id"],
            {"name": row["service__menu__unit__name"], "kind": row["service__menu__unit__kind"], "tiers": {}},
        )
        unit["tiers"][row["service__tier_id"]] = (row["requested"], row["delivered"])
    result = []
    for unit_id, unit in by_unit.items():
        cells = [unit["tiers"].get(tier.pk, (0, 0)) for tier in tiers]
        result.append(
            ServiceRow(
                unit_id=unit_id,
                unit_name=unit["name"],
                is_lead_partner=unit["kind"] == Unit.Kind.LEAD_PARTNER,
                cells=cells,
                requested=sum(c[0] for c in cells),
                delivered=sum(c[1] for c in cells),
            )
        )
    return result


def serving_units(cluster: Cluster) -> QuerySet[Unit]:
    """The units that serve a cluster: every central-office unit and the cluster's own lead partner."""
    return Unit.objects.filter(Q(kind=Unit.Kind.CENTRAL) | Q(cluster=cluster))


def cluster_cell(cells: list[Cell], cluster_name: str) -> tuple[Cell, Cell]:
    """One cluster's cell of a unit's item broken down by cluster, and the unit's total, after
    suppression across every cluster (as `cycles.satisfaction.aggregates.breakdown` does). ``cells`` are
    suppressed in place, so every cluster's page hides the same cells."""
    total = Cell(
        label="All schools",
        n=sum(c.n for c in cells),
        total=sum(c.total for c in cells),
        favourable=sum(c.favourable for c in cells),
    )
    suppress(total, cells)
    own = next((c for c in cells if c.key == cluster_name), None)
    return own or Cell(label=cluster_name, key=cluster_name, n=0, suppressed=True), total


def cluster_satisfaction(*, cluster: Cluster, units: list[Unit], today: datetime.date) -> Satisfaction:
    """How the cluster's principals rate each unit serving them, in the latest term whose survey closed.

    Each unit's item is broken down by cluster over the whole district and suppressed exactly
    as the unit's own breakdown by cluster is (`cycles.satisfaction.aggregates.breakdown`): a small cluster's
    cell is hidden, and so are complementary cells, so no hidden cell can be worked out from
    the unit's total and the cells shown, here or on any other page. Three queries.
    """
    survey = Survey.objects.closed_by(today).select_related("term__school_year").order_by("-closes_on").first()
    items = list(SurveyItem.objects.scored())
    if survey is None or not units:
        return Satisfaction(term=survey.term if survey else None, items=items, rows=[])
    field_name = "submission__school__cluster__name"
    rows = (
        scored_answers()
        .filter(submission__survey__term_id=survey.term_id, submission__unit__in=[u.pk for u in units])
        .values("submission__unit_id", "item_id", field_name)
        .annotate(**AGG)
        .order_by("submission__unit_id", "item_id", field_name)
    )
    groups: dict[tuple[int, int], list[Cell]] = defaultdict(list)
    for row in rows:
        groups[(row["submission__unit_id"], row["item_id"])].append(
            Cell(
                label=str(row[field_name]),
                key=row[field_name],
                n=row["n"],
                total=row["total"] or 0,
                favourable=row["fav"],
            )
        )
    result = []
    for unit in units:
        mine, totals = [], []
        for item in items:
            own, total = cluster_cell(groups.get((unit.pk, item.pk), []), cluster.name)
            mine.append(own)
            totals.append(total)
        if any(c.n for c in totals):
            result.append(SatisfactionRow(unit=unit, cells=mine, district=totals, items=items))
    return Satisfaction(term=survey.term, items=items, rows=result)


def cluster_page(*, cluster: Cluster, year: SchoolYear | None, today: datetime.date | None = None) -> ClusterPage:
    """Everything the cluster's page, its CSVs and its PDF show, in a fixed number of queries."""
    day = today or timezone.localdate()
    units = list(serving_units(cluster).select_related("head").order_by("kind", "name"))
    lead_partners = [u for u in units if u.kind == Unit.Kind.LEAD_PARTNER]
    schools = cluster_schools(cluster=cluster, year=year, today=day)
    tiers = list(Tier.objects.filter(needs_request=True).order_by("order"))
    requests = Request.objects.filter(school__cluster=cluster)
    if year is not None:
        requests = requests.filter(term__school_year=year)
    times = [row for row in unit_response_times(requests=requests, unit_ids=[u.pk for u in units]) if row.requests]
    years = list(SchoolYear.objects.order_by("-start_date"))
    return ClusterPage(
        cluster=cluster,
        year=year,
        years=years,
        lead_partners=lead_partners,
        schools=schools,
        feeders=feeder_tree(schools),
        tiers=tiers,
        services=services_by_unit_and_tier(cluster=cluster, year=year, tiers=tiers),
        response_times=times,
        satisfaction=cluster_satisfaction(cluster=cluster, units=units, today=day),
        contracts=contract_reports(lead_partners, today=day, years=years),
    )
