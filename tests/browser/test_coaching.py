"""On a phone: an ILD logs a joint visit; the principal reads it and reflects."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from coaching.models import Visit
from tests.browser.test_sign_in import sign_in
from tests.conftest import District
from tests.factories import GoalFactory, PracticeFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE: ViewportSize = {"width": 375, "height": 812}


def no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def test_ild_logs_a_joint_visit_and_the_principal_reflects(page: Page, live_server: object, district: District) -> None:
    base = str(live_server)
    page.set_viewport_size(PHONE)
    sign_in(page, base, "ild@district.test")
    page.goto(f"{base}/coaching/visits/new/")
    no_sideways_scroll(page)

    page.get_by_label("School").select_option(label="Harriet Tubman Elementary")
    expect(page.locator("#focus-fields")).to_contain_text("no draft or active growth goal")
    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    page.get_by_label("Date").fill(yesterday)
    page.get_by_label("Done").check()
    expect(page.get_by_label("Joint visit (principal present)")).to_be_checked()
    page.get_by_label("Joint observation").check()
    page.get_by_label("Think-aloud").check()
    page.get_by_label("Co-led").check()
    page.get_by_label("Classrooms visited").fill("3")
    page.get_by_label("What we saw").fill("Students explained their thinking to partners in every room.")

    due = (datetime.date.today() + datetime.timedelta(days=7)).isoformat()
    page.get_by_role("button", name="+ Add a next step").click()
    first = page.locator("#step-steps-0")
    expect(first).to_be_visible()
    first.get_by_label("Next step").fill("Give feedback to the two teachers we saw")
    first.get_by_label("Due").fill(due)
    page.get_by_role("button", name="+ Add a next step").click()
    second = page.locator("#step-steps-1")
    second.get_by_label("Next step").fill("Send the look-fors protocol")
    second.get_by_label("For").select_option("ild")
    second.get_by_label("Due").fill(due)
    page.get_by_role("button", name="+ Add a next step").click()
    page.locator("#step-steps-2").get_by_role("button", name="Remove this step").click()
    expect(page.locator("#step-steps-2")).to_be_hidden()
    no_sideways_scroll(page)
    page.get_by_role("button", name="Save visit").click()

    expect(page.get_by_text("Visit saved.")).to_be_visible()
    expect(page.get_by_text("Joint visit")).to_be_visible()
    visit = Visit.objects.get(school=district.school)
    assert visit.principal_present
    assert sorted(m.move for m in visit.moves.all()) == ["joint_observation", "think_aloud"]
    assert sorted(s.description for s in visit.next_steps.all()) == [
        "Give feedback to the two teachers we saw",
        "Send the look-fors protocol",
    ]

    page.context.clear_cookies()
    sign_in(page, base, "principal@district.test")
    page.goto(f"{base}/coaching/visits/{visit.pk}/")
    no_sideways_scroll(page)
    expect(page.get_by_text("Students explained their thinking")).to_be_visible()
    page.get_by_label("Done: Give feedback to the two teachers we saw").check()
    expect(page.locator(f"#next-step-{visit.next_steps.get(owner='principal').pk} label")).to_have_class(
        "text-decoration-line-through text-secondary"
    )
    page.get_by_label("Your reflection").fill("Leading the debrief myself next time.")
    page.get_by_role("button", name="Save my reflection").click()
    expect(page.get_by_text("Your reflection is saved")).to_be_visible()
    visit.refresh_from_db()
    assert visit.principal_reflection == "Leading the debrief myself next time."
    assert visit.next_steps.get(owner="principal").done


def watch_the_console(page: Page) -> list[str]:
    """Errors the browser reports: script errors, and content-security-policy refusals."""
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_logging_a_visit_with_next_steps_leaves_the_console_clean(
    page: Page, live_server: object, district: District
) -> None:
    base = str(live_server)
    feedback = PracticeFactory.create(name="Observing instruction and giving feedback")
    PracticeFactory.create(name="Leading data conversations")
    GoalFactory.create(school=district.school, practice=feedback)
    page.set_viewport_size(PHONE)
    problems = watch_the_console(page)
    sign_in(page, base, "ild@district.test")
    page.goto(f"{base}/coaching/visits/new/")

    expect(page.get_by_label("Done")).to_be_checked()
    expect(page.get_by_label("Classrooms visited")).to_have_value("")
    page.get_by_label("School").select_option(label="Harriet Tubman Elementary")
    expect(page.get_by_text("Tick a goal in focus")).to_be_visible()
    page.get_by_label("Observing instruction and giving feedback").check()
    level = page.get_by_label("Principal's observed level on the focus practice")
    expect(level.locator("optgroup")).to_have_count(1)
    expect(level.locator("optgroup")).to_have_attribute("label", "Observing instruction and giving feedback")
    level.select_option(label="2. Developing")
    page.get_by_label("Date").fill((datetime.date.today() + datetime.timedelta(days=2)).isoformat())
    page.get_by_label("Date").blur()
    expect(page.get_by_label("Planned")).to_be_checked()
    page.get_by_label("Date").fill(datetime.date.today().isoformat())
    page.get_by_label("Date").blur()
    expect(page.get_by_label("Done")).to_be_checked()
    page.get_by_label("Classrooms visited").fill("2")

    due = (datetime.date.today() + datetime.timedelta(days=7)).isoformat()
    for index in range(2):
        page.get_by_role("button", name="+ Add a next step").click()
        row = page.locator(f"#step-steps-{index}")
        row.get_by_label("Next step").fill(f"Step {index + 1}")
        row.get_by_label("Due").fill(due)
    page.locator("#step-steps-1").get_by_role("button", name="Remove this step").click()
    expect(page.locator("#step-steps-1")).to_be_hidden()
    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_text("Visit saved.")).to_be_visible()
    visit = Visit.objects.get(school=district.school)
    assert visit.observed_level is not None
    assert visit.observed_level.name == "Developing"
    assert (visit.status, visit.classrooms_visited) == (Visit.Status.DONE, 2)

    page.get_by_role("link", name="Edit").click()
    page.get_by_role("button", name="+ Add a next step").click()
    expect(page.locator("#step-steps-1").get_by_label("Next step")).to_be_visible()
    assert problems == [], problems

    # The watch itself works: an inline style is refused, and the refusal is heard.
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    for _ in range(40):
        if problems:
            break
        page.wait_for_timeout(50)
    assert any("inline style" in problem for problem in problems), problems
