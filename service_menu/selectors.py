"""Reads for the service-menu screens; each preloads what its template shows."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from coaching.models import GrowthGoal, Visit
from district.models import School, SchoolYear, Term, Unit
from district.roles import Roles
from service_menu.models import ContentArea, Menu, Request, RequestEvent, Service, Tier, UnitSettings

S = Request.Status


def current_term(day: datetime.date | None = None) -> Term | None:
    return Term.objects.containing(day)


def school_days_between(start: datetime.date, end: datetime.date) -> int:
    """Weekdays after ``start`` up to and including ``end`` (school holidays are not modelled)."""
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + datetime.timedelta(days=weeks * 7 + offset)).weekday() < 5:
            count += 1
    return count


def response_target(unit: Unit) -> int:
    settings = UnitSettings.objects.filter(unit=unit).first()
    return settings.response_target_days if settings else 3


def catalog_services() -> QuerySet[Service]:
    """Every service on the current published menus, with its unit, tier and area."""
    return Service.objects.on_current_menus().select_related("menu__unit__cluster", "tier", "content_area")


def alternative_services(*, request: Request) -> QuerySet[Service]:
    """What a unit may offer instead of the service declined: any other on the menus, by unit."""
    return (
        catalog_services()
        .offered_to(request.school)  # type: ignore[attr-defined]
        .exclude(key=request.service.key)
        .order_by("menu__unit__name", "menu__unit_id", "title")
    )


def requestable_services() -> list[Service]:
    """Services a school can ask for this year (not those every school already receives)."""
    return list(catalog_services().filter(tier__needs_request=True).order_by("menu__unit__name", "title"))


def capacity_used(*, keys: list[uuid.UUID], term: Term | None) -> dict[uuid.UUID, int]:
    """Places taken per service (by key) in one term, in one query."""
    if term is None or not keys:
        return {}
    rows = (
        Request.objects.holding_capacity()
        .filter(term=term, service__key__in=keys)
        .values("service__key")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["service__key"]: row["n"] for row in rows}


def with_remaining_capacity(services: list[Service], term: Term | None) -> list[Service]:
    """Annotate each service with ``used`` and ``remaining`` places this term."""
    used = capacity_used(keys=[s.key for s in services], term=term)
    for service in services:
        service.used = used.get(service.key, 0)  # type: ignore[attr-defined]
        service.remaining = (  # type: ignore[attr-defined]
            None if service.capacity_per_term is None else max(service.capacity_per_term - service.used, 0)  # type: ignore[attr-defined]
        )
    return services


def request_queryset() -> QuerySet[Request]:
    return Request.objects.select_related(
        "school__principal",
        "service__menu__unit",
        "service__tier",
        "service__content_area",
        "term__school_year",
        "requested_by",
        "endorsed_by",
        "answered_by",
        "growth_goal__practice",
        "alternative_service__menu__unit",
        "alternative_term",
        "brokered_from_visit",
        "taken_from",
        "rating",
    )


def request_rows() -> QuerySet[Request]:
    """Requests with only what a list row prints: school, service (its unit and tier), term.

    ``request_queryset`` joins some twenty tables for the request page; PostgreSQL spends
    longer planning that than running it, so tables of many rows read this narrower join.
    """
    return Request.objects.select_related("school", "service__menu__unit", "service__tier", "term")


def request_detail() -> QuerySet[Request]:
    return request_queryset().prefetch_related(
        Prefetch("events", queryset=RequestEvent.objects.select_related("by")),
        "deliveries__by",
        "alternatives_taken",
    )


def requests_visible_to(*, roles: Roles, requests: QuerySet[Request] | None = None) -> QuerySet[Request]:
    """Requests a person may list (of ``requests``, by default ``request_queryset()``): their
    unit's, their schools', or all for executives."""
    requests = request_queryset() if requests is None else requests
    if roles.sees_whole_district:
        return requests
    condition = Q(pk__in=[])
    school_ids = set(roles.caseload_school_ids)
    if roles.principal_school_id:
        school_ids.add(roles.principal_school_id)
    if school_ids:
        condition |= Q(school_id__in=school_ids)
    if roles.unit is not None:
        condition |= Q(service__menu__unit=roles.unit)
    return requests.filter(condition)


def is_overdue(request: Request, target_days: int, today: datetime.date | None = None) -> bool:
    """Waiting for the unit's first answer longer than its target, counted in school days."""
    if request.first_answered_at is not None or request.status not in {S.SUBMITTED, S.ENDORSED}:
        return False
    if request.status == S.SUBMITTED and request.service.tier.needs_endorsement:
        return False  # the ILD has not endorsed it yet, so the unit's clock has not started
    started = (request.endorsed_at or request.created_at).date()
    return school_days_between(started, today or timezone.localdate()) > target_days


def goals_for_request(*, school: School | None) -> QuerySet[GrowthGoal]:
    """The chosen school's draft and active goals, newest year first: what a request may serve."""
    if school is None:
        return GrowthGoal.objects.none()
    return (
        GrowthGoal.objects.filter(school=school, status__in=[GrowthGoal.Status.DRAFT, GrowthGoal.Status.ACTIVE])
        .select_related("practice", "school_year")
        .order_by("-school_year__start_date", "practice__order")
    )


def open_request_for(*, school: School, service: Service) -> Request | None:
    """The school's open request for this service (any version of it), if it has one."""
    return (
        Request.objects.open()
        .filter(school=school, service__key=service.key)
        .select_related("term__school_year", "service")
        .order_by("-created_at")
        .first()
    )


def _selectable(term: Term | None, day: datetime.date) -> bool:
    return term is not None and term.school_year.is_current and term.end_date >= day


def request_defaults(
    *,
    school: School | None,
    goals: QuerySet[GrowthGoal],
    visit: Visit | None = None,
    taken_from: Request | None = None,
    today: datetime.date | None = None,
) -> dict[str, Any]:
    """What the request form starts with, so the usual request takes no choosing.

    The term: the declined request's alternative (or its own term), else the current term.
    The goal: the declined request's, else the visit's single focus goal, else the school's
    only active goal. Text comes from the declined request or the brokering visit.
    """
    day = today or timezone.localdate()
    choices = {goal.pk: goal for goal in goals}
    initial: dict[str, Any] = {"school": school}
    terms = [taken_from.alternative_term, taken_from.term] if taken_from else []
    initial["term"] = next((t for t in [*terms, current_term(day)] if _selectable(t, day)), None)
    goal = None
    if taken_from is not None:
        goal = choices.get(taken_from.growth_goal_id or 0)
        initial |= {"improvement_priority": taken_from.improvement_priority, "rationale": taken_from.rationale}
    if visit is not None:
        focus = [g for g in visit.focus_goals.all() if g.pk in choices]
        goal = focus[0] if len(focus) == 1 else goal
        initial["rationale"] = f"Brokered in the visit of {visit.date:%b %-d}: {visit.brokered_resource}"
    if goal is None:
        active = [g for g in choices.values() if g.status == GrowthGoal.Status.ACTIVE]
        goal = active[0] if len(active) == 1 else None
    initial["growth_goal"] = goal
    return initial


@dataclass(frozen=True)
class School360:
    school: School
    year: SchoolYear | None
    years: list[SchoolYear]
    requests: list[Request]
    essentials: list[Service]
    visits: list[Visit]
    goals: list[GrowthGoal]

    @property
    def brokered_visits(self) -> list[Visit]:
        return [visit for visit in self.visits if visit.brokered_resource]


def school_360(*, school: School, year: SchoolYear | None) -> School360:
    """A school's year with the central office: requests to every unit, what every school
    receives, and its coaching (visits and goals) side by side.

    Private notes are not read. Who may see which visit or goal is the caller's business
    (the coaching rules); everything a row shows is preloaded here.
    """
    years = list(SchoolYear.objects.order_by("-start_date"))
    if year is None:
        return School360(school=school, year=None, years=years, requests=[], essentials=[], visits=[], goals=[])
    requests = list(
        request_queryset()
        .filter(school=school, term__school_year=year)
        .order_by("service__menu__unit__name", "-created_at")
    )
    essentials = [
        s
        for s in Service.objects.filter(
            menu__school_year=year, menu__status=Menu.Status.PUBLISHED, tier__needs_request=False
        )
        .select_related("menu__unit")
        .order_by("menu__unit__name", "title")
        if s.eligible_for(school)
    ]
    visits = list(
        Visit.objects.filter(school=school, date__gte=year.start_date, date__lte=year.end_date)
        .defer("private_note")
        .select_related("ild")
        .prefetch_related(
            Prefetch("service_requests", queryset=Request.objects.select_related("service")),
            Prefetch("focus_goals", queryset=GrowthGoal.objects.select_related("practice")),
        )
        .order_by("-date", "-start_time")
    )
    goals = list(
        GrowthGoal.objects.filter(school=school, school_year=year)
        .select_related("practice", "target_level", "principal")
        .order_by("practice__order")
    )
    return School360(
        school=school, year=year, years=years, requests=requests, essentials=essentials, visits=visits, goals=goals
    )


def catalog_grouped(services: list[Service]) -> list[tuple[ContentArea, list[tuple[Tier, list[Service]]]]]:
    """Services grouped by content area, then tier: the shape of the printed catalog."""
    areas: dict[int, tuple[ContentArea, dict[int, tuple[Tier, list[Service]]]]] = {}
    for service in services:
        area_entry = areas.setdefault(service.content_area_id, (service.content_area, {}))
        area_entry[1].setdefault(service.tier_id, (service.tier, []))[1].append(service)
    result = []
    for area, tiers in sorted(areas.values(), key=lambda e: (e[0].order, e[0].name)):
        result.append((area, sorted(tiers.values(), key=lambda t: t[0].order)))
    return result


def tiers_in(groups: list[tuple[ContentArea, list[tuple[Tier, list[Service]]]]]) -> list[Tier]:
    """The tiers a grouped catalog holds, in tier order: the key printed above it."""
    tiers = {tier.pk: tier for _, area_tiers in groups for tier, _ in area_tiers}
    return sorted(tiers.values(), key=lambda tier: tier.order)


def unit_capacity(*, unit: Unit) -> list[Service]:
    """The unit's current services with places used and left this term (two queries)."""
    menu = Menu.objects.current().filter(unit=unit).first()
    if menu is None:
        return []
    services = [s for s in menu.services.select_related("tier") if s.capacity_per_term is not None]
    return with_remaining_capacity(services, current_term())
