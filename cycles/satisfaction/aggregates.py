"""Satisfaction aggregates that keep principals anonymous.

Every number a person other than the respondent sees comes from here. A cell over fewer
responses than the threshold is suppressed; within a breakdown, suppression is
complementary: more cells are hidden until the hidden cells together hold at least the
threshold (or are all empty), so no hidden cell can be worked out by subtracting the shown
cells from the total.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Sum

from cycles.satisfaction.models import Answer, RequestRating, ResultSummary, Submission, Survey, SurveyItem


def min_responses() -> int:
    """The anonymity threshold: configurable, default 5, never below 3."""
    return max(3, int(getattr(settings, "SATISFACTION_MIN_RESPONSES", 5)))


def min_comment_responses() -> int:
    return max(min_responses(), int(getattr(settings, "SATISFACTION_MIN_COMMENT_RESPONSES", 10)))


def grade_for(pct_favourable: float | None) -> str:
    """A letter grade from the share of favourable answers (4 or 5); bands come from settings."""
    if pct_favourable is None:
        return "—"
    bands: Sequence[tuple[float, str]] = getattr(
        settings, "SATISFACTION_GRADE_BANDS", [(0.85, "A"), (0.70, "B"), (0.55, "C"), (0.40, "D"), (0.0, "F")]
    )
    for floor, letter in sorted(bands, reverse=True):
        if pct_favourable >= floor:
            return letter
    return "F"


def grade_key() -> str:
    """The grade bands in words: "A: 85% or more · B: 70–84% · …"."""
    bands = sorted(
        getattr(settings, "SATISFACTION_GRADE_BANDS", [(0.85, "A"), (0.70, "B"), (0.55, "C"), (0.40, "D"), (0.0, "F")]),
        reverse=True,
    )
    parts = []
    for index, (floor, letter) in enumerate(bands):
        if index == 0:
            parts.append(f"{letter}: {floor:.0%} or more")
        elif floor <= 0:
            parts.append(f"{letter}: under {bands[index - 1][0]:.0%}")
        else:
            parts.append(f"{letter}: {floor:.0%}–{bands[index - 1][0] * 100 - 1:.0f}%")
    return " · ".join(parts)


def grade_explained(pct_favourable: float | None) -> str:
    """Why a unit has its grade, in one sentence a cabinet member can repeat."""
    if pct_favourable is None:
        return "No grade: too few principals answered about overall satisfaction to show a result."
    return (
        f"{grade_for(pct_favourable)}: {pct_favourable:.0%} of principals answered 4 or 5 (favourable) "
        f"on overall satisfaction. {grade_key()}."
    )


@dataclass
class Cell:
    """One aggregate: shown only when ``suppressed`` is false."""

    label: str
    n: int
    total: int = 0
    favourable: int = 0
    suppressed: bool = False
    key: Any = None
    second_total: int = 0  # a second score over the same answers (e.g. rated responsiveness)

    @property
    def mean(self) -> float | None:
        return None if self.suppressed or not self.n else self.total / self.n

    @property
    def pct_favourable(self) -> float | None:
        return None if self.suppressed or not self.n else self.favourable / self.n

    @property
    def second_mean(self) -> float | None:
        return None if self.suppressed or not self.n else self.second_total / self.n

    @property
    def shown_n(self) -> int | None:
        return None if self.suppressed else self.n


@dataclass
class Breakdown:
    title: str
    total: Cell
    cells: list[Cell] = field(default_factory=list)


def suppress(total: Cell, cells: list[Cell], threshold: int | None = None) -> None:
    """Mark cells to hide, in place: small cells, then their complements."""
    limit = threshold or min_responses()
    total.suppressed = total.n < limit
    if total.suppressed:
        for cell in cells:
            cell.suppressed = True
        return
    for cell in cells:
        cell.suppressed = cell.n < limit
    while True:
        hidden = [c for c in cells if c.suppressed]
        hidden_n = sum(c.n for c in hidden)
        if not hidden or hidden_n == 0 or hidden_n >= limit:
            return
        shown = sorted((c for c in cells if not c.suppressed), key=lambda c: (c.n, str(c.label)))
        if not shown:
            return
        shown[0].suppressed = True


def scored_answers() -> QuerySet[Answer]:
    """Answers that count: scores from submitted (or imported) submissions."""
    return Answer.objects.filter(
        score__isnull=False, submission__status=Submission.Status.SUBMITTED, item__kind=SurveyItem.Kind.SCORE
    )


def _stats(rows: Iterable[dict[str, Any]], key: str, labels: dict[Any, str] | None = None) -> list[Cell]:
    return [
        Cell(
            label=(labels or {}).get(row[key], str(row[key])),
            key=row[key],
            n=row["n"],
            total=row["total"] or 0,
            favourable=row["fav"],
        )
        for row in rows
    ]


AGG = {"n": Count("pk"), "total": Sum("score"), "fav": Count("pk", filter=Q(score__gte=4))}


def _grouped(queryset: QuerySet[Any], *fields: str, agg: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """One row per group with n, total and favourable counts, computed in SQL."""
    rows = queryset.values(*fields).annotate(**(agg or AGG)).order_by(*fields)
    return cast(list[dict[str, Any]], list(rows))


def _surveys(term_ids: Iterable[int] | None) -> tuple[list[int], list[int]]:
    """The surveys (of the given terms, or all) whose results are read from their summaries, and
    the others (open ones, or closed ones not summarized for their current window). One query:
    the surveys are then named by id, so the database goes straight to their submissions."""
    surveys = Survey.objects.values_list("pk", "closes_on", "summarized__closes_on")
    if term_ids is not None:
        surveys = surveys.filter(term_id__in=term_ids if isinstance(term_ids, QuerySet) else list(term_ids))
    summarized: list[int] = []
    live: list[int] = []
    for pk, closes_on, summarized_for in surveys:
        (summarized if summarized_for == closes_on else live).append(pk)
    return summarized, live


def _counts(
    summaries: QuerySet[ResultSummary] | None,
    answers: QuerySet[Answer] | None,
    summary_key: list[str],
    answer_key: list[str],
    *,
    ordered: bool = False,
) -> list[tuple[Any, ...]]:
    """Rows of (*key, n, total, favourable) from summary rows and grouped answers, in one query,
    ordered by the key when ``ordered``."""
    parts: list[QuerySet[Any]] = []
    if summaries is not None:
        parts.append(
            summaries.annotate(fav=F("count_4") + F("count_5"))
            .values_list(*summary_key, "n", "total", "fav")
            .order_by()
        )
    if answers is not None:
        parts.append(
            answers.values(*answer_key).annotate(**AGG).values_list(*answer_key, "n", "total", "fav").order_by()
        )
    if not parts:
        return []
    query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    if ordered:
        query = query.order_by(*(summary_key if summaries is not None else answer_key))
    return [(*row[:-3], row[-3], row[-2] or 0, row[-1] or 0) for row in query]


def _unit_item_term_rows(
    unit_ids: list[int] | None, item_ids: list[int] | None, term_ids: Iterable[int] | None
) -> list[tuple[int, int, int, int, int, int]]:
    """(unit, item, term, n, total, favourable) for every unit (or those given): from the
    summaries of closed surveys and, for the others, from their answers (two queries)."""
    summarized, live = _surveys(term_ids)
    summaries = ResultSummary.objects.filter(survey_id__in=summarized, population=ResultSummary.Population.ALL)
    answers = scored_answers().filter(submission__survey_id__in=live)
    if unit_ids is not None:
        summaries = summaries.filter(unit_id__in=unit_ids)
        answers = answers.filter(submission__unit_id__in=unit_ids)
    if item_ids is not None:
        summaries = summaries.filter(item_id__in=item_ids)
        answers = answers.filter(item_id__in=item_ids)
    return cast(
        list[tuple[int, int, int, int, int, int]],
        _counts(
            summaries if summarized else None,
            answers if live else None,
            ["unit_id", "item_id", "survey__term_id"],
            ["submission__unit_id", "item_id", "submission__survey__term_id"],
        ),
    )


def unit_item_term_cells(
    *, unit_ids: Iterable[int], item_ids: Iterable[int] | None = None, term_ids: Iterable[int] | None = None
) -> dict[tuple[int, int, int], Cell]:
    """(unit, item, term) → cell, each suppressed on its own n. Two queries.

    ``term_ids`` limits the terms read (all by default). Summarized surveys are read from their
    summaries, the others (open ones) from their answers.
    """
    rows = _unit_item_term_rows(list(unit_ids), list(item_ids) if item_ids is not None else None, term_ids)
    cells: dict[tuple[int, int, int], Cell] = {}
    for unit_id, item_id, term_id, n, total, fav in rows:
        cell = Cell(label="", n=n, total=total, favourable=fav)
        cell.suppressed = cell.n < min_responses()
        cells[(unit_id, item_id, term_id)] = cell
    return cells


def district_item_term_cells(*, term_ids: Iterable[int] | None = None) -> dict[tuple[int, int], Cell]:
    """(item, term) → the district average, over the units whose own result is shown.

    A unit hidden for too few responses is left out of the average too; otherwise its
    numbers could be worked out from the average and the other units' results. ``term_ids``
    limits the terms read (all by default).
    """
    limit = min_responses()
    cells: dict[tuple[int, int], Cell] = {}
    for _unit_id, item_id, term_id, n, total, fav in _unit_item_term_rows(None, None, term_ids):
        if n < limit:
            continue
        cell = cells.setdefault((item_id, term_id), Cell(label="District", n=0, total=0, favourable=0))
        cell.n += n
        cell.total += total
        cell.favourable += fav
    for cell in cells.values():
        cell.suppressed = cell.n < limit
    return cells


def breakdown(*, unit_id: int, item_id: int, term_id: int, by: str) -> Breakdown:
    """The unit's item in one term, broken down by ``cluster`` or ``level``, with suppression.

    From the survey's summary once it has one, else from its answers (two queries). Every
    school is in one cluster (or none) and has one level, so the total is the sum of the groups.
    """
    from district.models import School

    labels: dict[Any, str] | None = None
    if by == "cluster":
        title, population, key = "By cluster", ResultSummary.Population.CLUSTER, "cluster__name"
        answer_key = "submission__school__cluster__name"
    else:
        title, population, key = "By school level", ResultSummary.Population.LEVEL, "level"
        answer_key = "submission__school__level"
        labels = dict(School.Level.choices)
    summarized, live = _surveys([term_id])
    summaries = ResultSummary.objects.filter(
        survey_id__in=summarized, population=population, unit_id=unit_id, item_id=item_id
    )
    answers = scored_answers().filter(submission__survey_id__in=live, submission__unit_id=unit_id, item_id=item_id)
    rows = _counts(summaries if summarized else None, answers if live else None, [key], [answer_key], ordered=True)
    grouped = [{"key": group, "n": n, "total": total, "fav": fav} for group, n, total, fav in rows]
    total = Cell(
        label="All schools",
        n=sum(row["n"] for row in grouped),
        total=sum(row["total"] for row in grouped),
        favourable=sum(row["fav"] for row in grouped),
    )
    cells = _stats(grouped, "key", labels)
    suppress(total, cells)
    return Breakdown(title=title, total=total, cells=cells)


def rating_breakdown(*, unit_id: int, term_id: int | None = None) -> Breakdown:
    """Transactional ratings of delivered requests, by service, with suppression.

    Only terms that have ended count: a running total would reveal each new rating.
    """
    from django.utils import timezone

    ratings = RequestRating.objects.filter(
        request__service__menu__unit_id=unit_id, request__term__end_date__lt=timezone.localdate()
    )
    if term_id is not None:
        ratings = ratings.filter(request__term_id=term_id)
    agg = {
        "n": Count("pk"),
        "total": Sum("quality"),
        "fav": Count("pk", filter=Q(quality__gte=4)),
        "second": Sum("responsiveness"),
    }
    total_row = ratings.aggregate(**agg)
    total = Cell(
        label="All services",
        n=total_row["n"],
        total=total_row["total"] or 0,
        favourable=total_row["fav"],
        second_total=total_row["second"] or 0,
    )
    rows = _grouped(ratings, "request__service__title", agg=agg)
    cells = _stats(rows, "request__service__title")
    for cell, row in zip(cells, rows, strict=True):
        cell.second_total = row["second"] or 0
    suppress(total, cells)
    return Breakdown(title="Ratings of delivered services, by service", total=total, cells=cells)


def comments_for(*, unit_id: int, term_id: int) -> list[str] | None:
    """The unit's comments for a term, or None when too few principals answered to show them."""
    submissions = Submission.objects.submitted().filter(unit_id=unit_id, survey__term_id=term_id)
    if submissions.count() < min_comment_responses():
        return None
    comments = (
        Answer.objects.filter(submission__in=submissions, item__kind=SurveyItem.Kind.COMMENT)
        .exclude(comment="")
        .order_by("comment")
        .values_list("comment", flat=True)
    )
    return list(comments)
