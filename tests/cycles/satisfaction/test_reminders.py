"""Survey reminders: each principal who has not answered hears about the survey once a day."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from cycles.satisfaction import services
from notices.models import Notice
from tests.conftest import District
from tests.cycles.fixtures import TODAY, Surveys, answer

pytestmark = pytest.mark.django_db


def test_survey_reminders_go_once_a_day_and_only_to_principals_who_have_not_answered(
    district: District, surveys: Surveys, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    first, second = StringIO(), StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_survey_reminders", stdout=first)
        call_command("send_survey_reminders", stdout=second)
    assert "Reminded 6 principal(s)" in first.getvalue()  # every principal in the fixtures
    assert "Reminded 0 principal(s)" in second.getvalue()
    assert len(mail.outbox) == 6
    paula = next(m for m in mail.outbox if m.to == ["principal@district.test"])
    assert paula.subject.startswith("Now survey: closes ")
    assert paula.body.startswith("Hello Paula Chen,")
    assert f"Now survey closes on {surveys.open.closes_on:%A, %B} " in paula.body
    assert reverse("cycles:survey") in paula.body
    recorded = Notice.objects.filter(kind="survey_reminder", subject_key=f"cycles.survey:{surveys.open.pk}")
    assert set(recorded.values_list("status", "window")) == {("sent", TODAY.isoformat())}
    assert recorded.count() == 6

    mail.outbox.clear()
    answer(surveys.open, district.unit, district.school, surveys.items, 4)
    tomorrow = TODAY + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_survey_reminders(survey=surveys.open, today=tomorrow) == 5
    assert "principal@district.test" not in {m.to[0] for m in mail.outbox}, "done with every unit: no reminder"


def test_with_no_survey_open_no_reminder_goes(district: District, surveys: Surveys) -> None:
    surveys.open.delete()
    out = StringIO()
    call_command("send_survey_reminders", stdout=out)
    assert "No survey is open." in out.getvalue()
    assert mail.outbox == []
