"""Roster import: all or nothing, every bad row named, idempotent, in bulk."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from district.models import Caseload, Cluster, School, Unit, UnitMembership, User
from district.roster import RosterImportFailed, import_roster
from tests.factories import ClusterFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

SCHOOLS_HEADER = "code,name,level,cluster,principal_email,principal_name\n"


@pytest.fixture
def clusters() -> list[Cluster]:
    return [ClusterFactory.create(name="Northside"), ClusterFactory.create(name="Riverside")]


def failed(data: bytes) -> list[tuple[int, str, str]]:
    with pytest.raises(RosterImportFailed) as raised:
        import_roster(data=data)
    return [(e.line, e.column, e.message) for e in raised.value.result.errors]


def test_schools_file_creates_schools_and_principals_and_is_idempotent(clusters: list[Cluster]) -> None:
    data = (
        SCHOOLS_HEADER + "N001,Douglass Elementary,Elementary,Northside,ann.lee@district.test,Ann Lee\n"
        "R002,Chavez Middle,middle,riverside,bo.diaz@district.test,Bo Diaz\n"
        "R003,Hopper K-8,K-8,Riverside,,\n"
    ).encode()
    result = import_roster(data=data)
    assert (result.kind, result.created, result.updated) == ("schools", 3, 0)
    school = School.objects.select_related("principal").get(code="N001")
    assert school.principal is not None
    assert school.principal.full_name == "Ann Lee"
    assert School.objects.get(code="R003").level == School.Level.K8
    assert School.objects.get(code="R003").principal is None
    assert school.history.count() == 1

    again = import_roster(data=data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert School.objects.count() == 3
    assert User.objects.count() == 2
    assert school.history.count() == 1


def test_changed_row_updates_the_school_and_keeps_history(clusters: list[Cluster]) -> None:
    import_roster(data=(SCHOOLS_HEADER + "N001,Douglass Elementary,elementary,Northside,a@district.test,A\n").encode())
    result = import_roster(data=(SCHOOLS_HEADER + "N001,Douglass Academy,k8,Northside,b@district.test,B\n").encode())
    assert result.updated == 1
    school = School.objects.get(code="N001")
    assert school.name == "Douglass Academy"
    assert school.principal is not None
    assert school.principal.email == "b@district.test"
    assert school.history.count() == 2


def test_every_bad_row_is_reported_and_nothing_is_written(clusters: list[Cluster]) -> None:
    data = (
        SCHOOLS_HEADER + "N001,Good School,elementary,Northside,good@district.test,Good\n"
        "N002,Bad Level,college,Northside,,\n"
        "N003,Lost,middle,Atlantis,,\n"
        "N001,Copy,middle,Northside,,\n"
        "N005,Bad Email,middle,Northside,not-an-email,X\n"
        "N006,Twice,middle,Northside,good@district.test,Good\n"
        ",No Code,middle,Northside,,\n"
    ).encode()
    errors = failed(data)
    assert (3, "level", "“college” is not a school level (Elementary, Middle, High, K-8, K-12)") in errors
    assert (4, "cluster", "unknown cluster “Atlantis”") in errors
    assert (5, "code", "duplicate code “N001” (also on line 2)") in errors
    assert (6, "principal_email", "“not-an-email” is not a valid email address") in errors
    assert (7, "principal_email", "good@district.test would lead two schools (also on line 2)") in errors
    assert (8, "code", "is empty") in errors
    assert School.objects.count() == 0
    assert User.objects.count() == 0


def test_missing_column_is_named(clusters: list[Cluster]) -> None:
    errors = failed(b"code,name,level,principal_email,principal_name\nN001,X,middle,,\n")
    assert errors == [(1, "cluster", "missing column")]


def test_a_repeated_header_column_is_refused(clusters: list[Cluster]) -> None:
    data = b"code,name,level,cluster,principal_email,principal_name,name\nN001,One,elementary,Northside,,,Two\n"
    assert failed(data) == [(1, "name", "the column appears more than once in the header row")]
    assert School.objects.count() == 0


def test_unknown_header_explains_the_expected_files() -> None:
    errors = failed(b"foo,bar\n1,2\n")
    assert errors[0][0] == 1
    assert "expected the columns" in errors[0][2]


def test_empty_and_header_only_and_non_utf8_files_are_refused(clusters: list[Cluster]) -> None:
    assert failed(b"") == [(0, "", "the file is empty")]
    assert failed(SCHOOLS_HEADER.encode()) == [(0, "", "the file has a header row but no data rows")]
    latin1 = (SCHOOLS_HEADER + "N001,École Élan,elementary,Northside,,\n").encode("latin-1")
    errors = failed(latin1)
    assert len(errors) == 1
    assert "not UTF-8" in errors[0][2]


def test_a_principal_who_already_leads_another_school_is_a_conflict(clusters: list[Cluster]) -> None:
    SchoolFactory.create(code="OLD1", name="Old School", principal=UserFactory.create(email="busy@district.test"))
    errors = failed((SCHOOLS_HEADER + "N001,New,middle,Northside,busy@district.test,Busy\n").encode())
    assert errors == [
        (2, "principal_email", "busy@district.test already leads Old School (OLD1); change that school first")
    ]


def test_caseloads_file_assigns_ilds_and_hands_over_a_school(clusters: list[Cluster]) -> None:
    SchoolFactory.create(code="N001")
    SchoolFactory.create(code="N002")
    header = "school_code,ild_email,ild_name,start_date,end_date\n"
    import_roster(
        data=(
            header + "N001,ild.a@district.test,Ida A,2024-08-01,\nN002,ild.a@district.test,Ida A,2024-08-01,\n"
        ).encode()
    )
    assert Caseload.objects.filter(end_date__isnull=True).count() == 2

    result = import_roster(data=(header + "N001,ild.b@district.test,Ivan B,2026-08-01,\n").encode())
    assert (result.created, result.updated) == (1, 1)
    history = list(Caseload.objects.filter(school__code="N001").order_by("start_date").select_related("ild"))
    assert [c.ild.email for c in history] == ["ild.a@district.test", "ild.b@district.test"]
    assert str(history[0].end_date) == "2026-07-31"
    assert history[1].end_date is None
    again = import_roster(data=(header + "N001,ild.b@district.test,Ivan B,2026-08-01,\n").encode())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_caseload_bad_rows(clusters: list[Cluster]) -> None:
    SchoolFactory.create(code="N001")
    header = "school_code,ild_email,ild_name,start_date,end_date\n"
    errors = failed(
        (
            header + "ZZZ9,ild@district.test,I,2026-08-01,\n"
            "N001,ild@district.test,I,08/01/2026,\n"
            "N001,ild@district.test,I,2026-08-01,2026-01-01\n"
            "N001,ild@district.test,I,2026-08-01,\n"
            "N001,other@district.test,O,2026-09-01,\n"
        ).encode()
    )
    assert (2, "school_code", "unknown school “ZZZ9”") in errors
    assert (3, "start_date", "“08/01/2026” is not a date; write it as YYYY-MM-DD") in errors
    assert (4, "end_date", "ends before it starts") in errors
    assert (6, "school_code", "N001 would have two ILDs at once (also on line 5)") in errors
    assert Caseload.objects.count() == 0


def test_units_file_creates_units_heads_and_staff(clusters: list[Cluster]) -> None:
    data = (
        b"unit,kind,cluster,description,contact_email,person_email,person_name,role,title\n"
        b"Human Resources,central,,Hiring,hr@district.test,hr.head@district.test,Hal Head,head,\n"
        b"Human Resources,central,,Hiring,hr@district.test,hr.one@district.test,Una One,staff,Recruiter\n"
        b"Northside Partner,lead_partner,Northside,Partner,np@district.test,np.head@district.test,Nia,head,\n"
    )
    result = import_roster(data=data)
    assert result.kind == "units"
    hr = Unit.objects.select_related("head").get(name="Human Resources")
    assert hr.head is not None
    assert hr.head.email == "hr.head@district.test"
    assert UnitMembership.objects.get(user__email="hr.one@district.test").title == "Recruiter"
    assert Unit.objects.get(name="Northside Partner").cluster == clusters[0]
    again = import_roster(data=data)
    assert (again.created, again.updated) == (0, 0)


def test_units_file_reports_conflicting_roles_and_unknown_clusters(clusters: list[Cluster]) -> None:
    errors = failed(
        b"unit,kind,cluster,description,contact_email,person_email,person_name,role\n"
        b"HR,central,,Hiring,hr@district.test,pat@district.test,Pat,head\n"
        b"Facilities,central,,Buildings,fac@district.test,pat@district.test,Pat,staff\n"
        b"Partner,lead_partner,Atlantis,P,p@district.test,,,\n"
        b"Ops,central,,O,o@district.test,x@district.test,X,boss\n"
    )
    assert any(line == 3 and "conflicting roles" in message for line, _, message in errors)
    assert (4, "cluster", "unknown cluster “Atlantis”") in errors
    assert (5, "role", "“boss” is not head or staff") in errors
    assert Unit.objects.count() == 0


def test_ten_thousand_rows_with_one_bad_row_write_nothing(clusters: list[Cluster]) -> None:
    lines = [SCHOOLS_HEADER]
    for i in range(10_000):
        lines.append(f"S{i:05d},School {i},elementary,Northside,p{i}@district.test,Principal {i}\n")
    lines[5000] = "S04999,Bad,elementary,Nowhere,x@district.test,X\n"
    errors = failed("".join(lines).encode())
    assert errors == [(5001, "cluster", "unknown cluster “Nowhere”")]
    assert School.objects.count() == 0
    assert User.objects.count() == 0


def schools_file(count: int, start: int = 0) -> bytes:
    numbers = range(start, start + count)
    rows = (f"S{i:05d},School {i},elementary,Northside,p{i}@district.test,Principal {i}\n" for i in numbers)
    return (SCHOOLS_HEADER + "".join(rows)).encode()


def test_import_cost_does_not_grow_with_the_file(clusters: list[Cluster]) -> None:
    """Rows are checked and written in bulk: ten times the rows, the same queries (the timing is in make benchmark)."""
    with CaptureQueriesContext(connection) as small:
        assert import_roster(data=schools_file(10)).created == 10
    with CaptureQueriesContext(connection) as large:
        assert import_roster(data=schools_file(100, start=10)).created == 100
    assert len(large) == len(small)
    assert School.objects.count() == 110
    assert User.objects.filter(email__endswith="@district.test").count() == 110


def test_command_reports_errors_and_fails(tmp_path: Path, clusters: list[Cluster]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(SCHOOLS_HEADER + "N001,X,college,Northside,,\n")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_roster", str(bad))
    good = tmp_path / "good.csv"
    good.write_text(SCHOOLS_HEADER + "N001,X,middle,Northside,,\n")
    call_command("import_roster", str(good))
    assert School.objects.filter(code="N001").exists()


def test_admin_page_imports_for_admins_only(
    client: Client, admin_user: User, principal: User, clusters: list[Cluster]
) -> None:
    url = reverse("admin:district_roster_import")
    assert client.get(url).status_code == 302
    client.force_login(principal)
    assert client.get(url).status_code == 302  # not staff: the admin sends them to its sign-in
    client.force_login(admin_user)
    assert client.get(url).status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("r.csv", (SCHOOLS_HEADER + "N009,X,college,Cluster 0,,\n").encode())
    response = client.post(url, {"file": bad})
    assert response.status_code == 200
    assert "is not a school level" in response.content.decode()
    good = SimpleUploadedFile("r.csv", (SCHOOLS_HEADER + "N009,Nine,middle,Northside,,\n").encode())
    response = client.post(url, {"file": good}, follow=True)
    assert "1 created" in response.content.decode()


def test_blank_lines_keep_line_numbers_true_and_a_leading_blank_line_is_fine(clusters: list[Cluster]) -> None:
    data = ("\n" + SCHOOLS_HEADER + "N001,Good,middle,Northside,,\n\n,,,,,\nN002,Bad,college,Northside,,\n").encode()
    assert failed(data) == [(6, "level", "“college” is not a school level (Elementary, Middle, High, K-8, K-12)")]


def test_a_broken_csv_file_is_reported_not_crashed(clusters: list[Cluster]) -> None:
    errors = failed((SCHOOLS_HEADER + 'N001,"' + "x" * 140_000 + '",middle,Northside,,\n').encode())
    assert "not valid CSV" in errors[0][2]


def test_dates_must_be_written_as_year_month_day(clusters: list[Cluster]) -> None:
    SchoolFactory.create(code="N001")
    errors = failed(b"school_code,ild_email,ild_name,start_date\nN001,i@district.test,I,20250101\n")
    assert errors == [(2, "start_date", "“20250101” is not a date; write it as YYYY-MM-DD")]


def test_a_file_without_the_active_column_leaves_closed_schools_closed(clusters: list[Cluster]) -> None:
    SchoolFactory.create(code="N001", name="Closed School", cluster=clusters[0], active=False, principal=None)
    import_roster(data=(SCHOOLS_HEADER + "N001,Closed School,elementary,Northside,,\n").encode())
    assert School.objects.get(code="N001").active is False


def test_two_principals_can_swap_schools_in_one_file(clusters: list[Cluster]) -> None:
    a = UserFactory.create(email="a@district.test", full_name="A")
    b = UserFactory.create(email="b@district.test", full_name="B")
    SchoolFactory.create(code="N001", name="One", cluster=clusters[0], principal=a)
    SchoolFactory.create(code="N002", name="Two", cluster=clusters[0], principal=b)
    result = import_roster(
        data=(
            SCHOOLS_HEADER
            + "N001,One,elementary,Northside,b@district.test,B\nN002,Two,elementary,Northside,a@district.test,A\n"
        ).encode()
    )
    assert result.updated == 2
    assert School.objects.get(code="N001").principal == b
    assert School.objects.get(code="N002").principal == a


def test_a_caseload_overlapping_a_recorded_one_is_refused(clusters: list[Cluster]) -> None:
    import datetime

    from tests.factories import CaseloadFactory

    school = SchoolFactory.create(code="N001")
    CaseloadFactory.create(school=school, start_date=datetime.date(2024, 8, 1), end_date=None)
    header = "school_code,ild_email,ild_name,start_date,end_date\n"
    errors = failed((header + "N001,new@district.test,New,2025-01-01,2025-03-01\n").encode())
    assert errors[0][:2] == (2, "start_date")
    assert "overlaps" in errors[0][2]
    errors = failed((header + "N001,new@district.test,New,2020-01-01,\n").encode())
    assert "end that one first" in errors[0][2]
    assert Caseload.objects.count() == 1


def test_a_unit_head_cannot_quietly_take_a_second_unit(clusters: list[Cluster]) -> None:
    from tests.factories import UnitFactory

    UnitFactory.create(name="Facilities", head=UserFactory.create(email="pat@district.test"))
    header = "unit,kind,cluster,description,contact_email,person_email,person_name,role\n"
    errors = failed((header + "New Unit,central,,New,n@district.test,pat@district.test,Pat,head\n").encode())
    assert errors == [
        (
            2,
            "person_email",
            "pat@district.test already heads Facilities; name its new head in this file or change it first",
        )
    ]
    errors = failed((header + "HR,central,,Hiring,hr@district.test,pat@district.test,Pat,staff\n").encode())
    assert "already heads Facilities" in errors[0][2]
    # Naming Facilities' new head in the same file lets Pat move.
    result = import_roster(
        data=(
            header + "New Unit,central,,New,n@district.test,pat@district.test,Pat,head\n"
            "Facilities,central,,Serves every school.,unit0@district.test,kim@district.test,Kim,head\n"
        ).encode()
    )
    assert result.ok
    assert Unit.objects.get(name="New Unit").head == User.objects.get(email="pat@district.test")
