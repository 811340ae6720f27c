"""On a phone, each role signs in, lands on its home, follows the first item of its to-do
list to where the work is done, does it, and comes back to find the item gone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, ViewportSize, expect

from coaching.models import Visit
from service_menu.models import Request
from tests.browser.test_sign_in import sign_in
from tests.conftest import District
from tests.district.home_fixtures import Homes, build_homes

pytestmark = pytest.mark.django_db(transaction=True)

PHONE: ViewportSize = {"width": 375, "height": 812}


@pytest.fixture
def homes(district: District) -> Homes:
    return build_homes(district)


def land_on_home(page: Page, base: str, email: str) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, base, email)
    expect(page).to_have_title(re.compile("^Home"))
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the home scrolls sideways by {overflow}px"


def first_task(page: Page, testid: str) -> Locator:
    return page.get_by_test_id(testid).locator("li.task").first.get_by_role("link").first


def back_home(page: Page) -> None:
    page.get_by_role("link", name="Schoolward").click()
    expect(page).to_have_title(re.compile("^Home"))


def test_ild_logs_the_visit_the_home_asked_for(page: Page, live_server: object, homes: Homes) -> None:
    base = str(live_server)
    land_on_home(page, base, "ild@district.test")
    task = first_task(page, "ild-todo")
    expect(task).to_have_text("Log your visit to Harriet Tubman Elementary")
    task.click()
    expect(page).to_have_url(re.compile(rf"/coaching/visits/{homes.visit_to_log.pk}/edit/$"))
    page.get_by_label("Done").check()
    page.get_by_label("What we saw").fill("Students explained their thinking to partners in every room.")
    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_text("Visit saved.")).to_be_visible()
    assert Visit.objects.get(pk=homes.visit_to_log.pk).status == Visit.Status.DONE
    back_home(page)
    expect(page.get_by_test_id("ild-todo")).not_to_contain_text("Log your visit")


def test_principal_takes_up_the_no_but_alternative(page: Page, live_server: object, homes: Homes) -> None:
    base = str(live_server)
    land_on_home(page, base, "principal@district.test")
    task = first_task(page, "principal-todo")
    expect(task).to_have_text("“Outdoor classroom build”: no, but …")
    task.click()
    expect(page.get_by_test_id("no-but")).to_contain_text("Reading walkthroughs")
    page.get_by_role("link", name="Take this alternative").click()
    term = page.get_by_label("Term")
    if not term.input_value():
        term.select_option(label=str(homes.term))
    priority = page.get_by_label("Or the improvement priority it serves")
    if not priority.input_value():
        priority.fill("Early literacy")
    rationale = page.get_by_label("Why this service, for this school, now")
    if not rationale.input_value():
        rationale.fill("We take the walkthroughs instead.")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_test_id("request-status")).to_have_text("Submitted")
    assert Request.objects.filter(taken_from=homes.no_but).exists()
    back_home(page)
    expect(page.get_by_test_id("principal-todo")).not_to_contain_text("no, but")


def test_unit_head_answers_the_oldest_request_first(page: Page, live_server: object, homes: Homes) -> None:
    base = str(live_server)
    land_on_home(page, base, "unit.head@district.test")
    task = first_task(page, "unit-todo")
    expect(task).to_have_text("Answer “Literacy lab classrooms” for Langston Hughes Middle")
    expect(page.get_by_test_id("unit-todo").locator("li.task").first).to_contain_text("Overdue")
    task.click()
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_test_id("request-status")).to_have_text("Accepted")
    back_home(page)
    expect(page.get_by_test_id("unit-todo")).not_to_contain_text("for Langston Hughes Middle")
    expect(first_task(page, "unit-todo")).to_have_text("Answer “Literacy lab classrooms” for Harriet Tubman Elementary")


def test_executive_follows_the_heat_map_to_a_unit_and_back(page: Page, live_server: object, homes: Homes) -> None:
    base = str(live_server)
    land_on_home(page, base, "executive@district.test")
    glance = page.get_by_test_id("home-executive")
    expect(glance.get_by_test_id("response-times")).to_contain_text("Instructional Services")
    glance.get_by_role("link", name="Satisfaction heat map").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_role("link", name="Facilities").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Facilities")
    back_home(page)
    expect(page.get_by_test_id("home-executive")).to_be_visible()
