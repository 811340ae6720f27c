"""Each role signs in through a real browser and lands on its own home."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.conftest import District
from tests.factories import TEST_PASSWORD
from tests.signin.fixtures import totp_code

pytestmark = pytest.mark.django_db(transaction=True)

PHONE: ViewportSize = {"width": 375, "height": 812}


def sign_in(page: Page, base_url: str, email: str, password: str = TEST_PASSWORD) -> None:
    """Sign in with a password; executives and admins then set up their authenticator, as they must."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()
    if page.url.startswith(f"{base_url}/accounts/2fa/totp/activate/"):
        set_up_authenticator(page)
        page.get_by_role("link", name="Continue to Schoolward").click()


def set_up_authenticator(page: Page) -> str:
    """Type the set-up page's key into an "authenticator app" and enter the code it shows."""
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    page.get_by_label("Code from the app").fill(totp_code(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_test_id("recovery-codes")).to_be_visible()
    return secret


@pytest.mark.parametrize(
    ("email", "panel"),
    [
        ("ild@district.test", "home-ild"),
        ("principal@district.test", "home-principal"),
        ("unit.head@district.test", "home-unit"),
        ("unit.staff@district.test", "home-unit"),
        ("executive@district.test", "home-executive"),
        ("admin@district.test", "home-admin"),
    ],
)
def test_each_role_signs_in_and_sees_its_own_home(
    page: Page, live_server: object, district: District, email: str, panel: str
) -> None:
    sign_in(page, str(live_server), email)
    expect(page.get_by_test_id(panel)).to_be_visible()
    expect(page.get_by_test_id("signed-in-as")).to_be_attached()


def test_a_wrong_password_shows_an_error(page: Page, live_server: object, district: District) -> None:
    sign_in(page, str(live_server), "principal@district.test", "not the password")
    expect(page.get_by_test_id("login-error")).to_contain_text("do not match")


def test_pages_fit_a_phone_without_sideways_scrolling(page: Page, live_server: object, district: District) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, str(live_server), "executive@district.test")
    for path in ["/", "/schools/", f"/schools/{district.school.code}/", "/units/", f"/units/{district.unit.pk}/"]:
        page.goto(f"{live_server}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"


def test_filtering_the_school_list_swaps_only_the_table(page: Page, live_server: object, district: District) -> None:
    sign_in(page, str(live_server), "executive@district.test")
    page.goto(f"{live_server}/schools/")
    page.evaluate("window.__marker = 'kept'")
    page.get_by_label("Search").fill("Langston")
    expect(page.locator("#table-region")).not_to_contain_text("Harriet Tubman")
    expect(page.locator("#table-region")).to_contain_text("Langston Hughes")
    assert page.evaluate("window.__marker") == "kept", "the page was reloaded instead of swapped"
    assert "q=Langston" in page.url


@pytest.mark.parametrize(
    ("email", "paths"),
    [
        (
            "principal@district.test",
            ["/services/", "/services/requests/", "/satisfaction/survey/", "/cycles/you-said-we-did/"],
        ),
        ("ild@district.test", ["/coaching/", "/coaching/visits/new/", "/coaching/visits/", "/satisfaction/heat-map/"]),
        ("unit.head@district.test", ["/services/workspace/", "/satisfaction/", "/cycles/my-actions/"]),
    ],
)
def test_every_roles_pages_fit_a_phone(
    page: Page, live_server: object, district: District, email: str, paths: list[str]
) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, str(live_server), email)
    for path in paths:
        response = page.goto(f"{live_server}{path}")
        assert response is not None
        assert response.status == 200, path
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
