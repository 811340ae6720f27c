"""Cycle forms refuse ids the database could not hold and edits that lost their version; the history reads well."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cycles.inquiry import services as inquiry
from cycles.inquiry.models import CycleOfInquiry, PlanAction
from district.forms import MISSING_VERSION
from district.models import User
from tests.conftest import District
from tests.cycles.fixtures import Surveys

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
TOO_BIG = "99999999999999999999999"


def text(body: bytes) -> str:
    return body.decode().replace("&#x27;", "'")


@pytest.fixture
def cycle(district: District, surveys: Surveys, unit_head: User) -> CycleOfInquiry:
    return inquiry.cycle_save(
        cycle=CycleOfInquiry(
            unit=district.unit,
            title="Faster answers",
            problem_of_practice="Principals wait too long.",
            metric_item=surveys.items[-1],
            baseline_term=surveys.closed_term,
            target_term=surveys.open_term,
            target_value=4,
            theory_if="answer in three days",
            theory_then="plan with confidence",
            theory_because="a quick no is better than silence",
        ),
        by=unit_head,
    )


@pytest.fixture
def action(cycle: CycleOfInquiry, unit_staff: User) -> PlanAction:
    return inquiry.action_save(
        action=PlanAction(cycle=cycle, title="Triage", owner=unit_staff, due_date=TODAY, benchmark="A log")
    )


def cycle_data(cycle: CycleOfInquiry, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": cycle.title,
        "problem_of_practice": cycle.problem_of_practice,
        "metric_item": cycle.metric_item_id,
        "baseline_term": cycle.baseline_term_id,
        "theory_if": cycle.theory_if,
        "theory_then": cycle.theory_then,
        "theory_because": cycle.theory_because,
        "target_value": "4.5",
        "target_term": cycle.target_term_id,
        "stage": "do",
    }
    data.update(overrides)
    return data


def test_a_cycle_edit_without_its_version_or_with_an_id_too_large_is_refused(
    client_for: Callable[[str], Client], cycle: CycleOfInquiry
) -> None:
    client = client_for("unit_head")
    url = reverse("inquiry:cycle_edit", args=[cycle.pk])
    response = client.post(url, cycle_data(cycle))
    assert response.status_code == 200
    assert MISSING_VERSION in text(response.content)
    for field in ("metric_item", "baseline_term", "target_term", "service"):
        response = client.post(url, cycle_data(cycle, version=cycle.version, **{field: TOO_BIG}))
        assert response.status_code == 200, field
        assert "Select a valid choice" in text(response.content), field
    assert CycleOfInquiry.objects.get(pk=cycle.pk).stage == CycleOfInquiry.Stage.PLAN
    assert client.post(url, cycle_data(cycle, version=cycle.version)).status_code == 302
    assert CycleOfInquiry.objects.get(pk=cycle.pk).stage == CycleOfInquiry.Stage.DO


def test_an_action_edit_or_check_in_without_its_version_is_refused(
    client_for: Callable[[str], Client], cycle: CycleOfInquiry, action: PlanAction, unit_staff: User
) -> None:
    url = reverse("inquiry:action_edit", args=[cycle.pk, action.pk])
    data = {"title": "Triage daily", "owner": unit_staff.pk, "due_date": TODAY.isoformat(), "benchmark": "A log"}
    data["status"] = "in_progress"
    head = client_for("unit_head")
    response = head.post(url, data)
    assert response.status_code == 200
    assert MISSING_VERSION in text(response.content)
    response = head.post(url, {**data, "version": action.version, "owner": TOO_BIG})
    assert "Select a valid choice" in text(response.content)
    assert PlanAction.objects.get(pk=action.pk).title == "Triage"

    check_in = reverse("inquiry:check_in", args=[action.pk])
    response = client_for("unit_staff").post(check_in, {"status": "in_progress", "note": "Started"})
    assert response.status_code == 200
    assert MISSING_VERSION in text(response.content)
    assert not action.check_ins.exists()


def test_a_new_action_needs_no_version(
    client_for: Callable[[str], Client], cycle: CycleOfInquiry, unit_staff: User
) -> None:
    data = {"title": "Call back", "owner": unit_staff.pk, "due_date": TODAY.isoformat(), "benchmark": "Calls logged"}
    url = reverse("inquiry:action_create", args=[cycle.pk])
    assert client_for("unit_head").post(url, {**data, "status": "not_started"}).status_code == 302
    assert cycle.actions.filter(title="Call back").exists()


def test_the_cycle_history_names_what_changed_in_words(
    client_for: Callable[[str], Client], cycle: CycleOfInquiry
) -> None:
    client = client_for("unit_head")
    response = client.post(reverse("inquiry:cycle_edit", args=[cycle.pk]), cycle_data(cycle, version=cycle.version))
    assert response.status_code == 302
    body = client.get(reverse("inquiry:cycle_detail", args=[cycle.pk])).content.decode()
    section = body[body.index('<h2 class="h6">Changes</h2>') :]
    rows = [re.sub(r"\s+", " ", row) for row in re.findall(r"<li>(.*?)</li>", section, flags=re.S)]
    assert rows[0].endswith("— Changed by Hana Kim: Target value, Stage")
    assert rows[-1].endswith("— Created by the system")
    assert "(stage" not in section
    assert "version" not in section.lower()
