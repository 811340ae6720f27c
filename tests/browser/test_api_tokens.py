"""A principal makes an API token from the user menu, uses it once, and revokes it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from district.models import User
from tests.conftest import District

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(page: Page, base: str, user: User) -> None:
    """Carry a signed-in session into the browser (the sign-in pages have their own tests)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base}])


def test_a_principal_makes_uses_and_revokes_a_token(
    page: Page, live_server: object, district: District, principal: User
) -> None:
    base = str(live_server)
    page.set_viewport_size({"width": 1280, "height": 900})
    signed_in(page, base, principal)
    page.goto(f"{base}/")
    page.get_by_test_id("user-menu").click()
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="Your API tokens")).to_be_visible()

    page.get_by_label("What is it for?").fill("Data warehouse")
    page.get_by_label("Expires").select_option(label="In 30 days")
    page.get_by_role("button", name="Create token").click()
    secret_box = page.get_by_label("Token “Data warehouse”")
    expect(secret_box).to_be_visible()
    secret = secret_box.input_value()
    assert secret.startswith("sw_")

    answer = page.request.get(f"{base}/api/v1/schools", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status == 200
    assert [school["code"] for school in answer.json()["items"]] == [district.school.code]

    page.goto(f"{base}/profile/api-tokens/")
    expect(page.get_by_test_id("new-token")).to_have_count(0)
    assert secret not in page.content(), "the secret is shown once"
    row = page.get_by_test_id("token-row").filter(has_text="Data warehouse")
    expect(row).to_contain_text("last used")
    row.get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("status").first).to_contain_text("is revoked")
    expect(page.get_by_test_id("token-row").first).to_contain_text("Revoked")

    refused = page.request.get(f"{base}/api/v1/schools", headers={"Authorization": f"Bearer {secret}"})
    assert refused.status == 401


def test_the_token_page_fits_a_phone(page: Page, live_server: object, district: District, principal: User) -> None:
    base = str(live_server)
    page.set_viewport_size({"width": 375, "height": 800})
    signed_in(page, base, principal)
    page.goto(f"{base}/profile/api-tokens/")
    page.get_by_label("What is it for?").fill("Phone check")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_test_id("new-token")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "nothing needs a sideways scroll"
