"""A principal asks for an Intensive service; the ILD endorses; the unit says "no, but …"."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from district.models import User
from service_menu.models import Request
from tests.browser.test_sign_in import sign_in
from tests.conftest import District
from tests.factories import CaseloadFactory, GoalFactory, PracticeFactory, SchoolFactory
from tests.service_menu.conftest import Menus

pytestmark = pytest.mark.django_db(transaction=True)


def test_principal_requests_ild_endorses_unit_declines_with_an_alternative(
    page: Page, live_server: object, district: District, menus: Menus
) -> None:
    base = str(live_server)
    sign_in(page, base, "principal@district.test")
    page.goto(f"{base}/services/")
    page.get_by_label("Tier").select_option(label="Intensive")
    region = page.locator("#table-region")
    expect(region).not_to_contain_text("Literacy lab classrooms")
    expect(region).to_contain_text("Intensive math turnaround")
    region.get_by_role("link", name="Intensive math turnaround").click()
    page.get_by_role("link", name="Request this service").click()
    page.get_by_label("Term").select_option(label=str(menus.term))
    page.get_by_label("Or the improvement priority it serves").fill("Raise grade 3 math proficiency")
    page.get_by_label("Why this service, for this school, now").fill("Half our third graders are below grade level.")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_test_id("request-status")).to_have_text("Submitted")
    request = Request.objects.get(service=menus.intensive)

    page.context.clear_cookies()
    sign_in(page, base, "ild@district.test")
    page.goto(f"{base}/services/requests/{request.pk}/")
    page.get_by_role("button", name="Endorse").click()
    expect(page.get_by_test_id("request-status")).to_have_text("Endorsed by the ILD")

    page.context.clear_cookies()
    sign_in(page, base, "unit.staff@district.test")
    page.goto(f"{base}/services/requests/{request.pk}/")
    page.get_by_text("Decline with an alternative…").click()
    page.get_by_label("Why not").fill("Our turnaround coaches are committed for this term.")
    picker = page.get_by_label("No, but: another service (any unit)")
    expect(picker.locator("optgroup[label='Instructional Services']")).to_be_attached()
    picker.select_option(label="Literacy lab classrooms (Targeted)")
    page.get_by_label("No, but: a later term").select_option(label=str(menus.later_term))
    page.get_by_role("button", name="Decline, offering the alternative").click()
    expect(page.get_by_test_id("request-status")).to_have_text("Declined, with an alternative")

    page.context.clear_cookies()
    sign_in(page, base, "principal@district.test")
    page.goto(f"{base}/services/requests/{request.pk}/")
    no_but = page.get_by_test_id("no-but")
    expect(no_but).to_contain_text("Our turnaround coaches are committed")
    expect(no_but).to_contain_text("Literacy lab classrooms")
    expect(no_but).to_contain_text(str(menus.later_term))


def test_choosing_another_school_shows_only_its_goals_and_the_request_serves_one(
    page: Page, live_server: object, district: District, menus: Menus
) -> None:
    ild = User.objects.get(email="ild@district.test")
    second = SchoolFactory.create(name="Zora Neale Hurston K-8")
    CaseloadFactory.create(ild=ild, school=second)
    year = menus.menu.school_year
    GoalFactory.create(school=district.school, school_year=year, practice=PracticeFactory.create(name="Feedback"))
    GoalFactory.create(school=second, school_year=year, practice=PracticeFactory.create(name="Data meetings"))
    base = str(live_server)
    sign_in(page, base, "ild@district.test")
    page.goto(f"{base}/services/services/{menus.intensive.pk}/request/")
    expect(page.get_by_text("Choose the school to see its growth goals.")).to_be_visible()
    expect(page.get_by_label("Term")).to_have_value(str(menus.term.pk))

    page.get_by_label("For school").select_option(label="Zora Neale Hurston K-8")
    goal = page.get_by_label("Growth goal it serves")
    expect(goal.locator("option", has_text="Data meetings")).to_be_attached()
    expect(goal.locator("option", has_text="Feedback")).to_have_count(0)
    expect(goal.locator("option:checked")).to_have_text("Data meetings (This year)")

    page.get_by_label("For school").select_option(label=district.school.name)
    expect(goal.locator("option:checked")).to_have_text("Feedback (This year)")
    expect(goal.locator("option", has_text="Data meetings")).to_have_count(0)
    page.get_by_label("Why this service, for this school, now").fill("Grade 3 math is slipping.")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_test_id("request-status")).to_have_text("Endorsed by the ILD")
    request = Request.objects.get(service=menus.intensive)
    assert request.school == district.school
    assert request.growth_goal is not None
    assert request.growth_goal.practice.name == "Feedback"
