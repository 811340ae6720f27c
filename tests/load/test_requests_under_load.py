"""Twenty people answering, cancelling and asking again for the same few services at once."""

from __future__ import annotations

import datetime
import itertools
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core import mail
from django.core.signals import got_request_exception
from django.db import connection
from django.urls import reverse

from district.models import School, Term, User
from notices.models import Notice
from notices.services import NOTICE_HEADER
from service_menu import services
from service_menu.models import Request, RequestEvent, Service
from tests.conftest import District, SignedInClient
from tests.factories import (
    CaseloadFactory,
    MenuFactory,
    SchoolFactory,
    SchoolYearFactory,
    ServiceFactory,
    TermFactory,
    UnitMembershipFactory,
    UserFactory,
)
from tests.load.conftest import CLIENTS, LOAD_SECONDS

S = Request.Status
STAFF = 8
SCHOOLS = CLIENTS - STAFF
SERVICES = 3
CAPACITY = 2


@dataclass
class Scene:
    services: list[Service]
    term: Term
    schools: list[School]
    staff: list[User]


def _scene(district: District, ild: User) -> Scene:
    today = datetime.date.today()
    year = SchoolYearFactory.create(
        name="Load year", start_date=today - datetime.timedelta(days=100), end_date=today + datetime.timedelta(days=200)
    )
    term = TermFactory.create(
        school_year=year,
        name="Load term",
        start_date=today - datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=60),
    )
    menu = MenuFactory.create(unit=district.unit, school_year=year)
    offered = [ServiceFactory.create(menu=menu, capacity_per_term=CAPACITY) for _ in range(SERVICES)]
    staff = [UnitMembershipFactory.create(unit=district.unit).user for _ in range(STAFF)]
    schools = [SchoolFactory.create(principal=UserFactory.create()) for _ in range(SCHOOLS)]
    for school in schools:
        CaseloadFactory.create(ild=ild, school=school)
        for service in offered:
            services.request_submit(
                school=school,
                service=service,
                term=term,
                requested_by=school.principal,  # type: ignore[arg-type]
                rationale="Our teachers asked for it.",
                improvement_priority="Early literacy",
            )
    return Scene(services=offered, term=term, schools=schools, staff=staff)


def _run_for(seconds: float, workers: list[Callable[[], None]]) -> list[BaseException]:
    """Run every worker in its own thread (its own database connection) until they stop."""
    errors: list[BaseException] = []

    def guarded(work: Callable[[], None]) -> None:
        try:
            work()
        except BaseException as error:  # reported by the test, whatever it was
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=guarded, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 60)
    assert not any(t.is_alive() for t in threads), "a client hung"
    return errors


def test_concurrent_answers_and_cancellations_never_overfill_a_service_and_every_request_replays(
    postgresql: None, district: District, ild: User
) -> None:
    scene = _scene(district, ild)
    mail.outbox.clear()
    told_before = Notice.objects.order_by("pk").values_list("pk", flat=True).last() or 0
    deadline = time.monotonic() + LOAD_SECONDS
    statuses: Counter[int] = Counter()
    server_errors: list[str] = []

    def record_crash(sender: Any, request: Any = None, **kwargs: Any) -> None:
        import sys

        server_errors.append(repr(sys.exc_info()[1]))

    got_request_exception.connect(record_crash)
    action_url = "service_menu:request_action"

    def answering(person: User, seed: int) -> Callable[[], None]:
        def work() -> None:
            rng = random.Random(seed)  # noqa: S311 - chooses the next click, not a secret
            client = SignedInClient(raise_request_exception=False)
            client.force_login(person)
            while time.monotonic() < deadline:
                row = (
                    Request.objects.filter(service__in=scene.services, status__in=[S.SUBMITTED, S.WAITLISTED])
                    .order_by("?")
                    .values("pk", "version")
                    .first()
                )
                if row is None:
                    time.sleep(0.01)
                    continue
                action = rng.choice(["accept"] * 6 + ["decline"] * 2 + ["waitlist"])
                data: dict[str, Any] = {"version": row["version"]}
                if action == "decline":
                    data |= {"decline_reason": "Full this term.", "alternative_note": "Two after-school sessions."}
                response = client.post(reverse(action_url, args=[row["pk"], action]), data)
                statuses[response.status_code] += 1

        return work

    def leading(school: School, seed: int) -> Callable[[], None]:
        def work() -> None:
            rng = random.Random(seed)  # noqa: S311 - chooses the next click, not a secret
            client = SignedInClient(raise_request_exception=False)
            client.force_login(school.principal)
            while time.monotonic() < deadline:
                mine = list(
                    Request.objects.filter(school=school, term=scene.term)
                    .exclude(status__in=Request.FINAL_STATUSES)
                    .values("pk", "version", "service_id")
                )
                asked = {r["service_id"] for r in mine}
                missing = [s for s in scene.services if s.pk not in asked]
                if missing and (not mine or rng.random() < 0.5):
                    service = rng.choice(missing)
                    response = client.post(
                        reverse("service_menu:request_create", args=[service.pk]),
                        {
                            "school": school.pk,
                            "term": scene.term.pk,
                            "rationale": "We need it again.",
                            "improvement_priority": "Early literacy",
                        },
                    )
                elif mine:
                    row = rng.choice(mine)
                    response = client.post(reverse(action_url, args=[row["pk"], "cancel"]), {"version": row["version"]})
                else:
                    time.sleep(0.01)
                    continue
                statuses[response.status_code] += 1

        return work

    workers = [answering(person, seed) for seed, person in enumerate(scene.staff)]
    workers += [leading(school, 100 + seed) for seed, school in enumerate(scene.schools)]
    try:
        errors = _run_for(LOAD_SECONDS, workers)
    finally:
        got_request_exception.disconnect(record_crash)

    assert errors == []
    assert server_errors == [], "no request may fail with a server error"
    assert set(statuses) <= {200, 302, 400}, statuses
    assert statuses[302] > 20, f"the clients got real work done: {statuses}"

    for service in scene.services:
        held = Request.objects.holding_capacity().filter(service__key=service.key, term=scene.term).count()
        assert held <= CAPACITY, f"{service} holds {held} places of {CAPACITY}"

    requests = list(Request.objects.filter(service__in=scene.services).prefetch_related("events"))
    for request in requests:
        events = sorted(request.events.all(), key=lambda e: e.pk)
        assert (events[0].from_status, events[0].to_status) == ("", S.SUBMITTED)
        for before, after in itertools.pairwise(events):
            assert after.from_status == before.to_status, f"request {request.pk}: a gap in its events"
        assert events[-1].to_status == request.status, f"request {request.pk}: events end elsewhere than its status"
        assert request.version == len(events), f"request {request.pk}: a change without its event"

    answers = RequestEvent.objects.filter(
        request__in=requests, to_status__in=[S.ACCEPTED, S.WAITLISTED, S.DECLINED]
    ).count()
    notices = Notice.objects.filter(kind=Notice.Kind.ANSWER)
    assert notices.count() == 2 * answers, "each answer told once to the principal and once to the ILD"
    assert set(notices.values_list("status", flat=True)) == {"sent"}
    sent = Counter(int(m.extra_headers[NOTICE_HEADER]) for m in mail.outbox)
    assert set(sent) == set(Notice.objects.filter(pk__gt=told_before).values_list("pk", flat=True))
    assert set(sent.values()) == {1}, "every notice sent exactly once"
