"""Reads for the service-menu part of the home page: the requests someone should act on next."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, Exists, IntegerField, OuterRef, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from district.models import School, Unit
from district.roles import Roles
from service_menu.models import Request
from service_menu.selectors import is_overdue, request_rows, response_target, school_days_between

S = Request.Status
SHOWN = 10  # requests listed on a home; the rest are one tap away in the full list


def awaiting_endorsement(*, roles: Roles) -> list[Request]:
    """Requests from the ILD's schools that wait for their endorsement, oldest first (one query)."""
    if not roles.is_ild:
        return []
    return list(
        request_rows()
        .select_related("requested_by")
        .filter(school_id__in=roles.caseload_school_ids, status=S.SUBMITTED, service__tier__needs_endorsement=True)
        .order_by("created_at")
    )


@dataclass(frozen=True)
class SchoolRequests:
    """A school's requests this year, as its principal should read them."""

    no_but: list[Request]
    to_rate: list[Request]
    answered: list[Request]
    waiting: list[Request]


def school_requests(*, school: School) -> SchoolRequests:
    """Answers first, and among them every "no, but …" whose alternative is not taken up yet.

    Then delivered services still to rate, the other answers, and the requests still waiting
    for one. Current school year only; one query.
    """
    taken = Exists(Request.objects.filter(taken_from=OuterRef("pk")))
    requests = list(
        request_rows()
        .select_related("alternative_service__menu__unit", "alternative_term", "rating")
        .filter(school=school, term__school_year__is_current=True)
        .exclude(status=S.CANCELLED)
        .annotate(
            alternative_taken=taken,
            answer_order=Case(When(status=S.DECLINED, then=Value(0)), default=Value(1), output_field=IntegerField()),
        )
        .order_by("answer_order", "-first_answered_at", "-created_at")
    )
    return SchoolRequests(
        no_but=[r for r in requests if r.status == S.DECLINED and not r.alternative_taken],
        to_rate=[r for r in requests if r.status in {S.DELIVERED, S.CLOSED} and not hasattr(r, "rating")],
        answered=[r for r in requests if r.status in {S.ACCEPTED, S.SCHEDULED, S.WAITLISTED}],
        waiting=[r for r in requests if r.status in {S.SUBMITTED, S.ENDORSED}],
    )


@dataclass(frozen=True)
class Awaiting:
    request: Request
    school_days: int
    overdue: bool


@dataclass(frozen=True)
class UnitQueue:
    """The unit's requests awaiting its answer, oldest first, and those still with the ILD."""

    target_days: int
    awaiting: list[Awaiting]
    with_ild: int

    @property
    def shown(self) -> list[Awaiting]:
        return self.awaiting[:SHOWN]

    @property
    def overdue(self) -> int:
        return sum(1 for a in self.awaiting if a.overdue)


def unit_queue(*, unit: Unit, today: datetime.date | None = None) -> UnitQueue:
    """Requests the unit must answer, oldest first by when its clock started (two queries).

    A request whose tier needs the ILD's endorsement is not the unit's to answer until it is
    endorsed: it is counted apart, not listed.
    """
    day = today or timezone.localdate()
    target = response_target(unit)
    requests = list(
        request_rows()
        .filter(service__menu__unit=unit)
        .awaiting_answer()  # type: ignore[attr-defined]
        .order_by(Coalesce("endorsed_at", "created_at"), "pk")
    )
    with_ild = [r for r in requests if r.status == S.SUBMITTED and r.service.tier.needs_endorsement]
    return UnitQueue(
        target_days=target,
        awaiting=[
            Awaiting(
                request=r,
                school_days=school_days_between((r.endorsed_at or r.created_at).date(), day),
                overdue=is_overdue(r, target, day),
            )
            for r in requests
            if r not in with_ild
        ],
        with_ild=len(with_ild),
    )


def unit_past_dates(*, unit: Unit, today: datetime.date | None = None) -> list[Request]:
    """Scheduled requests whose last date has passed: to mark delivered, or to schedule again.

    Oldest first; one query.
    """
    day = today or timezone.localdate()
    return list(
        request_rows()
        .filter(service__menu__unit=unit, status=S.SCHEDULED, scheduled_end__lt=day)
        .order_by("scheduled_end", "pk")
    )
