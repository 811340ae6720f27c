"""A principal answers the survey in two sittings; once it closes, the unit head sees the new point."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from cycles.models import Survey, SurveyItem
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
    card.get_by_role("button", name="Submit my answers").click()
    expect(card.get_by_text("Submitted. Thank you.")).to_be_visible()

    Survey.objects.filter(pk=surveys.open.pk).update(closes_on=datetime.date.today() - datetime.timedelta(days=1))

    page.context.clear_cookies()
    sign_in(page, base, "unit.head@district.test")
    page.goto(f"{base}/satisfaction/units/{district.unit.pk}/")
    by_term = page.get_by_role("table", name="Mean, share favourable and number of responses by item and term")
    expect(by_term.get_by_role("columnheader", name="Now Survey year")).to_be_visible()
    expect(by_term).to_contain_text("n=5")
    overall = page.locator("figure", has_text="Overall: mean score by term")
    expect(overall.locator("circle")).to_have_count(4)  # two terms, unit and district lines
