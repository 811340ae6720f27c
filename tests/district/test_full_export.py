"""The district's full export: one ZIP of CSVs, nothing private, every export recorded."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from district.models import DistrictExport, School, User
from tests.api.fixtures import World
from tests.coaching.conftest import PRIVATE_MARKER
from tests.cycles.fixtures import MARKER as SURVEY_COMMENT_MARKER

pytestmark = pytest.mark.django_db


def download(client: Client) -> zipfile.ZipFile:
    response = client.post(reverse("admin:district_full_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response.streaming, "the file streams from disk instead of being built in memory"
    assert "attachment" in response["Content-Disposition"]
    # Reading the whole stream closes the response (and its temporary file) as a server would.
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return zipfile.ZipFile(io.BytesIO(data))


def rows(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode())))


def test_only_administrators_may_export(client: Client, client_for: Callable[[str], Client], world: World) -> None:
    url = reverse("admin:district_full_export")
    assert client.post(url).status_code == 302, "anonymous people are sent to sign in"
    for persona in ["executive", "unit_head", "principal"]:
        response = client_for(persona).post(url)
        assert response.status_code == 302, persona
        assert response["Location"].startswith(reverse("admin:login"))
    admin = client_for("admin_user")
    assert admin.get(url).status_code == 405
    assert admin.get(reverse("admin:district_districtexport_changelist")).status_code == 200
    assert not DistrictExport.objects.exists()


def test_the_export_holds_every_table_with_a_readme_and_nothing_private(
    client_for: Callable[[str], Client], world: World, admin_user: User
) -> None:
    School.objects.filter(pk=world.district.school.pk).update(name='=HYPERLINK("http://x.test")')
    archive = download(client_for("admin_user"))
    names = set(archive.namelist())
    for table in ["district_school.csv", "district_user.csv", "coaching_visit.csv", "coaching_nextstep.csv",
                  "service_menu_request.csv", "service_menu_requestevent.csv", "cycles_cycleofinquiry.csv",
                  "cycles_planaction.csv", "coaching_visit_focus_goals.csv", "coaching_historicalvisit.csv",
                  "satisfaction_results.csv", "README.txt"]:  # fmt: skip
        assert table in names, table
    for never in ["cycles_answer.csv", "cycles_submission.csv", "cycles_requestrating.csv"]:
        assert never not in names, never

    everything = b"".join(archive.read(name) for name in names).decode()
    assert PRIVATE_MARKER not in everything
    assert SURVEY_COMMENT_MARKER not in everything
    assert "private_note" not in everything
    assert "pbkdf2" not in everything, "no password hashes"
    assert "md5$" not in everything, "no password hashes"

    visits = rows(archive, "coaching_visit.csv")
    assert {int(v["id"]) for v in visits} == {world.coaching.visit.pk, world.coaching.other_visit.pk}
    assert "password" not in rows(archive, "district_user.csv")[0]
    school = next(r for r in rows(archive, "district_school.csv") if int(r["id"]) == world.district.school.pk)
    assert school["name"] == '\'=HYPERLINK("http://x.test")', "formulas are neutralised"

    readme = archive.read("README.txt").decode()
    assert "coaching_visit.csv" in readme
    assert "what_we_saw" in readme
    assert "Never included" in readme

    results = rows(archive, "satisfaction_results.csv")
    quality = [r for r in results if r["unit_id"] == str(world.district.unit.pk) and r["item"] == "quality"]
    assert quality[0]["responses"] == "6"

    record = DistrictExport.objects.get()
    assert record.requested_by == admin_user
    assert record.rows > 0
    assert record.size_bytes > 0
    listing = client_for("admin_user").get(reverse("admin:district_districtexport_changelist")).content.decode()
    assert admin_user.full_name in listing
