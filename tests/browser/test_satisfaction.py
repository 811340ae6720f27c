"""The survey in a real browser: answering, submitting, and what the unit head sees once it closes."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, Request, expect
from pytest_django.fixtures import Settings

from cycles.satisfaction.models import Survey, SurveyItem
from tests.browser.test_sign_in import sign_in
from tests.conftest import District
from tests.cycles.fixtures import Surveys, answer
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_survey_in_two_sittings_then_the_unit_head_sees_the_new_point(
    page: Page, live_server: object, district: District, surveys: Surveys
) -> None:
    base = str(live_server)
    for _ in range(4):  # four colleagues already answered this term
        answer(surveys.open, district.unit, SchoolFactory.create(), surveys.items, 4)

    sign_in(page, base, "principal@district.test")
    page.goto(f"{base}/satisfaction/survey/")
    card = page.locator("section.card", has=page.get_by_role("heading", name=district.unit.name))
    first, second, third = SurveyItem.objects.filter(kind="score").order_by("order")
    card.locator("fieldset", has_text=first.text).get_by_label("5").check()
    expect(card.get_by_text("Draft saved")).to_be_visible()

    page.context.clear_cookies()  # the principal is called away; later they come back
    sign_in(page, base, "principal@district.test")
    page.goto(f"{base}/satisfaction/survey/")
    card = page.locator("section.card", has=page.get_by_role("heading", name=district.unit.name))
    expect(card.locator("fieldset", has_text=first.text).get_by_label("5")).to_be_checked()
    card.locator("fieldset", has_text=second.text).get_by_label("4").check()
    card.locator("fieldset", has_text=third.text).get_by_label("5").check()
    page.get_by_role("button", name="Submit my answers").click()
    expect(card.get_by_test_id("survey-thanks")).to_contain_text("Thank you")

    Survey.objects.filter(pk=surveys.open.pk).update(closes_on=datetime.date.today() - datetime.timedelta(days=1))

    page.context.clear_cookies()
    sign_in(page, base, "unit.head@district.test")
    page.goto(f"{base}/satisfaction/units/{district.unit.pk}/")
    by_term = page.get_by_role("table", name="Mean, share favourable and number of responses by item and term")
    expect(by_term.get_by_role("columnheader", name="Now Survey year")).to_be_visible()
    expect(by_term).to_contain_text("n=5")
    overall = page.locator("figure", has_text="Overall: mean score by term")
    expect(overall.locator("svg.chart-wide circle")).to_have_count(4)  # two terms, unit and district lines


def test_one_click_on_submit_sends_one_request_and_the_page_thanks_the_principal(
    page: Page, live_server: object, district: District, surveys: Surveys, settings: Settings
) -> None:
    """DEBUG is on as in development, where a failed htmx request replaces the whole page."""
    settings.DEBUG = True
    base = str(live_server)
    saves: list[Request] = []

    def record(r: Request) -> None:
        if r.method == "POST" and "/satisfaction/survey/" in r.url:
            saves.append(r)

    page.context.on("request", record)
    sign_in(page, base, "principal@district.test")
    stale = page.context.new_page()  # a second tab, left open on the form
    stale.goto(f"{base}/satisfaction/survey/")
    page.goto(f"{base}/satisfaction/survey/")

    card = page.locator("section.card", has=page.get_by_role("heading", name=district.unit.name))
    for item in SurveyItem.objects.filter(kind="score").order_by("order"):
        card.locator("fieldset", has_text=item.text).get_by_label("4").check()
    page.get_by_role("button", name="Submit my answers").click()
    thanks = card.get_by_test_id("survey-thanks")
    expect(thanks).to_contain_text("Thank you")
    expect(page.get_by_test_id("survey-outcome")).to_be_focused()
    expect(page.get_by_test_id("survey-outcome")).to_contain_text(f"Your answers about {district.unit.name}")
    expect(card.get_by_role("radio")).to_have_count(0)
    expect(page.get_by_role("navigation", name="Main")).to_have_count(1)
    page.wait_for_timeout(800)  # past the draft-save delay: no late request follows the click
    submits = [r for r in saves if r.url.endswith("/satisfaction/survey/submit/")]
    assert len(submits) == 1
    assert saves[-1] is submits[0], "drafts save as the answers change, never after the submission"

    stale_card = stale.locator("section.card", has=stale.get_by_role("heading", name=district.unit.name))
    stale.get_by_role("button", name="Submit my answers").click()
    expect(stale_card.get_by_test_id("survey-thanks")).to_contain_text("You already submitted")
    expect(stale.get_by_role("navigation", name="Main")).to_have_count(1)
    expect(stale.get_by_role("heading", name=surveys.open.title)).to_be_visible()
    assert {r.response().status for r in saves} == {200}  # type: ignore[union-attr]
