"""A unit's pipeline, measured: how long schools wait for an answer and how often they get
what they asked, this school year at the top and term by term below (the measures page)."""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from district.charts import Chart, line_chart, stacked_bar_chart
from district.models import SchoolYear, Unit
from service_menu.models import Menu, Request, RequestEvent
from service_menu.selectors import current_term, response_target, school_days_between, with_remaining_capacity

S = Request.Status


OUTCOMES = ("Accepted", "Declined with an alternative", "Waitlisted", "Other")


@dataclass
class UnitMeasures:
    unit: Unit
    target_days: int
    school_year: SchoolYear | None = None
    requests: int = 0
    answered: int = 0
    median_days_to_answer: float | None = None
    within_target: float | None = None
    accept_rate: float | None = None
    decline_rate: float | None = None
    waitlist_rate: float | None = None
    alternatives_offered: int = 0
    alternatives_taken: int = 0
    hours_saved: float = 0.0
    capacity_rows: list[dict[str, object]] = field(default_factory=list)
    demand_rows: list[dict[str, object]] = field(default_factory=list)
    term_rows: list[tuple[object, ...]] = field(default_factory=list)
    trend_chart: Chart | None = None
    answer_chart: Chart | None = None


def unit_measures(*, unit: Unit, today: datetime.date | None = None) -> UnitMeasures:
    """The unit's pipeline, measured: how long schools wait and how often they get what they asked."""
    day = today or timezone.localdate()
    target = response_target(unit)
    year = SchoolYear.objects.current()
    measures = UnitMeasures(unit=unit, target_days=target, school_year=year)
    requests: list[Any] = list(
        Request.objects.for_unit(unit)
        .order_by("created_at")
        .values_list(
            "pk",
            "term_id",
            "status",
            "endorsed_at",
            "created_at",
            "first_answered_at",
            "alternative_service_id",
            "alternative_term_id",
            "alternative_note",
            "term__start_date",
            "term__name",
            "term__school_year_id",
            "term__school_year__name",
            named=True,
        )
    )
    wait = {
        r.pk: school_days_between((r.endorsed_at or r.created_at).date(), r.first_answered_at.date())
        for r in requests
        if r.first_answered_at is not None
    }
    # The figures at the top are this school year's; the tables and charts by term go back to the start.
    this_year = [r for r in requests if year is None or r.term__school_year_id == year.pk]
    this_year_pks = {r.pk for r in this_year}
    measures.requests = len(this_year)
    waits = [wait[r.pk] for r in this_year if r.pk in wait]
    measures.answered = len(waits)
    if waits:
        measures.median_days_to_answer = statistics.median(waits)
        measures.within_target = sum(1 for w in waits if w <= target) / len(waits)
    reached = defaultdict(set)
    for event in RequestEvent.objects.filter(request__service__menu__unit=unit).values("request_id", "to_status"):
        reached[event["to_status"]].add(event["request_id"])
    if measures.answered:
        measures.accept_rate = len(reached[S.ACCEPTED] & this_year_pks) / measures.answered
        measures.decline_rate = len(reached[S.DECLINED] & this_year_pks) / measures.answered
        measures.waitlist_rate = len(reached[S.WAITLISTED] & this_year_pks) / measures.answered
    declined = [
        r.pk
        for r in this_year
        if r.status == S.DECLINED and (r.alternative_service_id or r.alternative_term_id or r.alternative_note.strip())
    ]
    measures.alternatives_offered = len(declined)
    measures.alternatives_taken = Request.objects.filter(taken_from__in=declined).count()
    delivered = Request.objects.for_unit(unit).filter(status__in=[S.DELIVERED, S.CLOSED])
    if year is not None:
        delivered = delivered.filter(term__school_year=year)
    measures.hours_saved = float(delivered.aggregate(h=Sum("service__hours_saved"))["h"] or 0)
    term = current_term(day)
    menu = Menu.objects.current().filter(unit=unit).first()
    if menu is not None:
        services = with_remaining_capacity(list(menu.services.select_related("tier", "content_area")), term)
        measures.capacity_rows = [
            {"service": s, "used": s.used, "capacity": s.capacity_per_term}  # type: ignore[attr-defined]
            for s in services
        ]
        demand = (
            Request.objects.for_unit(unit)
            .filter(term=term)
            .values("service__content_area__name")
            .annotate(n=Count("pk"))
            .order_by()
            if term
            else []
        )
        supply: dict[str, int] = defaultdict(int)
        for s in services:
            supply[s.content_area.name] += s.capacity_per_term or 0
        demand_by_area = {row["service__content_area__name"]: row["n"] for row in demand}
        measures.demand_rows = [
            {"area": area, "demand": demand_by_area.get(area, 0), "supply": supply.get(area, 0)}
            for area in sorted(set(supply) | set(demand_by_area))
        ]
    term_label = {r.term_id: (r.term__start_date, f"{r.term__name} {r.term__school_year__name}") for r in requests}
    term_ids = sorted(term_label, key=lambda pk: term_label[pk])
    per_term_waits: dict[int, list[int]] = defaultdict(list)
    per_term_status: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in requests:
        if r.pk in wait:
            per_term_waits[r.term_id].append(wait[r.pk])
        outcome = (
            "Accepted"
            if r.pk in reached[S.ACCEPTED]
            else "Declined with an alternative"
            if r.status == S.DECLINED
            else "Waitlisted"
            if r.status == S.WAITLISTED
            else "Other"
        )
        per_term_status[r.term_id][outcome] += 1
    labels = [term_label[pk][1] for pk in term_ids]
    medians = [float(statistics.median(per_term_waits[pk])) if per_term_waits[pk] else None for pk in term_ids]
    measures.term_rows = [
        (
            label,
            sum(per_term_status[pk].values()),
            len(per_term_waits[pk]),
            "" if median is None else median,
            *(per_term_status[pk].get(name, 0) for name in OUTCOMES),
        )
        for label, pk, median in zip(labels, term_ids, medians, strict=True)
    ]
    measures.trend_chart = line_chart(
        title="Median school days to a first answer, by term",
        categories=labels,
        series=[
            ("Median days", medians),
        ],
        y_min=0,
        y_max=max([target * 2, *[max(v) for v in per_term_waits.values() if v]], default=target * 2),
        guides=[(f"Target: {target} days", target)],
        empty_text="No answered requests yet.",
        counts=[len(per_term_waits[pk]) or None for pk in term_ids],
        note="n: requests answered that term.",
    )
    measures.answer_chart = stacked_bar_chart(
        title="How requests were answered, by term",
        categories=labels,
        series=[(name, [per_term_status[pk].get(name, 0) for pk in term_ids]) for name in OUTCOMES],
        as_share=True,
        empty_text="No requests yet.",
    )
    return measures
