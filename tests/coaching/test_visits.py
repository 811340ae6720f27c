"""Logging visits: the form, its rules, next steps inline, conflicts and history."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from coaching.models import NextStep, Visit
from district.models import User
from tests.coaching.conftest import Coaching
from tests.conftest import District

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def visit_data(district: District, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "school": district.school.pk,
        "date": (TODAY - datetime.timedelta(days=1)).isoformat(),
        "start_time": "09:00",
        "duration_minutes": 90,
        "status": "done",
        "principal_present": "on",
        "classrooms_visited": 3,
        "grades_subjects": "Gr 3 math",
        "moves": ["joint_observation", "think_aloud"],
        "lead_role": "2",
        "what_we_saw": "Students explained their reasoning to partners.",
        "private_note": "",
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "0",
        "steps-0-owner": "principal",
        "steps-0-description": "Give feedback to the two teachers",
        "steps-0-due_date": (TODAY + datetime.timedelta(days=7)).isoformat(),
        "steps-1-owner": "ild",
        "steps-1-description": "Send the observation protocol",
        "steps-1-due_date": (TODAY + datetime.timedelta(days=3)).isoformat(),
    }
    data.update(overrides)
    return data


def test_ild_logs_a_joint_visit_with_moves_and_next_steps(
    client_for: Callable[[str], Client],
    district: District,
    coaching: Coaching,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    client = client_for("ild")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("coaching:visit_create"),
            visit_data(district, focus_goals=[coaching.goal.pk], observed_level=coaching.goal.target_level_id),
        )
    assert response.status_code == 302
    visit = Visit.objects.exclude(pk=coaching.visit.pk).get(school=district.school)
    assert visit.principal_present
    assert sorted(m.move for m in visit.moves.all()) == ["joint_observation", "think_aloud"]
    assert [s.owner for s in visit.next_steps.order_by("owner")] == ["ild", "principal"]
    assert list(visit.focus_goals.all()) == [coaching.goal]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["principal@district.test"]
    assert visit.history.count() == 1


def test_bad_visits_get_clear_messages_and_lose_nothing(
    client_for: Callable[[str], Client], district: District, coaching: Coaching
) -> None:
    client = client_for("ild")
    future = (TODAY + datetime.timedelta(days=5)).isoformat()
    response = client.post(
        reverse("coaching:visit_create"),
        visit_data(
            district,
            date=future,
            **{"steps-0-due_date": (TODAY - datetime.timedelta(days=30)).isoformat()},
            brokered_resource="District math coach",
        ),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "A visit in the future cannot be done yet" in body
    assert "Tick “Brokering a resource”" in body
    assert "Give feedback to the two teachers" in body, "typed text is kept"
    assert "Students explained their reasoning to partners." in body
    assert Visit.objects.count() == 2

    response = client.post(
        reverse("coaching:visit_create"),
        visit_data(district, **{"steps-0-due_date": (TODAY - datetime.timedelta(days=30)).isoformat()}),
    )
    assert "before the visit on" in response.content.decode()
    assert NextStep.objects.count() == 1


def test_a_visit_cannot_be_logged_for_a_school_outside_the_caseload(
    client_for: Callable[[str], Client], district: District, coaching: Coaching
) -> None:
    response = client_for("ild").post(
        reverse("coaching:visit_create"), visit_data(district, school=district.other_school.pk)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Visit.objects.filter(school=district.other_school, ild__email="ild@district.test").exists()


def test_a_goal_of_another_school_cannot_be_in_focus(
    client_for: Callable[[str], Client], district: District, coaching: Coaching
) -> None:
    from tests.factories import GoalFactory

    other_goal = GoalFactory.create(school=district.other_school, practice=coaching.practice)
    response = client_for("ild").post(
        reverse("coaching:visit_create"), visit_data(district, focus_goals=[other_goal.pk])
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_two_people_saving_the_same_visit_the_second_is_told(
    client_for: Callable[[str], Client], district: District, coaching: Coaching
) -> None:
    client = client_for("ild")
    url = reverse("coaching:visit_edit", args=[coaching.visit.pk])
    opened_version = coaching.visit.version
    first = visit_data(district, version=opened_version, what_we_saw="First save wins.")
    first.update({"steps-TOTAL_FORMS": "0"})
    assert client.post(url, first).status_code == 302
    second = visit_data(district, version=opened_version, what_we_saw="Second save from a stale page.")
    second.update({"steps-TOTAL_FORMS": "0"})
    response = client.post(url, second)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else saved this visit after you opened it" in body
    assert "Second save from a stale page." in body, "the second person's text is still in the form"
    coaching.visit.refresh_from_db()
    assert coaching.visit.what_we_saw == "First save wins."
    assert coaching.visit.history.count() >= 1


def test_editing_removes_and_keeps_next_steps(
    client_for: Callable[[str], Client], district: District, coaching: Coaching
) -> None:
    data = visit_data(district, version=coaching.visit.version)
    data.update(
        {
            "steps-TOTAL_FORMS": "2",
            "steps-INITIAL_FORMS": "1",
            "steps-0-id": str(coaching.step.pk),
            "steps-0-owner": "principal",
            "steps-0-description": coaching.step.description,
            "steps-0-due_date": coaching.step.due_date.isoformat(),
            "steps-0-DELETE": "on",
        }
    )
    response = client_for("ild").post(reverse("coaching:visit_edit", args=[coaching.visit.pk]), data)
    assert response.status_code == 302
    assert list(coaching.visit.next_steps.values_list("description", flat=True)) == ["Send the observation protocol"]


def test_next_step_rows_are_added_and_removed_as_fragments(
    client_for: Callable[[str], Client], coaching: Coaching
) -> None:
    client = client_for("ild")
    response = client.get(reverse("coaching:next_step_row"), {"index": 2}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert 'name="steps-2-description"' in body
    assert 'name="steps-TOTAL_FORMS" value="3"' in body
    assert 'hx-swap-oob="true"' in body
    assert "index=3" in body
    removed = client.get(
        reverse("coaching:next_step_removed"),
        {"prefix": "steps-0", "id": str(coaching.step.pk)},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert 'name="steps-0-DELETE" value="on"' in removed
    assert f'name="steps-0-id" value="{coaching.step.pk}"' in removed
    assert client.get(reverse("coaching:next_step_removed"), {"prefix": "evil"}).status_code == 404


def test_choosing_a_school_swaps_in_its_goals(
    client_for: Callable[[str], Client], district: District, coaching: Coaching
) -> None:
    response = client_for("ild").get(
        reverse("coaching:visit_create"),
        {"school": district.school.pk},
        headers={"HX-Request": "true", "HX-Target": "focus-fields"},
    )
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="focus-fields"' in body
    assert coaching.practice.name in body


def test_ticking_a_step_with_htmx_returns_the_row(client_for: Callable[[str], Client], coaching: Coaching) -> None:
    response = client_for("principal").post(
        reverse("coaching:next_step_toggle", args=[coaching.step.pk]), {"done": "on"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert f'id="next-step-{coaching.step.pk}"' in body
    assert "checked" in body
    coaching.step.refresh_from_db()
    assert coaching.step.done_by is not None
    assert coaching.step.done_by.email == "principal@district.test"


def test_planned_visit_sends_no_email_until_it_is_done(
    client_for: Callable[[str], Client],
    district: District,
    coaching: Coaching,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    client = client_for("ild")
    data = visit_data(district, status="planned", date=(TODAY + datetime.timedelta(days=3)).isoformat())
    data.update({"steps-TOTAL_FORMS": "0"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("coaching:visit_create"), data)
    assert mail.outbox == []


def test_principal_reads_the_visit_and_reflects(
    client_for: Callable[[str], Client], coaching: Coaching, principal: User
) -> None:
    client = client_for("principal")
    body = client.get(reverse("coaching:visit_detail", args=[coaching.visit.pk])).content.decode()
    assert "Students explained their reasoning." in body
    assert "Save my reflection" in body
    response = client.post(reverse("coaching:visit_reflect", args=[coaching.visit.pk]), {"principal_reflection": ""})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
