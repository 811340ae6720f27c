"""Single sign-on and two-factor sign-in in a real browser, under the site's Content-Security-Policy."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from district.models import User
from tests.browser.test_sign_in import PHONE, sign_in
from tests.conftest import District
from tests.signin.fixtures import PROVIDER_NAME, OidcProvider, enrol, totp_code

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in_with_provider(page: Page, oidc: OidcProvider, account: User) -> None:
    page.goto(f"{oidc.base_url}/accounts/login/")
    page.get_by_role("button", name=f"Sign in with {PROVIDER_NAME}").click()
    page.wait_for_url(f"{oidc.issuer}/sign-in/**")  # the provider's own page, on its own host
    page.get_by_label("Account").select_option(str(account.pk))
    page.get_by_role("button", name="Continue").click()


def test_a_principal_signs_in_with_the_district_provider(
    page: Page, oidc_provider: OidcProvider, district: District
) -> None:
    page.set_viewport_size(PHONE)
    sign_in_with_provider(page, oidc_provider, oidc_provider.account("principal@district.test"))
    expect(page.get_by_test_id("home-principal")).to_be_visible()
    assert page.url == f"{oidc_provider.base_url}/"


def test_an_email_the_roster_does_not_know_is_refused_on_the_sign_in_page(
    page: Page, oidc_provider: OidcProvider, district: District
) -> None:
    sign_in_with_provider(page, oidc_provider, oidc_provider.account("stranger@elsewhere.test"))
    expect(page.get_by_role("alert")).to_contain_text("stranger@elsewhere.test is not in Schoolward's roster")
    expect(page.get_by_role("heading", name="Sign in to Schoolward")).to_be_visible()


def test_an_admin_enters_a_code_then_opens_the_admin(
    page: Page, live_server: object, district: District, admin_user: User
) -> None:
    secret = enrol(admin_user).secret
    sign_in(page, str(live_server), "admin@district.test")
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.get_by_label("Authenticator or recovery code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("home-admin")).to_be_visible()
    page.goto(f"{live_server}/admin/")
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
