"""Cycles of inquiry: numbers read from the data, rules on bad input, and who may do what."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from cycles.inquiry import services as inquiry
from cycles.inquiry.models import CycleOfInquiry, PlanAction
from cycles.satisfaction.models import Answer, Survey
from district.models import User
from district.services import EditConflict
from tests.conftest import District
from tests.cycles.fixtures import Surveys, answer
from tests.factories import SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def cycle(district: District, surveys: Surveys, unit_head: User) -> CycleOfInquiry:
    overall = surveys.items[-1]
    return inquiry.cycle_save(
        cycle=CycleOfInquiry(
            unit=district.unit,
            title="Faster answers",
            problem_of_practice="Principals wait too long.",
            metric_item=overall,
            baseline_term=surveys.closed_term,
            target_term=surveys.open_term,
            target_value=4,
            theory_if="answer in three days",
            theory_then="plan with confidence",
            theory_because="a quick no is better than silence",
        ),
        by=unit_head,
    )


def test_baseline_and_result_come_from_the_data_and_follow_it(
    district: District, surveys: Surveys, cycle: CycleOfInquiry
) -> None:
    result = inquiry.cycle_result(cycle)
    assert result.baseline is not None
    assert result.baseline.n == 6
    assert result.baseline.mean == pytest.approx(4.0)  # six answers: 3, 4, 5, 3, 4, 5
    assert result.result is None, "no result before the target term's survey closes"
    assert not result.target_survey_closed

    Answer.objects.filter(submission__survey=surveys.closed, item=cycle.metric_item).update(score=2)
    changed = inquiry.cycle_result(cycle).baseline
    assert changed is not None
    assert changed.mean == pytest.approx(2.0), "change the responses, the numbers change"

    for _ in range(5):
        answer(surveys.open, district.unit, SchoolFactory.create(), surveys.items, 5)
    Survey.objects.filter(pk=surveys.open.pk).update(closes_on=TODAY - datetime.timedelta(days=1))
    closed = inquiry.cycle_result(cycle)
    assert closed.target_survey_closed
    assert closed.result is not None
    assert (closed.result.n, closed.result.mean) == (5, 5.0)
    assert closed.change == pytest.approx(3.0)
    assert closed.target_met is True


def test_a_baseline_under_the_threshold_shows_as_suppressed(
    district: District, surveys: Surveys, cycle: CycleOfInquiry
) -> None:
    Answer.objects.filter(submission__survey=surveys.closed).exclude(submission__school=district.school).delete()
    result = inquiry.cycle_result(cycle)
    assert result.baseline is not None
    assert result.baseline.suppressed
    assert result.baseline.mean is None


def test_bad_cycles_are_refused_with_reasons(
    district: District, surveys: Surveys, unit_head: User, cycle: CycleOfInquiry
) -> None:
    cycle.target_term = surveys.closed_term
    with pytest.raises(ValidationError, match="must come after the baseline"):
        inquiry.cycle_save(cycle=cycle, by=unit_head)
    cycle.refresh_from_db()
    cycle.metric_item = surveys.items[0]
    Answer.objects.filter(item=surveys.items[0]).delete()
    with pytest.raises(ValidationError, match="has no survey results"):
        inquiry.cycle_save(cycle=cycle, by=unit_head)


def test_two_people_editing_the_same_plan_the_second_is_told(cycle: CycleOfInquiry, unit_head: User) -> None:
    stale = cycle.version
    cycle.title = "First edit"
    inquiry.cycle_save(cycle=cycle, by=unit_head, expected_version=stale)
    cycle.title = "Second edit from a stale page"
    with pytest.raises(EditConflict):
        inquiry.cycle_save(cycle=cycle, by=unit_head, expected_version=stale)
    assert CycleOfInquiry.objects.get(pk=cycle.pk).title == "First edit"


def test_action_owners_come_from_the_unit(cycle: CycleOfInquiry, unit_staff: User, principal: User) -> None:
    with pytest.raises(ValidationError, match="not on the staff"):
        inquiry.action_save(action=PlanAction(cycle=cycle, title="x", owner=principal, due_date=TODAY, benchmark="y"))
    saved = inquiry.action_save(
        action=PlanAction(cycle=cycle, title="Triage", owner=unit_staff, due_date=TODAY, benchmark="Log")
    )
    assert saved.pk


def test_closing_with_open_actions_needs_a_reason(cycle: CycleOfInquiry, unit_head: User, unit_staff: User) -> None:
    inquiry.action_save(
        action=PlanAction(cycle=cycle, title="Triage", owner=unit_staff, due_date=TODAY, benchmark="Log")
    )
    with pytest.raises(ValidationError) as raised:
        inquiry.cycle_close(cycle=cycle, by=unit_head, decision="adopt", lessons_learned="It works.")
    assert "still open" in str(raised.value)
    closed = inquiry.cycle_close(
        cycle=cycle, by=unit_head, decision="adapt", lessons_learned="Partly.", close_note="Moved to the next cycle."
    )
    assert closed.status == "closed"
    assert closed.history.count() >= 2


def test_staff_check_in_on_their_own_actions_only(
    client_for: Callable[[str], Client], cycle: CycleOfInquiry, unit_staff: User, unit_head: User
) -> None:
    other = UserFactory.create(email="other.staff@district.test")
    from tests.factories import UnitMembershipFactory

    UnitMembershipFactory.create(unit=cycle.unit, user=other)
    mine = inquiry.action_save(
        action=PlanAction(cycle=cycle, title="Mine", owner=unit_staff, due_date=TODAY, benchmark="b")
    )
    theirs = inquiry.action_save(
        action=PlanAction(cycle=cycle, title="Theirs", owner=other, due_date=TODAY, benchmark="b")
    )
    client = client_for("unit_staff")
    response = client.post(
        reverse("inquiry:check_in", args=[mine.pk]),
        {"status": "in_progress", "note": "Started", "version": mine.version},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == "in_progress"
    assert mine.check_ins.count() == 1
    assert client.get(reverse("inquiry:check_in", args=[theirs.pk])).status_code == 403
    assert client.get(reverse("inquiry:cycle_edit", args=[cycle.pk])).status_code == 403


def urls(district: District, cycle: CycleOfInquiry) -> dict[str, str]:
    return {
        "unit_cycles": reverse("inquiry:unit_cycles", args=[district.unit.pk]),
        "cycle": reverse("inquiry:cycle_detail", args=[cycle.pk]),
        "edit": reverse("inquiry:cycle_edit", args=[cycle.pk]),
        "create": reverse("inquiry:cycle_create", args=[district.unit.pk]),
        "overview": reverse("inquiry:overview"),
        "you_said": reverse("inquiry:you_said"),
        "unit_pdf": reverse("inquiry:unit_pdf", args=[district.unit.pk]),
        "packet": reverse("inquiry:packet_pdf"),
    }


LADDER = {
    "unit_head": {"unit_cycles": 200, "cycle": 200, "edit": 200, "create": 200, "overview": 403, "you_said": 200,
                  "unit_pdf": 200, "packet": 403},
    "unit_staff": {"unit_cycles": 200, "cycle": 200, "edit": 403, "create": 403, "overview": 403, "you_said": 200,
                   "unit_pdf": 200, "packet": 403},
    "executive": {"unit_cycles": 200, "cycle": 200, "edit": 403, "create": 403, "overview": 200, "you_said": 200,
                  "unit_pdf": 200, "packet": 200},
    "principal": {"unit_cycles": 403, "cycle": 403, "edit": 403, "create": 403, "overview": 403, "you_said": 200,
                  "unit_pdf": 403, "packet": 403},
    "ild": {"unit_cycles": 403, "cycle": 403, "edit": 403, "create": 403, "overview": 403, "you_said": 200,
            "unit_pdf": 403, "packet": 403},
}  # fmt: skip


@pytest.mark.parametrize("persona", list(LADDER))
def test_permission_ladder(
    client_for: Callable[[str], Client], district: District, cycle: CycleOfInquiry, persona: str
) -> None:
    client = client_for(persona)
    for name, url in urls(district, cycle).items():
        assert client.get(url).status_code == LADDER[persona][name], f"{persona} → {name}"


def test_principals_see_only_closed_cycles_in_you_said_we_did(
    client_for: Callable[[str], Client], cycle: CycleOfInquiry, unit_head: User
) -> None:
    client = client_for("principal")
    assert "Faster answers" not in client.get(reverse("inquiry:you_said")).content.decode()
    inquiry.cycle_close(cycle=cycle, by=unit_head, decision="adopt", lessons_learned="Quick answers matter.")
    assert "Faster answers" in client.get(reverse("inquiry:you_said")).content.decode()


def test_a_menu_revision_cites_the_cycle(
    client_for: Callable[[str], Client], district: District, cycle: CycleOfInquiry, unit_head: User
) -> None:
    from service_menu import services as menu_services
    from tests.factories import MenuFactory, ServiceFactory

    published = MenuFactory.create(unit=district.unit, school_year=cycle.target_term.school_year)
    ServiceFactory.create(menu=published)
    draft = menu_services.menu_start_draft(unit=district.unit, school_year=published.school_year)
    response = client_for("unit_head").post(
        reverse("service_menu:menu_publish", args=[draft.pk]), {"change_note": "Faster answers", "cycle": cycle.pk}
    )
    assert response.status_code == 302
    body = client_for("unit_head").get(reverse("inquiry:cycle_detail", args=[cycle.pk])).content.decode()
    assert "version 2" in body


@pytest.mark.parametrize("rows", [3, 30])
def test_workspace_overview_and_you_said_queries_stay_flat(
    client_for: Callable[[str], Client],
    district: District,
    surveys: Surveys,
    unit_head: User,
    unit_staff: User,
    django_assert_num_queries: Any,
    rows: int,
) -> None:
    for i in range(rows):
        c = inquiry.cycle_save(
            cycle=CycleOfInquiry(
                unit=district.unit, title=f"Cycle {i}", problem_of_practice="p", metric_item=surveys.items[-1],
                baseline_term=surveys.closed_term, target_term=surveys.open_term, target_value=4,
                theory_if="a", theory_then="b", theory_because="c",
            ),
            by=unit_head,
        )  # fmt: skip
        inquiry.action_save(action=PlanAction(cycle=c, title="t", owner=unit_staff, due_date=TODAY, benchmark="b"))
        if i % 2:
            inquiry.cycle_close(cycle=c, by=unit_head, decision="adopt", lessons_learned="l", close_note="n")
    client = client_for("unit_head")
    with django_assert_num_queries(12):
        assert client.get(reverse("inquiry:unit_cycles", args=[district.unit.pk])).status_code == 200
    with django_assert_num_queries(13):
        assert client.get(reverse("inquiry:you_said")).status_code == 200
    client = client_for("executive")
    with django_assert_num_queries(12):  # no count of every cycle: the overview pages lazily
        assert client.get(reverse("inquiry:overview"), {"per_page": 50}).status_code == 200


def test_a_closed_cycle_keeps_its_record(
    client_for: Callable[[str], Client], cycle: CycleOfInquiry, unit_head: User, unit_staff: User
) -> None:
    inquiry.cycle_close(cycle=cycle, by=unit_head, decision="adopt", lessons_learned="Done.")
    cycle.target_value = 1
    with pytest.raises(ValidationError, match="closed"):
        inquiry.cycle_save(cycle=cycle, by=unit_head)
    with pytest.raises(ValidationError, match="closed"):
        inquiry.action_save(action=PlanAction(cycle=cycle, title="x", owner=unit_staff, due_date=TODAY, benchmark="b"))
    response = client_for("unit_head").get(reverse("inquiry:cycle_edit", args=[cycle.pk]))
    assert response.status_code == 302


def test_forged_query_values_do_not_crash_the_form(
    client_for: Callable[[str], Client], district: District, cycle: CycleOfInquiry
) -> None:
    url = reverse("inquiry:cycle_create", args=[district.unit.pk])
    assert client_for("unit_head").get(url, {"item": "abc", "term": "x"}).status_code == 200


def test_a_closed_cycle_has_no_overdue_actions(
    client_for: Callable[[str], Client], cycle: CycleOfInquiry, unit_head: User, unit_staff: User
) -> None:
    late = TODAY - datetime.timedelta(days=10)
    inquiry.action_save(action=PlanAction(cycle=cycle, title="Triage", owner=unit_staff, due_date=late, benchmark="b"))
    unit_page = reverse("inquiry:unit_cycles", args=[cycle.unit_id])
    assert "1 overdue" in client_for("unit_head").get(unit_page).content.decode()
    inquiry.cycle_close(cycle=cycle, by=unit_head, decision="adopt", lessons_learned="l", close_note="Carried over.")
    assert "overdue" not in client_for("unit_head").get(unit_page).content.decode()
    detail = client_for("unit_head").get(reverse("inquiry:cycle_detail", args=[cycle.pk])).content.decode()
    assert "overdue" not in detail


def test_the_cycle_form_offers_each_service_once(district: District, cycle: CycleOfInquiry) -> None:
    """Last year's menu and this year's both carry the service; the form lists it once, as it is now."""
    from cycles.inquiry.forms import CycleForm
    from district.models import SchoolYear
    from tests.factories import MenuFactory, SchoolYearFactory, ServiceFactory

    current_year = SchoolYear.objects.current()
    assert current_year is not None
    last_year = SchoolYearFactory.create(
        name="Last year",
        start_date=current_year.start_date.replace(year=current_year.start_date.year - 1),
        end_date=current_year.end_date.replace(year=current_year.end_date.year - 1),
        is_current=False,
    )
    earlier = ServiceFactory.create(
        menu=MenuFactory.create(unit=district.unit, school_year=last_year), title="Data coaching"
    )
    now = ServiceFactory.create(
        menu=MenuFactory.create(unit=district.unit, school_year=current_year), title="Data coaching", key=earlier.key
    )
    field = CycleForm(unit=district.unit).fields["service"]
    assert isinstance(field, forms.ModelChoiceField)
    assert field.queryset is not None
    assert list(field.queryset) == [now]


def test_you_said_we_did_reads_as_a_sentence(
    client_for: Callable[[str], Client], district: District, surveys: Surveys, cycle: CycleOfInquiry, unit_head: User
) -> None:
    inquiry.cycle_close(cycle=cycle, by=unit_head, decision="adopt", lessons_learned="Quick answers matter.")
    body = client_for("principal").get(reverse("inquiry:you_said")).content.decode()
    assert "Faster answers" in body
    assert "Adopt" in body
    assert re.search(r"\s\.\s*Adopt", body) is None
