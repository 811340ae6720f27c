"""Every write in coaching that matters: typed, keyword-only, in a transaction."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from coaching.models import CalendarFeed, GrowthGoal, NextStep, PracticeLevel, TeachingMove, Visit, VisitMove
from district.models import School, SchoolYear, User
from district.services import EditConflict
from notices.models import Notice
from notices.services import notify


def _check_version(model: type[Visit] | type[GrowthGoal], pk: int, expected: int) -> Any:
    current = model.objects.select_for_update().get(pk=pk)
    if current.version != expected:
        raise EditConflict(current)
    return current


@dataclass(frozen=True)
class NextStepData:
    owner: str
    description: str
    due_date: datetime.date
    done: bool = False
    pk: int | None = None


def validate_visit(
    *,
    school: School,
    date: datetime.date,
    status: str,
    moves: Iterable[str],
    brokered_resource: str,
    focus_goals: Iterable[GrowthGoal],
    observed_level: PracticeLevel | None,
    next_steps: Iterable[NextStepData],
    today: datetime.date | None = None,
) -> None:
    """The rules a visit must keep, as field errors a form can show."""
    errors: dict[str, list[str]] = {}
    day = today or timezone.localdate()
    if status == Visit.Status.DONE and date > day:
        errors.setdefault("status", []).append(
            "A visit in the future cannot be done yet: keep it planned, or correct the date."
        )
    if brokered_resource and TeachingMove.BROKERING not in set(moves):
        errors.setdefault("brokered_resource", []).append(
            "Tick “Brokering a resource” among the teaching moves, or leave this empty."
        )
    goals = list(focus_goals)
    wrong_school = [g for g in goals if g.school_id != school.pk]
    if wrong_school:
        errors.setdefault("focus_goals", []).append(
            f"“{wrong_school[0].practice}” is a goal of {wrong_school[0].school}, not of {school}."
        )
    if observed_level is not None and goals and observed_level.practice_id not in {g.practice_id for g in goals}:
        errors.setdefault("observed_level", []).append("The observed level must be on the practice of a goal in focus.")
    for step in next_steps:
        if step.due_date < date:
            errors.setdefault("next_steps", []).append(
                f"“{step.description}” is due {step.due_date:%b %-d}, before the visit on {date:%b %-d}."
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def visit_save(
    *,
    ild: User,
    visit: Visit,
    moves: Iterable[str],
    focus_goals: Iterable[GrowthGoal],
    next_steps: Iterable[NextStepData],
    removed_step_ids: Iterable[int] = (),
    expected_version: int | None = None,
    client_id: uuid.UUID | None = None,
) -> Visit:
    """Create or update a visit with its moves, focus goals and next steps.

    ``client_id`` is the id a phone gave a new visit before sending it: sending it again
    (a retry after a lost answer) returns the visit saved the first time, unchanged, rather
    than a second one. Another ILD's id is refused with a ValidationError.

    Raises EditConflict when someone saved the visit after ``expected_version`` was read;
    nothing is written then. When the visit becomes done, the principal is told by email
    once: the notice is recorded with the save and sent by the worker.
    """
    if visit.pk is None and client_id is not None:
        repeat = _visit_sent_before(ild=ild, client_id=client_id)
        if repeat is not None:
            return repeat
        visit.client_id = client_id
    moves = list(dict.fromkeys(moves))
    steps = list(next_steps)
    goals = list(focus_goals)
    validate_visit(
        school=visit.school,
        date=visit.date,
        status=visit.status,
        moves=moves,
        brokered_resource=visit.brokered_resource,
        focus_goals=goals,
        observed_level=visit.observed_level,
        next_steps=steps,
    )
    if visit.pk:
        _check_version(Visit, visit.pk, expected_version if expected_version is not None else visit.version)
        visit.version += 1
    else:
        visit.ild = ild
    visit.full_clean(exclude=["ild", "client_id"])
    if visit.client_id is not None and visit.pk is None:
        try:
            with transaction.atomic():
                visit.save()
        except IntegrityError:
            # The same phone's send, answered meanwhile by another request: that one stands.
            repeat = _visit_sent_before(ild=ild, client_id=visit.client_id)
            if repeat is None:
                raise
            return repeat
    else:
        visit.save()
    visit.focus_goals.set(goals)
    visit.moves.exclude(move__in=moves).delete()
    existing = set(visit.moves.values_list("move", flat=True))
    VisitMove.objects.bulk_create([VisitMove(visit=visit, move=m) for m in moves if m not in existing])
    visit.next_steps.filter(pk__in=list(removed_step_ids)).delete()
    for step in steps:
        if step.pk:
            visit.next_steps.filter(pk=step.pk).update(
                owner=step.owner, description=step.description, due_date=step.due_date, updated_at=timezone.now()
            )
        else:
            NextStep.objects.create(visit=visit, owner=step.owner, description=step.description, due_date=step.due_date)
    if visit.status == Visit.Status.DONE and visit.principal_notified_at is None and visit.school.principal_id:
        Visit.objects.filter(pk=visit.pk).update(principal_notified_at=timezone.now())
        notify_principal_of_visit(visit_pk=visit.pk)
    return visit


def _visit_sent_before(*, ild: User, client_id: uuid.UUID) -> Visit | None:
    """The visit a phone already sent with ``client_id``; another ILD's id is refused."""
    sent = Visit.objects.filter(client_id=client_id).first()
    if sent is not None and sent.ild_id != ild.pk:
        raise ValidationError(
            "This visit's id from the phone belongs to someone else's visit: reload the form and save again.",
            code="client_id_taken",
        )
    return sent


def notify_principal_of_visit(*, visit_pk: int) -> None:
    """Email the principal the shared part of a visit: never the ILD's private note."""
    visit = (
        Visit.objects.select_related("school__principal", "ild")
        .prefetch_related("next_steps", "moves")
        .get(pk=visit_pk)
    )
    principal = visit.school.principal
    if principal is None:
        return
    context = {
        "visit": visit,
        "principal": principal,
        "url": f"{settings.SITE_URL}{reverse('coaching:visit_detail', args=[visit.pk])}",
    }
    notify(
        kind=Notice.Kind.VISIT_LOGGED,
        recipients=[principal.email],
        about=visit,
        subject=f"Visit summary: {visit.school.name}, {visit.date:%B %-d}",
        template="coaching/email/visit_logged.txt",
        context=context,
    )


@transaction.atomic
def visit_reflect(*, visit: Visit, principal: User, reflection: str) -> Visit:
    """The principal's reflection on a visit; it is theirs, the ILD reads it."""
    reflection = reflection.strip()
    if not reflection:
        raise ValidationError({"principal_reflection": "Write a reflection before saving."})
    visit.principal_reflection = reflection
    visit.reflection_at = timezone.now()
    visit.save(update_fields=["principal_reflection", "reflection_at", "updated_at"])
    return visit


@transaction.atomic
def next_step_set_done(*, step: NextStep, user: User, done: bool) -> NextStep:
    step.done = done
    step.done_at = timezone.now() if done else None
    step.done_by = user if done else None
    step.save(update_fields=["done", "done_at", "done_by", "updated_at"])
    return step


def validate_goal(*, goal: GrowthGoal) -> None:
    errors: dict[str, list[str]] = {}
    practice_id = goal.practice_id
    if goal.baseline_level_id and goal.baseline_level.practice_id != practice_id:
        errors.setdefault("baseline_level", []).append("Choose a level of the goal's practice.")
    if goal.target_level_id and goal.target_level.practice_id != practice_id:
        errors.setdefault("target_level", []).append("Choose a level of the goal's practice.")
    if (
        goal.baseline_level_id
        and goal.target_level_id
        and not errors
        and goal.target_level.rank <= goal.baseline_level.rank
    ):
        errors.setdefault("target_level", []).append(
            f"The target must be above the baseline ({goal.baseline_level.name}): a goal is about growth."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def goal_save(*, goal: GrowthGoal, author: User, expected_version: int | None = None) -> GrowthGoal:
    """Create or update a growth goal. Either partner drafts; the other may edit.

    Editing a confirmed goal keeps it confirmed: the confirmation is of the goal, not the
    wording. Raises EditConflict when someone else saved it since ``expected_version``.
    """
    validate_goal(goal=goal)
    if goal.pk:
        _check_version(GrowthGoal, goal.pk, expected_version if expected_version is not None else goal.version)
        goal.version += 1
    else:
        goal.drafted_by = author
        if goal.school.principal_id is None:
            raise ValidationError({"school": "This school has no principal to own the goal."})
        goal.principal_id = goal.school.principal_id
    goal.full_clean(exclude=["drafted_by", "principal"])
    goal.save()
    return goal


@transaction.atomic
def goal_confirm(*, goal: GrowthGoal, principal: User) -> GrowthGoal:
    """The principal confirms the goal as theirs; it becomes active."""
    goal.confirmed_at = timezone.now()
    goal.status = GrowthGoal.Status.ACTIVE
    goal.version += 1
    goal.save(update_fields=["confirmed_at", "status", "version", "updated_at"])
    return goal


@transaction.atomic
def goal_carry_over(*, goal: GrowthGoal, into_year: SchoolYear, author: User) -> GrowthGoal:
    """Carry an unfinished goal into the next year, keeping the link to where it started."""
    goal = GrowthGoal.objects.select_for_update().select_related("school", "school_year").get(pk=goal.pk)
    if goal.status in {GrowthGoal.Status.MET, GrowthGoal.Status.CARRIED_OVER}:
        raise ValidationError("Only an unfinished goal can be carried over.")
    if into_year.start_date <= goal.school_year.start_date:
        raise ValidationError("A goal can only be carried into a later school year.")
    if hasattr(goal, "carried_into"):
        raise ValidationError("This goal has already been carried over.")
    if goal.school.principal_id is None:
        raise ValidationError("This school has no principal to own the carried goal.")
    carried = GrowthGoal.objects.create(
        school=goal.school,
        principal_id=goal.school.principal_id,
        school_year=into_year,
        practice=goal.practice,
        statement=goal.statement,
        baseline_level=goal.baseline_level,
        target_level=goal.target_level,
        success_criteria=goal.success_criteria,
        status=GrowthGoal.Status.DRAFT,
        drafted_by=author,
        carried_from=goal,
    )
    goal.status = GrowthGoal.Status.CARRIED_OVER
    goal.version += 1
    goal.save(update_fields=["status", "version", "updated_at"])
    return carried


def calendar_feed_for(*, user: User) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> CalendarFeed:
    """Replace the secret address: the old one stops working at once."""
    CalendarFeed.objects.filter(user=user).delete()
    return CalendarFeed.objects.create(user=user)
