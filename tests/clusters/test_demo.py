"""The demo tells the clusters' story: feeder patterns, a lead partner that serves only its
cluster, and its performance contract on the cluster page."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F
from django.test import Client
from django.urls import reverse

from clusters.contracts import contract_reports
from district.models import School, Unit, User
from service_menu.models import Request

pytestmark = pytest.mark.django_db


def test_the_demo_links_feeders_keeps_the_lead_partner_to_its_cluster_and_gives_it_a_contract(
    client: Client,
) -> None:
    call_command("seed_demo", stdout=StringIO())
    partner = Unit.objects.get(kind=Unit.Kind.LEAD_PARTNER)
    elementary = School.objects.filter(level=School.Level.ELEMENTARY)
    assert not elementary.filter(feeds_into__isnull=True).exists()
    assert not School.objects.exclude(feeds_into=None).exclude(feeds_into__cluster=F("cluster")).exists()
    assert not Request.objects.filter(service__menu__unit=partner).exclude(school__cluster=partner.cluster).exists()
    [report] = contract_reports([partner])
    assert len(report.measures) == 4
    assert any(year.actual.value is not None for m in report.measures for year in m.years)
    assert partner.head is not None
    client.force_login(User.objects.get(pk=partner.head.pk))
    page = client.get(reverse("clusters:cluster_detail", args=[partner.cluster_id]))
    assert page.status_code == 200
    assert "performance contract" in page.content.decode()
