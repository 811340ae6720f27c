"""Reads for the org-chart screens. Each selector preloads what its template touches."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from district.models import Caseload, Cluster, School, SchoolYear, Term, Unit, UnitMembership, User
from district.roles import Roles


def _current_ild_prefetch(on: datetime.date | None = None) -> Prefetch:
    return Prefetch(
        "caseloads",
        queryset=Caseload.objects.current(on).select_related("ild"),
        to_attr="current_caseloads",
    )


def school_list(*, viewer: User) -> QuerySet[School]:
    """Schools the viewer may see, with cluster, principal and current ILD preloaded."""
    return (
        School.objects.visible_to(viewer)
        .select_related("cluster", "principal")
        .prefetch_related(_current_ild_prefetch())
        .order_by("name")
    )


def current_ild_names(*, schools: QuerySet[School], on: datetime.date | None = None) -> dict[int, list[str]]:
    """Each of ``schools``' current ILDs' names by school id, in one query and in the order
    ``school_list``'s prefetch gives them (the latest caseload first)."""
    names: dict[int, list[str]] = {}
    caseloads = (
        Caseload.objects.current(on)
        .filter(school__in=schools.values("pk"))
        .order_by("school_id", "-start_date")
        .values_list("school_id", "ild__full_name")
    )
    for school_id, name in caseloads:
        names.setdefault(school_id, []).append(name)
    return names


def school_detail(*, code: str) -> QuerySet[School]:
    """One school by code, with its caseload history and the units serving its cluster."""
    return (
        School.objects.filter(code=code)
        .select_related("cluster", "principal", "feeds_into")
        .prefetch_related(
            Prefetch("caseloads", queryset=Caseload.objects.select_related("ild").order_by("-start_date")),
            Prefetch(
                "cluster__lead_partner_units",
                queryset=Unit.objects.select_related("head"),
            ),
        )
    )


def unit_list() -> QuerySet[Unit]:
    """Every unit with its head and a count of its staff."""
    return Unit.objects.select_related("head", "cluster").annotate(staff_count=Count("memberships"))


def unit_detail() -> QuerySet[Unit]:
    return Unit.objects.select_related("head", "cluster").prefetch_related(
        Prefetch("memberships", queryset=UnitMembership.objects.select_related("user"))
    )


@dataclass(frozen=True)
class DistrictOverview:
    school_count: int
    schools_without_principal: int
    schools_without_ild: int
    ild_count: int
    unit_count: int
    clusters: Sequence[Cluster]
    current_year: SchoolYear | None
    current_term: Term | None


def district_overview(*, on: datetime.date | None = None) -> DistrictOverview:
    """District-wide counts for the executive home: coverage of principals and ILDs."""
    day = on or timezone.localdate()
    current_caseload = Caseload.objects.current(day).filter(school=OuterRef("pk"))
    active = School.objects.active()
    counts = active.aggregate(
        total=Count("pk"),
        without_principal=Count("pk", filter=Q(principal__isnull=True)),
    )
    without_ild = active.exclude(Exists(current_caseload)).count()
    clusters = list(
        Cluster.objects.annotate(school_count=Count("schools", filter=Q(schools__active=True))).order_by("name")
    )
    current_year = SchoolYear.objects.current()
    return DistrictOverview(
        school_count=counts["total"],
        schools_without_principal=counts["without_principal"],
        schools_without_ild=without_ild,
        ild_count=Caseload.objects.current(day).values("ild").distinct().count(),
        unit_count=Unit.objects.count(),
        clusters=clusters,
        current_year=current_year,
        current_term=current_term(day),
    )


def current_term(on: datetime.date | None = None) -> Term | None:
    return Term.objects.containing(on)


def principal_school_ild(*, roles: Roles) -> User | None:
    """The principal's current ILD, if one is assigned."""
    if roles.principal_school is None:
        return None
    caseload = Caseload.objects.current().filter(school=roles.principal_school).select_related("ild").first()
    return caseload.ild if caseload else None


def unit_staff(*, roles: Roles) -> list[UnitMembership]:
    """The staff of the person's own unit, for the unit panel of the home page."""
    if roles.unit is None:
        return []
    return list(UnitMembership.objects.filter(unit=roles.unit).select_related("user"))
