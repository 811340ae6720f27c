"""The cluster page: who may read it, what it shows (never a note, never a small cell), its
CSVs and PDF, and a query count that does not grow with the cluster."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from clusters.models import PerformanceContract
from cycles.satisfaction.aggregates import breakdown
from district.models import School
from tests.clusters.conftest import PRIVATE, REFLECTION, ClusterData, LeadPartners, add_schools
from tests.conftest import District, Menus
from tests.factories import CaseloadFactory, UserFactory, VisitFactory

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    """A response's body, streamed or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _url(lead_partners: LeadPartners, name: str = "clusters:cluster_detail") -> str:
    return reverse(name, args=[lead_partners.cluster.pk])


def test_the_cluster_page_walks_the_permission_ladder(
    client: Client,
    client_for: Callable[[str], Client],
    cluster_data: ClusterData,
    lead_partners: LeadPartners,
) -> None:
    url = _url(lead_partners)
    response = client.get(url)
    assert response.status_code == 302
    assert "login" in response["Location"]
    for persona in ("principal", "other_principal", "other_ild", "unit_head", "unit_staff", "other_lp_head"):
        assert client_for(persona).get(url).status_code == 404, persona
    for persona in ("ild", "lp_head", "lp_staff", "executive", "admin_user"):
        assert client_for(persona).get(url).status_code == 200, persona
    assert client_for("other_lp_head").get(_url(lead_partners).replace(
        str(lead_partners.cluster.pk), str(lead_partners.other_cluster.pk))).status_code == 200  # fmt: skip


def test_the_pdf_and_csvs_follow_the_same_ladder(
    client: Client, client_for: Callable[[str], Client], cluster_data: ClusterData, lead_partners: LeadPartners
) -> None:
    pdf = _url(lead_partners, "clusters:cluster_pdf")
    assert client.get(pdf).status_code == 302
    assert client_for("other_lp_head").get(pdf).status_code == 404
    assert (
        client_for("other_lp_head").get(_url(lead_partners), {"export": "csv", "table": "schools"}).status_code == 404
    )
    response = client_for("lp_head").get(pdf)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_page_draws_the_feeder_tree_and_each_schools_coaching_without_notes(
    client_for: Callable[[str], Client], district: District, cluster_data: ClusterData, lead_partners: LeadPartners
) -> None:
    page = client_for("lp_head").get(_url(lead_partners)).content.decode()
    tree = page[
        page.index('data-testid="feeder-tree"') : page.index("</section>", page.index('data-testid="feeder-tree"'))
    ]
    # High school at the root, the middle school below it, the elementary school below that.
    assert tree.index("Northside High") < tree.index("Northside Middle") < tree.index(district.school.name)
    assert tree.count("<ul>") >= 2
    assert "Langston Hughes" not in page  # another cluster's school
    assert PRIVATE not in page
    assert REFLECTION not in page
    assert "Students explained" not in page  # what the ILD saw stays on the visit
    row = page[page.index(district.school.name, page.index('data-testid="cluster-schools"')) :]
    row = row[: row.index("</tr>")]
    assert "<span>2</span>" in row  # two visits done
    assert "50%" in row  # one of them joint
    assert "1 of 1" in row  # the goal is on track: observed above its baseline


def test_the_page_hides_small_and_complementary_satisfaction_cells(
    client_for: Callable[[str], Client], district: District, cluster_data: ClusterData, lead_partners: LeadPartners
) -> None:
    page = client_for("executive").get(_url(lead_partners)).content.decode()
    table = page[page.index('data-testid="cluster-satisfaction"') :]
    table = table[: table.index("</table>")]
    central = table[table.index(district.unit.name) :]
    central = central[: central.index("</tr>")]
    # Six Northside answers, but two from Riverside: Riverside is hidden, so Northside must be too.
    assert "<strong>" not in central
    assert "hidden" in central
    partner = table[table.index("Northside Partners") :]
    partner = partner[: partner.index("</tr>")]
    assert "<strong>5.00</strong>" in partner
    # The same cells are hidden as on the unit's own breakdown by cluster.
    overall = cluster_data.items[-1]
    unit_page = breakdown(
        unit_id=district.unit.pk, item_id=overall.pk, term_id=cluster_data.survey.term_id, by="cluster"
    )
    assert {c.label for c in unit_page.cells if c.suppressed} == {"Northside", "Riverside"}
    download = client_for("executive").get(_url(lead_partners), {"export": "csv", "table": "satisfaction"})
    rows = list(csv.reader(io.StringIO(_text(download))))
    central_row = next(r for r in rows if r[0] == district.unit.name)
    assert "4.00" not in central_row
    assert "hidden (too few answers)" in central_row


@pytest.mark.parametrize("table", ["schools", "services", "response_times", "satisfaction", "contract"])
def test_every_table_downloads_as_csv(
    client_for: Callable[[str], Client], cluster_data: ClusterData, lead_partners: LeadPartners, table: str
) -> None:
    response = client_for("ild").get(_url(lead_partners), {"export": "csv", "table": table})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = _text(response)
    assert PRIVATE not in text
    assert REFLECTION not in text
    assert len(list(csv.reader(io.StringIO(text)))) >= 1


def test_services_are_counted_by_unit_and_tier(
    client_for: Callable[[str], Client], district: District, menus: Menus, lead_partners: LeadPartners
) -> None:
    download = client_for("executive").get(_url(lead_partners), {"export": "csv", "table": "services"})
    rows = list(csv.reader(io.StringIO(_text(download))))
    assert rows[1][0] == district.unit.name
    assert rows[1][1:3] == ["1", "0"]  # the principal's lab classrooms: asked, not yet delivered


@pytest.mark.parametrize("extra", [3, 30])
def test_the_cluster_page_costs_the_same_queries_for_3_and_30_schools(
    client_for: Callable[[str], Client],
    district: District,
    cluster_data: ClusterData,
    lead_partners: LeadPartners,
    contract: PerformanceContract,
    django_assert_num_queries: Any,
    extra: int,
) -> None:
    for school in add_schools(lead_partners.cluster, extra, feeds_into=cluster_data.middle):
        CaseloadFactory.create(school=school, ild=UserFactory.create())
        VisitFactory.create(school=school)
    client = client_for("lp_head")
    with django_assert_num_queries(QUERIES):
        response = client.get(_url(lead_partners))
    assert response.status_code == 200
    assert School.objects.filter(cluster=lead_partners.cluster).count() == 6 + extra


# The page takes 22; the contract, each measure read for its years and the baseline year
# before all at once, 9 more.
QUERIES = 31
