"""A lead partner's menu serves its own cluster: others see it greyed with why, and cannot ask."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from district.models import User
from service_menu import services
from service_menu.models import Request
from tests.clusters.conftest import LeadPartners
from tests.conftest import District, Menus

pytestmark = pytest.mark.django_db


def _submit(district: District, lead_partners: LeadPartners, by: User, *, school: object, service: object) -> Request:
    return services.request_submit(
        school=school,  # type: ignore[arg-type]
        service=service,  # type: ignore[arg-type]
        term=Request.objects.first().term,  # type: ignore[union-attr]
        requested_by=by,
        rationale="Our teachers want it.",
        improvement_priority="Early literacy",
    )


def test_a_school_outside_the_cluster_is_refused_with_the_reason(
    district: District, menus: Menus, lead_partners: LeadPartners, other_principal: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        _submit(district, lead_partners, other_principal, school=district.other_school, service=lead_partners.service)
    message = " ".join(refused.value.message_dict["service"])
    assert "Northside Partners is the lead partner of the Northside cluster" in message
    assert "Langston Hughes Middle is in the Riverside cluster" in message
    assert not Request.objects.filter(service=lead_partners.service).exists()


def test_a_school_inside_the_cluster_asks_its_lead_partner(
    district: District, menus: Menus, lead_partners: LeadPartners, principal: User
) -> None:
    made = _submit(district, lead_partners, principal, school=district.school, service=lead_partners.service)
    assert made.status == Request.Status.SUBMITTED
    assert not made.outside_cluster


def test_the_request_page_refuses_an_outside_school_with_a_clear_message(
    client_for: Callable[[str], Client], district: District, menus: Menus, lead_partners: LeadPartners
) -> None:
    url = reverse("service_menu:request_create", args=[lead_partners.service.pk])
    client = client_for("other_principal")
    for response in (
        client.get(url),
        client.post(url, {"school": district.other_school.pk, "term": menus.term.pk, "rationale": "x"}),
    ):
        assert response.status_code == 403
        page = response.content.decode()
        assert "is not offered to your school" in page
        assert "Northside Partners is the lead partner of the Northside cluster" in page
    assert not Request.objects.filter(service=lead_partners.service).exists()
    assert client_for("principal").get(url).status_code == 200


def test_the_catalog_greys_another_clusters_lead_partner_and_says_why(
    client_for: Callable[[str], Client], district: District, menus: Menus, lead_partners: LeadPartners
) -> None:
    page = client_for("other_principal").get(reverse("service_menu:catalog"), {"per_page": 50}).content.decode()
    assert "row-unavailable" in page
    assert "Not offered to your school: only the Northside cluster" in page
    assert "For the Riverside cluster" in page
    own = client_for("principal").get(reverse("service_menu:catalog"), {"per_page": 50}).content.decode()
    assert "Not offered to your school: only the Northside cluster" not in own
    detail = client_for("other_principal").get(reverse("service_menu:service_detail", args=[lead_partners.service.pk]))
    assert 'data-testid="not-offered"' in detail.content.decode()
    assert reverse("service_menu:request_create", args=[lead_partners.service.pk]) not in detail.content.decode()


def test_an_existing_outside_request_stays_readable_and_flagged_but_cannot_be_taken_on(
    client_for: Callable[[str], Client],
    district: District,
    menus: Menus,
    lead_partners: LeadPartners,
    other_principal: User,
    lp_head: User,
) -> None:
    # Made before menus kept to their cluster: written directly, as the old code allowed.
    old = Request.objects.create(
        school=district.other_school,
        service=lead_partners.service,
        term=menus.term,
        requested_by=other_principal,
        rationale="Asked last spring.",
        improvement_priority="Literacy",
    )
    assert old.outside_cluster
    for persona in ("other_principal", "lp_head", "executive"):
        response = client_for(persona).get(reverse("service_menu:request_detail", args=[old.pk]))
        assert response.status_code == 200
        assert 'data-testid="outside-cluster"' in response.content.decode()
    assert "accept" not in services.legal_actions(old)
    assert "decline" in services.legal_actions(old)
    with pytest.raises(ValidationError, match="lead partner of the Northside cluster"):
        services.request_transition(request=old, action="accept", by=lp_head)
    listing = client_for("lp_head").get(reverse("service_menu:workspace")).content.decode()
    assert "outside the cluster" in listing


def test_no_but_alternatives_leave_out_other_clusters_lead_partners(
    district: District, menus: Menus, lead_partners: LeadPartners
) -> None:
    from service_menu.selectors import alternative_services

    offered = set(alternative_services(request=menus.request).values_list("title", flat=True))
    assert "Northside literacy coaching" in offered
    assert "Riverside math coaching" not in offered


def test_a_freed_place_never_goes_to_a_waitlisted_request_from_outside_the_cluster(
    district: District, menus: Menus, lead_partners: LeadPartners, principal: User, other_principal: User
) -> None:
    from service_menu.models import Service

    Service.objects.filter(pk=lead_partners.service.pk).update(capacity_per_term=1)
    lead_partners.service.refresh_from_db()
    holder = _submit(district, lead_partners, principal, school=district.school, service=lead_partners.service)
    Request.objects.filter(pk=holder.pk).update(status=Request.Status.ACCEPTED)
    outsider = Request.objects.create(
        school=district.other_school,
        service=lead_partners.service,
        term=holder.term,
        requested_by=other_principal,
        rationale="Asked last spring.",
        improvement_priority="Literacy",
        status=Request.Status.WAITLISTED,
    )
    services.request_transition(request=holder, action="cancel", by=principal)
    outsider.refresh_from_db()
    assert outsider.status == Request.Status.WAITLISTED
