"""Demo service menus and two years of requests in every state."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from district.bulk import bulk_insert
from district.models import Caseload, School, SchoolYear, Term, Unit
from service_menu.demo_menus import AREAS, GENERIC_CENTRAL_MENU, GENERIC_PARTNER_MENU, MENUS, REASONS, TIERS
from service_menu.models import ContentArea, Menu, Request, RequestEvent, Service, Tier, UnitSettings


def build_service_menu_demo(
    *, today: datetime.date, seed: int = 2026, years: int = 2, requests_per_year: float = 3
) -> None:
    """Tiers, areas, the last ``years`` years of published menus (with a revision) and requests in
    every state: each school asks for ``requests_per_year`` services a year (on average)."""
    rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not security
    with transaction.atomic():
        areas = {
            name: ContentArea.objects.get_or_create(name=name, defaults={"order": i})[0] for i, name in enumerate(AREAS)
        }
        tiers = {
            name: Tier.objects.get_or_create(
                name=name, defaults={"order": i, "description": d, "needs_request": req, "needs_endorsement": endorse}
            )[0]
            for i, (name, d, req, endorse) in enumerate(TIERS)
        }
        school_years = list(SchoolYear.objects.order_by("start_date"))[-years:]
        if not school_years:
            return
        units = list(Unit.objects.select_related("head").order_by("name"))
        UnitSettings.objects.bulk_create(
            [UnitSettings(unit=u, response_target_days=3 if u.name != "Facilities" else 5) for u in units],
            ignore_conflicts=True,
        )
        menus: list[Menu] = []
        services: list[Service] = []
        for unit in units:
            for year in school_years:
                menu = Menu(
                    unit=unit,
                    school_year=year,
                    version=1,
                    status=Menu.Status.PUBLISHED,
                    published_at=timezone.make_aware(datetime.datetime.combine(year.start_date, datetime.time(9))),
                    published_by=unit.head,
                )
                menus.append(menu)
        Menu.objects.bulk_create(menus)
        menu_by = {(m.unit_id, m.school_year_id): m for m in menus}
        key_by: dict[tuple[int, str], object] = {}
        for unit in units:
            for year in school_years:
                generic = GENERIC_PARTNER_MENU if unit.kind == Unit.Kind.LEAD_PARTNER else GENERIC_CENTRAL_MENU
                for title, summary, area, tier, dosage, capacity, partner, cost, hours in MENUS.get(unit.name, generic):
                    service = Service(
                        menu=menu_by[(unit.pk, year.pk)],
                        title=title,
                        summary=summary,
                        description="",
                        content_area=areas[area],
                        tier=tiers[tier],
                        format_dosage=dosage,
                        provider=Service.Provider.BROKERED if partner else Service.Provider.INTERNAL,
                        partner_name=partner,
                        capacity_per_term=capacity,
                        cost_per_school=Decimal(cost) if cost is not None else None,
                        eligible_levels=["elementary", "k8"] if area == "Elementary math" else [],
                        rationale=f"{summary} Teachers get practice and feedback close to their classrooms, "
                        "which is what changes instruction.",
                        hours_saved=Decimal(hours) if hours is not None else None,
                    )
                    if (unit.pk, title) in key_by:
                        service.key = key_by[(unit.pk, title)]  # type: ignore[assignment]
                    key_by[(unit.pk, title)] = service.key
                    services.append(service)
        Service.objects.bulk_create(services)

        # A mid-year revision of Instructional Services this year, citing what principals said.
        revised = next(
            (m for m in menus if m.unit.name == "Instructional Services" and m.school_year == school_years[-1]), None
        )
        if revised is not None:
            Menu.objects.filter(pk=revised.pk).update(status=Menu.Status.SUPERSEDED)
            v2 = Menu.objects.create(
                unit=revised.unit,
                school_year=revised.school_year,
                version=2,
                status=Menu.Status.PUBLISHED,
                published_at=timezone.make_aware(
                    datetime.datetime.combine(
                        school_years[-1].start_date + datetime.timedelta(days=60), datetime.time(9)
                    )
                ),
                published_by=revised.unit.head,
                change_note="Added a second cohort of grade-team planning coaches: principals told us in the "
                "spring survey that they were waitlisted too often.",
            )
            copies = []
            for s in Service.objects.filter(menu=revised):
                s.pk = None
                s.menu = v2
                if s.title == "Grade-team planning coach":
                    s.capacity_per_term = 20
                copies.append(s)
            Service.objects.bulk_create(copies)

        _build_requests(rng=rng, years=school_years, today=today, per_year=requests_per_year)


def _build_requests(*, rng: random.Random, years: list[SchoolYear], today: datetime.date, per_year: float) -> None:
    S = Request.Status
    schools = list(School.objects.filter(principal__isnull=False).order_by("pk"))
    caseload_ild = {c.school_id: c.ild_id for c in Caseload.objects.current()}
    current_menus = {m.pk for m in Menu.objects.filter(status=Menu.Status.PUBLISHED)}
    requestable = list(
        Service.objects.filter(menu__in=current_menus, tier__needs_request=True).select_related(
            "tier", "menu__school_year", "menu__unit"
        )
    )
    by_year: dict[int, list[Service]] = {}
    for service in requestable:
        by_year.setdefault(service.menu.school_year_id, []).append(service)
    terms = {y.pk: list(Term.objects.filter(school_year=y).order_by("start_date")) for y in years}
    requests: list[Request] = []
    plans: list[tuple[Request, list[tuple[str, int]]]] = []
    for school in schools:
        for year in years:
            options = [s for s in by_year.get(year.pk, []) if s.eligible_for(school) and s.offered_to(school)]
            wanted = int(per_year) + (1 if per_year % 1 and rng.random() < per_year % 1 else 0)
            for service in rng.sample(options, k=min(wanted, len(options))):
                term = rng.choice(terms[year.pk])
                created = term.start_date - datetime.timedelta(days=rng.randint(5, 25))
                if created > today:
                    continue
                slow = service.menu.unit.name == "Facilities"
                wait = rng.randint(4, 12) if slow else rng.randint(1, 4)
                path: list[tuple[str, int]] = []
                if service.tier.needs_endorsement:
                    path.append((S.ENDORSED, rng.randint(1, 3)))
                roll = rng.random()
                past = term.end_date < today
                if roll < 0.12:
                    path.append((S.DECLINED, wait))
                elif roll < 0.2:
                    path.append((S.WAITLISTED, wait))
                elif roll < 0.25:
                    path.append((S.CANCELLED, wait))
                elif roll < 0.32 and not past:
                    created = today - datetime.timedelta(days=rng.randint(1, 6))  # still awaiting an answer
                else:
                    path.append((S.ACCEPTED, wait))
                    # Some requests of the current term are accepted but not yet scheduled.
                    continue_path = past or rng.random() >= 0.3
                    if continue_path:
                        path.append((S.SCHEDULED, 3))
                    if continue_path and (past or rng.random() < 0.3):
                        path.append((S.DELIVERED, 40))
                        if past:
                            path.append((S.CLOSED, 10))
                request = Request(
                    school=school,
                    service=service,
                    term=term,
                    improvement_priority="Strengthen core instruction in the school's improvement plan",
                    rationale="Our teachers need practice with feedback close to their classrooms.",
                    requested_by_id=school.principal_id or 0,
                )
                requests.append(request)
                plans.append((request, [(status, offset) for status, offset in path]))
                request._demo_created = created  # type: ignore[attr-defined]
    events: list[RequestEvent] = []
    alternatives = [s for s in requestable if s.menu.school_year_id == years[-1].pk]
    for request, path in plans:
        moment = timezone.make_aware(datetime.datetime.combine(request._demo_created, datetime.time(10)))  # type: ignore[attr-defined]
        request.created_at = moment
        previous = ""
        events.append(
            RequestEvent(
                request=request, from_status="", to_status=S.SUBMITTED, by_id=request.requested_by_id, at=moment
            )
        )
        previous = S.SUBMITTED
        unit = request.service.menu.unit
        for status, offset in path:
            moment = moment + datetime.timedelta(days=offset)
            if moment.date() > today:
                break
            by = (
                caseload_ild.get(request.school_id)
                if status == S.ENDORSED
                else (request.requested_by_id if status == S.CANCELLED else unit.head_id)
            )
            events.append(RequestEvent(request=request, from_status=previous, to_status=status, by_id=by, at=moment))
            if status == S.ENDORSED:
                request.endorsed_at, request.endorsed_by_id = moment, by
            elif status != S.CANCELLED and request.first_answered_at is None:
                request.first_answered_at, request.answered_by_id = moment, by
            if status == S.SCHEDULED:
                request.scheduled_start = request.term.start_date + datetime.timedelta(days=14)
                request.scheduled_end = request.scheduled_start + datetime.timedelta(days=60)
            if status == S.DECLINED:
                request.decline_reason = rng.choice(REASONS)
                request.alternative_service = rng.choice(alternatives) if alternatives else None
                request.alternative_note = "We can offer two after-school planning sessions in the meantime."
            request.status = status
            previous = status
    bulk_insert(requests)
    bulk_insert(events)


def reset_service_menu_demo() -> None:
    with transaction.atomic():
        RequestEvent.objects.all().delete()
        Request.objects.all().delete()
        Request.history.all().delete()
        Service.objects.all().delete()
        Service.history.all().delete()
        Menu.objects.all().delete()
        Menu.history.all().delete()
        UnitSettings.objects.all().delete()
        Tier.objects.all().delete()
        ContentArea.objects.all().delete()
