"""The visit form as an ILD meets it: sensible starting values, levels that follow the goals, safe posts."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from coaching.models import GrowthGoal, Visit
from district.forms import MISSING_VERSION, STALE_FORM
from tests.coaching.conftest import Coaching
from tests.coaching.test_goals import goal_data
from tests.coaching.test_visits import visit_data
from tests.conftest import District
from tests.factories import GoalFactory, PracticeFactory, level

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
TOO_BIG = "99999999999999999999999"
HTMX = {"HX-Request": "true"}


def test_a_new_visit_dated_today_starts_done_with_no_classrooms_filled_in(
    client_for: Callable[[str], Client], coaching: Coaching
) -> None:
    response = client_for("ild").get(reverse("coaching:visit_create"))
    form = response.context["form"]
    assert form["date"].value() == TODAY
    assert form["status"].value() == Visit.Status.DONE
    assert form["classrooms_visited"].value() is None
    assert 'name="classrooms_visited" value=' not in response.content.decode()


def test_changing_the_date_of_a_new_visit_suggests_its_status(
    client_for: Callable[[str], Client], district: District, coaching: Coaching
) -> None:
    client = client_for("ild")
    url = reverse("coaching:visit_create")
    target = {**HTMX, "HX-Target": "status-field"}
    ahead = client.get(url, {"date": (TODAY + datetime.timedelta(days=4)).isoformat()}, headers=target)
    body = ahead.content.decode()
    assert "<html" not in body
    assert 'id="status-field"' in body
    assert ahead.context["form"]["status"].value() == Visit.Status.PLANNED
    past = client.get(url, {"date": (TODAY - datetime.timedelta(days=2)).isoformat()}, headers=target)
    assert past.context["form"]["status"].value() == Visit.Status.DONE
    nonsense = client.get(url, {"date": "2026-02-30"}, headers=target)
    assert nonsense.context["form"]["status"].value() == Visit.Status.DONE

    # An existing visit keeps the status it has: the page does not ask.
    edit = client.get(reverse("coaching:visit_edit", args=[coaching.visit.pk])).content.decode()
    assert 'hx-target="#status-field"' not in edit


def test_the_observed_level_lists_only_the_levels_of_the_goals_in_focus(
    client_for: Callable[[str], Client], district: District, coaching: Coaching
) -> None:
    data_use = PracticeFactory.create(name="Leading data conversations")
    data_goal = GoalFactory.create(school=district.school, practice=data_use)
    feedback_level = level(coaching.practice, 2)
    data_level = level(data_use, 2)
    client = client_for("ild")
    url = reverse("coaching:visit_create")

    page = client.get(url, {"school": district.school.pk}).content.decode()
    assert "Tick a goal in focus to record the principal's observed level" in page
    assert 'name="observed_level"' not in page

    target = {**HTMX, "HX-Target": "observed-level"}
    school = str(district.school.pk)
    one = client.get(url, {"school": school, "focus_goals": [str(data_goal.pk)]}, headers=target)
    body = one.content.decode()
    assert "<html" not in body
    assert 'id="observed-level"' in body
    assert f'value="{data_level.pk}"' in body
    assert f'value="{feedback_level.pk}"' not in body
    focus = [str(data_goal.pk), str(coaching.goal.pk)]
    both = client.get(url, {"school": school, "focus_goals": focus}, headers=target).content.decode()
    assert f'value="{data_level.pk}"' in both
    assert f'value="{feedback_level.pk}"' in both
    forged = client.get(url, {"school": school, "focus_goals": [TOO_BIG, "x"]}, headers=target)
    assert forged.status_code == 200
    assert 'name="observed_level"' not in forged.content.decode()

    # Editing: the goals already in focus decide, and a level of another practice is refused.
    edit_url = reverse("coaching:visit_edit", args=[coaching.visit.pk])
    edit = client.get(edit_url).content.decode()
    assert f'value="{feedback_level.pk}"' in edit
    assert f'value="{data_level.pk}"' not in edit
    response = client.post(
        edit_url,
        visit_data(
            district, version=coaching.visit.version, focus_goals=[coaching.goal.pk], observed_level=data_level.pk
        ),
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_a_done_visit_asks_how_many_classrooms_and_a_planned_one_does_not(
    client_for: Callable[[str], Client], district: District, coaching: Coaching
) -> None:
    client = client_for("ild")
    url = reverse("coaching:visit_create")
    response = client.post(url, visit_data(district, classrooms_visited=""))
    assert response.status_code == 200
    assert "Enter how many classrooms you visited (0 if none)." in response.content.decode()
    planned = visit_data(
        district, status="planned", date=(TODAY + datetime.timedelta(days=3)).isoformat(), classrooms_visited=""
    )
    planned["steps-TOTAL_FORMS"] = "0"
    assert client.post(url, planned).status_code == 302
    assert Visit.objects.get(status=Visit.Status.PLANNED).classrooms_visited == 0


@pytest.mark.parametrize(
    "overrides",
    [
        {"focus_goals": [TOO_BIG]},
        {"focus_goals": ["-" + TOO_BIG]},
        {"observed_level": TOO_BIG},
        {"lead_role": TOO_BIG},
    ],
)
def test_ids_too_large_for_the_database_are_an_invalid_choice_not_a_server_error(
    client_for: Callable[[str], Client], district: District, coaching: Coaching, overrides: dict[str, object]
) -> None:
    url = reverse("coaching:visit_edit", args=[coaching.visit.pk])
    data = visit_data(district, version=coaching.visit.version, what_we_saw="Changed.", **overrides)
    response = client_for("ild").post(url, data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    coaching.visit.refresh_from_db()
    assert coaching.visit.what_we_saw != "Changed."


def test_a_new_visit_for_a_school_id_too_large_is_an_invalid_choice(
    client_for: Callable[[str], Client], district: District, coaching: Coaching
) -> None:
    response = client_for("ild").post(reverse("coaching:visit_create"), visit_data(district, school=TOO_BIG))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_a_next_step_id_too_large_is_refused_with_a_message(
    client_for: Callable[[str], Client], district: District, coaching: Coaching
) -> None:
    data = visit_data(district, version=coaching.visit.version, **{"steps-0-id": TOO_BIG, "steps-0-DELETE": "on"})
    response = client_for("ild").post(reverse("coaching:visit_edit", args=[coaching.visit.pk]), data)
    assert response.status_code == 200
    assert STALE_FORM in response.content.decode().replace("&#x27;", "'")
    assert coaching.visit.next_steps.count() == 1


@pytest.mark.parametrize("version", [None, "", "abc", "0", TOO_BIG])
def test_an_edit_of_a_visit_without_its_version_is_refused_with_a_reason(
    client_for: Callable[[str], Client], district: District, coaching: Coaching, version: str | None
) -> None:
    data = visit_data(district, what_we_saw="Saved without knowing what was there.")
    if version is not None:
        data["version"] = version
    response = client_for("ild").post(reverse("coaching:visit_edit", args=[coaching.visit.pk]), data)
    assert response.status_code == 200
    assert MISSING_VERSION in response.content.decode().replace("&#x27;", "'")
    coaching.visit.refresh_from_db()
    assert coaching.visit.what_we_saw == "Students explained their reasoning."
    assert coaching.visit.version == 1


def test_a_new_visit_needs_no_version(
    client_for: Callable[[str], Client], district: District, coaching: Coaching
) -> None:
    assert client_for("ild").post(reverse("coaching:visit_create"), visit_data(district)).status_code == 302


def test_a_goal_edit_without_its_version_or_with_a_level_id_too_large_is_refused(
    client_for: Callable[[str], Client], district: District, coaching: Coaching
) -> None:
    url = reverse("coaching:goal_edit", args=[coaching.goal.pk])
    client = client_for("ild")
    data = goal_data(district, coaching, status="active", evidence="", statement="Unchecked words.")
    response = client.post(url, data)
    assert response.status_code == 200
    assert MISSING_VERSION in response.content.decode().replace("&#x27;", "'")
    response = client.post(url, {**data, "version": coaching.goal.version, "target_level": TOO_BIG})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert GrowthGoal.objects.get(pk=coaching.goal.pk).statement == "Give teachers specific, usable feedback."
    assert client.post(url, {**data, "version": coaching.goal.version}).status_code == 302


def test_a_step_removed_before_a_failed_save_stays_removed(
    client_for: Callable[[str], Client], district: District, coaching: Coaching
) -> None:
    data = visit_data(district, classrooms_visited="", **{"steps-1-description": "", "steps-1-DELETE": "on"})
    response = client_for("ild").post(reverse("coaching:visit_create"), data)
    body = response.content.decode()
    assert "Enter how many classrooms you visited" in body
    assert 'name="steps-0-description"' in body
    assert 'name="steps-1-description"' not in body
    assert '<div id="step-steps-1" hidden>' in body
    assert 'name="steps-1-DELETE" value="on"' in body
