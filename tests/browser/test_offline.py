"""On a phone without Wi-Fi: visits logged offline reach Schoolward once, refusals stay on the phone
with their reason, sign-out wipes the phone, and one person's kept pages never reach another."""

from __future__ import annotations

import datetime
import json

import pytest
from playwright.sync_api import BrowserContext, Page, ViewportSize, expect

from coaching import services
from coaching.models import Visit
from district.models import User
from tests.browser.test_sign_in import sign_in
from tests.conftest import District
from tests.factories import TEST_PASSWORD, GoalFactory, PracticeFactory, VisitFactory, level

pytestmark = pytest.mark.django_db(transaction=True)

PHONE: ViewportSize = {"width": 375, "height": 812}
FORM = "/coaching/visits/new/"
PRIVATE = "PRIVATE-NOTE-ON-THE-PHONE-5c1e"
YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)
DUE = datetime.date.today() + datetime.timedelta(days=7)

# Everything the phone holds in its caches, as text, to look for what must never be there.
CACHED_TEXT = """async () => {
  const texts = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      texts.push(name + " " + request.url + " " + (await response.text()));
    }
  }
  return texts.join("\\n");
}"""
DRAFT_DATABASES = (
    "async () => (await indexedDB.databases()).map((db) => db.name).filter((name) => name.startsWith('schoolward'))"
)


def no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def open_form_online(page: Page, base: str) -> None:
    """Open the visit form once with a connection, and wait until the phone has kept it."""
    page.goto(f"{base}{FORM}")
    expect(page.locator("form[data-offline-ready]")).to_be_attached(timeout=20_000)
    expect(page.get_by_text("This form works offline on this phone.")).to_be_visible()


def open_form(page: Page, base: str) -> None:
    page.goto(f"{base}{FORM}")
    expect(page.locator("form[data-draft-ready]")).to_be_attached()


def sign_out(page: Page) -> None:
    """Sign out from the menu as a person would; the phone asks first when something is unsent."""
    page.once("dialog", lambda dialog: dialog.accept())
    toggler = page.get_by_role("button", name="Open the menu")
    if toggler.is_visible():
        toggler.click()
    # The phone's menu slides open: wait for the account menu instead of looking once.
    user_menu = page.get_by_test_id("user-menu")
    expect(user_menu).to_be_visible()
    user_menu.click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("Email address")).to_be_visible()


def test_a_joint_visit_logged_offline_survives_a_reload_and_reaches_schoolward_once(
    page: Page, context: BrowserContext, live_server: object, district: District
) -> None:
    base = str(live_server)
    practice = PracticeFactory.create(name="Observing instruction and giving feedback")
    goal = GoalFactory.create(school=district.school, practice=practice)
    page.set_viewport_size(PHONE)
    sign_in(page, base, "ild@district.test")
    open_form_online(page, base)

    # The next morning, in a hallway with no Wi-Fi: the form opens from a cold start.
    context.set_offline(True)
    page.close()
    page = context.new_page()
    page.set_viewport_size(PHONE)
    open_form(page, base)
    expect(page.get_by_role("heading", name="Log or plan a visit")).to_be_visible()
    page.get_by_label("School").select_option(label="Harriet Tubman Elementary")
    page.get_by_label("Observing instruction and giving feedback").check()
    page.get_by_label("Principal's observed level on the focus practice").select_option(label="2. Developing")
    page.get_by_label("Date").fill(YESTERDAY.isoformat())
    page.get_by_label("Done").check()
    expect(page.get_by_label("Joint visit (principal present)")).to_be_checked()
    page.get_by_label("Joint observation").check()
    page.get_by_label("Think-aloud").check()
    page.get_by_label("Co-led").check()
    page.get_by_label("Classrooms visited").fill("3")
    page.get_by_label("What we saw").fill("Students explained their thinking to partners in every room.")
    page.get_by_label("Private note").fill(PRIVATE)
    steps = [("Give feedback to the two teachers we saw", "principal"), ("Send the look-fors", "ild")]
    for index, (text, owner) in enumerate(steps):
        page.get_by_role("button", name="+ Add a next step").click()
        row = page.locator(f"#step-steps-{index}")
        row.get_by_label("Next step").fill(text)
        row.get_by_label("For").select_option(owner)
        row.get_by_label("Due").fill(DUE.isoformat())
    page.get_by_role("button", name="+ Add a next step").click()
    page.locator("#step-steps-2").get_by_role("button", name="Remove this step").click()
    expect(page.locator("#step-steps-2")).to_be_hidden()
    expect(page.locator("#draft-status")).to_contain_text("Saved on this phone")
    no_sideways_scroll(page)

    page.reload()
    expect(page.locator("form[data-draft-ready]")).to_be_attached()
    expect(page.get_by_label("School")).to_have_value(str(district.school.pk))
    expect(page.get_by_label("Observing instruction and giving feedback")).to_be_checked()
    expect(page.get_by_label("Principal's observed level on the focus practice")).to_have_value(
        str(level(practice, 2).pk)
    )
    expect(page.get_by_label("Think-aloud")).to_be_checked()
    expect(page.get_by_label("Co-led")).to_be_checked()
    expect(page.get_by_label("Private note")).to_have_value(PRIVATE)
    expect(page.locator("#step-steps-1").get_by_label("Next step")).to_have_value("Send the look-fors")
    expect(page.locator("#step-steps-1").get_by_label("For")).to_have_value("ild")
    expect(page.locator("#step-steps-2")).to_be_hidden()
    expect(page.locator("#draft-status")).to_contain_text("Saved on this phone")

    page.get_by_role("button", name="Save visit").click()
    waiting = page.locator("[data-outbox=waiting]")
    expect(waiting).to_contain_text("Saved on this phone, not yet on Schoolward: Harriet Tubman Elementary")
    expect(waiting).to_contain_text("when you are back online")
    expect(page.get_by_label("School")).to_have_value("")  # a blank form for the next visit
    no_sideways_scroll(page)
    assert not Visit.objects.exists()

    context.set_offline(False)
    expect(page.locator("[data-outbox=sent]")).to_contain_text("Saved to Schoolward: Harriet Tubman Elementary")
    visit = Visit.objects.get()
    assert visit.client_id is not None
    assert visit.principal_present
    assert visit.date == YESTERDAY
    assert visit.private_note == PRIVATE
    assert visit.observed_level == level(practice, 2)
    assert list(visit.focus_goals.all()) == [goal]
    assert sorted(m.move for m in visit.moves.all()) == ["joint_observation", "think_aloud"]
    assert sorted((s.owner, s.description) for s in visit.next_steps.all()) == [
        ("ild", "Send the look-fors"),
        ("principal", "Give feedback to the two teachers we saw"),
    ]

    # Sent once: reloading sends nothing more, and the same visit sent again is still one visit.
    page.reload()
    expect(page.locator("html[data-offline-started]")).to_be_attached()
    again = page.evaluate(
        """async (clientId) => {
          const body = new URLSearchParams({client_id: clientId, school: "0"});
          const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
          const response = await fetch(location.pathname, {method: "POST", body,
            headers: {Accept: "application/json", "X-CSRFToken": token, "Schoolward-Send": "queued"}});
          return response.json();
        }""",
        str(visit.client_id),
    )
    assert again["id"] == visit.pk
    assert Visit.objects.count() == 1
    # Once sent, the private note is nowhere on the phone: not in its drafts, never in a cache.
    assert PRIVATE not in json.dumps(page.evaluate("window.SchoolwardOffline.drafts.all()"))
    assert PRIVATE not in page.evaluate(CACHED_TEXT)
    page.goto(f"{base}/coaching/visits/{visit.pk}/edit/")  # the one page that shows the note: never kept
    expect(page.get_by_label("Private note")).to_have_value(PRIVATE)
    assert PRIVATE not in page.evaluate(CACHED_TEXT)

    # Pages other than the visit form say they need a connection, in Schoolward's words.
    context.set_offline(True)
    page.goto(f"{base}/coaching/visits/")
    expect(page.get_by_role("heading", name="No connection right now")).to_be_visible()
    expect(page.get_by_role("link", name="Log a visit")).to_be_visible()
    no_sideways_scroll(page)


def test_a_queued_edit_refused_as_a_conflict_keeps_the_draft_with_the_reason_and_can_be_sent_again(
    page: Page, context: BrowserContext, live_server: object, district: District, ild: User
) -> None:
    base = str(live_server)
    visit = VisitFactory.create(school=district.school, ild=ild, what_we_saw="Written in the car park.")
    page.set_viewport_size(PHONE)
    sign_in(page, base, "ild@district.test")
    page.goto(f"{base}/coaching/visits/{visit.pk}/edit/")
    expect(page.locator("form[data-draft-ready]")).to_be_attached()
    expect(page.locator("#draft-status")).to_contain_text("Saved to Schoolward")

    context.set_offline(True)
    page.get_by_label("What we saw").fill("Typed on the phone in the classroom.")
    expect(page.locator("#draft-status")).to_contain_text("Saved on this phone")
    page.get_by_role("button", name="Save visit").click()
    expect(page.locator("#draft-status")).to_contain_text("waiting to be sent")

    # Meanwhile the ILD saved the same visit from a laptop.
    visit.what_we_saw = "Saved from the laptop."
    services.visit_save(ild=ild, visit=visit, moves=[], focus_goals=[], next_steps=[], expected_version=1)

    context.set_offline(False)
    problem = page.get_by_test_id("draft-problem")
    expect(problem).to_contain_text("Someone else saved this visit after you opened it")
    expect(page.locator("#draft-status")).to_contain_text("still saved on this phone")
    visit.refresh_from_db()
    assert visit.what_we_saw == "Saved from the laptop."

    # Nothing was dropped: the phone keeps the draft and its reason, here and on every other page.
    page.reload()
    expect(page.get_by_label("What we saw")).to_have_value("Typed on the phone in the classroom.")
    expect(page.get_by_test_id("draft-problem")).to_contain_text("Someone else saved this visit")
    page.goto(f"{base}/")
    refused = page.locator("[data-outbox=refused]")
    expect(refused).to_contain_text("Not saved to Schoolward")
    expect(refused).to_contain_text("Someone else saved this visit after you opened it")
    no_sideways_scroll(page)

    # Fix and send again: having compared, the ILD saves their version over the laptop's.
    refused.get_by_role("link", name="Fix it and send it again").click()
    expect(page.get_by_label("What we saw")).to_have_value("Typed on the phone in the classroom.")
    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_text("Visit saved.")).to_be_visible()
    visit.refresh_from_db()
    assert visit.what_we_saw == "Typed on the phone in the classroom."
    assert page.evaluate("window.SchoolwardOffline.drafts.all()") == []


def test_signing_out_wipes_the_drafts_and_kept_pages_from_the_phone(
    page: Page, live_server: object, district: District, ild: User
) -> None:
    base = str(live_server)
    page.set_viewport_size(PHONE)
    sign_in(page, base, "ild@district.test")
    open_form_online(page, base)
    page.get_by_label("Private note").fill(PRIVATE)
    expect(page.locator("#draft-status")).to_contain_text("Saved on this phone")
    assert page.evaluate(DRAFT_DATABASES) == [f"schoolward-drafts-u{ild.pk}"]
    assert f"schoolward-pages-u{ild.pk}" in page.evaluate("caches.keys()")

    sign_out(page)
    assert page.evaluate(DRAFT_DATABASES) == []
    assert not [name for name in page.evaluate("caches.keys()") if name.startswith("schoolward-pages")]
    assert PRIVATE not in page.evaluate(CACHED_TEXT)

    sign_in(page, base, "ild@district.test")
    open_form(page, base)
    expect(page.get_by_label("Private note")).to_have_value("")
    expect(page.locator("#draft-status")).to_contain_text("saved on this phone as you go")


def test_one_persons_kept_form_and_drafts_never_reach_the_next_person_on_the_same_phone(
    page: Page, context: BrowserContext, live_server: object, district: District
) -> None:
    base = str(live_server)
    page.set_viewport_size(PHONE)
    sign_in(page, base, "ild@district.test")
    open_form_online(page, base)
    page.get_by_label("Private note").fill(PRIVATE)
    expect(page.locator("#draft-status")).to_contain_text("Saved on this phone")

    # The session ends without a sign-out, and another ILD signs in on the same browser.
    context.clear_cookies()
    sign_in(page, base, "other.ild@district.test")
    expect(page.locator("html[data-offline-started]")).to_be_attached()
    context.set_offline(True)
    page.goto(f"{base}{FORM}")
    expect(page.get_by_role("heading", name="No connection right now")).to_be_visible()
    assert "Harriet Tubman" not in page.content()

    # Back online, the offline page reloads itself: now the form, the other ILD's own.
    context.set_offline(False)
    expect(page.get_by_role("heading", name="Log or plan a visit")).to_be_visible(timeout=15_000)
    expect(page.locator("form[data-offline-ready]")).to_be_attached(timeout=20_000)
    context.set_offline(True)
    page.reload()
    expect(page.locator("form[data-draft-ready]")).to_be_attached()
    school = page.get_by_label("School")
    expect(school.locator("option", has_text="Langston Hughes Middle")).to_be_attached()
    expect(school.locator("option", has_text="Harriet Tubman Elementary")).to_have_count(0)
    expect(page.get_by_label("Private note")).to_have_value("")
    assert "Harriet Tubman" not in page.evaluate(CACHED_TEXT)


def test_a_waiting_visit_can_be_changed_and_is_sent_after_signing_in_again(
    page: Page, context: BrowserContext, live_server: object, district: District
) -> None:
    base = str(live_server)
    page.set_viewport_size(PHONE)
    sign_in(page, base, "ild@district.test")
    open_form_online(page, base)
    context.set_offline(True)
    page.get_by_label("School").select_option(label="Harriet Tubman Elementary")
    page.get_by_label("Classrooms visited").fill("2")
    page.get_by_role("button", name="Save visit").click()
    waiting = page.locator("[data-outbox=waiting]")
    expect(waiting).to_contain_text("Harriet Tubman Elementary")

    # Taken back to change it, then saved again: still one visit waiting.
    waiting.get_by_role("link", name="Change it").click()
    expect(page.locator("#draft-status")).to_contain_text("waiting to be sent")
    expect(page.get_by_label("Classrooms visited")).to_be_disabled()
    page.locator("#draft-status").get_by_role("button", name="Change it").click()
    page.get_by_label("Classrooms visited").fill("4")
    page.get_by_role("button", name="Save visit").click()
    expect(page.locator("[data-outbox=waiting]")).to_have_count(1)

    # The session ended while offline: back online, the phone asks to sign in, then sends it.
    context.clear_cookies()
    context.set_offline(False)
    waiting = page.locator("[data-outbox=waiting]")
    expect(waiting).to_contain_text("Sign in again to send it.", timeout=15_000)
    assert not Visit.objects.exists()
    waiting.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email address").fill("ild@district.test")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.locator("[data-outbox=sent]")).to_contain_text("Saved to Schoolward: Harriet Tubman Elementary")
    assert Visit.objects.get().classrooms_visited == 4
