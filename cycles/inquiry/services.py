"""Cycles of inquiry: the writes, and the readings each cycle takes from satisfaction data.

A cycle's baseline and result are never typed: they are read from the survey results for
the unit, the item and the term, every time, with the same anonymity rules as any page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone

from cycles.inquiry.models import CheckIn, CycleOfInquiry, PlanAction
from cycles.satisfaction.aggregates import min_responses, scored_answers
from cycles.satisfaction.models import RequestRating, Survey
from district.models import Term, Unit, User
from district.roles import roles_for
from district.services import EditConflict


@dataclass(frozen=True)
class Measure:
    """A reading of the data: its mean, or nothing when too few principals answered."""

    n: int
    mean: float | None
    suppressed: bool


def reading(*, unit_id: int, item_id: int, term_id: int, today: datetime.date | None = None) -> Measure | None:
    """The unit's mean on one item in one term, suppressed under the anonymity threshold.

    None while that term's survey is still open: results are read only once a window closes.
    """
    if not Survey.objects.closed_by(today or timezone.localdate()).filter(term_id=term_id).exists():
        return None
    row = (
        scored_answers()
        .filter(submission__unit_id=unit_id, item_id=item_id, submission__survey__term_id=term_id)
        .aggregate(n=Count("pk"), mean=Avg("score"))
    )
    n = row["n"] or 0
    suppressed = n < min_responses()
    return Measure(n=n, mean=None if suppressed else float(row["mean"]), suppressed=suppressed)


@dataclass(frozen=True)
class CycleResult:
    baseline: Measure | None
    result: Measure | None
    target_survey_closed: bool
    change: float | None
    target_met: bool | None
    interim: Measure | None


def cycle_result(cycle: CycleOfInquiry, *, today: datetime.date | None = None) -> CycleResult:
    """Baseline, result and interim readings, all read from the data now."""
    day = today or timezone.localdate()
    baseline = reading(unit_id=cycle.unit_id, item_id=cycle.metric_item_id, term_id=cycle.baseline_term_id, today=day)
    survey = Survey.objects.filter(term_id=cycle.target_term_id).first()
    closed = survey is not None and survey.is_closed(day)
    result = (
        reading(unit_id=cycle.unit_id, item_id=cycle.metric_item_id, term_id=cycle.target_term_id) if closed else None
    )
    change = (
        result.mean - baseline.mean
        if result is not None and result.mean is not None and baseline is not None and baseline.mean is not None
        else None
    )
    target_met = result.mean >= float(cycle.target_value) if result is not None and result.mean is not None else None
    interim = None
    if not closed:
        # Only ratings of requests in terms that have ended: a live running total would let the
        # unit work out each new rating as it arrives.
        ratings = RequestRating.objects.filter(
            request__service__menu__unit_id=cycle.unit_id,
            created_at__gte=cycle.opened_at,
            request__term__end_date__lt=day,
        )
        if cycle.service_id:
            ratings = ratings.filter(request__service__key=cycle.service.key)  # type: ignore[union-attr]
        row = ratings.aggregate(n=Count("pk"), mean=Avg("quality"))
        n = row["n"] or 0
        suppressed = n < min_responses()
        interim = Measure(n=n, mean=None if suppressed else float(row["mean"]), suppressed=suppressed)
    return CycleResult(
        baseline=baseline, result=result, target_survey_closed=closed, change=change, target_met=target_met,
        interim=interim,
    )  # fmt: skip


def validate_cycle(cycle: CycleOfInquiry) -> None:
    errors: dict[str, list[str]] = {}
    if (
        cycle.baseline_term_id
        and cycle.target_term_id
        and cycle.target_term.start_date <= cycle.baseline_term.start_date
    ):
        errors.setdefault("target_term", []).append("The target term must come after the baseline term.")
    if (
        cycle.baseline_term_id
        and not Survey.objects.closed_by(timezone.localdate()).filter(term_id=cycle.baseline_term_id).exists()
    ):
        errors.setdefault("baseline_term", []).append(
            "Choose a term whose survey has closed: a baseline is read from results principals have finished giving."
        )
    if cycle.metric_item_id and cycle.unit_id:
        has_data = scored_answers().filter(submission__unit_id=cycle.unit_id, item_id=cycle.metric_item_id).exists()
        if not has_data:
            errors.setdefault("metric_item", []).append(
                f"{cycle.unit} has no survey results on “{cycle.metric_item}” yet; choose an item with data."
            )
    if cycle.service_id and cycle.service.menu.unit_id != cycle.unit_id:  # type: ignore[union-attr]
        errors.setdefault("service", []).append("Choose one of the unit's own services.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def cycle_save(*, cycle: CycleOfInquiry, by: User, expected_version: int | None = None) -> CycleOfInquiry:
    """Open or edit a cycle; a second editor working from a stale page is told, not overwritten."""
    validate_cycle(cycle)
    if cycle.pk:
        current = CycleOfInquiry.objects.select_for_update().get(pk=cycle.pk)
        if current.status == CycleOfInquiry.Status.CLOSED:
            raise ValidationError("This cycle is closed; its record stays as it was decided.")
        if expected_version is not None and current.version != expected_version:
            raise EditConflict(current)
        cycle.version = current.version + 1
    else:
        cycle.opened_by = by
    cycle.full_clean(exclude=["opened_by"])
    cycle.save()
    return cycle


@transaction.atomic
def cycle_close(
    *, cycle: CycleOfInquiry, by: User, decision: str, lessons_learned: str, close_note: str = ""
) -> CycleOfInquiry:
    if cycle.status == CycleOfInquiry.Status.CLOSED:
        raise ValidationError("This cycle is already closed.")
    errors: dict[str, list[str]] = {}
    if decision not in CycleOfInquiry.Decision.values:
        errors.setdefault("decision", []).append("Decide: adopt, adapt or abandon.")
    if not lessons_learned.strip():
        errors.setdefault("lessons_learned", []).append("Write down what the unit learned; it outlasts any one leader.")
    open_actions = cycle.actions.filter(status__in=PlanAction.OPEN).count()
    if open_actions and not close_note.strip():
        errors.setdefault("close_note", []).append(
            f"{open_actions} action(s) are still open: say why the cycle closes anyway."
        )
    if errors:
        raise ValidationError(errors)
    cycle.status = CycleOfInquiry.Status.CLOSED
    cycle.stage = CycleOfInquiry.Stage.ACT
    cycle.decision = decision
    cycle.lessons_learned = lessons_learned.strip()
    cycle.close_note = close_note.strip()
    cycle.closed_at = timezone.now()
    cycle.version += 1
    cycle.save()
    return cycle


def _check_owner(unit: Unit, owner: User) -> None:
    roles = roles_for(owner)
    if roles.unit is None or roles.unit.pk != unit.pk:
        raise ValidationError({"owner": f"{owner} is not on the staff of {unit}; choose someone from the unit."})


@transaction.atomic
def action_save(*, action: PlanAction, expected_version: int | None = None) -> PlanAction:
    if action.cycle.status == CycleOfInquiry.Status.CLOSED:
        raise ValidationError("This cycle is closed; its plan can no longer change.")
    _check_owner(action.cycle.unit, action.owner)
    if action.pk:
        current = PlanAction.objects.select_for_update().get(pk=action.pk)
        if expected_version is not None and current.version != expected_version:
            raise EditConflict(current)
        action.version = current.version + 1
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_check_in(
    *, action: PlanAction, by: User, note: str, status: str, evidence: str = "", expected_version: int | None = None
) -> CheckIn:
    """The owner reports progress: a dated note with evidence, and the action's new status."""
    current = PlanAction.objects.select_for_update().select_related("cycle").get(pk=action.pk)
    if current.cycle.status == CycleOfInquiry.Status.CLOSED:
        raise ValidationError("This cycle is closed; its plan can no longer change.")
    if expected_version is not None and current.version != expected_version:
        raise EditConflict(current)
    if status not in PlanAction.Status.values:
        raise ValidationError({"status": "Choose a status."})
    if not note.strip():
        raise ValidationError({"note": "Say what happened since the last check-in."})
    current.status = status
    current.version += 1
    current.save()
    return CheckIn.objects.create(action=current, by=by, note=note.strip(), evidence=evidence.strip())


def terms_for_cycles() -> list[Term]:
    return list(Term.objects.select_related("school_year").order_by("start_date"))
