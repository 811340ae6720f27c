"""The permission ladder for every org-chart page, and what each role sees."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from district.models import School
from tests.conftest import PERSONAS, District
from tests.factories import CaseloadFactory, SchoolFactory, SchoolYearFactory
from tests.http import body_text

pytestmark = pytest.mark.django_db


def test_anonymous_people_are_sent_to_sign_in_from_every_page(client: Client, district: District) -> None:
    urls = [
        reverse("home"),
        reverse("district:school_list"),
        reverse("district:school_detail", args=[district.school.code]),
        reverse("district:unit_list"),
        reverse("district:unit_detail", args=[district.unit.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("ild", 200),
        ("principal", 200),
        ("executive", 200),
        ("admin_user", 200),
        ("other_ild", 404),
        ("other_principal", 404),
        ("unit_head", 404),
        ("unit_staff", 404),
    ],
)
def test_school_page_is_for_its_ild_its_principal_and_the_district_view(
    client_for: Callable[[str], Client], district: District, persona: str, expected: int
) -> None:
    response = client_for(persona).get(reverse("district:school_detail", args=[district.school.code]))
    assert response.status_code == expected
    if expected == 200:
        assert "Harriet Tubman Elementary" in response.content.decode()


def test_unknown_school_code_is_not_found(client_for: Callable[[str], Client], district: District) -> None:
    assert client_for("executive").get(reverse("district:school_detail", args=["NOPE"])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "expected", "sees", "does_not_see"),
    [
        ("ild", 200, "Harriet Tubman", "Langston Hughes"),
        ("other_ild", 200, "Langston Hughes", "Harriet Tubman"),
        ("principal", 200, "Harriet Tubman", "Langston Hughes"),
        ("executive", 200, "Langston Hughes", None),
        ("admin_user", 200, "Harriet Tubman", None),
        ("unit_head", 403, None, None),
        ("unit_staff", 403, None, None),
    ],
)
def test_school_list_shows_only_the_schools_a_person_may_see(
    client_for: Callable[[str], Client],
    district: District,
    persona: str,
    expected: int,
    sees: str | None,
    does_not_see: str | None,
) -> None:
    response = client_for(persona).get(reverse("district:school_list"))
    assert response.status_code == expected
    body = response.content.decode()
    if sees:
        assert sees in body
    if does_not_see:
        assert does_not_see not in body


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_signed_in_person_can_read_the_unit_directory(
    client_for: Callable[[str], Client], district: District, persona: str
) -> None:
    client = client_for(persona)
    assert client.get(reverse("district:unit_list")).status_code == 200
    response = client.get(reverse("district:unit_detail", args=[district.unit.pk]))
    assert response.status_code == 200
    assert "Sam Brooks" in response.content.decode()


def test_the_ping_page_answers_every_signed_in_person_and_reads_only_the_session(
    client: Client,
    client_for: Callable[[str], Client],
    district: District,
    django_assert_num_queries: Callable[[int], object],
) -> None:
    url = reverse("district:ping")
    assert client.get(url).status_code == 302, "anonymous people are sent to sign in"
    for persona in PERSONAS:
        signed_in = client_for(persona)
        signed_in.get(url)  # the first request after signing in settles the session
        # The session, the person, and the session's new expiry (in a savepoint: three statements).
        with django_assert_num_queries(5):  # type: ignore[attr-defined]
            response = signed_in.get(url)
        assert response.status_code == 200, persona
        assert response.content == b"ok"


def test_unknown_unit_is_not_found(client_for: Callable[[str], Client], district: District) -> None:
    assert client_for("principal").get(reverse("district:unit_detail", args=[999_999])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "panel", "absent"),
    [
        ("ild", "home-ild", "home-executive"),
        ("principal", "home-principal", "home-ild"),
        ("unit_head", "home-unit", "home-principal"),
        ("unit_staff", "home-unit", "home-ild"),
        ("executive", "home-executive", "home-admin"),
        ("admin_user", "home-admin", "home-ild"),
    ],
)
def test_each_role_lands_on_its_own_home(
    client_for: Callable[[str], Client], district: District, persona: str, panel: str, absent: str
) -> None:
    response = client_for(persona).get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'data-testid="{panel}"' in body
    assert f'data-testid="{absent}"' not in body


def test_a_person_with_two_roles_sees_both_panels(client_for: Callable[[str], Client], district: District) -> None:
    principal = district.school.principal
    assert principal is not None
    CaseloadFactory.create(ild=principal, school=SchoolFactory.create(name="Second School"))
    body = client_for("principal").get(reverse("home")).content.decode()
    assert 'data-testid="home-principal"' in body
    assert 'data-testid="home-ild"' in body


def test_navigation_shows_only_what_the_role_allows(client_for: Callable[[str], Client], district: District) -> None:
    body = client_for("unit_staff").get(reverse("home")).content.decode()
    assert reverse("district:school_list") not in body
    assert reverse("admin:index") not in body
    body = client_for("admin_user").get(reverse("home")).content.decode()
    assert reverse("admin:district_roster_import") in body


def test_school_list_filters_and_swaps_only_the_table_for_htmx(
    client_for: Callable[[str], Client], district: District
) -> None:
    client = client_for("executive")
    response = client.get(
        reverse("district:school_list"),
        {"q": "Langston"},
        headers={"HX-Request": "true", "HX-Target": "table-region"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="table-region"' in body
    assert "Langston Hughes" in body
    assert "Harriet Tubman" not in body
    full = client.get(reverse("district:school_list"), {"q": "Langston"}).content.decode()
    assert "<html" in full


def test_school_csv_export_neutralises_formulas(client_for: Callable[[str], Client], district: District) -> None:
    SchoolFactory.create(name="=HYPERLINK(evil)", code="EV01")
    response = client_for("executive").get(reverse("district:school_list"), {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    text = body_text(response)
    assert "'=HYPERLINK(evil)" in text
    assert "\n=HYPERLINK" not in text
    assert "Harriet Tubman Elementary" in text


@pytest.mark.parametrize("rows", [3, 30])
def test_home_pages_use_a_fixed_number_of_queries(
    client_for: Callable[[str], Client],
    district: District,
    django_assert_num_queries: Callable[[int], object],
    rows: int,
) -> None:
    ild = district.school.caseloads.get().ild
    for _ in range(rows):
        CaseloadFactory.create(ild=ild, school=SchoolFactory.create())
    SchoolYearFactory.create()
    # Before any survey closes or opens: the richer district is pinned in test_homes.py.
    expected = {"ild": 16, "principal": 15, "unit_head": 15, "unit_staff": 15, "executive": 22, "admin_user": 14}
    for persona, queries in expected.items():
        client = client_for(persona)
        with django_assert_num_queries(queries):  # type: ignore[attr-defined]
            assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("rows", [3, 30])
def test_school_list_queries_stay_flat(
    client_for: Callable[[str], Client],
    district: District,
    django_assert_max_num_queries: Callable[[int], object],
    rows: int,
) -> None:
    for _ in range(rows):
        CaseloadFactory.create(school=SchoolFactory.create())
    client = client_for("executive")
    with django_assert_max_num_queries(12):  # type: ignore[attr-defined]
        response = client.get(reverse("district:school_list"))
    assert response.status_code == 200
    assert School.objects.count() == rows + 2


def test_error_pages_render_inside_the_layout(client_for: Callable[[str], Client], district: District) -> None:
    response = client_for("unit_staff").get(reverse("district:school_list"))
    assert response.status_code == 403
    assert "You cannot do that here" in response.content.decode()
    assert "Schoolward" in response.content.decode()
    response = client_for("unit_staff").get("/no-such-page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()
