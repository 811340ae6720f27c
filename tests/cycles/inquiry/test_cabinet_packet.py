"""The cabinet packet opens with the district; each unit's report starts on its first page;
the heat map is shaded around the district average and can show an earlier term."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from cycles.satisfaction.selectors import heat_band, heat_map
from tests.conftest import District
from tests.cycles.fixtures import Surveys, answer
from tests.factories import SchoolFactory, UnitFactory

pytestmark = pytest.mark.django_db


def pdf_pages(content: bytes) -> list[str]:
    """The PDF's text page by page, as a reader would see it (poppler's pdftotext)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run([tool, "-layout", "-", "-"], input=content, capture_output=True, check=True).stdout  # noqa: S603
    return text.decode().split("\f")


def test_the_heat_map_colour_bands_diverge_around_the_average() -> None:
    assert [heat_band(d) for d in (-0.6, -0.3, -0.15, 0.05, -0.05, 0.15, 0.3, 0.6, None)] == [
        "n3", "n2", "n1", "0", "0", "p1", "p2", "p3", "",
    ]  # fmt: skip


def test_the_heat_map_shades_each_cell_against_the_district_average(
    client_for: Callable[[str], Client], district: District, surveys: Surveys
) -> None:
    weaker = UnitFactory.create(name="Weaker unit")
    for _ in range(6):
        answer(surveys.closed, weaker, SchoolFactory.create(), surveys.items, 2)
    heat = heat_map()
    rows = {row.unit.name: cells for row, cells in heat.shaded_rows}
    assert all(c.band.startswith("n") for c in rows["Weaker unit"])
    assert all(c.band.startswith("p") for c in rows[district.unit.name])
    assert heat.terms == [surveys.closed_term]

    page = client_for("executive").get(reverse("cycles:heat_map"), {"term": surveys.closed_term.pk}).content.decode()
    assert 'data-testid="heat-legend"' in page
    assert "District average" in page
    assert "heat-n3" in page
    assert "+0.0" not in page
    assert client_for("executive").get(reverse("cycles:heat_map"), {"term": "9" * 20}).status_code == 200


def test_the_packet_opens_with_the_district_then_one_section_per_unit(
    client_for: Callable[[str], Client], district: District, surveys: Surveys
) -> None:
    response = client_for("executive").get(reverse("inquiry:packet_pdf"))
    assert response.status_code == 200
    pages = pdf_pages(response.content)
    first = pages[0]
    assert "The district, Past" in first
    assert "Satisfaction by unit and item" in first
    text = " ".join(pages)
    for heading in ("Response times, unit by unit", "Coaching principals, by ILD", "Units in this packet"):
        assert heading in text
    unit_page = next(p for p in pages if "The numbers behind the charts" in p or "Grade, Past" in p)
    assert district.unit.name in unit_page
    assert "of principals answered 4 or 5" in text, "the grade is explained"
    assert "n=6" in text, "the mean's n is printed"


def test_a_units_report_to_cabinet_starts_on_its_first_page(
    client_for: Callable[[str], Client], district: District, surveys: Surveys
) -> None:
    response = client_for("unit_head").get(reverse("inquiry:unit_pdf", args=[district.unit.pk]))
    assert response.status_code == 200
    first = pdf_pages(response.content)[0]
    assert "report to cabinet" in first
    assert "Grade, Past" in first
    assert "for each unit" not in first
