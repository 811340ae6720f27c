"""A row's link in an htmx-driven table opens its page, not a page inside the list."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from district.demo import DEMO_PASSWORD
from tests.browser.test_sign_in import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

EXECUTIVE = "superintendent@district.example"
ILD = "ild1@district.example"
UNIT_HEAD = "head.instructional-services@district.example"

TABLES = [
    (EXECUTIVE, "/schools/"),
    (EXECUTIVE, "/units/"),
    (EXECUTIVE, "/coaching/visits/"),
    (EXECUTIVE, "/services/"),
    (EXECUTIVE, "/services/requests/"),
    (EXECUTIVE, "/cycles/"),
    (ILD, "/coaching/"),
    (UNIT_HEAD, "/services/workspace/?q="),
]


@pytest.fixture
def demo_district(db: None) -> None:
    call_command("seed_demo", "--schools", "8", stdout=io.StringIO())


def test_a_row_link_in_every_table_region_opens_its_own_page(
    page: Page, live_server: object, demo_district: None
) -> None:
    base = str(live_server)
    signed_in_as = None
    for email, path in TABLES:
        if email != signed_in_as:
            page.context.clear_cookies()
            sign_in(page, base, email, password=DEMO_PASSWORD)
            signed_in_as = email
        page.goto(f"{base}{path}")
        link = page.locator("#table-region tbody a[href]:visible").first
        expect(link, f"{path} has a row link").to_be_attached()
        href = link.get_attribute("href") or ""
        link.click()
        page.wait_for_url(f"{base}{href}")
        expect(page.locator("nav.navbar"), f"one navbar after a row link on {path}").to_have_count(1)
        expect(page.locator("footer"), f"one footer after a row link on {path}").to_have_count(1)
        expect(page.locator("h1")).to_have_count(1)
        assert page.title() != "", path
        expect(page.locator("#table-region"), f"the list of {path} is gone").to_have_count(0)
