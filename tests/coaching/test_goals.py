"""Growth goals: drafted by either partner, confirmed by the principal, carried over with a link."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from coaching.models import GrowthGoal
from tests.coaching.conftest import Coaching
from tests.conftest import District
from tests.factories import SchoolYearFactory, level

pytestmark = pytest.mark.django_db


def goal_data(district: District, coaching: Coaching, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "school": district.school.pk,
        "school_year": coaching.goal.school_year_id,
        "practice": coaching.practice.pk,
        "statement": "Lead teacher teams in looking at student work.",
        "baseline_level": level(coaching.practice, 1).pk,
        "target_level": level(coaching.practice, 3).pk,
        "success_criteria": "Teams use the protocol monthly.",
    }
    data.update(overrides)
    return data


def test_ild_drafts_principal_confirms(
    client_for: Callable[[str], Client], district: District, coaching: Coaching
) -> None:
    response = client_for("ild").post(reverse("coaching:goal_create"), goal_data(district, coaching))
    assert response.status_code == 302
    goal = GrowthGoal.objects.exclude(pk=coaching.goal.pk).get()
    assert goal.status == GrowthGoal.Status.DRAFT
    assert goal.drafted_by.email == "ild@district.test"
    assert goal.principal.email == "principal@district.test"
    assert client_for("ild").post(reverse("coaching:goal_confirm", args=[goal.pk])).status_code == 403
    assert client_for("principal").post(reverse("coaching:goal_confirm", args=[goal.pk])).status_code == 302
    goal.refresh_from_db()
    assert goal.status == GrowthGoal.Status.ACTIVE
    assert goal.confirmed_at is not None
    assert goal.history.count() == 2


def test_target_below_baseline_is_refused_with_a_reason(
    client_for: Callable[[str], Client], district: District, coaching: Coaching
) -> None:
    response = client_for("principal").post(
        reverse("coaching:goal_create"),
        goal_data(
            district,
            coaching,
            baseline_level=level(coaching.practice, 3).pk,
            target_level=level(coaching.practice, 2).pk,
        ),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "The target must be above the baseline" in body
    assert "Lead teacher teams in looking at student work." in body
    assert GrowthGoal.objects.count() == 1


def test_a_goal_for_a_school_outside_the_caseload_is_refused(
    client_for: Callable[[str], Client], district: District, coaching: Coaching
) -> None:
    response = client_for("ild").post(
        reverse("coaching:goal_create"), goal_data(district, coaching, school=district.other_school.pk)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not GrowthGoal.objects.filter(school=district.other_school).exists()


def test_second_editor_of_a_goal_is_told(
    client_for: Callable[[str], Client], district: District, coaching: Coaching
) -> None:
    url = reverse("coaching:goal_edit", args=[coaching.goal.pk])
    stale = coaching.goal.version
    data = goal_data(district, coaching, version=stale, status="active", evidence="")
    assert client_for("principal").post(url, {**data, "statement": "Principal's words."}).status_code == 302
    response = client_for("ild").post(url, {**data, "statement": "ILD's words."})
    assert "Someone else saved this goal after you opened it" in response.content.decode()
    coaching.goal.refresh_from_db()
    assert coaching.goal.statement == "Principal's words."


def test_carrying_a_goal_over_keeps_the_link(
    client_for: Callable[[str], Client], district: District, coaching: Coaching
) -> None:
    next_year = SchoolYearFactory.create(
        name="2027–28", start_date=datetime.date(2027, 8, 1), end_date=datetime.date(2028, 6, 30), is_current=False
    )
    response = client_for("ild").post(
        reverse("coaching:goal_carry_over", args=[coaching.goal.pk]), {"school_year": next_year.pk}
    )
    assert response.status_code == 302
    carried = GrowthGoal.objects.get(school_year=next_year)
    assert carried.carried_from == coaching.goal
    coaching.goal.refresh_from_db()
    assert coaching.goal.status == GrowthGoal.Status.CARRIED_OVER
    body = client_for("principal").get(reverse("coaching:goal_detail", args=[coaching.goal.pk])).content.decode()
    assert "Carried into" in body
    again = client_for("ild").post(
        reverse("coaching:goal_carry_over", args=[coaching.goal.pk]), {"school_year": next_year.pk}, follow=True
    )
    assert "Only an unfinished goal can be carried over" in again.content.decode()
