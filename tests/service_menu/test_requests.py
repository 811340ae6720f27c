"""The request state machine: every legal move, every illegal one, capacity and the waitlist."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from district.models import User
from service_menu import services
from service_menu.models import Request
from tests.conftest import District
from tests.factories import SchoolFactory, ServiceFactory
from tests.service_menu.conftest import TODAY, Menus

pytestmark = pytest.mark.django_db
S = Request.Status

ALL_STATUSES = [s.value for s in S]


def move(request: Request, action: str, by: User, **kwargs: Any) -> Request:
    return services.request_transition(request=request, action=action, by=by, **kwargs).request


def test_answers_and_refusals_read_as_sentences(menus: Menus, unit_staff: User) -> None:
    Request.objects.filter(pk=menus.request.pk).update(status=S.ENDORSED)
    result = services.request_transition(request=menus.request, action="accept", by=unit_staff)
    assert result.message == "The request is now “Accepted”."
    with pytest.raises(ValidationError) as refused:
        move(menus.request, "close", unit_staff)
    assert refused.value.messages == ["This request is “Accepted”, so “Close” cannot be done now."]


@pytest.mark.parametrize("action", list(services.TRANSITIONS))
@pytest.mark.parametrize("status", ALL_STATUSES)
def test_every_action_is_legal_only_from_its_states(menus: Menus, unit_staff: User, action: str, status: str) -> None:
    Request.objects.filter(pk=menus.request.pk).update(status=status)
    menus.request.refresh_from_db()
    legal = action in services.legal_actions(menus.request)
    kwargs: dict[str, Any] = {}
    if action == "schedule":
        kwargs = {"scheduled_start": TODAY, "scheduled_end": TODAY + datetime.timedelta(days=30)}
    if action == "decline":
        kwargs = {"decline_reason": "Full", "alternative_note": "Two after-school sessions instead."}
    if action == "waitlist":
        menus.service.__class__.objects.filter(pk=menus.service.pk).update(capacity_per_term=0)  # full
    if action == "deliver":
        menus.request.deliveries.create(date=TODAY, hours=2, note="First session", by=unit_staff)
    if legal:
        moved = move(menus.request, action, unit_staff, **kwargs)
        assert moved.events.last().to_status == moved.status  # type: ignore[union-attr]
    else:
        with pytest.raises(ValidationError, match="cannot be done now"):
            move(menus.request, action, unit_staff, **kwargs)
        menus.request.refresh_from_db()
        assert menus.request.status == status


def test_the_whole_road_is_timestamped_with_who_did_what(
    menus: Menus, unit_staff: User, principal: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        request = move(menus.request, "accept", unit_staff)
        request = move(request, "schedule", unit_staff, scheduled_start=TODAY, scheduled_end=TODAY)
        services.delivery_log_add(request=request, by=unit_staff, date=TODAY, hours=3, note="First lab lesson")
        request = move(request, "deliver", unit_staff)
        request = move(request, "close", unit_staff)
    assert [e.to_status for e in request.events.all()] == ["submitted", "accepted", "scheduled", "delivered", "closed"]
    assert all(e.at is not None for e in request.events.all())
    assert request.first_answered_at is not None
    assert request.answered_by == unit_staff
    assert {tuple(m.to) for m in mail.outbox} == {("principal@district.test",), ("ild@district.test",)}
    assert len(mail.outbox) == 2 * 4, "each answer once to the principal and once to the ILD"
    assert request.history.count() >= 5


def test_intensive_requests_wait_for_the_ilds_endorsement(
    district: District, menus: Menus, principal: User, ild: User, unit_staff: User
) -> None:
    request = services.request_submit(
        school=district.school,
        service=menus.intensive,
        term=menus.term,
        requested_by=principal,
        rationale="Math is our priority",
        improvement_priority="Math",
    )
    assert services.legal_actions(request) == ["endorse", "cancel"]
    with pytest.raises(ValidationError):
        move(request, "accept", unit_staff)
    request = move(request, "endorse", ild)
    assert request.endorsed_by == ild
    assert "accept" in services.legal_actions(request)


def test_the_ilds_own_request_counts_as_endorsed(district: District, menus: Menus, ild: User) -> None:
    request = services.request_submit(
        school=district.school,
        service=menus.intensive,
        term=menus.term,
        requested_by=ild,
        rationale="Brokered in a visit",
        improvement_priority="Math",
    )
    assert request.status == S.ENDORSED


def test_decline_needs_a_reason_and_an_alternative(menus: Menus, unit_staff: User) -> None:
    with pytest.raises(ValidationError, match="no, but"):
        move(menus.request, "decline", unit_staff, decline_reason="We are full.")
    with pytest.raises(ValidationError, match="Say why"):
        move(menus.request, "decline", unit_staff, alternative_note="Try next term")
    with pytest.raises(ValidationError, match="later term"):
        move(menus.request, "decline", unit_staff, decline_reason="Full", alternative_term=menus.term)
    declined = move(menus.request, "decline", unit_staff, decline_reason="Full", alternative_term=menus.later_term)
    assert declined.status == S.DECLINED
    assert declined.has_alternative


def test_scheduling_in_the_past_is_refused(menus: Menus, unit_staff: User) -> None:
    accepted = move(menus.request, "accept", unit_staff)
    with pytest.raises(ValidationError, match="cannot be in the past"):
        move(accepted, "schedule", unit_staff, scheduled_start=TODAY - datetime.timedelta(days=1), scheduled_end=TODAY)
    with pytest.raises(ValidationError, match="before the first"):
        move(accepted, "schedule", unit_staff, scheduled_start=TODAY + datetime.timedelta(days=5), scheduled_end=TODAY)


def test_a_full_service_waitlists_and_a_cancellation_promotes_the_oldest(
    menus: Menus, unit_staff: User, principal: User
) -> None:
    others = []
    for name in ["B", "C", "D"]:
        school = SchoolFactory.create(name=f"School {name}")
        others.append(
            services.request_submit(
                school=school,
                service=menus.service,
                term=menus.term,
                requested_by=principal,
                rationale="We need it",
                improvement_priority="Literacy",
            )
        )
    first = move(menus.request, "accept", unit_staff)
    second = move(others[0], "accept", unit_staff)
    third = services.request_transition(request=others[1], action="accept", by=unit_staff)
    assert third.request.status == S.WAITLISTED
    assert "full" in third.message
    fourth = move(others[2], "waitlist", unit_staff)
    assert services.holding_capacity(service=menus.service, term=menus.term) == 2
    move(second, "cancel", principal)
    third.request.refresh_from_db()
    fourth.refresh_from_db()
    assert third.request.status == S.ACCEPTED, "the oldest waitlisted request moves up"
    assert fourth.status == S.WAITLISTED
    assert third.request.events.last().by is None  # type: ignore[union-attr]
    assert first.status == S.ACCEPTED


def test_a_second_answer_from_a_stale_page_is_told_and_changes_nothing(
    menus: Menus, unit_staff: User, unit_head: User
) -> None:
    opened = menus.request.version
    move(menus.request, "accept", unit_staff, expected_version=opened)
    with pytest.raises(services.EditConflict):
        move(menus.request, "decline", unit_head, expected_version=opened, decline_reason="x", alternative_note="y")
    menus.request.refresh_from_db()
    assert menus.request.status == S.ACCEPTED


def test_bad_requests_are_refused_with_reasons(district: District, menus: Menus, principal: User) -> None:
    from tests.factories import MenuFactory, TermFactory

    draft_service = ServiceFactory.create(
        menu=MenuFactory.create(unit=district.unit, school_year=menus.menu.school_year, status="draft", version=2)
    )
    with pytest.raises(ValidationError, match="not on a published menu"):
        services.request_submit(
            school=district.school,
            service=draft_service,
            term=menus.term,
            requested_by=principal,
            rationale="x",
            improvement_priority="y",
        )
    high_only = ServiceFactory.create(menu=menus.menu, eligible_levels=["high"])
    with pytest.raises(ValidationError, match="not Elementary"):
        services.request_submit(
            school=district.school,
            service=high_only,
            term=menus.term,
            requested_by=principal,
            rationale="x",
            improvement_priority="y",
        )
    past_term = TermFactory.create(
        school_year=menus.menu.school_year,
        name="Past",
        start_date=TODAY - datetime.timedelta(days=99),
        end_date=TODAY - datetime.timedelta(days=31),
    )
    with pytest.raises(ValidationError, match="has not ended"):
        services.request_submit(
            school=district.school,
            service=high_only,
            term=past_term,
            requested_by=principal,
            rationale="x",
            improvement_priority="y",
        )
    with pytest.raises(ValidationError, match="already has an open request"):
        services.request_submit(
            school=district.school,
            service=menus.service,
            term=menus.term,
            requested_by=principal,
            rationale="again",
            improvement_priority="y",
        )


def test_capacity_cannot_drop_below_what_is_accepted(menus: Menus, unit_staff: User, unit_head: User) -> None:
    move(menus.request, "accept", unit_staff)
    draft = services.menu_start_draft(unit=menus.menu.unit, school_year=menus.menu.school_year)
    copy = draft.services.get(key=menus.service.key)
    copy.capacity_per_term = 0
    with pytest.raises(ValidationError, match="cannot go below"):
        services.service_save(service=copy)


def test_revising_a_menu_copies_it_and_publishing_freezes_it(menus: Menus, unit_head: User) -> None:
    draft = services.menu_start_draft(unit=menus.menu.unit, school_year=menus.menu.school_year)
    assert draft.version == 2
    assert draft.services.count() == 2
    with pytest.raises(ValidationError, match="Say what changed"):
        services.menu_publish(menu=draft, by=unit_head, change_note="")
    services.menu_publish(menu=draft, by=unit_head, change_note="More lab classrooms.")
    menus.menu.refresh_from_db()
    assert menus.menu.status == "superseded"
    with pytest.raises(ValidationError, match="frozen"):
        services.service_save(service=draft.services.first())  # type: ignore[arg-type]


def test_overdue_reminders_go_once_a_day_to_units_with_late_answers(
    menus: Menus, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.management import call_command

    Request.objects.filter(pk=menus.request.pk).update(
        created_at=menus.request.created_at - datetime.timedelta(days=10)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_overdue_reminders", stdout=open(__import__("os").devnull, "w"))  # noqa: SIM115
    assert mail.outbox
    assert all("Literacy lab classrooms" in m.body for m in mail.outbox)
    mail.outbox.clear()
    Request.objects.filter(pk=menus.request.pk).update(created_at=menus.request.created_at)
    assert services.send_overdue_reminders() == 0


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_accepts_cannot_both_take_the_last_place(
    district: District, principal: User, unit_staff: User
) -> None:
    """Real concurrency needs a server with row locks: this runs on PostgreSQL only."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers anyway")
    from tests.conftest import menus as menus_fixture  # noqa: F401 - documentation only
    from tests.factories import MenuFactory, SchoolYearFactory, ServiceFactory, TermFactory

    year = SchoolYearFactory.create(
        name="Concurrent year",
        start_date=TODAY - datetime.timedelta(days=10),
        end_date=TODAY + datetime.timedelta(days=300),
    )
    term = TermFactory.create(
        school_year=year,
        name="T",
        start_date=TODAY - datetime.timedelta(days=5),
        end_date=TODAY + datetime.timedelta(days=90),
    )
    service = ServiceFactory.create(menu=MenuFactory.create(unit=district.unit, school_year=year), capacity_per_term=1)
    requests = [
        services.request_submit(
            school=SchoolFactory.create(),
            service=service,
            term=term,
            requested_by=principal,
            rationale="x",
            improvement_priority="y",
        )
        for _ in range(2)
    ]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(request: Request) -> None:
        barrier.wait()
        try:
            outcomes.append(services.request_transition(request=request, action="accept", by=unit_staff).request.status)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(r,)) for r in requests]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["accepted", "waitlisted"]


def test_a_request_is_waitlisted_only_when_the_service_is_full(menus: Menus, unit_staff: User) -> None:
    with pytest.raises(ValidationError, match="still has places"):
        move(menus.request, "waitlist", unit_staff)


def test_a_revision_with_more_places_promotes_the_waitlist(
    menus: Menus, unit_staff: User, unit_head: User, principal: User
) -> None:
    Service = menus.service.__class__
    Service.objects.filter(pk=menus.service.pk).update(capacity_per_term=0)
    menus.service.refresh_from_db()
    waiting = services.request_transition(request=menus.request, action="accept", by=unit_staff).request
    assert waiting.status == S.WAITLISTED
    draft = services.menu_start_draft(unit=menus.menu.unit, school_year=menus.menu.school_year)
    Service.objects.filter(menu=draft, key=menus.service.key).update(capacity_per_term=3)
    services.menu_publish(menu=draft, by=unit_head, change_note="Three more places.")
    waiting.refresh_from_db()
    assert waiting.status == S.ACCEPTED


def test_delivery_needs_a_logged_session(menus: Menus, unit_staff: User) -> None:
    accepted = move(menus.request, "accept", unit_staff)
    scheduled = move(accepted, "schedule", unit_staff, scheduled_start=TODAY, scheduled_end=TODAY)
    with pytest.raises(ValidationError, match="Log at least one delivery"):
        move(scheduled, "deliver", unit_staff)


def test_a_draft_revision_can_drop_a_service(menus: Menus, unit_head: User) -> None:
    draft = services.menu_start_draft(unit=menus.menu.unit, school_year=menus.menu.school_year)
    services.service_remove(service=draft.services.get(key=menus.intensive.key))
    assert draft.services.count() == 1
    with pytest.raises(ValidationError, match="frozen"):
        services.service_remove(service=menus.service)
