"""Reads for the coaching screens. Each selector preloads everything its template shows."""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import (
    Avg,
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from coaching.forms import goal_label
from coaching.models import (
    GrowthGoal,
    LeadershipPractice,
    LeadRole,
    NextStep,
    PracticeLevel,
    TeachingMove,
    Visit,
    VisitMove,
)
from district.charts import Chart, line_chart, stacked_bar_chart
from district.models import Caseload, School, SchoolYear, Term, User
from district.roles import Roles


def _count(queryset: QuerySet[Any], column: str = "pk") -> Coalesce:
    """A correlated COUNT subquery, so several counts on one row never multiply each other."""
    return Coalesce(
        Subquery(
            queryset.order_by().values(column).annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def _sum(queryset: QuerySet[Any], column: str, field: str) -> Coalesce:
    """A correlated SUM subquery of ``field``, grouped on ``column`` (see `_count`)."""
    return Coalesce(
        Subquery(
            queryset.order_by().values(column).annotate(total=Sum(field)).values("total")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def _term_of(date_field: str, terms: Sequence[Term]) -> Case:
    """The id of the term (of ``terms``, in order of start) a row's date falls in, to group rows
    by term in SQL; a CASE over a few known terms rather than a subquery run for every row."""
    return Case(
        *(When(**{f"{date_field}__range": (t.start_date, t.end_date)}, then=Value(t.pk)) for t in terms),
        default=None,
        output_field=IntegerField(),
    )


def visits_per_term_target() -> int:
    return int(getattr(settings, "COACHING_VISITS_PER_TERM", 6))


def visit_queryset() -> QuerySet[Visit]:
    """Visits with everything a visit page, row or PDF shows."""
    return Visit.objects.select_related(
        "school__cluster", "school__principal", "ild", "observed_level__practice"
    ).prefetch_related(
        "moves",
        "service_requests__service",
        Prefetch("next_steps", queryset=NextStep.objects.order_by("owner", "due_date")),
        Prefetch("focus_goals", queryset=GrowthGoal.objects.select_related("practice")),
    )


def visits_visible_to(*, roles: Roles) -> QuerySet[Visit]:
    """The visits a person may list: the whole district, a caseload's schools, or one school."""
    visits = Visit.objects.select_related("school", "ild").prefetch_related("moves")
    if roles.sees_whole_district:
        return visits
    school_ids = set(roles.caseload_school_ids)
    if roles.principal_school_id:
        school_ids.add(roles.principal_school_id)
    return visits.filter(school_id__in=school_ids)


def caseload_rows(*, ild: User, today: datetime.date | None = None) -> QuerySet[School]:
    """The ILD's current caseload, one row per school with its coaching numbers.

    Visits and minutes in schools this term count done visits only.

    Every number is a correlated subquery, so the page costs the same few queries for
    three schools or thirty.
    """
    day = today or timezone.localdate()
    term = Term.objects.containing(day)
    year = SchoolYear.objects.current()
    term_start, term_end = (term.start_date, term.end_date) if term else (day, day)
    year_start, year_end = (year.start_date, year.end_date) if year else (day, day)
    school_visits = Visit.objects.filter(school=OuterRef("pk"))
    done_this_year = school_visits.done().between(year_start, year_end)
    return (
        School.objects.in_caseload_of(ild, day)
        .select_related("principal", "cluster")
        .annotate(
            active_goals=_count(GrowthGoal.objects.active().filter(school=OuterRef("pk")), "school"),
            last_visit=Subquery(school_visits.done().order_by("-date").values("date")[:1]),
            next_visit=Subquery(school_visits.planned().filter(date__gte=day).order_by("date").values("date")[:1]),
            visits_this_term=_count(school_visits.done().between(term_start, term_end), "school"),
            minutes_this_term=_sum(school_visits.done().between(term_start, term_end), "school", "duration_minutes"),
            visits_this_year=_count(done_this_year, "school"),
            joint_this_year=_count(done_this_year.joint(), "school"),
            overdue_steps=_count(NextStep.objects.overdue(day).filter(visit__school=OuterRef("pk")), "visit__school"),
        )
        .order_by("name")
    )


@dataclass(frozen=True)
class PracticeMix:
    moves_chart: Chart
    lead_chart: Chart
    joint_share: float | None
    visit_count: int


def _terms_between(start: datetime.date, end: datetime.date) -> list[Term]:
    return list(
        Term.objects.filter(end_date__gte=start, start_date__lte=end)
        .select_related("school_year")
        .order_by("start_date")
    )


def _term_label(term: Term) -> str:
    return f"{term.name} {term.school_year.name}"


def practice_mix(*, ild: User, today: datetime.date | None = None) -> PracticeMix:
    """The ILD's teaching moves and who led, term by term over the last two years."""
    day = today or timezone.localdate()
    visits = Visit.objects.done().filter(ild=ild, date__lte=day)
    first_visit = visits.order_by("date").values_list("date", flat=True).first()
    terms = _terms_between(max(day - datetime.timedelta(days=730), first_visit or day), day)
    labels = [_term_label(t) for t in terms]

    move_counts: dict[tuple[int, str], int] = defaultdict(int)
    lead_counts: dict[tuple[int, int | None], int] = defaultdict(int)
    if terms:
        term_id = _term_of("visit__date", terms)
        for move_row in (
            VisitMove.objects.filter(visit__in=visits.filter(date__gte=terms[0].start_date))
            .annotate(term_id=term_id)
            .values("term_id", "move")
            .annotate(n=Count("pk"))
        ):
            move_counts[(move_row["term_id"], move_row["move"])] = move_row["n"]
        visit_term = _term_of("date", terms)
        for lead_row in (
            visits.filter(date__gte=terms[0].start_date)
            .exclude(lead_role=None)
            .annotate(term_id=visit_term)
            .values("term_id", "lead_role")
            .annotate(n=Count("pk"))
        ):
            lead_counts[(lead_row["term_id"], lead_row["lead_role"])] = lead_row["n"]
    totals = visits.aggregate(n=Count("pk"), joint=Count("pk", filter=Q(principal_present=True)))
    moves_chart = stacked_bar_chart(
        title="Teaching moves used, by term",
        categories=labels,
        series=[(move.label, [move_counts[(t.pk, move.value)] for t in terms]) for move in TeachingMove],
        empty_text="No visits logged yet: the mix of teaching moves appears after the first visit.",
    )
    lead_chart = stacked_bar_chart(
        title="Who led the leadership task, by term",
        categories=labels,
        series=[(role.label, [lead_counts[(t.pk, role.value)] for t in terms]) for role in LeadRole],
        as_share=True,
        empty_text="No visits logged yet: the gradual release from ILD to principal appears here.",
    )
    return PracticeMix(
        moves_chart=moves_chart,
        lead_chart=lead_chart,
        joint_share=(totals["joint"] / totals["n"]) if totals["n"] else None,
        visit_count=totals["n"],
    )


@dataclass(frozen=True)
class GoalGrowth:
    goal: GrowthGoal
    chart: Chart
    visits: list[Visit]


@dataclass(frozen=True)
class GrowthView:
    school: School
    year: SchoolYear
    years: list[SchoolYear]
    goals: list[GoalGrowth]
    visits: list[Visit]
    open_steps: list[NextStep]
    done_steps: list[NextStep]


def growth_view(*, school: School, year: SchoolYear, viewer: User) -> GrowthView:
    """A principal's year: goals with observed levels across visits, visits, next steps.

    Goals are those ``viewer`` may read: a new principal does not see a predecessor's goals.
    """
    goals = [
        goal
        for goal in GrowthGoal.objects.filter(school=school, school_year=year)
        .select_related(
            "school", "practice", "baseline_level", "target_level", "principal", "carried_from__school_year"
        )
        .prefetch_related(Prefetch("practice__levels", queryset=PracticeLevel.objects.order_by("rank")))
        .order_by("practice__order")
        if viewer.has_perm("coaching.view_goal", goal)
    ]
    visits = list(
        visit_queryset().filter(school=school, date__gte=year.start_date, date__lte=year.end_date).order_by("date")
    )
    done = [v for v in visits if v.status == Visit.Status.DONE]
    goal_growth = []
    for goal in goals:
        observed = [
            v for v in done if v.observed_level is not None and v.observed_level.practice_id == goal.practice_id
        ]
        levels = list(goal.practice.levels.all())
        top = max((level.rank for level in levels), default=4)
        chart = line_chart(
            title=f"Observed level on “{goal.practice.name}”",
            categories=[f"{v.date:%b %-d}" for v in observed],
            series=[("Observed level", [float(v.observed_level.rank) for v in observed if v.observed_level])],
            y_min=1,
            y_max=top,
            y_labels={float(level.rank): level.name for level in levels},
            guides=[
                (f"Baseline: {goal.baseline_level.name}", goal.baseline_level.rank),
                (f"Target: {goal.target_level.name}", goal.target_level.rank),
            ],
            value_format="{:.0f}",
            empty_text="No observed levels yet: they appear after visits that focus on this practice.",
        )
        goal_growth.append(GoalGrowth(goal=goal, chart=chart, visits=observed))
    steps = [step for v in visits for step in v.next_steps.all()]
    return GrowthView(
        school=school,
        year=year,
        years=list(SchoolYear.objects.order_by("-start_date")),
        goals=goal_growth,
        visits=list(reversed(visits)),
        open_steps=sorted((s for s in steps if not s.done), key=lambda s: s.due_date),
        done_steps=[s for s in steps if s.done],
    )


@dataclass(frozen=True)
class CoachRow:
    ild: User
    schools: int
    visits_this_term: int
    visits_per_school: float
    joint_share: float | None
    moves: dict[str, int]
    top_moves: list[tuple[str, int]]
    lead_trend: Chart
    principal_led_share: float | None


def current_ilds(*, today: datetime.date | None = None) -> QuerySet[User]:
    """Everyone with a caseload today, by name: the rows of the executive view."""
    day = today or timezone.localdate()
    return User.objects.filter(pk__in=Caseload.objects.current(day).values("ild")).order_by("full_name")


def coaches_overview(*, ilds: Sequence[User], today: datetime.date | None = None) -> list[CoachRow]:
    """The given ILDs side by side: cadence, joint share, move mix and gradual-release trend.

    Joint share and moves count this school year's visits (the last twelve months when no
    year is current), the trend the terms of the last two years: the cost depends on how
    many ILDs are asked for (one page), not on the district's size or how long it has kept
    its history.
    """
    day = today or timezone.localdate()
    term = Term.objects.containing(day)
    terms = _terms_between(day - datetime.timedelta(days=730), day)
    year = next((t.school_year for t in terms if t.school_year.start_date <= day <= t.school_year.end_date), None)
    year_start = year.start_date if year else day - datetime.timedelta(days=365)
    ids = [ild.pk for ild in ilds]
    caseloads = (
        Caseload.objects.current(day).filter(ild__in=ids).values("ild").annotate(schools=Count("school")).order_by()
    )
    school_counts = {row["ild"]: row["schools"] for row in caseloads}
    ilds_by_pk = {ild.pk: ild for ild in ilds}
    done = Visit.objects.done().filter(ild__in=ids, date__lte=day)
    this_term = done.between(term.start_date, term.end_date) if term else done.none()
    this_year = done.filter(date__gte=year_start)
    term_counts = {r["ild"]: r["n"] for r in this_term.values("ild").annotate(n=Count("pk")).order_by()}
    joint = {
        r["ild"]: (r["joint"], r["n"])
        for r in this_year.values("ild")
        .annotate(n=Count("pk"), joint=Count("pk", filter=Q(principal_present=True)))
        .order_by()
    }
    moves: dict[int, dict[str, int]] = defaultdict(dict)
    for move_row in (
        VisitMove.objects.filter(visit__in=this_year).values("visit__ild", "move").annotate(n=Count("pk")).order_by()
    ):
        moves[move_row["visit__ild"]][move_row["move"]] = move_row["n"]
    trend: dict[tuple[int, int], float] = {}
    trend_n: dict[tuple[int, int], int] = {}
    if terms:
        visit_term = _term_of("date", terms)
        for r in (
            done.filter(date__gte=terms[0].start_date)
            .exclude(lead_role=None)
            .annotate(term_id=visit_term)
            .values("ild", "term_id")
            .annotate(led=Avg("lead_role"), n=Count("pk"))
            .order_by()
        ):
            trend[(r["ild"], r["term_id"])] = float(r["led"])
            trend_n[(r["ild"], r["term_id"])] = r["n"]
    principal_led = {
        r["ild"]: (r["led"], r["n"])
        for r in this_term.exclude(lead_role=None)
        .values("ild")
        .annotate(n=Count("pk"), led=Count("pk", filter=Q(lead_role__gte=LeadRole.PRINCIPAL_WITH_FEEDBACK)))
        .order_by()
    }
    rows = []
    for pk, ild in ilds_by_pk.items():
        schools = school_counts.get(pk, 0)
        joint_n, total_n = joint.get(pk, (0, 0))
        led_n, led_total = principal_led.get(pk, (0, 0))
        ild_moves = moves.get(pk, {})
        chart = line_chart(
            title=f"Who led, on average — {ild.full_name}",
            categories=[_term_label(t) for t in terms],
            series=[("Average lead", [trend.get((pk, t.pk)) for t in terms])],
            y_min=1,
            y_max=4,
            y_labels={1.0: "ILD modelled", 2.0: "Co-led", 3.0: "Principal, feedback", 4.0: "Principal alone"},
            empty_text="No visits with a recorded lead yet.",
            counts=[trend_n.get((pk, t.pk)) for t in terms],
            count_label="visits",
            note="The mean of who led each visit that recorded it; visits: how many.",
        )
        rows.append(
            CoachRow(
                ild=ild,
                schools=schools,
                visits_this_term=term_counts.get(pk, 0),
                visits_per_school=(term_counts.get(pk, 0) / schools) if schools else 0.0,
                joint_share=(joint_n / total_n) if total_n else None,
                moves=ild_moves,
                top_moves=sorted(((TeachingMove(m).label, n) for m, n in ild_moves.items()), key=lambda item: -item[1])[
                    :3
                ],
                lead_trend=chart,
                principal_led_share=(led_n / led_total) if led_total else None,
            )
        )
    return rows


def goals_for_form(*, roles: Roles, school: School | None) -> QuerySet[GrowthGoal]:
    """Goals a visit may focus on: the chosen school's draft and active goals, if it is in the caseload."""
    if school is None or school.pk not in roles.caseload_school_ids:
        return GrowthGoal.objects.none()
    return (
        GrowthGoal.objects.filter(school=school, status__in=[GrowthGoal.Status.DRAFT, GrowthGoal.Status.ACTIVE])
        .select_related("practice", "school", "school_year")
        .order_by("-school_year__start_date", "practice__order")
    )


def practices_with_levels() -> QuerySet[LeadershipPractice]:
    return LeadershipPractice.objects.filter(active=True).prefetch_related(
        Prefetch("levels", queryset=PracticeLevel.objects.order_by("rank"))
    )


def visit_sent_from_phone(*, ild: User, client_id: uuid.UUID) -> Visit | None:
    """The visit ``ild``'s phone already sent with ``client_id``, if it did."""
    return Visit.objects.filter(ild=ild, client_id=client_id).first()


def visit_form_data(*, roles: Roles) -> dict[str, Any]:
    """What the visit form offers, for the phone to keep and use offline (three queries).

    The ILD's current caseload, each school's draft and active goals (as ``goals_for_form``
    offers them) and the levels of those goals' practices. Nothing private: no visit, no note.
    """
    schools = list(School.objects.filter(pk__in=roles.caseload_school_ids).order_by("name"))
    goals = list(
        GrowthGoal.objects.filter(school__in=schools, status__in=[GrowthGoal.Status.DRAFT, GrowthGoal.Status.ACTIVE])
        .select_related("practice", "school_year")
        .order_by("-school_year__start_date", "practice__order")
    )
    levels = PracticeLevel.objects.filter(practice_id__in={g.practice_id for g in goals}).select_related("practice")
    goals_of: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for goal in goals:
        goals_of[goal.school_id].append({"id": goal.pk, "label": goal_label(goal), "practice": goal.practice_id})
    practices: dict[int, dict[str, Any]] = {}
    for level in levels.order_by("practice__order", "rank"):
        practice = practices.setdefault(
            level.practice_id, {"id": level.practice_id, "name": level.practice.name, "levels": []}
        )
        practice["levels"].append({"id": level.pk, "label": str(level)})
    return {
        "schools": [{"id": s.pk, "code": s.code, "name": s.name, "goals": goals_of.get(s.pk, [])} for s in schools],
        "practices": list(practices.values()),
    }
