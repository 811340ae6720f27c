"""The permission ladder for every coaching page, PDF and feed."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from district.models import User
from tests.coaching.conftest import PRIVATE_MARKER, Coaching
from tests.conftest import District
from tests.factories import CaseloadFactory, NextStepFactory, VisitFactory
from tests.http import body_text

pytestmark = pytest.mark.django_db


def urls(c: Coaching, district: District) -> dict[str, str]:
    return {
        "dashboard": reverse("coaching:dashboard"),
        "coaches": reverse("coaching:coaches"),
        "visit_list": reverse("coaching:visit_list"),
        "visit_create": reverse("coaching:visit_create"),
        "visit_detail": reverse("coaching:visit_detail", args=[c.visit.pk]),
        "visit_edit": reverse("coaching:visit_edit", args=[c.visit.pk]),
        "visit_pdf": reverse("coaching:visit_pdf", args=[c.visit.pk]),
        "goal_create": reverse("coaching:goal_create"),
        "goal_detail": reverse("coaching:goal_detail", args=[c.goal.pk]),
        "goal_edit": reverse("coaching:goal_edit", args=[c.goal.pk]),
        "growth": reverse("coaching:growth", args=[district.school.code]),
        "growth_pdf": reverse("coaching:growth_pdf", args=[district.school.code]),
        "calendar": reverse("coaching:calendar"),
    }


# What each persona gets on each page: 200 may, 403 may see the place but not this, 404 must not know.
LADDER: dict[str, dict[str, int]] = {
    "ild": {
        "dashboard": 200, "coaches": 403, "visit_list": 200, "visit_create": 200, "visit_detail": 200,
        "visit_edit": 200, "visit_pdf": 200, "goal_create": 200, "goal_detail": 200, "goal_edit": 200,
        "growth": 200, "growth_pdf": 200, "calendar": 200,
    },
    "other_ild": {
        "dashboard": 200, "coaches": 403, "visit_list": 200, "visit_create": 200, "visit_detail": 404,
        "visit_edit": 404, "visit_pdf": 404, "goal_create": 200, "goal_detail": 404, "goal_edit": 404,
        "growth": 404, "growth_pdf": 404, "calendar": 200,
    },
    "principal": {
        "dashboard": 403, "coaches": 403, "visit_list": 200, "visit_create": 403, "visit_detail": 200,
        "visit_edit": 403, "visit_pdf": 200, "goal_create": 200, "goal_detail": 200, "goal_edit": 200,
        "growth": 200, "growth_pdf": 200, "calendar": 403,
    },
    "other_principal": {
        "dashboard": 403, "coaches": 403, "visit_list": 200, "visit_create": 403, "visit_detail": 404,
        "visit_edit": 404, "visit_pdf": 404, "goal_create": 200, "goal_detail": 404, "goal_edit": 404,
        "growth": 404, "growth_pdf": 404, "calendar": 403,
    },
    "unit_head": {
        "dashboard": 403, "coaches": 403, "visit_list": 403, "visit_create": 403, "visit_detail": 404,
        "visit_edit": 404, "visit_pdf": 404, "goal_create": 403, "goal_detail": 404, "goal_edit": 404,
        "growth": 404, "growth_pdf": 404, "calendar": 403,
    },
    "unit_staff": {
        "dashboard": 403, "coaches": 403, "visit_list": 403, "visit_create": 403, "visit_detail": 404,
        "visit_edit": 404, "visit_pdf": 404, "goal_create": 403, "goal_detail": 404, "goal_edit": 404,
        "growth": 404, "growth_pdf": 404, "calendar": 403,
    },
    "executive": {
        "dashboard": 403, "coaches": 200, "visit_list": 200, "visit_create": 403, "visit_detail": 200,
        "visit_edit": 403, "visit_pdf": 200, "goal_create": 403, "goal_detail": 200, "goal_edit": 403,
        "growth": 200, "growth_pdf": 200, "calendar": 403,
    },
}  # fmt: skip


@pytest.mark.parametrize("persona", list(LADDER))
def test_permission_ladder(
    client_for: Callable[[str], Client], district: District, coaching: Coaching, persona: str
) -> None:
    client = client_for(persona)
    for name, url in urls(coaching, district).items():
        expected = LADDER[persona][name]
        assert client.get(url).status_code == expected, f"{persona} → {name}"


def test_anonymous_people_are_sent_to_sign_in(client: Client, district: District, coaching: Coaching) -> None:
    for name, url in urls(coaching, district).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name


def test_a_new_ild_reads_the_schools_past_visits_but_cannot_edit_them(
    client_for: Callable[[str], Client], district: District, coaching: Coaching, other_ild: User
) -> None:
    today = datetime.date.today()
    district.school.caseloads.update(end_date=today - datetime.timedelta(days=1))
    CaseloadFactory.create(ild=other_ild, school=district.school, start_date=today)
    client = client_for("other_ild")
    detail = client.get(reverse("coaching:visit_detail", args=[coaching.visit.pk]))
    assert detail.status_code == 200
    assert PRIVATE_MARKER not in detail.content.decode()
    assert client.get(reverse("coaching:visit_edit", args=[coaching.visit.pk])).status_code == 403
    assert client.get(reverse("coaching:growth", args=[district.school.code])).status_code == 200
    # …and the former ILD no longer reaches the school at all.
    assert client_for("ild").get(reverse("coaching:visit_detail", args=[coaching.visit.pk])).status_code == 404


def test_principal_may_tick_their_own_steps_but_not_the_ilds(
    client_for: Callable[[str], Client], coaching: Coaching
) -> None:
    ild_step = NextStepFactory.create(visit=coaching.visit, owner="ild", description="Send the protocol")
    client = client_for("principal")
    response = client.post(reverse("coaching:next_step_toggle", args=[coaching.step.pk]), {"done": "on"})
    assert response.status_code == 302
    coaching.step.refresh_from_db()
    assert coaching.step.done
    assert client.post(reverse("coaching:next_step_toggle", args=[ild_step.pk]), {"done": "on"}).status_code == 403
    assert (
        client_for("other_principal")
        .post(reverse("coaching:next_step_toggle", args=[coaching.step.pk]), {"done": ""})
        .status_code
        == 404
    )


def test_only_the_principal_may_reflect(client_for: Callable[[str], Client], coaching: Coaching) -> None:
    url = reverse("coaching:visit_reflect", args=[coaching.visit.pk])
    assert client_for("ild").post(url, {"principal_reflection": "Mine"}).status_code == 403
    assert client_for("executive").post(url, {"principal_reflection": "Mine"}).status_code == 403
    assert client_for("other_principal").post(url, {"principal_reflection": "Mine"}).status_code == 404
    response = client_for("principal").post(url, {"principal_reflection": "I will focus on student talk."})
    assert response.status_code == 302
    coaching.visit.refresh_from_db()
    assert coaching.visit.principal_reflection == "I will focus on student talk."
    assert coaching.visit.reflection_at is not None


def test_a_new_principal_does_not_inherit_goals_or_reflect_on_planned_visits(
    client_for: Callable[[str], Client], district: District, coaching: Coaching, principal: User
) -> None:
    from district.models import School
    from tests.factories import UserFactory

    newcomer = UserFactory.create(email="new.principal@district.test")
    School.objects.filter(pk=district.school.pk).update(principal=newcomer)
    client = client_for("principal")  # the former principal no longer leads the school
    assert client.get(reverse("coaching:goal_detail", args=[coaching.goal.pk])).status_code == 404
    client.force_login(newcomer)
    assert client.get(reverse("coaching:goal_detail", args=[coaching.goal.pk])).status_code == 404
    assert client.get(reverse("coaching:growth", args=[district.school.code]), {"year": "abc"}).status_code == 200
    planned = VisitFactory.create(school=district.school, ild=coaching.visit.ild, status="planned")
    assert (
        client.post(reverse("coaching:visit_reflect", args=[planned.pk]), {"principal_reflection": "x"}).status_code
        == 403
    )


def test_a_new_principal_does_not_see_a_predecessors_goals_on_the_growth_page(
    client_for: Callable[[str], Client], district: District, coaching: Coaching, principal: User
) -> None:
    from district.models import School
    from tests.factories import UserFactory

    url = reverse("coaching:growth", args=[district.school.code])
    year = {"year": str(coaching.goal.school_year_id)}
    statement = coaching.goal.statement
    assert statement in client_for("principal").get(url, year).content.decode()
    newcomer = UserFactory.create(email="new.principal@district.test")
    School.objects.filter(pk=district.school.pk).update(principal=newcomer)
    client = client_for("ild")
    assert statement in client.get(url, year).content.decode()  # the ILD still coaches from the school's record
    client.force_login(newcomer)
    assert statement not in client.get(url, year).content.decode()
    csv = body_text(client.get(url, {**year, "export": "csv", "table": "goals"}))
    assert statement not in csv


def test_a_new_ild_cannot_tick_the_previous_ilds_steps(
    client_for: Callable[[str], Client], district: District, coaching: Coaching, other_ild: User
) -> None:
    today = datetime.date.today()
    district.school.caseloads.update(end_date=today - datetime.timedelta(days=1))
    CaseloadFactory.create(ild=other_ild, school=district.school, start_date=today)
    ild_step = NextStepFactory.create(visit=coaching.visit, owner="ild")
    response = client_for("other_ild").post(reverse("coaching:next_step_toggle", args=[ild_step.pk]), {"done": "on"})
    assert response.status_code == 403
