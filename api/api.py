"""The read API, version 1: every endpoint reads, none writes.

A token acts as its person: each endpoint asks the same rules and uses the same scoped
querysets as the pages, so a list holds what that person's pages list, and an object
they may not see is a 404, as on the pages.
"""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from api import selectors
from api.auth import TokenAuth, TokenRateThrottle
from api.schemas import (
    ActionOut,
    CaseloadOut,
    ClusterOut,
    CycleOut,
    GoalOut,
    MenuOut,
    NextStepOut,
    RequestOut,
    SatisfactionOut,
    SchoolOut,
    ServiceOut,
    UnitOut,
    VisitOut,
)
from coaching.selectors import visit_queryset
from district.access import can, get_visible_or_404
from district.models import User

PAGE_SIZE = 100
MAX_PAGE_SIZE = 500

api = NinjaAPI(
    title="Schoolward read API",
    version="1",
    description=(
        "Read-only access to what the token's person sees in Schoolward. Send a personal token "
        "as `Authorization: Bearer <token>`. Lists are paged (`page`, `page_size` up to 500) and "
        "take `updated_since` (ISO 8601) for incremental sync. Private notes and individual "
        "survey answers are never returned."
    ),
    auth=TokenAuth(),
    throttle=[TokenRateThrottle()],
    urls_namespace="api",
)


class Since(Schema):
    updated_since: datetime.datetime | None = None


class Page(Schema):
    page: int = 1
    page_size: int = PAGE_SIZE


def _person(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - TokenAuth sets the token's person
    return user


def _since[Q: QuerySet[Any]](queryset: Q, since: Since) -> Q:
    moment = since.updated_since
    if moment is None:
        return queryset
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return queryset.filter(updated_at__gt=moment)


def _require(request: HttpRequest, perm: str) -> None:
    if not can(request.user, perm):
        raise HttpError(403, "Your role does not give access to this list.")


def _page_bounds(page: Page) -> tuple[int, int]:
    if page.page < 1 or page.page_size < 1:
        raise HttpError(422, "page and page_size start at 1.")
    size = min(page.page_size, MAX_PAGE_SIZE)
    start = (page.page - 1) * size
    return start, start + size


paged = paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)


@api.get("/schools", response=list[SchoolOut], tags=["district"])
@paged
def schools(request: HttpRequest, since: Query[Since]) -> Any:
    _require(request, "district.list_schools")
    return _since(selectors.schools_for(_person(request)), since)


@api.get("/schools/{school_id}", response=SchoolOut, tags=["district"])
def school(request: HttpRequest, school_id: int) -> Any:
    schools = selectors.schools_for(_person(request))
    return get_visible_or_404(request.user, schools, "district.view_school", pk=school_id)


@api.get("/clusters", response=list[ClusterOut], tags=["district"])
@paged
def clusters(request: HttpRequest, since: Query[Since]) -> Any:
    return _since(selectors.clusters_for(_person(request)), since)


@api.get("/units", response=list[UnitOut], tags=["district"])
@paged
def units(request: HttpRequest, since: Query[Since]) -> Any:
    return _since(selectors.units_for(_person(request)), since)


@api.get("/caseloads", response=list[CaseloadOut], tags=["district"])
@paged
def caseloads(request: HttpRequest, since: Query[Since]) -> Any:
    return _since(selectors.caseloads_for(_person(request)), since)


@api.get("/visits", response=list[VisitOut], tags=["coaching"])
@paged
def visits(request: HttpRequest, since: Query[Since]) -> Any:
    _require(request, "coaching.list_visits")
    return _since(selectors.visits_for(_person(request)), since)


@api.get("/visits/{visit_id}", response=VisitOut, tags=["coaching"])
def visit(request: HttpRequest, visit_id: int) -> Any:
    visits = visit_queryset().defer("private_note")
    return get_visible_or_404(request.user, visits, "coaching.view_visit", pk=visit_id)


@api.get("/next-steps", response=list[NextStepOut], tags=["coaching"])
@paged
def next_steps(request: HttpRequest, since: Query[Since]) -> Any:
    return _since(selectors.next_steps_for(_person(request)), since)


@api.get("/goals", response=list[GoalOut], tags=["coaching"])
@paged
def goals(request: HttpRequest, since: Query[Since]) -> Any:
    return _since(selectors.goals_for(_person(request)), since)


@api.get("/menus", response=list[MenuOut], tags=["services"])
@paged
def menus(request: HttpRequest, since: Query[Since]) -> Any:
    return _since(selectors.menus_for(_person(request)), since)


@api.get("/services", response=list[ServiceOut], tags=["services"])
@paged
def services(request: HttpRequest, since: Query[Since]) -> Any:
    return _since(selectors.services_for(_person(request)), since)


@api.get("/requests", response=list[RequestOut], tags=["services"])
@paged
def requests(request: HttpRequest, since: Query[Since]) -> Any:
    _require(request, "service_menu.list_requests")
    return _since(selectors.requests_for(_person(request)), since)


@api.get("/requests/{request_id}", response=RequestOut, tags=["services"])
def service_request(request: HttpRequest, request_id: int) -> Any:
    queryset = selectors.requests_for(_person(request))
    return get_visible_or_404(request.user, queryset, "service_menu.view_request", pk=request_id)


class CyclePage(Schema):
    items: list[CycleOut]
    count: int


@api.get("/cycles", response=CyclePage, tags=["cycles"])
def cycles(request: HttpRequest, since: Query[Since], page: Query[Page]) -> Any:
    start, end = _page_bounds(page)
    queryset = _since(selectors.cycles_for(_person(request)), since)
    return {"items": selectors.with_readings(list(queryset[start:end])), "count": queryset.count()}


@api.get("/actions", response=list[ActionOut], tags=["cycles"])
@paged
def actions(request: HttpRequest, since: Query[Since]) -> Any:
    return _since(selectors.actions_for(_person(request)), since)


class SatisfactionPage(Schema):
    items: list[SatisfactionOut]
    count: int
    threshold: int


@api.get("/satisfaction", response=SatisfactionPage, tags=["satisfaction"])
def satisfaction(request: HttpRequest, page: Query[Page], unit_id: int | None = None) -> Any:
    """Units' means per item and closed term, beside the district average.

    A result over fewer responses than the anonymity threshold is hidden (mean, share and
    count all null), exactly as on the pages. No comment and no individual answer is ever
    returned.
    """
    from cycles.satisfaction.aggregates import min_responses

    units = selectors.satisfaction_units_for(_person(request))
    if unit_id is not None:
        units = units.filter(pk=unit_id)
    start, end = _page_bounds(page)
    rows = selectors.satisfaction_rows(units=list(units))
    return {
        "items": [SatisfactionOut.of(row) for row in rows[start:end]],
        "count": len(rows),
        "threshold": min_responses(),
    }
