"""Visits sent from a phone that was offline: one visit per phone id, refusals in words, data to keep."""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from coaching import services
from coaching.models import GrowthGoal, NextStep, Visit
from coaching.services import NextStepData
from district.models import Caseload, User
from district.offline import OFFLINE_HEADER
from tests.coaching.conftest import PRIVATE_MARKER, Coaching
from tests.coaching.test_visits import visit_data
from tests.conftest import District
from tests.factories import CaseloadFactory, GoalFactory, PracticeFactory, SchoolFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
PHONE = {"Accept": "application/json"}
QUEUED = {**PHONE, "Schoolward-Send": "queued"}


def new_visit(district: District, ild: User) -> Visit:
    return Visit(school=district.school, ild=ild, date=TODAY, status=Visit.Status.DONE, classrooms_visited=2)


def save_from_phone(district: District, ild: User, client_id: uuid.UUID) -> Visit:
    return services.visit_save(
        ild=ild,
        visit=new_visit(district, ild),
        moves=["modelling"],
        focus_goals=[],
        next_steps=[NextStepData(owner="principal", description="Try the protocol", due_date=TODAY)],
        client_id=client_id,
    )


def test_a_visit_sent_twice_with_the_same_phone_id_is_saved_once(district: District, ild: User) -> None:
    client_id = uuid.uuid4()
    first = save_from_phone(district, ild, client_id)
    again = save_from_phone(district, ild, client_id)
    assert again.pk == first.pk
    assert Visit.objects.filter(client_id=client_id).count() == 1
    assert NextStep.objects.filter(visit=first).count() == 1
    assert list(first.moves.values_list("move", flat=True)) == ["modelling"]


def test_a_repeat_answered_by_another_request_meanwhile_returns_that_visit(
    district: District, ild: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two sends of one visit at once: the second's insert hits the unique id and returns the first's."""
    client_id = uuid.uuid4()
    first = save_from_phone(district, ild, client_id)
    real = services._visit_sent_before
    calls: list[uuid.UUID] = []

    def not_yet_committed(*, ild: User, client_id: uuid.UUID) -> Visit | None:
        calls.append(client_id)
        return None if len(calls) == 1 else real(ild=ild, client_id=client_id)

    monkeypatch.setattr(services, "_visit_sent_before", not_yet_committed)
    again = save_from_phone(district, ild, client_id)
    assert again.pk == first.pk
    assert len(calls) == 2
    assert NextStep.objects.filter(visit=first).count() == 1


def test_another_ild_reusing_a_phone_id_is_refused(district: District, ild: User, other_ild: User) -> None:
    client_id = uuid.uuid4()
    save_from_phone(district, ild, client_id)
    with pytest.raises(ValidationError, match="belongs to someone else's visit"):
        services.visit_save(
            ild=other_ild,
            visit=Visit(school=district.other_school, ild=other_ild, date=TODAY, status=Visit.Status.DONE),
            moves=[],
            focus_goals=[],
            next_steps=[],
            client_id=client_id,
        )
    assert Visit.objects.filter(client_id=client_id).get().ild == ild
    assert not Visit.objects.filter(ild=other_ild, date=TODAY).exists()


def test_the_phone_is_answered_in_json_and_a_repeat_is_the_same_visit(
    client_for: Callable[[str], Client], district: District, coaching: Coaching
) -> None:
    client = client_for("ild")
    client_id = str(uuid.uuid4())
    data = visit_data(district, client_id=client_id)
    first = client.post(reverse("coaching:visit_create"), data, headers=QUEUED)
    assert first.status_code == 200
    answer = first.json()
    visit = Visit.objects.get(client_id=client_id)
    assert answer == {"saved": True, "id": visit.pk, "url": reverse("coaching:visit_detail", args=[visit.pk])}
    # The phone sent it from its queue and says so itself: nothing waits to be flashed on the next page.
    assert "Visit saved." not in client.get(reverse("home")).content.decode()

    # The answer was lost and the phone sends it again, even after the school left the caseload.
    CaseloadFactory.create(ild=coaching.visit.ild, school=SchoolFactory.create())
    Caseload.objects.filter(school=district.school).update(end_date=TODAY - datetime.timedelta(days=1))
    again = client.post(reverse("coaching:visit_create"), data, headers=QUEUED)
    assert again.json()["id"] == visit.pk
    # One visit more than the fixture's: the repeat made none.
    assert Visit.objects.filter(school=district.school, ild__email="ild@district.test").count() == 2
    assert visit.next_steps.count() == 2


def test_a_visit_saved_at_once_from_the_phone_says_so_on_the_next_page(
    client_for: Callable[[str], Client], district: District, coaching: Coaching
) -> None:
    client = client_for("ild")
    response = client.post(
        reverse("coaching:visit_create"), visit_data(district, client_id=str(uuid.uuid4())), headers=PHONE
    )
    assert response.json()["saved"] is True
    assert "Visit saved." in client.get(response.json()["url"]).content.decode()


def test_the_form_sent_twice_without_javascript_makes_one_visit(
    client_for: Callable[[str], Client], district: District, coaching: Coaching
) -> None:
    client = client_for("ild")
    page = client.get(reverse("coaching:visit_create"))
    client_id = page.context["form"]["client_id"].value()
    assert f'name="client_id" value="{client_id}"' in page.content.decode()
    data = visit_data(district, client_id=str(client_id))
    first = client.post(reverse("coaching:visit_create"), data)
    second = client.post(reverse("coaching:visit_create"), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Visit.objects.filter(client_id=client_id).count() == 1
    # An edit has no phone id of its own to send.
    edit = client.get(reverse("coaching:visit_edit", args=[coaching.visit.pk])).content.decode()
    assert 'name="client_id"' not in edit


def test_the_phone_is_told_in_words_why_a_queued_visit_was_refused(
    client_for: Callable[[str], Client], district: District, coaching: Coaching
) -> None:
    client = client_for("ild")
    url = reverse("coaching:visit_create")
    ahead = (TODAY + datetime.timedelta(days=3)).isoformat()
    future = client.post(url, visit_data(district, client_id=str(uuid.uuid4()), date=ahead), headers=QUEUED)
    assert future.status_code == 422
    assert future.json()["saved"] is False
    assert any("A visit in the future cannot be done yet" in error for error in future.json()["errors"])

    left = client.post(
        url, visit_data(district, client_id=str(uuid.uuid4()), school=district.other_school.pk), headers=QUEUED
    )
    assert left.status_code == 422
    assert "School: Select a valid choice: this school is not in your caseload (any more)." in left.json()["errors"]

    late = client.post(
        url,
        visit_data(district, client_id=str(uuid.uuid4()), **{"steps-1-due_date": "not a date"}),
        headers=QUEUED,
    )
    assert "Next step 2, Due: Enter a valid date." in late.json()["errors"]
    assert Visit.objects.filter(school=district.school).count() == 1  # the fixture's only


def test_a_queued_edit_of_a_visit_saved_meanwhile_is_refused_as_a_conflict(
    client_for: Callable[[str], Client], district: District, coaching: Coaching
) -> None:
    client = client_for("ild")
    read_at = coaching.visit.version
    Visit.objects.filter(pk=coaching.visit.pk).update(version=read_at + 1, what_we_saw="Saved on the laptop.")
    response = client.post(
        reverse("coaching:visit_edit", args=[coaching.visit.pk]),
        visit_data(district, version=read_at, what_we_saw="Typed on the phone."),
        headers=QUEUED,
    )
    assert response.status_code == 409
    answer = response.json()
    assert answer["conflict"] is True
    assert answer["version"] == read_at + 1
    assert answer["url"] == reverse("coaching:visit_detail", args=[coaching.visit.pk])
    assert answer["message"].startswith("Someone else saved this visit after you opened it")
    coaching.visit.refresh_from_db()
    assert coaching.visit.what_we_saw == "Saved on the laptop."


def test_the_form_data_the_phone_keeps_walks_the_permission_ladder(
    client: Client, client_for: Callable[[str], Client], district: District, coaching: Coaching
) -> None:
    url = reverse("coaching:visit_form_data")
    assert client.get(url).status_code == 302
    assert client_for("principal").get(url).status_code == 403
    assert client_for("unit_head").get(url).status_code == 403
    response = client_for("ild").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert [school["code"] for school in data["schools"]] == [district.school.code]
    assert [goal["id"] for goal in data["schools"][0]["goals"]] == [coaching.goal.pk]


def test_the_form_data_holds_the_caseload_its_goals_and_their_levels_in_three_queries(
    client_for: Callable[[str], Client],
    district: District,
    coaching: Coaching,
    ild: User,
    django_assert_num_queries: Any,
) -> None:
    second = SchoolFactory.create(name="Ada Lovelace Middle", code="AL03")
    CaseloadFactory.create(ild=ild, school=second)
    other_practice = PracticeFactory.create(name="Leading teacher teams")
    GoalFactory.create(school=second, practice=other_practice, status=GrowthGoal.Status.DRAFT)
    GoalFactory.create(school=second, practice=other_practice, status=GrowthGoal.Status.MET)
    GoalFactory.create(school=district.other_school, practice=other_practice)  # another ILD's school
    client = client_for("ild")
    url = reverse("coaching:visit_form_data")
    # The session, the person, the caseload; then schools, goals and levels; then the session is saved.
    with django_assert_num_queries(10):
        data = client.get(url).json()
    schools = {school["code"]: school for school in data["schools"]}
    assert list(schools) == ["AL03", "HT01"]
    assert [goal["label"].endswith(", draft)") for goal in schools["AL03"]["goals"]] == [True]
    assert {practice["name"] for practice in data["practices"]} == {
        "Observing instruction and giving feedback",
        "Leading teacher teams",
    }
    assert [level["label"] for level in data["practices"][0]["levels"]] == [
        "1. Emerging",
        "2. Developing",
        "3. Proficient",
        "4. Leading",
    ]
    assert data["labels"]["observed_level"] == "Principal's observed level on the focus practice"


def test_only_pages_without_private_notes_are_marked_for_the_phone_to_keep(
    client_for: Callable[[str], Client], district: District, coaching: Coaching, ild: User
) -> None:
    """The service worker keeps nothing the server does not mark: the marked pages hold no note."""
    client = client_for("ild")
    marked = [
        client.get(reverse("coaching:visit_create")),
        client.get(reverse("coaching:visit_create"), {"school": district.school.code}),
        client.get(reverse("coaching:visit_form_data")),
    ]
    for response in marked:
        assert response[OFFLINE_HEADER] == str(ild.pk)
        assert "private" in response["Cache-Control"]
        assert PRIVATE_MARKER not in response.content.decode()
        assert PRIVATE_MARKER not in json.dumps(response.headers.__dict__, default=str)

    typed = visit_data(district, private_note=f"Typed just now. {PRIVATE_MARKER}", date="not a date")
    not_marked = [
        client.get(reverse("coaching:visit_edit", args=[coaching.visit.pk])),  # shows the note to its ILD
        client.get(reverse("coaching:visit_detail", args=[coaching.visit.pk])),
        client.post(reverse("coaching:visit_create"), typed),  # echoes what was typed
        client.get(
            reverse("coaching:visit_create"),
            {"school": district.school.pk},
            headers={"HX-Request": "true", "HX-Target": "focus-fields"},
        ),
        client.get(reverse("coaching:visit_list")),
        client.get(reverse("home")),
    ]
    for response in not_marked:
        assert OFFLINE_HEADER not in response, response.wsgi_request.path
    assert PRIVATE_MARKER in not_marked[0].content.decode()


def test_a_form_showing_a_one_off_message_is_not_kept_but_the_next_one_is(
    client_for: Callable[[str], Client], district: District, coaching: Coaching, ild: User
) -> None:
    client = client_for("ild")
    client.post(reverse("coaching:visit_create"), visit_data(district, client_id=str(uuid.uuid4())))
    with_message = client.get(reverse("coaching:visit_create"))
    assert "Visit saved." in with_message.content.decode()
    assert OFFLINE_HEADER not in with_message
    assert client.get(reverse("coaching:visit_create"))[OFFLINE_HEADER] == str(ild.pk)
