"""Every unit's response times side by side, computed in SQL for all units at once.

The measures are the ones each unit's own measures page shows (`service_menu.pipeline.unit_measures`):
school days from the request (or the ILD's endorsement, when the tier needs one) to the
unit's first answer, the share answered within the unit's target, and how often the answer
was "no, but …". Added here: school days from the request to delivery. The page costs four
queries however many units and requests there are.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    Exists,
    Expression,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Greatest, Least, RowNumber
from django.db.models.lookups import LessThanOrEqual

from district.models import SchoolYear, Unit
from service_menu.models import Request, RequestEvent

S = Request.Status
DEFAULT_TARGET_DAYS = 3  # as `selectors.response_target` when a unit has no settings


class DayNumber(Func):
    """Days from Monday 3 January 2000 to a date, or to a timestamp's date in UTC.

    Django keeps its database sessions in UTC, so a timestamp's date here is the date that
    `datetime.date()` gives for the same value in Python.
    """

    output_field = IntegerField()
    arity = 1
    template = "(CAST(%(expressions)s AS DATE) - DATE '2000-01-03')"  # PostgreSQL

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(date(%(expressions)s)) - julianday('2000-01-03') AS INTEGER)",
            **extra_context,
        )


def _weekdays_through(day: Combinable) -> Combinable:
    """Weekdays from Monday 3 January 2000 up to and including ``day``."""
    n = DayNumber(day) + 1
    weeks = n / 7  # whole weeks: integer division, as every operand is an integer
    return weeks * 5 + Least(n - weeks * 7, Value(5))


def school_days(start: Combinable | str, end: Combinable | str) -> Expression:
    """Weekdays after ``start`` up to and including ``end``: `selectors.school_days_between` in SQL."""
    start_expr = F(start) if isinstance(start, str) else start
    end_expr = F(end) if isinstance(end, str) else end
    return Greatest(_weekdays_through(end_expr) - _weekdays_through(start_expr), Value(0))


def _clock_start() -> Expression:
    """The unit's clock starts at the ILD's endorsement, or at the request when none was needed."""
    return Coalesce("endorsed_at", "created_at")


def _days_to_delivery() -> Expression:
    """School days from the clock's start to the first delivery (only for delivered requests).

    The subquery returns the delivery's weekday number itself, so PostgreSQL runs it once per
    row instead of once per mention in the weekday arithmetic (about seven times faster).
    """
    delivered_weekday = Subquery(
        RequestEvent.objects.filter(request=OuterRef("pk"), to_status=S.DELIVERED)
        .order_by("at")
        .annotate(weekday=_weekdays_through(F("at")))
        .values("weekday")[:1]
    )
    return Greatest(delivered_weekday - _weekdays_through(_clock_start()), Value(0))


def _medians(
    requests: QuerySet[Request], days: Expression, by: Sequence[str] = ("service__menu__unit_id",)
) -> dict[tuple[Any, ...], float]:
    """Median of ``days`` per group of ``by`` (per unit by default), keyed by the group's values:
    the middle row (or the two middle rows) of each group, by rank."""
    groups = [F(field) for field in by]
    ranked = requests.annotate(
        days=days,
        rank=Window(RowNumber(), partition_by=groups, order_by=[F("days").asc(), F("pk").asc()]),
        rows=Window(Count("pk"), partition_by=groups),
    ).filter(rank__gte=(F("rows") + 1) / 2, rank__lte=(F("rows") + 2) / 2)
    middles: dict[tuple[Any, ...], list[int]] = {}
    for row in ranked.values(*by, "days"):
        middles.setdefault(tuple(row[field] for field in by), []).append(row["days"])
    return {key: sum(values) / len(values) for key, values in middles.items()}


def _target_days() -> Expression:
    """The unit's response target in school days, or the default when it has no settings."""
    return Coalesce(F("service__menu__unit__service_settings__response_target_days"), Value(DEFAULT_TARGET_DAYS))


ANSWERED = Q(first_answered_at__isnull=False)


def _answered_within_target() -> Q:
    return ANSWERED & Q(LessThanOrEqual(school_days(_clock_start(), "first_answered_at"), _target_days()))


@dataclass(frozen=True)
class UnitResponseTimes:
    unit: Unit
    target_days: int
    requests: int
    answered: int
    delivered: int
    median_days_to_answer: float | None
    median_days_to_delivery: float | None
    within_target: float | None
    no_but_rate: float | None


def unit_response_times(
    *,
    requests: QuerySet[Request] | None = None,
    unit_ids: Collection[int] | None = None,
    school_year: SchoolYear | None = None,
) -> list[UnitResponseTimes]:
    """Every unit (or those in ``unit_ids``), by name, with its response measures over all its
    requests, or over ``requests`` when given, e.g. one cluster's, and only those for the terms
    of ``school_year`` when given (four queries)."""
    base = requests if requests is not None else Request.objects.all()
    if school_year is not None:
        base = base.filter(term__school_year=school_year)
    units_qs = Unit.objects.select_related("service_settings").order_by("name")
    if unit_ids is not None:
        units_qs = units_qs.filter(pk__in=list(unit_ids))
        base = base.filter(service__menu__unit_id__in=list(unit_ids))
    units = list(units_qs)
    declined = Q(Exists(RequestEvent.objects.filter(request=OuterRef("pk"), to_status=S.DECLINED)))
    delivered = Q(Exists(RequestEvent.objects.filter(request=OuterRef("pk"), to_status=S.DELIVERED)))
    totals: dict[int, dict[str, Any]] = {
        row["service__menu__unit_id"]: dict(row)
        for row in base.values("service__menu__unit_id")
        .annotate(
            requests=Count("pk"),
            answered=Count("pk", filter=ANSWERED),
            within=Count("pk", filter=_answered_within_target()),
            declined=Count("pk", filter=ANSWERED & declined),
            delivered=Count("pk", filter=delivered),
        )
        .order_by()
    }
    to_answer = _medians(base.filter(ANSWERED), school_days(_clock_start(), "first_answered_at"))
    to_delivery = _medians(base.filter(delivered), _days_to_delivery())
    rows = []
    for unit in units:
        total = totals.get(unit.pk, {})
        settings = getattr(unit, "service_settings", None)
        n_answered = total.get("answered", 0)
        rows.append(
            UnitResponseTimes(
                unit=unit,
                target_days=settings.response_target_days if settings else DEFAULT_TARGET_DAYS,
                requests=total.get("requests", 0),
                answered=n_answered,
                delivered=total.get("delivered", 0),
                median_days_to_answer=to_answer.get((unit.pk,)),
                median_days_to_delivery=to_delivery.get((unit.pk,)),
                within_target=total["within"] / n_answered if n_answered else None,
                no_but_rate=total["declined"] / n_answered if n_answered else None,
            )
        )
    return rows


@dataclass(frozen=True)
class AnswerTimes:
    """A unit's first answers over one school year's requests."""

    answered: int
    median_days_to_answer: float | None
    within_target: float | None


def unit_answer_times_by_year(
    *, unit_ids: Collection[int], year_ids: Collection[int]
) -> dict[tuple[int, int], AnswerTimes]:
    """(unit, school year) → the unit's first answers over the year's requests (by their term's
    year), with the same figures as `unit_response_times` over that year's requests alone.

    Pairs without an answered request are left out. Two queries, however many units and years.
    """
    if not unit_ids or not year_ids:
        return {}
    by = ("service__menu__unit_id", "term__school_year_id")
    answered = Request.objects.filter(
        ANSWERED, service__menu__unit_id__in=list(unit_ids), term__school_year_id__in=list(year_ids)
    )
    totals = (
        answered.values(*by)
        .annotate(answered=Count("pk"), within=Count("pk", filter=_answered_within_target()))
        .order_by()
    )
    medians = _medians(answered, school_days(_clock_start(), "first_answered_at"), by)
    return {
        (row["service__menu__unit_id"], row["term__school_year_id"]): AnswerTimes(
            answered=row["answered"],
            median_days_to_answer=medians.get((row["service__menu__unit_id"], row["term__school_year_id"])),
            within_target=row["within"] / row["answered"],
        )
        for row in totals
    }
