"""A lead partner's performance contract: every value read from the data, each year's target
beside it, shown on the cluster page and in the cabinet packet."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from clusters.contracts import contract_reports
from clusters.models import ContractMeasure, PerformanceContract
from service_menu import services
from tests.clusters.conftest import ClusterData, LeadPartners
from tests.clusters.test_cluster_page import _text
from tests.conftest import District, Menus

pytestmark = pytest.mark.django_db


def test_each_measure_is_read_from_the_data_for_every_year_of_the_contract(
    district: District,
    menus: Menus,
    lead_partners: LeadPartners,
    cluster_data: ClusterData,
    contract: PerformanceContract,
    principal: object,
    lp_head: object,
) -> None:
    asked = services.request_submit(
        school=district.school,
        service=lead_partners.service,
        term=menus.term,
        requested_by=principal,  # type: ignore[arg-type]
        rationale="Coaching for grade 3.",
        improvement_priority="Literacy",
    )
    services.request_transition(request=asked, action="accept", by=lp_head)  # type: ignore[arg-type]
    [report] = contract_reports([lead_partners.unit])
    by_kind = {m.measure.kind: m for m in report.measures}
    this_year, next_year = by_kind[ContractMeasure.Kind.SATISFACTION].years
    assert this_year.actual.value == 5.0
    assert this_year.actual.n == 6
    assert this_year.target == 4.5
    assert this_year.met is True
    assert next_year.actual.pending
    assert next_year.met is None
    assert next_year.baseline == this_year.actual  # a year's baseline is the year before, read
    goals = by_kind[ContractMeasure.Kind.GOALS_MET].years[0]
    assert goals.actual.value == 0.0
    assert goals.actual.n == 1
    assert goals.actual.pending
    response = by_kind[ContractMeasure.Kind.RESPONSE_DAYS].years[0]
    assert response.actual.value == 0.0
    assert response.actual.n == 1


def test_a_contract_below_the_threshold_shows_no_satisfaction(
    lead_partners: LeadPartners, cluster_data: ClusterData, contract: PerformanceContract, settings: object
) -> None:
    settings.SATISFACTION_MIN_RESPONSES = 7  # type: ignore[attr-defined]
    [report] = contract_reports([lead_partners.unit])
    reading = report.measures[0].years[0].actual
    assert reading.suppressed
    assert reading.value is None
    assert reading.n == 6


def test_only_a_lead_partner_holds_a_contract(district: District, menus: Menus, lead_partners: LeadPartners) -> None:
    wrong = PerformanceContract(unit=district.unit, start_year=menus.menu.school_year, end_year=menus.menu.school_year)
    with pytest.raises(ValidationError, match="lead-partner"):
        wrong.full_clean()


def test_the_contract_shows_on_the_cluster_page_and_in_the_cabinet_packet(
    client_for: Callable[[str], Client], lead_partners: LeadPartners, contract: PerformanceContract
) -> None:
    client = client_for("executive")
    page = client.get(reverse("clusters:cluster_detail", args=[lead_partners.cluster.pk])).content.decode()
    assert 'data-testid="contract"' in page
    assert "Principals&#x27; satisfaction with the lead partner" in page
    download = client.get(
        reverse("clusters:cluster_detail", args=[lead_partners.cluster.pk]), {"export": "csv", "table": "contract"}
    )
    csv = _text(download)
    assert "Northside Partners" in csv
    assert "4.50" in csv
    packet = client.get(reverse("inquiry:packet_pdf"))
    assert packet.status_code == 200
    assert packet.content.startswith(b"%PDF")


def test_the_cabinet_packet_carries_the_lead_partners_contract(
    district: District, lead_partners: LeadPartners, contract: PerformanceContract
) -> None:
    from django.template.loader import render_to_string

    from cycles.inquiry.selectors import cabinet_sections

    sections = {s.unit.pk: s for s in cabinet_sections([district.unit, lead_partners.unit])}
    assert sections[district.unit.pk].contracts == []
    [report] = sections[lead_partners.unit.pk].contracts
    assert report.contract == contract
    html = render_to_string(
        "cycles/inquiry/pdf/packet.html", {"sections": list(sections.values()), "title": "Packet", "toc": True}
    )
    assert "Performance contract" in html
    assert "Growth goals met by the cluster" in html


def test_an_administrator_edits_contracts_measures_and_targets_in_the_admin(
    client_for: Callable[[str], Client], contract: PerformanceContract
) -> None:
    client = client_for("admin_user")
    measure = contract.measures.first()
    assert measure is not None
    for url in (
        reverse("admin:clusters_performancecontract_changelist"),
        reverse("admin:clusters_performancecontract_change", args=[contract.pk]),
        reverse("admin:clusters_performancecontract_add"),
        reverse("admin:clusters_contractmeasure_change", args=[measure.pk]),
    ):
        assert client.get(url).status_code == 200, url
    assert client_for("executive").get(reverse("admin:clusters_performancecontract_changelist")).status_code == 302
