"""A lead partner's head and staff see their own cluster's schools and 360° pages, never
another cluster's, never a private note or an individual answer; and the cluster page is
linked from where people look for it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tests.clusters.conftest import PRIVATE, ClusterData, LeadPartners
from tests.conftest import District

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["lp_head", "lp_staff"])
def test_a_lead_partner_reads_its_clusters_schools_and_nothing_else(
    client: Client,
    client_for: Callable[[str], Client],
    district: District,
    cluster_data: ClusterData,
    lead_partners: LeadPartners,
    persona: str,
) -> None:
    own = district.school.code
    other = district.other_school.code
    pages = [
        ("district:school_detail", own, 200),
        ("district:school_detail", other, 404),
        ("service_menu:school_360", own, 200),
        ("service_menu:school_360", other, 404),
    ]
    for name, code, _ in pages:
        assert client.get(reverse(name, args=[code])).status_code == 302  # anonymous: to the sign-in page
    signed_in = client_for(persona)
    for name, code, expected in pages:
        response = signed_in.get(reverse(name, args=[code]))
        assert response.status_code == expected, (name, code)
        assert PRIVATE not in response.content.decode()
    listing = signed_in.get(reverse("district:school_list"), {"per_page": 100})
    assert listing.status_code == 200
    names = listing.content.decode()
    assert district.school.name in names
    assert "Northside High" in names
    assert district.other_school.name not in names


def test_another_clusters_lead_partner_and_a_central_unit_do_not_see_the_school(
    client_for: Callable[[str], Client], district: District, cluster_data: ClusterData
) -> None:
    for persona in ("other_lp_head", "unit_head", "unit_staff"):
        client = client_for(persona)
        assert client.get(reverse("district:school_detail", args=[district.school.code])).status_code == 404
        assert client.get(reverse("service_menu:school_360", args=[district.school.code])).status_code == 404
    assert client_for("unit_head").get(reverse("district:school_list")).status_code == 403


def test_a_lead_partner_never_reads_individual_answers_or_private_notes(
    client_for: Callable[[str], Client], district: District, cluster_data: ClusterData
) -> None:
    client = client_for("lp_head")
    for page in (
        reverse("coaching:visit_detail", args=[cluster_data.visit.pk]),
        reverse("coaching:growth", args=[district.school.code]),
    ):
        response = client.get(page)
        assert response.status_code == 200, page
        assert PRIVATE.encode() not in response.content
    answers = client.get(reverse("cycles:my_answers"))
    assert answers.status_code in {403, 404}


def test_the_cluster_page_is_linked_from_home_school_and_unit_pages(
    client_for: Callable[[str], Client], district: District, cluster_data: ClusterData, lead_partners: LeadPartners
) -> None:
    cluster_url = reverse("clusters:cluster_detail", args=[lead_partners.cluster.pk])
    assert cluster_url in client_for("executive").get(reverse("home")).content.decode()
    client = client_for("lp_head")
    school = client.get(reverse("district:school_detail", args=[district.school.code])).content.decode()
    assert cluster_url in school
    assert "Northside Middle" in school  # where its students go on to
    unit = client.get(reverse("district:unit_detail", args=[lead_partners.unit.pk])).content.decode()
    assert cluster_url in unit
    other = client_for("other_lp_head").get(reverse("district:unit_detail", args=[lead_partners.unit.pk]))
    assert cluster_url not in other.content.decode()


@pytest.mark.parametrize("persona", ["lp_head", "lp_staff"])
def test_a_lead_partner_reads_its_clusters_growth_pages_goals_and_visits_but_never_a_note(
    client_for: Callable[[str], Client], district: District, cluster_data: ClusterData, persona: str
) -> None:
    client = client_for(persona)
    growth = client.get(reverse("coaching:growth", args=[district.school.code]))
    assert growth.status_code == 200
    assert cluster_data.goal.statement in growth.content.decode()
    assert PRIVATE not in growth.content.decode()
    assert client.get(reverse("coaching:growth", args=[district.other_school.code])).status_code == 404
    assert client.get(reverse("coaching:goal_detail", args=[cluster_data.goal.pk])).status_code == 200
    visit = client.get(reverse("coaching:visit_detail", args=[cluster_data.visit.pk]))
    assert visit.status_code == 200
    assert PRIVATE not in visit.content.decode()
    assert client.post(reverse("coaching:visit_edit", args=[cluster_data.visit.pk]), {}).status_code in {403, 404}


def test_another_clusters_lead_partner_reads_none_of_its_coaching(
    client_for: Callable[[str], Client], district: District, cluster_data: ClusterData
) -> None:
    client = client_for("other_lp_head")
    assert client.get(reverse("coaching:growth", args=[district.school.code])).status_code == 404
    assert client.get(reverse("coaching:goal_detail", args=[cluster_data.goal.pk])).status_code == 404
    assert client.get(reverse("coaching:visit_detail", args=[cluster_data.visit.pk])).status_code == 404
