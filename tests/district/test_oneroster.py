"""OneRoster 1.2 import: a sample file set, bad files, idempotent re-imports, leavers, the cluster guard."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from district.csvimport import ImportFailed
from district.models import Cluster, School, User
from district.roster.oneroster import import_oneroster
from tests.factories import ClusterFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

# Headers exactly as the OneRoster 1.2 CSV binding lays them out.
ORGS_HEADER = "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId"
USERS_HEADER = (
    "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,"
    "email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,resourceSourcedIds,preferredGivenName,"
    "preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns"
)
ROLES_HEADER = (
    "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId"
)
MANIFEST = (
    "propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\nfile.academicSessions,absent\n"
    "file.categories,absent\nfile.classes,absent\nfile.courses,absent\nfile.demographics,absent\n"
    "file.enrollments,absent\nfile.lineItems,absent\nfile.orgs,bulk\nfile.resources,absent\nfile.results,absent\n"
    "file.roles,bulk\nfile.users,bulk\nsource.systemName,Sample SIS\n"
)
ORGS = [
    "dist-1,active,2026-08-01T00:00:00.000Z,Riverside Unified,district,RUSD,",
    "clu-n,,,North Cluster,local,NORTH,dist-1",
    "clu-s,,,South Cluster,local,SOUTH,dist-1",
    "sch-1,,,Douglass Elementary,school,N001,clu-n",
    "sch-2,,,Chavez Middle School,school,N002,clu-n",
    "sch-3,,,Hopper High,school,S001,clu-s",
]


def user_row(sid: str, given: str, family: str, email: str, enabled: str = "true") -> str:
    return f"{sid},,,{enabled},{given.lower()},,{given},{family},,,{email},,,,,,,,,,,,"


USERS = [
    user_row("u-p1", "Ann", "Lee", "ann.lee@district.test"),
    user_row("u-p2", "Bo", "Diaz", "bo.diaz@district.test"),
    user_row("u-p3", "Cy", "Park", "cy.park@district.test"),
    user_row("u-adm", "Dee", "Admin", "dee.admin@district.test"),
    user_row("u-t1", "Tess", "Teacher", "not an email"),  # a teacher: skipped, so never checked
    "u-s1,,,true,stu1,,Sam,Student,,,,,,,05,,,,,,,,",  # a student: never read
]
ROLES = [
    "r1,,,u-p1,primary,principal,2025-07-01,,sch-1,",
    "r2,,,u-p2,primary,principal,,,sch-2,",
    "r3,,,u-p3,primary,principal,,,sch-3,",
    "r4,,,u-adm,primary,districtAdministrator,,,dist-1,",
    "r5,,,u-t1,primary,teacher,,,sch-1,",
    "r6,,,u-s1,primary,student,,,sch-1,",
]


def file_set(
    orgs: list[str] | None = None,
    users: list[str] | None = None,
    roles: list[str] | None = None,
    manifest: str | None = MANIFEST,
    orgs_header: str = ORGS_HEADER,
) -> dict[str, bytes]:
    files = {
        "orgs.csv": "\n".join([orgs_header, *(ORGS if orgs is None else orgs)]) + "\n",
        "users.csv": "\n".join([USERS_HEADER, *(USERS if users is None else users)]) + "\n",
        "roles.csv": "\n".join([ROLES_HEADER, *(ROLES if roles is None else roles)]) + "\n",
    }
    if manifest is not None:
        files["manifest.csv"] = manifest
    return {name: text.encode() for name, text in files.items()}


def zipped(files: dict[str, bytes], folder: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(folder + name, data)
    return buffer.getvalue()


def problems(files: dict[str, bytes], confirm: bool = False) -> list[tuple[str, int, str, str]]:
    with pytest.raises(ImportFailed) as raised:
        import_oneroster(files=files, confirm=confirm)
    return [(e.file, e.line, e.column, e.message) for e in raised.value.result.errors]  # type: ignore[attr-defined]


def test_the_sample_file_set_gives_schools_clusters_principals_and_administrators() -> None:
    result = import_oneroster(files=file_set())
    assert result.rows == 3
    assert result.people == 4
    assert set(Cluster.objects.values_list("name", "sourced_id")) == {
        ("North Cluster", "clu-n"),
        ("South Cluster", "clu-s"),
    }
    douglass = School.objects.select_related("cluster", "principal").get(sourced_id="sch-1")
    assert (douglass.code, douglass.name, douglass.level, douglass.cluster.name) == (
        "N001",
        "Douglass Elementary",
        School.Level.ELEMENTARY,
        "North Cluster",
    )
    assert douglass.principal is not None
    assert (douglass.principal.email, douglass.principal.full_name) == ("ann.lee@district.test", "Ann Lee")
    assert School.objects.get(code="N002").level == School.Level.MIDDLE
    assert School.objects.get(code="S001").level == School.Level.HIGH
    admin = User.objects.get(sourced_id="u-adm")
    assert not admin.is_staff
    assert not admin.has_usable_password()
    assert not User.objects.filter(sourced_id__in=["u-t1", "u-s1"]).exists(), "teachers and students stay out"


def test_importing_the_same_files_again_changes_nothing() -> None:
    import_oneroster(files=file_set())
    snapshot = {
        "schools": list(School.objects.order_by("pk").values()),
        "users": list(User.objects.order_by("pk").values()),
        "clusters": list(Cluster.objects.order_by("pk").values()),
        "history": School.history.count(),
    }
    again = import_oneroster(files=file_set())
    assert (again.created, again.updated, again.unchanged, again.ended) == (0, 0, 3, 0)
    assert snapshot == {
        "schools": list(School.objects.order_by("pk").values()),
        "users": list(User.objects.order_by("pk").values()),
        "clusters": list(Cluster.objects.order_by("pk").values()),
        "history": School.history.count(),
    }


def test_a_principal_who_leaves_ends_that_leadership_and_keeps_their_history() -> None:
    import_oneroster(files=file_set())
    bo = User.objects.get(sourced_id="u-p2")
    # Bo's role has ended; Chavez has no current principal in the file set.
    roles = [
        r if not r.startswith("r2,") else "r2,,,u-p2,primary,principal,2024-07-01,2025-06-30,sch-2," for r in ROLES
    ]
    result = import_oneroster(files=file_set(roles=roles))
    assert result.ended == 1
    chavez = School.objects.get(sourced_id="sch-2")
    assert chavez.principal is None
    assert User.objects.filter(pk=bo.pk, is_active=True).exists(), "the person stays"
    assert chavez.history.filter(principal=bo).exists(), "the history shows who led the school"
    assert School.objects.get(sourced_id="sch-1").principal_id is not None


def test_a_new_principal_takes_over_and_a_moving_principal_leaves_the_old_school() -> None:
    import_oneroster(files=file_set())
    users = [*USERS, user_row("u-p4", "Eve", "New", "eve.new@district.test")]
    roles = [
        "r1,,,u-p1,primary,principal,,,sch-2,",  # Ann moves from Douglass to Chavez
        "r3,,,u-p3,primary,principal,,,sch-3,",
        "r7,,,u-p4,primary,principal,,,sch-1,",  # Eve takes Douglass
    ]
    result = import_oneroster(files=file_set(users=users, roles=roles))
    assert result.ended == 2
    assert School.objects.get(sourced_id="sch-1").principal == User.objects.get(sourced_id="u-p4")
    assert School.objects.get(sourced_id="sch-2").principal == User.objects.get(sourced_id="u-p1")


def test_a_file_set_that_removes_every_principal_of_a_cluster_is_refused_unless_confirmed() -> None:
    import_oneroster(files=file_set())
    roles = [r for r in ROLES if not r.startswith(("r1,", "r2,"))]
    found = problems(file_set(roles=roles))
    assert len(found) == 1
    file, line, column, message = found[0]
    assert (file, line, column) == ("roles.csv", 0, "")
    assert "North Cluster" in message
    assert "confirm" in message
    assert School.objects.filter(cluster__name="North Cluster", principal__isnull=False).count() == 2

    result = import_oneroster(files=file_set(roles=roles), confirm=True)
    assert result.ended == 2
    assert not School.objects.filter(cluster__name="North Cluster", principal__isnull=False).exists()


def test_existing_schools_and_people_are_matched_once_by_code_and_email_then_by_sourced_id() -> None:
    north = ClusterFactory.create(name="North Cluster")
    ann = UserFactory.create(email="Ann.Lee@district.test", full_name="Ann L.")
    school = SchoolFactory.create(code="N001", name="Douglass", cluster=north, principal=ann)
    import_oneroster(files=file_set())
    school.refresh_from_db()
    ann.refresh_from_db()
    assert (school.sourced_id, ann.sourced_id, ann.full_name) == ("sch-1", "u-p1", "Ann Lee")
    assert Cluster.objects.get(pk=north.pk).sourced_id == "clu-n"
    # The SIS renames the school, changes its code and Ann's email: the sourcedIds keep them the same.
    orgs = [o.replace("Douglass Elementary,school,N001", "Douglass Academy,school,N009") for o in ORGS]
    users = [u.replace("ann.lee@", "ann.lee2@") for u in USERS]
    import_oneroster(files=file_set(orgs=orgs, users=users))
    school.refresh_from_db()
    ann.refresh_from_db()
    assert (school.code, school.name, school.principal_id) == ("N009", "Douglass Academy", ann.pk)
    assert ann.email == "ann.lee2@district.test"


def test_clusters_can_come_from_a_metadata_column_and_levels_from_another() -> None:
    orgs = [
        "dist-1,,,Riverside Unified,district,RUSD,,,",
        "sch-1,,,Douglass,school,N001,dist-1,Northside,k-8",
        "sch-2,,,Chavez Middle School,school,N002,dist-1,Northside,",
        "sch-3,,,Hopper High,school,S001,dist-1,Southside,",
    ]
    import_oneroster(files=file_set(orgs=orgs, orgs_header=ORGS_HEADER + ",metadata.cluster,metadata.level"))
    douglass = School.objects.select_related("cluster").get(code="N001")
    assert (douglass.cluster.name, douglass.level) == ("Northside", School.Level.K8)
    assert set(Cluster.objects.values_list("name", flat=True)) == {"Northside", "Southside"}


def test_a_disabled_user_cannot_sign_in() -> None:
    users = [
        u if not u.startswith("u-p3,") else user_row("u-p3", "Cy", "Park", "cy.park@district.test", "false")
        for u in USERS
    ]
    import_oneroster(files=file_set(users=users))
    assert not User.objects.get(sourced_id="u-p3").is_active


def test_bad_files_write_nothing_and_name_each_problem_by_file_line_and_column() -> None:
    orgs = [
        *ORGS[:3],
        "sch-1,,,Douglass Elementary,school,N001,clu-n",
        "sch-2,,,Chavez Middle School,school,N001,clu-x",
        "sch-3,,,Hopper High,campus,S001,clu-s",
        "sch-1,,,Duplicate,school,N003,clu-n",
        "sch-4,pending,,Unknown Level Academy,school,N004,clu-n",
    ]
    users = [user_row("u-p1", "Ann", "Lee", "not-an-email"), *USERS[1:]]
    roles = [
        "r1,,,u-p1,primary,principal,2025-13-01,,sch-1,",
        "r2,,,u-p2,primary,principal,,,sch-9,",
        "r3,,,u-nobody,primary,principal,,,sch-1,",
    ]
    found = problems(file_set(orgs=orgs, users=users, roles=roles))
    where = {(file, line, column) for file, line, column, _ in found}
    assert ("orgs.csv", 6, "identifier") in where, "duplicate school code"
    assert ("orgs.csv", 7, "type") in where, "not an org type"
    assert ("orgs.csv", 8, "sourcedId") in where, "duplicate sourcedId"
    assert ("orgs.csv", 9, "status") in where, "unknown status"
    assert ("roles.csv", 2, "beginDate") in where, "not a date"
    assert ("roles.csv", 3, "orgSourcedId") in where, "unknown org"
    assert School.objects.count() == 0
    assert User.objects.count() == 0

    found = problems(file_set(users=users))
    assert ("users.csv", 2, "email", "“not-an-email” is not a valid email address") in found
    found = problems(file_set(roles=[*ROLES, "r9,,,u-gone,primary,principal,,,sch-2,"]))
    assert any(f == "roles.csv" and line == 8 and col == "userSourcedId" for f, line, col, _ in found)
    assert any("two principals" in message for *_, message in found)


def test_files_that_are_missing_or_malformed_are_refused() -> None:
    files = file_set()
    del files["roles.csv"]
    assert ("roles.csv", 0, "", "roles.csv is missing from the file set") in problems(files)
    assert ("orgs.csv", 1, "parentSourcedId", "missing column") in problems(
        file_set(orgs=[o.rsplit(",", 1)[0] for o in ORGS], orgs_header=ORGS_HEADER.rsplit(",", 1)[0])
    )
    delta = MANIFEST.replace("file.users,bulk", "file.users,delta")
    assert any(f == "manifest.csv" and "delta" in m for f, _, _, m in problems(file_set(manifest=delta)))
    old = MANIFEST.replace("oneroster.version,1.2", "oneroster.version,1.1")
    assert any("OneRoster 1.1" in m for *_, m in problems(file_set(manifest=old)))
    latin = file_set()
    latin["users.csv"] = "sourcedId,givenName\nu-1,Zoë\n".encode("latin-1")
    assert any(f == "users.csv" and "UTF-8" in m for f, _, _, m in problems(latin))
    two_schools = [*ROLES, "r8,,,u-p1,primary,principal,,,sch-3,"]
    assert any("two schools" in m or "two principals" in m for *_, m in problems(file_set(roles=two_schools)))


def test_the_command_reads_a_directory_or_a_zip_and_needs_confirm_for_a_cluster_wipe(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    for name, data in file_set().items():
        (folder / name).write_bytes(data)
    out = io.StringIO()
    call_command("import_oneroster", str(folder), stdout=out)
    assert "3 schools" in out.getvalue()

    archive = tmp_path / "oneroster.zip"
    roles = [r for r in ROLES if not r.startswith("r3,")]
    archive.write_bytes(zipped(file_set(roles=roles), folder="export/"))
    with pytest.raises(CommandError, match="every principal of a cluster"):
        call_command("import_oneroster", str(archive), stdout=io.StringIO(), stderr=io.StringIO())
    assert School.objects.get(sourced_id="sch-3").principal_id is not None
    call_command("import_oneroster", str(archive), "--confirm", stdout=io.StringIO())
    assert School.objects.get(sourced_id="sch-3").principal_id is None
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_oneroster", str(tmp_path / "nowhere.zip"))


def test_the_admin_upload_page_uses_the_same_import(
    client: Client, client_for: Callable[[str], Client], admin_user: User
) -> None:
    url = reverse("admin:district_oneroster_import")
    assert client.get(url).status_code == 302, "anonymous people are sent to sign in"
    executive = client_for("executive")
    assert executive.get(url).status_code == 302, "only administrators reach the admin"
    admin = client_for("admin_user")
    assert admin.get(url).status_code == 200

    bad = file_set(users=[user_row("u-p1", "Ann", "Lee", "nope"), *USERS[1:]])
    upload = io.BytesIO(zipped(bad))
    upload.name = "oneroster.zip"
    response = admin.post(url, {"file": upload})
    body = response.content.decode()
    assert response.status_code == 200
    assert "users.csv" in body
    assert "“nope” is not a valid email address" in body
    assert not School.objects.filter(sourced_id__startswith="sch-").exists()

    upload = io.BytesIO(zipped(file_set()))
    upload.name = "oneroster.zip"
    response = admin.post(url, {"file": upload})
    assert response.status_code == 302
    assert School.objects.filter(sourced_id__startswith="sch-").count() == 3

    upload = io.BytesIO(b"not a zip")
    upload.name = "oneroster.zip"
    assert "not a ZIP archive" in admin.post(url, {"file": upload}).content.decode()

    wipe = io.BytesIO(zipped(file_set(roles=[r for r in ROLES if not r.startswith("r3,")])))
    wipe.name = "oneroster.zip"
    body = admin.post(url, {"file": wipe}).content.decode()
    assert "tick the confirmation box" in body
    wipe.seek(0)
    assert admin.post(url, {"file": wipe, "confirm": "on"}).status_code == 302
    assert School.objects.get(sourced_id="sch-3").principal_id is None


def test_a_file_naming_a_column_twice_is_refused_not_read_by_chance() -> None:
    found = problems(file_set(orgs_header=ORGS_HEADER.replace("identifier,", "name,")))
    assert ("orgs.csv", 1, "name", "the column appears more than once in the header row") in found
