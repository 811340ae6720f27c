"""An Intensive request tells the school's ILD that it waits for their endorsement."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail

from district.models import User
from service_menu.services import request_submit
from tests.conftest import District, Menus

pytestmark = pytest.mark.django_db


def _ask(menus: Menus, district: District, by: User, intensive: bool = True) -> None:
    request_submit(
        school=district.school,
        service=menus.intensive if intensive else menus.service,
        term=menus.term if intensive else menus.later_term,
        requested_by=by,
        rationale="Half our third graders are below grade level.",
        improvement_priority="Grade 3 math",
    )


def test_an_intensive_request_emails_the_school_ild_after_commit(
    menus: Menus,
    district: District,
    principal: User,
    ild: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _ask(menus, district, principal)
        assert not mail.outbox  # nothing leaves before the request is saved for good
    to_ild = [m for m in mail.outbox if m.to == [ild.email]]
    assert len(to_ild) == 1
    message = to_ild[0]
    assert message.subject == "Your endorsement: Intensive math turnaround for Harriet Tubman Elementary"
    assert "the unit answers only once you endorse the request" in message.body
    assert "Half our third graders are below grade level." in message.body
    assert "/services/requests/" in message.body
    # The unit is told as before, and no other ILD is.
    assert any("unit.head@district.test" in m.to for m in mail.outbox)
    assert all("other.ild@district.test" not in m.to for m in mail.outbox)


def test_requests_that_need_no_endorsement_do_not_email_the_ild(
    menus: Menus,
    district: District,
    principal: User,
    ild: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        # A targeted service needs no endorsement; the ILD's own intensive request is endorsed already.
        _ask(menus, district, principal, intensive=False)
        _ask(menus, district, ild)
    unit = menus.menu.unit
    unit_addresses = [a for a in [unit.contact_email, unit.head.email if unit.head else ""] if a]
    assert len(mail.outbox) == 2 * len(unit_addresses)  # each of the unit's addresses hears of both
    assert all(m.to != [ild.email] for m in mail.outbox)
