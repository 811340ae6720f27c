"""Every write in service menus: publishing menus and moving requests through their states.

The request state machine lives in ``TRANSITIONS``: an action is legal only from the states
listed for it. Every transition is timestamped with who made it (RequestEvent), so response
times are measured rather than estimated.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from district.models import School, SchoolYear, Term, Unit, User
from district.roles import roles_for
from district.services import EditConflict
from notices.models import Notice
from notices.services import notice_record, notices_send, notify
from service_menu.models import DeliveryLog, Menu, Request, RequestEvent, Service

S = Request.Status


@dataclass(frozen=True)
class Transition:
    label: str
    sources: frozenset[str]
    target: str
    by_unit: bool


TRANSITIONS: dict[str, Transition] = {
    "endorse": Transition("Endorse", frozenset({S.SUBMITTED}), S.ENDORSED, by_unit=False),
    "accept": Transition("Accept", frozenset({S.SUBMITTED, S.ENDORSED, S.WAITLISTED}), S.ACCEPTED, by_unit=True),
    "waitlist": Transition("Waitlist", frozenset({S.SUBMITTED, S.ENDORSED}), S.WAITLISTED, by_unit=True),
    "schedule": Transition("Schedule", frozenset({S.ACCEPTED, S.SCHEDULED}), S.SCHEDULED, by_unit=True),
    "deliver": Transition("Mark delivered", frozenset({S.SCHEDULED}), S.DELIVERED, by_unit=True),
    "close": Transition("Close", frozenset({S.DELIVERED}), S.CLOSED, by_unit=True),
    "decline": Transition(
        "Decline with an alternative", frozenset({S.SUBMITTED, S.ENDORSED, S.WAITLISTED}), S.DECLINED, by_unit=True
    ),
    "cancel": Transition(
        "Cancel the request",
        frozenset({S.SUBMITTED, S.ENDORSED, S.ACCEPTED, S.SCHEDULED, S.WAITLISTED}),
        S.CANCELLED,
        by_unit=False,
    ),
}


# A lead partner may not take on a request from outside its cluster (it may still decline it).
OUT_OF_CLUSTER_REFUSED = frozenset({"accept", "waitlist"})


def legal_actions(request: Request) -> list[str]:
    """The actions the request's state allows (who may take them is the rules' business)."""
    actions = [name for name, t in TRANSITIONS.items() if request.status in t.sources]
    if request.outside_cluster:
        actions = [a for a in actions if a not in OUT_OF_CLUSTER_REFUSED]
    if request.status == S.SUBMITTED and request.service.tier.needs_endorsement:
        actions = [a for a in actions if a not in {"accept", "waitlist", "decline"}]
    if request.status == S.SUBMITTED and not request.service.tier.needs_endorsement:
        actions = [a for a in actions if a != "endorse"]
    return actions


# --- Menus ----------------------------------------------------------------------------


@transaction.atomic
def menu_start_draft(*, unit: Unit, school_year: SchoolYear) -> Menu:
    """The unit's draft for the year: a new one, or a revision copying the published version."""
    existing = Menu.objects.filter(unit=unit, school_year=school_year, status=Menu.Status.DRAFT).first()
    if existing:
        return existing
    published = Menu.objects.filter(unit=unit, school_year=school_year, status=Menu.Status.PUBLISHED).first()
    last_version = Menu.objects.filter(unit=unit, school_year=school_year).aggregate(v=Max("version"))["v"] or 0
    draft = Menu.objects.create(unit=unit, school_year=school_year, version=last_version + 1)
    if published:
        copies = []
        for service in published.services.all():
            service.pk = None
            service.menu = draft
            copies.append(service)
        Service.objects.bulk_create(copies)
    return draft


@transaction.atomic
def menu_publish(*, menu: Menu, by: User, change_note: str, cycle: Any = None) -> Menu:
    """Publish a draft: it becomes what principals see, and it is frozen from then on."""
    menu = Menu.objects.select_for_update().get(pk=menu.pk)
    if menu.status != Menu.Status.DRAFT:
        raise ValidationError("Only a draft can be published; this version is already frozen.")
    if not menu.services.exists():
        raise ValidationError("Add at least one service before publishing the menu.")
    previous = Menu.objects.filter(unit=menu.unit, school_year=menu.school_year, status=Menu.Status.PUBLISHED)
    if previous.exists() and not change_note.strip():
        raise ValidationError({"change_note": "Say what changed and why: principals read it with the new version."})
    previous.update(status=Menu.Status.SUPERSEDED, updated_at=timezone.now())
    menu.status = Menu.Status.PUBLISHED
    menu.published_at = timezone.now()
    menu.published_by = by
    menu.change_note = change_note.strip()
    if cycle is not None:
        if cycle.unit_id != menu.unit_id:
            raise ValidationError({"cycle": "Cite one of this unit's own cycles."})
        menu.cycle = cycle
    menu.save()
    # A revision may add places: waitlisted requests move up at once.
    for service in menu.services.all():
        for term in menu.school_year.terms.all():
            promote_waitlist(service=service, term=term)
    return menu


def current_capacity(service: Service) -> int | None:
    """Places per term as the current published menu says (a revision may have changed them)."""
    current = Service.objects.filter(key=service.key, menu__in=Menu.objects.current()).first()
    return (current or service).capacity_per_term


def holding_capacity(*, service: Service, term: Term, exclude: Request | None = None) -> int:
    """Requests that take a place in this service (any version) for this term."""
    held = Request.objects.holding_capacity().filter(service__key=service.key, term=term)
    if exclude is not None:
        held = held.exclude(pk=exclude.pk)
    return held.count()


@transaction.atomic
def service_save(*, service: Service) -> Service:
    """Add or change a service on a draft menu, keeping capacity above what is already promised."""
    menu = Menu.objects.select_for_update().get(pk=service.menu_id)
    if not menu.is_editable:
        raise ValidationError("This menu version is published and frozen; start a revision to change it.")
    if service.capacity_per_term is not None:
        busiest = max(
            (holding_capacity(service=service, term=term) for term in menu.school_year.terms.all()),
            default=0,
        )
        if service.capacity_per_term < busiest:
            raise ValidationError(
                {
                    "capacity_per_term": f"{busiest} schools are already accepted in one term; "
                    "capacity cannot go below that."
                }
            )
    service.full_clean()
    service.save()
    return service


@transaction.atomic
def service_remove(*, service: Service) -> None:
    """Take a service off a draft revision (the published versions keep it, frozen)."""
    menu = Menu.objects.select_for_update().get(pk=service.menu_id)
    if not menu.is_editable:
        raise ValidationError("This menu version is published and frozen; start a revision to change it.")
    if service.requests.exists():
        raise ValidationError("Schools have requested this exact version of the service; it cannot be removed.")
    service.delete()


# --- Requests -------------------------------------------------------------------------


def _event(request: Request, *, from_status: str, by: User | None, note: str = "") -> RequestEvent:
    return RequestEvent.objects.create(
        request=request, from_status=from_status, to_status=request.status, by=by, at=timezone.now(), note=note
    )


@transaction.atomic
def request_submit(
    *,
    school: School,
    service: Service,
    term: Term,
    requested_by: User,
    rationale: str,
    growth_goal: Any = None,
    improvement_priority: str = "",
    brokered_from_visit: Any = None,
    taken_from: Request | None = None,
    today: datetime.date | None = None,
) -> Request:
    """A school asks for a service for a term. The ILD's own request counts as endorsed."""
    day = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not Menu.objects.current().filter(pk=service.menu_id).exists():
        errors.setdefault("service", []).append("This service is not on a published menu for this year.")
    elif not service.tier.needs_request:
        errors.setdefault("service", []).append(f"{service.tier.name} services reach every school without a request.")
    if not service.eligible_for(school):
        errors.setdefault("service", []).append(
            f"This service is for {', '.join(service.eligible_level_labels)} schools, not {school.get_level_display()}."
        )
    if not service.offered_to(school):
        errors.setdefault("service", []).append(out_of_cluster_message(service=service, school=school))
    if not term.school_year.is_current or term.end_date < day:
        errors.setdefault("term", []).append("Choose a term of the current school year that has not ended.")
    if growth_goal is not None and growth_goal.school_id != school.pk:
        errors.setdefault("growth_goal", []).append("That goal belongs to another school.")
    if growth_goal is None and not improvement_priority.strip():
        errors.setdefault("improvement_priority", []).append(
            "Link a growth goal or name the improvement priority this serves."
        )
    if not rationale.strip():
        errors.setdefault("rationale", []).append("Say why this service, for this school, now.")
    duplicate = Request.objects.open().filter(school=school, service__key=service.key, term=term).first()
    if duplicate:
        errors.setdefault("service", []).append("Your school already has an open request for this service this term.")
    if errors:
        raise ValidationError(errors)
    request = Request.objects.create(
        school=school,
        service=service,
        term=term,
        requested_by=requested_by,
        rationale=rationale.strip(),
        growth_goal=growth_goal,
        improvement_priority=improvement_priority.strip(),
        brokered_from_visit=brokered_from_visit,
        taken_from=taken_from,
    )
    _event(request, from_status="", by=requested_by)
    if service.tier.needs_endorsement and school.pk in roles_for(requested_by).caseload_school_ids:
        request.status = S.ENDORSED
        request.endorsed_by = requested_by
        request.endorsed_at = timezone.now()
        request.save(update_fields=["status", "endorsed_by", "endorsed_at", "updated_at"])
        _event(request, from_status=S.SUBMITTED, by=requested_by, note="Requested by the school's ILD.")
    notify_unit_of_request(request_pk=request.pk)
    if request.status == S.SUBMITTED and service.tier.needs_endorsement:
        notify_ild_of_request(request_pk=request.pk)
    return request


def out_of_cluster_message(*, service: Service, school: School) -> str:
    """Why a school outside a lead partner's cluster cannot ask for its service."""
    unit = service.menu.unit
    return (
        f"{unit.name} is the lead partner of the {unit.cluster} cluster: its services are for that cluster's "
        f"schools only, and {school.name} is in the {school.cluster} cluster. Ask your own cluster's lead partner "
        "or a central-office unit."
    )


# Actions that count a service's places: they take the service's lock first (see _lock_places).
COUNTS_PLACES = frozenset({"accept", "waitlist", "cancel"})


def _lock_places(*, service_key: Any) -> None:
    """Serialise everything that counts a service's places (every version of it) in one transaction.

    Taken before any request row, in the same order everywhere, so two answers cannot both take
    the last place, a cancellation's promotion from the waitlist cannot overfill the service,
    and no two of them wait on each other. FOR NO KEY UPDATE leaves the service's rows free for
    new requests and events to point at.
    """
    list(Service.objects.select_for_update(no_key=True).filter(key=service_key).order_by("pk").values_list("pk"))


@dataclass(frozen=True)
class TransitionResult:
    request: Request
    message: str


@transaction.atomic
def request_transition(
    *,
    request: Request,
    action: str,
    by: User,
    expected_version: int | None = None,
    note: str = "",
    scheduled_start: datetime.date | None = None,
    scheduled_end: datetime.date | None = None,
    decline_reason: str = "",
    alternative_service: Service | None = None,
    alternative_term: Term | None = None,
    alternative_note: str = "",
    today: datetime.date | None = None,
) -> TransitionResult:
    """Move a request along the state machine, or refuse with a reason.

    Raises EditConflict when someone else changed the request since ``expected_version``,
    ValidationError when the action is not legal now or its details are missing.
    """
    day = today or timezone.localdate()
    if action in COUNTS_PLACES:
        _lock_places(service_key=Request.objects.values_list("service__key", flat=True).get(pk=request.pk))
    # Only the request's own row: locking the joined service, menu and school rows too would
    # block (and deadlock with) every request being made for them at the same time.
    current = (
        Request.objects.select_for_update(of=("self",))
        .select_related("service__tier", "service__menu__unit", "school")
        .get(pk=request.pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise EditConflict(current)
    if action in OUT_OF_CLUSTER_REFUSED and current.outside_cluster:
        # Requests made before menus kept to their cluster stay readable; none is taken on now.
        raise ValidationError(out_of_cluster_message(service=current.service, school=current.school))
    transition = TRANSITIONS.get(action)
    if transition is None or action not in legal_actions(current):
        label = transition.label if transition else action
        raise ValidationError(f"This request is “{current.get_status_display()}”, so “{label}” cannot be done now.")
    from_status = current.status
    message = ""
    if action == "accept":
        capacity = current_capacity(current.service)
        if capacity is not None and holding_capacity(service=current.service, term=current.term) >= capacity:
            transition = TRANSITIONS["waitlist"]
            message = "The service is full this term, so the request is waitlisted; it moves up when a place frees."
            if from_status == S.WAITLISTED:
                raise ValidationError("The service is still full this term; the request stays on the waitlist.")
    if action == "waitlist":
        capacity = current_capacity(current.service)
        if capacity is None or holding_capacity(service=current.service, term=current.term) < capacity:
            raise ValidationError("The service still has places this term: accept the request or decline it.")
    if action == "schedule":
        if scheduled_start is None or scheduled_end is None:
            raise ValidationError({"scheduled_start": "Give the first and last date of the service."})
        if scheduled_start < day:
            raise ValidationError({"scheduled_start": "The first date cannot be in the past."})
        if scheduled_end < scheduled_start:
            raise ValidationError({"scheduled_end": "The last date cannot be before the first."})
        current.scheduled_start, current.scheduled_end = scheduled_start, scheduled_end
    if action == "decline":
        if not decline_reason.strip():
            raise ValidationError({"decline_reason": "Say why the answer is no."})
        if alternative_service is None and alternative_term is None and not alternative_note.strip():
            raise ValidationError(
                {"alternative_note": "A decline needs a “no, but …”: another service, a later term or a workaround."}
            )
        if alternative_term is not None and alternative_term.start_date <= current.term.start_date:
            raise ValidationError({"alternative_term": "Offer a later term than the one requested."})
        if alternative_service is not None and not alternative_service.offered_to(current.school):
            raise ValidationError(
                {"alternative_service": out_of_cluster_message(service=alternative_service, school=current.school)}
            )
        current.decline_reason = decline_reason.strip()
        current.alternative_service = alternative_service
        current.alternative_term = alternative_term
        current.alternative_note = alternative_note.strip()
    if action == "deliver" and not current.deliveries.exists():
        raise ValidationError("Log at least one delivery before marking the service delivered.")
    if action == "endorse":
        current.endorsed_by = by
        current.endorsed_at = timezone.now()
    current.status = transition.target
    if transition.by_unit and current.first_answered_at is None:
        current.first_answered_at = timezone.now()
        current.answered_by = by
    current.version += 1
    current.save()
    event = _event(current, from_status=from_status, by=by, note=note or message)
    if from_status in Request.CAPACITY_STATUSES and current.status == S.CANCELLED:
        promote_waitlist(service=current.service, term=current.term)
    if transition.by_unit:
        notify_school_of_answer(request_pk=current.pk, event=event)
    return TransitionResult(current, message or f"The request is now “{current.get_status_display()}”.")


def promote_waitlist(*, service: Service, term: Term) -> list[Request]:
    """Move waitlisted requests up, oldest first, while the service has places this term."""
    _lock_places(service_key=service.key)
    promoted: list[Request] = []
    capacity = current_capacity(service)
    waiting = Request.objects.select_for_update(of=("self",)).filter(
        service__key=service.key, term=term, status=S.WAITLISTED
    )
    if service.cluster_only and (cluster_id := service.menu.unit.cluster_id) is not None:
        # Requests from outside the lead partner's cluster stay readable but are never accepted.
        waiting = waiting.filter(school__cluster_id=cluster_id)
    for request in waiting.order_by("created_at"):
        if capacity is not None and holding_capacity(service=service, term=term) >= capacity:
            break
        request.status = S.ACCEPTED
        request.version += 1
        request.save(update_fields=["status", "version", "updated_at"])
        event = _event(request, from_status=S.WAITLISTED, by=None, note="A place freed up; accepted from the waitlist.")
        promoted.append(request)
        notify_school_of_answer(request_pk=request.pk, event=event)
    return promoted


@transaction.atomic
def delivery_log_add(*, request: Request, by: User, date: datetime.date, hours: Any, note: str) -> DeliveryLog:
    if request.status not in {S.SCHEDULED, S.DELIVERED}:
        raise ValidationError("Log deliveries once the service is scheduled.")
    if not note.strip():
        raise ValidationError({"note": "Say what was delivered."})
    entry = DeliveryLog(request=request, by=by, date=date, hours=hours, note=note.strip())
    entry.full_clean()
    entry.save()
    return entry


# --- Email ----------------------------------------------------------------------------
# Each is recorded as notices in the transaction of the change and sent by the worker (see notices).


def _url(name: str, *args: Any) -> str:
    return f"{settings.SITE_URL}{reverse(name, args=args)}"


def notify_unit_of_request(*, request_pk: int) -> None:
    """Tell the unit's contact address and its head that a school asked for one of its services."""
    request = Request.objects.select_related("school", "service__menu__unit__head", "term").get(pk=request_pk)
    unit = request.service.menu.unit
    notify(
        kind=Notice.Kind.NEW_REQUEST,
        recipients=[unit.contact_email, unit.head.email if unit.head else ""],
        about=request,
        subject=f"New request: {request.service.title} for {request.school.name}",
        template="service_menu/email/new_request.txt",
        context={"request": request, "url": _url("service_menu:request_detail", request.pk)},
    )


def notify_ild_of_request(*, request_pk: int) -> None:
    """Tell the school's ILD that a request waits for their endorsement before the unit answers."""
    from district.models import Caseload

    request = Request.objects.select_related(
        "school", "service__menu__unit", "service__tier", "term", "requested_by", "growth_goal__practice"
    ).get(pk=request_pk)
    ilds = Caseload.objects.current().filter(school=request.school).select_related("ild")
    notify(
        kind=Notice.Kind.ENDORSEMENT_NEEDED,
        recipients=sorted({caseload.ild.email for caseload in ilds}),
        about=request,
        subject=f"Your endorsement: {request.service.title} for {request.school.name}",
        template="service_menu/email/endorsement_needed.txt",
        context={"request": request, "url": _url("service_menu:request_detail", request.pk)},
    )


def notify_school_of_answer(*, request_pk: int, event: RequestEvent) -> None:
    """Tell the principal and the school's ILD of the unit's answer (one notice per answer, ``event``)."""
    from district.models import Caseload

    request = Request.objects.select_related("school__principal", "service__menu__unit", "term").get(pk=request_pk)
    caseload = Caseload.objects.current().filter(school=request.school).select_related("ild").first()
    notify(
        kind=Notice.Kind.ANSWER,
        recipients=[p.email for p in [request.school.principal, caseload.ild if caseload else None] if p],
        about=request,
        window=f"event:{event.pk}",
        subject=f"{request.service.title}: {request.get_status_display().lower()}",
        template="service_menu/email/answer.txt",
        context={"request": request, "url": _url("service_menu:request_detail", request.pk)},
    )


def send_overdue_reminders(*, today: datetime.date | None = None) -> int:
    """One email per unit listing its requests past the response target; returns how many units were reminded.

    Each address hears about a unit's overdue requests at most once a day: each reminder is a
    notice for that day (see ``notices``), so running this twice in a day sends nothing the
    second time. The reminders are recorded together and handed to the worker in batches.
    """
    from service_menu.selectors import is_overdue, response_target

    day = today or timezone.localdate()
    by_unit: dict[Unit, list[Request]] = {}
    waiting = (
        Request.objects.awaiting_answer()
        .select_related("school", "service__menu__unit__head", "service__tier", "term")
        .order_by("created_at")
    )
    targets: dict[int, int] = {}
    for request in waiting:
        unit = request.service.menu.unit
        target = targets.setdefault(unit.pk, response_target(unit))
        if is_overdue(request, target, today):
            by_unit.setdefault(unit, []).append(request)
    reminded = 0
    made: list[Notice] = []
    with transaction.atomic():
        for unit, overdue in by_unit.items():
            notices = notice_record(
                kind=Notice.Kind.OVERDUE_REQUESTS,
                recipients=[unit.contact_email, unit.head.email if unit.head else ""],
                about=unit,
                window=day.isoformat(),
                subject=f"{len(overdue)} request(s) waiting past your {targets[unit.pk]}-day target",
                template="service_menu/email/overdue.txt",
                context={"unit": unit, "overdue": overdue, "url": _url("service_menu:workspace")},
            )
            reminded += bool(notices)
            made += notices
        notices_send(made)
    return reminded
