"""District-wide coaching pages cost the same at a term's history as at five years'."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from coaching.models import Visit
from district.models import User
from tests.coaching.conftest import Coaching
from tests.conftest import District
from tests.factories import VisitFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.mark.parametrize("visits", [5, 60])
def test_the_district_visits_list_reads_one_page_without_counting_the_history(
    client_for: Callable[[str], Client],
    district: District,
    coaching: Coaching,
    ild: User,
    django_assert_num_queries: Any,
    visits: int,
) -> None:
    Visit.objects.bulk_create(
        Visit(school=district.school, ild=ild, date=TODAY - datetime.timedelta(days=i // 3), status=Visit.Status.DONE)
        for i in range(visits)
    )
    client = client_for("executive")
    with django_assert_num_queries(9) as captured:
        response = client.get(reverse("coaching:visit_list"), {"per_page": 25})
    assert response.status_code == 200
    assert not any("COUNT(" in q["sql"] for q in captured.captured_queries), "no page counts every visit"
    body = response.content.decode()
    assert "Page 1" in body
    (listing,) = [
        q["sql"] for q in captured.captured_queries if 'FROM "coaching_visit"' in q["sql"] and "LIMIT" in q["sql"]
    ]
    assert 'ORDER BY "coaching_visit"."date" DESC, "coaching_visit"."id" DESC' in listing, (
        "a stable order pages can trust"
    )


def test_pages_of_visits_on_the_same_day_never_overlap(
    client_for: Callable[[str], Client], district: District, ild: User
) -> None:
    made = Visit.objects.bulk_create(
        Visit(school=district.school, ild=ild, date=TODAY, status=Visit.Status.DONE) for _ in range(30)
    )
    client = client_for("executive")
    seen = []
    for page in (1, 2):
        body = client.get(reverse("coaching:visit_list"), {"per_page": 20, "page": page}).content.decode()
        seen += [v.pk for v in made if reverse("coaching:visit_detail", args=[v.pk]) + '"' in body]
    assert sorted(seen) == sorted(v.pk for v in made)


def test_the_coaches_view_counts_this_school_years_visits_not_the_whole_history(
    client_for: Callable[[str], Client], district: District, coaching: Coaching, other_ild: User
) -> None:
    Visit.objects.filter(ild=other_ild).update(principal_present=False)
    for years_ago in (2, 3, 4):
        VisitFactory.create(
            school=district.other_school,
            ild=other_ild,
            date=TODAY - datetime.timedelta(days=365 * years_ago),
            principal_present=True,
        )
    body = client_for("executive").get(reverse("coaching:coaches")).content.decode()
    assert "Joint (this year)" in body
    row = body.split("Omar Ibrahim", 1)[1].split("</tr>", 1)[0]
    assert "0%" in row, "visits of past years do not move this year's joint share"
