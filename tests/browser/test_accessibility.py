"""Accessibility as a test: axe-core checks every role's home and the pages of its main
journeys on a phone (375 px) and a desktop (1280 px), and fails on any serious or critical
violation. Charts keep their text at 11 px or more on a phone.

axe-core comes from package.json (npm ci, run by scripts/setup.sh); the script is injected
into each page, so the browser context bypasses the Content-Security-Policy that would
otherwise refuse an inline script (the policy has its own tests).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Page

from coaching.models import GrowthGoal, Visit
from cycles.inquiry.models import CycleOfInquiry
from district.models import School, Unit, User
from service_menu.models import Request, Service

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (375, 1280)
DOMAIN = "district.example"


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture
def demo(db: None) -> None:
    """The demo district, small: every page has rows, charts and history to show."""
    call_command("seed_demo", "--schools", "12", verbosity=0)


def signed_in(page: Page, base: str, email: str) -> User:
    user = User.objects.get(email=email)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base}])
    return user


def serious_violations(page: Page) -> list[str]:
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run scripts/setup.sh (it runs npm ci where npm is)")
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations
                .filter(v => v.impact === "serious" || v.impact === "critical")
                .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | ")}`);
        }"""
    )
    return list(found)


def check_pages(page: Page, base: str, paths: list[str]) -> None:
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            response = page.goto(f"{base}{path}")
            assert response is not None, path
            assert response.status == 200, f"{path} answered {response.status}"
            problems += [f"{width}px {path}: {v}" for v in serious_violations(page)]
    assert not problems, "axe found serious or critical violations:\n" + "\n".join(problems)


def nav_paths(page: Page, base: str) -> list[str]:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/")
    hrefs = page.eval_on_selector_all("#main-nav a.nav-link", "links => links.map(a => a.getAttribute('href'))")
    return [href for href in hrefs if not href.startswith("/admin")]


def test_the_ild_journey_passes_axe(page: Page, live_server: object, demo: None) -> None:
    base = str(live_server)
    ild = signed_in(page, base, f"ild1@{DOMAIN}")
    visit = Visit.objects.filter(ild=ild, status=Visit.Status.DONE).order_by("-date").first()
    goal = GrowthGoal.objects.filter(school__caseloads__ild=ild).first()
    assert visit is not None
    assert goal is not None
    check_pages(
        page,
        base,
        [
            *nav_paths(page, base),
            f"/coaching/visits/{visit.pk}/",
            "/coaching/visits/new/",
            f"/coaching/visits/{visit.pk}/edit/",
            f"/coaching/goals/{goal.pk}/",
            f"/coaching/schools/{goal.school.code}/growth/",
            f"/services/schools/{goal.school.code}/",
            "/coaching/calendar/",
        ],
    )


def test_the_principal_journey_passes_axe(page: Page, live_server: object, demo: None) -> None:
    base = str(live_server)
    principal = signed_in(page, base, f"principal1@{DOMAIN}")
    school = School.objects.get(principal=principal)
    service = Service.objects.filter(menu__status="published", menu__unit__cluster__isnull=True).first()
    visit = Visit.objects.filter(school=school, status=Visit.Status.DONE).first()
    request = Request.objects.filter(school=school).first()
    assert service is not None
    assert visit is not None
    check_pages(
        page,
        base,
        [
            *nav_paths(page, base),
            f"/services/services/{service.pk}/",
            f"/services/services/{service.pk}/request/",
            f"/coaching/visits/{visit.pk}/",
            *([f"/services/requests/{request.pk}/"] if request else []),
            "/satisfaction/my-answers/",
            f"/schools/{school.code}/",
            "/profile/api-tokens/",
            "/accounts/security/",
        ],
    )


def test_the_unit_head_and_staff_journeys_pass_axe(page: Page, live_server: object, demo: None) -> None:
    base = str(live_server)
    head = signed_in(page, base, f"head.instructional-services@{DOMAIN}")
    unit = Unit.objects.get(head=head)
    request = Request.objects.filter(service__menu__unit=unit).order_by("-created_at").first()
    cycle = CycleOfInquiry.objects.filter(unit=unit).first()
    assert request is not None
    check_pages(
        page,
        base,
        [
            *nav_paths(page, base),
            f"/services/requests/{request.pk}/",
            f"/services/units/{unit.pk}/",
            f"/services/units/{unit.pk}/measures/",
            f"/units/{unit.pk}/",
            *([f"/cycles/{cycle.pk}/"] if cycle else []),
            f"/cycles/units/{unit.pk}/new/",
        ],
    )
    page.context.clear_cookies()
    signed_in(page, base, f"staff.instructional-services.1@{DOMAIN}")
    check_pages(page, base, [*nav_paths(page, base), "/cycles/my-actions/"])


def test_the_executive_and_admin_journeys_pass_axe(page: Page, live_server: object, demo: None) -> None:
    base = str(live_server)
    signed_in(page, base, f"superintendent@{DOMAIN}")
    unit = Unit.objects.order_by("name").first()
    assert unit is not None
    check_pages(
        page,
        base,
        [
            *nav_paths(page, base),
            "/satisfaction/heat-map/",
            f"/satisfaction/units/{unit.pk}/",
            "/satisfaction/response-rates/",
            "/clusters/1/" if _has_cluster() else "/",
        ],
    )
    page.context.clear_cookies()
    signed_in(page, base, f"admin@{DOMAIN}")
    check_pages(page, base, ["/"])


def _has_cluster() -> bool:
    from district.models import Cluster

    return Cluster.objects.filter(pk=1).exists()


CHART_TEXT_SIZES = """() => [...document.querySelectorAll("figure.chart > svg")]
    .filter(svg => svg.getBoundingClientRect().width > 0)
    .flatMap(svg => {
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return [...svg.querySelectorAll("text")].map(text => ({
            text: text.textContent.trim(),
            px: parseFloat(getComputedStyle(text).fontSize) * scale,
            height: text.getBoundingClientRect().height,
        }));
    })"""


def test_chart_text_stays_at_11px_or_more_on_a_phone(page: Page, live_server: object, demo: None) -> None:
    base = str(live_server)
    page.set_viewport_size({"width": 375, "height": 812})
    head = signed_in(page, base, f"head.instructional-services@{DOMAIN}")
    unit = Unit.objects.get(head=head)
    measured: list[dict[str, Any]] = []
    for path in (f"/satisfaction/units/{unit.pk}/", f"/services/units/{unit.pk}/measures/"):
        page.goto(f"{base}{path}")
        measured += page.evaluate(CHART_TEXT_SIZES)
    page.context.clear_cookies()
    signed_in(page, base, f"superintendent@{DOMAIN}")
    page.goto(f"{base}/coaching/coaches/")
    measured += page.evaluate(CHART_TEXT_SIZES)
    page.context.clear_cookies()
    ild = signed_in(page, base, f"ild1@{DOMAIN}")
    page.goto(f"{base}/coaching/")
    measured += page.evaluate(CHART_TEXT_SIZES)
    school = School.objects.filter(caseloads__ild=ild).first()
    assert school is not None
    page.goto(f"{base}/coaching/schools/{school.code}/growth/")
    measured += page.evaluate(CHART_TEXT_SIZES)

    assert len(measured) > 40, "the pages drew their charts"
    small = [m for m in measured if m["px"] < 11]
    assert not small, f"chart text under 11 px on a 375-px screen: {small[:5]}"
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
