"""A unit head opens a cycle from a dip in the trend, plans two actions, and later sees the result."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from cycles.inquiry.models import CycleOfInquiry
from cycles.satisfaction.models import Survey
from tests.browser.test_sign_in import sign_in
from tests.conftest import District
from tests.cycles.fixtures import Surveys, answer
from tests.factories import SchoolFactory, UnitFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_unit_head_opens_a_cycle_from_a_dip_and_sees_the_result(
    page: Page, live_server: object, district: District, surveys: Surveys
) -> None:
    strong = UnitFactory.create(name="Facilities")
    for _ in range(5):  # another unit rated higher: this unit's 4.0 is below the district average
        answer(surveys.closed, strong, SchoolFactory.create(), surveys.items, 5)
    base = str(live_server)
    sign_in(page, base, "unit.head@district.test")
    page.goto(f"{base}/satisfaction/units/{district.unit.pk}/")
    page.get_by_role("link", name="Open a cycle of inquiry on Overall, Past survey").click()
    expect(page.get_by_label("Metric item")).to_have_value(str(surveys.items[-1].pk))
    page.get_by_label("Title").fill("Answer within three days")
    page.get_by_label("Problem of practice").fill("Overall satisfaction dipped: schools wait for answers.")
    page.get_by_label("Target term").select_option(label=str(surveys.open_term))
    page.get_by_label("If we …").fill("answer every request within three school days")
    page.get_by_label("Then principals will …").fill("plan around our answers")
    page.get_by_label("Because …").fill("a quick answer beats silence")
    page.get_by_label("Target value").fill("4.5")
    page.get_by_role("button", name="Save the cycle").click()
    expect(page.get_by_test_id("baseline")).to_contain_text("4.00")
    expect(page.get_by_test_id("result")).to_contain_text("after the")

    for title in ["Daily triage of new requests", "Named contact for each cluster"]:
        page.get_by_role("link", name="Add an action").click()
        page.get_by_label("Title").fill(title)
        page.get_by_label("Owner").select_option(label="Sam Brooks")
        page.get_by_label("Due date").fill((datetime.date.today() + datetime.timedelta(days=14)).isoformat())
        page.get_by_label("Benchmark").fill("Triage log for every school day")
        page.get_by_role("button", name="Save the action").click()
        expect(page.get_by_text(title)).to_be_visible()

    cycle = CycleOfInquiry.objects.get(title="Answer within three days")
    assert cycle.actions.count() == 2
    for _ in range(5):  # the next survey: principals answer, then the window closes
        answer(surveys.open, district.unit, SchoolFactory.create(), surveys.items, 5)
    Survey.objects.filter(pk=surveys.open.pk).update(closes_on=datetime.date.today() - datetime.timedelta(days=1))
    page.reload()
    expect(page.get_by_test_id("result")).to_contain_text("5.00")
    expect(page.get_by_test_id("verdict")).to_contain_text("target met")
