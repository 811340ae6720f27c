"""Reads for the satisfaction screens. Only aggregates leave this module, never answers."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Prefetch
from django.utils import timezone

from cycles.satisfaction.aggregates import (
    Breakdown,
    Cell,
    breakdown,
    comments_for,
    district_item_term_cells,
    grade_explained,
    grade_for,
    min_comment_responses,
    min_responses,
    rating_breakdown,
    unit_item_term_cells,
)
from cycles.satisfaction.models import Answer, Submission, Survey, SurveyItem
from cycles.satisfaction.respondents import expected_respondents, respondent_counts
from district.charts import Chart, line_chart
from district.models import School, Term, Unit, User


def closed_surveys(day: datetime.date | None = None) -> list[Survey]:
    today = day or timezone.localdate()
    return list(
        Survey.objects.closed_by(today).select_related("term__school_year", "summarized").order_by("term__start_date")
    )


def open_survey(day: datetime.date | None = None) -> Survey | None:
    return Survey.objects.open_on(day or timezone.localdate()).select_related("term__school_year", "summarized").first()


def dip_reason(cells: list[Cell], district: list[Cell], index: int) -> str:
    """Why the shown cell at ``index`` dipped: below the term before it, or below the district.

    Only shown means are compared, rounded as the page shows them, so a mark never tells
    anything about a hidden cell.
    """
    mean = cells[index].mean
    if mean is None:
        return ""
    reasons = []
    prior = cells[index - 1].mean if index > 0 else None
    if prior is not None and round(mean, 2) < round(prior, 2):
        reasons.append("below the term before")
    average = district[index].mean
    if average is not None and round(mean, 2) < round(average, 2):
        reasons.append("below the district average")
    return " and ".join(reasons)


@dataclass
class ItemTrend:
    item: SurveyItem
    cells: list[Cell]
    district: list[Cell]
    chart: Chart
    surveys: list[Survey] = field(default_factory=list)

    @property
    def columns(self) -> list[tuple[Survey, Cell]]:
        return list(zip(self.surveys, self.cells, strict=True))

    @property
    def marked_columns(self) -> list[tuple[Survey, Cell, Cell, str]]:
        """Each term's cell, the district's, and why the term dipped ("" when it did not)."""
        return [
            (survey, cell, self.district[i], dip_reason(self.cells, self.district, i))
            for i, (survey, cell) in enumerate(self.columns)
        ]


@dataclass
class UnitTrends:
    unit: Unit
    surveys: list[Survey]
    items: list[ItemTrend]
    latest: Survey | None
    grade: str
    latest_overall: Cell | None
    response_rates: list[tuple[Survey, int, float | None]]
    breakdowns: list[Breakdown] = field(default_factory=list)
    ratings: Breakdown | None = None
    comments: list[str] | None = None
    comment_threshold: int = 10
    threshold: int = 5
    grade_explained: str = ""


def unit_trends(
    *,
    unit: Unit,
    show_comments: bool,
    day: datetime.date | None = None,
    up_to: Term | None = None,
    district: dict[tuple[int, int], Cell] | None = None,
) -> UnitTrends:
    """The unit's items over closed terms against the district, with suppressed cells hidden,
    its latest term broken down by cluster and level, its ratings and (when shown) comments.

    ``up_to`` ends the report at an earlier closed term (e.g. for last spring's report);
    ``district`` passes averages already read.
    """
    result = units_trends(units=[unit], day=day, up_to=up_to, district=district)[unit.pk]
    overall_item = next((trend.item for trend in result.items if trend.item.code == "overall"), None)
    if overall_item is None and result.items:
        overall_item = result.items[-1].item
    latest = result.latest
    if latest and overall_item:
        result.breakdowns = hide_crossing_breakdowns(
            [
                breakdown(unit_id=unit.pk, item_id=overall_item.pk, term_id=latest.term_id, by="cluster"),
                breakdown(unit_id=unit.pk, item_id=overall_item.pk, term_id=latest.term_id, by="level"),
            ]
        )
        result.ratings = rating_breakdown(unit_id=unit.pk)
        if show_comments:
            result.comments = comments_for(unit_id=unit.pk, term_id=latest.term_id)
    return result


def units_trends(
    *,
    units: Sequence[Unit],
    day: datetime.date | None = None,
    up_to: Term | None = None,
    district: dict[tuple[int, int], Cell] | None = None,
) -> dict[int, UnitTrends]:
    """Each unit's items over closed terms against the district (no breakdowns, ratings or
    comments), by unit id, in the same few queries for one unit or forty."""
    surveys = closed_surveys(day)
    if up_to is not None:
        surveys = [s for s in surveys if s.term.start_date <= up_to.start_date]
    items = list(SurveyItem.objects.scored())
    shown_terms = [s.term_id for s in surveys]
    unit_ids = [unit.pk for unit in units]
    cells = unit_item_term_cells(unit_ids=unit_ids, term_ids=shown_terms) if units else {}
    district = district if district is not None else district_item_term_cells(term_ids=shown_terms)
    labels = [f"{s.term.name} {s.term.school_year.name}" for s in surveys]
    latest = surveys[-1] if surveys else None
    overall_item = next((i for i in items if i.code == "overall"), items[-1] if items else None)
    submitted = {
        (unit_id, survey_id): n
        for (survey_id, unit_id), n in respondent_counts(surveys=surveys, unit_ids=unit_ids).items()
    }
    expected = expected_respondents() if units else 0
    results = {}
    for unit in units:
        trends = []
        for item in items:
            unit_cells = [
                cells.get((unit.pk, item.pk, s.term_id), Cell(label="", n=0, suppressed=True)) for s in surveys
            ]
            district_cells = [district.get((item.pk, s.term_id), Cell(label="", n=0, suppressed=True)) for s in surveys]
            chart = line_chart(
                title=f"{item.short_label}: mean score by term (1–5)",
                categories=labels,
                series=[
                    (unit.name, [c.mean for c in unit_cells]),
                    ("District average", [c.mean for c in district_cells]),
                ],
                y_min=1,
                y_max=5,
                y_labels={float(v): str(v) for v in range(1, 6)},
                empty_text="No results above the anonymity threshold yet.",
                counts=[None if c.suppressed else c.n for c in unit_cells],
                note="n: principals who answered about the unit that term; terms under the threshold are left out.",
            )
            trends.append(ItemTrend(item=item, cells=unit_cells, district=district_cells, chart=chart, surveys=surveys))
        latest_overall = cells.get((unit.pk, overall_item.pk, latest.term_id)) if latest and overall_item else None
        rates = []
        for s in surveys:
            n = submitted.get((unit.pk, s.pk), 0)
            rates.append((s, n, (n / expected) if expected else None))
        results[unit.pk] = UnitTrends(
            unit=unit,
            surveys=surveys,
            items=trends,
            latest=latest,
            grade=grade_for(latest_overall.pct_favourable if latest_overall else None),
            grade_explained=grade_explained(latest_overall.pct_favourable if latest_overall else None),
            latest_overall=latest_overall,
            response_rates=rates,
            threshold=min_responses(),
            comment_threshold=min_comment_responses(),
        )
    return results


def hide_crossing_breakdowns(breakdowns: list[Breakdown]) -> list[Breakdown]:
    """At most one breakdown of the same answers may hide cells.

    Two breakdowns that each hide cells can be combined (one's shown cells subtracted from
    the other's) to recover a hidden group, so every later breakdown with a hidden cell is
    hidden whole.
    """
    seen_hidden = False
    for item in breakdowns:
        if any(cell.suppressed for cell in item.cells):
            if seen_hidden:
                for cell in item.cells:
                    cell.suppressed = True
            seen_hidden = True
    return breakdowns


HEAT_BANDS = ((0.45, "3"), (0.25, "2"), (0.1, "1"))


def heat_band(difference: float | None) -> str:
    """The heat map's colour class for a mean's distance from the district average.

    A diverging scale of seven: ``0`` within 0.1 of the average, then ``p1``–``p3`` above and
    ``n1``–``n3`` below, at 0.1, 0.25 and 0.45 points; empty when there is nothing to compare.
    """
    if difference is None:
        return ""
    for floor, step in HEAT_BANDS:
        if abs(difference) >= floor:
            return ("p" if difference > 0 else "n") + step
    return "0"


@dataclass(frozen=True)
class HeatCell:
    cell: Cell | None
    change: float | None
    difference: float | None
    band: str

    @property
    def shown(self) -> bool:
        return self.cell is not None and not self.cell.suppressed


@dataclass
class HeatRow:
    unit: Unit
    cells: list[tuple[Cell | None, float | None]]
    overall_change: float | None


@dataclass
class HeatMap:
    term: Term | None
    prior: Term | None
    items: list[SurveyItem]
    rows: list[HeatRow]
    top_movers: list[HeatRow]
    bottom_movers: list[HeatRow]
    terms: list[Term] = field(default_factory=list)

    @cached_property
    def district_means(self) -> list[float | None]:
        """The district's mean for each item in the term: the centre of the colour scale (one query)."""
        if self.term is None:
            return []
        district = district_item_term_cells(term_ids=[self.term.pk])
        return [(c.mean if (c := district.get((item.pk, self.term.pk))) is not None else None) for item in self.items]

    @cached_property
    def shaded_rows(self) -> list[tuple[HeatRow, list[HeatCell]]]:
        """Each row's cells with their distance from the district average and colour band."""
        shaded = []
        for row in self.rows:
            cells = []
            for (cell, change), average in zip(row.cells, self.district_means, strict=True):
                mean = cell.mean if cell is not None else None
                difference = mean - average if mean is not None and average is not None else None
                cells.append(HeatCell(cell, change, difference, heat_band(difference)))
            shaded.append((row, cells))
        return shaded


def heat_map(*, day: datetime.date | None = None, term_id: int | None = None) -> HeatMap:
    """Units × items for a closed term (the latest unless ``term_id`` names another), each
    with its change since the term before; ``shaded_rows`` adds the distance from the
    district average (one more query, made only when read)."""
    surveys = closed_surveys(day)
    items = list(SurveyItem.objects.scored())
    units = list(Unit.objects.order_by("name"))
    if not surveys:
        return HeatMap(None, None, items, [], [], [])
    index = next((i for i, s in enumerate(surveys) if s.term_id == term_id), len(surveys) - 1)
    latest = surveys[index]
    prior = surveys[index - 1] if index > 0 else None
    cells = unit_item_term_cells(
        unit_ids=[u.pk for u in units], term_ids=[s.term_id for s in (latest, prior) if s is not None]
    )
    overall = next((i for i in items if i.code == "overall"), None)
    rows = []
    for unit in units:
        row_cells: list[tuple[Cell | None, float | None]] = []
        overall_change = None
        for item in items:
            now = cells.get((unit.pk, item.pk, latest.term_id))
            before = cells.get((unit.pk, item.pk, prior.term_id)) if prior else None
            change = (
                (now.mean - before.mean)
                if now and before and now.mean is not None and before.mean is not None
                else None
            )
            row_cells.append((now, change))
            if overall is not None and item.pk == overall.pk:
                overall_change = change
        rows.append(HeatRow(unit=unit, cells=row_cells, overall_change=overall_change))
    moved = sorted((r for r in rows if r.overall_change is not None), key=lambda r: r.overall_change or 0)
    return HeatMap(
        term=latest.term,
        prior=prior.term if prior else None,
        items=items,
        rows=rows,
        top_movers=[r for r in reversed(moved[-3:]) if (r.overall_change or 0) > 0],
        bottom_movers=[r for r in moved[:3] if (r.overall_change or 0) < 0],
        terms=[s.term for s in reversed(surveys)],
    )


@dataclass
class SurveyUnit:
    """One unit's card on a principal's survey page.

    ``submission``, ``scores`` and ``comment`` are the principal's own; when the school's
    answers were given by someone else (a predecessor, or an import), ``answered_by_school``
    is set and nothing of those answers is here.
    """

    unit: Unit
    requested: bool
    submission: Submission | None
    scores: dict[int, int | None]
    comment: str
    answered_by_school: Submission | None = None

    @property
    def submitted(self) -> bool:
        return self.submission is not None and self.submission.status == Submission.Status.SUBMITTED


def survey_for_principal(
    *, survey: Survey, principal: User, school: School, unit: Unit | None = None
) -> list[SurveyUnit]:
    """The principal's forms, one per unit (or only ``unit``): units they asked for services first.

    Answers are read only from the principal's own submissions, so a successor never sees a
    predecessor's answers, submitted or draft.
    """
    from service_menu.models import Request

    requested = set(
        Request.objects.filter(school=school, term__school_year=survey.term.school_year).values_list(
            "service__menu__unit_id", flat=True
        )
    )
    own_answers = Answer.objects.filter(submission__respondent=principal).select_related("item")
    school_submissions = Submission.objects.filter(survey=survey, school=school)
    units = survey.covered_units().order_by("name")
    if unit is not None:
        school_submissions = school_submissions.filter(unit=unit)
        units = units.filter(pk=unit.pk)
    submissions = {s.unit_id: s for s in school_submissions.prefetch_related(Prefetch("answers", queryset=own_answers))}
    forms = []
    for covered in units:
        submission = submissions.get(covered.pk)
        own = submission if submission is not None and submission.respondent_id == principal.pk else None
        answers = list(own.answers.all()) if own else []
        forms.append(
            SurveyUnit(
                unit=covered,
                requested=covered.pk in requested,
                submission=own,
                scores={a.item_id: a.score for a in answers if a.item.kind == SurveyItem.Kind.SCORE},
                comment=next((a.comment for a in answers if a.item.kind == SurveyItem.Kind.COMMENT), ""),
                answered_by_school=(
                    submission
                    if own is None and submission is not None and submission.status == Submission.Status.SUBMITTED
                    else None
                ),
            )
        )
    forms.sort(key=lambda f: (not f.requested, f.unit.name))
    return forms


def my_past_answers(*, principal: User) -> list[Submission]:
    """The person's own submitted answers, at any school: the only individual responses anyone sees.

    Keyed by the respondent, never by the school, so a new principal does not inherit the
    previous principal's answers. Preloads unit, school, term and answers with their items.
    """
    return list(
        Submission.objects.submitted()
        .filter(respondent=principal, source=Submission.Source.SURVEY)
        .select_related("unit", "school", "survey__term__school_year")
        .prefetch_related("answers__item")
        .order_by("-survey__term__start_date", "unit__name")
    )


def transparency(*, day: datetime.date | None = None, term_id: int | None = None) -> HeatMap:
    """What principals see: each unit's results above threshold (the heat map's cells)."""
    return heat_map(day=day, term_id=term_id)
