"""The read API: a token sees exactly what its person sees, and nothing private ever leaves."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.models import ApiToken, hash_token
from api.services import token_revoke
from coaching.models import GrowthGoal, Visit
from cycles.inquiry.models import CycleOfInquiry
from district.access import can
from district.models import School, User
from service_menu.models import Menu, Request
from tests.api.conftest import make_token
from tests.api.fixtures import World
from tests.coaching.conftest import PRIVATE_MARKER
from tests.conftest import PERSONAS
from tests.cycles.fixtures import MARKER as SURVEY_COMMENT_MARKER

pytestmark = pytest.mark.django_db

LISTS = [
    "/schools",
    "/clusters",
    "/units",
    "/caseloads",
    "/visits",
    "/next-steps",
    "/goals",
    "/menus",
    "/services",
    "/requests",
    "/cycles",
    "/actions",
    "/satisfaction",
]
# Lists a role's pages do not offer: the rules answer 403, as the pages do.
FORBIDDEN = {
    "/schools": {"unit_head", "unit_staff"},
    "/visits": {"unit_head", "unit_staff"},
}

Get = Callable[..., Any]


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def _ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def test_without_a_token_every_endpoint_answers_401(world: World, api_get: Get) -> None:
    details = [
        f"/schools/{world.district.school.pk}",
        f"/visits/{world.coaching.visit.pk}",
        f"/requests/{world.menus.request.pk}",
    ]
    for path in LISTS + details:
        response = api_get(path)
        assert response.status_code == 401, path
        assert response.json() == {"detail": "Unauthorized"}


def test_a_session_does_not_open_the_api(world: World, client: Any, executive: User) -> None:
    client.force_login(executive)
    assert client.get("/api/v1/schools").status_code == 401


DETAILS = ["/schools/{school}", "/visits/{visit}", "/requests/{request}"]


@pytest.mark.parametrize("path", LISTS + DETAILS)
def test_permission_ladder_for_every_endpoint(world: World, api_get: Get, path: str, executive: User) -> None:
    path = path.format(school=world.district.school.pk, visit=world.coaching.visit.pk, request=world.menus.request.pk)
    assert api_get(path).status_code == 401, "no token"
    assert api_get(path, "sw_not-a-real-token").status_code == 401, "unknown token"

    revoked_secret = make_token(executive)
    token_revoke(token=ApiToken.objects.get(pk=_token_pk(revoked_secret)))
    assert api_get(path, revoked_secret).status_code == 401, "revoked token"

    expired_secret = make_token(executive, expires_in_days=1)
    past = timezone.now() - datetime.timedelta(seconds=1)
    ApiToken.objects.filter(pk=_token_pk(expired_secret)).update(expires_at=past)
    assert api_get(path, expired_secret).status_code == 401, "expired token"

    secret = make_token(executive)
    assert api_get(path, secret).status_code == 200
    executive.is_active = False
    executive.save()
    assert api_get(path, secret).status_code == 401, "a switched-off person's token"


def _token_pk(secret: str) -> int:
    return ApiToken.objects.get(token_hash=hash_token(secret)).pk


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_reaches_the_lists_its_pages_offer(
    world: World, api_get: Get, token_of: Callable[[str], str], persona: str
) -> None:
    token = token_of(persona)
    for path in LISTS:
        expected = 403 if persona in FORBIDDEN.get(path, set()) else 200
        assert api_get(path, token).status_code == expected, (persona, path)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_list_holds_exactly_what_the_rules_let_the_person_see(
    world: World, api_get: Get, token_of: Callable[[str], str], persona: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(persona)
    token = token_of(persona)
    checks: list[tuple[str, Any, str, Callable[[Any], Any]]] = [
        ("/schools", School.objects.all(), "district.view_school", lambda o: o),
        ("/visits", Visit.objects.all(), "coaching.view_visit", lambda o: o),
        ("/goals", GrowthGoal.objects.all(), "coaching.view_goal", lambda o: o),
        ("/requests", Request.objects.select_related("service__menu"), "service_menu.view_request", lambda o: o),
        ("/menus", Menu.objects.all(), "service_menu.view_menu", lambda o: o),
        ("/cycles", CycleOfInquiry.objects.select_related("unit"), "cycles.view_cycles", lambda o: o.unit),
    ]
    for path, queryset, perm, target in checks:
        response = api_get(path, token)
        if persona in FORBIDDEN.get(path, set()):
            assert response.status_code == 403
            continue
        allowed = {obj.pk for obj in queryset if can(user, perm, target(obj))}
        assert _ids(response) == allowed, (persona, path)


def test_a_principal_asking_for_another_schools_visit_gets_404(
    world: World, api_get: Get, token_of: Callable[[str], str]
) -> None:
    token = token_of("principal")
    own = api_get(f"/visits/{world.coaching.visit.pk}", token)
    assert own.status_code == 200
    assert own.json()["school_id"] == world.district.school.pk
    assert api_get(f"/visits/{world.coaching.other_visit.pk}", token).status_code == 404
    assert api_get("/visits/999999", token).status_code == 404
    assert api_get(f"/schools/{world.district.other_school.pk}", token).status_code == 404
    assert api_get(f"/schools/{world.district.school.pk}", token).status_code == 200


def test_unit_staff_see_their_units_requests_but_not_another_schools_visit(
    world: World, api_get: Get, token_of: Callable[[str], str]
) -> None:
    token = token_of("unit_staff")
    assert api_get(f"/requests/{world.menus.request.pk}", token).status_code == 200
    assert api_get(f"/visits/{world.coaching.visit.pk}", token).status_code == 404


def test_requests_come_with_their_events(world: World, api_get: Get, token_of: Callable[[str], str]) -> None:
    body = api_get(f"/requests/{world.menus.request.pk}", token_of("principal")).json()
    assert [event["to_status"] for event in body["events"]] == ["submitted"]


def test_private_notes_and_survey_answers_appear_in_no_response(
    world: World, api_get: Get, token_of: Callable[[str], str], client: Any
) -> None:
    for persona in PERSONAS:
        token = token_of(persona)
        paths = [
            *LISTS,
            f"/visits/{world.coaching.visit.pk}",
            f"/visits/{world.coaching.other_visit.pk}",
            f"/requests/{world.menus.request.pk}",
        ]
        for path in paths:
            body = api_get(path, token).content.decode()
            assert PRIVATE_MARKER not in body, (persona, path)
            assert SURVEY_COMMENT_MARKER not in body, (persona, path)
            assert "private_note" not in body, (persona, path)
    schema = client.get("/api/v1/openapi.json").content.decode()
    assert "private_note" not in schema
    assert '"comment"' not in schema, "no field carries a survey comment"


def test_satisfaction_is_suppressed_below_the_threshold(
    world: World, api_get: Get, token_of: Callable[[str], str]
) -> None:
    body = api_get("/satisfaction", token_of("executive")).json()
    assert body["threshold"] == 5
    shown = [row for row in body["items"] if row["unit_id"] == world.district.unit.pk and row["item"] == "quality"]
    assert shown
    assert shown[0]["responses"] == 6
    assert shown[0]["mean"] is not None
    with override_settings(SATISFACTION_MIN_RESPONSES=7):
        body = api_get("/satisfaction", token_of("executive")).json()
    hidden = [row for row in body["items"] if row["unit_id"] == world.district.unit.pk]
    assert hidden
    assert all(
        row["suppressed"] and row["mean"] is None and row["responses"] is None and row["favourable"] is None
        for row in hidden
    )


def test_updated_since_returns_only_what_changed(world: World, api_get: Get, token_of: Callable[[str], str]) -> None:
    token = token_of("executive")
    assert len(_ids(api_get("/visits", token))) == 2
    later = timezone.now() + datetime.timedelta(minutes=5)
    Visit.objects.filter(pk=world.coaching.visit.pk).update(updated_at=later + datetime.timedelta(minutes=1))
    changed = api_get("/visits", token, updated_since=later.isoformat())
    assert _ids(changed) == {world.coaching.visit.pk}
    assert api_get("/visits", token, updated_since="not a date").status_code == 422


def test_lists_are_paged(world: World, api_get: Get, token_of: Callable[[str], str]) -> None:
    token = token_of("executive")
    first = api_get("/schools", token, page_size=1).json()
    assert first["count"] >= 2
    assert len(first["items"]) == 1
    second = api_get("/schools", token, page_size=1, page=2).json()
    assert second["items"][0]["id"] != first["items"][0]["id"]


@override_settings(API_RATE_LIMIT="3/m")
def test_each_token_has_its_own_rate_limit(world: World, api_get: Get, token_of: Callable[[str], str]) -> None:
    first, second = token_of("executive"), token_of("executive")
    assert [api_get("/clusters", first).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert api_get("/clusters", second).status_code == 200


def test_a_token_in_the_query_string_is_refused_and_never_logged(
    world: World, client: Any, api_get: Get, token_of: Callable[[str], str], caplog: pytest.LogCaptureFixture
) -> None:
    token = token_of("executive")
    with caplog.at_level(logging.DEBUG):
        assert client.get("/api/v1/schools", {"token": token, "access_token": token}).status_code == 401
        assert api_get("/schools", token).status_code == 200
        assert client.get("/api/v1/schools", headers={"Authorization": f"Token {token}"}).status_code == 401
    assert token not in caplog.text
    stored = ApiToken.objects.get(pk=_token_pk(token))
    assert token not in (stored.token_hash, stored.hint, str(stored))
    assert stored.last_used_at is not None


def test_the_openapi_docs_are_served_without_a_cdn(client: Any, db: None) -> None:
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert "cdn" not in docs.content.decode().lower()
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/visits/{visit_id}" in schema["paths"]
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def _query_counts(api_get: Get, token: str) -> dict[str, int]:
    counts = {}
    for path in LISTS:
        with CaptureQueriesContext(connection) as queries:
            response = api_get(path, token)
        assert response.status_code == 200, path
        counts[path] = len(queries)
    return counts


def test_list_query_counts_stay_flat_from_a_few_rows_to_many(
    world: World, api_get: Get, token_of: Callable[[str], str], ild: User, principal: User, unit_staff: User
) -> None:
    from cycles.inquiry.models import CheckIn, PlanAction
    from service_menu.models import RequestEvent
    from tests import factories

    token = token_of("executive")
    few = _query_counts(api_get, token)
    district = world.district
    for i in range(27):
        school = factories.SchoolFactory.create(principal=factories.UserFactory.create())
        factories.CaseloadFactory.create(ild=ild, school=school)
        unit = factories.UnitFactory.create(head=factories.UserFactory.create())
        factories.UnitMembershipFactory.create(unit=unit, user=factories.UserFactory.create())
        visit = factories.VisitFactory.create(school=school, ild=ild)
        goal = factories.GoalFactory.create(school=school, practice=world.coaching.practice)
        visit.focus_goals.add(goal)
        visit.moves.create(move="modelling")
        factories.NextStepFactory.create(visit=visit)
        menu = factories.MenuFactory.create(unit=unit, school_year=world.menus.menu.school_year)
        service = factories.ServiceFactory.create(menu=menu)
        service_request = Request.objects.create(
            school=school, service=service, term=world.menus.term, rationale="Needed.", requested_by=principal
        )
        RequestEvent.objects.create(request=service_request, to_status="submitted", at=timezone.now(), by=principal)
        cycle = CycleOfInquiry.objects.create(
            unit=district.unit if i % 2 else unit,
            title=f"Cycle {i}",
            problem_of_practice="Slow.",
            metric_item=world.cycle.metric_item,
            baseline_term=world.cycle.baseline_term,
            theory_if="a",
            theory_then="b",
            theory_because="c",
            target_value=world.cycle.target_value,
            target_term=world.cycle.target_term,
            opened_by=world.cycle.opened_by,
        )
        action = PlanAction.objects.create(
            cycle=cycle, title="Act", owner=unit_staff, due_date=datetime.date.today(), benchmark="Done."
        )
        CheckIn.objects.create(action=action, note="Going.", by=unit_staff)
    cache.clear()
    many = _query_counts(api_get, token)
    assert many == few


def test_a_roster_import_shows_up_in_the_next_incremental_sync(
    world: World, api_get: Get, token_of: Callable[[str], str]
) -> None:
    from district.roster import import_roster

    token = token_of("executive")
    School.objects.update(updated_at=timezone.now() - datetime.timedelta(days=1))
    since = (timezone.now() - datetime.timedelta(minutes=1)).isoformat()
    assert _ids(api_get("/schools", token, updated_since=since)) == set()
    school = world.district.school
    email = "principal@district.test"
    row = f"{school.code},Harriet Tubman Academy,elementary,{school.cluster.name},{email},Paula Chen\n"
    import_roster(data=("code,name,level,cluster,principal_email,principal_name\n" + row).encode())
    assert _ids(api_get("/schools", token, updated_since=since)) == {school.pk}
