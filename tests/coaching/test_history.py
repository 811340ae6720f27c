"""The visit and goal pages: the reflection once, and a history a person can read."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coaching import services
from coaching.models import Visit
from district.models import User
from tests.coaching.conftest import Coaching
from tests.coaching.test_goals import goal_data
from tests.coaching.test_visits import visit_data
from tests.conftest import District

pytestmark = pytest.mark.django_db

REFLECTION = "I will lead the next debrief myself."


def changes(body: str) -> list[str]:
    section = body[body.index('id="history-heading"') :]
    return [re.sub(r"\s+", " ", item).strip() for item in re.findall(r"<li>(.*?)</li>", section, flags=re.S)]


def test_the_principal_sees_their_reflection_once_with_a_way_to_change_it(
    client_for: Callable[[str], Client], coaching: Coaching, principal: User
) -> None:
    services.visit_reflect(visit=coaching.visit, principal=principal, reflection=REFLECTION)
    body = client_for("principal").get(reverse("coaching:visit_detail", args=[coaching.visit.pk])).content.decode()
    shown = body.split("<details", 1)[0]
    assert shown.count(REFLECTION) == 1
    folded = body.split("<details", 1)[1].split("</details>", 1)[0]
    assert folded.startswith(' class="mb-3">'), "the form to change it starts folded away"
    assert "<summary>Change my reflection</summary>" in folded
    assert "Update my reflection" in folded

    ild_page = client_for("ild").get(reverse("coaching:visit_detail", args=[coaching.visit.pk])).content.decode()
    assert ild_page.count(REFLECTION) == 1
    assert "<details" not in ild_page


def test_a_failed_reflection_opens_the_form_and_keeps_the_history(
    client_for: Callable[[str], Client], coaching: Coaching, principal: User
) -> None:
    services.visit_reflect(visit=coaching.visit, principal=principal, reflection=REFLECTION)
    response = client_for("principal").post(
        reverse("coaching:visit_reflect", args=[coaching.visit.pk]), {"principal_reflection": ""}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert '<details class="mb-3" open>' in body
    assert "No changes recorded." not in body


def test_the_visit_history_names_changes_as_a_reader_would_and_leaves_out_bookkeeping(
    client_for: Callable[[str], Client], district: District, coaching: Coaching, principal: User
) -> None:
    client = client_for("ild")
    url = reverse("coaching:visit_edit", args=[coaching.visit.pk])
    data = visit_data(district, version=coaching.visit.version, duration_minutes=60, **{"steps-TOTAL_FORMS": "0"})
    assert client.post(url, data).status_code == 302
    services.visit_reflect(visit=Visit.objects.get(pk=coaching.visit.pk), principal=principal, reflection=REFLECTION)
    # Something only the system does: it says nothing to a reader.
    Visit.objects.get(pk=coaching.visit.pk).save()
    visit = Visit.objects.get(pk=coaching.visit.pk)
    visit.principal_notified_at = timezone.now()
    visit.save()

    rows = changes(client.get(reverse("coaching:visit_detail", args=[coaching.visit.pk])).content.decode())
    assert len(rows) == 3, rows
    assert rows[0].endswith("— Changed by the system: Principal&#x27;s reflection")
    assert rows[1].endswith(
        "— Changed by Irene Lopez: Date, Start time, Duration (minutes), Classrooms visited, "
        "Grades and subjects, Who led the leadership task, What we saw"
    )
    assert rows[2].endswith("— Created by the system")
    body = " ".join(rows)
    for raw in ("reflection at", "principal notified at", "principal reflection", "version", "updated at"):
        assert raw not in body.lower()


def test_the_goal_history_names_fields_by_their_labels(
    client_for: Callable[[str], Client], district: District, coaching: Coaching
) -> None:
    url = reverse("coaching:goal_edit", args=[coaching.goal.pk])
    data = goal_data(
        district, coaching, version=coaching.goal.version, status="met", evidence="Seen twice.", statement="New words."
    )
    assert client_for("ild").post(url, data).status_code == 302
    body = client_for("ild").get(reverse("coaching:goal_detail", args=[coaching.goal.pk])).content.decode()
    assert changes(body)[0].endswith("— Changed by Irene Lopez: Statement, Success criteria, Evidence, Status")
